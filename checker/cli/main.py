"""The ``crossclaim`` command: the typer app and ``report``.

Each other group of commands lives in its own module of ``checker/cli/`` and registers itself
(``nli``, ``gate``, ``review``, ``eval_rules``); options and input handling that several commands
share live in ``checker/cli/options.py``.
"""

from __future__ import annotations

import logging
import sys
from enum import StrEnum
from pathlib import Path

import typer
from rich.console import Console

from checker.atomic import write_text_atomic
from checker.cli import eval_rules as cli_eval
from checker.cli import gate as cli_gate
from checker.cli import nli as cli_nli
from checker.cli import review as cli_review
from checker.cli.options import EXIT_INPUT_ERROR, build_settings, configure_logging, read_input
from checker.report import Report

app = typer.Typer(
    name="crossclaim",
    help="Find where news outlets' reports of the same event disagree.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def main_options() -> None:
    """crossclaim: a cross-source claim consistency checker for news."""


class ReportFormat(StrEnum):
    terminal = "terminal"
    json = "json"
    markdown = "markdown"
    html = "html"


def print_problems(report: Report) -> None:
    """One line per unreadable file and per article warning, on stderr."""
    for doc in report.documents:
        for warning in doc.warnings:
            typer.echo(f"warning: {doc.source}: {warning}", err=True)
    for problem in report.problems:
        typer.echo(f"error: {problem}", err=True)


@app.command()
def report(
    bundle: list[Path] | None = typer.Argument(
        None, help="Folders or files holding one event's articles."
    ),
    format: ReportFormat = typer.Option(
        ReportFormat.terminal, "--format", "-f", help="Output format."
    ),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the report here."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar or warnings."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log what each stage does."),
    no_nli: bool = typer.Option(False, "--no-nli", help="Rule checks only."),
    nli_model: str | None = typer.Option(
        None,
        "--nli-model",
        help="A hub id or a local model directory instead of the shipped model.",
    ),
    nli_backend: str | None = typer.Option(
        None, "--nli-backend", help="auto, onnx or transformers."
    ),
    rules: Path | None = typer.Option(None, "--rules", help="A rules file (see rules/rules.yaml)."),
    settings_file: Path | None = typer.Option(None, "--settings", help="A settings YAML file."),
    cache_dir: Path | None = typer.Option(
        None, "--cache-dir", help="Keep claims and NLI results here between runs."
    ),
    db: str | None = typer.Option(None, "--db", help="A review store (with --event)."),
    event: str | None = typer.Option(None, "--event", help="Check this event of the store."),
) -> None:
    """Check one event's articles against each other and report the discrepancies."""
    configure_logging(verbose, quiet)
    settings = build_settings(settings_file, rules, no_nli, nli_model, nli_backend)
    from checker.pipeline import check_articles

    cache = None
    if cache_dir is not None:
        from checker.cache import open_cache

        cache = open_cache(cache_dir)
    try:
        articles, problems = read_input(bundle, settings, db=db, event=event)
        result = check_articles(
            articles, problems, settings, cache=cache, progress=not quiet and sys.stderr.isatty()
        )
    except Exception as exc:  # a model or rules file that cannot be loaded: one line, exit 2
        logging.getLogger(__name__).debug("report failed", exc_info=True)
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_INPUT_ERROR) from exc
    if not quiet:
        print_problems(result)
    elif result.problems:
        for problem in result.problems:
            typer.echo(f"error: {problem}", err=True)

    if format is ReportFormat.json:
        text = result.to_json()
    elif format is ReportFormat.markdown:
        from checker.render.markdown import render_markdown

        text = render_markdown(result)
    elif format is ReportFormat.html:
        from checker.render.html import render_html

        text = render_html(result)
    else:
        text = None

    if text is not None:
        if output:
            write_text_atomic(output, text)
        else:
            sys.stdout.write(text if text.endswith("\n") else text + "\n")
    else:
        from checker.render.terminal import render_terminal

        if output:
            with output.open("w", encoding="utf-8") as fh:
                render_terminal(result, Console(file=fh, width=140, force_terminal=False))
        else:
            render_terminal(result, Console())
    if not result.documents:
        typer.echo("error: no article could be read", err=True)
        raise typer.Exit(EXIT_INPUT_ERROR)


for _module in (cli_nli, cli_gate, cli_review, cli_eval):
    _module.register(app)


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
