from __future__ import annotations

import numpy as np

from checker.settings import Settings
from claims.align import align_claims, cluster_id
from claims.records import Claim, Span


def make_claim(article: str, text: str, start: int = 0) -> Claim:
    span = Span(start, start + len(text), text)
    return Claim(f"{article}:{start}", article, article.upper(), span, span)


class KeywordEmbedder:
    """A deterministic embedder for alignment logic tests: one axis per keyword."""

    KEYS = ("negative", "meetings", "quarantine", "china", "price")

    def encode(self, texts):
        rows = []
        for t in texts:
            v = np.array([1.0 if k in t.lower() else 0.0 for k in self.KEYS]) + 1e-3
            rows.append(v / np.linalg.norm(v))
        return np.array(rows, dtype=np.float32)


def test_claims_about_the_same_fact_are_paired_across_articles():
    claims = [
        make_claim("a", "Blinken and senior staff tested negative on Tuesday."),
        make_claim("a", "The reporter will remain in quarantine for ten days.", 60),
        make_claim("b", "Blinken and senior officials tested negative on Wednesday."),
        make_claim("b", "He was due to hold meetings in Thailand on Thursday.", 70),
    ]
    result = align_claims(claims, KeywordEmbedder(), Settings())
    pairs = {(p.a, p.b) for p in result.pairs}
    assert ("a:0", "b:0") in pairs
    assert ("a:60", "b:70") not in pairs
    assert result.cross_pairs == 4


def test_claims_of_the_same_article_are_never_paired():
    claims = [
        make_claim("a", "Blinken and senior staff tested negative on Tuesday."),
        make_claim("a", "Blinken and senior staff tested negative again on Tuesday.", 60),
    ]
    assert align_claims(claims, KeywordEmbedder(), Settings()).pairs == []


def test_short_fragments_are_not_aligned():
    claims = [make_claim("a", "Tested negative."), make_claim("b", "Tested negative.")]
    result = align_claims(claims, KeywordEmbedder(), Settings())
    assert result.pairs == [] and result.aligned_claims == 0


def test_cluster_id_does_not_depend_on_member_order():
    assert cluster_id(["x", "y", "z"]) == cluster_id(["z", "x", "y"])


def test_real_embeddings_pair_paraphrases_not_unrelated_sentences(embedder):
    claims = [
        make_claim(
            "wire", "Blinken and senior officials had tested negative on Wednesday in Kuala Lumpur."
        ),
        make_claim("bi", "Blinken and senior staff tested negative on Tuesday."),
        make_claim(
            "bi", "The CDC is urging people to get vaccinated or a booster as soon as possible.", 80
        ),
    ]
    result = align_claims(claims, embedder, Settings())
    assert {(p.a, p.b) for p in result.pairs} == {("bi:0", "wire:0")}
