"""Cross-outlet alignment: which claims from different articles report the same fact.

Two cheap signals, no model comparison of all pairs:

* sentence embeddings (all-MiniLM-L6-v2, unit vectors, so a dot product is a cosine), and
* rapidfuzz's token-set ratio, which catches near-copies whatever the embedding says.

Both are taken on the claim's content as written and, with ``Settings.align_on_masked_text``, also
on its masked text (:func:`claims.masking.masked_text`: numbers, dates, names, titles and places
replaced by their type), so that 'some 300 marched in the capital' and 'about 3,000 took to the
streets of the capital' meet although their values, the very thing the rules compare, differ.
A pair's score is the larger of the raw cosine and the masked cosine less
``align_min_masked_similarity - align_min_similarity`` (masked texts share their type tokens, so
they are more alike than the raw texts and need a higher bar), and its fuzzy ratio the larger
of the raw and the masked one; the masked signals only count when both masked texts keep enough
words of their own (:data:`MAX_MASKED_SHARE`).

For every pair of articles, each claim keeps its best partners in the other article (at most
``Settings.align_top_k``, by score) whose score reaches ``Settings.align_min_similarity`` (or
whose fuzzy ratio reaches ``Settings.align_min_fuzzy``). Kept pairs are the candidate pairs (all
go through the rule checks; only best partners, ``rank == 1``, go on to the NLI model, and only
when their raw cosine, ``CandidatePair.similarity``, reaches ``nli_min_similarity``); their
connected components are the claim clusters.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Protocol

import numpy as np
from rapidfuzz import fuzz, process

from claims.masking import masked_share, masked_text
from claims.records import CandidatePair, Claim, Cluster

log = logging.getLogger(__name__)

#: the masked cosine of a pair counts only when, on both sides, at most this share of the masked
#: text's words are type tokens: '[PERSON] met [PERSON] in [PLACE]' says too little of its own.
MAX_MASKED_SHARE = 0.5


class Embedder(Protocol):
    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class Alignment:
    """What alignment produced, with the counts the report's stats show."""

    clusters: list[Cluster]
    pairs: list[CandidatePair]
    cross_pairs: int  # all pairs of claims from different articles (what all-pairs would compare)
    aligned_claims: int  # claims long enough to be aligned


def claim_words(claim: Claim) -> int:
    """How many words the claim's content has.

    >>> from claims.records import Span
    >>> c = Claim("a:0", "a", "A", Span(0, 9, "He left."), Span(0, 9, "He left."))
    >>> claim_words(c)
    2
    """
    return len(claim.content.text.split())


