"""The review workspace's commands: ``ingest``, ``events``, ``review`` and ``export``.

``--db`` takes a SQLite file path or a SQLAlchemy URL (``postgresql://user@host/db``).
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from checker.cli.options import EXIT_INPUT_ERROR

log = logging.getLogger(__name__)

DB_HELP = "The review store: a SQLite file, or a database URL (postgresql://...)."


def _fail(message: str) -> typer.Exit:
    print(f"error: {message}", file=sys.stderr)
    return typer.Exit(EXIT_INPUT_ERROR)


def _existing_db(db: str) -> str:
    """The store's URL; a SQLite path that does not exist is an error (nothing was ingested)."""
    from checker.workspace.store import database_url

    if "://" not in db and not Path(db).expanduser().is_file():
        raise _fail(f"{db}: no such review database (run `crossclaim ingest PATH... --db {db}`)")
    return database_url(db)


def ingest(
    paths: Annotated[
        list[Path], typer.Argument(help="Files or folders of articles (a day's feed).")
    ],
    db: Annotated[str, typer.Option("--db", help=DB_HELP)],
    no_nli: Annotated[bool, typer.Option("--no-nli", help="Rule checks only.")] = False,
    rules: Annotated[
        Path | None, typer.Option("--rules", help="A rules file (see rules/rules.yaml).")
    ] = None,
    settings_file: Annotated[
        Path | None, typer.Option("--settings", help="A settings YAML file.")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Errors only.")] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Log what each stage does.")
    ] = False,
) -> None:
    """Add articles to the store, group them into events and re-check the events that changed.

    Ingesting the same article again changes nothing; a changed article becomes a new version.
    """
    from checker.cli.options import build_settings, configure_logging
    from checker.workspace.ingest import ingest_paths
    from checker.workspace.store import StoreError

    configure_logging(verbose, quiet)
    err = Console(stderr=True, soft_wrap=True)
    settings = build_settings(settings_file, rules, no_nli, None, None)
    try:
        result = ingest_paths(db, paths, settings)
    except StoreError as exc:
        raise _fail(str(exc)) from exc
    except Exception as exc:  # a model or rules file that cannot be loaded: one line, exit 2
        log.debug("ingest failed", exc_info=True)
        raise _fail(f"ingest failed: {exc}") from exc
    for problem in result.problems:
        err.print(f"error: {problem}", highlight=False, markup=False)
    for failure in result.failures:
        err.print(f"error: {failure}", highlight=False, markup=False)
    if not quiet:
        stored = sum(n for n, _ in result.checked.values())
        resolved = sum(r for _, r in result.checked.values())
        print(
            f"{result.added} new, {result.versioned} new version(s), {result.unchanged} unchanged;"
            f" {result.events} event(s); re-checked {len(result.checked)} event(s):"
            f" {stored} finding(s), {resolved} resolved"
        )
    if result.problems and not (result.added or result.versioned or result.unchanged):
        raise typer.Exit(EXIT_INPUT_ERROR)
    if result.failures:
        raise typer.Exit(EXIT_INPUT_ERROR)


def events(
    db: Annotated[str, typer.Option("--db", help=DB_HELP)],
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of a table.")] = False,
) -> None:
    """List events: id, title, outlets, article count and open findings."""
    from checker.workspace.store import StoreError, connect, list_events

    url = _existing_db(db)
    try:
        engine = connect(url)
        summaries = list_events(engine)
        engine.dispose()
    except StoreError as exc:
        raise _fail(str(exc)) from exc
    if as_json:
        rows = [
            {
                "id": s.id,
                "title": s.title,
                "outlets": list(s.outlets),
                "articles": s.articles,
                "open_findings": s.open_findings,
                "first_published": s.first_published,
            }
            for s in summaries
        ]
        sys.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        return
    table = Table("title", "outlets", "articles", "open findings")
    table.add_column("id", no_wrap=True)
    table.columns.insert(0, table.columns.pop())
    for s in summaries:
        table.add_row(s.id, s.title, ", ".join(s.outlets), str(s.articles), str(s.open_findings))
    Console(highlight=False).print(table)


