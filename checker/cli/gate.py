"""The ``gate`` and ``baseline`` commands: crossclaim as a CI check.

``crossclaim gate BUNDLE...`` exits 0 when no new finding reaches the bar, 1 when one does, 2 on
a usage or input error; ``crossclaim baseline BUNDLE... --output FILE`` records today's findings
as accepted. Each folder argument is one event's bundle, checked on its own; file arguments
together form one more bundle. Models are loaded once for all bundles.
"""

from __future__ import annotations

import datetime as dt
import getpass
import logging
import os
import sys
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from checker.cli.options import CACHE_DIR_ENV, DEFAULT_CACHE_DIR
from checker.cli.style import ColorChoice, ColorOpt, styled, use_color
from checker.gate.baseline import (
    Baseline,
    BaselineError,
    load_baseline,
    merge_baseline,
    write_baseline,
)
from checker.gate.decide import (
    DEFAULT_FAIL_ON,
    DEFAULT_MIN_SEVERITY,
    EXIT_ERROR,
    GateBar,
    evaluate_gate,
)
from rules.base import Severity, Verdict

if TYPE_CHECKING:
    from checker.cli.config import RunConfig
    from checker.findings import Finding
    from checker.gate.formats import EventRun
    from checker.report import Report
    from checker.settings import Settings

log = logging.getLogger(__name__)


#: what ``--fail-on`` takes: a verdict (``rules.base.Verdict``).
FailOn = Verdict

GATE_FAIL_ON = FailOn(DEFAULT_FAIL_ON)
GATE_MIN_SEVERITY = Severity(DEFAULT_MIN_SEVERITY)


class Status(StrEnum):
    accepted = "accepted"
    dismissed = "dismissed"


def group_bundles(paths: Sequence[Path]) -> list[list[Path]]:
    """Each folder is its own bundle; the files given directly form one bundle together.

    >>> group_bundles([Path("."), Path("a.md"), Path("b.md")])
    [[PosixPath('.')], [PosixPath('a.md'), PosixPath('b.md')]]
    """
    folders = [[p] for p in paths if p.is_dir()]
    files = [p for p in paths if not p.is_dir()]
    return folders + ([files] if files else [])


def _echo(text: str, *, err: bool = False) -> None:
    """Print one line of text that may hold article text or file names: control characters and
    line breaks are flattened, so nothing can start a line that CI reads as a command."""
    from checker.gate.formats import plain_line

    typer.echo(plain_line(text), err=err)


def _fail(message: str) -> typer.Exit:
    _echo(f"error: {message}", err=True)
    return typer.Exit(EXIT_ERROR)


def _run_config(
    rules: Path | None,
    no_nli: bool,
    settings_file: Path | None,
    **options: Any,
) -> RunConfig:
    """The configuration (``checker/cli/config.py``) with these flags over it."""
    from checker.cli.config import config_or_exit

    flags = {"rules": rules, "settings": settings_file}
    flags.update({name.replace("_", "-"): value for name, value in options.items()})
    return config_or_exit(flags, {"use_nli": ("--no-nli", False if no_nli else None)})


def _location(finding: Finding, root: Path) -> str:
    """``path:line`` of the finding's first sentence, relative to ``root``."""
    from checker.gate.formats import finding_location

    return finding_location(finding, root)


def _finding_echo(finding: Finding, status: str, root: Path, color: bool, suffix: str = "") -> None:
    """One finding as a line that starts with its ``path:line:`` (editors and terminals open
    it), then the check, verdict and severity, the status, the fingerprint and what differs."""
    from checker.gate.formats import finding_detail, plain_line

    loc = plain_line(_location(finding, root))
    head = plain_line(f"{finding.check} {finding.verdict} ({finding.severity})")
    rest = plain_line(f"{finding.fingerprint}: {finding_detail(finding)}{suffix}")
    fg = "red" if status == "FAIL" else "yellow"
    typer.echo(
        f"{styled(loc + ':', color, bold=True)} {head} "
        f"{styled(status, color, fg=fg, bold=True)} {rest}",
        color=color,
    )


