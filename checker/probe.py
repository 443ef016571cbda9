"""Counterfactual probe of NLI-only findings: which value makes the model read a contradiction.

An NLI-only finding (:func:`checker.compare.nli_finding`) says only that the model reads two
sentences as contradicting each other. The probe asks the model which value that is. For each
kind of value (the type tokens of :mod:`claims.masking`: times, numbers, people, places,
organisations, titles ...) that both claims give with different text, it writes one claim's value
into the other's sentence, in place of that sentence's value of the same kind, and scores the
changed pair again, both ways, with the pair's ``Settings.nli_policy``. If the contradiction score
then falls below ``nli_contradiction_threshold`` by at least ``Settings.nli_probe_margin``, that
value is the discrepancy, and the finding names it ("with Wire's 'Wednesday' in Business
Insider's sentence it drops to 8%: the time is the discrepancy") and marks the two values as its
spans. If no swap does, the finding says that no single value explains it.

The model is shown each changed claim as :func:`checker.nli.input_text.nli_text` writes it: the
changed claim's times move with the swap (a swapped weekday brings the day it resolved to in its
own article), so a probe text reads like every other NLI text. At most
``Settings.nli_probe_max_swaps`` swaps are tried per pair; all swaps of all findings are scored
in one ``predict`` call, through the pipeline's NLI cache (keyed by model and text pair, as
:func:`checker.pipeline.nli_for_pairs` keys its own), and ``stats["probe_calls"]`` counts the text
pairs the model scored for the probe.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import zip_longest
from typing import Any, Protocol

from checker.cache import PipelineCache
from checker.compare import Probe, SlotSwap, pair_score, probed_finding
from checker.findings import Finding
from checker.nli.input_text import day_phrase, nli_text
from checker.settings import Settings
from claims.masking import TIME_OF_DAY_TOKEN, TIME_TOKEN, value_spans
from claims.records import Claim, Span, TimeMention

NLIRow = tuple[float, float, float]
TextPair = tuple[str, str]


class NLISource(Protocol):
    """Where the probe gets its model: :class:`checker.pipeline.Models` (the model is loaded
    only when some probe text is not in the cache), or :class:`LoadedNLI`."""

    @property
    def nli(self) -> Any: ...

    def nli_id(self) -> str | None: ...


class LoadedNLI:
    """A loaded NLI model (anything with ``model_id`` and ``predict``) as an :class:`NLISource`."""

    def __init__(self, model: Any) -> None:
        self.nli = model

    def nli_id(self) -> str | None:
        return str(getattr(self.nli, "model_id", "")) or None


@dataclass(frozen=True)
class Value:
    """A typed value of a claim: its type token, its span, what the model is shown of it (a
    one-day time as its day phrase, :func:`checker.nli.input_text.day_phrase`) and the time it
    is, for a time."""

    slot: str
    span: Span
    shown: str
    time: TimeMention | None = None


@dataclass(frozen=True)
class PlannedSwap:
    """A swap to score: the pair's two texts as the model sees them after the swap."""

    slot: str
    into: str  # "a": b's value written into a's sentence; "b": the reverse
    a_value: Value
    b_value: Value
    a_text: str
    b_text: str


def claim_values(claim: Claim) -> list[Value]:
    """The typed values of a claim's content, in text order (:func:`claims.masking.value_spans`).

    >>> text = "Some 300 marched in Nairobi."
    >>> from claims.records import Entity, Quantity
    >>> c = Claim("a:0", "a", "A", Span(0, 28, text), Span(0, 27, text[:27]),
    ...     quantities=[Quantity(Span(0, 8, "Some 300"), 300, 300, 300, approximator="some")],
    ...     entities=[Entity(Span(20, 27, "Nairobi"), "GPE")])
    >>> [(v.slot, v.span.text) for v in claim_values(c)]
    [('[NUM]', 'Some 300'), ('[PLACE]', 'Nairobi')]
    """
    sentence, content = claim.sentence, claim.content
    # offsets are into the article text (or the title); the sentence holds the content, so the
    # source is rebuilt around it, as claims.masking.masked_text does
    if sentence.start <= content.start and content.end <= sentence.end:
        source = " " * sentence.start + sentence.text
    else:
        source = " " * content.start + content.text
    times = {(t.span.start, t.span.end): t for t in claim.times}
    out: list[Value] = []
    for start, end, slot in value_spans(claim, source):
        text = source[start:end]
        if not text.strip():
            continue
        time = times.get((start, end)) if slot in (TIME_TOKEN, TIME_OF_DAY_TOKEN) else None
        shown = (day_phrase(time) if time is not None else "") or text
        out.append(Value(slot, Span(start, end, text), shown, time))
    return out


