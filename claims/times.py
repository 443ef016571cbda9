"""Time expressions in a claim, resolved to calendar intervals against the publication date.

Handles weekday names (the tense of the verb they attach to decides between the past and the
coming weekday), explicit dates ('Dec. 14, 2021', '14 December', '2021-12-14'), months and
years after a preposition ('in March', 'since 2019'), clock times ('6 a.m.', '18:30'), parts of
the day ('Tuesday morning', 'this morning', 'last night') and relative expressions ('a day
earlier', 'two days ago', 'the previous two days', 'last week', 'earlier this month').

All resolution uses the article's *local* publication date (the date in its own UTC offset).
Relative expressions ('a day earlier') are anchored on the publication date: the article's
narrative anchor is not tracked.

>>> import datetime as dt
>>> pub = dt.datetime(2021, 12, 15, 8, 0, tzinfo=dt.timezone.utc)
>>> text = "Blinken tested negative on Tuesday."
>>> [t.label for t in find_times(text, 0, len(text), pub)]
['2021-12-14']
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from claims.records import Span, TimeMention

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
SMALL_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
#: (start hour, end hour) of a part of the day; an end above 24 runs into the next day.
PARTS_OF_DAY = {
    "morning": (5, 12),
    "afternoon": (12, 18),
    "evening": (17, 23),
    "night": (18, 30),
    "overnight": (18, 30),
}
#: general English markers of a future reading (modal verbs, 'due to', 'scheduled', ...).
FUTURE_LEMMAS = frozenset(
    {"will", "shall", "would", "'ll", "due", "schedule", "scheduled", "set", "expect", "plan",
     "planned", "intend", "poise", "slate", "upcoming", "next", "going", "aim", "prepare"}
)  # fmt: skip
FUTURE_TEXT = re.compile(
    r"\b(will|won't|'ll|shall|would|due to|scheduled|set to|expected to|plans? to|planning to|"
    r"going to|is to|are to|upcoming|next)\b",
    re.IGNORECASE,
)

_MONTH_RE = (
    r"(?P<month>Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|"
    r"Aug(?:ust|\.)?|Sept?(?:ember|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
)
_NUM_WORD = r"(?P<n>a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,3})"
_WEEKDAY_RE = r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_PART_RE = r"(?P<part>morning|afternoon|evening|night)"
#: time-zone abbreviations after a clock time, as their possible UTC offsets in hours: 'ET',
#: 'CT', 'MT', 'PT' are standard or daylight time depending on the date, so both count.
#: Ambiguous abbreviations ('IST': India or Ireland, 'CST': US or China) are left out unless
#: news use is overwhelmingly one way (US 'CST').
TIME_ZONES: dict[str, tuple[float, ...]] = {
    "GMT": (0,), "UTC": (0,), "Z": (0,), "BST": (1,), "WET": (0,), "WEST": (1,),
    "CET": (1,), "CEST": (2,), "EET": (2,), "EEST": (3,), "MSK": (3,),
    "EST": (-5,), "EDT": (-4,), "ET": (-5, -4), "CST": (-6,), "CDT": (-5,), "CT": (-6, -5),
    "MST": (-7,), "MDT": (-6,), "MT": (-7, -6), "PST": (-8,), "PDT": (-7,), "PT": (-8, -7),
    "AKST": (-9,), "HST": (-10,), "JST": (9,), "KST": (9,), "HKT": (8,), "SGT": (8,),
    "AWST": (8,), "AEST": (10,), "AEDT": (11,), "NZST": (12,), "NZDT": (13,), "WIB": (7,),
    "PHT": (8,), "PKT": (5,),
}  # fmt: skip
_ZONE_RE = r"(?:\s*\(?(?P<zone>" + "|".join(sorted(TIME_ZONES, key=len, reverse=True)) + r")\b\)?)?"
_CLOCK_RE = (
    r"(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?\s*(?P<ampm>a\.m\.|p\.m\.|am\b|pm\b|AM\b|PM\b)"
    r"|(?P<h24>[01]?\d|2[0-3]):(?P<m24>[0-5]\d)\b(?!\s*(?:a\.m|p\.m))"
    # wire style '1500 GMT': four digits only when a zone follows
    r"|(?P<hhmm>(?:[01]\d|2[0-3])[0-5]\d)(?=\s+(?:GMT|UTC)\b)"
    r"|(?P<noon>noon|midnight)"
)

PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("iso", re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")),
    (
        "mdy",
        re.compile(
            r"\b"
            + _MONTH_RE
            + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>(?:19|20)\d{2})\b)?"
        ),
    ),
    (
        "dmy",
        re.compile(
            r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?"
            + _MONTH_RE
            + r"(?:,?\s+(?P<year>(?:19|20)\d{2})\b)?"
        ),
    ),
    (
        "month",
        re.compile(
            r"\b(?P<prep>[Ii]n|[Dd]uring|[Ss]ince|[Uu]ntil|[Bb]y|[Oo]f|[Ee]arly|[Ll]ate|[Mm]id-|"
            r"[Ll]ast|[Nn]ext|[Tt]his)\s*" + _MONTH_RE + r"(?:\s+(?P<year>(?:19|20)\d{2})\b)?"
        ),
    ),
    (
        # a bare month name, kept only when the parse reads it as a date modifying a noun
        # ('September retail sales', 'for May delivery', 'July Brent'): see _month_modifier.
        "month_mod",
        re.compile(r"\b" + _MONTH_RE + r"(?![A-Za-z])(?:\s+(?P<year>(?:19|20)\d{2})\b)?"),
    ),
    (
        "year",
        re.compile(
            r"\b(?:[Ii]n|[Dd]uring|[Ss]ince|[Uu]ntil|[Bb]y|[Tt]hroughout)\s+(?P<year>(?:19|20)\d{2})\b"
        ),
    ),
    (
        "weekday",
        re.compile(
            r"(?:\b(?P<mod>[Ll]ast|[Nn]ext|[Tt]his|[Ee]arly|[Ll]ate)\s+(?:on\s+)?)?\b"
            + _WEEKDAY_RE
            + r"(?:\s+"
            + _PART_RE
            + r")?\b"
        ),
    ),
    (
        "dayword",
        re.compile(
            r"\b(?P<word>[Tt]oday|[Yy]esterday|[Tt]omorrow|[Tt]onight|[Oo]vernight|"
            r"[Ll]ast night|[Tt]his (?:morning|afternoon|evening))\b"
        ),
    ),
    (
        "ago",
        re.compile(
            # 'two days before' counts only on its own: 'two days before the vote' is anchored
            # on the vote, not on the publication date.
            r"\b" + _NUM_WORD + r"\s+(?P<unit>day|week|month|year)s?\s+(?P<dir>earlier|ago|"
            r"previously|before(?!\s+(?:the\s+|a\s+|an\s+|his\s+|her\s+|their\s+)?[A-Za-z]))\b",
            re.IGNORECASE,
        ),
    ),
    (
        "prevday",
        re.compile(r"\bthe\s+(?:previous|preceding)\s+day\b|\bthe\s+day\s+before\b", re.IGNORECASE),
    ),
    (
        "span",
        re.compile(
            r"\b(?:the\s+)?(?:previous|past|last|preceding)\s+"
            + _NUM_WORD
            + r"\s+(?P<unit>day|week)s\b",
            re.IGNORECASE,
        ),
    ),
    (
        "calendar",
        re.compile(
            r"\b(?P<rel>earlier this|later this|last|this|next|past)\s+(?P<unit>week|month|year)\b",
            re.IGNORECASE,
        ),
    ),
    ("clock", re.compile(r"\b(?:" + _CLOCK_RE + r")" + _ZONE_RE)),
)

_JOIN_GAP = re.compile(r"^(?:\s|,|on|at|of|around|about|\(|\))*$", re.IGNORECASE)
_DAY_KINDS = {"weekday", "date", "relative"}


@dataclass
class _Match:
    start: int
    end: int
    kind: str
    granularity: str
    earliest: dt.datetime | None
    latest: dt.datetime | None
    label: str
    clock: tuple[int, int] | None = None  # for time-of-day pieces: (start, end) minutes
    weekday: str = ""
    zone: str = ""  # time-zone abbreviation written with a clock time ('EST'), upper-case


def local_date(published: dt.datetime | None) -> dt.date | None:
    """The publication date in the article's own UTC offset (its local calendar date).

    >>> tz = dt.timezone(dt.timedelta(hours=-5))
    >>> local_date(dt.datetime(2021, 12, 15, 8, 42, tzinfo=tz))
    datetime.date(2021, 12, 15)
    """
    if published is None:
        return None
    return published.date()


def resolve_weekday(weekday: int, published: dt.date, tense: str) -> dt.date:
    """The date a weekday name refers to: the weekday of publication is that day; otherwise the
    most recent one for past or present tense, the coming one for future tense.

    >>> resolve_weekday(1, dt.date(2021, 12, 15), "past")  # Tuesday, published Wednesday
    datetime.date(2021, 12, 14)
    >>> resolve_weekday(3, dt.date(2021, 12, 15), "future")  # Thursday
    datetime.date(2021, 12, 16)

    A weekday that would fall outside the calendar (before 1 January of year 1, after 31 December
    9999) raises ``ValueError``; :func:`find_times` then leaves the mention unresolved.

    >>> resolve_weekday(6, dt.date(1, 1, 1), "past")
    Traceback (most recent call last):
    ...
    ValueError: Sunday before 0001-01-01 is outside the calendar
    """
    delta = weekday - published.weekday()
    if delta == 0:
        return published
    try:
        if tense == "future":
            return published + dt.timedelta(days=delta % 7)
        return published - dt.timedelta(days=(-delta) % 7)
    except OverflowError as err:
        way = "after" if tense == "future" else "before"
        name = WEEKDAYS[weekday].capitalize()
        raise ValueError(f"{name} {way} {published.isoformat()} is outside the calendar") from err


def _day(d: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime(d.year, d.month, d.day)
    return start, start + dt.timedelta(days=1) - dt.timedelta(seconds=1)


def _span_days(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return _day(first)[0], _day(last)[1]


def _month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    first = dt.date(year, month, 1)
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return first, nxt - dt.timedelta(days=1)


def _nearest_year(month: int, day: int, published: dt.date) -> int:
    """The year that puts (month, day) closest to the publication date."""
    best = published.year
    best_gap: int | None = None
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            gap = abs((dt.date(year, month, day) - published).days)
        except ValueError:
            continue
        if best_gap is None or gap < best_gap:
            best, best_gap = year, gap
    return best


def _month_number(name: str) -> int:
    key = name.lower().rstrip(".")
    return MONTHS.get(key[:4] if key.startswith("sept") else key[:3], 0)


def _number(word: str) -> int:
    word = word.lower()
    return int(word) if word.isdigit() else SMALL_NUMBERS.get(word, 0)


def _clock_minutes(m: re.Match[str]) -> tuple[int, int] | None:
    if m.group("noon"):
        return (720, 720) if m.group("noon").lower() == "noon" else (0, 0)
    if m.group("hhmm") is not None:
        hour, minute = int(m.group("hhmm")[:2]), int(m.group("hhmm")[2:])
    elif m.group("h24") is not None:
        hour, minute = int(m.group("h24")), int(m.group("m24"))
    else:
        hour = int(m.group("hour"))
        minute = int(m.group("minute") or 0)
        if hour < 1 or hour > 12 or minute > 59:
            return None
        pm = m.group("ampm").lower().startswith("p")
        hour = hour % 12 + (12 if pm else 0)
    return hour * 60 + minute, hour * 60 + minute


def _token_at(doc: Doc | None, start: int, end: int) -> Token | None:
    if doc is None:
        return None
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span.root


#: prepositions that put another event before or after the one a clause reports ('a day after
#: Monday's vote'): a time inside their noun phrase dates that other event, not the verb's.
ANCHOR_PREPOSITIONS = frozenset({"after", "before", "since", "following", "until", "ahead"})


#: nouns of a time expression: 'until 3 p.m. Sunday' puts 'Sunday' under 'p.m.', which is no
#: event of its own, so the walk goes on up to the verb ('extend ... until 3 p.m. Sunday').
TIME_NOUNS = frozenset(
    {"a.m.", "p.m.", "am", "pm", "noon", "midnight", "time", "hour", "hours", "day", "days",
     "week", "weeks", "month", "months", "year", "years", "morning", "afternoon", "evening",
     "night", "weekend", "today", "tomorrow", "yesterday", "tonight", *WEEKDAYS,
     *(name for name in ("january", "february", "march", "april", "june", "july", "august",
                         "september", "october", "november", "december"))}
)  # fmt: skip


def _governing_verb(token: Token) -> Token | None:
    """The nearest verb above ``token`` in the dependency tree, or the event noun of an
    'after/before/since ...' phrase the time sits in ('after Monday's vote': 'vote')."""
    node = token
    for _ in range(12):
        if node.head is node:
            return node if node.pos_ in ("VERB", "AUX") else None
        child, node = node, node.head
        if (
            (node is not token.head or child.dep_ == "poss")
            and node.pos_ in ("NOUN", "PROPN")
            and node.lower_ not in TIME_NOUNS
            and _anchored(node)
        ):
            return node
        if node.pos_ == "VERB" or (node.pos_ == "AUX" and node.dep_ == "ROOT"):
            return node
    return None


def _anchored(noun: Token) -> bool:
    """Whether ``noun`` is the object of an 'after/before/since/until' preposition."""
    prep = noun.head
    if noun.dep_ != "pobj" or prep is noun:
        return False
    if prep.lower_ in ANCHOR_PREPOSITIONS:
        return True
    # 'ahead of the vote', 'prior to the vote'
    return prep.lower_ in ("of", "to") and prep.head.lower_ in ("ahead", "prior")


def tense_at(
    doc: Doc | None, text: str, clause_start: int, start: int, end: int
) -> tuple[str, str]:
    """The tense (``past``, ``present`` or ``future``) and predicate lemma for a time expression.

    With a parse, the verbs above the expression decide: a modal ('will', 'would'), 'due to',
    'scheduled', 'set to', 'expected to' ... make it future; a past-tense or past-participle verb
    makes it past. Without a parse, future markers earlier in the clause decide, else past.

    >>> tense_at(None, "He will visit on Friday.", 0, 16, 22)
    ('future', '')
    """
    token = _token_at(doc, start, end)
    if token is None:
        before = text[clause_start:start]
        return ("future" if FUTURE_TEXT.search(before) else "past"), ""
    verb = _governing_verb(token)
    predicate = verb.lemma_.lower() if verb is not None else ""
    node = token
    for _ in range(12):
        children = list(node.children)
        if node.lemma_.lower() in FUTURE_LEMMAS and node is not token:
            return "future", predicate
        for child in children:
            if child.dep_ in ("aux", "auxpass", "amod", "advmod") and (
                child.lemma_.lower() in FUTURE_LEMMAS or child.lower_ in ("will", "would", "'ll")
            ):
                return "future", predicate
        if node.tag_ == "VBG" and any(
            c.dep_ == "aux" and c.tag_ in ("VBZ", "VBP") for c in children
        ):
            return "present", predicate  # 'is closing in June'
        if node.tag_ in ("VBD", "VBN") and node.lemma_.lower() not in FUTURE_LEMMAS:
            return "past", predicate
        if node.tag_ in ("VBZ", "VBP") and node.dep_ == "ROOT":
            has_past_aux = any(c.tag_ in ("VBD", "VBN") for c in children if c.dep_ == "aux")
            return ("past" if has_past_aux else "present"), predicate
        if node.head is node:
            break
        node = node.head
    return "past", predicate


# --- resolving one pattern match -----------------------------------------------------------
#
# Each pattern of PATTERNS has a resolver in _RESOLVERS, called with the match, the local
# publication date (None when unknown) and the tense of the verb the expression attaches to
# (read for weekday and month patterns only; "past" otherwise). A resolver returns None to drop
# the match, or a _Match whose interval is None when it cannot be placed without a date.


def _unresolved(
    m: re.Match[str], kind: str, granularity: str, label: str, start: int | None = None
) -> _Match:
    """A mention that cannot be placed on the calendar (no publication date to anchor it)."""
    return _Match(
        start=m.start() if start is None else start,
        end=m.end(),
        kind=kind,
        granularity=granularity,
        earliest=None,
        latest=None,
        label=label,
    )


def _on_day(
    m: re.Match[str], kind: str, day: dt.date, start: int | None = None, weekday: str = ""
) -> _Match:
    """A mention covering the whole of ``day``, labelled with its ISO date."""
    earliest, latest = _day(day)
    return _Match(
        start=m.start() if start is None else start,
        end=m.end(),
        kind=kind,
        granularity="day",
        earliest=earliest,
        latest=latest,
        label=day.isoformat(),
        weekday=weekday,
    )


def _over_days(
    start: int, end: int, first: dt.date, last: dt.date, *, kind: str, granularity: str, label: str
) -> _Match:
    """A mention covering the days ``first`` to ``last``, both whole."""
    earliest, latest = _span_days(first, last)
    return _Match(
        start=start,
        end=end,
        kind=kind,
        granularity=granularity,
        earliest=earliest,
        latest=latest,
        label=label,
    )


#: a pattern's resolver: (match, local publication date or None, tense) -> mention or None.
Resolver = Callable[[re.Match[str], dt.date | None, str], _Match | None]


def _needs_publication_date(resolve: Callable[[re.Match[str], dt.date], _Match]) -> Resolver:
    """A resolver for an expression relative to the publication date ('yesterday', 'two days
    ago'): without a date the mention is kept unresolved, labelled with its lower-cased text."""

    @functools.wraps(resolve)
    def resolver(m: re.Match[str], pub: dt.date | None, tense: str) -> _Match:
        if pub is None:
            return _unresolved(m, "relative", "day", m.group(0).lower())
        return resolve(m, pub)

    return resolver


def resolve_clock(m: re.Match[str], pub: dt.date | None, tense: str) -> _Match | None:
    """A clock time ('6 a.m.', '18:30', '1500 GMT', 'noon'), with the zone written after it:
    no date, only minutes of the day, labelled 'HH:MM' (and the zone). None for an impossible
    time ('13 p.m.')."""
    minutes = _clock_minutes(m)
    if minutes is None:
        return None
    zone = (m.group("zone") or "").upper()
    label = f"{minutes[0] // 60:02d}:{minutes[0] % 60:02d}" + (f" {zone}" if zone else "")
    return _Match(
        start=m.start(),
        end=m.end(),
        kind="time_of_day",
        granularity="minute",
        earliest=None,
        latest=None,
        label=label,
        clock=minutes,
        zone=zone,
    )


def resolve_iso_date(m: re.Match[str], pub: dt.date | None, tense: str) -> _Match | None:
    """An ISO date ('2021-12-14'): that day. None when it is no calendar date ('2021-02-30')."""
    try:
        day = dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    except ValueError:
        return None
    return _on_day(m, "date", day)


def resolve_written_date(m: re.Match[str], pub: dt.date | None, tense: str) -> _Match | None:
    """A date written with a month name ('Dec. 14, 2021', '14 December'): that day. Without a
    year, the year that puts it nearest the publication date; without either, unresolved and
    labelled '--MM-DD'. None when it is no calendar date ('Feb. 30')."""
    month, day = _month_number(m.group("month")), int(m.group("day"))
    if not month or not 1 <= day <= 31:
        return None
    if m.group("year"):
        year = int(m.group("year"))
    elif pub is not None:
        year = _year_by_tense(month, day, pub, tense)
    else:
        return _unresolved(m, "date", "day", f"--{month:02d}-{day:02d}")
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return None
    return _on_day(m, "date", date)


#: a date written without a year is put in the year nearest publication unless that puts it
#: further than this many days on the wrong side of the verb's tense: 'entered bankruptcy May 30'
#: in a December story is the past May, 'will vote on Jan. 7' in an August story the coming one.
TENSE_YEAR_SLACK_DAYS = 31


def _year_by_tense(month: int, day: int, pub: dt.date, tense: str) -> int:
    """The year of a date written without one: the nearest (see :func:`_nearest_year`), moved
    back for a past-tense verb when that date is over ``TENSE_YEAR_SLACK_DAYS`` days after
    publication, forward for a future-tense one when it is as far before.

    >>> december = dt.date(2003, 12, 21)
    >>> _year_by_tense(5, 30, december, "past"), _year_by_tense(5, 30, december, "present")
    (2003, 2004)
    """
    year = _nearest_year(month, day, pub)
    slack = dt.timedelta(days=TENSE_YEAR_SLACK_DAYS)
    try:
        if tense == "past" and dt.date(year, month, day) > pub + slack:
            dt.date(year - 1, month, day)
            return year - 1
        if tense == "future" and dt.date(year, month, day) < pub - slack:
            dt.date(year + 1, month, day)
            return year + 1
    except ValueError:
        pass
    return year


def _year_of_month(month: int, prep: str, pub: dt.date, tense: str) -> int:
    """The year a month named without one falls in: 'last'/'next' and the tense pick the past
    or the coming one; the present tense picks the nearest."""
    year = pub.year
    if prep == "last" or (prep != "next" and tense == "past" and month > pub.month):
        year -= 1
    elif (prep == "next" or tense == "future") and month < pub.month:
        year += 1
    elif prep not in ("last", "next") and tense == "present":
        # the simple or progressive present: the nearest such month
        year = min(
            (pub.year - 1, pub.year, pub.year + 1),
            key=lambda y: abs((y - pub.year) * 12 + month - pub.month),
        )
    return year


def resolve_month(m: re.Match[str], pub: dt.date | None, tense: str) -> _Match | None:
    """A month after a preposition or modifier ('in March', 'since June 2021', 'last
    December'): the whole month. The span starts at the month name unless the modifier is
    'last', 'next' or 'this'. Without a year or a publication date, unresolved ('--MM')."""
    month = _month_number(m.group("month"))
    if not month:
        return None
    prep = m.group("prep").lower()
    start = m.start("month") if prep not in ("last", "next", "this") else m.start()
    if m.group("year"):
        year = int(m.group("year"))
    elif pub is not None:
        year = _year_of_month(month, prep, pub, tense)
    else:
        return _unresolved(m, "month", "month", f"--{month:02d}", start=start)
    first, last = _month_bounds(year, month)
    return _over_days(
        start, m.end(), first, last, kind="month", granularity="month", label=f"{year}-{month:02d}"
    )


def resolve_month_modifier(m: re.Match[str], pub: dt.date | None, tense: str) -> _Match | None:
    """A bare month name before a noun ('September retail sales', 'for May delivery'): the whole
    month, in the year that puts it nearest publication. The month names a period or a contract
    ('July wheat rose'), not when the verb happened, so the verb's tense is not read."""
    month = _month_number(m.group("month"))
    if not month:
        return None
    if m.group("year"):
        year = int(m.group("year"))
    elif pub is not None:
        year = _year_of_month(month, "", pub, "present")
    else:
        return _unresolved(m, "month", "month", f"--{month:02d}")
    first, last = _month_bounds(year, month)
    return _over_days(
        m.start(), m.end(), first, last, kind="month", granularity="month",
        label=f"{year}-{month:02d}",
    )  # fmt: skip


def _modifies_noun(doc: Doc | None, start: int, end: int) -> bool:
    """Whether a date modifies a noun ('the Oct. 7 vote', 'the May 30 deadline'): it names the
    thing's day, not when the clause's verb happened, so the verb's tense does not place it."""
    token = _token_at(doc, start, end)
    return (
        token is not None
        and token.dep_ in ("compound", "nmod", "amod", "poss")
        and token.head.pos_ in ("NOUN", "PROPN")
        and token.head.i > token.i
    )


#: dependencies of a bare month name that make it a date modifying a noun ('September data').
_MONTH_MODIFIER_DEPS = frozenset({"compound", "nmod", "amod"})


def _month_modifier(doc: Doc | None, start: int, end: int) -> bool:
    """Whether a bare month name at ``start:end`` is a date the parse puts before a noun
    ('January heating oil', 'for May delivery', 'September and third-quarter data'), not a
    modal ('may fail'), a verb ('march') or a person ('April Smith', 'Theresa May'). Without a
    parse a bare month name is not read."""
    token = _token_at(doc, start, end)
    if token is None or token.pos_ not in ("PROPN", "NOUN") or token.tag_ == "MD":
        return False
    if token.ent_type_ != "DATE":
        return False
    if token.dep_ in _MONTH_MODIFIER_DEPS:
        return token.head.pos_ in ("NOUN", "PROPN")
    # 'September and third-quarter data confirm': a month coordinated with another noun
    return token.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj") and any(
        c.dep_ == "cc" for c in token.children
    )


