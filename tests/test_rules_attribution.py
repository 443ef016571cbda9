"""attribution check (rules/attribution.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from claims.nlp import load_nlp
from rules.attribution import check_attribution, speaker_kind, speakers_differ
from rules.evaluate import claim_from_text
from rules.registry import load_rule_configs

PUB = dt.datetime(2022, 6, 10, 9, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


@pytest.fixture(scope="module")
def config():
    return load_rule_configs()["attribution"]


def hits(nlp, config, a, b):
    return check_attribution(
        claim_from_text(a, "A", PUB, nlp, "a"), claim_from_text(b, "B", PUB, nlp, "b"), config
    )


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
