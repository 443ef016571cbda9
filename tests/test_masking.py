"""Masked claim text (claims/masking.py) and alignment on it (claims/align.py, issue 12)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pytest

from claims.align import align_claims
from claims.masking import masked_share, masked_text
from claims.records import MIN_CLAIM_WORDS, Article, Claim, Span

PUBLISHED = dt.datetime(2024, 4, 17, 12, tzinfo=dt.UTC)


@dataclass(frozen=True)
class AlignConfig:
    """Alignment settings (``claims.align.AlignSettings``) with masking on or off."""

    align_on_masked_text: bool = True
    align_min_masked_similarity: float = 0.70
    align_min_similarity: float = 0.60
    align_min_fuzzy: float = 85.0
    align_top_k: int = 2
    min_claim_words: int = MIN_CLAIM_WORDS


def claims_of(nlp, article_id: str, *sentences: str) -> list[Claim]:
    """The annotated claims of an article made of ``sentences``, one a paragraph."""
    from claims.extract import extract_article

    text = "\n\n".join(sentences)
    article = Article(
        id=article_id, outlet=article_id.upper(), text=text, source=f"{article_id}.md",
        published=PUBLISHED,
    )  # fmt: skip
    return extract_article(article, nlp).claims


def masked(nlp, sentence: str) -> str:
    (claim,) = claims_of(nlp, "x", sentence)
    return masked_text(claim)


def test_numbers_weekdays_and_places_are_replaced_by_their_type(nlp):
    assert masked(nlp, "Some 300 people marched in Nairobi on Tuesday.") == (
        "[NUM] people marched in [PLACE] on [DATE]."
    )


def test_names_with_their_titles_are_replaced(nlp):
    assert masked(nlp, "Transport Minister John Smith met Ned Price in Kuala Lumpur.") == (
        "[TITLE] [PERSON] met [PERSON] in [PLACE]."
    )


def test_a_title_in_apposition_is_replaced(nlp):
    assert masked(nlp, "Ned Price, a State Department spokesman, arrived in Paris on Monday.") == (
        "[PERSON], a [TITLE], arrived in [PLACE] on [DATE]."
    )


def test_dates_money_and_organisations_are_replaced(nlp):
    assert masked(nlp, "Apple shares rose $2.11 on the New York Stock Exchange on June 10.") == (
        "[ORG] shares rose [NUM] on [ORG] on [DATE]."
    )


def test_the_attribution_is_not_part_of_the_masked_text(nlp):
    assert masked(nlp, "About 3,000 people took to the streets, police said on Monday.") == (
        "[NUM] people took to the streets"
    )


def test_an_unannotated_claim_keeps_its_text():
    text = "Some 300 people marched in the capital."
    span = Span(0, len(text), text)
    assert masked_text(Claim("a:0", "a", "A", span, span)) == text


def test_masked_share_counts_type_tokens():
    assert masked_share("[NUM] people marched in [PLACE]") == pytest.approx(0.4)
    assert masked_share("") == 0.0


# --- alignment on masked text ------------------------------------------------------------------


def pairs_between(claims: list[Claim], embedder, config: AlignConfig) -> set[tuple[str, str]]:
    return {(p.a, p.b) for p in align_claims(claims, embedder, config).pairs}


def test_a_report_with_other_values_becomes_a_candidate_only_with_masking(nlp, embedder):
    # raw cosine about 0.47 (below 0.60), masked about 0.81: only the values differ
    claims = claims_of(nlp, "a", "Some 300 people marched in Nairobi on Tuesday.") + claims_of(
        nlp, "b", "About 3,000 people took to the streets of Mombasa on Wednesday."
    )
    ids = (claims[0].id, claims[1].id)
    assert ids not in pairs_between(claims, embedder, AlignConfig(align_on_masked_text=False))
    result = align_claims(claims, embedder, AlignConfig())
    assert [(p.a, p.b) for p in result.pairs] == [ids]
    # the pair keeps its raw cosine, which gates NLI: a loose pair still goes to the rules only
    assert result.pairs[0].similarity < 0.6


def test_an_unrelated_report_is_no_candidate_with_masking(nlp, embedder):
    claims = claims_of(nlp, "a", "Some 300 people marched in Nairobi on Tuesday.") + claims_of(
        nlp, "b", "The central bank raised interest rates by half a point on Wednesday."
    )
    assert pairs_between(claims, embedder, AlignConfig()) == set()


class MaskBlindEmbedder:
    """Every text with a type token in it gets one vector; other texts are orthogonal."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def encode(self, texts):
        rows = []
        for t in texts:
            v = np.zeros(64, dtype=np.float32)
            v[0 if "[" in t else 1 + self.seen.setdefault(t, len(self.seen))] = 1.0
            rows.append(v)
        return np.array(rows)


def make_claim(article: str, text: str, **attrs) -> Claim:
    span = Span(0, len(text), text)
    return Claim(f"{article}:0", article, article.upper(), span, span, **attrs)


def test_claims_that_are_mostly_values_are_compared_on_their_raw_text():
    from claims.records import Entity

    def names(text: str, *words: str) -> list[Entity]:
        out = []
        for w in words:
            start = text.index(w)
            out.append(Entity(Span(start, start + len(w), w), "PERSON"))
        return out

    # masked, both read '[PERSON] met [PERSON]' (3 words, 2 of them tokens): not compared
    a, b = "Blinken met Lavrov", "Austin met Dong"
    claims = [
        make_claim("a", a, entities=names(a, "Blinken", "Lavrov")),
        make_claim("b", b, entities=names(b, "Austin", "Dong")),
    ]
    assert pairs_between(claims, MaskBlindEmbedder(), AlignConfig()) == set()
    # with fewer values masked the masked texts are compared (and here match)
    a, b = "Blinken met the foreign minister", "Austin met the foreign minister"
    claims = [
        make_claim("a", a, entities=names(a, "Blinken")),
        make_claim("b", b, entities=names(b, "Austin")),
    ]
    assert pairs_between(claims, MaskBlindEmbedder(), AlignConfig(align_min_fuzzy=101)) == {
        ("a:0", "b:0")
    }