def review(
    db: Annotated[str, typer.Option("--db", help=DB_HELP)],
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", help="Port to listen on (0: any free port).")
    ] = 8765,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            envvar="CROSSCLAIM_REVIEW_TOKEN",
            help="Access token every request must carry (required off loopback).",
        ),
    ] = None,
) -> None:
    """Serve the review workspace (a local web app) until interrupted."""
    from checker.workspace.review_app import create_app, is_loopback, make_review_server
    from checker.workspace.store import StoreError

    url = _existing_db(db)
    if not is_loopback(host) and not token:
        raise _fail(f"--host {host} is not loopback: pass --token so that only you can use it")
    if token is not None and len(token) < 8:
        raise _fail("--token must be at least 8 characters")
    try:
        app = create_app(url, token=token)
        server = make_review_server(host, port, app)
    except (StoreError, OSError) as exc:
        raise _fail(str(exc)) from exc
    shown_host = f"[{host}]" if ":" in host else host
    address = f"http://{shown_host}:{server.server_port}/"
    print(f"review workspace at {address}{'?token=' + token if token else ''} (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


def export(
    db: Annotated[str, typer.Option("--db", help=DB_HELP)],
    baseline: Annotated[
        Path | None,
        typer.Option("--baseline", help="Write reviewers' decisions as a gate baseline here."),
    ] = None,
    claimreview: Annotated[
        Path | None,
        typer.Option("--claimreview", help="Write confirmed findings as ClaimReview JSON-LD here."),
    ] = None,
    csv_dir: Annotated[
        Path | None,
        typer.Option(
            "--csv", help="Write articles/claims/findings/reviews CSV files into this folder."
        ),
    ] = None,
    url_template: Annotated[
        str | None,
        typer.Option(
            "--url-template",
            help="Each ClaimReview's url: fields {event}, {fingerprint}, {side}, {identifier},"
            " {check} (e.g. 'https://factcheck.example/{event}/{fingerprint}').",
        ),
    ] = None,
    publisher: Annotated[
        str | None,
        typer.Option(
            "--publisher",
            help="The organisation publishing the ClaimReviews (their author; default: the"
            " reviewer).",
        ),
    ] = None,
    verdicts_csv: Annotated[
        Path | None,
        typer.Option(
            "--verdicts-csv", help="Write reviewers' verdicts as one flat CSV table here."
        ),
    ] = None,
    verdicts_parquet: Annotated[
        Path | None,
        typer.Option(
            "--verdicts-parquet",
            help="Write reviewers' verdicts as one flat Parquet table here (needs pyarrow).",
        ),
    ] = None,
) -> None:
    """Export reviews: gate baseline, schema.org ClaimReview JSON-LD, CSV tables, and the
    reviewers' verdicts as one flat table (CSV or Parquet)."""
    from checker.cli.options import configure_logging
    from checker.tables import TableError, require_format
    from checker.workspace.exports import (
        check_url_template,
        export_baseline,
        export_claimreview,
        export_csv,
        export_verdicts,
    )
    from checker.workspace.store import StoreError

    wanted = (baseline, claimreview, csv_dir, verdicts_csv, verdicts_parquet)
    if all(w is None for w in wanted):
        raise _fail(
            "nothing to export: pass --baseline FILE, --claimreview FILE, --csv DIR,"
            " --verdicts-csv FILE or --verdicts-parquet FILE"
        )
    if (url_template is not None or publisher is not None) and claimreview is None:
        raise _fail("--url-template and --publisher shape --claimreview FILE: pass it too")
    if publisher is not None and not publisher.strip():
        raise _fail("--publisher must name an organisation")
    try:
        if url_template is not None:
            check_url_template(url_template)
        if verdicts_parquet is not None:
            require_format("parquet")
    except (ValueError, TableError) as exc:
        raise _fail(str(exc)) from exc
    configure_logging(False, False)  # the ClaimReview export warns of articles without a url
    url = _existing_db(db)
    try:
        if baseline is not None:
            print(f"{baseline}: {export_baseline(url, baseline)} baseline entries")
        if claimreview is not None:
            count = export_claimreview(
                url,
                claimreview,
                url_template=url_template,
                publisher=publisher.strip() if publisher else None,
            )
            print(f"{claimreview}: {count} ClaimReview items")
        if csv_dir is not None:
            for name, rows in export_csv(url, csv_dir).items():
                print(f"{csv_dir / name}: {rows} rows")
        for path, fmt in ((verdicts_csv, "csv"), (verdicts_parquet, "parquet")):
            if path is not None:
                print(f"{path}: {export_verdicts(url, path, fmt)} verdict rows")
    except (StoreError, OSError, TableError) as exc:
        raise _fail(str(exc)) from exc


def register(app: typer.Typer) -> None:
    """Add ``ingest``, ``events``, ``review`` and ``export`` to the crossclaim app."""
    app.command()(ingest)
    app.command()(events)
    app.command()(review)
    app.command()(export)
