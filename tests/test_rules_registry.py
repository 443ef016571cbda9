"""The rule registry, the rules file and run_rules (rules/registry.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from claims.nlp import load_nlp
from rules.base import RuleConfig
from rules.registry import RULES, load_rule_configs, run_rules
from rules.scoring import claim_from_text

PUB = dt.datetime(2021, 12, 15, 8, 42, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
WIRE = "Blinken and senior officials had tested negative on Wednesday in Kuala Lumpur."
BI = "Blinken and senior staff tested negative on Tuesday, Price said."


@pytest.fixture(scope="module")
def claims():
    nlp = load_nlp()
    return claim_from_text(WIRE, "Wire", PUB, nlp, "a"), claim_from_text(BI, "BI", PUB, nlp, "b")


def test_packaged_rules_file_configures_every_check():
    configs = load_rule_configs()
    assert set(configs) == set(RULES) == {
        "temporal", "numeric", "negation", "entity_role", "attribution", "quote", "place",
    }  # fmt: skip
    assert configs["temporal"].param("tolerance_hours") == 0


def test_unknown_check_is_a_one_line_error_naming_the_file(tmp_path):
    bad = tmp_path / "rules.yaml"
    bad.write_text("temporl:\n  enabled: true\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"rules\.yaml: unknown check\(s\): temporl"):
        load_rule_configs(bad)


def test_bad_severity_names_the_key(tmp_path):
    bad = tmp_path / "r.yaml"
    bad.write_text("numeric:\n  severity: extreme\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"r\.yaml: 'numeric\.severity'"):
        load_rule_configs(bad)


def test_invalid_yaml_and_missing_file_are_value_errors(tmp_path):
    bad = tmp_path / "r.yaml"
    bad.write_text("numeric: [unclosed\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not valid YAML"):
        load_rule_configs(bad)
    with pytest.raises(ValueError, match="not found"):
        load_rule_configs(tmp_path / "missing.yaml")


def test_run_rules_finds_the_blinken_date_discrepancy(claims):
    hits = run_rules(*claims, load_rule_configs())
    assert [(h.check, h.a_value, h.b_value) for h in hits] == [
        ("temporal", "2021-12-15", "2021-12-14")
    ]


def test_disabled_check_does_not_run(claims):
    configs = {**load_rule_configs(), "temporal": RuleConfig(enabled=False)}
    assert run_rules(*claims, configs) == []


def test_a_failing_check_does_not_lose_the_others(claims, monkeypatch, caplog):
    def broken(a, b, config):
        raise RuntimeError("boom")

    monkeypatch.setitem(RULES, "numeric", broken)
    hits = run_rules(*claims, load_rule_configs())
    assert [h.check for h in hits] == ["temporal"]
    assert "check numeric failed" in caplog.text
