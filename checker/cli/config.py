"""The configuration a command runs with, and ``crossclaim config``, which prints it.

Each value comes from the first of: a command-line flag; the nearest configuration file (a
``.crossclaim.toml``, or ``[tool.crossclaim]`` in a ``pyproject.toml``, found from the working
directory up: ``checker.settings.find_config``); the settings YAML file (pipeline fields only);
the default. ``crossclaim config`` prints every value with where it came from.

A configuration file::

    [tool.crossclaim]                 # in pyproject.toml; in .crossclaim.toml, no header
    baseline = ".crossclaim/baseline.json"
    fail-on = "contradiction"         # contradiction | divergence
    min-severity = "medium"           # low | medium | high
    rules = "crossclaim-rules.yaml"   # laid over the packaged rules/rules.yaml
    settings = "crossclaim.yaml"      # a settings YAML file

    [tool.crossclaim.pipeline]        # Settings fields, laid over the settings file
    align_min_similarity = 0.65
    use_nli = false
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Annotated, Any

import typer

from checker.gate.decide import DEFAULT_FAIL_ON, DEFAULT_MIN_SEVERITY
from checker.settings import (
    ConfigError,
    EventSettings,
    ProjectConfig,
    Settings,
    discover_config,
    load_settings,
)
from rules.base import Severity, Verdict

DEFAULT = "default"
#: the options a configuration file may set, with their defaults (None: unset).
OPTION_DEFAULTS: dict[str, Any] = {
    "baseline": None,
    "fail-on": DEFAULT_FAIL_ON,
    "min-severity": DEFAULT_MIN_SEVERITY,
    "rules": None,
    "settings": None,
}


class FlagError(ValueError):
    """A flag whose value Settings refuses (``--nli-backend bert``)."""

    def __init__(self, flag: str, message: str) -> None:
        super().__init__(message)
        self.flag = flag


@dataclass
class RunConfig:
    """What a command runs with, and where each value came from (``default``, a file's path,
    or ``flag --name``)."""

    config: ProjectConfig | None
    options: dict[str, Any]
    option_sources: dict[str, str]
    settings: Settings
    settings_sources: dict[str, str] = field(default_factory=dict)

    def option(self, name: str) -> Any:
        return self.options[name]


def shown_path(path: Path) -> str:
    """A path relative to the working directory when it lies inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def _yaml_keys(path: Path) -> set[str]:
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return set()
    return set(data) if isinstance(data, dict) else set()


def resolve_config(
    flags: Mapping[str, Any] | None = None,
    setting_flags: Mapping[str, tuple[str, Any]] | None = None,
    *,
    start: Path | None = None,
) -> RunConfig:
    """The options and settings a command runs with.

    ``flags`` maps an option (``baseline``, ``fail-on``, ``min-severity``, ``rules``,
    ``settings``) to the flag's value, None when not given; ``setting_flags`` maps a Settings
    field to (flag, value) for flags that set one (``use_nli``: ("--no-nli", False)), value None
    when not given. Raises ConfigError (one line) for a bad configuration file, and ValueError
    for a settings file that cannot be read.
    """
    config = discover_config(start)
    where = str(config.path) if config else ""
    options: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for name, default in OPTION_DEFAULTS.items():
        flag = (flags or {}).get(name)
        if flag is not None:
            options[name], sources[name] = flag, f"flag --{name}"
        elif config is not None and name in config.values:
            options[name], sources[name] = config.values[name], where
        else:
            options[name], sources[name] = default, DEFAULT

    settings_file = options["settings"]
    try:
        settings = load_settings(settings_file)
    except (OSError, ValueError) as exc:
        if sources["settings"] == where and config is not None:
            reason = getattr(exc, "strerror", None) or exc
            raise ConfigError(f"{where}: settings {settings_file}: {reason}") from exc
        raise
    settings_sources = {f.name: DEFAULT for f in fields(Settings)}
    if settings_file is not None:
        for key in _yaml_keys(Path(settings_file)) & set(settings_sources):
            settings_sources[key] = str(settings_file)
    if config is not None and config.pipeline:
        pipeline = dict(config.pipeline)
        if "events" in pipeline:
            pipeline["events"] = replace(settings.events, **pipeline["events"])
        try:
            settings = replace(settings, **pipeline)
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"{where}: pipeline: {exc}") from exc
        for key in pipeline:
            settings_sources[key] = where
    if options["rules"] is not None:
        settings = replace(settings, rules_file=str(options["rules"]))
        settings_sources["rules_file"] = sources["rules"]
    for name, (flag, value) in (setting_flags or {}).items():
        if value is not None:
            try:
                settings = replace(settings, **{name: value})
            except ValueError as exc:
                raise FlagError(flag, str(exc)) from exc
            settings_sources[name] = f"flag {flag}"
    return RunConfig(config, options, sources, settings, settings_sources)