def resolve_year(m: re.Match[str], pub: dt.date | None, tense: str) -> _Match | None:
    """A year after a preposition ('in 2019', 'since 2020'): the whole year, the span starting
    at the year itself."""
    year = int(m.group("year"))
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return _over_days(
        m.start("year"), m.end(), first, last, kind="year", granularity="year", label=str(year)
    )


def resolve_weekday_name(m: re.Match[str], pub: dt.date | None, tense: str) -> _Match | None:
    """A weekday name ('Tuesday', 'last Friday', 'early Monday', 'Tuesday morning'): 'last' is
    the one before publication, 'next' the one after, otherwise the tense decides (see
    :func:`resolve_weekday`); a part of the day after it narrows the interval. 'early'/'late'
    are left out of the span. Without a publication date, unresolved (labelled with the name)."""
    weekday = WEEKDAYS.index(m.group("weekday").lower())
    mod = (m.group("mod") or "").lower()
    start = m.start("weekday") if mod in ("early", "late") else m.start()
    if pub is None:
        return _unresolved(m, "weekday", "day", m.group("weekday"), start=start)
    if mod == "last":
        day = resolve_weekday(weekday, pub - dt.timedelta(days=1), "past")
    elif mod == "next":
        day = resolve_weekday(weekday, pub + dt.timedelta(days=1), "future")
    else:
        # the simple present with a weekday is a scheduled event ('voters go to the polls on
        # Sunday'); only past forms look back.
        day = resolve_weekday(weekday, pub, "past" if tense == "past" else "future")
    found = _on_day(m, "weekday", day, start=start, weekday=m.group(0))
    if m.group("part"):
        _apply_part(found, m.group("part").lower())
    return found


