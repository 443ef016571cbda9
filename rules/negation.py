"""negation: one outlet says something happened, the other that it did not (or its opposite).

Fires when both claims have the same verb with compatible subjects and objects (and at least one
of them shared) but opposite polarity ('had not rejected the offer' / 'rejected the offer'), or
when they use verbs of opposite meaning, both asserted, with shared arguments ('ended the
contract' / 'extended the contract'). Polarity comes from the parse (:mod:`claims.negation`:
'not', 'never', 'neither ... nor', 'failed to', 'unable to', 'decided against', denials and
'reports ... are false'). Before comparing, a word of negative meaning is read as its positive
counterpart negated ('skipped the meeting' = 'did not attend the meeting'; 'is alive' = 'did not
die'), from the ``equivalents`` table of the rules file, so a paraphrase with such a word agrees.

Copular claims ('X is not Y' / 'X is Y') are compared when their subjects are the same head noun
or name and their complements the same word (opposite polarity) or opposite words (both
asserted: 'is alive' / 'is dead'); a past and a present copula are different times and are not
compared. 'have' counts when the two objects are the same ('does not have a licence' / 'has a
licence'). Two negated verbs of opposite meaning ('did not confirm' / 'did not deny') agree.
The antonyms are a general English list (below, editable through ``extra_antonyms`` in the rules
file), not words from any story. Speech verbs ('say', 'tell') are ignored: who said what is the
attribution check's business.

Params: ``use_antonyms`` (bool), ``extra_antonyms`` (list of [word, word] pairs),
``equivalents`` (word -> 'not X' or 'X'), ``copular`` (bool).

>>> from claims.records import Span
>>> from rules.registry import load_rule_configs
>>> empty = Span(0, 0, "")
>>> check_negation(Claim("a", "x", "X", empty, empty), Claim("b", "y", "Y", empty, empty),
...                load_rule_configs()["negation"])
[]
"""

from __future__ import annotations

import re
from dataclasses import replace

from claims.records import Claim, Predicate
from rules.base import RuleConfig, RuleHit
from rules.matching import (
    LIGHT_VERBS,
    PRONOUNS,
    compatible_arguments,
    content_words,
    differing_kinds,
    frame_match,
    frame_settings,
    stem,
)

CHECK = "negation"

#: general English opposites (lemmas) that exclude each other for one event: one outcome or
#: direction rules out the other. Converses and sequences ('arrive'/'depart', 'buy'/'sell',
#: 'begin'/'end', 'enter'/'exit') are left out: both can be true of one subject.
ANTONYMS: tuple[tuple[str, str], ...] = (
    ("end", "extend"), ("accept", "reject"), ("approve", "reject"), ("rise", "fall"),
    ("increase", "decrease"), ("increase", "cut"), ("raise", "lower"), ("raise", "cut"),
    ("grow", "shrink"), ("win", "lose"), ("confirm", "deny"), ("admit", "deny"),
    ("open", "close"), ("allow", "ban"), ("allow", "forbid"), ("allow", "prohibit"),
    ("permit", "ban"), ("lift", "impose"), ("support", "oppose"), ("acquit", "convict"),
    ("include", "exclude"), ("pass", "fail"), ("succeed", "fail"), ("gain", "lose"),
    ("expand", "shrink"), ("strengthen", "weaken"), ("agree", "refuse"), ("accept", "decline"),
    ("resume", "suspend"), ("survive", "die"), ("uphold", "overturn"), ("positive", "negative"),
    ("guilty", "innocent"), ("legal", "illegal"), ("true", "false"), ("alive", "dead"),
    ("open", "closed"), ("present", "absent"), ("safe", "unsafe"),
)  # fmt: skip
#: words of negative meaning read as 'not' + their positive counterpart, used only when a rules
#: file leaves ``equivalents`` empty (null); the packaged rules file lists them with the reason
#: for each.
EQUIVALENTS: dict[str, str] = {
    "skip": "not attend",
    "boycott": "not attend",
    "lack": "not have",
    "alive": "not die",
    "dead": "die",
}
#: copulas: 'X is Y' links a subject to a state, compared on the state.
COPULAS = frozenset({"be"})
SPEECH_VERBS = frozenset({"say", "tell", "add", "report", "state", "announce"})


