"""The rule checks by name, their settings from the rules file, and running them on a pair.

>>> configs = load_rule_configs()
>>> sorted(configs) == sorted(RULES)
True
"""

from __future__ import annotations

import functools
import logging
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from claims.records import Claim
from rules.attribution import check_attribution
from rules.base import SEVERITIES, VERDICTS, RuleConfig, RuleFunction, RuleHit
from rules.entities import check_entity_role
from rules.negation import check_negation
from rules.numeric import check_numeric
from rules.place import check_place
from rules.quotes import check_quote
from rules.temporal import check_temporal

log = logging.getLogger(__name__)

RULES: dict[str, RuleFunction] = {
    "temporal": check_temporal,
    "numeric": check_numeric,
    "negation": check_negation,
    "place": check_place,
    "entity_role": check_entity_role,
    "attribution": check_attribution,
    "quote": check_quote,
}
_SECTION_KEYS = {"enabled", "severity", "verdict", "params"}


def packaged_rules_file() -> Path:
    """The rules file shipped with the package."""
    return Path(str(resources.files("rules").joinpath("rules.yaml")))


def _section(source: str, name: str, data: Any) -> RuleConfig:
    if not isinstance(data, dict):
        raise ValueError(f"{source}: '{name}' must be a mapping (enabled, severity, params)")
    unknown = sorted(set(data) - _SECTION_KEYS)
    if unknown:
        raise ValueError(f"{source}: '{name}' has unknown key(s): {', '.join(unknown)}")
    enabled = data.get("enabled", True)
    if not isinstance(enabled, bool):
        raise ValueError(f"{source}: '{name}.enabled' must be true or false")
    severity = data.get("severity", "high")
    if severity not in SEVERITIES:
        raise ValueError(f"{source}: '{name}.severity' must be one of {', '.join(SEVERITIES)}")
    params = data.get("params") or {}
    if not isinstance(params, dict):
        raise ValueError(f"{source}: '{name}.params' must be a mapping")
    verdict = data.get("verdict")
    if verdict is not None:
        if verdict not in VERDICTS:
            raise ValueError(f"{source}: '{name}.verdict' must be one of {', '.join(VERDICTS)}")
        params = {**params, "verdict": verdict}
    return RuleConfig(enabled=enabled, severity=severity, params=params, check=name)


def _read_rules_file(file: Path) -> dict[str, Any]:
    """The raw mapping of a rules file; ValueError (one line, naming the file) when unreadable."""
    source = str(file)
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(f"{source}: rules file not found") from None
    except UnicodeDecodeError:
        raise ValueError(f"{source}: rules file is not UTF-8 text") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise ValueError(f"{source}: not valid YAML{where}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ValueError(f"{source}: rules file must be a mapping of check name to settings")
    unknown = sorted(set(data) - set(RULES))
    if unknown:
        raise ValueError(
            f"{source}: unknown check(s): {', '.join(map(str, unknown))} "
            f"(known: {', '.join(RULES)})"
        )
    return data


def merge_rules(packaged: dict[str, Any], user: dict[str, Any], source: str) -> dict[str, Any]:
    """The user's rules file laid over the packaged one, section by section and param by param.

    A check or setting the user's file leaves out keeps the packaged value (not a default in
    code); a parameter the packaged file does not have is refused, since a misspelt name would
    otherwise be ignored.

    >>> packaged = {"numeric": {"severity": "high", "params": {"tolerance": 0.02, "x": 1}}}
    >>> merge_rules(packaged, {"numeric": {"params": {"x": 2}}}, "mine.yaml")
    {'numeric': {'severity': 'high', 'params': {'tolerance': 0.02, 'x': 2}}}
    >>> merge_rules(packaged, {"numeric": {"params": {"tol": 0}}}, "my.yaml")
    Traceback (most recent call last):
    ...
    ValueError: my.yaml: 'numeric.params.tol' is not a parameter of numeric (known: tolerance, x)
    """
    merged = {name: dict(section or {}) for name, section in packaged.items()}
    for name, section in user.items():
        if section is None:
            continue
        if not isinstance(section, dict):
            raise ValueError(f"{source}: '{name}' must be a mapping (enabled, severity, params)")
        base = merged.setdefault(name, {})
        known = dict(base.get("params") or {})
        params = section.get("params") or {}
        if not isinstance(params, dict):
            raise ValueError(f"{source}: '{name}.params' must be a mapping")
        unknown = sorted(set(params) - set(known))
        if unknown:
            raise ValueError(
                f"{source}: '{name}.params.{unknown[0]}' is not a parameter of {name} "
                f"(known: {', '.join(sorted(known))})"
            )
        base.update({k: v for k, v in section.items() if k != "params"})
        if known or params:
            base["params"] = {**known, **params}
    return merged


def load_rule_configs(path: str | Path | None = None) -> dict[str, RuleConfig]:
    """Read each check's settings: the packaged ``rules/rules.yaml``, with ``path`` laid over it.

    A user's file needs only the settings it changes (:func:`merge_rules`). A bad file raises
    ValueError with a one-line message naming the file and the key.
    """
    packaged_file = packaged_rules_file()
    data = _read_rules_file(packaged_file)
    source = str(packaged_file)
    if path is not None and Path(path).resolve() != packaged_file.resolve():
        source = str(path)
        data = merge_rules(data, _read_rules_file(Path(path)), source)
    return {name: _section(source, name, data.get(name, {})) for name in RULES}


@functools.lru_cache(maxsize=1)
def _packaged_configs() -> dict[str, RuleConfig]:
    """The packaged settings of every check, read once."""
    return load_rule_configs()


def run_rules(
    a: Claim,
    b: Claim,
    configs: dict[str, RuleConfig],
) -> list[RuleHit]:
    """Run every enabled check on a pair of aligned claims.

    A check that ``configs`` leaves out runs with its packaged settings. A check that fails on
    odd input is logged and skipped, so one bad pair never loses the other checks' results.
    """
    hits: list[RuleHit] = []
    for name, rule in RULES.items():
        config = configs[name] if name in configs else _packaged_configs()[name]
        if not config.enabled:
            continue
        try:
            hits.extend(rule(a, b, config))
        except Exception:  # noqa: BLE001 - keep the other checks' results
            log.exception("check %s failed on claims %s / %s", name, a.id, b.id)
    return hits
