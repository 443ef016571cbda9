"""Build rule-evaluation pair sets from real cross-outlet text (MRPC) and measure the rules.

Input: the MRPC training split (``msr_paraphrase_train.txt``: ``Quality``, ``#1 ID``, ``#2 ID``,
``#1 String``, ``#2 String``; ``msr_paraphrase_sentences_train.txt``: each sentence's ``URL`` (the
outlet's site) and ``Web Date``). The corpus is read from the given folder at run time and nothing
of it is written into the repository: the outputs go under ``--out`` (``runs/`` is git-ignored).

Split rule (by story). Sentences are the nodes of a graph; two sentences are joined when they
form an MRPC pair, and also when they carry the same Web Date and their sets of words of
``MIN_OVERLAP_WORD_LEN`` letters or more have a Jaccard overlap of at least ``STORY_JACCARD``
(heavy word overlap on the same day: the same story told in another pair). Each connected
component is one story; its key is its smallest sentence id (as an integer) and it goes to
``dev`` when the first byte of ``sha256(SPLIT_SALT + key)`` is even, else to ``test``
(about 50/50, independent of file order). Both sentences of a pair are in one component, so a
pair, and every case made from it, has its component's split.

Outputs (JSON lines in the format of :mod:`rules.scoring`, with extra fields that the scorer
ignores):

- ``real_paraphrases.jsonl``: every Quality=1 pair as a must-not-flag case, ``check: "any"``,
  ``expect: "silent"`` (every check must stay silent; see :data:`rules.scoring.PSEUDO_CHECKS`).
  ``outlet`` is the sentence table's URL without ``www.`` (its Agency when the URL is ``*``),
  ``published`` the Web Date at 12:00 UTC (the other side's Web Date when a sentence is missing
  from the table; MRPC pairs are always same-day).
- ``injected.jsonl``: one side of a real paraphrase pair edited, so the two sides are real
  paraphrases that differ by the injected value on top of real paraphrase noise. Contradictions
  (``expect: "fire"``): number, scale, percentage and duration changes (numeric), weekday, month
  and day-of-month shifts (temporal), a title swapped before a person's name (entity_role), a
  place swapped for another place of the same spaCy type (place), negation inserted or removed
  and denial ('failed to X') (negation). Meaning-keeping
  rewrites (``expect: "silent"``): 'about N', 'N thousand', '$N' -> 'N dollars', '%' <->
  'percent', '48-hour' <-> 'two-day', small numbers as words, a weekday -> the date the project's
  resolver gives it, month abbreviations, title abbreviations ('Sen.' <-> 'Senator'). An edit
  is only made to a value that the *other* side also states (same surface form; the surname for
  titles), so a contradiction is a real disagreement between the two sides. Every case has
  ``edit`` (the kind), ``note`` (original -> edited value), ``side`` (which side was edited) and
  ``mrpc`` (the two sentence ids). At most one case per pair and kind; the choice among
  candidates is seeded by the pair and kind, so the output is deterministic.
- ``real_nonparaphrase_sample.jsonl``: ``NONPARAPHRASE_SAMPLE`` seeded Quality=0 pairs from each
  split (dev first, then test), with empty fields for hand labelling (``label``, ``check``,
  ``labeller``, ``comment``).
- ``real_discrepancies.jsonl``: the sample joined with the committed hand labels
  (``eval/mrpc_nonparaphrase_labels.jsonl``, keyed by pair id, written by the rule in
  ``eval/mrpc_labels.md``; no MRPC text): a ``discrepancy`` is a must-fire case of its check, a
  ``no_discrepancy`` a must-not-flag case (``check: "any"``, ``expect: "silent"``); ``unsure``
  pairs and discrepancies in a slot no check covers (``check: "other"``) are left out and
  counted. The join also runs alone with ``--no-build``.

Words are found with the project's spaCy pipeline (:func:`claims.nlp.load_nlp`) and closed English
word classes (weekdays, months, scale words, time units, titles, auxiliaries); nothing is tuned
to any story.

Measuring (``--measure``) runs the rules only (no NLI) through :mod:`rules.scoring`'s extractor
and scorer on the written files and writes ``measure.json`` and ``measure.md`` next to them.

    python eval/make_real_pairs.py --mrpc ../shared/data/paraphrase/mrpc --out runs/eval
    python eval/make_real_pairs.py --mrpc ../shared/data/paraphrase/mrpc --out runs/eval --measure
    python eval/make_real_pairs.py --mrpc ../shared/data/paraphrase/mrpc --out runs/eval --no-build
"""

from __future__ import annotations

import argparse
import calendar
import csv
import datetime as dt
import hashlib
import json
import logging
import random
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

log = logging.getLogger("make_real_pairs")

# --- settings --------------------------------------------------------------------------------

#: base seed of every random choice (per pair and kind), so reruns write identical files.
SEED = 12
#: salt of the story hash: changing it reshuffles stories between dev and test.
SPLIT_SALT = "crossclaim-mrpc-v1:"
#: same-day sentences sharing this Jaccard overlap of long words tell the same story (MRPC
#: paraphrase pairs themselves sit around 0.4-0.7; unrelated same-day news is far below 0.5).
STORY_JACCARD = 0.5
#: words shorter than this are mostly function words and do not identify a story.
MIN_OVERLAP_WORD_LEN = 4
#: Web Date has no time of day; noon UTC keeps the calendar day the same in every US/EU offset.
PUBLISHED_HOUR_UTC = 12
#: how many Quality=0 pairs per split a person is asked to label (about an hour of work each).
NONPARAPHRASE_SAMPLE = 200
#: the committed hand labels of the non-paraphrase sample (rule: eval/mrpc_labels.md).
LABELS = Path(__file__).resolve().parent / "mrpc_nonparaphrase_labels.jsonl"
LABEL_VALUES = ("discrepancy", "no_discrepancy", "unsure")
#: the check of a discrepancy in a slot that no rule check covers (a name's spelling, ...).
OTHER_CHECK = "other"
#: the joined evaluation file (written under --out).
REAL_DISCREPANCIES = "real_discrepancies.jsonl"
#: a changed number differs from the original by at least 30% (beyond 'about' = +-10% and the
#: numeric check's rounding slack) and at most 2x, like real misreported figures.
SWAP_FACTORS = ((1.3, 1.9), (0.45, 0.75))
#: years are not quantities for the numeric check (claims/quantities.py) and are not swapped.
YEAR_RANGE = (1900, 2100)
#: a replacement place must carry its spaCy label this often in the corpus (filters misparses).
MIN_PLACE_COUNT = 3
#: the sentence parses, kept in the output folder so reruns skip a minute of parsing.
PARSE_CACHE = "mrpc_parses.spacy"

