"""attribution check (rules/attribution.py)."""

from __future__ import annotations

import pytest
from rule_helpers import run_check

from rules.attribution import speaker_kind, speakers_differ
from rules.registry import load_rule_configs


@pytest.fixture(scope="module")
def config():
    return load_rule_configs()["attribution"]


def hits(nlp, config, a, b):
    return run_check("attribution", nlp, config, a, b)


def test_same_statement_credited_to_different_people_fires(nlp, config):
    (hit,) = hits(
        nlp,
        config,
        "The decision was taken because of a positive case, Price said.",
        "The decision was taken because of a positive case, Blinken said.",
    )
    assert (hit.a_value, hit.b_value) == ("Price", "Blinken")
    assert [s.text for s in hit.a_spans] == ["Price said"]


def test_same_person_with_and_without_title_is_silent(nlp, config):
    assert not hits(
        nlp,
        config,
        "Blinken and senior staff tested negative, Price said.",
        "Blinken and senior staff tested negative, State Department spokesman Ned Price said.",
    )


def test_person_against_organisation_is_silent(nlp, config):
    assert not hits(
        nlp,
        config,
        "The decision was taken because of a positive case, Price said.",
        "The decision was taken because of a positive case, the State Department said.",
    )


def test_different_statements_are_not_compared(nlp, config):
    assert not hits(
        nlp,
        config,
        "The rail strike will go ahead, union boss Frank Moore said.",
        "The government will not negotiate with the unions, rail minister Hugh Daly said.",
    )


def test_speaker_kinds_and_acronyms():
    assert speaker_kind("officials") == "vague"
    assert speaker_kind("the FBI") == "org"
    assert not speakers_differ("The FBI", "the Federal Bureau of Investigation")
    assert speakers_differ("the health ministry", "the finance ministry")
