"""temporal: the same event dated differently by two outlets.

Fires when a time in claim ``a`` and a time in claim ``b`` attach to the same event (same verb
lemma, compatible subjects; without a parse: each claim has exactly one time and the claims share
most content words) and their resolved intervals do not meet, allowing ``tolerance_hours``.
Intervals keep their granularity, so 'Tuesday morning' agrees with '6 a.m. on Tuesday' and
'March 3' agrees with 'Monday' when both fall on the same day. Two clock times with no date
('at 6 a.m.' / 'at 9 a.m.') differ when more than ``clock_tolerance_minutes`` apart; two weekdays
that could not be resolved (no publication date) differ when their names differ.

Clock times written with a time zone ('3 p.m. EST', '20:00 GMT') are compared as instants:
both converted to UTC. A zoned time against one without a zone agrees when it matches either as
written or converted to the other article's UTC offset (the unzoned time may be local to the
event or to the outlet).

A time that agrees with another time of the same event in the other claim is not reported:
'elected a leader on Tuesday, a day after Monday's vote' / 'after losing a vote on Monday, chose
a leader on Tuesday' give both days to both events when a parse ties them to one verb.

Params: ``tolerance_hours`` (float), ``clock_tolerance_minutes`` (int), ``fallback_overlap``
(0..1, content-word overlap needed when there is no parse).
"""

from __future__ import annotations

import datetime as dt
import re

from claims.records import Claim, TimeMention
from claims.times import overlap, zone_offsets
from rules.base import RuleConfig, RuleHit
from rules.matching import in_claim, same_event, word_overlap

CHECK = "temporal"


def describe(t: TimeMention) -> str:
    """A readable value: 'Tuesday 2021-12-14', '2021-12-14 morning', '2021-12'."""
    if t.earliest is not None and t.granularity == "day" and t.label[:4].isdigit():
        return f"{t.earliest.strftime('%A')} {t.label}"
    if t.earliest is not None and t.granularity in ("part_of_day", "minute"):
        return f"{t.earliest.strftime('%A')} {t.label}"
    return t.label or t.span.text


_TRAILING = re.compile(r"(?:\s+(?:on|in|at|by|for|of|during|from|until|since|the|a|an|,))+\s*$")


def event_phrase(claim: Claim, t: TimeMention, max_words: int = 5) -> str:
    """What happened at time ``t``, in the claim's words: from the verb the time attaches to up
    to the time expression ('tested negative'), or 'it' when there is no such verb.

    >>> from claims.records import Predicate, Span
    >>> text = "Blinken tested negative on Tuesday."
    >>> c = Claim("c", "a", "A", Span(0, 35, text), Span(0, 34, text[:34]),
    ...           predicates=[Predicate(Span(8, 14, "tested"), "test")])
    >>> event_phrase(c, TimeMention(Span(27, 34, "Tuesday"), "weekday", "day", None, None,
    ...                             predicate="test"))
    "'tested negative'"
    """
    verb = next((p for p in claim.predicates if p.lemma == t.predicate and t.predicate), None)
    if verb is None:
        return "it"
    if verb.span.start >= t.span.start:
        return f"'{verb.span.text}'"
    phrase = in_claim(claim, verb.span.start, t.span.start)
    phrase = _TRAILING.sub("", phrase).strip()
    words = phrase.split()
    if not words or len(words) > max_words:
        return f"'{verb.span.text}'"
    return f"'{phrase}'"


def _linked(a: Claim, ta: TimeMention, b: Claim, tb: TimeMention, config: RuleConfig) -> bool:
    if ta.predicate and tb.predicate:
        return same_event(a, ta.predicate, b, tb.predicate)
    if len(a.times) == 1 and len(b.times) == 1 and not (ta.predicate or tb.predicate):
        needed = float(config.param("fallback_overlap", 0.6))
        return word_overlap(a.content.text, b.content.text) >= needed
    return False


def _pub_offset(claim: Claim) -> dt.timedelta | None:
    return claim.published.utcoffset() if claim.published is not None else None


def _instants(
    t: TimeMention, claim: Claim, zoned_other: bool
) -> list[tuple[dt.datetime, dt.datetime]]:
    """The intervals a resolved time can be, in one frame: as written when neither side names a
    zone; in UTC (zone, or the article's offset) when the other side does; both for an
    unzoned time."""
    assert t.earliest is not None and t.latest is not None
    offsets = zone_offsets(t)
    if offsets:
        return [(t.earliest - o, t.latest - o) for o in offsets]
    readings = [(t.earliest, t.latest)]
    own = _pub_offset(claim)
    if zoned_other and own is not None:
        readings.append((t.earliest - own, t.latest - own))
    return readings