# --- closed English word classes ---------------------------------------------------------------

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = tuple(calendar.month_name[1:])
#: AP-style month abbreviations (March-July are never abbreviated).
MONTH_ABBREV = {
    "January": "Jan.",
    "February": "Feb.",
    "August": "Aug.",
    "September": "Sept.",
    "October": "Oct.",
    "November": "Nov.",
    "December": "Dec.",
}
ABBREV_MONTH = {v: k for k, v in MONTH_ABBREV.items()} | {"Sep.": "September"}
SCALE_WORDS = ("thousand", "million", "billion", "trillion")
SCALE_SWAP = {
    "thousand": "million",
    "million": "billion",
    "billion": "million",
    "trillion": "billion",
}
#: time units and the unit a unit swap turns them into.
UNIT_SWAP = {
    "minute": "hour",
    "hour": "day",
    "day": "week",
    "week": "month",
    "month": "year",
    "year": "month",
}
#: parts of speech after which 'about N' reads naturally ('of about 10', 'rose about 10%').
ABOUT_AFTER_POS = frozenset({"ADP", "VERB", "AUX", "PUNCT", "CCONJ", "SCONJ"})
HOURS_PER_UNIT = {"hour": 1, "day": 24, "week": 168}
NUMBER_WORDS = "zero one two three four five six seven eight nine ten eleven twelve".split()
#: bounds: a number after one of these is an open range, so changing it is no contradiction.
BOUND_ONLY_WORDS = frozenset(
    "than least over under most nearly almost below above exceeding up".split()
)
#: approximators and bounds: a number after one of these is already a range.
BOUND_WORDS = frozenset(
    "about around roughly some nearly almost approximately than over under least most up just "
    "only exactly estimated an a".split()
)
#: office and honorific titles written before a name, full form -> AP abbreviation ('' if none).
TITLES = {
    "Senator": "Sen.",
    "Governor": "Gov.",
    "Representative": "Rep.",
    "General": "Gen.",
    "Lieutenant": "Lt.",
    "Colonel": "Col.",
    "Captain": "Capt.",
    "Sergeant": "Sgt.",
    "Admiral": "Adm.",
    "Professor": "Prof.",
    "Superintendent": "Supt.",
    "Detective": "Det.",
    "President": "",
    "Secretary": "",
    "Minister": "",
    "Judge": "",
    "Mayor": "",
    "Chancellor": "",
    "Ambassador": "",
    "Commissioner": "",
    "Sheriff": "",
    "Justice": "",
    "Coach": "",
    "Chairman": "",
    "Director": "",
    "Prosecutor": "",
}
TITLE_OF_ABBREV = {abbr: full for full, abbr in TITLES.items() if abbr}
#: verbs whose negation or denial is not a claim about the event: light verbs (as in
#: rules/matching.py) and speech verbs (the negation check ignores them by design).
SKIP_VERBS = frozenset(
    "say tell add be have do make get report announce state note claim according write explain "
    "insist argue ask reply respond quote describe warn suggest comment mention indicate".split()
)
DENIAL_VERBS = ("failed", "refused", "declined")
#: the auxiliaries whose "n't" form spaCy splits off as 'wo', 'ca', 'sha'.
NT_STEMS = {"wo": "will", "ca": "can", "sha": "shall"}
PARTS_OF_DAY = frozenset({"morning", "afternoon", "evening", "night", "overnight"})

_WORD = re.compile(r"[A-Za-z]+")
_DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")


# --- the corpus --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sentence:
    """One MRPC sentence with its outlet and crawl day."""

    id: str
    text: str
    outlet: str
    web_date: dt.date | None


@dataclass(frozen=True)
class MrpcPair:
    """One MRPC pair (quality 1: paraphrase, 0: not)."""

    quality: int
    id_a: str
    id_b: str
    text_a: str
    text_b: str

    @property
    def key(self) -> str:
        return f"{self.id_a}-{self.id_b}"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def _outlet(row: dict[str, str]) -> str:
    for value in (row.get("URL", ""), row.get("Agency", "")):
        value = (value or "").strip()
        if value and value != "*":
            return value.removeprefix("www.")
    return "unknown"


def read_mrpc(folder: Path) -> tuple[list[MrpcPair], dict[str, Sentence]]:
    """The pairs and the sentence table of an MRPC folder."""
    sentences: dict[str, Sentence] = {}
    for row in _rows(folder / "msr_paraphrase_sentences_train.txt"):
        web = (row.get("Web Date") or "").strip()
        try:
            day = dt.datetime.strptime(web, "%Y/%m/%d").date()
        except ValueError:
            day = None
        sid = row["Sentence ID"].strip()
        sentences[sid] = Sentence(sid, row["String"], _outlet(row), day)
    pairs = [
        MrpcPair(
            int(row["Quality"]),
            row["#1 ID"].strip(),
            row["#2 ID"].strip(),
            row["#1 String"],
            row["#2 String"],
        )
        for row in _rows(folder / "msr_paraphrase_train.txt")
    ]
    log.info("read %d pairs and %d sentences from %s", len(pairs), len(sentences), folder)
    return pairs, sentences


# --- story split -------------------------------------------------------------------------------


class _UnionFind:
    """Connected components over string nodes."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, node: str) -> str:
        self.parent.setdefault(node, node)
        root = node
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[node] != root:
            self.parent[node], node = root, self.parent[node]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb, key=int)] = min(ra, rb, key=int)


def _long_words(text: str) -> frozenset[str]:
    return frozenset(w.lower() for w in _WORD.findall(text) if len(w) >= MIN_OVERLAP_WORD_LEN)


def story_components(pairs: Sequence[MrpcPair], sentences: dict[str, Sentence]) -> dict[str, str]:
    """Sentence id -> story key (the smallest sentence id of its component; see module doc)."""
    uf = _UnionFind()
    texts: dict[str, str] = {}
    for pair in pairs:
        uf.union(pair.id_a, pair.id_b)
        texts[pair.id_a], texts[pair.id_b] = pair.text_a, pair.text_b
    by_day: dict[dt.date, list[str]] = defaultdict(list)
    for sid in sorted(texts, key=int):
        sentence = sentences.get(sid)
        if sentence is not None and sentence.web_date is not None:
            by_day[sentence.web_date].append(sid)
    for ids in by_day.values():
        words = [_long_words(texts[sid]) for sid in ids]
        for i in range(len(ids)):
            for j in range(i + 1, len(ids)):
                union = len(words[i] | words[j])
                if union and len(words[i] & words[j]) / union >= STORY_JACCARD:
                    uf.union(ids[i], ids[j])
    return {sid: uf.find(sid) for sid in texts}


def split_of(story: str) -> str:
    """``dev`` or ``test`` for a story key, by a stable hash (about 50/50)."""
    return "dev" if hashlib.sha256((SPLIT_SALT + story).encode()).digest()[0] % 2 == 0 else "test"


# --- pair records ------------------------------------------------------------------------------


def _side(sid: str, text: str, sentences: dict[str, Sentence], fallback: dt.date | None) -> dict:
    sentence = sentences.get(sid)
    day = sentence.web_date if sentence and sentence.web_date else fallback
    published = (
        dt.datetime(day.year, day.month, day.day, PUBLISHED_HOUR_UTC, tzinfo=dt.UTC).isoformat()
        if day
        else None
    )
    return {
        "text": text,
        "outlet": sentence.outlet if sentence else "unknown",
        "published": published,
    }


def pair_sides(pair: MrpcPair, sentences: dict[str, Sentence]) -> tuple[dict, dict]:
    """The two sides of a pair as evaluation records (outlet, text, published)."""
    days = [s.web_date for s in (sentences.get(pair.id_a), sentences.get(pair.id_b)) if s]
    fallback = next((d for d in days if d), None)
    return (
        _side(pair.id_a, pair.text_a, sentences, fallback),
        _side(pair.id_b, pair.text_b, sentences, fallback),
    )


# --- edits -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` (``old``) by ``new`` in one side's text."""

    kind: str
    check: str
    expect: str
    start: int
    end: int
    old: str
    new: str
    detail: str = ""

    def apply(self, text: str) -> str:
        return text[: self.start] + self.new + text[self.end :]


@dataclass(frozen=True)
class Context:
    """What edits may need besides the two parses: place pools and a weekday resolver."""

    places: dict[str, tuple[str, ...]]
    resolve_weekday: Callable[[str, str, str | None], dt.date | None]


def parse_number(text: str) -> float | None:
    """The value of a plain digit string ('4,500', '2.5'), else None.

    >>> parse_number("4,500"), parse_number("2.5"), parse_number("G7")
    (4500.0, 2.5, None)
    """
    return float(text.replace(",", "")) if _DIGITS.match(text) else None


def format_like(value: float, template: str) -> str:
    """``value`` written like ``template`` (same decimals, thousands commas if it has them).

    >>> format_like(6213.0, "4,500"), format_like(3.14159, "2.5")
    ('6,213', '3.1')
    """
    decimals = len(template.split(".")[1]) if "." in template else 0
    grouping = "," if "," in template else ""
    return f"{value:{grouping}.{decimals}f}"


def _significant(template: str) -> int:
    digits = template.replace(",", "")
    if "." in digits:
        return max(1, len(digits.replace(".", "").lstrip("0")))
    return max(1, len(digits.lstrip("0").rstrip("0")))


