"""Negation cues and the polarity of each verb in a claim.

A verb is negated when a negation cue governs it ('had not rejected', 'never arrived', "won't
attend", 'neither confirmed nor denied'), when it is the complement of a negated verb ('would not
be able to visit': 'visit' is negated), when a word of negative meaning governs it ('failed to
pay', 'was unable to fly', 'decided against raising', 'refrained from commenting'), or when it
is what a denial or a falsity statement rejects ('denied taking bribes', 'dismissed reports that
the envoy had been recalled', 'reports that the president had died are false'). A negation
carries to verbs joined by 'or'/'nor' ('would not confirm or deny'). Cues are closed classes of
general English words (below, and listed with their reasons in ``rules/rules.yaml``); no
story-specific vocabulary.

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
#: adjectives whose complement did not happen ('was unable to fly' = 'could not fly').
DENYING_ADJECTIVES = frozenset({"unable"})
#: 'decided against raising', 'refrained from commenting': a preposition, and the verbs under
#: which it turns its gerund into something that did not happen.
DENYING_PREPOSITIONS: dict[str, frozenset[str]] = {
    "against": frozenset({"decide", "vote", "opt", "choose", "rule", "advise"}),
    "from": frozenset({"refrain", "abstain", "stop", "prevent", "bar", "block", "keep"}),
}
#: verbs that reject a clause or gerund they govern ('denied taking bribes', 'denied that he
#: took'), or a report they take as object ('dismissed reports that he had resigned').
DENIAL_VERBS = frozenset({"deny", "dismiss", "refute", "reject", "debunk", "disprove", "rebut"})
#: nouns for something said or shown, whose content a denial or falsity word rejects.
REPORT_NOUNS = frozenset(
    {"report", "claim", "rumour", "rumor", "allegation", "story", "suggestion", "speculation",
     "assertion", "video", "photo", "image", "post", "account"}
)  # fmt: skip
#: complements that call a report untrue ('reports that X are false / a hoax / fake').
FALSITY_WORDS = frozenset(
    {"false", "untrue", "fake", "hoax", "baseless", "unfounded", "fabricated", "fabrication",
     "incorrect", "bogus", "wrong", "inaccurate", "fiction", "nonsense", "misinformation",
     "disinformation", "debunked"}
)  # fmt: skip
#: conjunctions that carry a negation to the next verb ('not confirm or deny').
CARRY_CONJUNCTIONS = frozenset({"or", "nor"})
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
        if child.dep_ == "preconj" and child.lower_ == "neither":
            return True  # 'neither confirmed nor denied'
        if child.dep_ in ("nsubj", "nsubjpass", "dobj") and child.lower_ in (
            "nobody",
            "nothing",
            "none",
            "neither",
        ):
            return True
        if child.dep_ in ("nsubj", "nsubjpass", "dobj", "attr") and any(
            (g.dep_ == "det" and g.lower_ == "no")
            or (g.dep_ == "preconj" and g.lower_ == "neither")
            for g in child.children
        ):
            return True  # 'no agreement was reached', 'neither the president nor his aides'
    return False


def _conjunct_negated(verb: Token) -> bool:
    """'would not confirm or deny', 'neither confirmed nor denied', 'failed to win or form': a
    verb joined by 'or'/'nor' to a negated verb is negated too ('did not attend and called' is
    not)."""
    if verb.dep_ != "conj" or verb.head is verb:
        return False
    head = verb.head
    joins = {c.lower_ for c in head.children if c.dep_ == "cc" and head.i < c.i < verb.i}
    return bool(joins & CARRY_CONJUNCTIONS) and is_negated(head)


def _rejected_report(noun: Token) -> bool:
    """Whether a report noun ('reports', 'claims') is called untrue or denied: 'reports ... are
    false', 'claims ... were debunked', 'dismissed reports ...'."""
    head = noun.head
    if noun.dep_ == "nsubj" and head.lemma_.lower() == "be":
        complements = [c for c in head.children if c.dep_ in ("acomp", "attr")]
        called_false = any(c.lemma_.lower() in FALSITY_WORDS for c in complements)
        called_untrue = _own_negation(head) and any(
            c.lemma_.lower() in ("true", "accurate", "correct") for c in complements
        )
        return called_false or called_untrue
    if noun.dep_ in ("nsubjpass", "dobj") and head.lemma_.lower() in DENIAL_VERBS:
        return not (_own_negation(head) or _conjunct_negated(head))
    return False


def _denied(verb: Token) -> bool:
    """Whether ``verb`` is what a denial or falsity statement rejects (see the module text)."""
    head = verb.head
    if head is verb:
        return False
    head_lemma = head.lemma_.lower()
    if verb.dep_ in ("xcomp", "ccomp") and head_lemma == "deny":
        # 'denied taking bribes'; 'did not deny' cancels out
        return not (_own_negation(head) or _conjunct_negated(head))
    if verb.dep_ in ("acl", "ccomp") and head_lemma in REPORT_NOUNS:
        return _rejected_report(head)  # 'reports that the president had died are false'
    if verb.dep_ == "pcomp" and head.dep_ == "prep" and head.head is not head:
        governors = DENYING_PREPOSITIONS.get(head.lower_, frozenset())
        return head.head.lemma_.lower() in governors  # 'decided against raising'
    return False


def is_negated(verb: Token) -> bool:
    """Whether ``verb`` is negated, directly, through the verb it complements ('not able to
    visit'), as the complement of a verb that denies it ('failed to pay', 'declined to
    comment', 'was unable to fly'), as a gerund of 'decided against' / 'refrained from', as the
    content of a denial ('denied taking bribes', 'reports that ... are false'), or as a verb
    joined by 'or'/'nor' to a negated one. A denying verb that is itself negated ('did not fail
    to pay') cancels out."""
    node = verb
    flips = 0
    for _ in range(6):
        if _own_negation(node) or _conjunct_negated(node):
            flips += 1
            break
        if _denied(node):
            flips += 1
            break
        if node.dep_ not in CARRY_DEPS or node.head is node:
            break
        head_lemma = node.head.lemma_.lower()
        if node.dep_ == "xcomp" and head_lemma in DENYING_VERBS | DENYING_ADJECTIVES:
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
            if node.dep_ == "xcomp" and any(c.dep_ == "dobj" for c in node.head.children):
                # 'sent his deputy to attend': the object of the verb above does it
                obj = next(c for c in node.head.children if c.dep_ == "dobj")
                return obj.lemma_.lower()
            node = node.head
            continue
        # 'decided against raising rates': the gerund's subject is the deciding one
        if node.dep_ == "pcomp" and node.head.dep_ == "prep" and "nsubj" in deps:
            node = node.head.head
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
                subject=_argument(token, ("nsubj", "nsubjpass", "expl")),
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
