"""numeric: a different number for the same thing.

Two quantities are compared when they count or measure the same thing: the same counted noun
('40 people' / 'forty people'), or, when a side has no counted noun, the same verb with
compatible subjects and a single quantity of that kind on each side ('raised $1.2bn' / 'raised
1,200 million dollars'). Each quantity is a range after its approximator or bound ('about 40',
'more than 40', 'up to 40'); the check fires when the ranges, each widened by ``rel_tolerance``,
do not meet, or when the units disagree (dollars against euros, percent against percentage
points). A number about something else is left alone.

Params: ``approx_width`` (relative width of 'about'-type approximators), ``rel_tolerance``
(relative slack for every value, for rounding), ``unit_mismatch`` (fire on different units).
"""

from __future__ import annotations

import math

from claims.quantities import APPROXIMATORS, quantity_range
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


def _same_thing(a: Claim, qa: Quantity, b: Claim, qb: Quantity) -> bool:
    if qa.kind not in COMPARABLE or qa.kind != qb.kind:
        return False
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