def _run_bundles(
    paths: Sequence[Path] | None,
    settings: Settings,
    cache_dir: Path,
    no_cache: bool,
    *,
    db: str | None = None,
    event: str | None = None,
) -> list[Report]:
    """Run the pipeline over each bundle, or over one event of a review store; return the
    reports (exit 2 on a fatal error)."""
    from checker.cli.options import read_input
    from checker.pipeline import check_articles, load_models, run_report

    cache = None
    if not no_cache:
        from checker.cache import open_cache

        try:
            cache = open_cache(cache_dir)
        except OSError as exc:  # an unusable cache never stops a check
            _echo(
                f"warning: {cache_dir}: cannot use the cache ({exc.strerror or exc}); "
                "running without it",
                err=True,
            )
    models = load_models(settings)
    if event or not paths:
        try:
            articles, problems = read_input(paths, settings, db=db, event=event)
            return [check_articles(articles, problems, settings, models=models, cache=cache)]
        except Exception as exc:  # unknown event, unreadable store, model that cannot load
            log.debug("pipeline failed", exc_info=True)
            raise _fail(str(exc)) from exc
    reports = []
    for bundle in group_bundles(paths):
        try:
            reports.append(run_report(bundle, settings, models=models, cache=cache))
        except Exception as exc:  # noqa: BLE001 - one bundle's failure keeps the others' results
            log.debug("pipeline failed", exc_info=True)
            reports.append(_failed_bundle(bundle, exc))
    return reports


def _event_runs(
    paths: Sequence[Path] | None, event: str | None, reports: Sequence[Report], root: Path
) -> list[EventRun]:
    """Each checked event for JUnit's suites: its folder (or store event id) and check time.
    Files given directly are no event of their own: they fall in their folders' suites."""
    from checker.gate.formats import EventRun, relative_path

    def seconds(report: Report) -> float:
        timing = report.stats.get("seconds")
        return float(timing.get("total", 0.0)) if isinstance(timing, dict) else 0.0

    if event or not paths:
        return [EventRun(event or "store", seconds(reports[0]))] if reports else []
    runs = []
    for bundle, report in zip(group_bundles(paths), reports, strict=False):
        if len(bundle) == 1 and bundle[0].is_dir():
            runs.append(EventRun(relative_path(str(bundle[0].resolve()), root), seconds(report)))
    return runs


def _failed_bundle(bundle: Sequence[Path], exc: BaseException) -> Report:
    """A report holding one problem for a bundle whose check failed: the gate keeps the other
    folders' findings and outputs, names the folder in one ``error:`` line, and exits 2 even
    with ``--allow-input-problems`` (a folder that was never checked must not pass)."""
    from checker.report import Report
    from claims.records import InputProblem

    lines = str(exc).strip().splitlines()
    reason = f"{type(exc).__name__}: {lines[0]}"[:300] if lines else type(exc).__name__
    source = ", ".join(map(str, bundle))
    return Report(
        documents=[],
        findings=[],
        stats={"check_failed": True},
        problems=[InputProblem(source, f"check failed ({reason})")],
    )


def _print_problems(reports: Sequence[Report]) -> None:
    for report in reports:
        for doc in report.documents:
            for warning in doc.warnings:
                _echo(f"warning: {doc.source}: {warning}", err=True)
        for problem in report.problems:
            _echo(f"error: {problem}", err=True)


def _who() -> str:
    for name in ("CROSSCLAIM_WHO", "GITHUB_ACTOR"):
        if os.environ.get(name):
            return os.environ[name]
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return ""


def _write(path: Path, text: str, what: str) -> None:
    from checker.atomic import write_text_atomic

    try:
        write_text_atomic(path, text)
    except OSError as exc:
        raise _fail(f"{path}: cannot write {what} ({exc.strerror or exc})") from exc


def _append(path: Path, text: str) -> None:
    try:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(text + "\n")
    except OSError as exc:
        raise _fail(f"{path}: cannot append the job summary ({exc.strerror or exc})") from exc


Bundles = Annotated[
    list[Path] | None,
    typer.Argument(help="Event folders (each its own bundle) or article files."),
]
DbOpt = Annotated[str | None, typer.Option("--db", help="A review store (file or database URL).")]
EventOpt = Annotated[
    str | None, typer.Option("--event", help="Check this event of the --db store.")
]
RulesOpt = Annotated[
    Path | None, typer.Option("--rules", help="A rules file (see rules/rules.yaml).")
]
SettingsOpt = Annotated[Path | None, typer.Option("--settings", help="A settings YAML file.")]
NoNliOpt = Annotated[bool, typer.Option("--no-nli", help="Rule checks only.")]
CacheDirOpt = Annotated[
    Path,
    typer.Option("--cache-dir", envvar=CACHE_DIR_ENV, help="Cache of claims and NLI results."),
]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the cache.")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="Only errors on stderr.")]
VerboseOpt = Annotated[bool, typer.Option("--verbose", "-v", help="Log what each stage does.")]


