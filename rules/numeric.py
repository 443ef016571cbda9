"""numeric: a different number for the same thing.

Two quantities are compared when they count or measure the same thing: the same counted noun
('40 people' / 'forty people'), or, when a side has no counted noun, the same verb with
compatible subjects and a single quantity of that kind on each side, or of that kind on that
verb ('raised $1.2bn' / 'raised 1,200 million dollars'). Verbs of one class count as one
(:data:`rules.matching.VERB_CLASSES`: 'dipped to 53.7' / 'slipped to 53.7'). Each quantity is a
range after its approximator or bound ('about 40', 'more than 40', 'up to 40'); the check fires
when the ranges, each widened by ``rel_tolerance``, do not meet, or when the units disagree
(dollars against euros, percent against percentage points). A number about something else is
left alone.

A number written as the starting point of a change ('up from 9,500', 'compared with $2.9bn a
year earlier') is compared only with another such number, so 'X, up from Y' is never read as a
second value of X, and the two agree only with each other. A change in percentage points ('rose
2 percentage points to 45%') is compared only with a percentage written as a change ('up 2%',
'by 2%'), not with a level ('45 percent'). A number that agrees with a number of the same event
in the other claim (same unit, same counted noun or same verb) is not reported against another
one: 'covers 1.2 million vehicles' / 'covers 1.2 million cars, up from about 800,000 vehicles'.

Params: ``approx_width`` (relative width of 'about'-type approximators), ``rel_tolerance``
(relative slack for every value, for rounding), ``unit_mismatch`` (fire on different units),
``frame_min_similarity`` / ``frame_min_shared`` (the frame path), ``frame_noun_min_similarity`` /
``frame_noun_min_shared`` (looser frames, for two numbers of the same specific counted noun).
"""

from __future__ import annotations

import math
import re
from dataclasses import replace

from claims.quantities import APPROXIMATORS, comparison_role, quantity_range
from claims.records import Claim, Quantity
from rules.base import RuleConfig, RuleHit
from rules.matching import (
    LIGHT_VERBS,
    VERB_CLASSES,
    content_words,
    differing_kinds,
    frame_match,
    frame_settings,
    pair_residuals,
    same_event,
    slot_context,
    stem,
)

CHECK = "numeric"
COMPARABLE = {"count", "money", "percent", "duration", "rate", "measure"}
#: counted nouns general enough to stand for any group of people or things another outlet names
#: ('30 people' / '30 protesters'): a count of one agrees with a count of the other.
GENERAL_NOUNS = frozenset(
    {"people", "person", "member", "resident", "individual", "civilian", "citizen", "worker",
     "employee", "one", "other", "case", "unit", "share", "item", "time"}
)  # fmt: skip
_DIGIT_RUN = re.compile(r"\d[\d,]*(?:\.(\d+))?")
#: what joins the two ends of a written range ('10-20', '5 to 7 million', 'between 10 and 20').
_RANGE_WORD = re.compile(r"[-–]|\b(?:to|and)\b", re.IGNORECASE)


def value_range(q: Quantity, config: RuleConfig) -> tuple[float, float]:
    """The range a quantity allows under this config's approximator width and tolerance."""
    width = float(config.param("approx_width"))
    low, high = q.low, q.high
    if APPROXIMATORS.get(q.approximator) in ("approx", "below", "above"):
        # the extractor's range used its default width; this config's width replaces it, so
        # approx_width can narrow the range as well as widen it
        low, high = quantity_range(q.value, q.approximator, width)
    slack = float(config.param("rel_tolerance"))
    return low * (1 - slack), high * (1 + slack) if not math.isinf(high) else high


def describe(q: Quantity) -> str:
    """'about 40 people', '$1.2bn (1200000000 USD)'."""
    value = f"{q.value:,.6g}"
    unit = f" {q.unit}" if q.unit else ""
    counted = f" {q.counted}" if q.counted else ""
    return f"{q.span.text} ({value}{unit}{counted})"


def role(claim: Claim, q: Quantity) -> str:
    """``base`` for the figure a change starts from ('up from 9,500'), ``change`` for a
    percentage written as a rise or fall ('up 2%'), else ``""`` (see
    :func:`claims.quantities.comparison_role`). A 'from X to Y' range is neither."""
    if not q.approximator and q.low < q.high and _RANGE_WORD.search(q.span.text):
        return ""  # a written range, not a scaled decimal's rounding ('$4.3 billion')
    offset = q.span.start - claim.sentence.start
    if offset < 0 or offset > len(claim.sentence.text):
        return ""
    return comparison_role(claim.sentence.text[:offset])


