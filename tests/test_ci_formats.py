"""CI outputs: JUnit XML, SARIF 2.1.0, GitHub annotations and the Markdown job summary."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from gate_report_factory import BLINKEN, ROOT, blinken_report, make_finding, report_for

from checker.gate.baseline import Baseline, entry_for
from checker.gate.decide import GateBar, GateResult, evaluate_gate
from checker.gate.formats import (
    FINGERPRINT_KEY,
    MAX_ANNOTATIONS,
    github_annotations,
    junit_xml,
    markdown_summary,
    sarif_log,
)
from claims.records import Article, InputProblem

# The parts of the SARIF 2.1.0 schema (OASIS, sarif-schema-2.1.0.json) that GitHub code scanning
# and other consumers rely on, written out here because nothing may be downloaded.
SARIF_SUBSET_SCHEMA = {
    "type": "object",
    "required": ["version", "runs"],
    "properties": {
        "$schema": {"type": "string", "format": "uri"},
        "version": {"enum": ["2.1.0"]},
        "runs": {"type": "array", "minItems": 1, "items": {"$ref": "#/definitions/run"}},
    },
    "definitions": {
        "message": {
            "type": "object",
            "anyOf": [{"required": ["text"]}, {"required": ["id"]}],
            "properties": {"text": {"type": "string"}, "id": {"type": "string"}},
        },
        "run": {
            "type": "object",
            "required": ["tool"],
            "properties": {
                "tool": {
                    "type": "object",
                    "required": ["driver"],
                    "properties": {
                        "driver": {
                            "type": "object",
                            "required": ["name"],
                            "properties": {
                                "name": {"type": "string"},
                                "version": {"type": "string"},
                                "rules": {
                                    "type": "array",
                                    "uniqueItems": True,
                                    "items": {
                                        "type": "object",
                                        "required": ["id"],
                                        "properties": {
                                            "id": {"type": "string"},
                                            "shortDescription": {"$ref": "#/definitions/message"},
                                            "defaultConfiguration": {
                                                "type": "object",
                                                "properties": {
                                                    "level": {"$ref": "#/definitions/level"}
                                                },
                                            },
                                        },
                                    },
                                },
                            },
                        }
                    },
                },
                "invocations": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["executionSuccessful"],
                        "properties": {
                            "executionSuccessful": {"type": "boolean"},
                            "exitCode": {"type": "integer"},
                            "toolExecutionNotifications": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "required": ["message"],
                                    "properties": {"message": {"$ref": "#/definitions/message"}},
                                },
                            },
                        },
                    },
                },
                "results": {"type": "array", "items": {"$ref": "#/definitions/result"}},
                "columnKind": {"enum": ["utf16CodeUnits", "unicodeCodePoints"]},
            },
        },
        "level": {"enum": ["none", "note", "warning", "error"]},
        "location": {
            "type": "object",
            "properties": {
                "physicalLocation": {
                    "type": "object",
                    "properties": {
                        "artifactLocation": {
                            "type": "object",
                            "properties": {
                                "uri": {"type": "string", "format": "uri-reference"},
                                "uriBaseId": {"type": "string"},
                            },
                        },
                        "region": {
                            "type": "object",
                            "properties": {"startLine": {"type": "integer", "minimum": 1}},
                        },
                    },
                },
                "message": {"$ref": "#/definitions/message"},
            },
        },
        "result": {
            "type": "object",
            "required": ["message"],
            "properties": {
                "ruleId": {"type": "string"},
                "ruleIndex": {"type": "integer", "minimum": -1},
                "kind": {
                    "enum": ["notApplicable", "pass", "fail", "review", "open", "informational"]
                },
                "level": {"$ref": "#/definitions/level"},
                "message": {"$ref": "#/definitions/message"},
                "locations": {"type": "array", "items": {"$ref": "#/definitions/location"}},
                "partialFingerprints": {
                    "type": "object",
                    "additionalProperties": {"type": "string"},
                },
                "baselineState": {"enum": ["new", "unchanged", "updated", "absent"]},
                "suppressions": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["kind"],
                        "properties": {
                            "kind": {"enum": ["inSource", "external"]},
                            "status": {"enum": ["accepted", "underReview", "rejected"]},
                            "justification": {"type": "string"},
                        },
                    },
                },
                "properties": {"type": "object"},
            },
        },
    },
}


@pytest.fixture(scope="module")
def report():
    return blinken_report()


@pytest.fixture(scope="module")
def mixed(report) -> GateResult:
    """Headline contradiction new and failing; the place divergence baselined (dismissed)."""
    lesser = next(f for f in report.findings if f.check == "place")
    entry = entry_for(
        lesser, who="ana", when="2021-12-16T09:00:00Z", why="same city", status="dismissed"
    )
    return evaluate_gate(
        report.findings,
        Baseline([entry]),
        GateBar(),
        problems=[InputProblem("news/broken.json", "not valid JSON (line 1, column 2)")],
        allow_input_problems=True,
        articles_read=4,
    )


def hostile_result(n: int = 1) -> GateResult:
    """Findings whose article text carries markup, control characters and workflow commands."""
    text = (
        "Officials said <script>alert('x')</script> | *all* tested negative on Tuesday.\n"
        "::error::injected %0A \x00\x1b[31m"
    )
    a = Article("a", "Outlet <A>", text, "news/a.md", line=1)
    b = Article("b", "Outlet, B: two", text.replace("Tuesday", "Wednesday"), "news/b,c.md", line=4)
    findings = []
    for i in range(n):
        f = make_finding(
            a,
            "Officials said",
            "Tuesday",
            b,
            "Officials said",
            "Wednesday",
            a_value="Tuesday\n::error::injected %0A | <b>x</b>",
        )
        f.fingerprint = f"{i:016x}"
        findings.append(f)
    return evaluate_gate(findings, Baseline(), GateBar(), articles_read=2)


def test_junit_fails_new_findings_and_skips_baselined_ones(mixed: GateResult) -> None:
    root = ET.fromstring(junit_xml(mixed).encode())
    assert (
        root.get("tests"),
        root.get("failures"),
        root.get("skipped"),
        root.get("errors"),
    ) == (
        "3",
        "1",
        "1",
        "1",
    )
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None and "Wednesday" in failure.text and "Tuesday" in failure.text
    skipped = root.find("testsuite/testcase/skipped")
    assert skipped is not None and skipped.get("message") == "dismissed by ana: same city"
    error = root.find("testsuite/testcase/error")
    assert error.get("message") == "not valid JSON (line 1, column 2)"


def test_junit_stays_well_formed_with_hostile_article_text() -> None:
    root = ET.fromstring(junit_xml(hostile_result()).encode())
    failure = root.find("testsuite/testcase/failure")
    assert "<script>alert('x')</script>" in failure.text
    assert "\x00" not in failure.text


def test_junit_of_a_clean_run_has_one_passing_test() -> None:
    root = ET.fromstring(junit_xml(evaluate_gate([], Baseline(), GateBar())))
    assert root.get("tests") == "1" and root.get("failures") == "0"


def test_sarif_has_stable_rule_ids_fingerprints_and_baseline_states(
    mixed: GateResult,
) -> None:
    log = sarif_log(mixed, root=ROOT)
    run = log["runs"][0]
    assert log["version"] == "2.1.0"
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == [
        "crossclaim/place",
        "crossclaim/temporal",
    ]
    by_rule = {r["ruleId"]: r for r in run["results"]}
    headline, lesser = by_rule["crossclaim/temporal"], by_rule["crossclaim/place"]
    assert headline["level"] == "error" and headline["baselineState"] == "new"
    assert headline["partialFingerprints"] == {FINGERPRINT_KEY: mixed.failing[0].fingerprint}
    assert lesser["baselineState"] == "unchanged"
    assert lesser["suppressions"][0]["kind"] == "external"
    assert "same city" in lesser["suppressions"][0]["justification"]
    assert (
        run["invocations"][0]["toolExecutionNotifications"][0]["locations"][0]["physicalLocation"][
            "artifactLocation"
        ]["uri"]
        == "news/broken.json"
    )


def test_sarif_locations_point_at_the_sentences_lines_in_the_article_files(
    mixed: GateResult,
) -> None:
    result = next(
        r for r in sarif_log(mixed, root=ROOT)["runs"][0]["results"] if r["level"] == "error"
    )
    finding = mixed.failing[0]
    locations = [*result["locations"], *result["relatedLocations"]]
    for location, side in zip(locations, (finding.a, finding.b), strict=True):
        physical = location["physicalLocation"]
        uri = physical["artifactLocation"]["uri"]
        assert not uri.startswith("/") and uri.startswith("examples/blinken-2021-12/")
        lines = (ROOT / uri).read_text(encoding="utf-8").splitlines()
        line = lines[physical["region"]["startLine"] - 1]
        assert side.text[:40] in line


def test_sarif_validates_against_the_sarif_schema_subset(mixed: GateResult) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    log = json.loads(json.dumps(sarif_log(mixed, root=ROOT)))
    jsonschema.validate(log, SARIF_SUBSET_SCHEMA, format_checker=jsonschema.FormatChecker())
    jsonschema.validate(
        sarif_log(hostile_result()), SARIF_SUBSET_SCHEMA, format_checker=jsonschema.FormatChecker()
    )


def test_sarif_uses_the_record_line_of_a_jsonl_source(tmp_path: Path) -> None:
    a = Article("a", "A", "They tested negative on Tuesday.", f"{tmp_path}/in.jsonl:7", line=7)
    b = Article("b", "B", "They tested negative on Wednesday.", f"{tmp_path}/in.jsonl:8", line=8)
    f = make_finding(a, "They tested", "Tuesday", b, "They tested", "Wednesday")
    location = sarif_log(evaluate_gate([f], Baseline(), GateBar()), root=tmp_path)["runs"][0][
        "results"
    ][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "in.jsonl"
    assert location["region"]["startLine"] in (7, 8)


def test_annotations_stop_at_ten_then_say_how_many_more() -> None:
    lines = github_annotations(hostile_result(14))
    assert len(lines) == MAX_ANNOTATIONS + 1
    assert all(line.startswith("::error file=news/a.md,line=1,") for line in lines[:-1])
    assert lines[-1] == "::notice::4 more crossclaim finding(s) not annotated; see the job summary."


def test_article_text_cannot_inject_a_workflow_command() -> None:
    (line,) = github_annotations(hostile_result())
    assert "\n" not in line and "\r" not in line
    assert line.count("::") == 4  # "::error ...::message" plus the literal text "::error::"
    assert "Tuesday%0A::error::injected %250A" in line
    assert "title=crossclaim temporal contradiction::" in line


def test_annotation_properties_escape_commas_and_colons() -> None:
    a = Article("a", "A", "They tested negative on Tuesday.", "news/a,b: c.md", line=2)
    b = Article("b", "B", "They tested negative on Wednesday.", "news/b.md", line=3)
    f = make_finding(a, "They tested", "Tuesday", b, "They tested", "Wednesday")
    (line,) = github_annotations(evaluate_gate([f], Baseline(), GateBar()))
    assert line.startswith("::error file=news/a%2Cb%3A c.md,line=2,")


def test_input_problems_are_annotated_as_errors(mixed: GateResult) -> None:
    assert github_annotations(mixed)[0].startswith(
        "::error file=news/broken.json,title=crossclaim%3A unreadable input::not valid JSON"
    )


def test_markdown_summary_lists_new_findings_and_escapes_article_text() -> None:
    text = markdown_summary(hostile_result())
    assert "failed: 1 new finding(s)" in text
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert "Outlet &lt;A&gt;" in text
    row = next(line for line in text.splitlines() if line.startswith("| fails |"))
    assert row.count(" | ") == 5  # the article's "|" is escaped, so the row keeps six cells
    assert "\\|" in row


def test_markdown_summary_counts_baselined_dismissed_and_unreadable(mixed: GateResult) -> None:
    text = markdown_summary(mixed)
    assert "| in the baseline (quiet) | 1 (1 dismissed) |" in text
    assert "| unreadable inputs | 1 |" in text
    assert "news/broken.json: not valid JSON" in text
    assert "| articles read | 4 |" in text


def test_markdown_summary_of_a_clean_run_says_passed(report) -> None:
    baseline = Baseline([entry_for(f, who="", when="", why="") for f in report.findings])
    text = markdown_summary(evaluate_gate(report.findings, baseline, GateBar()))
    assert text.startswith("## crossclaim gate: \u2705 passed")
    assert "### New findings" not in text


def test_report_factory_reads_the_real_example() -> None:
    assert report_for([], []).findings == [] and (BLINKEN / "wire.md").exists()
