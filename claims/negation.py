"""Negation cues and the polarity of each verb in a claim.

A verb is negated when a negation cue governs it ('had not rejected', 'never arrived', "won't
attend"), or when it is the complement of a negated verb ('would not be able to visit': 'visit'
is negated). Cues are general English words; no story-specific vocabulary.

>>> negation_cues("He did not attend and never called.", 0, 35)
[Span(start=7, end=10, text='not'), Span(start=22, end=27, text='never')]
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from claims.records import Predicate, Span

NEGATION_WORDS = frozenset(
    {"not", "n't", "never", "no", "neither", "nor", "none", "nobody", "nothing", "cannot",
     "without"}
)  # fmt: skip
CUE_RE = re.compile(
    r"\b(?:not|never|no|neither|nor|none|nobody|nothing|cannot|without)\b|n't\b", re.IGNORECASE
)
#: complements through which a verb's negation carries down ('not able to visit').
CARRY_DEPS = ("xcomp", "acomp")
PAST_TAGS = ("VBD", "VBN")
#: words after 'not' that take the negation for themselves ('not all', 'not only').
SCOPE_WORDS = frozenset({"all", "every", "everyone", "everything", "many", "much", "only", "just"})
#: verbs whose complement did not happen ('failed to pay', 'refused to sign').
DENYING_VERBS = frozenset({"fail", "refuse", "decline", "neglect", "omit"})
FUTURE_AUX = ("will", "would", "shall", "'ll", "wo")


def negation_cues(text: str, start: int, end: int, doc: Doc | None = None) -> list[Span]:
    """Spans of negation cues in ``text[start:end]``.

    With a parse, only tokens spaCy marks as negation (``neg``) or negative determiners and
    pronouns count; without one, the cue words.
    """
    if doc is not None:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            return [
                Span(t.idx, t.idx + len(t.text), t.text)
                for t in span
                if t.dep_ == "neg" or t.lower_ in NEGATION_WORDS - {"without"}
            ]
    return [
        Span(m.start() + start, m.end() + start, m.group(0))
        for m in CUE_RE.finditer(text[start:end])
    ]


def _own_negation(verb: Token) -> bool:
    for child in verb.children:
        if child.dep_ == "neg" or child.lower_ in ("never", "n't", "not"):
            following = child.nbor(1) if child.i + 1 < len(child.doc) else None
            if following is not None and following.lower_ in SCOPE_WORDS:
                continue  # 'not all schools', 'not only': negates the quantifier, not the verb
            return True
        if child.dep_ in ("nsubj", "nsubjpass", "dobj") and child.lower_ in (
            "nobody",
            "nothing",
            "none",
            "neither",
        ):
            return True
        if child.dep_ in ("nsubj", "nsubjpass", "dobj", "attr") and any(
            g.dep_ == "det" and g.lower_ == "no" for g in child.children
        ):
            return True
    return False


def is_negated(verb: Token) -> bool:
    """Whether ``verb`` is negated, directly, through the verb it complements ('not able to
    visit'), or as the complement of a verb that denies it ('failed to pay', 'declined to
    comment'). A denying verb that is itself negated ('did not fail to pay') cancels out."""
    node = verb
    flips = 0
    for _ in range(6):
        if _own_negation(node):
            flips += 1
            break
        if node.dep_ not in CARRY_DEPS or node.head is node:
            break
        if node.dep_ == "xcomp" and node.head.lemma_.lower() in DENYING_VERBS:
            flips += 1
        elif node.dep_ == "xcomp" and any(c.lower_ == "yet" for c in node.head.children):
            flips += 1  # 'has yet to rule': it has not ruled
        node = node.head
    return flips % 2 == 1


def _tense(verb: Token) -> str:
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if any(a.lower_ in FUTURE_AUX for a in auxes):
        return "future"
    if verb.tag_ in PAST_TAGS and (not auxes or any(a.tag_ in PAST_TAGS for a in auxes)):
        return "past"
    if any(a.tag_ in PAST_TAGS for a in auxes):
        return "past"
    return "present"


def _argument(verb: Token, deps: tuple[str, ...]) -> str:
    node = verb
    for _ in range(4):
        for child in node.children:
            if child.dep_ in deps:
                return child.lemma_.lower()
        # conjoined verbs and complements share the subject of the verb they hang from
        if node.dep_ in ("conj", "xcomp", "acomp") and node.head is not node and "nsubj" in deps:
            node = node.head
            continue
        break
    return ""


def find_predicates(doc: Doc | None, start: int, end: int) -> list[Predicate]:
    """The verbs in ``doc``'s text between ``start`` and ``end`` with polarity and arguments."""
    if doc is None:
        return []
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return []
    found: list[Predicate] = []
    for token in span:
        is_verb = token.pos_ == "VERB"
        is_copula = token.pos_ == "AUX" and token.dep_ in ("ROOT", "ccomp", "conj", "advcl")
        if not (is_verb or is_copula):
            continue
        found.append(
            Predicate(
                span=Span(token.idx, token.idx + len(token.text), token.text),
                lemma=token.lemma_.lower(),
                negated=is_negated(token),
                subject=_argument(token, ("nsubj", "nsubjpass")),
                object=_argument(token, ("dobj", "attr", "acomp", "oprd")),
                tense=_tense(token),
            )
        )
    return found


def main_negated(doc: Doc | None, text: str, start: int, end: int) -> bool:
    """Whether the main verb of ``text[start:end]`` is negated (any cue, without a parse).

    >>> main_negated(None, "He did not attend.", 0, 18)
    True
    """
    if doc is None:
        return bool(CUE_RE.search(text[start:end]))
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return False
    return is_negated(span.root)
