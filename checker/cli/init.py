"""``crossclaim init``: set up a repository of articles for the gate.

Writes a starter ``.crossclaim.toml`` (the gate's bar and the baseline's path), an empty baseline
(``.crossclaim/baseline.json``) and a GitHub Actions workflow
(``.github/workflows/crossclaim.yml``, the packaged ``templates/crossclaim-gate.yml``, which is
also ``examples/ci/crossclaim-gate.yml``). Existing files are left alone unless ``--force``.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Annotated

import typer

EXIT_ERROR = 2
CONFIG_PATH = Path(".crossclaim.toml")
BASELINE_PATH = Path(".crossclaim/baseline.json")
WORKFLOW_PATH = Path(".github/workflows/crossclaim.yml")

STARTER_CONFIG = f"""\
# crossclaim's configuration. Paths are relative to this file's folder; a command-line flag
# overrides a value here. `crossclaim config` prints what is in effect and where each value
# comes from.

# Findings accepted or dismissed by the desk: `crossclaim baseline news/<event>` adds today's
# findings to it; then edit each entry's status (accepted | dismissed), who and why.
baseline = "{BASELINE_PATH.as_posix()}"

# The gate fails on a new finding at or above this verdict (contradiction | divergence) and
# severity (low | medium | high).
fail-on = "contradiction"
min-severity = "medium"

# Your own tolerances and severities, laid over the packaged rules/rules.yaml
# (`crossclaim explain CHECK` shows a check's parameters):
# rules = "crossclaim-rules.yaml"

# A settings YAML file (the fields of checker/settings.py):
# settings = "crossclaim-settings.yaml"

# Settings fields set here, over the settings file:
# [pipeline]
# use_nli = false
"""


def workflow_text() -> str:
    """The GitHub Actions workflow ``init`` writes (``examples/ci/crossclaim-gate.yml``)."""
    return (
        resources.files("checker.cli")
        .joinpath("templates", "crossclaim-gate.yml")
        .read_text(encoding="utf-8")
    )


def empty_baseline_text() -> str:
    """A baseline file with no entry, as ``crossclaim baseline`` writes one."""
    import json

    from checker.gate.baseline import Baseline

    return json.dumps(Baseline().to_dict(), indent=2, ensure_ascii=False) + "\n"


def starter_files() -> dict[Path, str]:
    """Each file ``init`` writes (relative to the folder) and its text."""
    return {
        CONFIG_PATH: STARTER_CONFIG,
        BASELINE_PATH: empty_baseline_text(),
        WORKFLOW_PATH: workflow_text(),
    }


def init_command(
    folder: Annotated[
        Path, typer.Argument(help="The repository to set up (default: here).")
    ] = Path("."),
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite files that already exist.")
    ] = False,
) -> None:
    """Write a starter .crossclaim.toml, an empty baseline and a GitHub Actions workflow."""
    from checker.atomic import write_text_atomic

    files = {folder / path: text for path, text in starter_files().items()}
    existing = [path for path in files if path.exists()]
    if existing and not force:
        names = ", ".join(str(p) for p in existing)
        typer.echo(f"error: {names}: already there (--force overwrites)", err=True)
        raise typer.Exit(EXIT_ERROR)
    for path, text in files.items():
        try:
            write_text_atomic(path, text)
        except OSError as exc:
            typer.echo(f"error: {path}: cannot write ({exc.strerror or exc})", err=True)
            raise typer.Exit(EXIT_ERROR) from exc
        typer.echo(f"wrote {path}")
    typer.echo(
        "next: put each event's articles in news/<event>/, run `crossclaim gate news/*`, and "
        "tell the workflow where to install crossclaim from (see its first lines)"
    )


def register(app: typer.Typer) -> None:
    """Add ``init`` to the crossclaim app."""
    app.command("init")(init_command)