def gate(
    bundle: Bundles = None,
    baseline: Annotated[
        Path | None,
        typer.Option(
            "--baseline", help="Accepted findings (JSON); default: the config's baseline."
        ),
    ] = None,
    db: DbOpt = None,
    event: EventOpt = None,
    fail_on: Annotated[
        FailOn | None,
        typer.Option(
            "--fail-on",
            help=f"Lowest verdict that fails the gate (default: the config's, else "
            f"{GATE_FAIL_ON.value}).",
        ),
    ] = None,
    min_severity: Annotated[
        Severity | None,
        typer.Option(
            "--min-severity",
            help=f"Lowest severity that fails the gate (default: the config's, else "
            f"{GATE_MIN_SEVERITY.value}).",
        ),
    ] = None,
    rules: RulesOpt = None,
    settings_file: SettingsOpt = None,
    no_nli: NoNliOpt = False,
    cache_dir: CacheDirOpt = DEFAULT_CACHE_DIR,
    no_cache: NoCacheOpt = False,
    junit: Annotated[Path | None, typer.Option("--junit", help="Write JUnit XML here.")] = None,
    sarif: Annotated[Path | None, typer.Option("--sarif", help="Write SARIF 2.1.0 here.")] = None,
    github_annotations: Annotated[
        bool,
        typer.Option("--github-annotations", help="Print GitHub workflow annotations to stdout."),
    ] = False,
    summary: Annotated[
        Path | None,
        typer.Option(
            "--summary",
            help="Write a Markdown summary here (default: append to $GITHUB_STEP_SUMMARY if set).",
        ),
    ] = None,
    allow_input_problems: Annotated[
        bool,
        typer.Option(
            "--allow-input-problems",
            help="Do not exit 2 when some files cannot be read (they are still reported).",
        ),
    ] = False,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
    color: ColorOpt = ColorChoice.auto,
) -> None:
    """Fail (exit 1) when the bundles have a new finding at or above the bar.

    New means not in the baseline. Exit 0: none; 1: at least one; 2: usage or input error.
    """
    from checker.cli.options import configure_logging
    from checker.gate import formats as ci_formats

    configure_logging(verbose, quiet)
    run = _run_config(
        rules,
        no_nli,
        settings_file,
        baseline=baseline,
        fail_on=fail_on.value if fail_on else None,
        min_severity=min_severity.value if min_severity else None,
    )
    known = Baseline()
    baseline_path = run.option("baseline")
    from_config = run.option_sources["baseline"] not in ("default", "flag --baseline")
    if baseline_path is not None and from_config and not Path(baseline_path).exists():
        from checker.cli.config import shown_path

        _echo(
            f"warning: {shown_path(Path(baseline_path))} (the baseline of "
            f"{shown_path(Path(run.option_sources['baseline']))}) does not exist; "
            "no finding is accepted",
            err=True,
        )
    elif baseline_path is not None:
        try:
            known = load_baseline(Path(baseline_path))
        except BaselineError as exc:
            raise _fail(str(exc)) from exc
    settings = run.settings
    bar = GateBar(run.option("fail-on"), run.option("min-severity"))
    reports = _run_bundles(bundle, settings, cache_dir, no_cache, db=db, event=event)
    if not quiet:
        _print_problems(reports)
    result = evaluate_gate(
        [f for r in reports for f in r.findings],
        known,
        bar,
        problems=[p for r in reports for p in r.problems],
        allow_input_problems=allow_input_problems,
        articles_read=sum(len(r.documents) for r in reports),
    )
    root = Path.cwd()
    if junit:
        events = _event_runs(bundle, event, reports, root)
        _write(junit, ci_formats.junit_xml(result, root=root, events=events), "JUnit XML")
    if sarif:
        texts = {
            d.source: r.articles[d.id] for r in reports for d in r.documents if d.id in r.articles
        }
        _write(sarif, ci_formats.sarif_json(result, root=root, texts=texts), "SARIF")
    markdown = ci_formats.markdown_summary(result)
    if summary:
        _write(summary, markdown, "the summary")
    elif os.environ.get("GITHUB_STEP_SUMMARY"):
        _append(Path(os.environ["GITHUB_STEP_SUMMARY"]), markdown)
    if github_annotations:
        for line in ci_formats.github_annotations(result, root=root):
            sys.stdout.write(line + "\n")
    out_color = use_color(color, sys.stdout)
    for f in result.failing:
        _finding_echo(f, "FAIL", root, out_color)
    if not quiet:
        for f in result.below_bar:
            _finding_echo(f, "new", root, out_color, " (below the bar)")
    if result.articles_read == 0:
        typer.echo("error: no article could be read", err=True)
    elif result.input_error:
        typer.echo(
            f"error: {len(result.problems)} input(s) could not be read "
            "(--allow-input-problems to gate anyway)",
            err=True,
        )
    err_color = use_color(color, sys.stderr)
    verdict = (
        styled("passed", err_color, fg="green", bold=True)
        if result.passed
        else styled("FAILED", err_color, fg="red", bold=True)
    )
    typer.echo(
        f"crossclaim gate: {verdict}: "
        f"{len(result.failing)} failing, {len(result.below_bar)} new below the bar, "
        f"{len(result.baselined)} in the baseline ({result.bar.describe()})",
        err=True,
        color=err_color,
    )
    if any(r.stats.get("check_failed") for r in reports):
        raise typer.Exit(EXIT_ERROR)
    raise typer.Exit(result.exit_code)