def swap_value(template: str, rng: random.Random) -> str | None:
    """Another number written like ``template``, 30-90% larger or 25-55% smaller.

    >>> swap_value("4,500", random.Random(1)) != "4,500"
    True
    """
    value = parse_number(template)
    if value is None or value == 0:
        return None
    for _ in range(10):
        low, high = rng.choice(SWAP_FACTORS)
        new = value * rng.uniform(low, high)
        if "." not in template:
            sig = _significant(template)
            magnitude = 10 ** max(0, len(str(int(new))) - sig)
            new = max(1.0, round(new / magnitude) * magnitude)
        text = format_like(new, template)
        new_value = parse_number(text)
        if text != template and new_value and abs(new_value - value) / value >= 0.2:
            return text
    return None


def _is_year(token: Token) -> bool:
    value = parse_number(token.text)
    return (
        value is not None
        and "," not in token.text
        and "." not in token.text
        and YEAR_RANGE[0] <= value <= YEAR_RANGE[1]
    )


def _next(token: Token, offset: int = 1) -> Token | None:
    i = token.i + offset
    return token.doc[i] if 0 <= i < len(token.doc) else None


def _lower(token: Token | None) -> str:
    return token.text.lower() if token is not None else ""


def _unit_of(token: Token | None) -> str:
    word = _lower(token)
    singular = word[:-1] if word.endswith("s") else word
    return singular if singular in UNIT_SWAP else ""


@dataclass(frozen=True)
class NumberSlot:
    """A digit number in a parse and what follows it."""

    token: Token
    kind: str  # count | percent | scale | duration
    unit_token: Token | None  # the scale word, '%'/'percent', or the time unit
    hyphen: bool  # '48-hour'


def number_slots(doc: Doc) -> list[NumberSlot]:
    """The digit numbers of a parse that are quantities (not years, dates, clock times, ages)."""
    slots: list[NumberSlot] = []
    for token in doc:
        if parse_number(token.text) is None or _is_year(token):
            continue
        prev, nxt, nxt2 = _next(token, -1), _next(token), _next(token, 2)
        if _lower(prev) in {m.lower() for m in MONTHS} | {a.lower() for a in ABBREV_MONTH}:
            continue  # a day of the month
        if prev is not None and (prev.pos_ == "PROPN" or _lower(prev) in {"no.", "no", "#"}):
            continue  # part of a name or a label ('Voyager 2', 'No. 3')
        if _lower(nxt) in {":", "a.m.", "p.m.", "am", "pm", "gmt", "edt", "est", "pdt"}:
            continue
        if _lower(nxt) in {"-", "–"} and _unit_of(nxt2):
            if _lower(_next(token, 3)) in {"-", "–"}:
                continue  # '52-year-old'
            slots.append(NumberSlot(token, "duration", nxt2, True))
        elif _lower(nxt) in {"-", "–", "/", "."}:
            continue  # ranges, scores and fractions
        elif _lower(nxt) in {"%", "percent"} or (_lower(nxt) == "per" and _lower(nxt2) == "cent"):
            slots.append(NumberSlot(token, "percent", nxt, False))
        elif _lower(nxt) in SCALE_WORDS:
            slots.append(NumberSlot(token, "scale", nxt, False))
        elif _unit_of(nxt):
            if _lower(nxt2) in {"ago", "earlier", "later", "old", "before", "after"}:
                continue  # relative times and ages are not durations
            slots.append(NumberSlot(token, "duration", nxt, False))
        elif token.ent_type_ in {"DATE", "TIME"}:
            continue
        else:
            slots.append(NumberSlot(token, "count", None, False))
    return slots


def _tokens_text(doc: Doc) -> set[str]:
    return {t.text for t in doc}


def _shared_slots(doc: Doc, other: Doc, kinds: set[str]) -> list[NumberSlot]:
    other_tokens = _tokens_text(other)
    return [s for s in number_slots(doc) if s.kind in kinds and s.token.text in other_tokens]


def _is_bound_or_range(token: Token) -> bool:
    """A number that is a bound ('more than 8,300') or an end of a range ('60 to 70', '5-4').

    Changing one leaves two overlapping ranges, which can both be true: not a contradiction.
    """
    prev, prev2 = _next(token, -1), _next(token, -2)
    if _lower(prev) in BOUND_ONLY_WORDS or _lower(prev) in {"-", "–", "/"}:
        return True
    if _lower(prev) in {"$", "£", "€"} and _lower(prev2) in BOUND_ONLY_WORDS:
        return True
    if (
        _lower(prev) in {"to", "and"}
        and prev2 is not None
        and (prev2.like_num or _lower(prev2) in SCALE_WORDS or _lower(prev2) in {"%", "percent"})
    ):
        return True
    for offset in (1, 2, 3):
        nxt = _next(token, offset)
        if nxt is None or _lower(nxt) in {"to", "and", "-", "–"}:
            after = _next(token, offset + 1)
            if nxt is not None and after is not None and (after.like_num or after.text in "$£€"):
                return True
            break
        if not (_lower(nxt) in SCALE_WORDS or _lower(nxt) in {"%", "percent", "per", "cent"}):
            break
    return False


def _token_edit(kind: str, check: str, expect: str, token: Token, new: str) -> Edit:
    return Edit(kind, check, expect, token.idx, token.idx + len(token.text), token.text, new)


def edit_number_swap(doc: Doc, other: Doc, ctx: Context, rng: random.Random) -> list[Edit]:
    """4,500 -> 6,200 for a count or money amount both sides give."""
    edits = []
    for slot in _shared_slots(doc, other, {"count", "scale"}):
        new = None if _is_bound_or_range(slot.token) else swap_value(slot.token.text, rng)
        if new:
            edits.append(_token_edit("number_swap", "numeric", "fire", slot.token, new))
    return edits


def edit_percent_change(doc: Doc, other: Doc, ctx: Context, rng: random.Random) -> list[Edit]:
    """4.4% -> 6.1% for a percentage both sides give."""
    edits = []
    for slot in _shared_slots(doc, other, {"percent"}):
        new = None if _is_bound_or_range(slot.token) else swap_value(slot.token.text, rng)
        if new:
            edits.append(_token_edit("percent_change", "numeric", "fire", slot.token, new))
    return edits


def edit_scale_swap(doc: Doc, other: Doc, ctx: Context, rng: random.Random) -> list[Edit]:
    """'2.5 billion' -> '2.5 million' when both sides give '2.5 billion'."""
    edits = []
    for slot in _shared_slots(doc, other, {"scale"}):
        phrase = f"{slot.token.text} {slot.unit_token.text}"
        if phrase.lower() not in other.text.lower():
            continue
        if _is_bound_or_range(slot.token):
            continue
        scale = slot.unit_token.text
        new = SCALE_SWAP[scale.lower()]
        new = new.capitalize() if scale[0].isupper() else new
        edits.append(_token_edit("scale_swap", "numeric", "fire", slot.unit_token, new))
    return edits


def edit_duration_change(doc: Doc, other: Doc, ctx: Context, rng: random.Random) -> list[Edit]:
    """'10 years' -> '16 years' for a duration both sides give."""
    edits = []
    for slot in _shared_slots(doc, other, {"duration"}):
        new = None if _is_bound_or_range(slot.token) else swap_value(slot.token.text, rng)
        if new:
            edits.append(_token_edit("duration_change", "numeric", "fire", slot.token, new))
    return edits


def _unit_word(unit: str, like: str) -> str:
    plural = like.lower().endswith("s") and not like.lower().endswith("ss")
    word = unit + ("s" if plural else "")
    return word.capitalize() if like[0].isupper() else word


def edit_unit_swap(doc: Doc, other: Doc, ctx: Context, rng: random.Random) -> list[Edit]:
    """'three days' -> 'three weeks' for a duration both sides give (digits or words)."""
    edits = []
    other_lower = other.text.lower()
    for token in doc:
        unit = _unit_of(token)
        prev = _next(token, -1)
        if not unit or prev is None:
            continue
        hyphen = _lower(prev) in {"-", "–"}
        number = _next(token, -2) if hyphen else prev
        if number is None or not (
            parse_number(number.text) is not None or _lower(number) in NUMBER_WORDS[2:]
        ):
            continue
        if _lower(_next(token)) in {"ago", "earlier", "later", "old", "-", "before", "after"}:
            continue
        if _is_bound_or_range(number):
            continue
        phrase = doc.text[number.idx : token.idx + len(token.text)]
        if phrase.lower() not in other_lower:
            continue
        new = _unit_word(UNIT_SWAP[unit], token.text)
        edits.append(_token_edit("unit_swap", "numeric", "fire", token, new))
    return edits


