"""``crossclaim explain CHECK``: what a check fires on, what it leaves alone, and its parameters
with the values in effect here (the packaged ``rules/rules.yaml`` with the configured or given
rules file laid over it, ``rules.registry.load_rule_configs``).

The text is the check's module docstring (the rule's own documentation, as SARIF's rule help
also shows it: ``checker.gate.formats.check_documentation``); each parameter's note
is the comment above it in the packaged rules file. ``explain nli`` describes the NLI model's
check, whose numbers are settings (``checker/settings.py``), not rule parameters.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import Annotated, Any

import typer

EXIT_ERROR = 2
NLI_CHECK = "nli"
#: the Settings fields of the NLI check, shown by ``explain nli``.
NLI_SETTINGS = (
    "use_nli",
    "nli_model",
    "nli_backend",
    "nli_contradiction_threshold",
    "nli_policy",
    "nli_min_similarity",
    "nli_severity",
    "title_checks",
)
_KEY = re.compile(r"^    ([A-Za-z_][\w-]*):")
_SECTION = re.compile(r"^([A-Za-z_][\w-]*):\s*$")


def param_notes(rules_yaml: str) -> dict[str, dict[str, str]]:
    """Each check's parameters' notes: the comment lines right above each ``params`` key.

    >>> notes = param_notes("numeric:\\n  params:\\n    # slack on every value.\\n"
    ...                     "    rel_tolerance: 0.02\\n")
    >>> notes["numeric"]["rel_tolerance"]
    'slack on every value.'
    """
    notes: dict[str, dict[str, str]] = {}
    section = ""
    comment: list[str] = []
    for line in rules_yaml.splitlines():
        top = _SECTION.match(line)
        if top:
            section, comment = top.group(1), []
            continue
        stripped = line.strip()
        if stripped.startswith("#") and line.startswith("    #") and not line.startswith("     "):
            comment.append(stripped.lstrip("#").strip())
            continue
        key = _KEY.match(line)
        if key and section:
            if comment:
                notes.setdefault(section, {})[key.group(1)] = " ".join(comment)
            comment = []
        elif not line.startswith("     "):
            comment = []
    return notes


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        shown = ", ".join(_value(v) for v in value[:8])
        return f"[{shown}{', ...' if len(value) > 8 else ''}]"
    return str(value)


def _user_params(path: str, check: str) -> set[str]:
    """The parameters a user's rules file sets for ``check``."""
    import yaml

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return set()
    section = data.get(check) if isinstance(data, dict) else None
    params = section.get("params") if isinstance(section, dict) else None
    return set(params) if isinstance(params, dict) else set()


def explain_rule(check: str, rules_file: str) -> list[str]:
    """The lines ``explain`` prints for a rule check."""
    from checker.gate.formats import check_documentation
    from rules.registry import load_rule_configs, packaged_rules_file

    config = load_rule_configs(rules_file or None)[check]
    packaged = packaged_rules_file()
    notes = param_notes(packaged.read_text(encoding="utf-8")).get(check, {})
    mine = _user_params(rules_file, check) if rules_file else set()
    params = dict(config.params)
    verdict = params.pop("verdict", None)
    state = "enabled" if config.enabled else "disabled"
    where = "the packaged rules/rules.yaml" + (f" + {rules_file}" if rules_file else "")
    lines = [
        f"{check}: {state}, severity {config.severity}"
        + (f", verdict {verdict}" if verdict else ""),
        f"rules: {where}",
        "",
        check_documentation(check),
        "",
        "Parameters (value in effect; the packaged note):",
    ]
    for name, value in params.items():
        source = f"  [{rules_file}]" if name in mine else ""
        lines.append(f"  {name} = {_value(value)}{source}")
        if name in notes:
            lines += textwrap.wrap(
                notes[name], width=96, initial_indent="      ", subsequent_indent="      "
            )
    return lines


def explain_nli(settings: Any, sources: dict[str, str]) -> list[str]:
    """The lines ``explain nli`` prints: the comparator's documentation and its settings."""
    import inspect

    from checker.compare import nli_finding
    from checker.gate.formats import check_documentation, documentation

    lines = [
        f"{NLI_CHECK}: {'enabled' if settings.use_nli else 'disabled'}, severity "
        f"{settings.nli_severity}, verdict contradiction",
        "",
        check_documentation(NLI_CHECK),
        "",
        documentation(nli_finding.__doc__),
        "",
        "Settings (value in effect; where it comes from):",
    ]
    notes = field_notes(inspect.getsource(type(settings)))
    for name in NLI_SETTINGS:
        lines.append(f"  {name} = {_value(getattr(settings, name))}  ({sources.get(name)})")
        if name in notes:
            lines += textwrap.wrap(
                notes[name], width=96, initial_indent="      ", subsequent_indent="      "
            )
    return lines


def field_notes(source: str) -> dict[str, str]:
    r"""The ``#:`` comments above each field of a dataclass's source.

    >>> field_notes("class S:\n    #: the bar.\n    #: (high)\n    bar: float = 0.5\n")
    {'bar': 'the bar. (high)'}
    """
    notes: dict[str, str] = {}
    comment: list[str] = []
    for line in source.splitlines():
        stripped = line.strip()
        if stripped.startswith("#:"):
            comment.append(stripped[2:].strip())
            continue
        match = re.match(r"^\s+(\w+):", line)
        if match and comment:
            notes[match.group(1)] = " ".join(comment)
        comment = []
    return notes


def explain_command(
    check: Annotated[str, typer.Argument(help="A check: temporal, numeric, ... or nli.")],
    rules: Annotated[
        Path | None, typer.Option("--rules", help="A rules file (see rules/rules.yaml).")
    ] = None,
    settings_file: Annotated[
        Path | None, typer.Option("--settings", help="A settings YAML file.")
    ] = None,
) -> None:
    """Explain a check: what it fires on, what it leaves alone, and its parameters' values."""
    from checker.cli.config import config_or_exit
    from rules.registry import RULES

    run = config_or_exit({"rules": rules, "settings": settings_file})
    known = [*RULES, NLI_CHECK]
    if check not in known:
        typer.echo(f"error: no check {check!r} (known: {', '.join(known)})", err=True)
        raise typer.Exit(EXIT_ERROR)
    if check == NLI_CHECK:
        lines = explain_nli(run.settings, run.settings_sources)
    else:
        try:
            lines = explain_rule(check, run.settings.rules_file)
        except ValueError as exc:  # a rules file that cannot be read: one line
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(EXIT_ERROR) from exc
    for line in lines:
        typer.echo(line)


def register(app: typer.Typer) -> None:
    """Add ``explain`` to the crossclaim app."""
    app.command("explain")(explain_command)