def _antonym_set(config: RuleConfig) -> set[frozenset[str]]:
    pairs = [*ANTONYMS, *(tuple(p) for p in config.param("extra_antonyms") or [])]
    return {frozenset(p) for p in pairs if len(p) == 2}


def _equivalents(config: RuleConfig) -> dict[str, tuple[str, bool]]:
    """The ``equivalents`` table as word -> (lemma, negated).

    >>> _equivalents(RuleConfig(params={"equivalents": {"skip": "not attend"}}))
    {'skip': ('attend', True)}
    """
    table = config.param("equivalents")
    if table is None:
        table = EQUIVALENTS
    out: dict[str, tuple[str, bool]] = {}
    for word, meaning in dict(table).items():
        words = str(meaning).lower().split()
        negated = bool(words) and words[0] == "not"
        lemma = " ".join(words[1:] if negated else words)
        if lemma:
            out[str(word).lower()] = (lemma, negated)
    return out


def reading(p: Predicate, equivalents: dict[str, tuple[str, bool]]) -> Predicate:
    """The predicate as the check compares it: a word of negative meaning becomes its positive
    counterpart negated, a copular state its event (whose object it was).

    >>> from claims.records import Span
    >>> table = {"skip": ("attend", True), "alive": ("die", True)}
    >>> r = reading(Predicate(Span(0, 7, "skipped"), "skip", object="meeting"), table)
    >>> r.lemma, r.negated, r.object
    ('attend', True, 'meeting')
    >>> r = reading(Predicate(Span(0, 2, "is"), "be", negated=True, object="alive"), table)
    >>> r.lemma, r.negated, r.object
    ('die', False, '')
    """
    if p.lemma in COPULAS and p.object in equivalents:
        lemma, flip = equivalents[p.object]
        return replace(p, lemma=lemma, negated=p.negated != flip, object="")
    if p.lemma in equivalents:
        lemma, flip = equivalents[p.lemma]
        return replace(p, lemma=lemma, negated=p.negated != flip)
    return p


def _same_subject(pa: Predicate, pb: Predicate) -> bool:
    """Both subjects given, not pronouns, and the same head noun or name."""
    return bool(pa.subject and pa.subject not in PRONOUNS and pa.subject == pb.subject)


def _shared_argument(pa: Predicate, pb: Predicate) -> bool:
    subj = pa.subject and pa.subject == pb.subject
    obj = pa.object and pa.object == pb.object
    return bool(subj or obj)


def _nonpronoun_subjects_differ(pa: Predicate, pb: Predicate) -> bool:
    return bool(
        pa.subject
        and pb.subject
        and pa.subject not in PRONOUNS
        and pb.subject not in PRONOUNS
        and pa.subject != pb.subject
    )


def _hit(
    a: Claim,
    pa: Predicate,
    b: Claim,
    pb: Predicate,
    config: RuleConfig,
    why: str,
    values: tuple[str, str] | None = None,
) -> RuleHit:
    def value(p: Predicate) -> str:
        word = f"{p.lemma} {p.object}" if p.lemma in COPULAS and p.object else p.lemma
        return f"{'not ' if p.negated else ''}{word}"

    va, vb = values if values is not None else (value(pa), value(pb))
    return RuleHit(
        check=CHECK,
        verdict=str(config.param("verdict")),
        severity=config.severity,
        confidence=float(config.param("confidence")),
        explanation=f"{a.outlet} says '{va}' where {b.outlet} says '{vb}' ({why}).",
        a_spans=(pa.span, *[c for c in a.negation_cues if pa.negated][:1]),
        b_spans=(pb.span, *[c for c in b.negation_cues if pb.negated][:1]),
        a_value=va,
        b_value=vb,
    )


