"""A user's rules file is laid over the packaged one: one home for every rule setting."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from rules.registry import RULES, load_rule_configs, packaged_rules_file

RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
#: which rules file section each module's ``config.param`` calls read.
MODULE_CHECKS = {
    "temporal.py": ["temporal"],
    "numeric.py": ["numeric"],
    "negation.py": ["negation"],
    "place.py": ["place"],
    "entities.py": ["entity_role"],
    "attribution.py": ["attribution"],
    "quotes.py": ["quote"],
    "matching.py": ["temporal", "numeric", "negation", "place"],  # the shared frame test
}
_PARAM_CALL = re.compile(r"""\.param\(\s*["']([a-z_]+)["']""")


def test_a_user_file_with_one_section_keeps_the_packaged_settings_of_the_others(tmp_path):
    packaged = load_rule_configs()
    mine = tmp_path / "mine.yaml"
    mine.write_text("temporal:\n  params:\n    tolerance_hours: 6\n", encoding="utf-8")
    merged = load_rule_configs(mine)
    assert merged["temporal"].param("tolerance_hours") == 6
    assert merged["quote"].severity == packaged["quote"].severity == "low"
    assert merged["attribution"].severity == packaged["attribution"].severity == "medium"
    assert merged["entity_role"].severity == "medium"
    assert merged["numeric"].param("rel_tolerance") == 0.02
    for name in RULES:
        if name != "temporal":
            assert merged[name] == packaged[name], name
    # the temporal section keeps every packaged parameter it did not change
    assert set(merged["temporal"].params) == set(packaged["temporal"].params)


def test_a_misspelt_parameter_is_a_one_line_error_naming_file_and_key(tmp_path):
    mine = tmp_path / "mine.yaml"
    mine.write_text("numeric:\n  params:\n    rel_tolerence: 0.5\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"mine\.yaml: 'numeric\.params\.rel_tolerence'") as e:
        load_rule_configs(mine)
    assert "\n" not in str(e.value)


def test_a_user_file_can_turn_a_check_off_and_change_its_severity(tmp_path):
    mine = tmp_path / "mine.yaml"
    mine.write_text("quote:\n  enabled: false\nnumeric:\n  severity: low\n", encoding="utf-8")
    merged = load_rule_configs(mine)
    assert merged["quote"].enabled is False
    assert merged["numeric"].severity == "low"
    assert merged["numeric"].params == load_rule_configs()["numeric"].params


@pytest.mark.parametrize("module", sorted(MODULE_CHECKS))
def test_every_parameter_the_code_reads_is_in_the_packaged_rules_file(module):
    packaged = yaml.safe_load(packaged_rules_file().read_text(encoding="utf-8"))
    names = set(_PARAM_CALL.findall((RULES_DIR / module).read_text(encoding="utf-8")))
    assert names, f"{module} reads no parameter: the pattern no longer matches its calls"
    for check in MODULE_CHECKS[module]:
        section = set((packaged[check] or {}).get("params") or {}) | {"verdict"}
        missing = sorted(names - section)
        assert missing == [], f"rules.yaml '{check}' lacks {missing} (read in {module})"