def edit_about(doc: Doc, other: Doc, ctx: Context, rng: random.Random) -> list[Edit]:
    """'4,500' -> 'about 4,500' (or '$4,500' -> 'about $4,500')."""
    edits = []
    for slot in _shared_slots(doc, other, {"count", "scale", "percent"}):
        start = slot.token
        prev = _next(start, -1)
        if prev is not None and prev.text in {"$", "£", "€"}:
            start = prev
        before = _next(start, -1)
        if _lower(before) in BOUND_WORDS or (
            before is not None and before.pos_ not in ABOUT_AFTER_POS
        ):
            continue  # already a range, or 'the first $3,450' where 'about' cannot go
        at = start.idx
        edits.append(Edit("about", "numeric", "silent", at, at, "", "about ", start.text))
    return edits


def edit_thousand_words(doc: Doc, other: Doc, ctx: Context, rng: random.Random) -> list[Edit]:
    """'4,500' -> '4.5 thousand', '1,200,000' -> '1.2 million' (exact values only)."""
    edits = []
    for slot in _shared_slots(doc, other, {"count"}):
        text = slot.token.text
        value = parse_number(text)
        if value is None or "," not in text or "." in text:
            continue
        scale, word = (1e6, "million") if value >= 1e6 else (1e3, "thousand")
        scaled = value / scale
        if round(scaled, 2) != scaled:
            continue
        new = f"{scaled:.2f}".rstrip("0").rstrip(".") + f" {word}"
        edits.append(_token_edit("thousand_words", "numeric", "silent", slot.token, new))
    return edits


_DOLLARS = re.compile(
    r"(?<![A-Za-z$])\$\s?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<scale>\s+(?:thousand|million|billion|trillion)\b)?"
)


def edit_dollars_words(doc: Doc, other: Doc, ctx: Context, rng: random.Random) -> list[Edit]:
    """'$2.5 billion' -> '2.5 billion dollars' when the other side gives the same amount."""
    edits = []
    for m in _DOLLARS.finditer(doc.text):
        if m.group("num") not in other.text:
            continue
        new = f"{m.group('num')}{m.group('scale') or ''} dollars"
        edits.append(Edit("dollars_words", "numeric", "silent", m.start(), m.end(), m[0], new))
    return edits


def edit_percent_sign(doc: Doc, other: Doc, ctx: Context, rng: random.Random) -> list[Edit]:
    """'3 percent' <-> '3%' ('per cent' -> '%')."""
    edits = []
    for slot in _shared_slots(doc, other, {"percent"}):
        unit = slot.unit_token
        if unit.text == "%":
            edits.append(Edit("percent_sign", "numeric", "silent", slot.token.idx,
                              unit.idx + 1, doc.text[slot.token.idx : unit.idx + 1],
                              f"{slot.token.text} percent"))  # fmt: skip
            continue
        last = _next(unit) if _lower(unit) == "per" else unit
        end = last.idx + len(last.text)
        old = doc.text[slot.token.idx : end]
        edits.append(Edit("percent_sign", "numeric", "silent", slot.token.idx, end, old,
                          f"{slot.token.text}%"))  # fmt: skip
    return edits


def _small_number(word: str) -> int | None:
    word = word.lower()
    if word in NUMBER_WORDS[2:]:
        return NUMBER_WORDS.index(word)
    if word.isdigit() and 2 <= int(word) <= 12:
        return int(word)
    return None


def edit_duration_rewrite(doc: Doc, other: Doc, ctx: Context, rng: random.Random) -> list[Edit]:
    """'48-hour' -> 'two-day', 'two-day' -> '48-hour', '14 days' -> 'two weeks'."""
    edits = []
    other_lower = other.text.lower()
    for token in doc:
        unit = _unit_of(token)
        prev = _next(token, -1)
        if unit not in HOURS_PER_UNIT or prev is None:
            continue
        hyphen = _lower(prev) in {"-", "–"}
        number = _next(token, -2) if hyphen else prev
        if number is None:
            continue
        value = parse_number(number.text)
        if value is None:
            value = _small_number(number.text)
        if not value or value != int(value):
            continue
        phrase = doc.text[number.idx : token.idx + len(token.text)]
        if phrase.lower() not in other_lower:
            continue
        hours = int(value) * HOURS_PER_UNIT[unit]
        target = None
        for bigger in ("week", "day"):
            if (
                HOURS_PER_UNIT[bigger] > HOURS_PER_UNIT[unit]
                and hours % HOURS_PER_UNIT[bigger] == 0
            ):
                target = bigger
                break
        if target is None:
            target = "hour" if unit == "day" else ("day" if unit == "week" else None)
        if target is None:
            continue
        count = hours // HOURS_PER_UNIT[target]
        if count == 1 and not hyphen:
            continue  # '24 hours' -> 'one day' reads as 'one day' the date ('one day he left')
        number_text = NUMBER_WORDS[count] if count < len(NUMBER_WORDS) else str(count)
        if number.text[0].isupper():
            number_text = number_text.capitalize()
        unit_text = target if hyphen else _unit_word(target, "xs" if count > 1 else "x")
        new = f"{number_text}-{unit_text}" if hyphen else f"{number_text} {unit_text}"
        edits.append(Edit("duration_rewrite", "numeric", "silent", number.idx,
                          token.idx + len(token.text), phrase, new))  # fmt: skip
    return edits


def edit_number_words(doc: Doc, other: Doc, ctx: Context, rng: random.Random) -> list[Edit]:
    """A small count in digits <-> words ('3 people' <-> 'three people')."""
    edits = []
    other_tokens = {t.lower_ for t in other}
    for token in doc:
        value = _small_number(token.text)
        if value is None or token.lower_ not in other_tokens or token.ent_type_ in {"TIME"}:
            continue
        nxt, prev = _next(token), _next(token, -1)
        if nxt is None or nxt.pos_ not in {"NOUN", "ADJ"} or _lower(nxt) in {"-", "%"}:
            continue
        if _lower(prev) in {m.lower() for m in MONTHS} or _lower(prev) in {"$", "£", "€", "."}:
            continue
        if token.text.isdigit():
            new = NUMBER_WORDS[value]
            new = new.capitalize() if token.i == 0 else new
        else:
            new = str(value)
        edits.append(_token_edit("number_words", "numeric", "silent", token, new))
    return edits


# temporal


def _month_index(token: Token) -> int | None:
    text = token.text
    if text in MONTHS:
        if text == "May" and not (
            parse_number(_next(token).text if _next(token) else "") or token.ent_type_ == "DATE"
        ):
            return None
        return MONTHS.index(text)
    if text in ABBREV_MONTH:
        return MONTHS.index(ABBREV_MONTH[text])
    if text + "." in ABBREV_MONTH and _lower(_next(token)) == ".":
        return None
    return None


def edit_weekday_shift(doc: Doc, other: Doc, ctx: Context, rng: random.Random) -> list[Edit]:
    """'on Tuesday' -> 'on Thursday' for a weekday both sides give."""
    edits = []
    other_tokens = _tokens_text(other)
    for token in doc:
        if token.text in WEEKDAYS and token.text in other_tokens:
            new = WEEKDAYS[(WEEKDAYS.index(token.text) + rng.choice((1, 2, 3, 4, 5, 6))) % 7]
            edits.append(_token_edit("weekday_shift", "temporal", "fire", token, new))
    return edits


def edit_month_shift(doc: Doc, other: Doc, ctx: Context, rng: random.Random) -> list[Edit]:
    """'in June' -> 'in September', 'June 10' -> 'Sept. 10' for a month both sides give."""
    edits = []
    other_tokens = _tokens_text(other)
    for token in doc:
        month = _month_index(token)
        if month is None or token.text not in other_tokens:
            continue
        nxt = _next(token)
        day = (
            int(nxt.text) if nxt is not None and nxt.text.isdigit() and len(nxt.text) <= 2 else None
        )
        choices = [
            (month + shift) % 12
            for shift in (2, 3, 4, 5, -2, -3)
            if day is None or day <= calendar.monthrange(2003, (month + shift) % 12 + 1)[1]
        ]
        new_month = MONTHS[rng.choice(choices)]
        new = MONTH_ABBREV.get(new_month, new_month) if token.text.endswith(".") else new_month
        edits.append(_token_edit("month_shift", "temporal", "fire", token, new))
    return edits