def _copular_conflict(pa: Predicate, pb: Predicate, antonyms: set[frozenset[str]]) -> str:
    """Why two copular predicates ('X is not Y' / 'X is Y') conflict, or ''."""
    if not (_same_subject(pa, pb) and pa.object and pb.object):
        return ""
    if {pa.tense, pb.tense} == {"past", "present"}:
        return ""  # 'was closed' / 'is not closed': a state can change
    if pa.object == pb.object and pa.negated != pb.negated:
        return "one denies what the other asserts"
    if frozenset((pa.object, pb.object)) in antonyms and not (pa.negated or pb.negated):
        return "opposite words"
    return ""


def _verb_conflict(pa: Predicate, pb: Predicate, antonyms: set[frozenset[str]]) -> str:
    """Why two verbs (as read by :func:`reading`) conflict, or ''."""
    if not _shared_argument(pa, pb) or _nonpronoun_subjects_differ(pa, pb):
        return ""
    both_asserted = not (pa.negated or pb.negated)
    if not compatible_arguments(pa.object, pb.object):
        if pa.lemma == pb.lemma and both_asserted and pa.object in antonyms_of(pb.object, antonyms):
            return "opposite words"  # 'tested positive' / 'tested negative'
        return ""
    if pa.lemma == pb.lemma and pa.negated != pb.negated:
        return "one denies what the other asserts"
    if frozenset((pa.lemma, pb.lemma)) in antonyms and both_asserted:
        return "opposite verbs"  # 'did not win' / 'did not lose' can both be true
    return ""


#: words of negative meaning, in their inflections: 'not', 'never', 'failed', 'refused',
#: 'without', 'failure to' ... Two claims with as many of them carry the same negations (see
#: :func:`same_negations`).
NEGATIVE_WORDS = frozenset(
    {"not", "n't", "no", "never", "none", "nobody", "nothing", "neither", "nor", "without",
     "cannot", "unable", "inability", "failure", "fail", "fails", "failed", "failing",
     "refusal", "refuse", "refuses", "refused", "refusing", "decline", "declines", "declined",
     "declining", "lack", "lacks", "lacked", "lacking", "absence", "deny", "denies", "denied",
     "denying", "denial", "false", "hardly", "barely"}
)  # fmt: skip
#: words that turn or hedge what a claim asserts ('rather than', 'instead of', 'has yet to',
#: 'avoided', 'unless'): with one of these (or a negative word) besides the compared verb, a
#: claim is not read as plainly asserting its verbs on the frame path.
HEDGE_WORDS = frozenset({"instead", "rather", "yet", "avoid", "avoided", "unless"})
_NEG_WORD = re.compile(r"[a-z]+(?:n't)?|n't")
#: nouns and prepositions of negative meaning that the predicate reader leaves alone ('IE's
#: failure to determine' = 'IE does not determine'): a claim with one is not read as asserting
#: what the other denies, on either path.
UNREAD_NEGATIVES = frozenset(
    {"failure", "inability", "refusal", "without", "lack", "lacked", "lacking", "absence"}
)


def _negative_words(
    claim: Claim, words: frozenset[str], verb: Predicate | None = None, other: Claim | None = None
) -> bool:
    """Whether the claim's content has one of ``words``, the compared ``verb`` itself aside
    ('O'Keefe declined to discuss' / 'did not decline to discuss') and, with ``other``, words
    the other claim has too ('without being stopped' in both)."""
    text = claim.content.text.lower()
    if verb is not None:
        start = verb.span.start - claim.content.start
        if 0 <= start <= len(text):
            text = text[:start] + " " + text[start + len(verb.span.text) :]
    found = set(_NEG_WORD.findall(text)) & words
    if other is not None:
        found -= set(_NEG_WORD.findall(other.content.text.lower()))
    return bool(found)


#: verbs that stop or keep something from happening ('preventing Viacom from using'), counted
#: with the negation words when comparing how many negations two claims carry.
BLOCKING_WORDS = frozenset(
    {"prevent", "prevents", "prevented", "preventing", "stop", "stops", "stopping", "bar",
     "barred", "barring", "block", "blocked", "blocking"}
)  # fmt: skip