#: days from publication of the day words that name a whole day.
_DAY_WORD_OFFSETS = {"today": 0, "yesterday": -1, "tomorrow": 1}


@_needs_publication_date
def resolve_day_word(m: re.Match[str], pub: dt.date) -> _Match:
    """'today', 'yesterday', 'tomorrow': that day; 'this morning/afternoon/evening': that part
    of the publication day; 'tonight' the night of the publication day, 'last night' and
    'overnight' the night before it."""
    word = m.group("word").lower()
    if word in _DAY_WORD_OFFSETS:
        return _on_day(m, "relative", pub + dt.timedelta(days=_DAY_WORD_OFFSETS[word]))
    if word.startswith("this "):
        found = _on_day(m, "relative", pub)
        _apply_part(found, word.split()[1])
        return found
    night = pub - dt.timedelta(days=1) if word in ("last night", "overnight") else pub
    found = _on_day(m, "relative", night)
    _apply_part(found, "night")
    return found


#: days in a unit of 'n units ago', and the slack either side of a week, month or year.
_AGO_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}
_AGO_SLACK_DAYS = {"week": 3, "month": 15, "year": 180}


@_needs_publication_date
def resolve_ago(m: re.Match[str], pub: dt.date) -> _Match:
    """'two days ago', 'a week earlier', 'three months previously': that many days before
    publication; weeks, months and years are approximate, so their interval has slack either
    side and the label starts with '~'."""
    unit = m.group("unit").lower()
    day = pub - dt.timedelta(days=_number(m.group("n")) * _AGO_DAYS[unit])
    if unit == "day":
        return _on_day(m, "relative", day)
    slack = dt.timedelta(days=_AGO_SLACK_DAYS[unit])
    label = f"~{day.isoformat()}"
    return _over_days(
        m.start(), m.end(), day - slack, day + slack, kind="relative", granularity=unit, label=label
    )