def edit_day_shift(doc: Doc, other: Doc, ctx: Context, rng: random.Random) -> list[Edit]:
    """'June 10' -> 'June 14' for a date both sides give."""
    edits = []
    for token in doc:
        month = _month_index(token)
        day_token = _next(token)
        if month is None or day_token is None or not day_token.text.isdigit():
            continue
        day = int(day_token.text)
        if not 1 <= day <= 31 or f"{token.text} {day_token.text}" not in other.text:
            continue
        choices = [day + d for d in (2, 3, 4, 5, 6, -2, -3, -4, -5, -6) if 1 <= day + d <= 28]
        new = str(rng.choice(choices))
        edits.append(_token_edit("day_shift", "temporal", "fire", day_token, new))
    return edits


def edit_month_abbrev(doc: Doc, other: Doc, ctx: Context, rng: random.Random) -> list[Edit]:
    """'September' <-> 'Sept.' for a month both sides give (either way written)."""
    edits = []
    other_months = {_month_index(t) for t in other} - {None}
    for token in doc:
        month = _month_index(token)
        if month is None or month not in other_months:
            continue
        if token.text in MONTH_ABBREV:
            new = MONTH_ABBREV[token.text]
        elif token.text in ABBREV_MONTH:
            new = ABBREV_MONTH[token.text]
        else:
            continue
        edits.append(_token_edit("month_abbrev", "temporal", "silent", token, new))
    return edits


def edit_weekday_to_date(doc: Doc, other: Doc, ctx: Context, rng: random.Random) -> list[Edit]:
    """'on Tuesday' -> 'on June 3', the date the project's resolver gives that weekday."""
    edits = []
    other_tokens = _tokens_text(other)
    for token in doc:
        if token.text not in WEEKDAYS or token.text not in other_tokens:
            continue
        after = doc[token.i + 1 : token.i + 4]
        if _lower(_next(token)) in PARTS_OF_DAY or any(_month_index(t) is not None for t in after):
            continue
        day = ctx.resolve_weekday(doc.text, token.text, ctx_published(doc))
        if day is None:
            continue
        new = f"{MONTHS[day.month - 1]} {day.day}"
        end = token.idx + len(token.text)
        edits.append(
            Edit("weekday_to_date", "temporal", "silent", token.idx, end, token.text, new,
                 day.isoformat())
        )  # fmt: skip
    return edits


def ctx_published(doc: Doc) -> str | None:
    """The ISO publication time stored on a side's parse (``doc.user_data['published']``)."""
    return doc.user_data.get("published")


# entity_role


def _name_after(token: Token) -> list[Token]:
    """The capitalised name tokens right after a title token ('Sen. John Kerry' -> John Kerry)."""
    name: list[Token] = []
    nxt = _next(token)
    while nxt is not None and nxt.pos_ == "PROPN" and nxt.text[:1].isupper() and len(name) < 4:
        if nxt.text in TITLES or nxt.text in TITLE_OF_ABBREV:
            return []
        name.append(nxt)
        nxt = _next(nxt)
    return name


def _title_of(token: Token) -> str | None:
    """The full title a token writes ('Sen.' -> 'Senator'), spaCy keeping or splitting the dot."""
    text = token.text
    if text in TITLES:
        return text
    if text in TITLE_OF_ABBREV:
        return TITLE_OF_ABBREV[text]
    if text + "." in TITLE_OF_ABBREV and _lower(_next(token)) == ".":
        return None  # 'Sen' '.' split: rare; skipped rather than guessed
    return None


def _titled_names(doc: Doc) -> list[tuple[Token, str, list[Token]]]:
    found = []
    for token in doc:
        title = _title_of(token)
        if title is None:
            continue
        name = _name_after(token)
        prev = _next(token, -1)
        if title == "General" and prev is not None and prev.text[:1].isupper():
            continue  # 'Attorney General', 'Lt. Gen.': a compound title, not 'General X'
        if name:
            found.append((token, title, name))
    return found


def _surname_titled(other: Doc, surname: str) -> bool:
    for token in other:
        if token.text == surname:
            window = other[max(0, token.i - 4) : token.i]
            if any(_title_of(t) for t in window):
                return True
    return False


def edit_title_swap(doc: Doc, other: Doc, ctx: Context, rng: random.Random) -> list[Edit]:
    """'Senator X' -> 'Governor X' when the other side also gives X a title."""
    edits = []
    for token, title, name in _titled_names(doc):
        surname = name[-1].text
        if not _surname_titled(other, surname):
            continue
        pool = [t for t in TITLES if t != title and t not in title and title not in t]
        new_title = rng.choice(pool)
        abbreviated = token.text != title
        new = TITLES[new_title] if abbreviated and TITLES[new_title] else new_title
        edit = _token_edit("title_swap", "entity_role", "fire", token, new)
        edits.append(edit)
    return edits


def edit_title_variant(doc: Doc, other: Doc, ctx: Context, rng: random.Random) -> list[Edit]:
    """'Sen. X' <-> 'Senator X' when the other side names X."""
    edits = []
    other_tokens = _tokens_text(other)
    for token, title, name in _titled_names(doc):
        if name[-1].text not in other_tokens or not TITLES[title]:
            continue
        new = TITLES[title] if token.text == title else title
        edits.append(_token_edit("title_variant", "entity_role", "silent", token, new))
    return edits


# places


def edit_place_swap(doc: Doc, other: Doc, ctx: Context, rng: random.Random) -> list[Edit]:
    """A place both sides name -> another place of the same kind from the corpus that cannot
    be the same place: a country for another country, a US state for another state, a city for
    another city (kinds from GeoNames, :func:`place_kind`). A swap that could keep the event
    where it was ('Beijing' -> 'China', 'United States' -> 'Missouri') or a name GeoNames does
    not know (a misparse, a region) is not made."""
    edits = []
    other_places = {(_place_name(e), e.label_) for e in other.ents}
    for ent in doc.ents:
        name = _place_name(ent)
        if ent.label_ not in ctx.places or (name, ent.label_) not in other_places:
            continue  # both sides must read the same name as the same kind of place
        kind = place_kind(name)
        if kind is None:
            continue
        start = ent.end_char - len(name)
        words = set(_WORD.findall(name.lower()))
        pool = [
            p
            for p in ctx.places[ent.label_]
            if p not in doc.text
            and p not in other.text
            and not words & set(_WORD.findall(p.lower()))
            and place_kind(p) == kind
        ]
        if not pool:
            continue
        new = rng.choice(pool)
        edits.append(
            Edit("place_swap", "place", "fire", start, ent.end_char, name, new, ent.label_)
        )
    return edits


def place_kind(name: str) -> str | None:
    """``country``, ``us_state`` or ``city`` for a name GeoNames knows as exactly one of them
    (``rules.gazetteer``), else None ('Georgia', a country and a state, is None).

    >>> place_kind("Kenya"), place_kind("Ohio"), place_kind("Tampa"), place_kind("Gulf")
    ('country', 'us_state', 'city', None)
    """
    from rules import gazetteer

    kinds = [
        kind
        for kind, known in (
            ("country", gazetteer.country_code(name) is not None),
            ("us_state", gazetteer.state_code(name) is not None),
            ("city", bool(gazetteer.where(name))),
        )
        if known
    ]
    return kinds[0] if len(kinds) == 1 else None


def _place_name(ent: Span) -> str:
    """An entity's name without a leading article ('the United States' -> 'United States')."""
    return ent.text[4:] if ent.text.lower().startswith("the ") else ent.text


# negation


def _shared_verbs(doc: Doc, other: Doc) -> list[Token]:
    other_lemmas = {t.lemma_.lower() for t in other if t.pos_ == "VERB"}
    return [
        t
        for t in doc
        if t.pos_ == "VERB"
        and t.lemma_.lower() in other_lemmas
        and t.lemma_.lower() not in SKIP_VERBS
        and any(c.dep_ in {"nsubj", "nsubjpass"} for c in t.children)
    ]


