"""Fill a claim's attributes (times, quantities, entities, negation) for the rules.

Owned by the rules work: see claims/times.py, claims/quantities.py, claims/negation.py,
claims/entities.py. ``annotate_claim`` is the one entry point the extractor calls.
"""

from __future__ import annotations

from spacy.tokens import Doc

from claims.records import Article, Claim


def annotate_claim(claim: Claim, article: Article, doc: Doc | None) -> None:
    """Fill ``claim.times``, ``quantities``, ``entities``, ``negated`` in place.

    ``doc`` is the spaCy parse of the whole ``article.text`` (or None); use
    ``doc.char_span(start, end, alignment_mode="expand")`` to get the claim's tokens.
    """
    raise NotImplementedError("being written: see the rules issue")