@_needs_publication_date
def resolve_previous_day(m: re.Match[str], pub: dt.date) -> _Match:
    """'the previous day', 'the day before': the day before publication."""
    return _on_day(m, "relative", pub - dt.timedelta(days=1))


@_needs_publication_date
def resolve_span(m: re.Match[str], pub: dt.date) -> _Match:
    """'the past two weeks', 'the previous 3 days': the days up to the day before
    publication, labelled 'first/last'."""
    days = _number(m.group("n")) * (7 if m.group("unit").lower() == "week" else 1)
    first, last = pub - dt.timedelta(days=days), pub - dt.timedelta(days=1)
    label = f"{first.isoformat()}/{last.isoformat()}"
    return _over_days(
        m.start(), m.end(), first, last, kind="relative", granularity="day", label=label
    )


@_needs_publication_date
def resolve_calendar_unit(m: re.Match[str], pub: dt.date) -> _Match:
    """'last week', 'earlier this month', 'next year', 'the past year': a calendar week,
    month or year around publication (see :func:`_calendar`)."""
    return _calendar(m.start(), m.end(), m.group("rel").lower(), m.group("unit").lower(), pub)


#: the resolver of each pattern in :data:`PATTERNS`, by pattern name.
_RESOLVERS: dict[str, Resolver] = {
    "iso": resolve_iso_date,
    "mdy": resolve_written_date,
    "dmy": resolve_written_date,
    "month": resolve_month,
    "month_mod": resolve_month_modifier,
    "year": resolve_year,
    "weekday": resolve_weekday_name,
    "dayword": resolve_day_word,
    "ago": resolve_ago,
    "prevday": resolve_previous_day,
    "span": resolve_span,
    "calendar": resolve_calendar_unit,
    "clock": resolve_clock,
}