def _negated(verb: Token) -> bool:
    return any(c.dep_ == "neg" for c in verb.children)


def edit_negation_insert(doc: Doc, other: Doc, ctx: Context, rng: random.Random) -> list[Edit]:
    """'accused X' -> 'did not accuse X'; 'has accused' -> 'has not accused'."""
    edits = []
    for verb in _shared_verbs(doc, other):
        if _negated(verb):
            continue
        auxes = [c for c in verb.children if c.dep_ in {"aux", "auxpass"} and c.i < verb.i]
        auxes = [a for a in auxes if a.lower_ != "to"]
        if auxes:
            aux = auxes[0]
            if aux.text.lower().endswith("n't") or aux.tag_ == "TO":
                continue
            end = aux.idx + len(aux.text)
            edits.append(Edit("negation_insert", "negation", "fire", end, end, "", " not",
                              f"{aux.text} {verb.text}"))  # fmt: skip
            continue
        do = {"VBD": "did", "VBZ": "does", "VBP": "do"}.get(verb.tag_)
        if do is None:
            continue
        new = f"{do} not {verb.lemma_.lower()}"
        edits.append(_token_edit("negation_insert", "negation", "fire", verb, new))
    return edits


def edit_negation_remove(doc: Doc, other: Doc, ctx: Context, rng: random.Random) -> list[Edit]:
    """'did not accuse' -> 'did accuse'; "won't sign" -> 'will sign'; 'never paid' -> 'paid'."""
    edits = []
    for verb in _shared_verbs(doc, other):
        for neg in (c for c in verb.children if c.dep_ == "neg"):
            if neg.lower_ == "n't":
                host = _next(neg, -1)
                if host is None:
                    continue
                stem = NT_STEMS.get(host.lower_, host.text)
                if host.text[0].isupper():
                    stem = stem.capitalize()
                start, end = host.idx, neg.idx + len(neg.text)
                edits.append(Edit("negation_remove", "negation", "fire", start, end,
                                  doc.text[start:end], stem))  # fmt: skip
            elif neg.lower_ in {"not", "never"}:
                start = neg.idx
                end = neg.idx + len(neg.text)
                if end < len(doc.text) and doc.text[end] == " ":
                    end += 1
                edits.append(Edit("negation_remove", "negation", "fire", start, end,
                                  doc.text[start:end], ""))  # fmt: skip
    return edits


def edit_denial(doc: Doc, other: Doc, ctx: Context, rng: random.Random) -> list[Edit]:
    """'approved the plan' -> 'refused to approve the plan' (a denying verb, no 'not')."""
    edits = []
    for verb in _shared_verbs(doc, other):
        if _negated(verb) or verb.tag_ != "VBD":
            continue
        if any(c.dep_ in {"aux", "auxpass"} for c in verb.children):
            continue
        new = f"{rng.choice(DENIAL_VERBS)} to {verb.lemma_.lower()}"
        edits.append(_token_edit("denial", "negation", "fire", verb, new))
    return edits


EDITORS: tuple[Callable[[Doc, Doc, Context, random.Random], list[Edit]], ...] = (
    edit_number_swap,
    edit_scale_swap,
    edit_percent_change,
    edit_duration_change,
    edit_unit_swap,
    edit_weekday_shift,
    edit_month_shift,
    edit_day_shift,
    edit_title_swap,
    edit_place_swap,
    edit_negation_insert,
    edit_negation_remove,
    edit_denial,
    edit_about,
    edit_thousand_words,
    edit_dollars_words,
    edit_percent_sign,
    edit_duration_rewrite,
    edit_number_words,
    edit_weekday_to_date,
    edit_month_abbrev,
    edit_title_variant,
)


def choose_edits(doc_a: Doc, doc_b: Doc, ctx: Context, pair_key: str) -> list[tuple[str, Edit]]:
    """At most one edit per kind for a pair: (edited side, edit), seeded by pair and kind."""
    chosen: list[tuple[str, Edit]] = []
    for editor in EDITORS:
        rng = random.Random(f"{SEED}:{pair_key}:{editor.__name__}")
        candidates = [("a", e) for e in editor(doc_a, doc_b, ctx, rng)]
        candidates += [("b", e) for e in editor(doc_b, doc_a, ctx, rng)]
        if candidates:
            chosen.append(rng.choice(candidates))
    return chosen


# --- building the files ------------------------------------------------------------------------


def place_pools(docs: Iterable[Doc]) -> dict[str, tuple[str, ...]]:
    """GPE and LOC names the parser gives that label at least ``MIN_PLACE_COUNT`` times in the
    corpus, by label (sorted, for seeded choice); rarer ones are mostly parser mistakes."""
    counts: dict[str, Counter] = {"GPE": Counter(), "LOC": Counter()}
    for doc in docs:
        for ent in doc.ents:
            name = _place_name(ent)
            if ent.label_ in counts and name[:1].isupper() and len(name) > 2:
                counts[ent.label_][name] += 1
    return {
        label: tuple(sorted(n for n, c in names.items() if c >= MIN_PLACE_COUNT))
        for label, names in counts.items()
    }


def weekday_resolver(nlp: Language) -> Callable[[str, str, str | None], dt.date | None]:
    """A function giving the date the project's extractor resolves a weekday of a text to."""
    from rules.scoring import claims_from_text

    def resolve(text: str, weekday: str, published: str | None) -> dt.date | None:
        if published is None:
            return None
        when = dt.datetime.fromisoformat(published)
        for claim in claims_from_text(text, "x", when, nlp):
            for time_ in claim.times:
                if time_.kind == "weekday" and time_.span.text == weekday and time_.earliest:
                    return time_.earliest.date()
        return None

    return resolve


def parse_all(texts: Sequence[str], nlp: Language, cache: Path) -> dict[str, Doc]:
    """The parse of each text, reusing ``cache`` when it holds exactly these texts."""
    from spacy.tokens import DocBin

    key = hashlib.sha256("\n".join([nlp.meta["name"], nlp.meta["version"], *texts]).encode())
    stamp = cache.with_suffix(".sha256")
    if cache.exists() and stamp.exists() and stamp.read_text() == key.hexdigest():
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
        log.info("read %d parses from %s", len(docs), cache)
    else:
        started = time.perf_counter()
        docs = list(nlp.pipe(texts, batch_size=256))
        log.info("parsed %d sentences in %.0f s", len(texts), time.perf_counter() - started)
        DocBin(store_user_data=False, docs=docs).to_disk(cache)
        stamp.write_text(key.hexdigest())
    return dict(zip(texts, docs, strict=True))


def _record(
    case_id: str, check: str, expect: str, split: str, a: dict, b: dict, **extra: object
) -> dict:
    return {
        "id": case_id,
        "check": check,
        "expect": expect,
        "split": split,
        "a": a,
        "b": b,
        **extra,
    }


def nonparaphrase_sample(
    pairs: Sequence[MrpcPair], story: dict[str, str], split: str
) -> list[MrpcPair]:
    """``NONPARAPHRASE_SAMPLE`` seeded Quality=0 pairs of one split, ordered by first sentence id.

    The dev seed is the one the first (dev-only) sample used, so its pair ids stay the same;
    test has a seed of its own.
    """
    pool = [p for p in pairs if p.quality == 0 and split_of(story[p.id_a]) == split]
    seed = f"{SEED}:nonparaphrase" if split == "dev" else f"{SEED}:nonparaphrase:{split}"
    sample = random.Random(seed).sample(pool, min(NONPARAPHRASE_SAMPLE, len(pool)))
    return sorted(sample, key=lambda p: int(p.id_a))


