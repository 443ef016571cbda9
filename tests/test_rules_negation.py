"""negation check (rules/negation.py) and negation cues (claims/negation.py)."""

from __future__ import annotations

import pytest
from rule_helpers import run_check

from rules.registry import load_rule_configs


@pytest.fixture(scope="module")
def config():
    return load_rule_configs()["negation"]


def hits(nlp, config, a, b):
    return run_check("negation", nlp, config, a, b)


def test_denied_and_asserted_action_fires(nlp, config):
    (hit,) = hits(
        nlp, config, "The company had not rejected the offer.", "The company rejected the offer."
    )
    assert (hit.a_value, hit.b_value) == ("not reject", "reject")
    assert any(s.text == "not" for s in hit.a_spans)


def test_opposite_verbs_fire(nlp, config):
    assert hits(
        nlp, config, "The government ended the contract.", "The government extended the contract."
    )


def test_opposite_verbs_can_be_switched_off(nlp, config):
    off = config.with_params(use_antonyms=False)
    assert not hits(
        nlp, off, "The government ended the contract.", "The government extended the contract."
    )


def test_extra_antonyms_from_the_rules_file_are_used(nlp, config):
    extra = config.with_params(extra_antonyms=[["promote", "demote"]])
    assert hits(nlp, extra, "The club promoted the coach.", "The club demoted the coach.")


def test_both_negated_is_silent(nlp, config):
    assert not hits(
        nlp,
        config,
        "The person was not involved and did not participate in the programs.",
        "The person was not involved and has not participated in any of the programs.",
    )


def test_different_subjects_are_silent(nlp, config):
    assert not hits(
        nlp,
        config,
        "A reporter traveling with Blinken tested positive.",
        "Blinken and senior staff tested negative.",
    )


def test_declined_to_comment_equals_did_not_comment(nlp, config):
    assert not hits(
        nlp, config, "The ministry did not comment.", "The ministry declined to comment."
    )


def test_failed_to_pay_contradicts_paid(nlp, config):
    assert hits(
        nlp, config, "The company failed to pay its workers.", "The company paid its workers."
    )


def test_not_all_negates_the_quantifier_not_the_verb(nlp, config):
    assert not hits(nlp, config, "Not all schools will reopen.", "Some schools will reopen.")
