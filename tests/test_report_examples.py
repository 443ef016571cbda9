"""The issue's 'must show' on the real example bundles, through the whole pipeline."""

from __future__ import annotations

import pytest
from example_paths import EXAMPLES

from checker.pipeline import run_report
from checker.settings import Settings


@pytest.fixture(scope="module")
def blinken(models):
    return run_report([EXAMPLES / "blinken-2021-12"], Settings(), models=models)


@pytest.fixture(scope="module")
def austin(models):
    return run_report([EXAMPLES / "austin-dong-2024-04"], Settings(), models=models)


def _is_tuesday_vs_wednesday(finding) -> bool:
    sides = {finding.a.outlet: finding.a, finding.b.outlet: finding.b}
    bi = sides.get("Business Insider")
    other = finding.b if finding.a is bi else finding.a
    return (
        bi is not None
        and "tested negative on Tuesday" in bi.text
        and "tested negative on Wednesday in Kuala Lumpur" in other.text
    )


def test_blinken_reports_tuesday_against_wednesday_as_a_contradiction(blinken):
    hits = [
        f for f in blinken.findings if f.verdict == "contradiction" and _is_tuesday_vs_wednesday(f)
    ]
    assert hits, [f.explanation for f in blinken.findings]
    finding = hits[0]
    assert finding.check == "temporal"
    assert {finding.a.value, finding.b.value} == {"2021-12-14", "2021-12-15"}
    spans = {s["text"] for s in finding.a.spans + finding.b.spans}
    assert any("Tuesday" in s for s in spans) and any("Wednesday" in s for s in spans)


def test_blinken_flags_no_faithful_paraphrase_as_a_contradiction(blinken):
    others = [
        (f.check, f.a.text, f.b.text)
        for f in blinken.findings
        if f.verdict == "contradiction" and not _is_tuesday_vs_wednesday(f)
    ]
    assert others == []


def test_austin_versions_have_no_contradiction(austin):
    assert [f for f in austin.findings if f.verdict == "contradiction"] == []
    assert austin.stats["articles"] == 2


@pytest.mark.parametrize("bundle", ["blinken", "austin"])
def test_at_most_one_in_twenty_cross_outlet_pairs_reaches_nli(bundle, request):
    stats = request.getfixturevalue(bundle).stats
    assert stats["cross_outlet_pairs"] > 0
    assert stats["nli_pairs"] * 20 <= stats["cross_outlet_pairs"]


def test_json_report_follows_schema_v1(blinken):
    data = blinken.to_dict()
    assert data["schema"] == "crossclaim.report/v1"
    assert {"schema", "documents", "findings", "stats"} <= data.keys()
    assert len(data["documents"]) == 4 and data["findings"], "nothing to check the schema on"
    for f in data["findings"]:
        assert {
            "verdict",
            "check",
            "severity",
            "confidence",
            "fingerprint",
            "explanation",
            "a",
            "b",
        } <= f.keys()
        for side in (f["a"], f["b"]):
            assert {"outlet", "text", "start", "end"} <= side.keys()


def test_finding_offsets_point_at_the_sentences_in_their_articles(blinken):
    titles = {d.id: d.title for d in blinken.documents}
    assert blinken.findings, "no finding whose offsets could be checked"
    for f in blinken.findings:
        for side in (f.a, f.b):
            # a side made from an article's title has offsets into the title
            from_title = side.claim_id.endswith(":title")
            source = titles[side.article] if from_title else blinken.articles[side.article]
            assert source[side.start : side.end] == side.text
            for span in side.spans:
                assert source[span["start"] : span["end"]] == span["text"]


def test_blinken_contradiction_sides_carry_their_claim_kinds(blinken):
    kinds = sorted((f.a.kind, f.b.kind) for f in blinken.findings if _is_tuesday_vs_wednesday(f))
    assert kinds == [("bullet", "body")]


def test_blinken_shows_one_temporal_contradiction_with_both_business_insider_places(blinken):
    """Business Insider says Tuesday in its summary bullet (line 9) and in its body (line 13),
    each against the Wire story's line 11: one finding, the body listed as 'also at'."""
    temporal = [f for f in blinken.findings if f.check == "temporal"]
    assert len(temporal) == 1 and temporal[0].verdict == "contradiction"
    finding = temporal[0]
    sides = {finding.a.outlet: finding.a, finding.b.outlet: finding.b}
    assert (sides["Business Insider"].line, sides["Business Insider"].kind) == (9, "bullet")
    assert sides["Wire story"].line == 11
    assert finding.fingerprint == "11e171b8de905219"  # the bullet's, as before grouping
    [place] = finding.also_at
    assert (place.outlet, place.line, place.kind) == ("Business Insider", 13, "body")
    assert place.path.endswith("business-insider.md")
    assert place.text == "Blinken and senior staff tested negative on Tuesday, Price said."
    assert place.fingerprint == "d168d8a74e4aef76"
    assert blinken.articles[place.article][place.start : place.end] == place.text
    assert blinken.stats["findings"] == len(blinken.findings) == 1
    assert blinken.stats["contradictions"] == 1 and blinken.stats["grouped_findings"] == 1
    data = blinken.to_dict()["findings"][0]
    assert [p["fingerprint"] for p in data["also_at"]] == ["d168d8a74e4aef76"]


def test_austin_groups_nothing_and_stays_silent(austin):
    assert austin.findings == [] and austin.stats["grouped_findings"] == 0


def test_titles_are_claims_and_stats_count_kinds(blinken, austin):
    assert blinken.stats["claims_by_kind"]["title"] == 4
    assert blinken.stats["claims_by_kind"]["bullet"] == 3
    assert austin.stats["claims_by_kind"]["title"] == 2
    for report in (blinken, austin):
        assert sum(report.stats["claims_by_kind"].values()) == report.stats["claims"]
        assert set(report.stats["left_out"]) >= {"too_short", "no_content"}


def test_fingerprints_do_not_depend_on_input_order(models, blinken):
    files = sorted((EXAMPLES / "blinken-2021-12").glob("*.md"))
    files = [f for f in files if f.name.lower() != "readme.md"]
    reordered = run_report(list(reversed(files)), Settings(), models=models)
    fingerprints = {f.fingerprint for f in blinken.findings}
    assert fingerprints, "no finding: the order test would compare two empty sets"
    assert {f.fingerprint for f in reordered.findings} == fingerprints


def test_blinken_stats_say_which_nli_backend_ran_and_that_its_self_check_passed(blinken):
    nli = blinken.stats["nli"]
    assert nli["state"] == "ran", nli
    assert nli["model"].startswith("shipped:")
    assert nli["backend"] in ("onnx-fp32", "onnx", "hybrid", "transformers")
    assert nli["self_check"]["passed"] is True
    assert nli["self_check"]["max_diff"] <= nli["self_check"]["tolerance"]