def _same_thing(a: Claim, qa: Quantity, b: Claim, qb: Quantity) -> bool:
    if qa.kind not in COMPARABLE or qa.kind != qb.kind:
        return False
    role_a, role_b = role(a, qa), role(b, qb)
    if (role_a == "base") != (role_b == "base"):
        return False  # 'up from 9,500' is the old figure, not another value of the new one
    if {qa.unit, qb.unit} == {"pp", "%"}:
        percent_role = role_a if qa.unit == "%" else role_b
        if percent_role != "change":
            return False  # 'rose 2 percentage points to 45%': a change against a level
    if "vague" in (qa.approximator, qb.approximator) and qa.approximator == qb.approximator:
        return False
    if qa.counted and qb.counted:
        if qa.counted != qb.counted:
            return False
        if qa.predicate == qb.predicate:
            return not qa.predicate or same_event(a, qa.predicate, b, qb.predicate)
        # '40 people killed' and '60 people wounded' count the same noun for different events;
        # parses differ on which verb a number hangs from, so a verb of the other claim will do
        heavy = {qa.predicate, qb.predicate} - LIGHT_VERBS - {""}
        if len(heavy) < 2 or verb_class(qa.predicate) == verb_class(qb.predicate):
            return True  # 'dipped to 53.7' / 'slipped to 53.7': one move in other words
        return verb_class(qa.predicate) in {verb_class(p.lemma) for p in b.predicates} or (
            verb_class(qb.predicate) in {verb_class(p.lemma) for p in a.predicates}
        )
    if not qa.predicate or qa.predicate in LIGHT_VERBS - {"be"}:
        return False
    # the single number of its kind on each side, or, for a verb that is no copula, the single
    # one hanging from that verb ('spent $114m but took in $54.9m' / '... taking in $39.5m')
    single = (
        sum(q.kind == qa.kind for q in a.quantities) == 1
        and sum(q.kind == qb.kind for q in b.quantities) == 1
    ) or (
        qa.predicate != "be"
        and sum(q.kind == qa.kind and q.predicate == qa.predicate for q in a.quantities) == 1
        and sum(q.kind == qb.kind and q.predicate == qb.predicate for q in b.quantities) == 1
    )
    return single and same_event(a, qa.predicate, b, qb.predicate)


def verb_class(lemma: str) -> str:
    """The word that stands for a verb's class of interchangeable news verbs ('dip', 'slip' ->
    'fall'; :data:`rules.matching.VERB_CLASSES`), else the lemma itself."""
    return VERB_CLASSES.get(lemma, lemma)


def decimals(q: Quantity) -> int | None:
    """Decimals the number was written with ('4.4 percent' -> 1, '$21' -> 0), None when it is
    not written in digits.

    >>> from claims.records import Span
    >>> decimals(Quantity(Span(0, 11, "4.4 percent"), 4.4, 4.4, 4.4, "%", "percent"))
    1
    """
    m = _DIGIT_RUN.search(q.span.text)
    if m is None:
        return None
    return len(m.group(1)) if m.group(1) else 0


def rounds_to(qa: Quantity, qb: Quantity) -> bool:
    """Whether the more precisely written of two exact numbers, rounded to the other's decimals,
    gives the other ('climbed 4.4 percent' / 'climbed 4 percent'): the same figure rounded.

    >>> from claims.records import Span
    >>> q = lambda t, v: Quantity(Span(0, len(t), t), v, v, v, "%", "percent")
    >>> rounds_to(q("4.4%", 4.4), q("4%", 4.0)), rounds_to(q("4.6%", 4.6), q("4%", 4.0))
    (True, False)
    """
    da, db = decimals(qa), decimals(qb)
    if da is None or db is None or da == db or qa.low < qa.high or qb.low < qb.high:
        return False
    if qa.approximator or qb.approximator or not qa.value or not qb.value:
        return False
    fine, coarse = (qa, qb) if da > db else (qb, qa)
    ratio = fine.value / _written(fine) if _written(fine) else 1.0  # the scale ('million')
    places = min(da, db)
    return math.isclose(round(_written(fine), places) * ratio, coarse.value, rel_tol=1e-9)


def _written(q: Quantity) -> float:
    m = _DIGIT_RUN.search(q.span.text)
    return float(m.group(0).replace(",", "")) if m else q.value


_SCALE_WORD = re.compile(r"\b(thousand|million|billion|trillion)\b", re.IGNORECASE)


