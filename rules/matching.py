"""Shared tests of 'same event' the rule checks use before they compare values.

Alignment pairs claims loosely, so a rule only compares two values when they hang from the same
predicate (verb lemma) with compatible subjects: 'Blinken tested negative on Tuesday' and
'Blinken had tested negative on Wednesday' share ``test`` and ``blinken``; 'the reporter tested
positive' and 'Blinken tested negative' do not.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from claims.records import Claim, Predicate, Quantity, Span, TimeMention
from rules.base import RuleConfig

PRONOUNS = frozenset(
    {"he", "she", "they", "it", "we", "i", "you", "who", "which", "that", "this", "these",
     "those", "one", "-PRON-", "him", "her", "them", "us"}
)  # fmt: skip
#: verbs that introduce speech or are too light to identify an event on their own.
LIGHT_VERBS = frozenset({"say", "tell", "add", "be", "have", "do", "make", "get"})
STOPWORDS = frozenset(
    {"the", "a", "an", "and", "or", "of", "to", "in", "on", "at", "for", "with", "by", "from",
     "that", "this", "was", "were", "is", "are", "be", "been", "has", "have", "had", "it", "its",
     "he", "she", "they", "his", "her", "their", "as", "after", "before", "said", "says", "will",
     "would", "not", "but", "who", "which", "also", "than", "into", "over", "about"}
)  # fmt: skip
_WORD = re.compile(r"[a-z0-9]+")


def predicate(claim: Claim, lemma: str) -> Predicate | None:
    """The claim's first predicate with this lemma."""
    return next((p for p in claim.predicates if p.lemma == lemma), None)


def compatible_arguments(x: str, y: str) -> bool:
    """Two argument heads can be the same thing: equal, or either missing or a pronoun.

    >>> compatible_arguments("blinken", "he"), compatible_arguments("reporter", "blinken")
    (True, False)
    """
    if not x or not y or x in PRONOUNS or y in PRONOUNS:
        return True
    return x == y


def same_event(a: Claim, lemma_a: str, b: Claim, lemma_b: str) -> bool:
    """Whether predicates ``lemma_a`` of ``a`` and ``lemma_b`` of ``b`` can be the same event:
    same verb lemma and compatible subjects (objects too, when both are given)."""
    if not lemma_a or lemma_a != lemma_b:
        return False
    pa, pb = predicate(a, lemma_a), predicate(b, lemma_b)
    if pa is None or pb is None:
        return True
    return compatible_arguments(pa.subject, pb.subject)


def content_words(text: str) -> set[str]:
    """Lower-case content words of a text.

    >>> sorted(content_words("The minister resigned on Monday."))
    ['minister', 'monday', 'resigned']
    """
    return {w for w in _WORD.findall(text.lower()) if w not in STOPWORDS}


def word_overlap(a: str, b: str) -> float:
    """Share of the smaller text's content words found in the other (0..1).

    >>> word_overlap("Blinken tested negative on Tuesday", "Blinken tested negative Wednesday")
    0.75
    """
    wa, wb = content_words(a), content_words(b)
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / min(len(wa), len(wb))


def in_claim(claim: Claim, start: int, end: int) -> str:
    """Article text of a span inside the claim's sentence."""
    s = claim.sentence
    return s.text[start - s.start : end - s.start]


# --- the frame test: same event told in other words -------------------------------------------

