"""Near-identical findings (an outlet's summary bullet and body sentence saying the same thing,
each against the same sentence of another outlet) are grouped under one finding that lists the
other place (issue 14). Built by hand on the real Blinken articles: no models are loaded."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import replace
from io import StringIO

import pytest
from gate_report_factory import BLINKEN, HEADLINE_BI, HEADLINE_WIRE, claim_at, report_for, word_span
from rich.console import Console
from typer.testing import CliRunner

import checker.pipeline
from checker.cli.main import app
from checker.compare import finding_from_hit
from checker.findings import Finding, group_near_identical, grouped_count
from checker.gate.baseline import Baseline, entry_for, merge_baseline, write_baseline
from checker.gate.decide import EXIT_PASS, GateBar, evaluate_gate
from checker.gate.formats import github_annotations, junit_xml, markdown_summary, sarif_log
from checker.render.html import render_html
from checker.render.markdown import render_markdown
from checker.render.terminal import render_terminal, summary_line
from checker.settings import Settings
from claims.readers import read_bundle
from claims.records import Article
from rules.base import RuleHit

BULLET_BI = "Blinken and senior staff tested negative on Tuesday, the State Department said."
RATIO = Settings().group_min_ratio


@pytest.fixture(scope="module")
def articles() -> dict[str, Article]:
    read, problems = read_bundle([BLINKEN])
    assert problems == []
    return {a.outlet: a for a in read}


def finding(
    a: Article,
    a_sentence: str,
    a_word: str,
    a_value: str,
    b: Article,
    b_sentence: str,
    b_word: str,
    b_value: str,
    *,
    a_id: str,
    b_id: str,
    a_kind: str = "body",
) -> Finding:
    """A temporal contradiction between two sentences, each claim with its own id and kind."""
    ca, cb = claim_at(a, a_sentence, a_id), claim_at(b, b_sentence, b_id)
    hit = RuleHit(
        check="temporal",
        verdict="contradiction",
        severity="high",
        confidence=0.9,
        explanation=f"{a.outlet} and {b.outlet} disagree: {a_word} vs {b_word}.",
        a_spans=(word_span(a, ca, a_word),),
        b_spans=(word_span(b, cb, b_word),),
        a_value=a_value,
        b_value=b_value,
    )
    f = finding_from_hit(hit, ca, cb, {a.id: a, b.id: b}, "cluster-1", None)
    kinds = {a_id: a_kind}
    return replace(
        f,
        a=replace(f.a, kind=kinds.get(f.a.claim_id, "body")),
        b=replace(f.b, kind=kinds.get(f.b.claim_id, "body")),
    )


@pytest.fixture(scope="module")
def pair(articles: dict[str, Article]) -> tuple[Finding, Finding]:
    """Business Insider's bullet (line 9) and body (line 13), each against the Wire's line 11."""
    bi, wire = articles["Business Insider"], articles["Wire story"]
    bullet = finding(
        bi, BULLET_BI, "Tuesday", "2021-12-14", wire, HEADLINE_WIRE, "Wednesday", "2021-12-15",
        a_id="bi:bullet", b_id="wire:11", a_kind="bullet",
    )  # fmt: skip
    body = finding(
        wire, HEADLINE_WIRE, "Wednesday", "2021-12-15", bi, HEADLINE_BI, "Tuesday", "2021-12-14",
        a_id="wire:11", b_id="bi:body",
    )  # fmt: skip
    return bullet, body


@pytest.fixture(scope="module")
def grouped(pair: tuple[Finding, Finding]) -> Finding:
    [one] = group_near_identical(reversed(pair), RATIO)
    return one


def test_a_bullet_and_its_body_sentence_are_one_finding(pair, grouped: Finding) -> None:
    bullet, body = pair
    assert bullet.fingerprint != body.fingerprint
    assert grouped.fingerprint == bullet.fingerprint  # the first in report order, unchanged
    assert (grouped.a.line, grouped.a.kind, grouped.b.line) == (9, "bullet", 11)
    [place] = grouped.also_at
    assert (place.side, place.outlet, place.line, place.kind) == (
        "a",
        "Business Insider",
        13,
        "body",
    )
    assert place.path.endswith("business-insider.md") and place.text.strip() == HEADLINE_BI
    assert place.fingerprint == body.fingerprint
    assert grouped.fingerprints() == [bullet.fingerprint, body.fingerprint]
    assert grouped_count([grouped]) == 1
    # grouping is idempotent and does not depend on the input order
    assert group_near_identical([grouped], RATIO) == [grouped]
    assert group_near_identical(pair, RATIO) == [grouped]


def test_to_dict_carries_the_places_and_leaves_them_out_when_none(pair, grouped) -> None:
    data = grouped.to_dict()
    assert [(p["path"].rsplit("/", 1)[-1], p["line"], p["kind"]) for p in data["also_at"]] == [
        ("business-insider.md", 13, "body")
    ]
    assert data["also_at"][0]["fingerprint"] == pair[1].fingerprint
    assert "also_at" not in pair[0].to_dict()
    json.dumps(data)  # plain JSON


def test_no_grouping_when_the_values_differ(pair) -> None:
    bullet, body = pair
    other_day = replace(body, b=replace(body.b, value="2021-12-13"), fingerprint="other-day")
    assert len(group_near_identical([bullet, other_day], RATIO)) == 2
    other_check = replace(body, check="numeric", fingerprint="other-check")
    assert len(group_near_identical([bullet, other_check], RATIO)) == 2
    other_verdict = replace(body, verdict="divergence", fingerprint="other-verdict")
    assert len(group_near_identical([bullet, other_verdict], RATIO)) == 2


def test_no_grouping_across_different_outlet_pairs(articles, pair) -> None:
    bullet, _ = pair
    bi, cbs = articles["Business Insider"], articles["CBS News"]
    against_cbs = finding(
        bi, HEADLINE_BI, "Tuesday", "2021-12-14",
        cbs, "The secretary of state and senior staff", "Kuala Lumpur", "2021-12-15",
        a_id="bi:body", b_id="cbs:1",
    )  # fmt: skip
    assert len(group_near_identical([bullet, against_cbs], RATIO)) == 2


def test_no_grouping_when_the_sentences_are_not_near_identical(articles, pair) -> None:
    bullet, _ = pair
    bi, wire = articles["Business Insider"], articles["Wire story"]
    lead = "Secretary of State Antony Blinken on Wednesday abruptly ended a trip"
    unlike = finding(
        bi, lead, "Wednesday", "2021-12-14", wire, HEADLINE_WIRE, "Wednesday", "2021-12-15",
        a_id="bi:lead", b_id="wire:11",
    )  # fmt: skip
    assert len(group_near_identical([bullet, unlike], RATIO)) == 2


def test_the_ratio_is_a_setting(pair) -> None:
    assert len(group_near_identical(pair, 100.0)) == 2  # only identical wording groups
    with pytest.raises(ValueError, match="group_min_ratio"):
        Settings(group_min_ratio=101)


def test_a_baseline_of_the_second_members_fingerprint_covers_the_group(pair, grouped) -> None:
    _, body = pair
    entry = entry_for(body, who="ed", when="2021-12-16T00:00:00Z", why="known before grouping")
    result = evaluate_gate([grouped], Baseline([entry]), GateBar())
    assert result.exit_code == EXIT_PASS
    assert result.failing == [] and result.baselined == [(grouped, entry)]
    assert result.stale == []
    merged, added = merge_baseline(Baseline([entry]), [grouped], who="bot", when="", why="")
    assert added == 0 and merged.accepted == [entry]
    pruned, _ = merge_baseline(Baseline([entry]), [grouped], who="b", when="", why="", prune=True)
    assert pruned.accepted == [entry]


def test_ci_formats_have_one_entry_per_group(pair, grouped) -> None:
    result = evaluate_gate([grouped], Baseline(), GateBar())
    cases = ET.fromstring(junit_xml(result)).iter("testcase")
    [case] = list(cases)
    failure = case.find("failure")
    assert failure is not None and "also at business-insider.md:13 (body)" in failure.get(
        "message", ""
    )
    assert pair[1].fingerprint in (failure.text or "")
    [item] = sarif_log(result)["runs"][0]["results"]
    related = item["relatedLocations"]
    assert [r["id"] for r in related] == [1, 2]
    assert related[1]["physicalLocation"]["region"]["startLine"] == 13
    assert related[1]["message"]["text"].startswith("also at (body): Business Insider")
    assert item["properties"]["groupedFingerprints"] == [pair[1].fingerprint]
    [annotation] = github_annotations(result)
    assert "also at business-insider.md:13 (body)" in annotation
    summary = markdown_summary(result)
    assert summary.count("#### temporal contradiction") == 1
    assert "- also at " in summary and "line 13 (body" in summary


def test_renderers_show_where_else_and_escape_the_text(articles, grouped) -> None:
    hostile = "<script>alert(1)</script> *bold* [x](y)"
    place = replace(grouped.also_at[0], text=hostile)
    report = report_for(list(articles.values()), [replace(grouped, also_at=[place])])
    report.stats.update(contradictions=1, grouped_findings=1)
    out = StringIO()
    render_terminal(report, Console(file=out, width=200), color=False, panels=False)
    text = out.getvalue()
    assert "  also at " in text and "business-insider.md:13 (body): " in text
    assert "1 contradiction(s), 0 divergence(s); 1 near-identical finding(s) grouped." in text
    markdown = render_markdown(report)
    assert "business-insider.md:13 (body): \\<script\\>" in markdown
    assert "<script>" not in markdown
    page = render_html(report)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert "also at <code>" in page and "1 near-identical grouped" in page


def test_summary_line_says_how_many_were_grouped() -> None:
    assert summary_line({"contradictions": 1}).endswith("0 divergence(s).")
    line = summary_line({"contradictions": 1, "grouped_findings": 2})
    assert line.endswith("; 2 near-identical finding(s) grouped.")


def test_gate_command_passes_on_a_baseline_written_before_grouping(
    articles, pair, grouped, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A baseline that accepted the body's finding (written when bullet and body were two
    findings) keeps the gate quiet now that they are one, and is not reported stale."""
    report = report_for(list(articles.values()), [grouped])
    monkeypatch.setattr(checker.pipeline, "run_report", lambda *args, **kwargs: report)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    baseline = tmp_path / "baseline.json"
    write_baseline(baseline, Baseline([entry_for(pair[1], who="ed", when="", why="known")]))
    sarif = tmp_path / "out.sarif"
    args = ["gate", str(BLINKEN), "--no-cache", "--baseline", str(baseline), "--sarif", str(sarif)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == EXIT_PASS, result.output
    assert "0 failing" in result.output and "1 in the baseline" in result.output
    [item] = json.loads(sarif.read_text())["runs"][0]["results"]
    assert item["baselineState"] == "unchanged" and item["suppressions"]
    without = CliRunner().invoke(app, args[:3] + ["--sarif", str(sarif)])
    assert without.exit_code == 1, without.output
