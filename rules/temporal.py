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

import dataclasses
import datetime as dt
import re

from claims.records import Claim, Span, TimeMention
from claims.times import find_times, overlap, zone_offsets
from rules.attribution import speakers_differ
from rules.base import RuleConfig, RuleHit
from rules.matching import (
    STOPWORDS,
    differing_kinds,
    in_claim,
    pair_residuals,
    same_event,
    same_frame,
    word_overlap,
)

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
        needed = float(config.param("fallback_overlap"))
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


_WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _weekday_names_date(ta: TimeMention, tb: TimeMention) -> bool:
    """A weekday against a written date that falls on that weekday ('died Thursday' / 'died
    Sept. 25', a Thursday): the same day whatever the publication date says, since a weekday is
    resolved from a publication date that may be off by days (a crawl date, an update)."""
    for day, date in ((ta, tb), (tb, ta)):
        if day.kind == "weekday" and date.kind == "date" and date.earliest is not None:
            name = next((w for w in _WEEKDAY_NAMES if w in day.span.text.lower()), "")
            if name and date.granularity in ("day", "part_of_day", "minute"):
                return date.earliest.strftime("%A").lower() == name
    return False


#: words of a time told from the day of writing ('today', 'yesterday', 'tonight', 'last night').
_DEICTIC = re.compile(r"\b(?:today|yesterday|tonight|tomorrow|last night|this (?:morning|afternoon|"
                      r"evening))\b", re.IGNORECASE)  # fmt: skip


def _deictic_near(ta: TimeMention, tb: TimeMention, slack_days: float) -> bool:
    """'today' or 'yesterday' against a day at most ``slack_days`` from it, used when the two
    articles carry different publication days: outlets publish at different hours and in
    different time zones (a print edition's 'yesterday' is the web story's 'today', a story
    updated past midnight keeps its first 'today'), so a day told from the day of writing is
    known to a day at best across two publication dates."""
    if slack_days <= 0 or not (ta.resolved and tb.resolved):
        return False
    if not (_DEICTIC.search(ta.span.text) or _DEICTIC.search(tb.span.text)):
        return False
    if {ta.granularity, tb.granularity} - {"day", "part_of_day"}:
        return False  # a clock time ('8 a.m. today') is compared as written
    assert ta.earliest and tb.earliest and ta.latest and tb.latest
    slack = dt.timedelta(days=slack_days)
    return ta.earliest <= tb.latest + slack and tb.earliest <= ta.latest + slack


def _published_apart(a: Claim, b: Claim) -> bool:
    """Whether the two articles carry different publication days (each in its own offset): then
    'today' in one and 'yesterday' in the other may be the same day seen from two dates."""
    if a.published is None or b.published is None:
        return False
    return a.published.date() != b.published.date()


def _weekday_name(t: TimeMention) -> str:
    return next((w for w in _WEEKDAY_NAMES if w in t.span.text.lower()), "")


def _same_weekday_name(ta: TimeMention, tb: TimeMention) -> bool:
    """Two weekdays named alike ('was to have expired on Monday' / 'will end on Monday'): the
    week comes from the tense each parse reads and the publication date, not from the text, so
    the same name is the same day unless one says 'last' and the other 'next'. Clock times on
    that day are still compared."""
    if ta.kind != "weekday" or tb.kind != "weekday" or "minute" in (ta.granularity, tb.granularity):
        return False
    name = _weekday_name(ta)
    if not name or name != _weekday_name(tb):
        return False
    mods = {
        m.group(1).lower() for t in (ta, tb) if (m := re.match(r"(last|next)\b", t.span.text, re.I))
    }
    return mods != {"last", "next"}


#: words before a time that make it a bound, not a date: 'as early as Friday' is Friday or later.
_LOWER_BOUND = re.compile(
    r"\b(?:as (?:early|soon) as|no earlier than|not before|at the earliest)\s*$", re.IGNORECASE
)
_UPPER_BOUND = re.compile(r"\b(?:no later than|as late as|not after)\s*$", re.IGNORECASE)