def _resolve(m: re.Match[str], name: str, pub: dt.date | None, tense: str) -> _Match | None:
    """Resolve a match of pattern ``name`` with that pattern's resolver.

    >>> sorted(_RESOLVERS) == sorted(name for name, _ in PATTERNS)
    True
    """
    return _RESOLVERS[name](m, pub, tense)


def _calendar(start: int, end: int, rel: str, unit: str, pub: dt.date) -> _Match:
    """The week, month or year that 'last', 'this', 'next', 'past', 'earlier this' or 'later this'
    (``rel``) names around the publication date; 'past' is the days up to publication."""
    if unit == "week":
        week_start = pub - dt.timedelta(days=pub.weekday())
        shift = {"last": -7, "past": -7, "next": 7}.get(rel, 0)
        first = week_start + dt.timedelta(days=shift)
        last = first + dt.timedelta(days=6)
        if rel == "past":
            first, last = pub - dt.timedelta(days=7), pub
        elif rel in ("this", "earlier this", "later this"):
            first, last = this_week(pub)
    elif unit == "month":
        year, month = pub.year, pub.month
        if rel in ("last", "past"):
            year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        elif rel == "next":
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        first, last = _month_bounds(year, month)
        if rel == "past":
            first, last = pub - dt.timedelta(days=31), pub
    else:
        year = pub.year + {"last": -1, "next": 1}.get(rel, 0)
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        if rel == "past":
            first, last = pub - dt.timedelta(days=365), pub
    if rel == "earlier this":
        last = pub
    elif rel == "later this":
        first = pub
    label = f"{first.isoformat()}/{last.isoformat()}"
    return _over_days(start, end, first, last, kind="relative", granularity=unit, label=label)


