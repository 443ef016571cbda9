"""Shared tests of 'same event' the rule checks use before they compare values.

Alignment pairs claims loosely, so a rule only compares two values when they hang from the same
predicate (verb lemma) with compatible subjects: 'Blinken tested negative on Tuesday' and
'Blinken had tested negative on Wednesday' share ``test`` and ``blinken``; 'the reporter tested
positive' and 'Blinken tested negative' do not.
"""

from __future__ import annotations

import re

from claims.records import Claim, Predicate

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


def content_text(claim: Claim) -> str:
    return claim.content.text


def in_claim(claim: Claim, start: int, end: int) -> str:
    """Article text of a span inside the claim's sentence."""
    s = claim.sentence
    return s.text[start - s.start : end - s.start]
