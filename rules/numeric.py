"""numeric: a different number for the same thing.

Two quantities are compared when they count or measure the same thing: the same counted noun
('40 people' / 'forty people'), or, when a side has no counted noun, the same verb with
compatible subjects and a single quantity of that kind on each side ('raised $1.2bn' / 'raised
1,200 million dollars'). Each quantity is a range after its approximator or bound ('about 40',
'more than 40', 'up to 40'); the check fires when the ranges, each widened by ``rel_tolerance``,
do not meet, or when the units disagree (dollars against euros, percent against percentage
points). A number about something else is left alone.

A number written as the starting point of a change ('up from 9,500', 'compared with $2.9bn a
year earlier') is compared only with another such number, so 'X, up from Y' is never read as a
second value of X. A change in percentage points ('rose 2 percentage points to 45%') is
compared only with a percentage written as a change ('up 2%', 'by 2%'), not with a level ('45
percent'). A number that agrees with a number of the same event in the other claim (same unit,
same counted noun or same verb) is not reported against another one: 'covers 1.2 million
vehicles' / 'covers 1.2 million cars, up from about 800,000 vehicles'.

Params: ``approx_width`` (relative width of 'about'-type approximators), ``rel_tolerance``
(relative slack for every value, for rounding), ``unit_mismatch`` (fire on different units).
"""

from __future__ import annotations

import math

from claims.quantities import APPROXIMATORS, comparison_role, quantity_range
from claims.records import Claim, Quantity
from rules.base import RuleConfig, RuleHit
from rules.matching import LIGHT_VERBS, same_event

CHECK = "numeric"
COMPARABLE = {"count", "money", "percent", "duration", "rate", "measure"}


def value_range(q: Quantity, config: RuleConfig) -> tuple[float, float]:
    """The range a quantity allows under this config's approximator width and tolerance."""
    width = float(config.param("approx_width", 0.1))
    low, high = q.low, q.high
    if APPROXIMATORS.get(q.approximator) in ("approx", "below", "above"):
        low2, high2 = quantity_range(q.value, q.approximator, width)
        low, high = min(low, low2), max(high, high2)
    slack = float(config.param("rel_tolerance", 0.0))
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
    if not q.approximator and q.low < q.high:
        return ""
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
        if len(heavy) < 2:
            return True
        return qa.predicate in {p.lemma for p in b.predicates} or qb.predicate in {
            p.lemma for p in a.predicates
        }
    if not qa.predicate or qa.predicate in LIGHT_VERBS - {"be"}:
        return False
    single = (
        sum(q.kind == qa.kind for q in a.quantities) == 1
        and sum(q.kind == qb.kind for q in b.quantities) == 1
    )
    return single and same_event(a, qa.predicate, b, qb.predicate)


def _agree(qa: Quantity, qb: Quantity, config: RuleConfig) -> bool:
    la, ha = value_range(qa, config)
    lb, hb = value_range(qb, config)
    return la <= hb and lb <= ha


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


def check_numeric(a: Claim, b: Claim, config: RuleConfig) -> list[RuleHit]:
    """Hits for quantities of the same thing whose ranges (or units) disagree."""
    hits: list[RuleHit] = []
    used: set[int] = set()
    for qa in a.quantities:
        for j, qb in enumerate(b.quantities):
            if j in used or not _same_thing(a, qa, b, qb):
                continue
            used.add(j)
            if qa.unit != qb.unit:
                if not config.param("unit_mismatch", True):
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
                    verdict=str(config.param("verdict", "contradiction")),
                    severity=config.severity,
                    confidence=float(config.param("confidence", 0.85)),
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
