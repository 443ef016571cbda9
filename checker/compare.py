"""Compare aligned claim pairs: rule checks first, then the NLI model, into findings.

Rules give precise, explainable findings (which value differs, where). The NLI model looks at
each aligned pair in both directions; it adds a finding on its own only when it is confident of a
contradiction (``Settings.nli_policy``, ``nli_contradiction_threshold``) on a closely aligned pair
(``nli_min_similarity``) that no rule explained, and its
probabilities are attached to every finding as supporting evidence.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from checker.findings import Finding, Side, canonical_sides, fingerprint
from checker.settings import Settings
from claims.readers import line_of_offset
from claims.records import Article, CandidatePair, Claim, Span
from rules.base import RuleHit

NLI_LABELS = ("entailment", "neutral", "contradiction")
#: how the two directions' probabilities combine into one contradiction score (Settings.nli_policy)
NLI_POLICIES = ("both", "either")


def pair_score(
    ab: tuple[float, float, float], ba: tuple[float, float, float], policy: str
) -> float:
    """The contradiction score of a pair from its two directions.

    ``both``: the weaker direction's P(contradiction). ``either``: the stronger direction's,
    unless the other direction reads the pair as an entailment (then 0): one sentence may carry
    a detail the other lacks ('in Kuala Lumpur'), which makes that direction neutral.

    >>> pair_score((0.0, 0.04, 0.96), (0.0, 0.98, 0.02), "both")
    0.02
    >>> pair_score((0.0, 0.04, 0.96), (0.0, 0.98, 0.02), "either")
    0.96
    >>> pair_score((0.0, 0.04, 0.96), (0.9, 0.08, 0.02), "either")
    0.0
    """
    if policy == "both":
        return min(ab[2], ba[2])
    if policy != "either":
        raise ValueError(f"unknown NLI policy {policy!r} (one of {', '.join(NLI_POLICIES)})")
    if max(ab, ba, key=lambda p: p[2])[2] == ab[2]:
        strong, other = ab, ba
    else:
        strong, other = ba, ab
    return 0.0 if other[0] >= max(other[1], other[2]) else strong[2]


_WORD = re.compile(r"\w[\w'’.-]*\w|\w")


@dataclass(frozen=True)
class PairNLI:
    """NLI probabilities of a pair, ``a`` as premise (``ab``) and ``b`` as premise (``ba``)."""

    ab: tuple[float, float, float]
    ba: tuple[float, float, float]

    def as_dict(self) -> dict[str, float]:
        out = {f"{label}_ab": round(p, 4) for label, p in zip(NLI_LABELS, self.ab, strict=True)}
        out.update(
            {f"{label}_ba": round(p, 4) for label, p in zip(NLI_LABELS, self.ba, strict=True)}
        )
        return out


def differing_word_spans(a: Claim, b: Claim) -> tuple[list[Span], list[Span]]:
    """Word spans of each claim's content that the other claim does not have (for NLI findings).

    >>> sa = Span(0, 24, "Talks ended on Tuesday.")
    >>> sb = Span(0, 25, "Talks resumed on Tuesday.")
    >>> da, db = differing_word_spans(Claim("a", "a", "A", sa, sa), Claim("b", "b", "B", sb, sb))
    >>> [s.text for s in da], [s.text for s in db]
    (['ended'], ['resumed'])
    """

    def words(span: Span) -> list[tuple[str, Span]]:
        return [
            (m.group().lower(), Span(span.start + m.start(), span.start + m.end(), m.group()))
            for m in _WORD.finditer(span.text)
        ]

    wa, wb = words(a.content), words(b.content)
    matcher = difflib.SequenceMatcher(a=[w for w, _ in wa], b=[w for w, _ in wb], autojunk=False)
    only_a: list[Span] = []
    only_b: list[Span] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            only_a.extend(s for _, s in wa[i1:i2])
        if tag in ("replace", "insert"):
            only_b.extend(s for _, s in wb[j1:j2])
    return only_a, only_b


def _side(claim: Claim, article: Article, spans: Sequence[Span], value: str) -> Side:
    return Side(
        outlet=claim.outlet,
        article=claim.article_id,
        source=article.source,
        text=claim.sentence.text,
        start=claim.sentence.start,
        end=claim.sentence.end,
        spans=[{"start": s.start, "end": s.end, "text": s.text} for s in spans],
        value=value,
        claim_id=claim.id,
        line=line_of_offset(article, claim.sentence.start),
    )


def finding_from_hit(
    hit: RuleHit,
    a: Claim,
    b: Claim,
    articles: Mapping[str, Article],
    cluster: str,
    nli: PairNLI | None,
) -> Finding:
    """Turn a rule hit into a finding, sides in canonical order, fingerprint set."""
    side_a = _side(a, articles[a.article_id], hit.a_spans, hit.a_value)
    side_b = _side(b, articles[b.article_id], hit.b_spans, hit.b_value)
    first, second, _ = canonical_sides(side_a, side_b)
    return Finding(
        verdict=hit.verdict,
        check=hit.check,
        severity=hit.severity,
        confidence=round(hit.confidence, 3),
        explanation=hit.explanation,
        a=first,
        b=second,
        cluster=cluster,
        nli=nli.as_dict() if nli else None,
        fingerprint=fingerprint(hit.check, first, second),
    )


def nli_finding(
    a: Claim,
    b: Claim,
    articles: Mapping[str, Article],
    pair: CandidatePair,
    nli: PairNLI,
    settings: Settings,
) -> Finding | None:
    """A contradiction the NLI model is sure of (``Settings.nli_policy``) on a close pair."""
    if pair.similarity < settings.nli_min_similarity:
        return None
    score = pair_score(nli.ab, nli.ba, settings.nli_policy)
    if score < settings.nli_contradiction_threshold:
        return None
    spans_a, spans_b = differing_word_spans(a, b)
    hit = RuleHit(
        check="nli",
        verdict="contradiction",
        severity=settings.nli_severity,
        confidence=score,
        explanation=(
            f"The NLI model reads {a.outlet}'s and {b.outlet}'s sentences as contradicting each "
            f"other (P(contradiction) {nli.ab[2]:.2f} and {nli.ba[2]:.2f}); no rule check "
            "explains the difference, so read both."
        ),
        a_spans=tuple(spans_a),
        b_spans=tuple(spans_b),
    )
    return finding_from_hit(hit, a, b, articles, pair.cluster_id, nli)


def deduplicate(findings: Sequence[Finding]) -> list[Finding]:
    """Keep one finding per fingerprint (the most confident)."""
    best: dict[str, Finding] = {}
    for f in findings:
        if f.fingerprint not in best or f.confidence > best[f.fingerprint].confidence:
            best[f.fingerprint] = f
    return list(best.values())