def _bound(claim: Claim, t: TimeMention) -> str:
    """'lower' when the time is an earliest date ('as early as today', 'as soon as Monday'),
    'upper' for a latest one ('no later than June 1'), else ''."""
    s = claim.sentence
    if not s.start <= t.span.start <= s.end:
        return ""
    before = s.text[max(0, t.span.start - s.start - 30) : t.span.start - s.start]
    if _LOWER_BOUND.search(before):
        return "lower"
    if _UPPER_BOUND.search(before):
        return "upper"
    return ""


def _bound_agrees(a: Claim, ta: TimeMention, b: Claim, tb: TimeMention) -> bool:
    """A bound against a date on its open side ('as early as today' / 'Monday', a later day);
    two bounds of one kind are compared as dates."""
    if not (ta.resolved and tb.resolved):
        return False
    kinds = (_bound(a, ta), _bound(b, tb))
    if kinds[0] == kinds[1]:
        return False  # two dates, or two bounds of one kind ('no later than' both): compared
    for kind, t, u in ((kinds[0], ta, tb), (kinds[1], tb, ta)):
        assert t.earliest and t.latest and u.earliest and u.latest
        if kind == "lower" and u.latest >= t.earliest:
            return True
        if kind == "upper" and u.earliest <= t.latest:
            return True
    return False


def _same_month_name(ta: TimeMention, tb: TimeMention) -> bool:
    """Two months named alike without a year ('in June' / 'in mid-June'): the year comes from
    each article's publication date, which may differ, not from the text."""
    if ta.granularity != "month" or tb.granularity != "month":
        return False
    if re.search(r"\d{4}", ta.span.text) or re.search(r"\d{4}", tb.span.text):
        return False
    return bool(ta.label[5:7]) and ta.label[5:7] == tb.label[5:7]


def _differ(a: Claim, ta: TimeMention, b: Claim, tb: TimeMention, config: RuleConfig) -> bool:
    zoned_a, zoned_b = bool(zone_offsets(ta)), bool(zone_offsets(tb))
    if config.param("weekday_names_date") and _weekday_names_date(ta, tb):
        return False
    slack = "deictic_slack_days" if _published_apart(a, b) else "deictic_slack_same_day"
    if _deictic_near(ta, tb, float(config.param(slack))):
        return False
    if _same_month_name(ta, tb) or _same_weekday_name(ta, tb):
        return False
    if _bound_agrees(a, ta, b, tb):
        return False
    if ta.resolved and tb.resolved:
        tolerance = dt.timedelta(hours=float(config.param("tolerance_hours")))
        if not (zoned_a or zoned_b) or ta.granularity != "minute" or tb.granularity != "minute":
            return not overlap(ta, tb, tolerance)
        return not any(
            ea <= lb + tolerance and eb <= la + tolerance
            for ea, la in _instants(ta, a, zoned_b)
            for eb, lb in _instants(tb, b, zoned_a)
        )
    if ta.kind == tb.kind == "time_of_day" and not ta.resolved and not tb.resolved:
        limit = int(config.param("clock_tolerance_minutes"))
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
        and _vouches(x, t)
        and _linked(claim, x, other, t, config)
        and not _differ(claim, x, other, t, config)
        for x in claim.times
    )


def _comparable(x: TimeMention, y: TimeMention) -> bool:
    """Whether two times can be told apart at all: both placed on the calendar, or of one kind
    ('at midnight', with no date, neither agrees nor disagrees with 'March 2005')."""
    if (x.resolved and y.resolved) or x.kind == y.kind:
        return True
    return _clock(x) and _clock(y)


def _vouches(x: TimeMention, t: TimeMention) -> bool:
    """Whether agreeing with ``x`` says that ``t`` is right: ``x`` must be comparable with it
    and no less placed ('midnight Thursday' vouches for 'midnight'; a bare '3 p.m.' says
    nothing of the day of '6 p.m. Thursday')."""
    if x.resolved and t.resolved:
        return True
    if not x.resolved and t.resolved:
        return False
    return x.kind == t.kind or (_clock(x) and _clock(t))


def _clock(t: TimeMention) -> bool:
    return t.kind == "time_of_day" or t.granularity == "minute"