def this_week(published: dt.date) -> tuple[dt.date, dt.date]:
    """The days 'this week' can mean on a publication date: outlets count weeks from Monday or
    from Sunday, so both weeks that hold the date count. On a Sunday that is the week just ending
    and the one just starting ('later this week', written on a Sunday, is the coming days).

    >>> [d.isoformat() for d in this_week(dt.date(2024, 1, 14))]  # a Sunday
    ['2024-01-08', '2024-01-20']
    >>> [d.isoformat() for d in this_week(dt.date(2024, 1, 17))]  # a Wednesday
    ['2024-01-14', '2024-01-21']
    """
    monday = published - dt.timedelta(days=published.weekday())
    sunday = published - dt.timedelta(days=(published.weekday() + 1) % 7)
    return min(monday, sunday), max(monday, sunday) + dt.timedelta(days=6)


def zone_offsets(t: TimeMention) -> tuple[dt.timedelta, ...]:
    """The UTC offsets of the time zone written with a clock time ('3 p.m. EST': -5 hours; 'ET':
    -5 or -4), read from the mention's label; () when no zone was written.

    >>> pub = dt.datetime(2024, 1, 16, 9, tzinfo=dt.timezone.utc)
    >>> s = "He will speak at 3 p.m. EST on Wednesday."
    >>> [t] = find_times(s, 0, len(s), pub)
    >>> t.label, zone_offsets(t)
    ('2024-01-17 15:00 EST', (datetime.timedelta(days=-1, seconds=68400),))
    """
    if t.granularity != "minute" or " " not in t.label:
        return ()
    zone = t.label.rsplit(" ", 1)[1]
    return tuple(dt.timedelta(hours=h) for h in TIME_ZONES.get(zone, ()))


