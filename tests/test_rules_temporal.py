"""temporal check (rules/temporal.py), with the Blinken bundle's must-fire and must-not-fire."""

from __future__ import annotations

import datetime as dt

import pytest

from claims.nlp import load_nlp
from rules.registry import load_rule_configs
from rules.scoring import claim_from_text
from rules.temporal import check_temporal

WIRE_PUB = dt.datetime(2021, 12, 15, 18, tzinfo=dt.timezone(dt.timedelta(hours=8)))
US_PUB = dt.datetime(2021, 12, 15, 8, 42, tzinfo=dt.timezone(dt.timedelta(hours=-5)))


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


@pytest.fixture(scope="module")
def config():
    return load_rule_configs()["temporal"]


def hits(nlp, config, a, b, pub_a=WIRE_PUB, pub_b=US_PUB):
    ca = claim_from_text(a, "Wire", pub_a, nlp, "a")
    cb = claim_from_text(b, "Business Insider", pub_b, nlp, "b")
    return check_temporal(ca, cb, config)


def test_blinken_negative_test_tuesday_against_wednesday_fires(nlp, config):
    found = hits(
        nlp,
        config,
        "Blinken and senior officials had tested negative on Wednesday in Kuala Lumpur, when the "
        "positive case was confirmed, Price said, and Blinken had called his Thai counterpart.",
        "Blinken and senior staff tested negative on Tuesday, Price said.",
    )
    assert len(found) == 1
    hit = found[0]
    assert (hit.a_value, hit.b_value) == ("2021-12-15", "2021-12-14")
    assert hit.verdict == "contradiction"
    assert [s.text for s in hit.a_spans] == ["Wednesday"]
    assert [s.text for s in hit.b_spans] == ["Tuesday"]
    assert "Tuesday 2021-12-14" in hit.explanation


def test_same_planned_day_in_different_words_is_silent(nlp, config):
    assert not hits(
        nlp,
        config,
        "Blinken was due to hold meetings in Thailand on Thursday.",
        "He ended his trip in Thailand, where he was due to attend meetings on Thursday.",
    )


def test_a_day_earlier_against_no_date_is_silent(nlp, config):
    assert not hits(
        nlp,
        config,
        "The individual had tested negative in Jakarta a day earlier, Price said.",
        "The person tested negative during a previous stop in Jakarta.",
    )


def test_wednesday_morning_against_this_morning_is_silent(nlp, config):
    assert not hits(
        nlp,
        config,
        "Price said the delegation learned of the test on Wednesday morning.",
        '"We learned this morning that a member of our press pool tested positive," Price said.',
        US_PUB,
        US_PUB,
    )


def test_times_of_different_events_are_not_compared(nlp, config):
    assert not hits(
        nlp,
        config,
        "The minister resigned on Monday after a week of protests.",
        "The minister, appointed in January, resigned amid protests.",
    )


def test_different_clock_times_on_the_same_day_fire(nlp, config):
    monday = dt.datetime(2023, 3, 6, 10, tzinfo=dt.UTC)
    found = hits(
        nlp,
        config,
        "Polls closed at 8 p.m. on Sunday.",
        "Polls closed at 10 p.m. on Sunday.",
        monday,
        monday,
    )
    assert [(h.a_value, h.b_value) for h in found] == [("2023-03-05 20:00", "2023-03-05 22:00")]


def test_tolerance_hours_lets_adjacent_intervals_agree(nlp):
    loose = load_rule_configs()["temporal"].with_params(tolerance_hours=24)
    assert not hits(
        nlp,
        loose,
        "Blinken and senior officials had tested negative on Wednesday.",
        "Blinken and senior staff tested negative on Tuesday, Price said.",
    )


def test_unresolved_weekdays_with_different_names_fire(nlp, config):
    found = hits(
        nlp,
        config,
        "The talks collapsed on Tuesday.",
        "The talks collapsed on Thursday.",
        None,
        None,
    )
    assert [h.confidence < 0.9 for h in found] == [True]