#: stems of the reader's denial and falsity words (claims/negation.py): 'debunked',
#: 'dismissed reports', 'decided against', 'refrained from' negate what they govern.
DENIAL_STEMS = (
    "deny", "deni", "dismiss", "refut", "reject", "debunk", "disprov", "rebut", "untrue",
    "fake", "hoax", "baseless", "unfounded", "fabricat", "bogus", "inaccurate", "refrain",
    "abstain",
)  # fmt: skip
#: 'decided against raising', 'voted against' (the reader's denying preposition): 'against'
#: counts as a negation only after one of these verbs.
AGAINST_VERBS = re.compile(r"\b(?:decid|vot|opt|chos|choos|rul|advis)\w*\s+against\b")


def negation_count(claim: Claim, equivalents: dict[str, tuple[str, bool]]) -> int:
    """How many words of negative meaning the claim's content carries ('not', "n't", 'never',
    'no', 'failed', 'without', 'prevented', 'debunked', a word the rules file reads as 'not X'
    ...).

    >>> from claims.records import Span
    >>> text = "He did not say he would never go."
    >>> negation_count(Claim("c", "a", "A", Span(0, 33, text), Span(0, 33, text)), {})
    2
    """
    negative_equivalents = tuple(w for w, (_, negated) in equivalents.items() if negated)
    words = _NEG_WORD.findall(claim.content.text.lower())
    cues = NEGATIVE_WORDS | BLOCKING_WORDS
    stems = DENIAL_STEMS + negative_equivalents
    against = len(AGAINST_VERBS.findall(claim.content.text.lower()))
    return against + sum(w in cues or w.startswith(stems) for w in words)


def same_negations(a: Claim, b: Claim, equivalents: dict[str, tuple[str, bool]]) -> bool:
    """Whether the two claims carry as many negations each: a polarity difference between them
    is then the parser attaching the same 'not' to different verbs ('never legally married but
    had a common-law marriage'), not one outlet denying what the other asserts."""
    return negation_count(a, equivalents) == negation_count(b, equivalents)


def _subject_words(p: Predicate, claim: Claim) -> set[str]:
    """The subject's head and, when it is a titled person's name, the title's words ('yeates'
    in 'Judge Robert Yeates ordered' -> {'yeates', 'judge'})."""
    words = set(content_words(p.subject))
    for e in claim.entities:
        if e.role and p.subject in e.span.text.lower().split():
            words |= set(content_words(e.role))
    return {stem(w) for w in words if w}


def _subject_named(p: Predicate, claim: Claim, other: Claim) -> bool:
    """The subject is a pronoun, missing, or named in the other claim ('a judge' / 'Judge
    Robert Yeates')."""
    if not p.subject or p.subject in PRONOUNS:
        return True
    return bool(_subject_words(p, claim) & {stem(w) for w in content_words(other.sentence.text)})


def _state_then_and_now(pa: Predicate, pb: Predicate) -> bool:
    """The same participle under a past and a present copula ('was closed' / 'is not closed'):
    a state that can have changed, not a denial."""
    same_word = pa.span.text.lower() == pb.span.text.lower()
    return same_word and {pa.tense, pb.tense} == {"past", "present"}


