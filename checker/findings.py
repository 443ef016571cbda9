"""Findings: what the report shows an editor, with the evidence for each.

A finding's ``fingerprint`` depends only on what the two sentences say, which check fired and the
values that disagree — not on file names, input order or run — so a gate baseline keeps matching
after articles are re-ordered or re-ingested.

An outlet that says the same thing twice (a summary bullet and the body sentence it sums up) gives
two findings against the same sentence of the other outlet. :func:`group_near_identical` folds
such near-identical findings into one: the first in report order stays, with its own fingerprint,
and lists the other places in ``also_at`` (each with the fingerprint of the finding it stood for,
so a baseline entry or a review of that finding still matches the group).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
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


@dataclass(frozen=True)
class Place:
    """Another place where one side of a grouped finding is said (:func:`group_near_identical`).

    ``side`` is the side of the primary finding it stands beside (``a`` or ``b``); ``path``,
    ``line`` and ``kind`` locate the sentence as a :class:`Side`'s ``source``, ``line`` and
    ``kind`` do (``article``, ``start`` and ``end`` are its offsets in the article's text), and
    ``fingerprint`` is the fingerprint of the finding that was grouped away, which baselines and
    reviews written before grouping name.
    """

    side: str
    outlet: str
    path: str
    line: int
    kind: str
    text: str
    fingerprint: str
    article: str = ""
    start: int = 0
    end: int = 0

    def as_side(self) -> Side:
        """The place as a :class:`Side` without differing spans or value (for code that lays
        out or links sides)."""
        return Side(
            self.outlet,
            self.article,
            self.path,
            self.text,
            self.start,
            self.end,
            line=self.line,
            kind=self.kind,
        )


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
    #: the other places of near-identical findings grouped under this one (an outlet saying the
    #: same thing in a summary bullet and in the body); empty, and left out of :meth:`to_dict`,
    #: when nothing was grouped. Set by :func:`group_near_identical` only.
    also_at: list[Place] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        if self.consensus is None:
            del out["consensus"]  # all-pairs reports keep their exact shape
        if not self.also_at:
            del out["also_at"]  # so do reports where nothing was grouped
        return out

    def fingerprints(self) -> list[str]:
        """This finding's fingerprint, then those of the findings grouped under it (once each):
        a baseline entry or a review of any of them stands for the group.

        >>> s = Side("X", "x", "x.md", "t", 0, 1)
        >>> f = Finding("contradiction", "temporal", "high", 0.9, "", s, s, fingerprint="f1",
        ...             also_at=[Place("a", "X", "x.md", 4, "body", "t", "f2")])
        >>> f.fingerprints()
        ['f1', 'f2']
        """
        return list(dict.fromkeys([self.fingerprint, *(p.fingerprint for p in self.also_at)]))

    def places(self) -> list[Place]:
        """:attr:`also_at` with each place once (two grouped findings can share a place), in
        order: the places beside side ``a`` first, then by file and line."""
        seen: dict[tuple[str, str, int, int], Place] = {}
        for place in self.also_at:
            seen.setdefault((place.side, place.path, place.line, place.start), place)
        return sorted(seen.values(), key=lambda p: (p.side, p.path, p.line, p.start))


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


def report_order(finding: Finding) -> tuple[int, int, float, str]:
    """The key findings are listed by: most serious verdict, severity and confidence first, then
    fingerprint for stability."""
    return (
        -VERDICT_RANK.get(finding.verdict, 0),
        -SEVERITY_RANK.get(finding.severity, 0),
        -finding.confidence,
        finding.fingerprint,
    )


def _value_key(side: Side) -> str:
    """What differs on a side: its value, else its differing words (normalised)."""
    if side.value:
        return "value\x1f" + normalise_for_fingerprint(side.value)
    words = (normalise_for_fingerprint(str(span.get("text", ""))) for span in side.spans)
    return "words\x1f" + "\x1f".join(words)


def _side_key(side: Side) -> tuple[str, str]:
    return normalise_for_fingerprint(side.outlet), _value_key(side)


def _group_key(finding: Finding) -> tuple[str, str, tuple[tuple[str, str], ...]]:
    """Findings that may be grouped share this key: check, verdict, and each side's outlet and
    differing value (in canonical order, so a swapped pair has the same key)."""
    sides = tuple(sorted((_side_key(finding.a), _side_key(finding.b))))
    return finding.check, finding.verdict, sides


def _same_place(x: Side, y: Side) -> bool:
    if x.claim_id and x.claim_id == y.claim_id:
        return True
    return (x.source, x.article, x.start, x.end) == (y.source, y.article, y.start, y.end)


def _near_identical(x: Side, y: Side, min_ratio: float) -> bool:
    """Whether two sides are the same claim or sentences at least ``min_ratio`` alike."""
    if _same_place(x, y):
        return True
    from rapidfuzz import fuzz

    a, b = normalise_for_fingerprint(x.text), normalise_for_fingerprint(y.text)
    return a == b or fuzz.ratio(a, b) >= min_ratio


def _paired_sides(primary: Finding, other: Finding, min_ratio: float) -> tuple[Side, Side] | None:
    """``other``'s sides in the order of ``primary``'s (a, b) when each is near-identical to
    the primary's side with the same outlet and value; None when they are not."""
    for a, b in ((other.a, other.b), (other.b, other.a)):
        if _side_key(a) != _side_key(primary.a) or _side_key(b) != _side_key(primary.b):
            continue
        if _near_identical(primary.a, a, min_ratio) and _near_identical(primary.b, b, min_ratio):
            return a, b
    return None


def _place(side_name: str, side: Side, fingerprint: str) -> Place:
    return Place(
        side=side_name,
        outlet=side.outlet,
        path=side.source,
        line=side.line,
        kind=side.kind,
        text=side.text,
        fingerprint=fingerprint,
        article=side.article,
        start=side.start,
        end=side.end,
    )


def group_near_identical(findings: Iterable[Finding], min_ratio: float) -> list[Finding]:
    """Fold near-identical findings into one, in report order (:func:`report_order`).

    Two findings are grouped when they have the same check and verdict, the same outlets on each
    side with the same differing values (each side's ``value``, else its differing words), and
    on each side the same claim or sentences whose normalised texts have a rapidfuzz ``ratio``
    of at least ``min_ratio`` (``Settings.group_min_ratio``). The first in report order is kept
    unchanged (fingerprint included); each place where a grouped finding's sentence differs
    from it is added to its ``also_at``, with the grouped finding's fingerprint.

    >>> wire = Side("Wire", "w", "w.md", "Blinken tested negative on Wednesday.", 0, 37,
    ...             value="2021-12-15", claim_id="w:0", line=11)
    >>> said = "Blinken and senior staff tested negative on Tuesday, {} said."
    >>> bullet = Side("BI", "bi", "bi.md", said.format("the State Department"), 0, 78,
    ...               value="2021-12-14", claim_id="bi:0", line=9, kind="bullet")
    >>> body = Side("BI", "bi", "bi.md", said.format("Price"), 90, 153, value="2021-12-14",
    ...             claim_id="bi:90", line=13)
    >>> f1 = Finding("contradiction", "temporal", "high", 0.9, "", bullet, wire, fingerprint="1")
    >>> f2 = Finding("contradiction", "temporal", "high", 0.9, "", wire, body, fingerprint="2")
    >>> [(f.fingerprint, [(p.side, p.line, p.kind, p.fingerprint) for p in f.also_at])
    ...  for f in group_near_identical([f2, f1], 85.0)]
    [('1', [('a', 13, 'body', '2')])]
    """
    ordered = sorted(findings, key=report_order)
    buckets: dict[tuple[str, str, tuple[tuple[str, str], ...]], list[Finding]] = {}
    kept: list[Finding] = []
    places: dict[int, list[Place]] = {}  # id of a kept finding -> its places
    for finding in ordered:
        candidates = buckets.setdefault(_group_key(finding), [])
        for primary in candidates:
            paired = _paired_sides(primary, finding, min_ratio)
            if paired is None:
                continue
            found = places[id(primary)]
            for name, ours, theirs in (("a", primary.a, paired[0]), ("b", primary.b, paired[1])):
                if not _same_place(ours, theirs):
                    found.append(_place(name, theirs, finding.fingerprint))
            swapped = paired[0] is finding.b
            flip = {"a": "b", "b": "a"}
            found.extend(  # what was grouped under the finding before, if anything
                replace(p, side=flip[p.side]) if swapped else p for p in finding.also_at
            )
            break
        else:
            candidates.append(finding)
            kept.append(finding)
            places[id(finding)] = list(finding.also_at)
    return [replace(f, also_at=places[id(f)]) if places[id(f)] != f.also_at else f for f in kept]


def grouped_count(findings: Sequence[Finding]) -> int:
    """How many findings were grouped under others (distinct fingerprints in ``also_at``)."""
    return sum(len(f.fingerprints()) - 1 for f in findings)