def _written_scaled(q: Quantity) -> float:
    """The digits as written times a scale word in the span ('100 thousand tonnes' -> 1e5)."""
    m = _SCALE_WORD.search(q.span.text)
    return _written(q) * (_SCALE[m.group(1).lower()] if m else 1.0)


#: fraction words: the reader takes 'one-quarter' for 1.25 and 'a quarter' for 0.25, so a
#: quantity written with one is not compared ('and a half' it reads right: 'four and a half
#: thousand' = 4,500).
_FRACTION = re.compile(r"\b(?:thirds?|quarters?|fifths?)\b", re.IGNORECASE)


def is_fraction(q: Quantity) -> bool:
    """'a quarter', 'one-quarter', 'two-thirds'."""
    return bool(_FRACTION.search(q.span.text))


def _agree(qa: Quantity, qb: Quantity, config: RuleConfig) -> bool:
    la, ha = value_range(qa, config)
    lb, hb = value_range(qb, config)
    if la <= hb and lb <= ha:
        return True
    return bool(config.param("rounding")) and qa.unit == qb.unit and rounds_to(qa, qb)


def _any_agrees(a: Claim, qb: Quantity, b: Claim, config: RuleConfig) -> bool:
    """Whether some quantity of ``a`` about the same thing agrees with ``qb``."""
    return any(
        _same_thing(a, qa, b, qb) and qa.unit == qb.unit and _agree(qa, qb, config)
        for qa in a.quantities
    )


def _echoed(claim: Claim, q: Quantity, other: Claim, config: RuleConfig) -> bool:
    """Whether ``other`` has a number agreeing with ``q`` for the same event: same kind, unit and
    role, no other verb, and the same counted noun or the same verb with compatible subjects."""
    for x in other.quantities:
        if x.kind != q.kind or x.unit != q.unit or role(other, x) != role(claim, q):
            continue
        if x.predicate and q.predicate and x.predicate != q.predicate:
            continue  # '12 killed and 21 injured': the 21 is another event's number
        same_noun = bool(x.counted) and x.counted == q.counted
        same_verb = (
            bool(x.predicate)
            and x.predicate not in LIGHT_VERBS
            and same_event(other, x.predicate, claim, q.predicate)
        )
        if (same_noun or same_verb) and _agree(x, q, config):
            return True
    return False


def _counted_compatible(x: str, y: str) -> bool:
    """Two counted nouns can name the same things: equal (or the same stem), one missing, or one
    a general noun ('people', 'members')."""
    if not x or not y or stem(x) == stem(y):
        return True
    return x in GENERAL_NOUNS or y in GENERAL_NOUNS


def _same_counted(qa: Quantity, qb: Quantity) -> bool:
    """Both numbers count the same specific noun ('125 witnesses' / '214 witnesses'), not a
    general one ('people')."""
    return (
        bool(qa.counted)
        and stem(qa.counted) == stem(qb.counted)
        and qa.counted not in GENERAL_NOUNS
        and qb.counted not in GENERAL_NOUNS
    )


def _slot_comparable(a: Claim, qa: Quantity, b: Claim, qb: Quantity) -> bool:
    """Whether two numbers of matched frames can fill the same slot: same kind, unit and role
    (a base figure with a base figure), not two vague plurals."""
    if qa.kind not in COMPARABLE or qa.kind != qb.kind or qa.unit != qb.unit:
        return False
    if role(a, qa) != role(b, qb):
        return False
    return "vague" not in (qa.approximator, qb.approximator)


def _affinity(a: Claim, qa: Quantity, b: Claim, qb: Quantity) -> float:
    """How well two numbers fit one slot: shared counted noun, verb and words before them."""
    score = 0.0
    if qa.counted and qa.counted == qb.counted:
        score += 2
    if qa.predicate and qa.predicate == qb.predicate:
        score += 1
    score += len(set(slot_context(a, qa.span.start)) & set(slot_context(b, qb.span.start)))
    return score


def same_figure(qa: Quantity, qb: Quantity, config: RuleConfig) -> bool:
    """Whether two numbers can be one figure: same kind and unit and agreeing ranges, or the
    same number written once with its unit and once bare ('100,000 tonnes' / 'to 100,000').

    >>> from claims.records import Span
    >>> from rules.registry import load_rule_configs
    >>> t = Quantity(Span(0, 14, "100,000 tonnes"), 1e8, 1e8, 1e8, "kg", "measure")
    >>> bare = Quantity(Span(0, 7, "100,000"), 1e5, 1e5, 1e5)
    >>> same_figure(t, bare, load_rule_configs()["numeric"])
    True
    """
    if qa.kind == qb.kind and qa.unit == qb.unit:
        return _agree(qa, qb, config)
    if bool(qa.unit) == bool(qb.unit):
        return False
    both = decimals(qa) is not None and decimals(qb) is not None
    return both and math.isclose(_written_scaled(qa), _written_scaled(qb))


