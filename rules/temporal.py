"""temporal: the same event dated differently by two outlets.

Fires when a time in claim ``a`` and a time in claim ``b`` attach to the same event (same verb
lemma, compatible subjects; without a parse: each claim has exactly one time and the claims share
most content words) and their resolved intervals do not meet, allowing ``tolerance_hours``.
Intervals keep their granularity, so 'Tuesday morning' agrees with '6 a.m. on Tuesday' and
'March 3' agrees with 'Monday' when both fall on the same day. Two clock times with no date
('at 6 a.m.' / 'at 9 a.m.') differ when more than ``clock_tolerance_minutes`` apart; two weekdays
that could not be resolved (no publication date) differ when their names differ.

Params: ``tolerance_hours`` (float), ``clock_tolerance_minutes`` (int), ``fallback_overlap``
(0..1, content-word overlap needed when there is no parse).
"""

from __future__ import annotations

import datetime as dt
import re

from claims.records import Claim, TimeMention
from claims.times import overlap
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


def _differ(ta: TimeMention, tb: TimeMention, config: RuleConfig) -> bool:
    if ta.resolved and tb.resolved:
        tolerance = dt.timedelta(hours=float(config.param("tolerance_hours", 0)))
        return not overlap(ta, tb, tolerance)
    if ta.kind == tb.kind == "time_of_day" and not ta.resolved and not tb.resolved:
        minutes = [int(x[:2]) * 60 + int(x[3:5]) for x in (ta.label, tb.label)]
        return abs(minutes[0] - minutes[1]) > int(config.param("clock_tolerance_minutes", 30))
    if ta.kind == tb.kind == "weekday" and not ta.resolved and not tb.resolved:
        return ta.label.lower() != tb.label.lower()
    return False


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
            if j in used or not _linked(a, ta, b, tb, config) or not _differ(ta, tb, config):
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