def build(mrpc: Path, out: Path, nlp: Language) -> dict[str, int]:
    """Write the three files under ``out``; returns the number of lines of each."""
    pairs, sentences = read_mrpc(mrpc)
    story = story_components(pairs, sentences)
    stories = {story[p.id_a] for p in pairs}
    log.info("%d pairs in %d story components", len(pairs), len(stories))
    out.mkdir(parents=True, exist_ok=True)

    paraphrases = [p for p in pairs if p.quality == 1]
    texts = sorted({t for p in pairs for t in (p.text_a, p.text_b)})
    docs = parse_all(texts, nlp, out / PARSE_CACHE)
    ctx = Context(place_pools(docs.values()), weekday_resolver(nlp))

    para_rows, injected_rows = [], []
    for pair in paraphrases:
        split = split_of(story[pair.id_a])
        a, b = pair_sides(pair, sentences)
        para_rows.append(_record(f"para-{pair.key}", "any", "silent", split, a, b, mrpc=pair.key))
        doc_a, doc_b = docs[pair.text_a].copy(), docs[pair.text_b].copy()
        doc_a.user_data["published"], doc_b.user_data["published"] = a["published"], b["published"]
        for side, edit in choose_edits(doc_a, doc_b, ctx, pair.key):
            edited = dict(a if side == "a" else b)
            edited["text"] = edit.apply(edited["text"])
            new_a, new_b = (edited, b) if side == "a" else (a, edited)
            note = f"{side}: {edit.old!r} -> {edit.new!r}" + (
                f" ({edit.detail})" if edit.detail else ""
            )
            injected_rows.append(
                _record(f"inj-{pair.key}-{edit.kind}", edit.check, edit.expect, split, new_a,
                        new_b, edit=edit.kind, note=note, side=side, mrpc=pair.key)
            )  # fmt: skip

    sample_rows = []
    for split in ("dev", "test"):
        for pair in nonparaphrase_sample(pairs, story, split):
            a, b = pair_sides(pair, sentences)
            sample_rows.append(
                {"id": f"nonpara-{pair.key}", "split": split, "mrpc": pair.key, "a": a, "b": b,
                 "label": None, "check": None, "labeller": "", "comment": ""}
            )  # fmt: skip

    counts = {}
    for name, rows in (
        ("real_paraphrases.jsonl", para_rows),
        ("injected.jsonl", injected_rows),
        ("real_nonparaphrase_sample.jsonl", sample_rows),
    ):
        with (out / name).open("w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        counts[name] = len(rows)
        log.info("wrote %d lines to %s", len(rows), out / name)
    kinds = Counter((r["edit"], r["expect"], r["split"]) for r in injected_rows)
    for (kind, expect, split), n in sorted(kinds.items()):
        log.info("  %-18s %-6s %-4s %d", kind, expect, split, n)
    return counts


# --- hand labels -------------------------------------------------------------------------------


def read_labels(path: Path) -> dict[str, dict]:
    """The hand labels by pair id; a malformed line raises ValueError naming file and line."""
    from rules.registry import RULES

    labels: dict[str, dict] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{where}: not valid JSON ({exc.msg})") from None
        label, check = row.get("label"), row.get("check")
        if label not in LABEL_VALUES:
            raise ValueError(f"{where}: 'label' must be one of {', '.join(LABEL_VALUES)}")
        if label == "discrepancy" and check not in (*RULES, OTHER_CHECK):
            raise ValueError(f"{where}: a discrepancy needs a check ({', '.join(RULES)}, other)")
        if label != "discrepancy" and check is not None:
            raise ValueError(f"{where}: only a discrepancy has a check")
        if row.get("id") in labels:
            raise ValueError(f"{where}: duplicate id {row.get('id')!r}")
        labels[row["id"]] = row
    return labels


def join_labels(sample: Sequence[dict], labels: dict[str, dict]) -> tuple[list[dict], Counter]:
    """The labelled sample rows as evaluation cases, and counts by (split, outcome, check).

    ``discrepancy`` -> ``expect: "fire"`` with its check; ``no_discrepancy`` -> ``check: "any"``,
    ``expect: "silent"``; ``unsure``, ``other`` and unlabelled pairs are left out (counted). A
    label for a pair that is not in the sample, or that disagrees with it on ``mrpc`` or
    ``split``, raises ValueError (the sample and the labels are out of step).
    """
    by_id = {row["id"]: row for row in sample}
    stale = sorted(set(labels) - set(by_id))
    if stale:
        raise ValueError(f"{len(stale)} labels name pairs not in the sample, e.g. {stale[0]}")
    rows: list[dict] = []
    counts: Counter = Counter()
    for pair in sample:
        label = labels.get(pair["id"])
        split = pair["split"]
        if label is None:
            counts[(split, "unlabelled", "-")] += 1
            continue
        for key in ("mrpc", "split"):
            if label.get(key) != pair[key]:
                raise ValueError(f"{pair['id']}: label {key} {label.get(key)!r} != {pair[key]!r}")
        extra = {"mrpc": pair["mrpc"], "label": label["label"], "comment": label.get("comment", "")}
        if label["label"] == "discrepancy" and label["check"] != OTHER_CHECK:
            rows.append(_record(pair["id"], label["check"], "fire", split, pair["a"], pair["b"],
                                **extra))  # fmt: skip
            counts[(split, "fire", label["check"])] += 1
        elif label["label"] == "no_discrepancy":
            rows.append(_record(pair["id"], "any", "silent", split, pair["a"], pair["b"], **extra))
            counts[(split, "silent", "any")] += 1
        elif label["label"] == "discrepancy":
            counts[(split, "left out", OTHER_CHECK)] += 1
        else:
            counts[(split, "left out", "unsure")] += 1
    return rows, counts


def write_real_discrepancies(out: Path, labels_path: Path = LABELS) -> Counter:
    """Join the labels onto ``out``'s sample, write ``REAL_DISCREPANCIES``; print the counts."""
    lines = (out / "real_nonparaphrase_sample.jsonl").read_text(encoding="utf-8").splitlines()
    sample = [json.loads(line) for line in lines if line.strip()]
    rows, counts = join_labels(sample, read_labels(labels_path))
    with (out / REAL_DISCREPANCIES).open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    log.info("wrote %d lines to %s", len(rows), out / REAL_DISCREPANCIES)
    sys.stdout.write(f"{REAL_DISCREPANCIES}: {len(rows)} cases from {labels_path.name}\n")
    sys.stdout.write(f"{'split':<6}{'expect':<10}{'check':<13}pairs\n")
    for (split, outcome, check), n in sorted(counts.items()):
        sys.stdout.write(f"{split:<6}{outcome:<10}{check:<13}{n}\n")
    return counts


# --- measuring ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    """One finding on a labelled pair, kept for the error listings."""

    check: str
    explanation: str
    a_value: str
    b_value: str
    a_spans: tuple[str, ...]
    b_spans: tuple[str, ...]


def run_hits(pairs: Sequence, nlp: Language, configs: dict) -> dict[str, list[Hit]]:
    """Every finding the rules make on each pair (all claim pairs of the two sides)."""
    from rules.registry import run_rules
    from rules.scoring import claims_from_text

    hits: dict[str, list[Hit]] = {}
    started = time.perf_counter()
    for n, pair in enumerate(pairs, start=1):
        ca = claims_from_text(pair.a.text, pair.a.outlet, pair.a.published, nlp, f"{pair.id}-a")
        cb = claims_from_text(pair.b.text, pair.b.outlet, pair.b.published, nlp, f"{pair.id}-b")
        hits[pair.id] = [
            Hit(h.check, h.explanation, h.a_value, h.b_value,
                tuple(s.text for s in h.a_spans), tuple(s.text for s in h.b_spans))
            for x in ca for y in cb for h in run_rules(x, y, configs)
        ]  # fmt: skip
        if n % 500 == 0:
            log.info("  %d/%d pairs, %.0f s", n, len(pairs), time.perf_counter() - started)
    return hits


_QUOTED = re.compile(r"'[^']*'")


def pattern_of(hit: Hit) -> str:
    """A coarse false-alarm pattern: the check, the kind of values, and whether the differing
    spans are the same words (same words read differently) or different words.

    >>> pattern_of(Hit("numeric", "A gives 5 ...", "5", "7", ("5",), ("7",)))
    'numeric: count vs count, different words'
    """

    def shape(value: str) -> str:
        v = value.strip()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}(/\d{4}-\d{2}-\d{2})?", v):
            return "day"
        if re.fullmatch(r"\d{4}-\d{2}(-\d{2})?T.*|.*\d{2}:\d{2}.*", v):
            return "clock"
        if re.fullmatch(r"\d{4}-\d{2}", v):
            return "month"
        if "%" in v:
            return "percent"
        if re.search(r"\b(USD|EUR|GBP|JPY|AUD|CAD)\b|[$€£¥]", v):
            return "money"
        if re.search(r"\bhour", v):
            return "duration"
        if re.fullmatch(r"[\d.,\s-]+", v):
            return "count"
        if hit.check == "entity_role":
            return "title" if " " in v else "name"
        return "words"

    same = [s.lower() for s in hit.a_spans] == [s.lower() for s in hit.b_spans] and hit.a_spans
    detail = "same words" if same else "different words"
    if hit.check in {"negation", "quote"}:
        m = re.search(r"\((?:[^)]*)\)|: (.*?)(?: \(|\.$)", hit.explanation)
        if hit.check == "negation":
            kind = "opposite verbs" if "opposite" in hit.explanation else "polarity"
        else:
            kind = (m.group(1) if m and m.group(1) else "wording").strip()
        return f"{hit.check}: {kind}"
    if hit.check == "attribution":
        return "attribution: different speakers"
    return f"{hit.check}: {shape(hit.a_value)} vs {shape(hit.b_value)}, {detail}"