def _mentioned_elsewhere(qa: Quantity, b: Claim, qb: Quantity, a: Claim) -> bool:
    """Different counted nouns that the other claim also uses ('three-term congressman' /
    '88,747 votes', where both mention votes): the numbers count different things."""
    if qa.kind != "count" or _counted_compatible(qa.counted, qb.counted):
        return False  # a percent's or an amount's noun is loosely read ('15 percent of sales')
    words_a = {stem(w) for w in content_words(a.sentence.text)}
    words_b = {stem(w) for w in content_words(b.sentence.text)}
    return stem(qa.counted) in words_b or stem(qb.counted) in words_a


def is_label(claim: Claim, q: Quantity) -> bool:
    """A bare number right after a capitalised word inside the sentence ('Pentium 4', 'Boeing
    737', 'Russell 2000'): part of a name, not a count.

    >>> from claims.records import Span
    >>> text = "It runs a Pentium 4 chip."
    >>> c = Claim("c", "a", "A", Span(0, 25, text), Span(0, 24, text[:24]))
    >>> is_label(c, Quantity(Span(18, 19, "4"), 4, 4, 4))
    True
    """
    if q.kind != "count" or q.unit or q.approximator:
        return False
    before = claim.sentence.text[: max(0, q.span.start - claim.sentence.start)].split()
    return len(before) >= 2 and before[-1][:1].isupper() and before[-1].isalpha()


def _frame_numbers(claim: Claim) -> list[Quantity]:
    return [q for q in claim.quantities if q.kind in COMPARABLE and not is_label(claim, q)]


def frame_pairs(a: Claim, b: Claim, config: RuleConfig) -> list[tuple[Quantity, Quantity]]:
    """Numbers the two claims do not share, paired by slot, when their frames match.

    Numbers that agree with a number of the other claim are set aside; of the rest, a number of
    a kind (count, money, percent ...) is paired with the one number of that kind and unit left
    on the other side, whatever it counts ('90,000 troops' / '130,000 soldiers') unless the
    other claim uses its counted noun for something else, or, when several are left, with the
    one that best fills its slot (same or general counted noun, verb, the words before it).
    """
    qs_a, qs_b = _frame_numbers(a), _frame_numbers(b)
    if not qs_a or not qs_b or differing_kinds(a, b) - {"number"}:
        return []
    if not config.param("frame"):
        return []
    match = frame_match(a, b)
    noun_only = not match.holds(*frame_settings(config))
    if noun_only and not match.holds(
        float(config.param("frame_noun_min_similarity")), int(config.param("frame_noun_min_shared"))
    ):
        return []

    def agree(i: int, j: int) -> bool:
        # the old value of a change agrees only with another old value: 'rose to 52.9% from
        # 51.5%' does not set 52.9% aside as the other side's 51.5%
        same_role = (role(a, qs_a[i]) == "base") == (role(b, qs_b[j]) == "base")
        return same_role and same_figure(qs_a[i], qs_b[j], config)

    def comparable(i: int, j: int) -> bool:
        qa, qb = qs_a[i], qs_b[j]
        if noun_only and not _same_counted(qa, qb):
            return False  # frames alike only loosely: the numbers must count the same things
        return _slot_comparable(a, qa, b, qb) and not _mentioned_elsewhere(qa, b, qb, a)

    def affinity(i: int, j: int) -> float:
        if not _counted_compatible(qs_a[i].counted, qs_b[j].counted):
            return 0.0  # several numbers left: only a number of the same things will do
        return _affinity(a, qs_a[i], b, qs_b[j])

    pairs = pair_residuals(len(qs_a), len(qs_b), agree, comparable, affinity)
    return [(qs_a[i], qs_b[j]) for i, j in pairs]


def unshared(a: Claim, b: Claim, config: RuleConfig) -> tuple[int, int]:
    """How many numbers of each claim agree with no number of the other (same kind and unit)."""
    qs_a = [q for q in a.quantities if q.kind in COMPARABLE]
    qs_b = [q for q in b.quantities if q.kind in COMPARABLE]

    def agrees(x: Quantity, others: list[Quantity]) -> bool:
        return any(same_figure(x, y, config) for y in others)

    return sum(not agrees(q, qs_b) for q in qs_a), sum(not agrees(q, qs_a) for q in qs_b)


