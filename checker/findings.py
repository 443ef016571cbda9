"""Findings: what the report shows an editor, with the evidence for each.

A finding's ``fingerprint`` depends only on what the two sentences say, which check fired and the
values that disagree — not on file names, input order or run — so a gate baseline keeps matching
after articles are re-ordered or re-ingested.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from rules.base import Severity, Verdict

#: rank of each severity and verdict by name, for sorting (from the enums in ``rules.base``).
SEVERITY_RANK = {s.value: s.rank for s in Severity}
VERDICT_RANK = {v.value: v.rank for v in Verdict}


@dataclass(frozen=True)
class Side:
    """One side of a finding: where the claim stands and what differs in it."""

    outlet: str
    article: str
    source: str
    text: str
    start: int
    end: int
    spans: list[dict[str, Any]] = field(default_factory=list)  # {"start", "end", "text"}
    value: str = ""
    claim_id: str = ""
    line: int = 0  # line in ``source`` where the sentence starts (1-based)
    #: the claim's kind: title | bullet | body. A ``title`` side taken from the article's title
    #: has ``start``/``end`` (and its spans) as offsets into the title, not the text.
    kind: str = "body"


@dataclass
class Finding:
    """A discrepancy between two aligned claims."""

    verdict: str
    check: str
    severity: str
    confidence: float
    explanation: str
    a: Side
    b: Side
    cluster: str = ""
    nli: dict[str, float] | None = None
    fingerprint: str = ""
    #: set by the consensus comparison (``checker/consensus.py``) only: the slot and check, the
    #: departing value (``value``) against the consensus value, and which outlets agree with the
    #: consensus (``agree_with_consensus``), which give this finding's departing value too
    #: (``agree_with_this``), which give other values (``other_values``) and which do not give
    #: the slot (``silent``). ``None`` (left out of :meth:`to_dict`) on all-pairs findings.
    consensus: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        if self.consensus is None:
            del out["consensus"]  # all-pairs reports keep their exact shape
        return out


_SPACE = re.compile(r"\s+")


def normalise_for_fingerprint(text: str) -> str:
    """Lower-case, fold curly quotes and collapse whitespace.

    >>> normalise_for_fingerprint("  He said “no”.\\n")
    'he said "no".'
    """
    text = text.replace("\u201c", '"').replace("\u201d", '"')
    text = text.replace("\u2018", "'").replace("\u2019", "'")
    return _SPACE.sub(" ", text).strip().lower()


def fingerprint(check: str, a: Side, b: Side) -> str:
    """A stable id for a finding: same check, same two statements, same values -> same id.

    The two sides are put in a canonical order first, so swapping them gives the same id.

    >>> s1 = Side("X", "x", "x.md", "On Tuesday.", 0, 11, value="2021-12-14")
    >>> s2 = Side("Y", "y", "y.md", "On Wednesday.", 0, 13, value="2021-12-15")
    >>> fingerprint("temporal", s1, s2) == fingerprint("temporal", s2, s1)
    True
    """
    parts = sorted(
        f"{normalise_for_fingerprint(s.outlet)}\x1f{normalise_for_fingerprint(s.text)}\x1f{s.value}"
        for s in (a, b)
    )
    digest = hashlib.sha256("\x1e".join([check, *parts]).encode("utf-8")).hexdigest()
    return digest[:16]


def canonical_sides(a: Side, b: Side) -> tuple[Side, Side, bool]:
    """Order two sides by (outlet, text); the flag says whether they were swapped."""
    key_a = (normalise_for_fingerprint(a.outlet), normalise_for_fingerprint(a.text))
    key_b = (normalise_for_fingerprint(b.outlet), normalise_for_fingerprint(b.text))
    if key_b < key_a:
        return b, a, True
    return a, b, False