def _pair_summary(pair: object, hit: Hit) -> dict:
    return {
        "id": pair.id,
        "check": hit.check,
        "a": pair.a.text,
        "b": pair.b.text,
        "explanation": hit.explanation,
    }


def measure(out: Path, nlp: Language, sample: int | None) -> dict:
    """Rules-only scores on the written files; writes ``measure.json`` and ``measure.md``."""
    from rules.registry import RULES, load_rule_configs
    from rules.scoring import load_pairs, score_pairs

    configs = load_rule_configs()
    result: dict = {"sampled": sample, "splits": {}}
    para = load_pairs(out / "real_paraphrases.jsonl")
    injected = load_pairs(out / "injected.jsonl")
    if sample is not None:
        para = random.Random(f"{SEED}:sample-para").sample(para, min(sample, len(para)))
        injected = random.Random(f"{SEED}:sample-inj").sample(injected, min(sample, len(injected)))
    log.info("running the rules on %d paraphrase pairs", len(para))
    para_hits = run_hits(para, nlp, configs)
    log.info("running the rules on %d injected pairs", len(injected))
    inj_hits = run_hits(injected, nlp, configs)
    base_fired = {p.id.removeprefix("para-"): {h.check for h in para_hits[p.id]} for p in para}
    edits = {}
    for line in (out / "injected.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        edits[row["id"]] = row
    for split in ("dev", "test"):
        sp = [p for p in para if p.split == split]
        si = [p for p in injected if p.split == split]
        scores = score_pairs(si, lambda p: {h.check for h in inj_hits[p.id]})
        flagged = sum(1 for p in sp if para_hits[p.id])
        by_check = Counter(c for p in sp for c in {h.check for h in para_hits[p.id]})
        kinds: dict[str, Counter] = defaultdict(Counter)
        for p in si:
            row = edits[p.id]
            fired = {h.check for h in inj_hits[p.id]}
            k = kinds[row["edit"]]
            k["n"] += 1
            own = bool(fired) if p.check == "any" else p.check in fired
            k["own_fired"] += own
            k["any_fired"] += bool(fired)
            k["base_own_fired"] += p.check in base_fired.get(row["mrpc"], set())
        result["splits"][split] = {
            "injected_cases": len(si),
            "injected_fire": sum(p.expect == "fire" for p in si),
            "injected_silent": sum(p.expect == "silent" for p in si),
            "scores": {
                name: {
                    "tp": s.tp,
                    "fp": s.fp,
                    "fn": s.fn,
                    "tn": s.tn,
                    "precision": s.precision,
                    "recall": s.recall,
                }
                for name, s in scores.items()
            },  # fmt: skip
            "paraphrase_pairs": len(sp),
            "paraphrase_flagged": flagged,
            "paraphrase_false_alarm_rate": flagged / len(sp) if sp else 0.0,
            "paraphrase_flagged_by_check": dict(by_check),
            "kinds": {k: dict(v) for k, v in sorted(kinds.items())},
        }
    patterns: dict[str, list[dict]] = defaultdict(list)
    for p in para:
        for pattern in {pattern_of(h): h for h in para_hits[p.id]}.items():
            patterns[pattern[0]].append(_pair_summary(p, pattern[1]))
    result["false_alarm_patterns"] = [
        {"pattern": k, "pairs": len(v), "examples": v[:: max(1, len(v) // 3)][:3]}
        for k, v in sorted(patterns.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    ]
    missed: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    silent_fp: dict[str, list[dict]] = defaultdict(list)
    for p in injected:
        row = edits[p.id]
        fired = {h.check for h in inj_hits[p.id]}
        if p.expect == "fire" and p.check not in fired:
            missed[p.check][row["edit"]].append(
                {"id": p.id, "note": row["note"], "a": p.a.text, "b": p.b.text,
                 "other_checks": sorted(fired)}
            )  # fmt: skip
        if p.expect == "silent" and fired:
            base = base_fired.get(row["mrpc"], set())
            for h in inj_hits[p.id]:
                if h.check not in base:
                    silent_fp[row["edit"]].append({**_pair_summary(p, h), "note": row["note"]})
                    break
    result["missed"] = {
        check: {kind: {"n": len(v), "examples": v[:: max(1, len(v) // 3)][:3]}
                for kind, v in sorted(kinds.items(), key=lambda kv: -len(kv[1]))}
        for check, kinds in missed.items()
    }  # fmt: skip
    result["silent_rewrite_false_alarms"] = {
        kind: {"n": len(v), "examples": v[:3]} for kind, v in silent_fp.items()
    }
    result["checks"] = list(RULES)
    (out / "measure.json").write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    (out / "measure.md").write_text(figures_table(result))
    return result


def figures_table(result: dict) -> str:
    """The figures as a Markdown table (per check P/R per split; false-alarm rates)."""
    checks = result["checks"]
    lines = [
        "| split | injected cases (fire/silent) | "
        + " | ".join(f"{c} P/R" for c in checks)
        + " | paraphrase false-alarm rate |",
        "|---" * (len(checks) + 3) + "|",
    ]
    for split, data in result["splits"].items():
        cells = []
        for check in checks:
            s = data["scores"].get(check)
            if s is None or s["tp"] + s["fp"] + s["fn"] == 0:
                cells.append("-")
            else:
                cells.append(f"{s['precision']:.2f}/{s['recall']:.2f}")
        lines.append(
            f"| {split} | {data['injected_cases']} ({data['injected_fire']}/"
            f"{data['injected_silent']}) | " + " | ".join(cells) + f" | "
            f"{data['paraphrase_false_alarm_rate']:.3f} ({data['paraphrase_flagged']}/"
            f"{data['paraphrase_pairs']}) |"
        )
    lines.append("")
    lines.append("| edit | split | cases | labelled check fired | any check fired |")
    lines.append("|---|---|---|---|---|")
    for split, data in result["splits"].items():
        for kind, k in data["kinds"].items():
            lines.append(f"| {kind} | {split} | {k['n']} | {k['own_fired']} | {k['any_fired']} |")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: build the files, and with ``--measure`` score the rules on them."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mrpc", type=Path, required=True, help="the MRPC folder")
    parser.add_argument("--out", type=Path, required=True, help="output folder (e.g. runs/eval)")
    parser.add_argument("--measure", action="store_true", help="also score the rules (no NLI)")
    parser.add_argument("--no-build", action="store_true", help="measure existing files only")
    parser.add_argument("--sample", type=int, default=None, help="measure a seeded sample")
    parser.add_argument(
        "--labels", type=Path, default=LABELS, help="hand labels of the non-paraphrase sample"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    from claims.nlp import load_nlp

    nlp = load_nlp()
    if not args.no_build:
        build(args.mrpc, args.out, nlp)
    if args.labels.exists():
        write_real_discrepancies(args.out, args.labels)
    else:
        log.info("no labels at %s: %s not written", args.labels, REAL_DISCREPANCIES)
    if args.measure:
        result = measure(args.out, nlp, args.sample)
        sys.stdout.write(figures_table(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
