"""negation: one outlet says something happened, the other that it did not (or its opposite).

Fires when both claims have the same verb with compatible subjects and objects (and at least one
of them shared) but opposite polarity ('had not rejected the offer' / 'rejected the offer'), or
when they use verbs of opposite meaning with the same polarity and shared arguments ('ended the
contract' / 'extended the contract'). The antonyms are a general English list (below, editable
through ``extra_antonyms`` in the rules file), not words from any story. Speech verbs ('say',
'tell') are ignored: who said what is the attribution check's business.

Params: ``use_antonyms`` (bool), ``extra_antonyms`` (list of [word, word] pairs).
"""

from __future__ import annotations

from claims.records import Claim, Predicate
from rules.base import RuleConfig, RuleHit
from rules.matching import LIGHT_VERBS, PRONOUNS, compatible_arguments

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
SPEECH_VERBS = frozenset({"say", "tell", "add", "report", "state", "announce"})


def _antonym_set(config: RuleConfig) -> set[frozenset[str]]:
    pairs = [*ANTONYMS, *(tuple(p) for p in config.param("extra_antonyms", []) or [])]
    return {frozenset(p) for p in pairs if len(p) == 2}


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


def _hit(a: Claim, pa: Predicate, b: Claim, pb: Predicate, config: RuleConfig, why: str) -> RuleHit:
    va = f"{'not ' if pa.negated else ''}{pa.lemma}"
    vb = f"{'not ' if pb.negated else ''}{pb.lemma}"
    return RuleHit(
        check=CHECK,
        verdict=str(config.param("verdict", "contradiction")),
        severity=config.severity,
        confidence=float(config.param("confidence", 0.8)),
        explanation=f"{a.outlet} says '{va}' where {b.outlet} says '{vb}' ({why}).",
        a_spans=(pa.span, *[c for c in a.negation_cues if pa.negated][:1]),
        b_spans=(pb.span, *[c for c in b.negation_cues if pb.negated][:1]),
        a_value=va,
        b_value=vb,
    )


def check_negation(a: Claim, b: Claim, config: RuleConfig) -> list[RuleHit]:
    """Hits for the same event asserted by one claim and denied (or reversed) by the other."""
    antonyms = _antonym_set(config) if config.param("use_antonyms", True) else set()
    for pa in a.predicates:
        if pa.lemma in SPEECH_VERBS or pa.lemma in LIGHT_VERBS:
            continue
        for pb in b.predicates:
            if not _shared_argument(pa, pb) or _nonpronoun_subjects_differ(pa, pb):
                continue
            if not compatible_arguments(pa.object, pb.object):
                if not (pa.lemma == pb.lemma and pa.object in antonyms_of(pb.object, antonyms)):
                    continue
                if pa.negated == pb.negated:
                    return [_hit(a, pa, b, pb, config, "opposite words")]
                continue
            if pa.lemma == pb.lemma and pa.negated != pb.negated:
                return [_hit(a, pa, b, pb, config, "one denies what the other asserts")]
            if frozenset((pa.lemma, pb.lemma)) in antonyms and pa.negated == pb.negated:
                return [_hit(a, pa, b, pb, config, "opposite verbs")]
    return []


def antonyms_of(word: str, antonyms: set[frozenset[str]]) -> set[str]:
    """The opposites of ``word`` in an antonym set.

    >>> sorted(antonyms_of("positive", {frozenset(("positive", "negative"))}))
    ['negative']
    """
    return {w for pair in antonyms if word in pair for w in pair if w != word}