def baseline_command(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="The baseline file to write (default: the config's baseline)."
        ),
    ] = None,
    bundle: Bundles = None,
    db: Annotated[
        str | None,
        typer.Option("--db", help="Export the verdicts of this review store (no bundle needed)."),
    ] = None,
    event: EventOpt = None,
    who: Annotated[
        str | None, typer.Option("--who", help="Who accepts (default: $GITHUB_ACTOR or user).")
    ] = None,
    why: Annotated[str, typer.Option("--why", help="Why these findings are accepted.")] = "",
    status: Annotated[
        Status, typer.Option("--status", help="Status given to new entries.")
    ] = Status.accepted,
    prune: Annotated[
        bool, typer.Option("--prune", help="Drop entries whose finding no longer occurs.")
    ] = False,
    rules: RulesOpt = None,
    settings_file: SettingsOpt = None,
    no_nli: NoNliOpt = False,
    cache_dir: CacheDirOpt = DEFAULT_CACHE_DIR,
    no_cache: NoCacheOpt = False,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Record today's findings as accepted, so the gate stays quiet on them.

    An existing file is merged: its entries keep their status, who, when and why. With
    ``--db FILE`` and no bundle, the review store's verdicts are exported instead (confirmed
    findings as accepted, false alarms as dismissed).
    """
    from checker.cli.options import configure_logging

    configure_logging(verbose, quiet)
    run = _run_config(rules, no_nli, settings_file, baseline=output)
    if run.option("baseline") is None:
        raise _fail("give --output FILE, or set baseline in .crossclaim.toml / [tool.crossclaim]")
    from checker.cli.config import shown_path

    output = Path(shown_path(Path(run.option("baseline"))))
    if db and not bundle and not event:
        from checker.workspace.exports import export_baseline
        from checker.workspace.store import StoreError, database_url, display_url

        try:
            count = export_baseline(database_url(db), output)
        except (StoreError, OSError) as exc:
            raise _fail(str(exc)) from exc
        typer.echo(f"{output}: {count} reviewed finding(s) exported from {display_url(db)}")
        return
    existing = Baseline()
    if output.exists():
        try:
            existing = load_baseline(output)
        except BaselineError as exc:
            raise _fail(f"{exc} (not overwritten)") from exc
    reports = _run_bundles(bundle, run.settings, cache_dir, no_cache, db=db, event=event)
    if not quiet:
        _print_problems(reports)
    if not any(r.documents for r in reports):
        raise _fail("no article could be read; baseline not written")
    when = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    merged, added = merge_baseline(
        existing,
        [f for r in reports for f in r.findings],
        who=who if who is not None else _who(),
        when=when,
        why=why,
        status=status.value,
        prune=prune,
    )
    try:
        write_baseline(output, merged)
    except OSError as exc:
        raise _fail(f"{output}: cannot write baseline ({exc.strerror or exc})") from exc
    typer.echo(
        f"{output}: {added} new entr{'y' if added == 1 else 'ies'}, {len(merged.accepted)} in all"
    )
    if any(r.problems for r in reports):
        raise typer.Exit(EXIT_ERROR)


def register(app: typer.Typer) -> None:
    """Add ``gate`` and ``baseline`` to the crossclaim app."""
    app.command("gate")(gate)
    app.command("baseline")(baseline_command)