def _apply_part(found: _Match, part: str) -> None:
    """Narrow a day interval to a part of the day ('morning', 'night' ...)."""
    if found.earliest is None:
        return
    lo, hi = PARTS_OF_DAY[part]
    day = found.earliest.replace(hour=0, minute=0, second=0)
    found.earliest = day + dt.timedelta(hours=lo)
    found.latest = day + dt.timedelta(hours=hi) - dt.timedelta(seconds=1)
    found.granularity = "part_of_day"
    found.label = f"{found.label} {part}"


def _merge_clock(day: _Match, clock: _Match, text: str) -> _Match:
    start, end = min(day.start, clock.start), max(day.end, clock.end)
    merged = _Match(
        start=start,
        end=end,
        kind=day.kind,
        granularity="minute",
        earliest=day.earliest,
        latest=day.latest,
        label=day.label,
    )
    if day.earliest is not None and clock.clock is not None:
        base = day.earliest.replace(hour=0, minute=0, second=0)
        merged.earliest = base + dt.timedelta(minutes=clock.clock[0])
        merged.latest = base + dt.timedelta(minutes=clock.clock[1], seconds=59)
        merged.label = f"{base.date().isoformat()} {clock.label}"
    merged.zone = clock.zone
    return merged


def _select(found: list[_Match]) -> list[_Match]:
    """Drop matches that overlap a longer one."""
    kept: list[_Match] = []
    for m in sorted(found, key=lambda x: (-(x.end - x.start), x.start)):
        if all(m.end <= k.start or m.start >= k.end for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda x: x.start)


