"""``crossclaim batch``: check every event of a day's feed.

    crossclaim batch FEED --out DIR                      # one process
    crossclaim batch FEED --out DIR --engine ray --workers 8
    crossclaim batch FEED --out DIR --engine ray --address ray://head:10001

Reads every article file of FEED, groups the articles into events (MinHash LSH blocking, then the
linking test of ``checker/workspace/events.py``), checks each event of two or more articles and
writes ``DIR/reports/<event>.json``, ``events.csv``, ``findings.csv``, ``articles.csv`` and
``summary.json`` (see ``checker/batch/run.py``). Run it again on the grown feed with the same
DIR: only new texts are processed and only events whose articles changed are checked again.

Joining a cluster whose Ray uses token authentication (the default from Ray 2.5x): set
``RAY_AUTH_MODE=token`` with the cluster's token in ``~/.ray/auth_token`` or ``RAY_AUTH_TOKEN``.

Exit status: 0 when every event was checked, 1 when some event's check failed (listed in
``summary.json``), 2 when no article could be read or an option is wrong.
"""

from __future__ import annotations

import logging
from enum import StrEnum
from pathlib import Path

import typer

from checker.cli.options import EXIT_INPUT_ERROR, build_settings, configure_logging


class EngineName(StrEnum):
    local = "local"
    ray = "ray"


EXIT_EVENT_FAILED = 1


def batch(
    feed: list[Path] = typer.Argument(..., help="Folders (or files) holding the feed's articles."),
    out: Path = typer.Option(..., "--out", "-o", help="Write reports and indexes here."),
    engine: EngineName = typer.Option(
        EngineName.local, "--engine", help="local: this process; ray: a Ray actor pool."
    ),
    address: str | None = typer.Option(
        None, "--address", help="Join this Ray cluster (default: start a local one)."
    ),
    workers: int | None = typer.Option(
        None, "--workers", min=1, help="Ray actors (default: one per CPU)."
    ),
    force: bool = typer.Option(False, "--force", help="Check every event again."),
    no_cache: bool = typer.Option(
        False, "--no-cache", help="Neither read nor write DIR/cache and DIR/features.sqlite."
    ),
    no_nli: bool = typer.Option(False, "--no-nli", help="Rule checks only."),
    rules: Path | None = typer.Option(None, "--rules", help="A rules file (see rules/rules.yaml)."),
    settings_file: Path | None = typer.Option(None, "--settings", help="A settings YAML file."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Errors only."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log what each stage does."),
) -> None:
    """Check every event of a feed: group articles into events, one report per event."""
    configure_logging(verbose, quiet)
    if address and engine is not EngineName.ray:
        raise typer.BadParameter("--address needs --engine ray", param_hint="--address")
    settings = build_settings(settings_file, rules, no_nli, None, None)
    if engine is EngineName.ray:
        try:
            import ray  # noqa: F401
        except ImportError:
            typer.echo("error: --engine ray needs Ray: pip install 'crossclaim[ray]'", err=True)
            raise typer.Exit(EXIT_INPUT_ERROR) from None
    from checker.batch.run import BatchOptions, run_batch

    options = BatchOptions(
        engine=engine.value, address=address, workers=workers, force=force, use_cache=not no_cache
    )

    def problem(line: str) -> None:
        if not quiet or line.startswith("error"):
            typer.echo(line, err=True)

    try:
        summary = run_batch(feed, out, settings, options, on_problem=problem)
    except Exception as exc:  # a model, rules file or cluster that cannot be used: one line
        logging.getLogger(__name__).debug("batch failed", exc_info=True)
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_INPUT_ERROR) from exc
    counts = summary["counts"]
    for event, error in sorted(summary["failed"].items()):
        typer.echo(f"error: {event}: check failed ({error})", err=True)
    if not quiet:
        typer.echo(
            f"{counts['articles']} articles, {counts['events']} events "
            f"({counts['multi_article_events']} with 2+ articles): {counts['events_checked']} "
            f"checked, {counts['events_unchanged']} unchanged; {counts['findings']} findings "
            f"({counts['contradictions']} contradictions) in {summary['seconds']['total']:.1f}s "
            f"-> {out}",
            err=True,
        )
    if not counts["articles"]:
        typer.echo("error: no article could be read", err=True)
        raise typer.Exit(EXIT_INPUT_ERROR)
    if summary["failed"]:
        raise typer.Exit(EXIT_EVENT_FAILED)


def register(app: typer.Typer) -> None:
    """Add the ``batch`` command to the crossclaim app."""
    app.command("batch")(batch)