def _union_find_clusters(ids: Sequence[str], pairs: Sequence[CandidatePair]) -> list[list[str]]:
    parent = {i: i for i in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for p in pairs:
        ra, rb = find(p.a), find(p.b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = {}
    for i in ids:
        groups.setdefault(find(i), []).append(i)
    return [sorted(g) for g in groups.values() if len(g) > 1]


def cluster_id(member_texts: Sequence[str]) -> str:
    """A cluster id from what its claims say (not from file names), so it is stable across runs.

    >>> cluster_id(["b", "a"]) == cluster_id(["a", "b"])
    True
    """
    digest = hashlib.sha256("\x1e".join(sorted(member_texts)).encode("utf-8")).hexdigest()
    return "c" + digest[:10]


class AlignSettings(Protocol):
    """The numbers alignment needs; ``checker.settings.Settings`` has them (and documents them).

    ``claims`` imports nothing from ``checker``: the caller passes its settings in.
    """

    # read-only properties, so a frozen dataclass (``Settings``) satisfies the protocol
    @property
    def min_claim_words(self) -> int: ...
    @property
    def align_min_similarity(self) -> float: ...
    @property
    def align_min_fuzzy(self) -> float: ...
    @property
    def align_top_k(self) -> int: ...
    @property
    def align_on_masked_text(self) -> bool: ...
    @property
    def align_min_masked_similarity(self) -> float: ...


def _masked_vectors(
    embedder: Embedder, raw: Sequence[str], masked: Sequence[str], vectors: np.ndarray
) -> np.ndarray:
    """Embeddings of the masked texts; a text that masking left unchanged keeps its raw vector."""
    out = vectors.copy()
    changed = [i for i, (r, m) in enumerate(zip(raw, masked, strict=True)) if r != m]
    if changed:
        out[changed] = embedder.encode([masked[i] for i in changed])
    return out


def align_claims(claims: Sequence[Claim], embedder: Embedder, settings: AlignSettings) -> Alignment:
    """Group claims from different articles that report the same fact.

    Returns the clusters, the candidate pairs (each once, ``a`` from the article that sorts
    first) and the number of cross-article claim pairs an all-pairs comparison would need.
    """
    by_article: dict[str, list[Claim]] = {}
    for claim in claims:
        by_article.setdefault(claim.article_id, []).append(claim)
    cross_pairs = sum(
        len(by_article[x]) * len(by_article[y]) for x, y in combinations(sorted(by_article), 2)
    )
    usable = [c for c in claims if claim_words(c) >= settings.min_claim_words]
    if not usable:
        return Alignment([], [], cross_pairs, 0)
    raw = [c.content.text for c in usable]
    vectors = embedder.encode(raw)
    on_masked = settings.align_on_masked_text
    masked = [masked_text(c) for c in usable] if on_masked else raw
    masked_vectors = _masked_vectors(embedder, raw, masked, vectors) if on_masked else vectors
    # a claim whose masked text is mostly type tokens is compared on its raw text only
    masked_ok = np.array([on_masked and masked_share(m) <= MAX_MASKED_SHARE for m in masked])
    # the masked cosine, shifted so that its own threshold lands on align_min_similarity
    masked_offset = settings.align_min_masked_similarity - settings.align_min_similarity
    index = {c.id: i for i, c in enumerate(usable)}
    groups: dict[str, list[Claim]] = {}
    for c in usable:
        groups.setdefault(c.article_id, []).append(c)

    chosen: dict[tuple[str, str], tuple[float, int]] = {}

    def choose(key: tuple[str, str], similarity: float, rank: int) -> None:
        best = chosen.get(key, (similarity, rank))[1]
        chosen[key] = (similarity, min(best, rank))

    for art_a, art_b in combinations(sorted(groups), 2):
        claims_a, claims_b = groups[art_a], groups[art_b]
        ia = [index[c.id] for c in claims_a]
        ib = [index[c.id] for c in claims_b]
        sim = vectors[ia] @ vectors[ib].T  # raw cosine: the pair's similarity (NLI gate)
        fuzzy = process.cdist(
            [raw[i] for i in ia], [raw[j] for j in ib], scorer=fuzz.token_set_ratio, workers=1
        )
        score = sim
        if on_masked:
            both = np.outer(masked_ok[ia], masked_ok[ib])
            masked_sim = masked_vectors[ia] @ masked_vectors[ib].T - masked_offset
            score = np.where(both, np.maximum(sim, masked_sim), sim)
            masked_fuzzy = process.cdist(
                [masked[i] for i in ia],
                [masked[j] for j in ib],
                scorer=fuzz.token_set_ratio,
                workers=1,
            )
            fuzzy = np.where(both, np.maximum(fuzzy, masked_fuzzy), fuzzy)
        keep = (score >= settings.align_min_similarity) | (fuzzy >= settings.align_min_fuzzy)
        k = settings.align_top_k
        for i in range(len(claims_a)):  # best partners of each claim of A in B
            for rank, j in enumerate(np.argsort(-score[i], kind="stable")[:k], start=1):
                if keep[i, j]:
                    choose((claims_a[i].id, claims_b[j].id), float(sim[i, j]), rank)
        for j in range(len(claims_b)):  # and of each claim of B in A
            for rank, i in enumerate(np.argsort(-score[:, j], kind="stable")[:k], start=1):
                if keep[i, j]:
                    choose((claims_a[i].id, claims_b[j].id), float(sim[i, j]), rank)

    texts = {c.id: c.content.text for c in usable}
    provisional = [CandidatePair(a, b, "", s, r) for (a, b), (s, r) in sorted(chosen.items())]
    members = _union_find_clusters([c.id for c in usable], provisional)
    cluster_of: dict[str, str] = {}
    clusters: list[Cluster] = []
    for group in members:
        cid = cluster_id([texts[claim_id] for claim_id in group])
        clusters.append(Cluster(cid, tuple(group)))
        for claim_id in group:
            cluster_of[claim_id] = cid
    pairs = [CandidatePair(p.a, p.b, cluster_of[p.a], p.similarity, p.rank) for p in provisional]
    log.info(
        "aligned %d claims: %d candidate pairs of %d cross-article pairs, %d clusters",
        len(usable),
        len(pairs),
        cross_pairs,
        len(clusters),
    )
    return Alignment(clusters, pairs, cross_pairs, len(usable))
