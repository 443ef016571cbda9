"""JUnit per event (suites, unique case names, file/line/time) and the SARIF details code
scanning shows (the other outlet's sentence as a related location, help per rule, columns)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from copy import deepcopy
from dataclasses import replace
from pathlib import Path

import pytest
from gate_report_factory import ROOT, blinken_report, copy_bundle
from test_ci_formats import SARIF_SUBSET_SCHEMA

from checker.findings import fingerprint
from checker.gate import formats
from checker.gate.baseline import Baseline
from checker.gate.decide import GateBar, evaluate_gate
from checker.gate.formats import EventRun, junit_xml, sarif_log
from claims.records import InputProblem


@pytest.fixture(scope="module")
def report():
    return blinken_report()


def test_junit_has_one_suite_per_event_with_its_time(report, tmp_path: Path) -> None:
    quiet = copy_bundle(tmp_path / "quiet-event")
    result = evaluate_gate(
        report.findings,
        Baseline(),
        GateBar("divergence"),
        problems=[InputProblem(str(quiet / "broken.json"), "not valid JSON")],
        allow_input_problems=True,
    )
    events = [EventRun("examples/blinken-2021-12", 1.5), EventRun(str(quiet), 0.25)]
    root = ET.fromstring(junit_xml(result, root=ROOT, events=events))
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert list(suites) == ["examples/blinken-2021-12", str(quiet)]
    blinken = suites["examples/blinken-2021-12"]
    assert (blinken.get("tests"), blinken.get("failures"), blinken.get("time")) == (
        "2",
        "2",
        "1.500",
    )
    assert suites[str(quiet)].get("errors") == "1" and suites[str(quiet)].get("time") == "0.250"
    assert root.get("time") == "1.750" and root.get("tests") == "3"
    for case in blinken.findall("testcase"):
        assert case.get("file", "").startswith("examples/blinken-2021-12/")
        assert int(case.get("line")) >= 1 and case.get("time") == "0"
        source = (ROOT / case.get("file")).read_text(encoding="utf-8").splitlines()
        assert source[int(case.get("line")) - 1].strip()


def test_junit_case_names_are_unique_fingerprint_and_label(report) -> None:
    temporal = next(f for f in report.findings if f.check == "temporal")
    twin = replace(temporal, fingerprint=temporal.fingerprint[:-1] + "x")
    result = evaluate_gate([temporal, twin], Baseline(), GateBar())
    names = [c.get("name") for c in ET.fromstring(junit_xml(result)).iter("testcase")]
    assert len(names) == len(set(names)) == 2
    assert names[0].startswith(f"{temporal.fingerprint} temporal contradiction: ")
    assert names[0].endswith("Business Insider vs Wire story")


def test_an_event_without_findings_has_a_passing_case(tmp_path: Path) -> None:
    result = evaluate_gate([], Baseline(), GateBar())
    root = ET.fromstring(junit_xml(result, events=[EventRun("news/a"), EventRun("news/b")]))
    assert [s.get("name") for s in root.findall("testsuite")] == ["news/a", "news/b"]
    assert all(s.get("tests") == "1" and s.get("failures") == "0" for s in root.iter("testsuite"))


def sarif_for(report) -> dict:
    texts = {d.source: report.articles[d.id] for d in report.documents}
    result = evaluate_gate(report.findings, Baseline(), GateBar())
    return sarif_log(result, root=ROOT, texts=texts)


def test_sarif_puts_the_other_outlets_sentence_in_related_locations(report) -> None:
    results = sarif_for(report)["runs"][0]["results"]
    for item, finding in zip(results, [*report.sorted_findings()], strict=True):
        assert len(item["locations"]) == 1
        (related,) = item["relatedLocations"]
        assert related["id"] == 1
        assert related["message"]["text"].startswith(finding.b.outlet + ": ")
        uri = related["physicalLocation"]["artifactLocation"]["uri"]
        assert (ROOT / uri).exists() and uri.endswith(Path(finding.b.source).name)


def test_sarif_columns_mark_the_differing_words_in_the_file(report) -> None:
    results = sarif_for(report)["runs"][0]["results"]
    checked = 0
    for item, finding in zip(results, report.sorted_findings(), strict=True):
        for location, side in zip(
            [*item["locations"], *item["relatedLocations"]], (finding.a, finding.b), strict=True
        ):
            physical = location["physicalLocation"]
            region = physical["region"]
            line = (
                (ROOT / physical["artifactLocation"]["uri"])
                .read_text()
                .splitlines()[region["startLine"] - 1]
            )
            if "startColumn" in region:
                words = line[region["startColumn"] - 1 : region["endColumn"] - 1]
                assert words == side.spans[0]["text"]
                checked += 1
    assert checked >= 3


def test_sarif_has_no_columns_without_the_article_text(report) -> None:
    result = evaluate_gate(report.findings, Baseline(), GateBar())
    for item in sarif_log(result, root=ROOT)["runs"][0]["results"]:
        assert set(item["locations"][0]["physicalLocation"]["region"]) == {"startLine"}


def test_sarif_rules_carry_help_and_a_help_uri_when_the_package_names_its_docs(
    report, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = sarif_for(report)["runs"][0]["tool"]["driver"]["rules"]
    by_id = {r["id"]: r for r in rules}
    temporal = by_id["crossclaim/temporal"]
    assert temporal["help"]["text"].startswith("temporal: the same event dated differently")
    assert ">>>" not in by_id["crossclaim/place"]["help"]["text"]
    assert temporal["fullDescription"]["text"].startswith("temporal: the same event")

    class Meta:
        def get_all(self, name: str) -> list[str]:
            return ["Repository, https://github.com/example/crossclaim"]

    monkeypatch.setattr(formats.metadata, "metadata", lambda name: Meta())
    rules = sarif_for(report)["runs"][0]["tool"]["driver"]["rules"]
    assert rules[0]["helpUri"] == (
        "https://github.com/example/crossclaim/blob/main/docs/rules.md#" + rules[0]["name"]
    )


def test_sarif_with_related_locations_and_columns_is_valid(report) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = deepcopy(SARIF_SUBSET_SCHEMA)
    location = schema["definitions"]["location"]
    location["properties"]["id"] = {"type": "integer", "minimum": -1}
    location["properties"]["physicalLocation"]["properties"]["region"]["properties"].update(
        {
            "startColumn": {"type": "integer", "minimum": 1},
            "endColumn": {"type": "integer", "minimum": 1},
        }
    )
    result = schema["definitions"]["result"]["properties"]
    result["relatedLocations"] = {
        "type": "array",
        "uniqueItems": True,
        "items": {"$ref": "#/definitions/location"},
    }
    rule = schema["definitions"]["run"]["properties"]["tool"]["properties"]["driver"]["properties"][
        "rules"
    ]["items"]["properties"]
    rule["help"] = {"$ref": "#/definitions/message"}
    rule["helpUri"] = {"type": "string", "format": "uri"}
    log = json.loads(json.dumps(sarif_for(report)))
    jsonschema.validate(log, schema, format_checker=jsonschema.FormatChecker())
    for item in log["runs"][0]["results"]:
        region = item["locations"][0]["physicalLocation"]["region"]
        if "startColumn" in region:
            assert region["endColumn"] > region["startColumn"]


def test_fingerprints_are_unchanged(report) -> None:
    """Baselines written before must keep matching: the fingerprint of the headline finding is
    the one an earlier release computed."""
    temporal = next(f for f in report.findings if f.check == "temporal")
    assert temporal.fingerprint == fingerprint("temporal", temporal.a, temporal.b)
    assert temporal.fingerprint == "d168d8a74e4aef76"
    log = sarif_for(report)
    keys = {r["partialFingerprints"][formats.FINGERPRINT_KEY] for r in log["runs"][0]["results"]}
    assert keys == {f.fingerprint for f in report.findings}
