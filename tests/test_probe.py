"""The counterfactual probe of NLI-only findings (checker/probe.py): which value, written into the
other sentence, makes the model's contradiction go away."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

import numpy as np
import pytest

from checker.compare import NLI_UNEXPLAINED, PairNLI, nli_finding, probed_finding
from checker.probe import LoadedNLI, plan_swaps, probe_findings, probe_pair, probe_pairs
from checker.settings import Settings
from claims.records import Article, CandidatePair, Claim, Entity, Span, TimeMention

WEEKDAYS = re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday)\b")
CONTRADICTION = np.array([0.005, 0.005, 0.99])
ENTAILMENT = np.array([0.98, 0.015, 0.005])


class WordNLI:
    """A fake NLI model: a contradiction when the two texts name different weekdays (or, with
    ``verbs``, when one says 'resigned' and the other 'stayed'); otherwise an entailment."""

    model_id = "fake:word"

    def __init__(self, verbs: bool = False) -> None:
        self.verbs = verbs
        self.calls: list[list[tuple[str, str]]] = []

    def predict(
        self, pairs: Sequence[tuple[str, str]], batch_size: int = 32, progress: bool = False
    ) -> np.ndarray:
        self.calls.append(list(pairs))
        rows = []
        for premise, hypothesis in pairs:
            if self.verbs:
                clash = ("resigned" in premise) != ("resigned" in hypothesis)
            else:
                clash = set(WEEKDAYS.findall(premise)) != set(WEEKDAYS.findall(hypothesis))
            rows.append(CONTRADICTION if clash else ENTAILMENT)
        return np.array(rows)


def _claim(cid: str, outlet: str, text: str, day: str, place: str, verb: str = "resigned") -> Claim:
    """'The minister {verb} on {day} in {place}.' with its weekday and place annotated."""
    at_day, at_place = text.index(day), text.index(place)
    when = dt.datetime(2023, 3, 6 + ["Monday", "Tuesday", "Wednesday", "Thursday"].index(day))
    span = Span(0, len(text), text)
    return Claim(
        cid,
        cid.split(":")[0],
        outlet,
        span,
        span,
        times=[
            TimeMention(
                Span(at_day, at_day + len(day), day),
                "weekday",
                "day",
                when,
                when.replace(hour=23, minute=59),
                when.date().isoformat(),
            )
        ],
        entities=[Entity(Span(at_place, at_place + len(place), place), "GPE")],
    )


A = _claim("a:0", "Wire", "The minister resigned on Tuesday in Paris.", "Tuesday", "Paris")
B = _claim("b:0", "Daily", "The minister resigned on Thursday in Lyon.", "Thursday", "Lyon")


def test_the_probe_names_the_slot_whose_swap_removes_the_contradiction() -> None:
    model = WordNLI()
    probe = probe_pair(A, B, model, Settings())
    assert {s.slot for s in probe.swaps} == {"[DATE]", "[PLACE]"}
    assert [s.slot for s in probe.named] == ["[DATE]"]
    named = probe.named[0]
    assert (named.a_value.text, named.b_value.text) == ("Tuesday", "Thursday")
    assert named.score < 0.05
    assert len(model.calls) == 1  # every swap of the pair, both ways, in one predict call
    assert len(model.calls[0]) == 2 * len(probe.swaps)
    # the model saw the swapped weekday as nli_text writes it: with the day it resolved to
    assert any("Thursday, March 9 in Paris" in p for pair in model.calls[0] for p in pair)


STAYED = _claim("b:0", "Daily", "The minister stayed on Tuesday in Lyon.", "Tuesday", "Lyon")


def test_the_probe_names_no_slot_when_no_swap_removes_the_contradiction() -> None:
    probe = probe_pair(A, STAYED, WordNLI(verbs=True), Settings())
    assert [s.slot for s in probe.swaps] == ["[PLACE]", "[PLACE]"]  # the days are the same
    assert probe.named == ()


def test_a_named_slot_goes_into_the_findings_explanation_and_spans() -> None:
    articles = {
        "a": Article(id="a", outlet="Wire", text=A.sentence.text, source="a.md"),
        "b": Article(id="b", outlet="Daily", text=B.sentence.text, source="b.md"),
    }
    sure = PairNLI((0.0, 0.01, 0.99), (0.0, 0.01, 0.99))
    finding = nli_finding(A, B, articles, CandidatePair("a:0", "b:0", "c1", 0.9), sure, Settings())
    assert finding is not None and finding.explanation.endswith(NLI_UNEXPLAINED)
    by_id = {A.id: A, B.id: B}
    [probed], calls = probe_findings([finding], by_id, LoadedNLI(WordNLI()), Settings())
    assert calls == 8  # day and place, each into either sentence, scored both ways
    assert probed.fingerprint == finding.fingerprint
    sides = {probed.a.outlet: probed.a, probed.b.outlet: probed.b}
    assert [s["text"] for s in sides["Wire"].spans] == ["Tuesday"]
    assert [s["text"] for s in sides["Daily"].spans] == ["Thursday"]
    assert "the time is the discrepancy" in probed.explanation
    assert re.search(
        r"with (Daily's 'Thursday' in Wire's|Wire's 'Tuesday' in Daily's)", probed.explanation
    )
    assert "drops to 0%" in probed.explanation and "contradiction 99% and 99%" in probed.explanation
    # and nothing named: the explanation says so and the differing words stay marked
    unexplained = probed_finding(finding, probe_pair(A, STAYED, WordNLI(verbs=True), Settings()))
    assert "no single value explains it" in unexplained.explanation
    assert unexplained.a.spans == finding.a.spans


def test_the_cap_limits_the_swaps_and_zero_turns_the_probe_off() -> None:
    assert len(plan_swaps(A, B, 1)) == 1
    assert plan_swaps(A, B, 0) == []
    model = WordNLI()
    probes, calls = probe_pairs([(A, B)], LoadedNLI(model), Settings(nli_probe_max_swaps=0))
    assert probes[0].swaps == () and calls == 0 and model.calls == []
    with pytest.raises(ValueError, match="nli_probe_max_swaps"):
        Settings(nli_probe_max_swaps=-1)


def test_with_the_shipped_model_a_weekday_swap_names_the_time(nlp) -> None:
    from checker.nli.backends import load_nli
    from rules.scoring import claims_from_text

    published = dt.datetime(2023, 3, 10, 12, tzinfo=dt.UTC)
    [a] = claims_from_text(
        "The minister resigned on Tuesday, officials said.", "Wire", published, nlp, "a"
    )
    [b] = claims_from_text(
        "Officials said the minister resigned on Thursday.", "Daily", published, nlp, "b"
    )
    settings = Settings()
    probe = probe_pair(a, b, load_nli(settings.nli_model, settings.nli_backend), settings)
    assert probe.named, probe.swaps
    assert probe.named[0].slot == "[DATE]"
    assert {probe.named[0].a_value.text, probe.named[0].b_value.text} == {"Tuesday", "Thursday"}


class GroupNLI(WordNLI):
    """A contradiction when one text says 'French' and the other does not."""

    def predict(
        self, pairs: Sequence[tuple[str, str]], batch_size: int = 32, progress: bool = False
    ) -> np.ndarray:
        self.calls.append(list(pairs))
        clash = [("French" in p) != ("French" in h) for p, h in pairs]
        return np.array([CONTRADICTION if c else ENTAILMENT for c in clash])


@pytest.mark.parametrize("comparison", ["all_pairs", "consensus"])
def test_the_pipeline_probes_nli_only_findings_through_the_cache(
    tmp_path, nlp, embedder, comparison: str
) -> None:
    """'French' against 'German' engineers: no rule check reads nationalities, so only the (fake)
    model flags the pair; the probe names the group, and a re-run takes its scores from the
    cache."""
    from checker.cache import open_cache
    from checker.pipeline import Models, run_report

    front = "---\noutlet: {}\npublished: 2023-03-07T11:00:00+00:00\n---\n"
    line = "{} engineers will inspect the damaged dam next week, the ministry said.\n"
    (tmp_path / "a.md").write_text(front.format("Wire") + line.format("French"), encoding="utf-8")
    (tmp_path / "b.md").write_text(front.format("Daily") + line.format("German"), encoding="utf-8")
    settings = Settings(comparison=comparison)
    cache = open_cache(tmp_path / "cache")
    runs = []
    for _ in range(2):
        model = GroupNLI()
        models = Models(settings)
        models._nlp, models._embedder, models._nli = nlp, embedder, model
        runs.append((run_report([tmp_path], settings, models=models, cache=cache), model))
    (cold, cold_model), (warm, warm_model) = runs
    [finding] = cold.findings
    assert finding.check == "nli"
    assert "the group is the discrepancy" in finding.explanation
    assert sorted(s["text"] for s in finding.a.spans + finding.b.spans) == ["French", "German"]
    # each swap makes the two sentences the same: one text pair a swap, both ways being one
    assert cold.stats["probe_calls"] == 2 and len(cold_model.calls) == 2  # pairs, then probes
    assert warm.stats["probe_calls"] == 0 and warm_model.calls == []
    assert [f.to_dict() for f in warm.findings] == [f.to_dict() for f in cold.findings]
