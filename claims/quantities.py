"""Numbers in a claim: counts, money, percents, durations and rates, as closed ranges.

Numbers are read from digits ('1,200', '1.2'), scale suffixes ('$1.2bn', '5m', '3k'), number
words ('four and a half thousand', 'a dozen', 'two') and vague plurals ('dozens', 'hundreds').
Approximators and bounds ('about', 'more than', 'at least', 'nearly', 'up to') turn the value into
a range; 'between 10 and 20' and '10-20' are ranges themselves. Durations are normalised to hours
('48-hour' == 'two-day'), rates to a per-day figure ('daily' == 'a day' == 'per day').

>>> [(q.value, q.unit, q.kind) for q in find_quantities("It cost $1.2bn.", 0, 15)]
[(1200000000.0, 'USD', 'money')]
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token

from claims.records import Quantity, Span

UNITS_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12,
}  # fmt: skip
SCALES = {
    "hundred": 1e2, "thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "mln": 1e6,
    "billion": 1e9, "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12, "trn": 1e12,
}  # fmt: skip
#: vague plural quantities ('dozens of people') as ranges.
VAGUE = {
    "dozens": (24.0, 99.0),
    "scores": (40.0, 99.0),
    "hundreds": (200.0, 999.0),
    "thousands": (2000.0, 9999.0),
    "millions": (2e6, 9.99e8),
    "billions": (2e9, 9.99e11),
}
CURRENCY_SYMBOLS = {"us$": "USD", "$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR"}
CURRENCY_WORDS = {
    "dollar": "USD", "usd": "USD", "euro": "EUR", "eur": "EUR", "pound": "GBP", "gbp": "GBP",
    "sterling": "GBP", "yen": "JPY", "jpy": "JPY", "yuan": "CNY", "rupee": "INR",
    "franc": "CHF", "peso": "MXN", "rand": "ZAR", "won": "KRW", "ruble": "RUB", "rouble": "RUB",
}  # fmt: skip
#: duration units in hours.
DURATIONS = {
    "second": 1 / 3600, "minute": 1 / 60, "hour": 1.0, "day": 24.0, "week": 168.0,
    "fortnight": 336.0, "month": 730.0, "year": 8760.0,
}  # fmt: skip
#: measurement units, normalised (unit, factor).
MEASURES = {
    "km": ("km", 1.0), "kilometre": ("km", 1.0), "kilometer": ("km", 1.0),
    "mile": ("km", 1.609344), "metre": ("m", 1.0), "meter": ("m", 1.0), "m2": ("m2", 1.0),
    "kg": ("kg", 1.0), "kilo": ("kg", 1.0), "kilogram": ("kg", 1.0), "tonne": ("kg", 1000.0),
    "ton": ("kg", 1000.0),
    "degree": ("degree", 1.0), "acre": ("ha", 0.404686), "hectare": ("ha", 1.0),
    "ha": ("ha", 1.0), "mph": ("km/h", 1.609344), "kph": ("km/h", 1.0), "km/h": ("km/h", 1.0),
}  # fmt: skip
#: per-period words, as days per period.
PERIODS = {"hour": 1 / 24, "day": 1.0, "week": 7.0, "month": 30.4, "year": 365.0}
PERIOD_ADVERBS = {"hourly": "hour", "daily": "day", "weekly": "week", "monthly": "month",
                  "annually": "year", "yearly": "year", "annual": "year"}  # fmt: skip
#: approximators and bounds -> how they shape the range (see ``quantity_range``).
APPROXIMATORS = {
    "about": "approx", "around": "approx", "roughly": "approx", "approximately": "approx",
    "some": "approx", "an estimated": "approx", "estimated": "approx", "close to": "approx",
    "circa": "approx", "almost": "below", "nearly": "below", "just under": "below",
    "more than": "min", "over": "min", "at least": "min", "above": "min", "upwards of": "min",
    "in excess of": "min", "exceeding": "min", "no fewer than": "min", "no less than": "min",
    "just over": "above", "up to": "max", "as many as": "max", "as much as": "max",
    "at most": "max", "no more than": "max", "fewer than": "max", "less than": "max",
    "under": "max", "below": "max",
}  # fmt: skip
#: default relative width of 'about'-type approximators (the numeric rule can override it).
APPROX_WIDTH = 0.1

_NUMBER_WORDS = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    r"eighty|ninety|hundred|thousand|million|billion|trillion|dozen|half|quarter)\b"
)
_WORD_NUMBER = (
    r"(?:(?:a|an)[\s-]+(?=(?:half|quarter|dozen|hundred|thousand|million|billion)\b))?"
    + _NUMBER_WORDS
    + r"(?:[\s-]+(?:and[\s-]+)?(?:an?[\s-]+)?"
    + _NUMBER_WORDS
    + r")*"
)
#: a fraction written with a slash, alone or after a whole number ('1/2', '2 1/2', '2-1/2'); not
#: a date ('6/25/2003').
_FRACTION = r"(?:\d+[\s-])?\d{1,2}/\d{1,2}(?![\d/])"
_DIGITS = _FRACTION + r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
_APPROX = "|".join(sorted((re.escape(a) for a in APPROXIMATORS), key=len, reverse=True))
_SCALE = r"(?:\s?(?P<scale>hundred|thousand|million|billion|trillion|bn|mn|mln|tn|trn|[kmb])\b)"
NUMBER_RE = re.compile(
    r"(?:(?P<approx>" + _APPROX + r")\s+)?"
    r"(?:(?P<between>between|from)\s+)?"
    r"(?P<cur>US\$|\$|€|£|¥|₹)?\s?"
    r"(?P<num>" + _DIGITS + r"|\b" + _WORD_NUMBER + r")" + _SCALE + r"?"
    r"(?:\s?(?:-|–|to|and)\s?(?P<cur2>US\$|\$|€|£|¥)?(?P<num2>"
    + _DIGITS
    + r")"
    + _SCALE.replace("scale", "scale2")
    + r"?)?"
    r"(?P<unit>\s?(?:%|per\s?cent\b|percent\b|percentage points?\b)|"
    r"[\s-](?:(?:US\s)?dollars?|euros?|pounds?(?: sterling)?|yen|yuan|rupees?|francs?|pesos?|"
    r"USD|EUR|GBP|JPY)\b|"
    r"[\s-](?:seconds?|minutes?|hours?|days?|weeks?|fortnights?|months?|years?)(?:-long|-old)?\b|"
    r"[\s-]?(?:km/h|km|kilomet(?:re|er)s?|miles?|met(?:re|er)s?|kg|kilos?|kilograms?|tonnes?|tons?|"
    r"degrees?|acres?|hectares?|mph|kph)\b)?",
    re.IGNORECASE,
)
VAGUE_RE = re.compile(
    r"\b(?P<vague>dozens|scores|hundreds|thousands|millions|billions)\s+of\b", re.I
)
RATE_RE = re.compile(
    # 'a year earlier' / 'a week ago' date a figure, they do not make it a rate
    r"^(?:\s+[a-z][\w-]*){0,3}?\s+(?:a|an|per|each|every)\s+(?P<per>hour|day|week|month|year)\b"
    r"(?!\s+(?:earlier|ago|before|later|after|previously|on\b|from\b))"
    r"|^(?:\s+[a-z][\w-]*){0,3}?\s+(?P<adv>hourly|daily|weekly|monthly|annually|yearly)\b"
    r"|^/(?P<slash>hour|day|week|month|year)\b",
    re.IGNORECASE,
)
_NOUN_AFTER = re.compile(r"^\s+(?:of\s+(?:the\s+)?)?([A-Za-z][A-Za-z-]*)")


#: words before a number that make it the figure a change is measured from ('up from 9,500',
#: 'compared with $2.9bn', 'against 3.8 million a year earlier', 'an increase over last year's
#: $0.9bn'), with up to four words between ('up from an earlier toll of nine'), or a bare 'from'
#: right before it ('rose to 25 cents from 12 cents', 'jumped from 40 to 55').
BASE_RE = re.compile(
    r"\b(?:(?:up|down|higher|lower|rising|falling|rose|fell)\s+from|compared\s+(?:with|to)|"
    r"(?:increase|rise|gain|decline|drop|fall|jump|decrease)s?\s+(?:over|from|on)|"
    r"versus|vs\.?|against)\s+(?:[\w'’.-]+\s+){0,4}$|\bfrom\s+$",
    re.IGNORECASE,
)
#: words before a percentage that make it a change rather than a level ('rose by 2%', 'up 2%').
CHANGE_RE = re.compile(r"\b(?:by|up|down)\s+$", re.IGNORECASE)


def comparison_role(before: str) -> str:
    """What a number is in a comparison, from the words written before it: ``base`` (the figure
    a change starts from), ``change`` (a percentage written as a rise or fall) or ``""``.

    >>> comparison_role("Exports rose to $3.2bn, up from "), comparison_role("rose by ")
    ('base', 'change')
    >>> comparison_role("The storm killed ")
    ''
    """
    tail = before[-80:]
    if BASE_RE.search(tail):
        return "base"
    if CHANGE_RE.search(tail):
        return "change"
    return ""


def words_to_number(text: str) -> float | None:
    """The value of a number written in words.

    >>> words_to_number("four and a half thousand")
    4500.0
    >>> words_to_number("twenty-one"), words_to_number("half a million")
    (21.0, 500000.0)
    """
    words = [w for w in re.split(r"[\s-]+", text.lower().strip()) if w]
    if not words or all(w in ("a", "an", "and") for w in words):
        return None
    total, current, seen = 0.0, 0.0, False
    for i, word in enumerate(words):
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if word in ("a", "an"):
            if nxt in ("half", "quarter"):
                continue
            if nxt in SCALES or nxt == "dozen":
                current = max(current, 0.0) + 1 if current == 0 else current
                seen = True
            continue
        if word == "and":
            continue
        if word in ("half", "quarter"):
            frac = 0.5 if word == "half" else 0.25
            if current == 0 and total == 0:
                current = frac
            else:
                current += frac
            seen = True
            continue
        if word in UNITS_WORDS:
            value = UNITS_WORDS[word]
            current = current * value if word == "dozen" and current else current + value
            seen = True
        elif word in ("hundred",):
            current = (current or 1) * 100
            seen = True
        elif word in ("thousand", "million", "billion", "trillion"):
            total += (current or 1) * SCALES[word]
            current = 0
            seen = True
        else:
            return None
    return total + current if seen else None


def _parse_number(raw: str) -> tuple[float, int] | None:
    """(value, decimals) of a digit or word number."""
    raw = raw.strip()
    fraction = re.fullmatch(r"(?:(\d+)[\s-])?(\d+)/(\d+)", raw)
    if fraction:
        whole, top, bottom = fraction.groups()
        if not int(bottom):
            return None
        return float(whole or 0) + int(top) / int(bottom), 0
    if re.fullmatch(_DIGITS, raw):
        decimals = len(raw.split(".")[1]) if "." in raw else 0
        return float(raw.replace(",", "")), decimals
    value = words_to_number(raw)
    return (value, 0) if value is not None else None


def quantity_range(
    value: float, approximator: str, width: float = APPROX_WIDTH
) -> tuple[float, float]:
    """The range a number with an approximator or bound allows.

    >>> quantity_range(100, "about", 0.25)
    (75.0, 125.0)
    >>> quantity_range(40, "more than")
    (40, inf)
    """
    shape = APPROXIMATORS.get(approximator.lower(), "")
    if shape == "approx":
        return value * (1 - width), value * (1 + width)
    if shape == "below":
        return value * (1 - width), value
    if shape == "above":
        return value, value * (1 + width)
    if shape == "min":
        return value, math.inf
    if shape == "max":
        return 0.0, value
    return value, value


def _unit_of(raw_unit: str, currency: str) -> tuple[str, str, float]:
    """(unit, kind, factor) for the text after a number."""
    unit = raw_unit.strip(" -").lower()
    unit = re.sub(r"-(?:long|old)$", "", unit)
    if currency:
        return CURRENCY_SYMBOLS[currency.lower()], "money", 1.0
    if not unit:
        return "", "count", 1.0
    if unit.startswith(("%", "per")):
        return ("pp" if "point" in unit else "%"), "percent", 1.0
    singular = unit.split()[-1].rstrip("s") if unit not in ("km/h",) else unit
    if unit.startswith("us "):
        return "USD", "money", 1.0
    if singular in CURRENCY_WORDS or singular.upper() in ("USD", "EUR", "GBP", "JPY"):
        return CURRENCY_WORDS.get(singular, singular.upper()), "money", 1.0
    if singular in DURATIONS:
        return "hour", "duration", DURATIONS[singular]
    if singular in MEASURES:
        norm, factor = MEASURES[singular]
        return norm, "measure", factor
    return "", "count", 1.0


def _token_for(doc: Doc | None, start: int, end: int) -> Token | None:
    if doc is None:
        return None
    span = doc.char_span(start, end, alignment_mode="expand")
    return span[-1] if span is not None and len(span) else None


def _counted_and_predicate(text: str, end: int, doc: Doc | None, start: int) -> tuple[str, str]:
    """The noun a number counts and the verb it attaches to."""
    token = _token_for(doc, start, end)
    if token is None:
        m = _NOUN_AFTER.match(text[end : end + 40])
        word = m.group(1).lower() if m else ""
        if word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        return word, ""
    counted = ""
    head = token.head
    partitive = [
        g
        for c in token.children
        if c.dep_ == "prep" and c.lower_ == "of"
        for g in c.children
        if g.dep_ == "pobj" and g.pos_ in ("NOUN", "PROPN")
    ]
    if token.dep_ in ("nummod", "quantmod", "compound", "amod") and head.pos_ in ("NOUN", "PROPN"):
        counted = head.lemma_.lower()
    elif partitive:
        counted = partitive[0].lemma_.lower()  # 'two of the 11 crew members'

    else:
        for nxt in token.doc[token.i + 1 : token.i + 5]:
            if nxt.pos_ in ("NOUN", "PROPN") and nxt.dep_ != "compound":
                counted = nxt.lemma_.lower()
                break
            skippable = ("ADJ", "ADP", "DET", "NUM", "SYM", "PUNCT", "PROPN", "NOUN")
            if (nxt.pos_ not in skippable and nxt.tag_ != "PRP$") or nxt.lower_ in (",",):
                break
    if counted in DURATIONS or counted in ("percent", "%", "cent", "point"):
        counted = ""
        for nxt in token.doc[token.i + 1 : token.i + 6]:
            unit_words = {*DURATIONS, "percent", "cent", "%", "point", "percentage"}
            if nxt.pos_ == "NOUN" and nxt.lemma_.lower() not in unit_words:
                counted = nxt.lemma_.lower()
                break
            if nxt.pos_ in ("VERB", "AUX", "PUNCT") and nxt.text not in ("-", "%"):
                break
    node = token
    predicate = ""
    for _ in range(10):
        if node.pos_ == "VERB" or (node.pos_ == "AUX" and node.dep_ == "ROOT"):
            predicate = node.lemma_.lower()
            break
        if node.head is node:
            break
        node = node.head
    if not counted and node.pos_ in ("VERB", "AUX"):
        subjects = [c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects and subjects[0].pos_ in ("NOUN", "PROPN"):
            counted = subjects[0].lemma_.lower()
    return counted, predicate


def _blocked(text: str, start: int, end: int) -> bool:
    """Digits glued to letters ('COVID-19', 'G7', 'F-16') are names, not quantities; digits
    joined by a slash ('2/32', '5/8', '24/7') are a fraction or a ratio, not two counts."""
    before = text[start - 1] if start > 0 else " "
    before2 = text[start - 2] if start > 1 else " "
    after = text[end] if end < len(text) else " "
    after2 = text[end + 1] if end + 1 < len(text) else " "
    return (
        before.isalpha()
        or (before == "-" and before2.isalnum())
        or (after.isalpha() and not text[start:end].isalpha())
        or (after == "-" and after2.isdigit())
        or (after == "/" and after2.isdigit())
        or (before == "/" and before2.isdigit())
    )


def _overlaps(spans: Sequence[Span], start: int, end: int) -> bool:
    """Whether ``[start, end)`` overlaps any of ``spans``."""
    return any(start < sp.end and sp.start < end for sp in spans)


#: what the number pattern can catch on its own that is no number ('a', 'half' before a noun).
_NOT_NUMBERS = frozenset({"a", "an", "and", "half", "quarter"})
_YEAR = re.compile(r"(?:19|20)\d{2}")


@dataclass(frozen=True)
class _Candidate:
    """A match of :data:`NUMBER_RE` that may be a quantity; offsets are into the whole text."""

    match: re.Match[str]
    start: int
    end: int
    num_start: int
    #: the number itself, as written ('1,200', 'four and a half')
    num_text: str


@dataclass(frozen=True)
class _Figure:
    """What a candidate says: its value and range in normalised units (see :func:`_unit_of`)."""

    value: float
    low: float
    high: float
    unit: str
    kind: str
    approximator: str


def _number_candidates(
    text: str, start: int, end: int, skip: Sequence[Span]
) -> Iterator[_Candidate]:
    """Step 1: the numbers written in ``text[start:end]``, less a lone 'a'/'half', a number
    inside a ``skip`` span, and digits glued to letters (:func:`_blocked`)."""
    for m in NUMBER_RE.finditer(text[start:end]):
        raw_num = m.group("num")
        if raw_num.strip().lower() in _NOT_NUMBERS:
            continue
        num_text = raw_num.rstrip(" -")
        num_start = m.start("num") + start
        num_end = num_start + len(num_text)
        blocked_end = m.end() + start if m.group("scale") else num_end
        if _overlaps(skip, num_start, num_end) or _blocked(text, num_start, blocked_end):
            continue
        yield _Candidate(
            match=m,
            start=m.start() + start,
            end=m.end() + start,
            num_start=num_start,
            num_text=num_text,
        )


def _scale_word(m: re.Match[str]) -> str:
    """The scale written after the number ('bn', 'million'); a bare 'b' counts only after a
    currency symbol ('$5b', not '5b')."""
    scale_word = (m.group("scale") or "").lower()
    if scale_word == "b" and not m.group("cur"):
        return ""
    return scale_word


def _read_figure(c: _Candidate) -> _Figure | None:
    """Step 2: the value of a candidate with its scale and unit, widened by its approximator
    ('about', 'more than') and the rounding of a scaled decimal ('$1.2bn'), and extended to a
    written range (:func:`_read_range`). None when the number cannot be read, is a bare year
    ('in 2019', left to the time reader) or opens an unfinished range ('between 10')."""
    m = c.match
    parsed = _parse_number(c.num_text)
    if parsed is None:
        return None
    value, decimals = parsed
    scale_word = _scale_word(m)
    scale = SCALES.get(scale_word, 1.0)
    unit, kind, factor = _unit_of(m.group("unit") or "", m.group("cur") or "")
    if kind == "count" and not scale_word and not m.group("cur") and _YEAR.fullmatch(c.num_text):
        return None  # a year: the time reader handles it
    value *= scale * factor
    # half the last written decimal of a scaled number: '$1.2bn' is 1.15bn to 1.25bn
    precision = 0.5 * 10 ** (-decimals) * scale * factor if decimals and scale > 1 else 0.0
    approximator = (m.group("approx") or "").lower()
    low, high = quantity_range(value, approximator)
    figure = _Figure(
        value=value,
        low=low - precision,
        high=high + precision,
        unit=unit,
        kind=kind,
        approximator=approximator,
    )
    return _read_range(m, figure, scale_word, factor)


def _read_range(
    m: re.Match[str], figure: _Figure, scale_word: str, factor: float
) -> _Figure | None:
    """A written range ('10-20', 'from 5 to 7 million', 'between 10 and 20') runs to its
    second number, which lends its scale to an unscaled first one. None for 'between 10'
    without its pair; 'from 12' without one is the number alone."""
    if not m.group("num2"):
        # 'between 10' needs its pair; 'from 12' alone is the old value of a change ('to 25
        # cents from 12 cents'), read as a figure (its role: :func:`comparison_role`)
        return None if (m.group("between") or "").lower() == "between" else figure
    second = _parse_number(m.group("num2"))
    if second is None:
        return figure
    scale2 = SCALES.get((m.group("scale2") or scale_word).lower(), 1.0)
    value, low, high = figure.value, figure.low, second[0] * scale2 * factor
    if not m.group("scale") and m.group("scale2"):
        low *= scale2
        value = low
    if high < low:
        low, high = high, low
    return replace(figure, value=value, low=low, high=high)


def _as_rate(figure: _Figure, after: str) -> _Figure:
    """Step 3: a count, amount, percentage or measure followed by a period ('a day', 'per
    week', 'daily', '/hour') becomes a rate per day, its unit suffixed '/day'."""
    rate = RATE_RE.match(after)
    if not rate or figure.kind not in ("count", "money", "percent", "measure"):
        return figure
    period = rate.group("per") or rate.group("slash") or PERIOD_ADVERBS[rate.group("adv").lower()]
    per_day = 1.0 / PERIODS[period.lower()]
    return replace(
        figure,
        value=figure.value * per_day,
        low=figure.low * per_day,
        high=figure.high * per_day,
        unit=f"{figure.unit}/day",
        kind="rate",
    )


def _quantity_span(text: str, c: _Candidate) -> Span:
    """The text a quantity covers: the whole match, less the spaces and hyphens at its ends,
    and less a 'from' that opens no range ('from 12 cents' is '12 cents', so the words before it
    end in 'from' and say it is the starting point of a change)."""
    whole = c.match.group(0)
    start = c.start + len(whole) - len(whole.lstrip())
    m = c.match
    if (m.group("between") or "").lower() == "from" and not m.group("num2"):
        start = c.start + (m.start("cur") if m.group("cur") else m.start("num")) - m.start()
    end = c.end
    while end > start and text[end - 1] in " -":
        end -= 1
    return Span(start, end, text[start:end])


#: verbs and nouns of a change (lemmas): after one, 'from X to Y' gives the old and the new value
#: of one thing ('jumped from 40 to 55', 'an increase from 40 to 55'), not a range of it ('costs
#: from $100 to $150'). A closed English class, no story's words.
CHANGE_WORDS = frozenset(
    {"rise", "fall", "climb", "jump", "increase", "decrease", "raise", "cut", "reduce", "lower",
     "boost", "grow", "drop", "decline", "slip", "slide", "dip", "surge", "soar", "plunge",
     "tumble", "sink", "shrink", "swell", "double", "triple", "halve", "widen", "narrow",
     "expand", "hike", "slash", "trim", "lift", "revise", "upgrade", "downgrade", "change",
     "move", "go", "shift", "improve", "worsen", "ease", "gain", "lose", "edge", "advance",
     "retreat", "rebound", "recover", "up", "down", "reduction", "growth", "push", "send",
     "bring", "take", "fuel", "balloon", "spike", "leap", "rocket", "mount", "swing"}
)  # fmt: skip


def _change_ends(
    text: str, c: _Candidate, figure: _Figure, doc: Doc | None, predicate: str
) -> list[tuple[Span, _Figure]]:
    """'from X to Y' after a verb or noun of change (:data:`CHANGE_WORDS`, read from the parse)
    as two figures, the old value X and the new value Y, each with its own span (X's is
    preceded by 'from', so it reads as the starting point of the change); [] otherwise."""
    m = c.match
    if (m.group("between") or "").lower() != "from" or not m.group("num2") or doc is None:
        return []
    offset = c.start - m.start()
    from_token = _token_for(doc, offset + m.start("between"), offset + m.end("between"))
    head = from_token.head.lemma_.lower() if from_token is not None else ""
    if head not in CHANGE_WORDS and predicate not in CHANGE_WORDS:
        return []
    second = _parse_number(m.group("num2"))
    if second is None:
        return []
    scale2 = SCALES.get((m.group("scale2") or _scale_word(m)).lower(), 1.0)
    factor = _unit_of(m.group("unit") or "", m.group("cur") or "")[2]
    new, old = second[0] * scale2 * factor, figure.value
    old_start = offset + (m.start("cur") if m.group("cur") else m.start("num"))
    old_end = offset + m.end("scale") if m.group("scale") else c.num_start + len(c.num_text)
    new_start = offset + (m.start("cur2") if m.group("cur2") else m.start("num2"))
    new_end = _quantity_span(text, c).end
    exact = replace(figure, approximator="")
    return [
        (Span(s, e, text[s:e]), replace(exact, value=v, low=v, high=v))
        for s, e, v in ((old_start, old_end, old), (new_start, new_end, new))
    ]


def _vague_quantities(
    text: str,
    start: int,
    end: int,
    doc: Doc | None,
    skip: Sequence[Span],
    numbers: Sequence[Quantity],
) -> list[Quantity]:
    """Vague plurals ('dozens of', 'hundreds of') in ``text[start:end]`` as ranges (see
    :data:`VAGUE`), unless inside a ``skip`` span or a number already read."""
    found: list[Quantity] = []
    for m in VAGUE_RE.finditer(text[start:end]):
        s, e = m.start("vague") + start, m.end("vague") + start
        if _overlaps(skip, s, e) or _overlaps([q.span for q in (*numbers, *found)], s, e):
            continue
        low, high = VAGUE[m.group("vague").lower()]
        counted, predicate = _counted_and_predicate(text, m.end() + start, doc, s)
        found.append(
            Quantity(
                span=Span(s, e, text[s:e]),
                value=low,
                low=low,
                high=high,
                unit="",
                kind="count",
                approximator="vague",
                counted=counted,
                predicate=predicate,
            )
        )
    return found


def find_quantities(
    text: str,
    start: int,
    end: int,
    doc: Doc | None = None,
    skip: Sequence[Span] = (),
) -> list[Quantity]:
    """Quantities in ``text[start:end]`` (spans are offsets into ``text``), ignoring any number
    inside a ``skip`` span (dates and clock times already read as times).

    Written numbers are found (:func:`_number_candidates`), read with their scale, unit and
    approximator (:func:`_read_figure`), extended to a written range (:func:`_read_range`) and
    turned into a rate when a period follows (:func:`_as_rate`); the noun they count and the
    verb they attach to come from the parse (:func:`_counted_and_predicate`). Vague plurals
    ('dozens of') come last (:func:`_vague_quantities`).

    >>> s = "Some 4,500 people fled and more than 40 died."
    >>> [(q.low, q.high, q.counted) for q in find_quantities(s, 0, len(s))]
    [(4050.0, 4950.0, 'people'), (40.0, inf, 'died')]
    """
    found: list[Quantity] = []
    for c in _number_candidates(text, start, end, skip):
        figure = _read_figure(c)
        if figure is None:
            continue
        counted, predicate = _counted_and_predicate(text, c.end, doc, c.num_start)
        pieces = _change_ends(text, c, figure, doc, predicate) or [
            (_quantity_span(text, c), figure)
        ]
        for span, piece in pieces:
            piece = _as_rate(piece, text[c.end : c.end + 40])
            found.append(
                Quantity(
                    span=span,
                    value=piece.value,
                    low=piece.low,
                    high=piece.high,
                    unit=piece.unit,
                    kind=piece.kind,
                    approximator=piece.approximator,
                    counted=counted,
                    predicate=predicate,
                )
            )
    found += _vague_quantities(text, start, end, doc, skip, found)
    return sorted(found, key=lambda q: q.span.start)
