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
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from checker.atomic import write_text_atomic
from checker.cli import config as cli_config
from checker.cli import eval_rules as cli_eval
from checker.cli import explain as cli_explain
from checker.cli import gate as cli_gate
from checker.cli import init as cli_init
from checker.cli import nli as cli_nli
from checker.cli import review as cli_review
from checker.cli.options import (
    CACHE_DIR_ENV,
    DEFAULT_CACHE_DIR,
    EXIT_INPUT_ERROR,
    build_settings,
    configure_logging,
    open_run_cache,
    read_input,
)
from checker.cli.style import ColorChoice, ColorOpt, is_terminal, use_color
from checker.report import Report

if TYPE_CHECKING:
    from claims.records import Article

app = typer.Typer(
    name="crossclaim",
    help="Find where news outlets' reports of the same event disagree.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def installed_version() -> str:
    """The installed crossclaim's version (package metadata), or ``0+unknown``."""
    from importlib import metadata

    try:
        return metadata.version("crossclaim")
    except metadata.PackageNotFoundError:
        return "0+unknown"


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"crossclaim {installed_version()}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: bool = typer.Option(
        False,
        "--version",
        callback=_print_version,
        is_eager=True,
        help="Print the installed version and exit.",
    ),
) -> None:
    """crossclaim: a cross-source claim consistency checker for news."""


class ReportFormat(StrEnum):
    terminal = "terminal"
    json = "json"
    markdown = "markdown"
    html = "html"


class TableChoice(StrEnum):
    findings = "findings"
    claims = "claims"


def terminal_console(color: ColorChoice) -> Console:
    """A console on stdout that colours as ``--color`` and ``NO_COLOR`` say; piped output
    (not a terminal) is printed without wrapping."""
    colored = use_color(color, sys.stdout)
    return Console(
        color_system="auto" if colored else None,
        force_terminal=True if colored and not is_terminal(sys.stdout) else None,
        no_color=not colored,
        highlight=False,
        soft_wrap=not is_terminal(sys.stdout),
    )


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
        None, "--nli-backend", help="auto, onnx (int8), onnx-fp32, hybrid or transformers."
    ),
    rules: Path | None = typer.Option(None, "--rules", help="A rules file (see rules/rules.yaml)."),
    settings_file: Path | None = typer.Option(None, "--settings", help="A settings YAML file."),
    cache_dir: Path = typer.Option(
        DEFAULT_CACHE_DIR,
        "--cache-dir",
        envvar=CACHE_DIR_ENV,
        help="Keep claims, embeddings and NLI results here between runs.",
    ),
    no_cache: bool = typer.Option(False, "--no-cache", help="Neither read nor write the cache."),
    db: str | None = typer.Option(None, "--db", help="A review store (with --event)."),
    event: str | None = typer.Option(None, "--event", help="Check this event of the store."),
    color: ColorOpt = ColorChoice.auto,
    csv_path: Path | None = typer.Option(
        None,
        "--csv",
        help="Also write a flat table (one row per finding; see --table) as CSV here.",
    ),
    parquet_path: Path | None = typer.Option(
        None,
        "--parquet",
        help="Also write the flat table as Parquet here (needs pyarrow).",
    ),
    table: TableChoice = typer.Option(
        TableChoice.findings,
        "--table",
        help="The table --csv and --parquet write: findings, or the claims the run aligned.",
    ),
) -> None:
    """Check one event's articles against each other and report the discrepancies."""
    configure_logging(verbose, quiet)
    if parquet_path is not None:
        from checker.tables import TableError, require_format

        try:
            require_format("parquet")
        except TableError as exc:
            typer.echo(f"error: --parquet: {exc}", err=True)
            raise typer.Exit(EXIT_INPUT_ERROR) from exc
    settings = build_settings(settings_file, rules, no_nli, nli_model, nli_backend)
    from checker.pipeline import check_articles

    cache = open_run_cache(cache_dir, no_cache)
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
                render_terminal(result, Console(file=fh, width=140, color_system=None))
        else:
            render_terminal(result, terminal_console(color), panels=is_terminal(sys.stdout))
    if csv_path is not None or parquet_path is not None:
        write_report_tables(result, articles, table, csv_path, parquet_path, quiet)
    if not result.documents:
        typer.echo("error: no article could be read", err=True)
        raise typer.Exit(EXIT_INPUT_ERROR)


def write_report_tables(
    result: Report,
    articles: list[Article],
    table: TableChoice,
    csv_path: Path | None,
    parquet_path: Path | None,
    quiet: bool,
) -> None:
    """Write the report's findings (or claims) table to ``--csv`` and ``--parquet``."""
    from checker.api import with_claim_lines
    from checker.tables import TableError, write_table

    if table is TableChoice.claims:
        frame = with_claim_lines(result, articles).claims_frame()
    else:
        frame = result.findings_frame()
    for path, fmt in ((csv_path, "csv"), (parquet_path, "parquet")):
        if path is None:
            continue
        try:
            rows = write_table(frame, path, fmt)
        except (OSError, TableError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            typer.echo(f"error: {path}: cannot write the {table} table ({reason})", err=True)
            raise typer.Exit(EXIT_INPUT_ERROR) from exc
        if not quiet:
            typer.echo(f"{path}: {rows} {table} row(s)", err=True)


from checker.cli import batch as cli_batch  # noqa: E402

for _module in (
    cli_nli,
    cli_gate,
    cli_review,
    cli_eval,
    cli_batch,
    cli_config,
    cli_init,
    cli_explain,
):
    _module.register(app)


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
