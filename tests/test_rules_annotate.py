"""annotate_claim (claims/attributes.py): what the rules read, with and without a parse."""

from __future__ import annotations

import datetime as dt

import pytest

from claims.attributes import annotate_claim
from claims.nlp import load_nlp
from claims.records import Article, Claim, Span
from rules.registry import load_rule_configs, run_rules

PUB = dt.datetime(2021, 12, 15, 8, 42, tzinfo=dt.timezone(dt.timedelta(hours=-5)))


def make(text: str, content_end: int | None = None, outlet: str = "BI") -> tuple[Claim, Article]:
    article = Article(id=outlet, outlet=outlet, text=text, source=f"{outlet}.md", published=PUB)
    end = len(text) if content_end is None else content_end
    claim = Claim("c", outlet, outlet, Span(0, len(text), text), Span(0, end, text[:end]))
    return claim, article


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def test_attribution_is_not_annotated_but_the_content_is(nlp):
    text = "Blinken and senior staff tested negative on Tuesday, Price said on Wednesday."
    claim, article = make(text, text.index(", Price"))
    annotate_claim(claim, article, nlp(text))
    assert [t.span.text for t in claim.times] == ["Tuesday"]
    assert any(e.span.text == "Price" for e in claim.entities)  # the sentence's entities


def test_every_span_is_an_article_offset(nlp):
    text = "Intro sentence. More than 40 people were not evacuated on Monday, police said."
    claim, article = make(text)
    end = text.index(", police")
    claim.content = Span(16, end, text[16:end])
    annotate_claim(claim, article, nlp(text))
    spans = [t.span for t in claim.times] + [q.span for q in claim.quantities]
    spans += [e.span for e in claim.entities] + claim.negation_cues
    assert spans and all(text[s.start : s.end] == s.text for s in spans)
    assert claim.negated


def test_without_a_parse_times_quantities_and_negation_still_work():
    claim, article = make("The talks will not resume on Friday, with 200 delegates.")
    annotate_claim(claim, article, None)
    assert [t.label for t in claim.times] == ["2021-12-17"]
    assert [q.value for q in claim.quantities] == [200]
    assert claim.negated and claim.entities == [] and claim.predicates == []


def test_without_a_parse_the_blinken_date_discrepancy_is_still_found():
    a, art_a = make("Blinken and senior officials had tested negative on Wednesday.", None, "Wire")
    b, art_b = make("Blinken and senior staff tested negative on Tuesday.")
    annotate_claim(a, art_a, None)
    annotate_claim(b, art_b, None)
    assert [h.check for h in run_rules(a, b, load_rule_configs())] == ["temporal"]


def test_content_span_that_does_not_match_the_text_is_skipped_with_a_warning(caplog):
    claim, article = make("Blinken tested negative on Tuesday.")
    claim.content = Span(0, 5, "XXXXX")
    annotate_claim(claim, article, None)
    assert claim.times == [] and "does not match" in caplog.text


def test_parse_of_another_text_is_ignored(nlp, caplog):
    claim, article = make("Blinken tested negative on Tuesday.")
    annotate_claim(claim, article, nlp("Something else entirely."))
    assert [t.label for t in claim.times] == ["2021-12-14"]
    assert "parse is not of this article" in caplog.text


def test_no_publication_date_leaves_times_unresolved():
    text = "Blinken tested negative on Tuesday."
    article = Article(id="x", outlet="X", text=text, source="x.md")
    claim = Claim("c", "x", "X", Span(0, len(text), text), Span(0, len(text), text))
    annotate_claim(claim, article, None)
    assert [t.resolved for t in claim.times] == [False]