_SPACE = re.compile(r"\s+")


def _key(value: Value) -> str:
    """What two values are compared by: the shown text, case and spacing folded."""
    return _SPACE.sub(" ", value.shown).strip(" .,;:").lower()


def with_value(claim: Claim, old: Value, new: Value) -> Claim | None:
    """The claim with ``old`` (one of its values) replaced by ``new``'s text; its times follow
    (those after the value move, one overlapping it goes, and a time ``new`` brings takes its
    place), so :func:`checker.nli.input_text.nli_text` writes the changed claim as it writes any.
    ``None`` when ``old`` is not in the claim's content as its offsets say.

    >>> text = "Talks ended in Oslo."
    >>> c = Claim("a:0", "a", "A", Span(0, 20, text), Span(0, 20, text))
    >>> old, new = Value("[PLACE]", Span(15, 19, "Oslo"), "Oslo"), Value("[PLACE]",
    ...     Span(3, 8, "Paris"), "Paris")
    >>> with_value(c, old, new).content.text
    'Talks ended in Paris.'
    """
    content = claim.content
    start, end = old.span.start - content.start, old.span.end - content.start
    if not (0 <= start < end <= len(content.text)) or content.text[start:end] != old.span.text:
        return None
    text = content.text[:start] + new.span.text + content.text[end:]
    delta = len(new.span.text) - (end - start)
    times: list[TimeMention] = []
    for t in claim.times:
        if t.span.end <= old.span.start:
            times.append(t)
        elif t.span.start >= old.span.end:
            moved = Span(t.span.start + delta, t.span.end + delta, t.span.text)
            times.append(replace(t, span=moved))
    if new.time is not None:
        at = old.span.start
        times.append(replace(new.time, span=Span(at, at + len(new.span.text), new.span.text)))
    return replace(claim, content=Span(content.start, content.end + delta, text), times=times)


def plan_swaps(a: Claim, b: Claim, limit: int) -> list[PlannedSwap]:
    """The swaps to try on a pair, at most ``limit``.

    For each kind of value both claims give, the values of one that the other does not give
    (same shown text, case aside, counts as given) are paired with the other's; each such pair
    gives two swaps (into a's sentence, into b's). Kinds take turns, in the order a's values
    come, so one kind with many values does not use up the limit. A swap that leaves the text as
    it was is skipped.
    """
    if limit <= 0:
        return []
    va, vb = claim_values(a), claim_values(b)
    queues: list[list[tuple[Value, Value]]] = []
    for slot in dict.fromkeys(v.slot for v in va):
        xs = [v for v in va if v.slot == slot]
        ys = [v for v in vb if v.slot == slot]
        keys_a, keys_b = {_key(v) for v in xs}, {_key(v) for v in ys}
        only_a = _distinct(v for v in xs if _key(v) not in keys_b)
        only_b = _distinct(v for v in ys if _key(v) not in keys_a)
        if only_a and only_b:
            queues.append([(x, y) for x in only_a for y in only_b])
    shown_a, shown_b = nli_text(a), nli_text(b)
    out: list[PlannedSwap] = []
    for turn in zip_longest(*queues):
        for pair in turn:
            if pair is None:
                continue
            x, y = pair
            for into in ("a", "b"):
                changed = with_value(a, x, y) if into == "a" else with_value(b, y, x)
                if changed is None:
                    continue
                a_text = nli_text(changed) if into == "a" else shown_a
                b_text = nli_text(changed) if into == "b" else shown_b
                if (a_text, b_text) == (shown_a, shown_b):
                    continue
                out.append(PlannedSwap(x.slot, into, x, y, a_text, b_text))
                if len(out) >= limit:
                    return out
    return out


