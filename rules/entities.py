"""entity_role: the same person with a different title, a different person in the same role, or
a different place or organisation for the same happening.

- *Title*: a person named in both claims (same surname) with titles that are not contained one in
  the other ('Transport Minister X' / 'Labour Minister X'); 'Foreign Minister X' / 'Minister X'
  and 'former Minister X' / 'Minister X' are silent.
- *Role holder*: the same title for different people doing the same thing ('Transport Minister X
  resigned' / 'Transport Minister Y resigned'): one titled person per claim, same verb.
- *Place/organisation*: a place (GPE, LOC, FAC) or organisation attached with the same preposition
  to the same verb with compatible subjects ('the summit was held in Geneva' / '... in Vienna'),
  where neither names the other and neither claim mentions the other's place. A city and its
  country ('in Kuala Lumpur' / 'in Malaysia') look different without a gazetteer; the check
  skips places that appear together ('Kuala Lumpur, Malaysia') in either sentence.

Params: ``same_name_ratio`` (0-100), ``check_places`` (bool), ``check_role_holders`` (bool).
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from claims.records import Claim, Entity
from rules.base import RuleConfig, RuleHit
from rules.matching import LIGHT_VERBS, compatible_arguments, predicate, same_event

CHECK = "entity_role"
PLACE_LABELS = ("GPE", "LOC", "FAC")
#: organisations and people doing something ('won by Siemens'); NER often swaps the two.
ACTOR_LABELS = ("ORG", "PERSON")
#: words of a title that do not change who the person is.
TITLE_NOISE = frozenset(
    {"the", "a", "an", "'s", "of", "and", "former", "then", "acting", "-", "top", "senior",
     "current", "new", "outgoing", "incoming", "interim"}
)  # fmt: skip
#: common nouns for the organisation a title belongs to ('the company's chief executive', 'chief
#: executive of the firm'): another outlet names it ('Acme Chief Executive'), so they say nothing
#: about the office. Used when the rules file gives no ``affiliation_nouns``.
AFFILIATION_NOUNS = frozenset(
    {"company", "firm", "group", "bank", "club", "team", "government", "ministry", "agency",
     "organisation", "organization", "party", "country", "city", "university", "airline",
     "carrier", "union", "network", "newspaper", "channel", "charity", "council", "board",
     "corporation", "corp", "corp.", "inc", "inc.", "ltd", "plc", "co", "co."}
)  # fmt: skip
#: words that make a title a different, lower office ('vice president', 'deputy minister').
RANK_WORDS = frozenset({"vice", "deputy", "assistant", "under", "junior"})
_SPOKES = re.compile(r"spokes(?:man|woman|person)")


def _surname(name: str) -> str:
    parts = [p for p in re.split(r"\s+", name.strip()) if p]
    return parts[-1].lower().rstrip(".,'s") if parts else ""


def _title_words(role: str, affiliations: frozenset[str] = AFFILIATION_NOUNS) -> list[str]:
    """The words of a title that name the office ('the company's chief executive' -> 'chief
    executive').

    >>> _title_words("the company's chief executive")
    ['chief', 'executive']
    """
    role = _SPOKES.sub("spokesperson", role.lower()).replace("'s", " 's")
    words = [w for w in re.split(r"[\s,]+", role) if w and w not in TITLE_NOISE]
    return [w for w in words if w not in affiliations]


def _word_in(word: str, words: list[str]) -> bool:
    """A title word is matched by an equal word or a shared stem ('malaysia'/'malaysian')."""
    for other in words:
        if word == other:
            return True
        short, long_ = sorted((word, other), key=len)
        if len(short) >= 5 and long_.startswith(short[:-1]):
            return True
        if word.isupper() or other.isupper():
            continue
    return False


def _abbreviation(x: list[str], y: list[str]) -> bool:
    """'ceo' against 'chief executive officer'."""
    for short, long_ in ((x, y), (y, x)):
        if len(short) == 1 and len(long_) >= 2 and short[0] == "".join(w[0] for w in long_):
            return True
    return False


def _one_title_conflicts(wa: list[str], wb: list[str]) -> bool:
    if not wa or not wb or _abbreviation(wa, wb):
        return False
    if bool(RANK_WORDS & set(wa)) != bool(RANK_WORDS & set(wb)):
        return True  # 'vice president' is another office than 'president'
    a_in_b = all(_word_in(w, wb) for w in wa)
    b_in_a = all(_word_in(w, wa) for w in wb)
    return not (a_in_b or b_in_a)


def titles_conflict(
    role_a: str, role_b: str, affiliations: frozenset[str] = AFFILIATION_NOUNS
) -> bool:
    """Whether two titles for the same person cannot both hold. A double title ('deputy prime
    minister and foreign minister') agrees with either of its parts.

    >>> titles_conflict("transport minister", "labour minister")
    True
    >>> titles_conflict("malaysian foreign minister", "foreign minister")
    False
    >>> titles_conflict("deputy prime minister and foreign minister", "thai foreign minister")
    False
    """
    split = r"\s+and\s+|\s*,\s*"
    parts_a = [_title_words(p, affiliations) for p in re.split(split, role_a) if p.strip()]
    parts_b = [_title_words(p, affiliations) for p in re.split(split, role_b) if p.strip()]
    parts_a, parts_b = [p for p in parts_a if p], [p for p in parts_b if p]
    if not parts_a or not parts_b:
        return False
    return all(_one_title_conflicts(x, y) for x in parts_a for y in parts_b)


def _people(claim: Claim) -> list[Entity]:
    return [e for e in claim.entities if e.label == "PERSON"]


def _hit(
    config: RuleConfig,
    explanation: str,
    ea: Entity,
    eb: Entity,
    va: str,
    vb: str,
    severity: str | None = None,
) -> RuleHit:
    return RuleHit(
        check=CHECK,
        verdict=str(config.param("verdict", "contradiction")),
        severity=severity or config.severity,
        confidence=float(config.param("confidence", 0.75)),
        explanation=explanation,
        a_spans=(ea.span,),
        b_spans=(eb.span,),
        a_value=va,
        b_value=vb,
    )


def _affiliations(config: RuleConfig) -> frozenset[str]:
    words = config.param("affiliation_nouns", None)
    return AFFILIATION_NOUNS if words is None else frozenset(str(w).lower() for w in words)


def _title_hits(a: Claim, b: Claim, config: RuleConfig) -> list[RuleHit]:
    ratio = float(config.param("same_name_ratio", 85))
    affiliations = _affiliations(config)
    hits = []
    for ea in _people(a):
        for eb in _people(b):
            same = _surname(ea.span.text) == _surname(eb.span.text) or (
                fuzz.ratio(ea.span.text.lower(), eb.span.text.lower()) >= ratio
            )
            if same and ea.role and eb.role and titles_conflict(ea.role, eb.role, affiliations):
                hits.append(
                    _hit(
                        config,
                        f"{a.outlet} calls {ea.span.text} '{ea.role}'; "
                        f"{b.outlet} calls {eb.span.text} '{eb.role}'.",
                        ea,
                        eb,
                        f"{ea.role} {ea.span.text}",
                        f"{eb.role} {eb.span.text}",
                    )
                )
    return hits


def _holder_hits(a: Claim, b: Claim, config: RuleConfig) -> list[RuleHit]:
    titled_a = [e for e in _people(a) if e.role]
    titled_b = [e for e in _people(b) if e.role]
    if len(titled_a) != 1 or len(titled_b) != 1:
        return []
    ea, eb = titled_a[0], titled_b[0]
    if _surname(ea.span.text) == _surname(eb.span.text):
        return []
    if _title_words(ea.role) != _title_words(eb.role) or not ea.predicate:
        return []
    # the subject is the person, so only the verb and its object must match
    if ea.predicate in LIGHT_VERBS or ea.predicate != eb.predicate:
        return []
    pa, pb = predicate(a, ea.predicate), predicate(b, eb.predicate)
    if pa is not None and pb is not None and not compatible_arguments(pa.object, pb.object):
        return []
    if ea.relation != eb.relation:
        return []
    return [
        _hit(
            config,
            f"{a.outlet} names the {ea.role} as {ea.span.text}; {b.outlet} as {eb.span.text}.",
            ea,
            eb,
            ea.span.text,
            eb.span.text,
        )
    ]


def _names_same(x: str, y: str, ratio: float) -> bool:
    x, y = x.lower().removeprefix("the "), y.lower().removeprefix("the ")
    return x in y or y in x or fuzz.ratio(x, y) >= ratio


def _place_hits(a: Claim, b: Claim, config: RuleConfig) -> list[RuleHit]:
    ratio = float(config.param("same_name_ratio", 85))
    for labels in (PLACE_LABELS, ACTOR_LABELS):
        for ea in a.entities:
            if ea.label not in labels or not ea.relation.startswith("prep:"):
                continue
            if ea.predicate in LIGHT_VERBS - {"be"} or not ea.predicate:
                continue
            same_slot = [
                eb
                for eb in b.entities
                if eb.label in labels
                and eb.relation == ea.relation
                and same_event(a, ea.predicate, b, eb.predicate)
            ]
            if not same_slot:
                continue
            a_all = [e.span.text for e in a.entities if e.label in labels]
            b_all = [e.span.text for e in b.entities if e.label in labels]
            if any(_names_same(x, y, ratio) for x in a_all for y in b_all):
                continue
            eb = same_slot[0]
            kind = "place" if labels is PLACE_LABELS else "organisation or person"
            return [
                _hit(
                    config,
                    f"{a.outlet} gives the {kind} of '{ea.predicate}' as {ea.span.text}; "
                    f"{b.outlet} as {eb.span.text}.",
                    ea,
                    eb,
                    ea.span.text,
                    eb.span.text,
                )
            ]
    return []


def check_entity_role(a: Claim, b: Claim, config: RuleConfig) -> list[RuleHit]:
    """Hits for conflicting titles, role holders, places and organisations."""
    hits = _title_hits(a, b, config)
    if not hits and config.param("check_role_holders", True):
        hits = _holder_hits(a, b, config)
    if not hits and config.param("check_places", True):
        hits = _place_hits(a, b, config)
    return hits