#: kinds of time compared in the frame path, by the slot they fill: a weekday with a weekday, a
#: written date or month with a date or month ('at the end of May' / 'August 30'), a clock time
#: with a clock time. A weekday against a date, or a relative expression ('yesterday'), is
#: compared only on the verb path: both hang on a publication date that may be off.
FRAME_KINDS = {
    "weekday": "weekday",
    "date": "calendar",
    "month": "calendar",
    "time_of_day": "clock",
}


def frame_pairs(a: Claim, b: Claim, config: RuleConfig) -> list[tuple[TimeMention, TimeMention]]:
    """Times the two claims do not share, paired by kind, when their frames match: a time of
    ``a`` that agrees with some time of ``b`` (and the reverse) is set aside, and a time left
    alone of its kind on each side is paired with the other."""
    ts_a, ts_b = a.times, b.times
    if not ts_a or not ts_b or differing_kinds(a, b) - {"time"}:
        return []
    if not same_frame(a, b, config):
        return []

    def agree(i: int, j: int) -> bool:
        return not _differ(a, ts_a[i], b, ts_b[j], config)

    def comparable(i: int, j: int) -> bool:
        kind = FRAME_KINDS.get(ts_a[i].kind)
        return kind is not None and kind == FRAME_KINDS.get(ts_b[j].kind)

    def affinity(i: int, j: int) -> float:
        return _affinity(_neighbours(a, ts_a[i]), _neighbours(b, ts_b[j]))

    if len(ts_a) <= len(ts_b):
        pairs = pair_residuals(len(ts_a), len(ts_b), agree, comparable, affinity)
    else:  # the side with fewer times picks its partner by affinity
        flipped = pair_residuals(
            len(ts_b), len(ts_a), lambda j, i: agree(i, j), lambda j, i: comparable(i, j),
            lambda j, i: affinity(i, j),
        )  # fmt: skip
        pairs = sorted((i, j) for j, i in flipped)
    return [(ts_a[i], ts_b[j]) for i, j in pairs]


_NEIGHBOUR = re.compile(r"[a-z]+|\d+(?:[.,]\d+)*")
#: words read either side of a time to tell which of several times fills which slot.
NEIGHBOURS_BEFORE, NEIGHBOURS_AFTER = 4, 2


def _neighbours(claim: Claim, t: TimeMention) -> dict[str, int]:
    """Content words and numbers next to a time, marked '<' before it and '>' after it, with
    their distance from it in words ('from 54.7 in August' -> {'<54.7': 2}). Other times and
    stopwords are left out (stopwords still count in the distance)."""
    s = claim.sentence
    if not s.start <= t.span.start <= t.span.end <= s.end:
        return {}
    offset = t.span.start - s.start
    end = t.span.end - s.start
    text = s.text
    cuts = sorted(
        ((x.span.start - s.start, x.span.end - s.start) for x in claim.times
         if s.start <= x.span.start <= x.span.end <= s.end),
        reverse=True,
    )  # fmt: skip
    left, right = text[:offset], text[end:]
    for lo, hi in cuts:
        if hi <= offset:
            left = left[:lo] + " " + left[hi:]
        elif lo >= end:
            lo, hi = lo - end, hi - end
            right = right[:lo] + " " + right[hi:]
    before = _NEIGHBOUR.findall(left.lower())[::-1][:NEIGHBOURS_BEFORE]
    after = _NEIGHBOUR.findall(right.lower())[:NEIGHBOURS_AFTER]
    near: dict[str, int] = {}
    for side, words in (("<", before), (">", after)):
        for distance, w in enumerate(words, start=1):
            if w not in STOPWORDS and distance < near.get(side + w, distance + 1):
                near[side + w] = distance
    return near


def _affinity(near_a: dict[str, int], near_b: dict[str, int]) -> float:
    """How surely two times fill one slot: the words on the same side of both, nearer ones
    weighing more ('from 50.1 in April' is nearer 'from 50.1 in February' than 'to 48.2 in May
    from 50.1')."""
    return sum(1 / (near_a[w] + near_b[w]) for w in near_a.keys() & near_b.keys())