def _distinct(values: Iterable[Value]) -> list[Value]:
    """The values with one per key (the first)."""
    seen: dict[str, Value] = {}
    for v in values:
        seen.setdefault(_key(v), v)
    return list(seen.values())


def score_texts(
    texts: Sequence[TextPair], source: NLISource, cache: PipelineCache | None, batch_size: int
) -> tuple[dict[TextPair, NLIRow], int]:
    """NLI rows of text pairs (premise, hypothesis): from the cache where it has them, the rest
    in one ``predict`` call (and stored); and how many the model scored. The model is loaded only
    when some pair is not cached. (The same steps as :func:`checker.pipeline.nli_for_pairs`.)"""
    unique = sorted(set(texts))
    if not unique:
        return {}, 0
    model_id = source.nli_id()
    known = cache.load_nli(model_id, unique) if cache is not None and model_id else {}
    todo = [t for t in unique if t not in known]
    if not todo:
        return known, 0
    model = source.nli
    if cache is not None and model.model_id != model_id:  # another backend ran (a fallback)
        known = cache.load_nli(model.model_id, unique)
        todo = [t for t in unique if t not in known]
        if not todo:
            return known, 0
    probs = model.predict(todo, batch_size=batch_size)
    fresh: dict[TextPair, NLIRow] = {}
    for t, row in zip(todo, probs, strict=True):
        entailment, neutral, contradiction = (float(x) for x in row)
        fresh[t] = (entailment, neutral, contradiction)
    if cache is not None:
        cache.store_nli(model.model_id, fresh)
    return {**known, **fresh}, len(todo)


def probe_pairs(
    pairs: Sequence[tuple[Claim, Claim]],
    source: NLISource,
    settings: Settings,
    cache: PipelineCache | None = None,
) -> tuple[list[Probe], int]:
    """The probe of each pair (claims ``a``, ``b``), all scored together, and how many text
    pairs the model scored (cache misses)."""
    plans = [plan_swaps(a, b, settings.nli_probe_max_swaps) for a, b in pairs]
    texts = [
        t for plan in plans for s in plan for t in ((s.a_text, s.b_text), (s.b_text, s.a_text))
    ]
    known, calls = score_texts(texts, source, cache, settings.nli_batch_size)
    below = settings.nli_contradiction_threshold - settings.nli_probe_margin
    probes = []
    for plan in plans:
        swaps = tuple(
            SlotSwap(
                s.slot,
                s.into,
                s.a_value.span,
                s.b_value.span,
                pair_score(
                    known[(s.a_text, s.b_text)], known[(s.b_text, s.a_text)], settings.nli_policy
                ),
            )
            for s in plan
        )
        named: dict[str, SlotSwap] = {}
        for swap in sorted(swaps, key=lambda s: s.score):
            if swap.score < below:
                named.setdefault(swap.slot, swap)
        probes.append(Probe(swaps, tuple(named.values())))
    return probes, calls


def probe_pair(a: Claim, b: Claim, model: Any, settings: Settings) -> Probe:
    """The probe of one pair with a loaded model (no cache)."""
    probes, _ = probe_pairs([(a, b)], LoadedNLI(model), settings)
    return probes[0]


def probe_findings(
    findings: Sequence[Finding],
    by_id: Mapping[str, Claim],
    source: NLISource,
    settings: Settings,
    cache: PipelineCache | None = None,
) -> tuple[list[Finding], int]:
    """The findings with every NLI-only finding probed (:func:`checker.compare.probed_finding`),
    in their order, and how many text pairs the model scored for the probe."""
    out = list(findings)
    todo = [
        i
        for i, f in enumerate(out)
        if f.check == "nli" and f.a.claim_id in by_id and f.b.claim_id in by_id
    ]
    if not todo or settings.nli_probe_max_swaps <= 0:
        return out, 0
    pairs = [(by_id[out[i].a.claim_id], by_id[out[i].b.claim_id]) for i in todo]
    probes, calls = probe_pairs(pairs, source, settings, cache)
    for i, probe in zip(todo, probes, strict=True):
        out[i] = probed_finding(out[i], probe)
    return out, calls
