"""What every rule check takes and returns.

A rule is a plain function ``check(a, b, config) -> list[RuleHit]`` registered under a name in
:mod:`rules.registry`. It sees two aligned claims from different outlets and returns one hit per
discrepancy it finds, or nothing when the claims agree or the rule has nothing to say.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from claims.records import Claim, Span

SEVERITIES = ("low", "medium", "high")
VERDICTS = ("contradiction", "divergence")


@dataclass(frozen=True)
class RuleConfig:
    """One check's settings, as read from the rules file.

    ``params`` holds the check's own tolerances (documented in its module docstring).
    """

    enabled: bool = True
    severity: str = "high"
    params: dict[str, Any] = field(default_factory=dict)

    def param(self, name: str, default: Any) -> Any:
        return self.params.get(name, default)


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