#: placeholders that stand for a typed value in a masked frame.
TIME_SLOT, NUMBER_SLOT, PERSON_SLOT, PLACE_SLOT = "<time>", "<num>", "<person>", "<place>"
PLACEHOLDERS = frozenset({TIME_SLOT, NUMBER_SLOT, PERSON_SLOT, PLACE_SLOT})
#: entity labels masked as a person or a place (organisations stay: they say who acted).
PERSON_LABELS = frozenset({"PERSON"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
#: suffixes a crude stemmer strips so 'ordered' / 'order' and 'markets' / 'market' meet (longest
#: first; a stem keeps at least ``_MIN_STEM`` letters).
_SUFFIXES = ("ingly", "ings", "ing", "edly", "ies", "ied", "ed", "es", "s", "ly")
_MIN_STEM = 3
_TOKEN = re.compile(r"<[a-z]+>|[a-z0-9]+")
#: verbs that news outlets swap for each other when telling one event, by the word that stands
#: for their class in a frame: movement of a figure, the end of a trading day, speech, finding.
#: A closed general table (no story's words); other verbs meet only by lemma.
VERB_CLASSES: dict[str, str] = {
    **dict.fromkeys(
        ("rise", "climb", "gain", "increase", "jump", "surge", "advance", "grow", "soar",
         "rally", "edge"), "rise"),
    **dict.fromkeys(
        ("fall", "drop", "decline", "slip", "slide", "lose", "dip", "tumble", "plunge", "sink",
         "shed", "decrease", "ease", "retreat"), "fall"),
    **dict.fromkeys(("close", "end", "finish", "settle"), "close"),
    **dict.fromkeys(
        ("say", "tell", "report", "announce", "state", "disclose", "reveal"), "say"),
    **dict.fromkeys(("find", "detect", "discover", "identify", "spot"), "find"),
    **dict.fromkeys(("kill", "slay"), "kill"),
    **dict.fromkeys(("buy", "acquire", "purchase"), "buy"),
}  # fmt: skip


def stem(word: str) -> str:
    """A crude English stem, enough to meet inflections of the same word.

    >>> [stem(w) for w in ("ordered", "order", "markets", "closing", "cities")]
    ['order', 'order', 'market', 'clos', 'cit']
    """
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            return word[: -len(suffix)]
    return word


def _masks(claim: Claim) -> list[tuple[int, int, str]]:
    """(start, end, placeholder-or-lemma) for every typed value and verb inside the content."""
    start, end = claim.content.start, claim.content.end
    spans: list[tuple[int, int, str]] = []
    spans += [(t.span.start, t.span.end, TIME_SLOT) for t in claim.times]
    spans += [(q.span.start, q.span.end, NUMBER_SLOT) for q in claim.quantities]
    for e in claim.entities:
        if e.label in PERSON_LABELS:
            spans.append((e.span.start, e.span.end, PERSON_SLOT))
        elif e.label in PLACE_LABELS:
            spans.append((e.span.start, e.span.end, PLACE_SLOT))
    spans += [(p.span.start, p.span.end, p.lemma) for p in claim.predicates]
    inside = [s for s in spans if start <= s[0] and s[1] <= end and s[0] < s[1]]
    kept: list[tuple[int, int, str]] = []
    for s in sorted(inside, key=lambda s: (s[0], -(s[1] - s[0]))):
        if kept and s[0] < kept[-1][1]:
            continue  # overlapping spans: the first (longest) wins
        kept.append(s)
    return kept


def masked_tokens(claim: Claim) -> list[str]:
    """The claim's content as lower-case tokens with typed values replaced by placeholders and
    verbs by their lemmas (stopwords kept, so the position of a slot stays readable).

    >>> from claims.records import Quantity, Span
    >>> text = "Shares closed at $3.01 on the exchange."
    >>> c = Claim("c", "a", "A", Span(0, 39, text), Span(0, 38, text[:38]),
    ...           quantities=[Quantity(Span(17, 22, "$3.01"), 3.01, 3.01, 3.01, "USD", "money")])
    >>> masked_tokens(c)
    ['shares', 'closed', 'at', '<num>', 'on', 'the', 'exchange']
    """
    text, base = claim.content.text, claim.content.start
    out: list[str] = []
    cursor = 0
    for s, e, token in _masks(claim):
        out += _TOKEN.findall(text[cursor : s - base].lower())
        out.append(token if token in PLACEHOLDERS else text[s - base : e - base].lower())
        cursor = e - base
    out += _TOKEN.findall(text[cursor:].lower())
    return out


def frame_words(claim: Claim) -> set[str]:
    """The content words of the claim's masked frame, stemmed: what the claim says happened
    with its values taken out (titles of the people it names are left out too).

    >>> from claims.records import Predicate, Span
    >>> text = "Judge Yeates ordered that Parker be placed in foster care."
    >>> c = Claim("c", "a", "A", Span(0, 58, text), Span(0, 57, text[:57]),
    ...           predicates=[Predicate(Span(13, 20, "ordered"), "order")])
    >>> sorted(frame_words(c))
    ['care', 'foster', 'judge', 'order', 'parker', 'plac', 'yeat']
    """
    lemmas = {p.span.start: p.lemma for p in claim.predicates}
    titles = {w for e in claim.entities if e.role for w in _TOKEN.findall(e.role.lower())}
    words: set[str] = set()
    text, base = claim.content.text, claim.content.start
    cursor = 0
    for s, e, token in _masks(claim):
        words |= _words(text[cursor : s - base], titles)
        if token not in PLACEHOLDERS:
            lemma = lemmas.get(s, token)
            words.add(stem(VERB_CLASSES.get(lemma, lemma)))
        cursor = e - base
    words |= _words(text[cursor:], titles)
    return words


#: auxiliaries and possessive endings, left out of frames with the stopwords.
FRAME_STOPWORDS = STOPWORDS | frozenset(
    {
        "did",
        "does",
        "do",
        "had",
        "could",
        "should",
        "may",
        "might",
        "can",
        "must",
        "being",
        "s",
        "t",
        "mr",
        "mrs",
        "ms",
        "its",
        "our",
        "we",
        "i",
        "you",
    }
)


def _words(text: str, titles: set[str]) -> set[str]:
    return {
        stem(w)
        for w in _TOKEN.findall(text.lower())
        if w not in FRAME_STOPWORDS and w not in titles and not w.isdigit()
    }


@dataclass(frozen=True)
class FrameMatch:
    """How alike two claims' masked frames are: ``similarity`` (token-set ratio, 0-100) and
    ``shared`` (content words in common)."""

    similarity: float
    shared: int

    def holds(self, min_similarity: float, min_shared: int) -> bool:
        """Whether the frames are the same event under these thresholds.

        >>> FrameMatch(82.0, 4).holds(70, 3), FrameMatch(82.0, 2).holds(70, 3)
        (True, False)
        """
        return self.similarity >= min_similarity and self.shared >= min_shared


def frame_match(a: Claim, b: Claim) -> FrameMatch:
    """Compare the masked frames of two claims (see :func:`frame_words`).

    Token-set similarity is 100 when one claim's words are all in the other: a shorter report of
    the same event matches a longer one.
    """
    wa, wb = frame_words(a), frame_words(b)
    if not wa or not wb:
        return FrameMatch(0.0, 0)
    similarity = fuzz.token_set_ratio(" ".join(sorted(wa)), " ".join(sorted(wb)))
    return FrameMatch(float(similarity), len(wa & wb))


def frame_settings(config: RuleConfig) -> tuple[float, int]:
    """A check's frame thresholds from its params (each check sets its own in the rules file):
    ``frame_min_similarity``, the token-set similarity (0-100) of the masked content words, and
    ``frame_min_shared``, the number of content words the frames share."""
    return (
        float(config.param("frame_min_similarity")),
        int(config.param("frame_min_shared")),
    )


def same_frame(a: Claim, b: Claim, config: RuleConfig) -> bool:
    """Whether two aligned claims tell the same event in other words, under a check's frame
    thresholds (``frame`` false in its params turns the frame path off)."""
    if not config.param("frame"):
        return False
    return frame_match(a, b).holds(*frame_settings(config))


def slot_context(claim: Claim, start: int, width: int = 2) -> tuple[str, ...]:
    """The ``width`` masked tokens before a value at ``start`` (prepositions kept): the slot the
    value fills ('closed at <num>' -> ('closed', 'at'))."""
    text, base = claim.content.text, claim.content.start
    if not base <= start <= claim.content.end:
        return ()
    prefix = Claim(
        claim.id, claim.article_id, claim.outlet, claim.sentence,
        Span(base, start, text[: start - base]),
        times=claim.times, quantities=claim.quantities, entities=claim.entities,
        predicates=claim.predicates,
    )  # fmt: skip
    return tuple(stem(w) for w in masked_tokens(prefix)[-width:])


def pair_residuals(
    n_a: int,
    n_b: int,
    agree: Callable[[int, int], bool],
    comparable: Callable[[int, int], bool],
    affinity: Callable[[int, int], float] | None = None,
) -> list[tuple[int, int]]:
    """Pair the values two claims do not share: values of ``a`` that agree with some value of
    ``b`` (and the reverse) are set aside; of the rest, a value with exactly one comparable
    partner left on the other side, and the same back, is paired with it; otherwise values are
    paired when each is the other's single best by ``affinity`` (> 0).

    >>> pair_residuals(2, 2, lambda i, j: (i, j) == (0, 0), lambda i, j: True)
    [(1, 1)]
    >>> pair_residuals(1, 2, lambda i, j: False, lambda i, j: True)
    []
    """
    left = [i for i in range(n_a) if not any(agree(i, j) for j in range(n_b))]
    right = [j for j in range(n_b) if not any(agree(i, j) for i in range(n_a))]
    options = {i: [j for j in right if comparable(i, j)] for i in left}
    back = {j: [i for i in left if comparable(i, j)] for j in right}
    pairs = [(i, js[0]) for i, js in options.items() if len(js) == 1 and back[js[0]] == [i]]
    if affinity is None:
        return pairs
    taken_a, taken_b = {i for i, _ in pairs}, {j for _, j in pairs}
    for i, js in options.items():
        if i in taken_a or len(js) < 2:
            continue
        scores = sorted(((affinity(i, j), j) for j in js if j not in taken_b), reverse=True)
        if not scores or scores[0][0] <= 0 or (len(scores) > 1 and scores[1][0] == scores[0][0]):
            continue
        j = scores[0][1]
        rivals = sorted((affinity(k, j) for k in back[j] if k not in taken_a), reverse=True)
        if rivals and rivals[0] == scores[0][0] and rivals.count(rivals[0]) == 1:
            pairs.append((i, j))
            taken_a.add(i)
            taken_b.add(j)
    return sorted(pairs)


def _times_meet(x: TimeMention, y: TimeMention) -> bool:
    if x.label and x.label == y.label:
        return True
    if x.earliest is None or y.earliest is None or x.latest is None or y.latest is None:
        return x.span.text.lower() == y.span.text.lower()
    return x.earliest <= y.latest and y.earliest <= x.latest


#: relative slack within which two numbers count as the same value for :func:`differing_kinds`.
SAME_VALUE_SLACK = 0.02


def _numbers_meet(x: Quantity, y: Quantity) -> bool:
    low_x, high_x = x.low * (1 - SAME_VALUE_SLACK), x.high * (1 + SAME_VALUE_SLACK)
    low_y, high_y = y.low * (1 - SAME_VALUE_SLACK), y.high * (1 + SAME_VALUE_SLACK)
    return low_x <= high_y and low_y <= high_x


def _place_words(claim: Claim) -> list[set[str]]:
    return [
        set(_TOKEN.findall(e.span.text.lower())) - STOPWORDS
        for e in claim.entities
        if e.label in PLACE_LABELS
    ]


def differing_kinds(a: Claim, b: Claim) -> set[str]:
    """The kinds of value (``time``, ``number``, ``place``) on which the two claims each have a
    value the other lacks: 'He and 13 others were arrested Monday' / '83 supporters were
    arrested on Friday' differ on ``number`` and ``time``. A frame-path finding of one kind
    needs the claims to agree on every other kind: two values changed at once are more likely
    another instance of a recurring event (another day's arrests, another poll) than one
    outlet misreporting one value.
    """

    def odd(xs: list, ys: list, meet: Callable[[Any, Any], bool]) -> bool:
        return any(not any(meet(x, y) for y in ys) for x in xs)

    kinds: set[str] = set()
    if odd(a.times, b.times, _times_meet) and odd(b.times, a.times, _times_meet):
        kinds.add("time")
    if odd(a.quantities, b.quantities, _numbers_meet) and odd(
        b.quantities, a.quantities, _numbers_meet
    ):
        kinds.add("number")
    pa, pb = _place_words(a), _place_words(b)
    text_a, text_b = a.sentence.text.lower(), b.sentence.text.lower()
    if any(not any(w in text_b for w in x) for x in pa if x) and any(
        not any(w in text_a for w in y) for y in pb if y
    ):
        kinds.add("place")
    return kinds