def _clock_minutes(t: TimeMention, claim: Claim, zoned_other: bool) -> list[int]:
    """Minutes after midnight of an undated clock time, in the frames of :func:`_instants`."""
    written = int(t.label[:2]) * 60 + int(t.label[3:5])
    offsets = zone_offsets(t)
    if offsets:
        return [(written - int(o.total_seconds() // 60)) % 1440 for o in offsets]
    readings = [written]
    own = _pub_offset(claim)
    if zoned_other and own is not None:
        readings.append((written - int(own.total_seconds() // 60)) % 1440)
    return readings


def _differ(a: Claim, ta: TimeMention, b: Claim, tb: TimeMention, config: RuleConfig) -> bool:
    zoned_a, zoned_b = bool(zone_offsets(ta)), bool(zone_offsets(tb))
    if ta.resolved and tb.resolved:
        tolerance = dt.timedelta(hours=float(config.param("tolerance_hours", 0)))
        if not (zoned_a or zoned_b) or ta.granularity != "minute" or tb.granularity != "minute":
            return not overlap(ta, tb, tolerance)
        return not any(
            ea <= lb + tolerance and eb <= la + tolerance
            for ea, la in _instants(ta, a, zoned_b)
            for eb, lb in _instants(tb, b, zoned_a)
        )
    if ta.kind == tb.kind == "time_of_day" and not ta.resolved and not tb.resolved:
        limit = int(config.param("clock_tolerance_minutes", 30))
        if not (zoned_a or zoned_b):
            return (
                _circular(_clock_minutes(ta, a, False)[0], _clock_minutes(tb, b, False)[0]) > limit
            )
        return all(
            _circular(x, y) > limit
            for x in _clock_minutes(ta, a, zoned_b)
            for y in _clock_minutes(tb, b, zoned_a)
        )
    if ta.kind == tb.kind == "weekday" and not ta.resolved and not tb.resolved:
        return ta.label.lower() != tb.label.lower()
    return False


def _circular(x: int, y: int) -> int:
    """Minutes between two times of day, across midnight ('23:50' / '00:10' are 20 apart)."""
    gap = abs(x - y) % 1440
    return min(gap, 1440 - gap)


#: granularities from finest to coarsest.
GRANULARITY = ("minute", "part_of_day", "day", "week", "month", "year")


def _coarseness(t: TimeMention) -> int:
    return GRANULARITY.index(t.granularity) if t.granularity in GRANULARITY else len(GRANULARITY)


def _agrees_elsewhere(claim: Claim, t: TimeMention, other: Claim, config: RuleConfig) -> bool:
    """Whether some time of ``claim`` tied to the same event, and no coarser than ``t``, agrees
    with ``t`` of ``other`` ('next week' holding 'Tuesday' does not vouch for it)."""
    return any(
        _coarseness(x) <= _coarseness(t)
        and _linked(claim, x, other, t, config)
        and not _differ(claim, x, other, t, config)
        for x in claim.times
    )


def check_temporal(a: Claim, b: Claim, config: RuleConfig) -> list[RuleHit]:
    """Hits for times of the same event that cannot overlap.

    >>> from claims.records import Span
    >>> empty = Span(0, 0, "")
    >>> check_temporal(Claim("a", "x", "X", empty, empty), Claim("b", "y", "Y", empty, empty),
    ...                RuleConfig())
    []
    """
    hits: list[RuleHit] = []
    used: set[int] = set()
    for ta in a.times:
        for j, tb in enumerate(b.times):
            if j in used or not _linked(a, ta, b, tb, config) or not _differ(a, ta, b, tb, config):
                continue
            if _agrees_elsewhere(a, tb, b, config) or _agrees_elsewhere(b, ta, a, config):
                continue
            used.add(j)
            resolved = ta.resolved and tb.resolved
            va, vb = describe(ta), describe(tb)
            what = event_phrase(a, ta)
            hits.append(
                RuleHit(
                    check=CHECK,
                    verdict=str(config.param("verdict", "contradiction")),
                    severity=config.severity,
                    confidence=float(
                        config.param("confidence", 0.9)
                        if resolved
                        else config.param("confidence_unresolved", 0.6)
                    ),
                    explanation=f"{a.outlet} dates {what} to {va}; {b.outlet} to {vb}.",
                    a_spans=(ta.span,),
                    b_spans=(tb.span,),
                    a_value=ta.label,
                    b_value=tb.label,
                )
            )
            break
    return hits
