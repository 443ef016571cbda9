"""Gate baselines: findings a person has accepted or dismissed, so the gate stays quiet on them.

A baseline is a JSON file (schema ``crossclaim.baseline/v1``) listing findings by fingerprint,
with enough context (check, outlets, the two sentences) for a person to recognise each one, and
``who``/``when``/``why`` fields they can edit. ``status`` is ``accepted`` (known, tolerated) or
``dismissed`` (judged not a real discrepancy); both keep the finding out of the gate's "new" set.
Fingerprints do not depend on file names or input order (:mod:`checker.findings`), so entries keep
matching after articles are renamed, re-ordered or re-ingested.

>>> import tempfile
>>> path = Path(tempfile.mkdtemp()) / "baseline.json"
>>> write_baseline(path, Baseline([]))
>>> load_baseline(path).accepted
[]
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from checker.atomic import write_text_atomic
from checker.findings import Finding

SCHEMA = "crossclaim.baseline/v1"
STATUSES = ("accepted", "dismissed")
#: a baseline larger than this is refused (tens of thousands of entries take a few MB).
MAX_BASELINE_BYTES = 50_000_000


class BaselineError(Exception):
    """A baseline file that cannot be used; the message is one line naming the file."""


@dataclass
class BaselineEntry:
    """One accepted or dismissed finding."""

    fingerprint: str
    check: str
    verdict: str
    a_outlet: str
    b_outlet: str
    a_text: str
    b_text: str
    status: str = "accepted"
    who: str = ""
    when: str = ""  # ISO 8601, UTC
    why: str = ""


@dataclass
class Baseline:
    """The entries of a baseline file, in file order."""

    accepted: list[BaselineEntry] = field(default_factory=list)

    def by_fingerprint(self) -> dict[str, BaselineEntry]:
        """Entries keyed by fingerprint (the last one wins if a file repeats one)."""
        return {e.fingerprint: e for e in self.accepted}

    def to_dict(self) -> dict[str, Any]:
        return {"schema": SCHEMA, "accepted": [asdict(e) for e in self.accepted]}


def entry_for(
    finding: Finding, *, who: str, when: str, why: str, status: str = "accepted"
) -> BaselineEntry:
    """A baseline entry recording ``finding`` as accepted (or dismissed) by ``who``.

    >>> from checker.findings import Side
    >>> f = Finding("contradiction", "temporal", "high", 0.9, "Wed vs Tue",
    ...             Side("AP", "ap", "ap.md", "On Wednesday.", 0, 13),
    ...             Side("BI", "bi", "bi.md", "On Tuesday.", 0, 11), fingerprint="ab12")
    >>> entry_for(f, who="ed", when="2021-12-16T00:00:00Z", why="known").b_outlet
    'BI'
    """
    if status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
    return BaselineEntry(
        fingerprint=finding.fingerprint,
        check=finding.check,
        verdict=finding.verdict,
        a_outlet=finding.a.outlet,
        b_outlet=finding.b.outlet,
        a_text=finding.a.text,
        b_text=finding.b.text,
        status=status,
        who=who,
        when=when,
        why=why,
    )


def merge_baseline(
    existing: Baseline,
    findings: Iterable[Finding],
    *,
    who: str,
    when: str,
    why: str,
    status: str = "accepted",
    prune: bool = False,
) -> tuple[Baseline, int]:
    """Add today's findings to ``existing``; return the new baseline and how many were added.

    Entries already present keep their status and their who/when/why (a person's edits are never
    overwritten). A finding that groups near-identical ones is already present when an entry has
    any of its fingerprints (:meth:`~checker.findings.Finding.fingerprints`). With ``prune``,
    entries whose finding no longer occurs (under any of those fingerprints) are dropped.

    >>> from checker.findings import Side
    >>> s = Side("AP", "ap", "ap.md", "On Wednesday.", 0, 13)
    >>> f = Finding("contradiction", "temporal", "high", 0.9, "", s, s, fingerprint="ab12")
    >>> old = Baseline([entry_for(f, who="ana", when="", why="known", status="dismissed")])
    >>> merged, added = merge_baseline(old, [f], who="bot", when="", why="")
    >>> added, merged.accepted[0].who, merged.accepted[0].status
    (0, 'ana', 'dismissed')
    """
    current = {f.fingerprint: f for f in findings}
    occurring = {p for f in current.values() for p in f.fingerprints()}
    kept = [e for e in existing.accepted if not prune or e.fingerprint in occurring]
    known = {e.fingerprint for e in kept}
    added = [
        entry_for(f, who=who, when=when, why=why, status=status)
        for fp, f in sorted(current.items())
        if not known.intersection(f.fingerprints())
    ]
    return Baseline(kept + added), len(added)


def _entry_from_dict(data: Any, where: str) -> BaselineEntry:
    if not isinstance(data, dict):
        raise BaselineError(f"{where}: expected an object")
    names = [f.name for f in fields(BaselineEntry)]
    required = names[:7]
    missing = [n for n in required if n not in data]
    if missing:
        raise BaselineError(f"{where}: missing field(s) {', '.join(missing)}")
    values = {n: data.get(n, "") for n in names}
    for name, value in values.items():
        if not isinstance(value, str):
            raise BaselineError(f"{where}: field {name} must be a string")
    if values["status"] == "":
        values["status"] = "accepted"
    if values["status"] not in STATUSES:
        raise BaselineError(
            f"{where}: status must be one of {', '.join(STATUSES)}, not {values['status']!r}"
        )
    return BaselineEntry(**values)


def load_baseline(path: Path) -> Baseline:
    """Read a baseline file; any problem raises :class:`BaselineError` with a one-line message."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_BASELINE_BYTES:
            raise BaselineError(f"{path}: baseline larger than {MAX_BASELINE_BYTES} bytes")
        raw = path.read_bytes()
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read baseline ({exc.strerror or exc})") from exc
    if not raw.strip():
        raise BaselineError(f"{path}: baseline is empty")
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise BaselineError(f"{path}: baseline is not UTF-8 text") from exc
    except json.JSONDecodeError as exc:
        raise BaselineError(
            f"{path}: baseline is not valid JSON (line {exc.lineno}, column {exc.colno})"
        ) from exc
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise BaselineError(f"{path}: not a crossclaim baseline (expected schema {SCHEMA!r})")
    items = data.get("accepted")
    if not isinstance(items, list):
        raise BaselineError(f"{path}: 'accepted' must be a list")
    return Baseline(
        [_entry_from_dict(item, f"{path}: accepted[{i}]") for i, item in enumerate(items)]
    )


def write_baseline(path: Path, baseline: Baseline) -> None:
    """Write a baseline file atomically (stable key order, one entry per object, UTF-8)."""
    write_text_atomic(path, json.dumps(baseline.to_dict(), indent=2, ensure_ascii=False) + "\n")
