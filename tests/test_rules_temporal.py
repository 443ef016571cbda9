"""temporal check (rules/temporal.py), with the Blinken bundle's must-fire and must-not-fire."""

from __future__ import annotations

import dataclasses
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


# --- constructions fixed for issue 12 (sentences written for these tests) -------------------

FRIDAY = dt.datetime(2022, 6, 10, 9, tzinfo=dt.UTC)


def test_speech_times_of_the_same_statement_differ(nlp, config):
    found = hits(
        nlp,
        config,
        "The museum will close its east wing for repairs, the city's culture office said Tuesday.",
        "The museum will close its east wing for repairs, the city's culture office said Thursday.",
        FRIDAY,
        FRIDAY,
    )
    assert [(h.a_value, h.b_value) for h in found] == [("2022-06-07", "2022-06-09")]
    assert "the statement" in found[0].explanation


def test_speech_time_paraphrased_is_silent(nlp, config):
    assert not hits(
        nlp,
        config,
        "The museum will close its east wing for repairs, the city's culture office said Tuesday.",
        "The museum is to close its east wing for repairs, the culture office said on Tuesday.",
        FRIDAY,
        FRIDAY,
    )


def test_speech_times_of_different_speakers_are_not_compared(nlp, config):
    assert not hits(
        nlp,
        config,
        "The museum will close its east wing for repairs, curator Ann Lowe said Tuesday.",
        "The museum will close its east wing for repairs, Mayor Tom Reed said Thursday.",
        FRIDAY,
        FRIDAY,
    )


def test_month_before_a_noun_is_read(nlp, config):
    found = hits(
        nlp,
        config,
        "Wheat futures for July delivery rose 4 cents to $6.10 a bushel.",
        "Wheat futures for September delivery rose 4 cents to $6.10 a bushel.",
        FRIDAY,
        FRIDAY,
    )
    assert [(h.a_value, h.b_value) for h in found] == [("2022-07", "2022-09")]


def test_month_before_a_noun_paraphrased_is_silent(nlp, config):
    assert not hits(
        nlp,
        config,
        "Wheat futures for July delivery rose 4 cents to $6.10 a bushel.",
        "July wheat futures gained 4 cents to $6.10 a bushel.",
        FRIDAY,
        FRIDAY,
    )


def test_modal_may_and_a_person_named_april_are_no_months(nlp, config):
    from claims.times import find_times

    text = "April Lowe said the plan may fail, and the vote May still slip."
    assert [t.span.text for t in find_times(text, 0, len(text), FRIDAY, nlp(text))] == []


def test_yesterday_one_day_off_on_one_publication_day_follows_the_setting(nlp, config):
    # exact publication times: a 'yesterday' one day off a named day is reported; a feed that
    # gives only a day (two outlets in two time zones) can allow a day with the setting
    a = "The orchestra performed the new symphony in Vienna yesterday."
    b = "The orchestra performed the new symphony in Vienna on Friday."
    assert hits(nlp, config, a, b, FRIDAY, FRIDAY)
    loose = dataclasses.replace(config, params={**config.params, "deictic_slack_same_day": 1})
    assert not hits(nlp, loose, a, b, FRIDAY, FRIDAY)


def test_yesterday_against_a_weekday_days_away_fires(nlp, config):
    found = hits(
        nlp,
        config,
        "The orchestra performed the new symphony in Vienna yesterday.",
        "The orchestra performed the new symphony in Vienna on Tuesday.",
        FRIDAY,
        FRIDAY,
    )
    assert [(h.a_value, h.b_value) for h in found] == [("2022-06-09", "2022-06-07")]


def test_same_weekday_read_in_two_tenses_is_silent(nlp, config):
    assert not hits(
        nlp,
        config,
        "The bidding for the harbour contract was to have closed on Monday.",
        "The bidding for the harbour contract will close on Monday.",
        FRIDAY,
        FRIDAY,
    )


def test_other_weekday_in_two_tenses_fires(nlp, config):
    assert hits(
        nlp,
        config,
        "The bidding for the harbour contract was to have closed on Monday.",
        "The bidding for the harbour contract will close on Wednesday.",
        FRIDAY,
        FRIDAY,
    )


def test_as_early_as_is_a_lower_bound(nlp, config):
    assert not hits(
        nlp,
        config,
        "A final vote on the bridge budget will come as early as today.",
        "A final vote on the bridge budget will come on Tuesday.",
        FRIDAY,
        FRIDAY,
    )


def test_as_early_as_against_an_earlier_day_fires(nlp, config):
    assert hits(
        nlp,
        config,
        "A final vote on the bridge budget will come as early as Wednesday.",
        "A final vote on the bridge budget will come on Monday.",
        FRIDAY,
        FRIDAY,
    )


def test_two_bounds_of_one_kind_are_compared(nlp, config):
    assert hits(
        nlp,
        config,
        "The handover will begin no later than June 20, the ministry said.",
        "The handover will begin no later than June 27.",
        FRIDAY,
        FRIDAY,
    )


DECEMBER = dt.datetime(2022, 12, 20, 9, tzinfo=dt.UTC)


def test_past_date_without_year_is_the_past_one(nlp, config):
    assert not hits(
        nlp,
        config,
        "The retailer filed for bankruptcy protection at the end of May.",
        "The retailer filed for bankruptcy protection May 30.",
        DECEMBER,
        DECEMBER,
    )


def test_past_date_without_year_in_another_month_fires(nlp, config):
    found = hits(
        nlp,
        config,
        "The retailer filed for bankruptcy protection in March.",
        "The retailer filed for bankruptcy protection May 30.",
        DECEMBER,
        DECEMBER,
    )
    assert [(h.a_value, h.b_value) for h in found] == [("2022-03", "2022-05-30")]


def test_weekday_after_a_clock_time_attaches_to_the_verb(nlp, config):
    # 'until 5 p.m. local time Monday': the weekday hangs on 'p.m.', which is no event
    found = hits(
        nlp,
        config,
        "The council extended the public consultation until 11 p.m. EDT Friday.",
        "The council extended the public consultation until 8 p.m. local time Monday.",
        FRIDAY,
        FRIDAY,
    )
    assert [s.text for h in found for s in h.b_spans] == ["Monday"]


def test_several_times_pair_by_their_neighbours(nlp, config):
    found = hits(
        nlp,
        config,
        "The factory gauge dipped to 48.2 from 50.1 in April.",
        "The factory gauge slipped to 48.2 in May from 50.1 in February.",
        FRIDAY,
        FRIDAY,
    )
    assert [(h.a_value, h.b_value) for h in found] == [("2022-04", "2022-02")]


def test_several_times_paired_by_neighbours_agree(nlp, config):
    assert not hits(
        nlp,
        config,
        "The factory gauge dipped to 48.2 from 50.1 in April.",
        "The factory gauge slipped to 48.2 in May from 50.1 in April.",
        FRIDAY,
        FRIDAY,
    )
