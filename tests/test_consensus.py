"""Consensus comparison (checker/consensus.py): one finding per departing outlet, listing who
agrees with whom, at a fraction of the all-pairs cost, finding what all-pairs finds.

The events are built here from the real sentences of the Blinken example bundle: every outlet
tells the same four facts (in the wire's or Reuters' words), and some outlets give Business
Insider's "tested negative on Tuesday" where the others give the wire's "on Wednesday".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

import pytest

from checker.findings import Finding
from checker.pipeline import Models, check_articles
from checker.report import Report
from checker.settings import Settings
from claims.records import Article

PUBLISHED = dt.datetime(2021, 12, 15, 6, 0, tzinfo=dt.UTC)
TITLE = "Blinken halts Asia trip after Covid case in traveling party"
THAILAND = (
    "Blinken was due to hold meetings in Thailand on Thursday before making the return to "
    "Washington, and the decision was taken in light of a positive case among the traveling "
    "press corps, State Department spokesperson Ned Price said.",
    "The decision was made to mitigate the COVID-19 risk and prioritise health and safety, and "
    "Blinken had expressed by phone his deep regret to the foreign minister of Thailand, where he "
    "was due to attend meetings on Thursday, State Department spokesperson Ned Price said.",
)
WEDNESDAY = (
    "Blinken and senior officials had tested negative on Wednesday in Kuala Lumpur, when the "
    "positive case was confirmed, Price said, and Blinken had called his Thai counterpart to "
    "express his deep regret."
)
TUESDAY = "Blinken and senior staff tested negative on Tuesday, Price said."
NEWS_CONFERENCE = (
    "Blinken gave a joint news conference on Wednesday with Malaysian Foreign Minister Saifuddin "
    "Abdullah."
)
INFLUENCE = (
    "China's influence has expanded in Southeast Asia in recent years, with Beijing pressing "
    "deeper trade and integration and major infrastructure projects, despite tensions with "
    "several countries in the South China Sea."
)


def outlet(i: int) -> str:
    return f"Outlet {i:02d}"


def event(outlets: int, departing: Sequence[int]) -> list[Article]:
    """``outlets`` articles of the same story; those numbered in ``departing`` say Tuesday."""
    articles = []
    for i in range(1, outlets + 1):
        tested = TUESDAY if i in departing else WEDNESDAY
        text = "\n\n".join([THAILAND[i % 2], tested, NEWS_CONFERENCE, INFLUENCE])
        articles.append(
            Article(
                id=f"o{i:02d}",
                outlet=outlet(i),
                text=text,
                source=f"o{i:02d}.md",
                title=TITLE,
                published=PUBLISHED,
            )
        )
    return articles


class FakeNLI:
    """An NLI model that reads every pair as neutral (no load, no contradiction)."""

    model_id = "fake-neutral"
    backend = "fake"

    def predict(self, pairs: Sequence[tuple[str, str]], batch_size: int = 32) -> list:
        return [[0.1, 0.8, 0.1] for _ in pairs]


@pytest.fixture(scope="module")
def fake_models(nlp, embedder) -> Models:
    models = Models(Settings())
    models._nlp, models._embedder, models._nli = nlp, embedder, FakeNLI()
    return models


def run(models: Models, articles: list[Article], **settings: object) -> Report:
    return check_articles(articles, [], Settings(**settings), models=models)  # type: ignore[arg-type]


def temporal(report: Report) -> list[Finding]:
    return [f for f in report.findings if f.check == "temporal"]


def covered(findings: Sequence[Finding]) -> set[tuple[str, str]]:
    """(outlet saying Tuesday, outlet saying Wednesday) pairs that the findings stand for: their
    two sides, and for a consensus finding every outlet it lists on each side."""
    out = set()
    for f in findings:
        if f.consensus is None:
            sides = [({f.a.outlet}, f.a), ({f.b.outlet}, f.b)]
        else:
            rep = f.consensus["representative"]["claim_id"]
            cons, dep = (f.a, f.b) if f.a.claim_id == rep else (f.b, f.a)
            sides = [
                ({dep.outlet, *f.consensus["agree_with_this"]}, dep),
                ({cons.outlet, *f.consensus["agree_with_consensus"]}, cons),
            ]
        tuesday = [o for o, side in sides if "Tuesday" in side.text]
        wednesday = [o for o, side in sides if "on Wednesday in Kuala Lumpur" in side.text]
        if tuesday and wednesday:
            out |= {(t, w) for t in tuesday[0] for w in wednesday[0]}
    return out


def test_each_departing_outlet_gets_one_finding_that_lists_who_agrees_with_whom(fake_models):
    report = run(fake_models, event(12, departing=(4, 9)), comparison="consensus", use_nli=False)
    assert report.stats["comparison"] == "consensus"
    findings = temporal(report)
    departing = sorted(
        side.outlet for f in findings for side in (f.a, f.b) if "Tuesday" in side.text
    )
    assert departing == [outlet(4), outlet(9)]  # one finding each
    for f in findings:
        info = f.consensus
        assert info is not None and info["slot"] == "time"
        assert (info["value"], info["consensus_value"]) == ("2021-12-14", "2021-12-15")
        tuesday = next(s.outlet for s in (f.a, f.b) if "Tuesday" in s.text)
        assert info["agree_with_this"] == [o for o in (outlet(4), outlet(9)) if o != tuesday]
        assert info["agree_with_consensus"] == [outlet(i) for i in range(1, 13) if i not in (4, 9)]
        assert info["outlets"] == 12
        assert "10 of 12 outlets" in f.explanation and "2021-12-15" in f.explanation
    assert [f.verdict for f in findings] == ["contradiction", "contradiction"]
    data = report.to_dict()["findings"]
    assert all("consensus" in f for f in data)


def test_consensus_costs_less_than_all_pairs_on_a_12_outlet_event(fake_models):
    articles = event(12, departing=(4, 9))
    pairs = run(fake_models, articles, comparison="all_pairs")
    consensus = run(fake_models, articles, comparison="consensus")
    for counter in ("rule_calls", "nli_pairs", "findings"):
        assert 0 < consensus.stats[counter] < pairs.stats[counter], counter
    # all-pairs flags each of the 2 departing outlets against each of the 10 others
    assert len(temporal(pairs)) == 20 and len(temporal(consensus)) == 2
    assert consensus.stats["rule_calls"] * 4 < pairs.stats["rule_calls"]


def test_consensus_finds_the_planted_discrepancy_that_all_pairs_finds(fake_models):
    articles = event(12, departing=(4, 9))
    pairs = covered(temporal(run(fake_models, articles, comparison="all_pairs", use_nli=False)))
    consensus = covered(temporal(run(fake_models, articles, comparison="consensus", use_nli=False)))
    planted = {(outlet(t), outlet(w)) for t in (4, 9) for w in range(1, 13) if w not in (4, 9)}
    assert pairs == planted
    assert consensus == planted


def test_all_pairs_findings_carry_no_consensus_field(fake_models):
    report = run(fake_models, event(3, departing=(2,)), use_nli=False)
    assert report.stats["comparison"] == "all_pairs"  # the default
    assert report.findings and all(f.consensus is None for f in report.findings)
    assert all("consensus" not in f for f in report.to_dict()["findings"])


def test_auto_switches_to_consensus_above_the_outlet_threshold(fake_models):
    articles = event(5, departing=(2,))
    auto = run(fake_models, articles, use_nli=False, comparison="auto")
    assert auto.stats["comparison"] == "all_pairs"
    low = run(fake_models, articles, use_nli=False, comparison="auto", consensus_min_outlets=4)
    assert low.stats["comparison"] == "consensus"
    assert [f.check for f in low.findings] == ["temporal"]


def test_settings_refuse_an_unknown_comparison():
    with pytest.raises(ValueError, match="comparison must be one of"):
        Settings(comparison="pairs")
    with pytest.raises(ValueError, match="consensus_neighbours"):
        Settings(consensus_neighbours=0)


def minority_group(models: Models, articles: list[Article], settings: Settings):
    """The event's neighbour alignment with one group left: the 'tested negative' claims, whose
    representative is forced to a Tuesday claim (the minority)."""
    from checker.consensus import align_by_neighbours
    from checker.pipeline import CachedEmbedder, extract_all

    claims = extract_all(articles, models, None, None, []).claims
    by_id = {c.id: c for c in claims}
    alignment = align_by_neighbours(claims, CachedEmbedder(models, None), settings)
    group = next(g for g in alignment.groups if any("Tuesday" in by_id[m].text for m in g.members))
    tuesday = next(m for m in group.members if "Tuesday" in by_id[m].text)
    alignment.groups = [replace(group, representative=tuesday)]
    return alignment, by_id


@pytest.mark.parametrize("representatives", [1, 3])
def test_the_consensus_moves_to_the_value_most_outlets_give(fake_models, representatives):
    from checker.consensus import compare_groups

    articles = event(12, departing=(4, 9, 11))
    settings = Settings(
        comparison="consensus", use_nli=False, consensus_representatives=representatives
    )
    alignment, by_id = minority_group(fake_models, articles, settings)
    result = compare_groups(alignment, by_id, {a.id: a for a in articles}, {}, settings)
    findings = [f for f in result.findings if f.check == "temporal"]
    assert findings and all(f.consensus is not None for f in findings)
    values = {f.consensus["consensus_value"] for f in findings if f.consensus}
    if representatives == 1:  # stuck with the Tuesday representative: the majority departs
        assert values == {"2021-12-14"} and len(findings) == 9 and result.flips == 0
    else:  # a Wednesday claim became the consensus: the three Tuesday outlets depart
        assert values == {"2021-12-15"} and result.flips == 1 and result.representatives == 2
        departing = {f.a.outlet if "Tuesday" in f.a.text else f.b.outlet for f in findings}
        assert departing == {outlet(4), outlet(9), outlet(11)} and len(findings) == 3
