"""SARIF rules carry a ``helpUri`` into docs/rules.md: from the package's ``Documentation``
project URL (pyproject.toml ``[project.urls]``), else a constant, and the log stays valid."""

from __future__ import annotations

import json
import re
import tomllib
from copy import deepcopy
from dataclasses import replace
from importlib import metadata
from urllib.parse import urlsplit

import pytest
from gate_report_factory import ROOT, blinken_report
from test_ci_formats import SARIF_SUBSET_SCHEMA

from checker.findings import Finding
from checker.gate import formats
from checker.gate.baseline import Baseline
from checker.gate.decide import GateBar, evaluate_gate
from checker.gate.formats import DOCS_URL, docs_uri, sarif_log

#: an absolute http(s) address with an optional fragment (jsonschema checks ``format: uri`` only
#: with an extra package, so the schema below says it with a pattern too).
URI = r"^https?://[^\s#]+(#[A-Za-z0-9_.~-]+)?$"


def documentation_url() -> str:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return data["project"]["urls"]["Documentation"]


def all_checks_log() -> dict:
    """A SARIF log with a rule for every check (rules' checks and the NLI model's)."""
    from rules.registry import RULES

    report = blinken_report()
    template = report.findings[0]
    findings: list[Finding] = [
        replace(template, check=check, fingerprint=f"{i:016x}")
        for i, check in enumerate([*RULES, "nli"])
    ]
    texts = {d.source: report.articles[d.id] for d in report.documents}
    return sarif_log(evaluate_gate(findings, Baseline(), GateBar()), root=ROOT, texts=texts)


def rules_of(log: dict) -> list[dict]:
    return log["runs"][0]["tool"]["driver"]["rules"]


def test_pyproject_names_the_documentation_and_the_fallback_agrees() -> None:
    assert documentation_url() == DOCS_URL
    assert documentation_url().startswith("https://github.com/")


def test_every_rule_has_a_help_uri_into_the_rules_documentation() -> None:
    rules = rules_of(all_checks_log())
    assert len(rules) >= 8
    installed = {
        entry.partition(",")[0].strip(): entry.partition(",")[2].strip()
        for entry in metadata.metadata("crossclaim").get_all("Project-URL") or []
    }
    base = installed.get("Documentation", DOCS_URL).rstrip("/")
    for rule in rules:
        assert rule["helpUri"] == f"{base}/rules.md#{rule['name']}"
        assert re.match(URI, rule["helpUri"])


def test_each_rule_checks_anchor_is_a_heading_of_docs_rules_md() -> None:
    from rules.registry import RULES

    headings = {
        line[3:].strip()
        for line in (ROOT / "docs" / "rules.md").read_text(encoding="utf-8").splitlines()
        if line.startswith("## ")
    }
    for rule in rules_of(all_checks_log()):
        if rule["name"] in RULES:
            assert urlsplit(rule["helpUri"]).fragment in headings


def test_help_uri_falls_back_to_the_constant_without_package_metadata(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def missing(name: str):
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(formats.metadata, "metadata", missing)
    assert docs_uri("temporal") == f"{DOCS_URL}/rules.md#temporal"
    assert all(r["helpUri"].startswith(DOCS_URL + "/rules.md#") for r in rules_of(all_checks_log()))

    class NoUrls:
        def get_all(self, name: str) -> None:
            return None

    monkeypatch.setattr(formats.metadata, "metadata", lambda name: NoUrls())
    assert docs_uri("entity_role") == f"{DOCS_URL}/rules.md#entity_role"


def test_documentation_url_wins_over_the_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    class Meta:
        def get_all(self, name: str) -> list[str]:
            return [
                "Repository, https://github.com/example/crossclaim",
                "Documentation, https://docs.example/crossclaim/",
            ]

    monkeypatch.setattr(formats.metadata, "metadata", lambda name: Meta())
    assert docs_uri("numeric") == "https://docs.example/crossclaim/rules.md#numeric"


def test_sarif_with_help_uris_is_valid() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = deepcopy(SARIF_SUBSET_SCHEMA)
    rule = schema["definitions"]["run"]["properties"]["tool"]["properties"]["driver"]["properties"][
        "rules"
    ]["items"]
    rule["required"] = ["id", "helpUri"]
    rule["properties"]["helpUri"] = {"type": "string", "format": "uri", "pattern": URI}
    rule["properties"]["help"] = {"$ref": "#/definitions/message"}
    log = json.loads(json.dumps(all_checks_log()))
    jsonschema.validate(log, schema, format_checker=jsonschema.FormatChecker())