_HYPHEN_SCALE = re.compile(r"^-(thousand|million|billion|trillion)\b", re.IGNORECASE)
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}


def readable(claim: Claim) -> Claim:
    """The claim with its quantities as the check compares them: hyphenated scales read
    (:func:`with_hyphen_scales`), fractions left out (:func:`is_fraction`)."""
    claim = with_hyphen_scales(claim)
    if any(is_fraction(q) for q in claim.quantities):
        claim = replace(claim, quantities=[q for q in claim.quantities if not is_fraction(q)])
    return claim


def with_hyphen_scales(claim: Claim) -> Claim:
    """The claim with numbers written with a hyphenated scale ('a $10-million fine') read at
    their scale, where the reader stopped at the hyphen ('$10').

    >>> from claims.records import Span
    >>> text = "It paid a $10-million fine."
    >>> c = Claim("c", "a", "A", Span(0, 27, text), Span(0, 26, text[:26]),
    ...           quantities=[Quantity(Span(10, 13, "$10"), 10, 10, 10, "USD", "money")])
    >>> with_hyphen_scales(c).quantities[0].value
    10000000.0
    """
    fixed = []
    changed = False
    for q in claim.quantities:
        after = claim.sentence.text[max(0, q.span.end - claim.sentence.start) :]
        m = _HYPHEN_SCALE.match(after)
        if m and q.value < 1000:
            k = _SCALE[m.group(1).lower()]
            q = replace(q, value=q.value * k, low=q.low * k, high=q.high * k)
            changed = True
        fixed.append(q)
    return replace(claim, quantities=fixed) if changed else claim


def _hit(
    a: Claim, qa: Quantity, b: Claim, qb: Quantity, config: RuleConfig, reason: str
) -> RuleHit:
    what = qa.counted or qb.counted or qa.predicate or "the same quantity"
    return RuleHit(
        check=CHECK,
        verdict=str(config.param("verdict")),
        severity=config.severity,
        confidence=float(config.param("confidence")),
        explanation=(
            f"{a.outlet} gives {describe(qa)} and {b.outlet} {describe(qb)} for '{what}', {reason}."
        ),
        a_spans=(qa.span,),
        b_spans=(qb.span,),
        a_value=f"{qa.value:g} {qa.unit}".strip(),
        b_value=f"{qb.value:g} {qb.unit}".strip(),
    )


def check_numeric(a: Claim, b: Claim, config: RuleConfig) -> list[RuleHit]:
    """Hits for quantities of the same thing whose ranges (or units) disagree: first by counted
    noun or verb (:func:`_same_thing`), then, when that finds nothing, by slot in matched frames
    (:func:`frame_pairs`)."""
    a, b = readable(a), readable(b)
    limit = int(config.param("max_unshared"))
    if min(unshared(a, b, config)) > limit:
        return []  # every figure differs: another moment or another thing, not one misreport
    hits = _strict_hits(a, b, config)
    if hits:
        return hits
    for qa, qb in frame_pairs(a, b, config):
        if not _agree(qa, qb, config):
            return [_hit(a, qa, b, qb, config, "in the same place of the same report")]
    return []


def _strict_hits(a: Claim, b: Claim, config: RuleConfig) -> list[RuleHit]:
    hits: list[RuleHit] = []
    used: set[int] = set()
    for qa in a.quantities:
        for j, qb in enumerate(b.quantities):
            if j in used or not _same_thing(a, qa, b, qb):
                continue
            used.add(j)
            if qa.unit != qb.unit:
                if not config.param("unit_mismatch"):
                    break
                reason = f"in different units ({qa.unit or 'count'} against {qb.unit or 'count'})"
            else:
                if _any_agrees(a, qb, b, config):
                    break  # another number of the same thing in ``a`` agrees ('two of the 11')
                if _echoed(a, qa, b, config) or _echoed(b, qb, a, config):
                    break  # each agrees with a number of the same event in the other claim
                reason = "with values that cannot both be true"
            what = qa.counted or qb.counted or qa.predicate or "the same quantity"
            hits.append(
                RuleHit(
                    check=CHECK,
                    verdict=str(config.param("verdict")),
                    severity=config.severity,
                    confidence=float(config.param("confidence")),
                    explanation=(
                        f"{a.outlet} gives {describe(qa)} and {b.outlet} {describe(qb)} for "
                        f"'{what}', {reason}."
                    ),
                    a_spans=(qa.span,),
                    b_spans=(qb.span,),
                    a_value=f"{qa.value:g} {qa.unit}".strip(),
                    b_value=f"{qb.value:g} {qb.unit}".strip(),
                )
            )
            break
    return hits