def speech_times(claim: Claim) -> list[TimeMention]:
    """Times written in the claim's attribution ('..., the agency said Tuesday', 'according to a
    report released Monday'): when the statement was made or published, read without a parse
    (the tense from the words before the time)."""
    att = claim.attribution
    if att is None or not att.text.strip():
        return []
    return [
        dataclasses.replace(
            t, span=Span(att.start + t.span.start, att.start + t.span.end, t.span.text)
        )
        for t in find_times(att.text, 0, len(att.text), claim.published)
    ]


def _untimed(speaker: str, times: list[TimeMention]) -> str:
    """The speaker without the times written in it ('a warrant released Monday' -> 'a warrant
    released'), so that two datings of one source are not two sources."""
    for t in times:
        speaker = speaker.replace(t.span.text, " ")
    return " ".join(speaker.split())


def _speech_pairs(a: Claim, b: Claim, config: RuleConfig) -> list[tuple[TimeMention, TimeMention]]:
    """Times of the same statement's attribution in the two claims ('X said Tuesday' / 'X said
    Sunday'), paired by kind: the speakers must not be clearly different and the contents must
    tell the same thing (matched frames, or the no-parse word overlap)."""
    if not config.param("speech_times"):
        return []
    sa, sb = speech_times(a), speech_times(b)
    if not sa or not sb or speakers_differ(_untimed(a.speaker, sa), _untimed(b.speaker, sb)):
        return []
    if differing_kinds(a, b) - {"time"}:
        return []
    needed = float(config.param("fallback_overlap"))
    if not same_frame(a, b, config) and word_overlap(a.content.text, b.content.text) < needed:
        return []

    def agree(i: int, j: int) -> bool:
        return not _differ(a, sa[i], b, sb[j], config)

    def comparable(i: int, j: int) -> bool:
        return _comparable(sa[i], sb[j])

    return [(sa[i], sb[j]) for i, j in pair_residuals(len(sa), len(sb), agree, comparable)]


def _hit(
    a: Claim, ta: TimeMention, b: Claim, tb: TimeMention, config: RuleConfig, what: str = ""
) -> RuleHit:
    resolved = ta.resolved and tb.resolved
    va, vb = describe(ta), describe(tb)
    what = what or event_phrase(a, ta)
    return RuleHit(
        check=CHECK,
        verdict=str(config.param("verdict")),
        severity=config.severity,
        confidence=float(
            config.param("confidence") if resolved else config.param("confidence_unresolved")
        ),
        explanation=f"{a.outlet} dates {what} to {va}; {b.outlet} to {vb}.",
        a_spans=(ta.span,),
        b_spans=(tb.span,),
        a_value=ta.label,
        b_value=tb.label,
    )


def check_temporal(a: Claim, b: Claim, config: RuleConfig) -> list[RuleHit]:
    """Hits for times of the same event that cannot overlap: first times tied to one verb
    (:func:`_linked`), then, when that finds nothing, times in the same slot of matched frames
    (:func:`frame_pairs`).

    >>> from claims.records import Span
    >>> from rules.registry import load_rule_configs
    >>> empty = Span(0, 0, "")
    >>> check_temporal(Claim("a", "x", "X", empty, empty), Claim("b", "y", "Y", empty, empty),
    ...                load_rule_configs()["temporal"])
    []
    """
    hits = _verb_hits(a, b, config)
    if hits:
        return hits
    for ta, tb in frame_pairs(a, b, config):
        if _differ(a, ta, b, tb, config):
            return [_hit(a, ta, b, tb, config)]
    for ta, tb in _speech_pairs(a, b, config):
        if _differ(a, ta, b, tb, config):
            return [_hit(a, ta, b, tb, config, what="the statement")]
    return []


def _verb_hits(a: Claim, b: Claim, config: RuleConfig) -> list[RuleHit]:
    """Hits for times tied to the same verb with compatible subjects."""
    hits: list[RuleHit] = []
    used: set[int] = set()
    for ta in a.times:
        for j, tb in enumerate(b.times):
            if j in used or not _linked(a, ta, b, tb, config) or not _differ(a, ta, b, tb, config):
                continue
            if _agrees_elsewhere(a, tb, b, config) or _agrees_elsewhere(b, ta, a, config):
                continue
            used.add(j)
            hits.append(_hit(a, ta, b, tb, config))
            break
    return hits
