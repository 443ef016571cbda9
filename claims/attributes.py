"""Fill a claim's attributes (times, quantities, entities, negation) for the rules.

``annotate_claim`` is the one entry point the extractor calls; the readers live in
:mod:`claims.times`, :mod:`claims.quantities`, :mod:`claims.negation` and :mod:`claims.entities`.
Every span is an offset into ``article.text``.

>>> import datetime as dt
>>> from claims.records import Claim, Span
>>> text = "Blinken and senior staff tested negative on Tuesday, Price said."
>>> art = Article(id="bi", outlet="BI", text=text, source="bi.md",
...               published=dt.datetime(2021, 12, 15, 9, tzinfo=dt.timezone.utc))
>>> claim = Claim("c1", "bi", "BI", Span(0, len(text), text), Span(0, 51, text[:51]))
>>> annotate_claim(claim, art, None)
>>> [t.label for t in claim.times], claim.negated
(['2021-12-14'], False)
"""

from __future__ import annotations

import logging

from spacy.tokens import Doc

from claims.entities import find_entities
from claims.negation import find_predicates, main_negated, negation_cues
from claims.quantities import find_quantities
from claims.records import Article, Claim
from claims.times import find_times

log = logging.getLogger(__name__)


def annotate_claim(claim: Claim, article: Article, doc: Doc | None) -> None:
    """Fill ``claim.times``, ``quantities``, ``entities``, ``negated``, ``negation_cues`` and
    ``predicates`` in place.

    Times and quantities are read from the claim's ``content`` (attribution removed); entities
    from the whole sentence (so the attribution's speaker is there too). ``doc`` is the spaCy
    parse of the whole ``article.text`` (or None: then no tense, entities or predicates, and
    weekdays resolve to the past unless a future marker precedes them).
    """
    text = article.text
    start, end = claim.content.start, claim.content.end
    if text[start:end] != claim.content.text:
        log.warning("%s: claim %s content span does not match the text", article.source, claim.id)
        return
    if doc is not None and doc.text != text:
        log.warning(
            "%s: parse is not of this article's text; annotating without it", article.source
        )
        doc = None
    claim.times = find_times(text, start, end, article.published, doc)
    claim.quantities = find_quantities(text, start, end, doc, skip=[t.span for t in claim.times])
    claim.entities = find_entities(doc, claim.sentence.start, claim.sentence.end)
    claim.negation_cues = negation_cues(text, start, end, doc)
    claim.negated = main_negated(doc, text, start, end)
    claim.predicates = find_predicates(doc, start, end)
    if claim.published is None:
        claim.published = article.published
