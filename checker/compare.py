"""Compare aligned claim pairs: rule checks first, then the NLI model, into findings.

Rules give precise, explainable findings (which value differs, where). The NLI model looks at
each aligned pair in both directions; it adds a finding on its own only when it is confident of a
contradiction (``Settings.nli_policy``, ``nli_contradiction_threshold``) on a closely aligned pair
(``nli_min_similarity``) that no rule explained, and its
probabilities are attached to every finding as supporting evidence. Such a finding then goes
through the counterfactual probe (:mod:`checker.probe`), whose result :func:`probed_finding`
writes into it: the slot whose value, written into the other sentence, makes the contradiction
disappear, or that no single value explains it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

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
            f"other (contradiction {_percent(nli.ab[2])} and {_percent(nli.ba[2])})"
            f"{NLI_UNEXPLAINED}"
        ),
        a_spans=tuple(spans_a),
        b_spans=tuple(spans_b),
    )
    return finding_from_hit(hit, a, b, articles, pair.cluster_id, nli)


#: how an NLI-only finding's explanation ends until the probe says more (:func:`probed_finding`).
NLI_UNEXPLAINED = "; no rule check explains the difference, so read both."

#: what the probe calls each slot (the type tokens of :mod:`claims.masking`), in explanations.
SLOT_NAMES: dict[str, str] = {
    "[DATE]": "time",
    "[TIME]": "time of day",
    "[NUM]": "number",
    "[PERSON]": "person",
    "[PLACE]": "place",
    "[ORG]": "organisation",
    "[GROUP]": "group",
    "[NAME]": "name",
    "[TITLE]": "title",
}


def _percent(p: float) -> str:
    """A probability as a whole percentage; below 1 it never reads 100%.

    >>> _percent(0.9951), _percent(0.081), _percent(0.0004)
    ('99%', '8%', '0%')
    """
    value = round(p * 100)
    if value == 100 and p < 1:
        value = 99
    return f"{value}%"


@dataclass(frozen=True)
class SlotSwap:
    """One counterfactual of the probe: one claim's value written into the other's sentence.

    ``slot`` is the value's type token (``[DATE]``, ``[NUM]``, ``[PLACE]`` ... of
    :mod:`claims.masking`); ``into`` says whose sentence was changed (``"a"``: ``b_value``'s text
    replaced ``a_value`` in a's sentence; ``"b"``: the reverse); ``score`` is the contradiction
    score of the changed pair (``Settings.nli_policy``).
    """

    slot: str
    into: str
    a_value: Span
    b_value: Span
    score: float

    @property
    def slot_name(self) -> str:
        return SLOT_NAMES.get(self.slot, "value")


@dataclass(frozen=True)
class Probe:
    """What the counterfactual probe found for a pair (:mod:`checker.probe`).

    ``swaps``: every counterfactual scored; ``named``: those that took the contradiction below
    ``nli_contradiction_threshold - nli_probe_margin``, the best of each slot, lowest score first.
    """

    swaps: tuple[SlotSwap, ...]
    named: tuple[SlotSwap, ...]


def probe_explanation(a_outlet: str, b_outlet: str, probe: Probe) -> str:
    """What the probe adds to an NLI-only finding (it replaces :data:`NLI_UNEXPLAINED`).

    >>> s = SlotSwap("[DATE]", "a", Span(0, 7, "Tuesday"), Span(0, 8, "Thursday"), 0.03)
    >>> print(probe_explanation("A", "B", Probe((s,), (s,))))  # doctest: +NORMALIZE_WHITESPACE
    ; with B's 'Thursday' in A's sentence it drops to 3%: the time is the discrepancy, though no
    rule check caught it.
    >>> t = SlotSwap("[NUM]", "b", Span(0, 2, "30"), Span(0, 2, "40"), 0.96)
    >>> print(probe_explanation("A", "B", Probe((t,), ())))  # doctest: +NORMALIZE_WHITESPACE
    ; no single value explains it (with the number of one written into the other, it stays at
    96% or more), so read both.
    """
    if probe.named:
        best, *others = probe.named
        text = f"; with {_swap_words(best, a_outlet, b_outlet)} it drops to {_percent(best.score)}"
        text += f": the {best.slot_name} is the discrepancy, though no rule check caught it"
        if others:
            first, *rest = others
            text += f"; swapping the {first.slot_name} lowers it too, to {_percent(first.score)}"
            text += "".join(f", the {s.slot_name}, to {_percent(s.score)}" for s in rest)
        return text + "."
    if not probe.swaps:
        return (
            "; no single value explains it (no kind of value differs between the two to swap), "
            "so read both."
        )
    slots = list(dict.fromkeys(s.slot_name for s in probe.swaps))
    names = slots[0] if len(slots) == 1 else f"{', '.join(slots[:-1])} or {slots[-1]}"
    floor = min(s.score for s in probe.swaps)
    return (
        f"; no single value explains it (with the {names} of one written into the other, it "
        f"stays at {_percent(floor)} or more), so read both."
    )


def _swap_words(swap: SlotSwap, a_outlet: str, b_outlet: str) -> str:
    """ "B's 'Thursday' in A's sentence"."""
    if swap.into == "a":
        return f"{b_outlet}'s '{swap.b_value.text}' in {a_outlet}'s sentence"
    return f"{a_outlet}'s '{swap.a_value.text}' in {b_outlet}'s sentence"


def probed_finding(finding: Finding, probe: Probe) -> Finding:
    """An NLI-only finding with what the probe found, its sides in ``finding``'s order (``a`` of
    the probe is ``finding.a``): the explanation names the slot whose swap removed the
    contradiction (or says that no single value explains it), and the sides' spans mark the named
    values instead of the differing words. The fingerprint does not change (it depends on the
    sentences and values, and an NLI finding carries no value).
    """
    words = probe_explanation(finding.a.outlet, finding.b.outlet, probe)
    if NLI_UNEXPLAINED in finding.explanation:
        explanation = finding.explanation.replace(NLI_UNEXPLAINED, words, 1)
    else:
        rest = words.removeprefix("; ")
        explanation = f"{finding.explanation} The probe: {rest}"
    if not probe.named:
        return replace(finding, explanation=explanation)
    a_spans = list(dict.fromkeys(s.a_value for s in probe.named))
    b_spans = list(dict.fromkeys(s.b_value for s in probe.named))
    return replace(
        finding,
        explanation=explanation,
        a=replace(finding.a, spans=[_span_dict(s) for s in a_spans]),
        b=replace(finding.b, spans=[_span_dict(s) for s in b_spans]),
    )


def _span_dict(span: Span) -> dict[str, int | str]:
    return {"start": span.start, "end": span.end, "text": span.text}


def deduplicate(findings: Sequence[Finding]) -> list[Finding]:
    """Keep one finding per fingerprint (the most confident)."""
    best: dict[str, Finding] = {}
    for f in findings:
        if f.fingerprint not in best or f.confidence > best[f.fingerprint].confidence:
            best[f.fingerprint] = f
    return list(best.values())
