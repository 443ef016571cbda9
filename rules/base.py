"""What every rule check takes and returns.

A rule is a plain function ``check(a, b, config) -> list[RuleHit]`` registered under a name in
:mod:`rules.registry`. It sees two aligned claims from different outlets and returns one hit per
discrepancy it finds, or nothing when the claims agree or the rule has nothing to say.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from claims.records import Claim, Span


class Severity(StrEnum):
    """How much a finding matters, least first (the one definition: the rules file, findings,
    the gate's ``--min-severity`` and every report use it).

    >>> Severity("medium").rank > Severity.low.rank, Severity.high == "high"
    (True, True)
    """

    low = "low"
    medium = "medium"
    high = "high"

    @property
    def rank(self) -> int:
        """1 for low, 2 for medium, 3 for high."""
        return list(Severity).index(self) + 1


class Verdict(StrEnum):
    """What a finding says of two claims, least serious first (the gate's ``--fail-on`` too).

    >>> Verdict.contradiction.rank > Verdict.divergence.rank
    True
    """

    divergence = "divergence"
    contradiction = "contradiction"

    @property
    def rank(self) -> int:
        """1 for divergence, 2 for contradiction."""
        return list(Verdict).index(self) + 1


SEVERITIES = tuple(s.value for s in Severity)
VERDICTS = tuple(v.value for v in Verdict)


@dataclass(frozen=True)
class RuleConfig:
    """One check's settings, as read from the rules file.

    ``params`` holds the check's own tolerances (documented in its module docstring and in the
    packaged ``rules/rules.yaml``, which :func:`rules.registry.load_rule_configs` always lays
    under a user's file, so it is the one home of every parameter: the code has no defaults).
    ``check`` is the check's name, for error messages.
    """

    enabled: bool = True
    severity: str = "high"
    params: dict[str, Any] = field(default_factory=dict)
    check: str = ""

    def param(self, name: str) -> Any:
        """The parameter ``name``; ValueError naming the check and the key when it is missing.

        >>> RuleConfig(params={"confidence": 0.9}, check="temporal").param("confidence")
        0.9
        >>> RuleConfig(check="temporal").param("tolerance_hours")
        Traceback (most recent call last):
        ...
        ValueError: check 'temporal' has no parameter 'tolerance_hours': add it to rules/rules.yaml
        """
        try:
            return self.params[name]
        except KeyError:
            raise ValueError(
                f"check {self.check or '?'!r} has no parameter {name!r}: add it to rules/rules.yaml"
            ) from None

    def with_params(self, **changes: Any) -> RuleConfig:
        """These settings with some parameters changed; ValueError for a name the check does
        not have (a misspelt name would otherwise be ignored).

        >>> config = RuleConfig(params={"approx_width": 0.1, "rounding": True}, check="numeric")
        >>> config.with_params(approx_width=0.01).params
        {'approx_width': 0.01, 'rounding': True}
        >>> config.with_params(approx_wdth=0.01)
        Traceback (most recent call last):
        ...
        ValueError: check 'numeric' has no parameter 'approx_wdth' (known: approx_width, rounding)
        """
        unknown = sorted(set(changes) - set(self.params))
        if unknown:
            raise ValueError(
                f"check {self.check or '?'!r} has no parameter {unknown[0]!r} "
                f"(known: {', '.join(sorted(self.params))})"
            )
        return replace(self, params={**self.params, **changes})


@dataclass(frozen=True)
class RuleHit:
    """A discrepancy a rule found between claim ``a`` and claim ``b``.

    ``a_value``/``b_value`` are the normalised values that disagree (e.g. ``2021-12-15`` against
    ``2021-12-14``); ``a_spans``/``b_spans`` the article spans that differ.
    """

    check: str
    verdict: str  # contradiction | divergence
    severity: str  # low | medium | high
    confidence: float
    explanation: str
    a_spans: tuple[Span, ...] = ()
    b_spans: tuple[Span, ...] = ()
    a_value: str = ""
    b_value: str = ""


RuleFunction = Callable[[Claim, Claim, RuleConfig], list[RuleHit]]
