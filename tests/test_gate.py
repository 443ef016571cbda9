"""The gate's decision (new findings against the bar) and the ``gate``/``baseline`` commands."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pytest
from gate_report_factory import BLINKEN, blinken_report, copy_bundle
from typer.testing import CliRunner

from checker.cli.main import app
from checker.gate.baseline import Baseline, entry_for, load_baseline
from checker.gate.decide import EXIT_ERROR, EXIT_FAIL, EXIT_PASS, GateBar, evaluate_gate
from checker.report import Report
from claims.records import InputProblem


@pytest.fixture(scope="module")
def report() -> Report:
    return blinken_report()


def by_check(report: Report, check: str):
    return next(f for f in report.findings if f.check == check)


def test_a_new_contradiction_fails_at_the_default_bar(report: Report) -> None:
    result = evaluate_gate(report.findings, Baseline(), GateBar())
    assert result.exit_code == EXIT_FAIL
    assert [f.check for f in result.failing] == ["temporal"]
    assert [f.check for f in result.below_bar] == ["place"]


def test_every_finding_in_the_baseline_passes(report: Report) -> None:
    baseline = Baseline([entry_for(f, who="", when="", why="") for f in report.findings])
    result = evaluate_gate(report.findings, baseline, GateBar("divergence"))
    assert result.exit_code == EXIT_PASS and result.new == []
    assert len(result.baselined) == 2


def test_fail_on_divergence_also_fails_on_divergences(report: Report) -> None:
    baseline = Baseline([entry_for(by_check(report, "temporal"), who="", when="", why="")])
    assert evaluate_gate(report.findings, baseline, GateBar("contradiction")).exit_code == EXIT_PASS
    result = evaluate_gate(report.findings, baseline, GateBar("divergence"))
    assert result.exit_code == EXIT_FAIL and [f.check for f in result.failing] == ["place"]


def test_min_severity_raises_the_bar(report: Report) -> None:
    low_place = GateBar("divergence", "medium")
    result = evaluate_gate([by_check(report, "place")], Baseline(), low_place)
    assert result.exit_code == EXIT_PASS and len(result.below_bar) == 1
    high = evaluate_gate([by_check(report, "temporal")], Baseline(), GateBar(min_severity="high"))
    assert high.exit_code == EXIT_FAIL


def test_an_unreadable_input_exits_2_unless_allowed(report: Report) -> None:
    problem = [InputProblem("news/x.json", "not valid JSON (line 1, column 1)")]
    baseline = Baseline([entry_for(f, who="", when="", why="") for f in report.findings])
    strict = evaluate_gate(report.findings, baseline, GateBar(), problems=problem, articles_read=4)
    assert strict.exit_code == EXIT_ERROR
    allowed = evaluate_gate(
        report.findings,
        baseline,
        GateBar(),
        problems=problem,
        allow_input_problems=True,
        articles_read=4,
    )
    assert allowed.exit_code == EXIT_PASS


def test_no_article_read_exits_2() -> None:
    result = evaluate_gate([], Baseline(), GateBar(), articles_read=0, allow_input_problems=True)
    assert result.exit_code == EXIT_ERROR


def test_baseline_entries_not_seen_are_listed_as_stale(report: Report) -> None:
    baseline = Baseline([entry_for(f, who="", when="", why="") for f in report.findings])
    result = evaluate_gate([by_check(report, "place")], baseline, GateBar())
    assert [e.check for e in result.stale] == ["temporal"]


def test_the_same_finding_twice_counts_once(report: Report) -> None:
    headline = by_check(report, "temporal")
    result = evaluate_gate([headline, headline], Baseline(), GateBar())
    assert len(result.failing) == 1


def test_an_unknown_bar_is_refused() -> None:
    with pytest.raises(ValueError, match="fail_on must be one of"):
        GateBar("anything")


# --- the commands (the pipeline is replaced by the hand-made report: no models loaded) ---------


@pytest.fixture
def fake_pipeline(monkeypatch: pytest.MonkeyPatch) -> list[list[Path]]:
    """Make ``run_report`` read the bundle with the real reader and return the hand-made
    Blinken findings; record which bundles it was called with."""
    import checker.pipeline

    calls: list[list[Path]] = []

    def run_report(paths: Sequence[Path], settings, *, models=None, cache=None, progress=False):  # noqa: ANN001
        calls.append(list(paths))
        if any(p.is_dir() and not any(p.glob("*.md")) for p in paths):
            return Report(documents=[], findings=[], stats={}, problems=[])
        return blinken_report(paths)

    monkeypatch.setattr(checker.pipeline, "run_report", run_report)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    return calls


def invoke(*args: str):
    return CliRunner().invoke(app, list(args))


def test_gate_command_exits_1_on_the_headline_and_writes_every_format(
    tmp_path: Path, fake_pipeline: list[list[Path]]
) -> None:
    junit, sarif, summary = tmp_path / "j.xml", tmp_path / "s.sarif", tmp_path / "sum.md"
    result = invoke(
        "gate", str(BLINKEN), "--no-cache", "--junit", str(junit), "--sarif", str(sarif),
        "--summary", str(summary), "--github-annotations",
    )  # fmt: skip
    assert result.exit_code == EXIT_FAIL, result.output
    assert "::error file=" in result.stdout and "FAIL " in result.stdout
    assert ET.parse(junit).getroot().get("failures") == "1"
    assert json.loads(sarif.read_text())["runs"][0]["results"][0]["ruleId"] == "crossclaim/temporal"
    assert "failed: 1 new finding(s)" in summary.read_text()
    assert fake_pipeline == [[BLINKEN]]


def test_baseline_command_then_gate_passes_and_keeps_dismissals(
    tmp_path: Path, fake_pipeline: list[list[Path]]
) -> None:
    path = tmp_path / "baseline.json"
    made = invoke("baseline", str(BLINKEN), "--no-cache", "--output", str(path), "--who", "desk")
    assert made.exit_code == 0, made.output
    assert "2 new entries, 2 in all" in made.stdout
    data = json.loads(path.read_text())
    data["accepted"][0]["status"] = "dismissed"
    data["accepted"][0]["why"] = "wire story updated"
    path.write_text(json.dumps(data))

    renamed = copy_bundle(tmp_path / "again", rename={"wire.md": "zz-wire.md"})
    gate = invoke(
        "gate", str(renamed), "--no-cache", "--baseline", str(path), "--fail-on", "divergence"
    )
    assert gate.exit_code == EXIT_PASS, gate.output

    again = invoke("baseline", str(renamed), "--no-cache", "--output", str(path))
    assert "0 new entries, 2 in all" in again.stdout
    entry = load_baseline(path).accepted[0]
    assert (entry.status, entry.why, entry.who) == ("dismissed", "wire story updated", "desk")


def test_gate_appends_to_the_github_step_summary(
    tmp_path: Path, fake_pipeline: list[list[Path]], monkeypatch: pytest.MonkeyPatch
) -> None:
    step_summary = tmp_path / "step.md"
    step_summary.write_text("earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(step_summary))
    invoke("gate", str(BLINKEN), "--no-cache")
    text = step_summary.read_text()
    assert text.startswith("earlier step\n## crossclaim gate:")


def test_each_folder_is_its_own_bundle_and_files_form_one(
    tmp_path: Path, fake_pipeline: list[list[Path]]
) -> None:
    other = copy_bundle(tmp_path / "other")
    files = sorted(BLINKEN.glob("*.md"))[:2]
    invoke("gate", str(BLINKEN), str(other), *map(str, files), "--no-cache")
    assert fake_pipeline == [[BLINKEN], [other], files]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--fail-on", "everything"], "Invalid value for '--fail-on'"),
        (["--min-severity", "critical"], "Invalid value for '--min-severity'"),
        (["--baseline", "/nonexistent/baseline.json"], "cannot read baseline"),
    ],
)
def test_usage_errors_exit_2(
    args: list[str], message: str, fake_pipeline: list[list[Path]]
) -> None:
    result = invoke("gate", str(BLINKEN), "--no-cache", *args)
    assert result.exit_code == EXIT_ERROR
    assert message in result.output


def test_article_text_cannot_start_a_workflow_command_in_the_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import checker.pipeline

    report = blinken_report()
    headline = report.sorted_findings()[0]
    report.findings = [
        replace(headline, a=replace(headline.a, value="Tuesday\n::error::owned\r\n::add-mask::x"))
    ]
    monkeypatch.setattr(checker.pipeline, "run_report", lambda *a, **k: report)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    result = invoke("gate", str(BLINKEN), "--no-cache", "--github-annotations")
    assert result.exit_code == EXIT_FAIL
    lines = result.stdout.splitlines()
    commands = [line for line in lines if line.startswith("::")]
    assert len(commands) == 1 and commands[0].startswith("::error file=")
    assert any(" FAIL " in line and "::error::owned" in line for line in lines)


def test_an_unusable_cache_folder_only_warns(
    tmp_path: Path, fake_pipeline: list[list[Path]]
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    result = invoke("gate", str(BLINKEN), "--cache-dir", str(blocker))
    assert result.exit_code == EXIT_FAIL
    assert "cannot use the cache" in result.output


def test_a_bundle_with_no_article_exits_2(tmp_path: Path, fake_pipeline: list[list[Path]]) -> None:
    (tmp_path / "empty").mkdir()
    result = invoke("gate", str(tmp_path / "empty"), "--no-cache")
    assert result.exit_code == EXIT_ERROR
    assert "no article could be read" in result.output


def test_baseline_command_refuses_to_overwrite_a_corrupt_file(
    tmp_path: Path, fake_pipeline: list[list[Path]]
) -> None:
    path = tmp_path / "baseline.json"
    path.write_text("{broken")
    result = invoke("baseline", str(BLINKEN), "--no-cache", "--output", str(path))
    assert result.exit_code == EXIT_ERROR and "not overwritten" in result.output
    assert path.read_text() == "{broken"


@pytest.mark.slow
def test_gate_on_the_real_example_fails_then_passes_with_its_baseline(
    tmp_path: Path, models, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real pipeline (rule checks, models shared with the session) end to end."""
    import checker.pipeline

    monkeypatch.setattr(checker.pipeline, "load_models", lambda settings: models)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    cache, baseline = str(tmp_path / "cache"), tmp_path / "baseline.json"
    sarif = tmp_path / "out.sarif"
    first = invoke(
        "gate", str(BLINKEN), "--no-nli", "--cache-dir", cache, "--sarif", str(sarif)
    )  # fmt: skip
    assert first.exit_code == EXIT_FAIL, first.output
    results = json.loads(sarif.read_text())["runs"][0]["results"]
    assert any(
        r["ruleId"] == "crossclaim/temporal"
        and {r["properties"]["aValue"], r["properties"]["bValue"]} == {"2021-12-14", "2021-12-15"}
        for r in results
    )
    made = invoke("baseline", str(BLINKEN), "--no-nli", "--cache-dir", cache, "-o", str(baseline))
    assert made.exit_code == 0, made.output
    renamed = copy_bundle(tmp_path / "reingested", rename={"wire.md": "0-wire.md"})
    second = invoke(
        "gate", str(renamed), "--no-nli", "--cache-dir", cache, "--baseline", str(baseline)
    )
    assert second.exit_code == EXIT_PASS, second.output


def test_the_example_workflow_uses_only_options_the_gate_has() -> None:
    import re

    import yaml

    workflow = yaml.safe_load((BLINKEN.parent / "ci" / "crossclaim-gate.yml").read_text())
    steps = workflow["jobs"]["gate"]["steps"]
    script = next(s["run"] for s in steps if "crossclaim gate" in s.get("run", ""))
    used = set(re.findall(r"(--[a-z][a-z-]+)", script.split("crossclaim gate", 1)[1]))
    help_text = invoke("gate", "--help").output
    assert used and all(option in help_text for option in used), used
    assert "--sarif" in script and "--github-annotations" in script
    # the baseline and the bar come from the .crossclaim.toml that `crossclaim init` writes
    from checker.cli.init import STARTER_CONFIG

    assert "--baseline" not in script and 'baseline = "' in STARTER_CONFIG
