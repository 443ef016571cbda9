"""What the NLI model is shown: relative days written as the dates they resolved to."""

from __future__ import annotations

import datetime as dt

import pytest

from checker.nli.backends import LABELS, load_nli
from checker.nli.input_text import nli_text
from claims.extract import extract_claims
from claims.records import Article

SATURDAY = dt.datetime(2023, 3, 4, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5)))


def _body_claim(text: str, nlp, published: dt.datetime = SATURDAY):
    article = Article(id="x", outlet="X", text=text, source="x.md", published=published)
    return next(c for c in extract_claims(article, nlp) if c.kind == "body")


def test_yesterday_and_the_weekday_it_means_read_alike(nlp) -> None:
    a = _body_claim("The transport minister resigned yesterday after weeks of pressure.", nlp)
    b = _body_claim("The transport minister resigned on Friday after weeks of pressure.", nlp)
    assert "Friday, March 3" in nli_text(a)
    assert "Friday, March 3" in nli_text(b)


def test_today_is_written_as_the_publication_day(nlp) -> None:
    claim = _body_claim("Two men were arrested at the border today, police said.", nlp)
    assert "Saturday, March 4" in nli_text(claim)


def test_different_days_stay_different(nlp) -> None:
    a = _body_claim("The transport minister resigned yesterday after weeks of pressure.", nlp)
    b = _body_claim("The transport minister resigned on Thursday after weeks of pressure.", nlp)
    assert "Friday, March 3" in nli_text(a) and "Thursday, March 2" in nli_text(b)


def test_a_claim_without_a_publication_date_keeps_its_words(nlp) -> None:
    claim = _body_claim("The minister resigned on Friday after weeks of pressure.", nlp, None)
    assert nli_text(claim) == claim.content.text


@pytest.mark.slow
def test_the_shipped_model_no_longer_reads_yesterday_against_friday_as_a_conflict(nlp) -> None:
    a = _body_claim("The transport minister resigned yesterday after weeks of pressure.", nlp)
    b = _body_claim("The transport minister resigned on Friday after weeks of pressure.", nlp)
    probs = load_nli().predict([(nli_text(a), nli_text(b)), (nli_text(b), nli_text(a))])
    assert all(row.argmax() != LABELS.index("contradiction") for row in probs)