def _join(matches: list[_Match], text: str) -> list[_Match]:
    """Join a day with an adjacent clock time ('6 a.m. on Tuesday', 'Tuesday at 6 a.m.')."""
    out: list[_Match] = []
    i = 0
    while i < len(matches):
        cur = matches[i]
        nxt = matches[i + 1] if i + 1 < len(matches) else None
        if nxt is not None and _JOIN_GAP.match(text[cur.end : nxt.start] or " "):
            kinds = {cur.kind, nxt.kind}
            if "time_of_day" in kinds and kinds & _DAY_KINDS:
                day, clock = (cur, nxt) if cur.kind != "time_of_day" else (nxt, cur)
                if day.granularity in ("day", "part_of_day"):
                    out.append(_merge_clock(day, clock, text))
                    i += 2
                    continue
        out.append(cur)
        i += 1
    return out


def _resolve_within_calendar(
    m: re.Match[str], name: str, pub: dt.date | None, tense: str
) -> _Match | None:
    """:func:`_resolve`, guarded at the calendar's edges: a date that would fall before year 1
    or after 9999 (from the text, "December 31, 9999", or from the publication date) leaves the
    mention unresolved, or drops it, instead of losing every claim of the article."""
    try:
        return _resolve(m, name, pub, tense)
    except (OverflowError, ValueError):
        pass
    if pub is None:
        return None
    try:
        return _resolve(m, name, None, tense)
    except (OverflowError, ValueError):
        return None


def find_times(
    text: str,
    start: int,
    end: int,
    published: dt.datetime | None,
    doc: Doc | None = None,
) -> list[TimeMention]:
    """Time expressions in ``text[start:end]``, with spans as offsets into ``text``.

    >>> pub = dt.datetime(2021, 12, 15, 9, 0, tzinfo=dt.timezone.utc)
    >>> s = "He was due to hold meetings in Thailand on Thursday."
    >>> [(t.kind, t.label) for t in find_times(s, 0, len(s), pub)]
    [('weekday', '2021-12-16')]
    """
    pub = local_date(published)
    window = text[start:end]
    found: list[_Match] = []
    for name, pattern in PATTERNS:
        for m in pattern.finditer(window):
            s, e = m.start() + start, m.end() + start
            if name == "month_mod" and not _month_modifier(doc, s, m.end("month") + start):
                continue
            tense = "past"
            if name in ("weekday", "month", "mdy", "dmy"):
                tense, _ = tense_at(doc, text, start, s, e)
            if name in ("mdy", "dmy") and _modifies_noun(doc, s, e):
                tense = "present"  # 'the Oct. 7 date', 'the May 30 deadline': the nearest
            resolved = _resolve_within_calendar(m, name, pub, tense)
            if resolved is None:
                continue
            resolved.start += start
            resolved.end += start
            found.append(resolved)
    mentions: list[TimeMention] = []
    for t in _join(_select(found), text):
        tense, predicate = tense_at(doc, text, start, t.start, t.end)
        span = Span(t.start, t.end, text[t.start : t.end])
        mentions.append(
            TimeMention(
                span=span,
                kind=t.kind,
                granularity=t.granularity,
                earliest=t.earliest,
                latest=t.latest,
                label=t.label,
                predicate=predicate,
                tense=tense,
            )
        )
    return mentions


def overlap(a: TimeMention, b: TimeMention, tolerance: dt.timedelta = dt.timedelta(0)) -> bool:
    """Whether two resolved mentions can denote the same moment (their intervals meet).

    >>> pub = dt.datetime(2021, 12, 15, tzinfo=dt.timezone.utc)
    >>> s = "Tuesday morning and 6 a.m. on Tuesday"
    >>> a, b = find_times(s, 0, len(s), pub)
    >>> overlap(a, b)
    True
    """
    if not (a.resolved and b.resolved):
        return True
    assert a.earliest and a.latest and b.earliest and b.latest
    return a.earliest <= b.latest + tolerance and b.earliest <= a.latest + tolerance
