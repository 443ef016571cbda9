"""The ``crossclaim report`` command as a user runs it (models shared via the pipeline cache)."""

from __future__ import annotations

import json

from example_paths import EXAMPLES
from typer.testing import CliRunner

from checker.cli.main import app

runner = CliRunner()

GOOD = """---
outlet: Daily Planet
published: 2024-03-05T09:00:00+00:00
title: Bridge reopens
---
The Harbour Bridge reopened to traffic on Monday after four weeks of repairs, the city said.
"""


def test_report_json_on_the_blinken_bundle_has_the_headline_contradiction(tmp_path):
    out = tmp_path / "report.json"
    result = runner.invoke(
        app,
        [
            "report",
            str(EXAMPLES / "blinken-2021-12"),
            "--format",
            "json",
            "--output",
            str(out),
            "--quiet",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["schema"] == "crossclaim.report/v1"
    assert any(
        f["verdict"] == "contradiction"
        and {f["a"]["value"], f["b"]["value"]} == {"2021-12-14", "2021-12-15"}
        for f in data["findings"]
    )
    assert all(f["a"]["kind"] in ("title", "bullet", "body") for f in data["findings"])
    assert data["stats"]["claims_by_kind"]["title"] == 4
    assert "left_out" in data["stats"]


def test_report_terminal_summary_counts_claims_per_kind_and_left_out(tmp_path):
    (tmp_path / "a.md").write_text(
        GOOD + "\nPhoto: Reuters\n\nTraffic resumed at noon\n", encoding="utf-8"
    )
    result = runner.invoke(app, ["report", str(tmp_path / "a.md"), "--no-nli", "--quiet"])
    assert result.exit_code == 0, result.output
    # the two-word title "Bridge reopens" is too short; the photo credit has no content
    summary = "Claims: 0 title, 0 bullet, 2 body; left out: 1 no content, 1 too short."
    assert summary in result.stdout


def test_report_markdown_shows_both_sentences(tmp_path):
    result = runner.invoke(
        app,
        [
            "report",
            str(EXAMPLES / "blinken-2021-12"),
            "--format",
            "markdown",
            "--quiet",
            "--no-nli",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "tested negative on **Tuesday**" in result.stdout
    assert "**Wednesday**" in result.stdout


def test_unreadable_files_get_one_line_each_and_the_rest_is_still_checked(tmp_path):
    (tmp_path / "good.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / "binary.md").write_bytes(b"\x00\x01\x02\xff" * 50)
    (tmp_path / "empty.json").write_text("", encoding="utf-8")
    (tmp_path / "broken.json").write_text('{"outlet": "X", "text": ', encoding="utf-8")
    result = runner.invoke(app, ["report", str(tmp_path), "--format", "json", "--no-nli"])
    assert result.exit_code == 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 3
    for name in ("binary.md", "empty.json", "broken.json"):
        assert sum(name in line for line in errors) == 1
    assert "Traceback" not in result.output
    data = json.loads(result.stdout)
    assert [d["outlet"] for d in data["documents"]] == ["Daily Planet"]


def test_exit_code_is_2_when_nothing_could_be_read(tmp_path):
    (tmp_path / "binary.txt").write_bytes(b"\x00\xff" * 10)
    result = runner.invoke(app, ["report", str(tmp_path), "--no-nli", "--quiet"])
    assert result.exit_code == 2
    assert "binary.txt" in result.stderr


def test_missing_outlet_and_date_are_warned_about(tmp_path):
    (tmp_path / "nameless-outlet.md").write_text(
        "The council approved the budget on Friday.\n", encoding="utf-8"
    )
    (tmp_path / "good.md").write_text(GOOD, encoding="utf-8")
    result = runner.invoke(app, ["report", str(tmp_path), "--format", "json", "--no-nli"])
    assert result.exit_code == 0
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert any("nameless-outlet.md" in w and "outlet" in w for w in warnings)
    assert any("nameless-outlet.md" in w and "date" in w for w in warnings)
