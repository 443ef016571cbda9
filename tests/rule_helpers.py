"""Running one rule check on two sentences, as the pipeline would see them."""

from __future__ import annotations

import datetime as dt

from spacy.language import Language

from rules.base import RuleConfig, RuleHit
from rules.registry import RULES
from rules.scoring import claim_from_text

PUB = dt.datetime(2022, 6, 10, 9, tzinfo=dt.UTC)


def run_check(
    check: str,
    nlp: Language,
    config: RuleConfig,
    a: str,
    b: str,
    published: dt.datetime = PUB,
    published_b: dt.datetime | None = None,
) -> list[RuleHit]:
    """Hits of ``check`` on sentence ``a`` (outlet A) against sentence ``b`` (outlet B), both
    published at ``published`` unless ``published_b`` dates B."""
    claim_a = claim_from_text(a, "A", published, nlp, "a")
    claim_b = claim_from_text(b, "B", published if published_b is None else published_b, nlp, "b")
    return RULES[check](claim_a, claim_b, config)