def _frame_hit(
    a: Claim, b: Claim, config: RuleConfig, equivalents: dict[str, tuple[str, bool]]
) -> list[RuleHit]:
    """The frame path: the same verb with opposite polarity in claims whose masked frames match
    (:func:`rules.matching.frame_match`), when neither claim uses that verb with the other
    polarity too, the asserting claim has no other word of negative meaning the reader may have
    missed ('failure to', 'without'), the claims carry different numbers of negations, and
    each subject is named in the other claim ('a judge' / 'Judge Robert Yeates') or the frames
    match strongly (``frame_strong_similarity``: the same report, so the same actor told two
    ways: 'the conflict has killed' / 'people have been killed')."""
    skipped = LIGHT_VERBS | SPEECH_VERBS | COPULAS
    read_a = [(p, reading(p, equivalents)) for p in a.predicates]
    read_b = [(p, reading(p, equivalents)) for p in b.predicates]
    polarity_a: dict[str, set[bool]] = {}
    polarity_b: dict[str, set[bool]] = {}
    for _, r in read_a:
        polarity_a.setdefault(r.lemma, set()).add(r.negated)
    for _, r in read_b:
        polarity_b.setdefault(r.lemma, set()).add(r.negated)
    for pa, ra in read_a:
        if ra.lemma in skipped or len(polarity_a[ra.lemma]) > 1:
            continue
        for pb, rb in read_b:
            if rb.lemma != ra.lemma or len(polarity_b[rb.lemma]) > 1:
                continue
            if _state_then_and_now(pa, pb):
                continue
            if ra.negated == rb.negated:
                continue
            asserting, verb, denying = (b, pb, a) if ra.negated else (a, pa, b)
            hedges = NEGATIVE_WORDS | BLOCKING_WORDS | HEDGE_WORDS
            if _negative_words(asserting, hedges, verb, denying):
                continue
            if same_negations(a, b, equivalents):
                continue
            if differing_kinds(a, b):
                return []  # another day, figure or place: maybe another instance of the event
            match = frame_match(a, b)
            if not config.param("frame") or not match.holds(*frame_settings(config)):
                return []
            strong = match.similarity >= float(config.param("frame_strong_similarity"))
            if not strong and not (_subject_named(ra, a, b) and _subject_named(rb, b, a)):
                continue
            values = (_said(pa, ra), _said(pb, rb)) if (ra, rb) != (pa, pb) else None
            return [_hit(a, pa, b, pb, config, "the same report, one denies it", values)]
    return []


def check_negation(a: Claim, b: Claim, config: RuleConfig) -> list[RuleHit]:
    """Hits for the same event asserted by one claim and denied (or reversed) by the other:
    first with shared arguments (:func:`_verb_conflict`), then, when that finds nothing, by the
    frame path (:func:`_frame_hit`)."""
    hits = _argument_hits(a, b, config)
    if hits:
        return hits
    return _frame_hit(a, b, config, _equivalents(config))


def _argument_hits(a: Claim, b: Claim, config: RuleConfig) -> list[RuleHit]:
    antonyms = _antonym_set(config) if config.param("use_antonyms") else set()
    equivalents = _equivalents(config)
    copular = bool(config.param("copular"))
    skipped = (LIGHT_VERBS | SPEECH_VERBS) - COPULAS - {"have"}
    for pa in a.predicates:
        ra = reading(pa, equivalents)
        if ra.lemma in skipped:
            continue
        for pb in b.predicates:
            rb = reading(pb, equivalents)
            if rb.lemma in skipped:
                continue
            if ra.lemma in COPULAS and rb.lemma in COPULAS:
                why = _copular_conflict(ra, rb, antonyms) if copular else ""
            elif ra.lemma in COPULAS or rb.lemma in COPULAS:
                continue
            elif "have" in (ra.lemma, rb.lemma) and not (ra.object and ra.object == rb.object):
                continue  # 'have' says something only with its object
            else:
                why = _verb_conflict(ra, rb, antonyms)
            denial = why == "one denies what the other asserts"
            if denial and _negative_words(b if ra.negated else a, UNREAD_NEGATIVES):
                continue  # 'failure to determine' against 'does not determine'
            if denial and same_negations(a, b, equivalents):
                continue  # the same 'not' read on another verb: a parse, not a denial
            if why:
                values = None
                if (ra, rb) != (pa, pb):
                    values = (_said(pa, ra), _said(pb, rb))
                return [_hit(a, pa, b, pb, config, why, values)]
    return []


def _said(p: Predicate, r: Predicate) -> str:
    """'skipped (not attend)': the words and how the check read them."""
    words = f"{p.span.text} {p.object}" if p.lemma in COPULAS and p.object else p.span.text
    read = f"{'not ' if r.negated else ''}{r.lemma}"
    return words if read == words.lower() else f"{words} ({read})"


def antonyms_of(word: str, antonyms: set[frozenset[str]]) -> set[str]:
    """The opposites of ``word`` in an antonym set.

    >>> sorted(antonyms_of("positive", {frozenset(("positive", "negative"))}))
    ['negative']
    """
    return {w for pair in antonyms if word in pair for w in pair if w != word}