def config_or_exit(
    flags: Mapping[str, Any] | None = None,
    setting_flags: Mapping[str, tuple[str, Any]] | None = None,
) -> RunConfig:
    """:func:`resolve_config`, with a bad configuration file as one ``error:`` line and exit 2
    (a bad ``--settings`` file is a usage error of that flag)."""
    try:
        return resolve_config(flags, setting_flags)
    except ConfigError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    except FlagError as exc:
        raise typer.BadParameter(str(exc), param_hint=exc.flag) from exc
    except (OSError, ValueError) as exc:
        raise typer.BadParameter(str(exc), param_hint="--settings") from exc


def describe(run: RunConfig) -> list[str]:
    """The lines ``crossclaim config`` prints: the file, then each value and its source."""

    def source(text: str) -> str:
        return text if text == DEFAULT or text.startswith("flag ") else shown_path(Path(text))

    def value(item: Any) -> str:
        if isinstance(item, Path):
            return shown_path(item)
        if item is None:
            return "-"
        if isinstance(item, bool):
            return "true" if item else "false"
        if isinstance(item, tuple):
            return "[" + ", ".join(repr(v) for v in item) + "]"
        return str(item) if item != "" else '""'

    rows: list[tuple[str, str, str]] = [
        (name, value(run.options[name]), source(run.option_sources[name]))
        for name in OPTION_DEFAULTS
    ]
    for f in fields(Settings):
        item = getattr(run.settings, f.name)
        src = source(run.settings_sources.get(f.name, DEFAULT))
        if isinstance(item, EventSettings):
            rows += [
                (f"pipeline.events.{e.name}", value(getattr(item, e.name)), src)
                for e in fields(EventSettings)
            ]
        else:
            rows.append((f"pipeline.{f.name}", value(item), src))
    width = max(len(name) for name, _, _ in rows)
    value_width = min(40, max(len(v) for _, v, _ in rows))
    head = f"config file: {shown_path(run.config.path) if run.config else 'none (defaults)'}"
    return [head] + [f"{name:<{width}}  {item:<{value_width}}  ({src})" for name, item, src in rows]


def config_command(
    baseline: Annotated[
        Path | None, typer.Option("--baseline", help="As the gate's --baseline.")
    ] = None,
    fail_on: Annotated[Verdict | None, typer.Option("--fail-on", help="As the gate's.")] = None,
    min_severity: Annotated[
        Severity | None, typer.Option("--min-severity", help="As the gate's.")
    ] = None,
    rules: Annotated[Path | None, typer.Option("--rules", help="A rules file.")] = None,
    settings_file: Annotated[
        Path | None, typer.Option("--settings", help="A settings YAML file.")
    ] = None,
    no_nli: Annotated[bool, typer.Option("--no-nli", help="Rule checks only.")] = False,
) -> None:
    """Print the configuration commands run with here, and where each value comes from
    (default, a configuration file, or a flag)."""
    run = config_or_exit(
        {
            "baseline": baseline,
            "fail-on": fail_on.value if fail_on else None,
            "min-severity": min_severity.value if min_severity else None,
            "rules": rules,
            "settings": settings_file,
        },
        {"use_nli": ("--no-nli", False if no_nli else None)},
    )
    for line in describe(run):
        typer.echo(line)


def register(app: typer.Typer) -> None:
    """Add ``config`` to the crossclaim app."""
    app.command("config")(config_command)
