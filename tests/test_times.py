"""Time expressions resolved against the publication date (claims/times.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from claims.nlp import load_nlp
from claims.times import find_times, overlap, resolve_weekday

WED = dt.datetime(2021, 12, 15, 8, 42, tzinfo=dt.timezone(dt.timedelta(hours=-5)))


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def labels(text: str, published: dt.datetime | None, nlp=None) -> list[str]:
    doc = nlp(text) if nlp is not None else None
    return [t.label for t in find_times(text, 0, len(text), published, doc)]


def test_weekday_resolves_to_past_date_for_past_tense(nlp):
    assert labels("Blinken and senior staff tested negative on Tuesday.", WED, nlp) == [
        "2021-12-14"
    ]


def test_weekday_resolves_to_coming_date_for_due_to(nlp):
    text = "Blinken was due to hold meetings in Thailand on Thursday."
    assert labels(text, WED, nlp) == ["2021-12-16"]


def test_weekday_equal_to_publication_weekday_is_that_day(nlp):
    text = "Blinken and senior officials had tested negative on Wednesday in Kuala Lumpur."
    assert labels(text, WED, nlp) == ["2021-12-15"]


def test_modal_would_makes_weekday_future(nlp):
    assert labels("He said he would visit Bangkok on Friday.", WED, nlp) == ["2021-12-17"]


def test_simple_present_with_weekday_is_the_coming_day(nlp):
    assert labels("Voters go to the polls on Sunday.", WED, nlp) == ["2021-12-19"]


def test_without_parse_a_future_marker_before_the_weekday_decides():
    assert labels("The talks will resume on Friday.", WED) == ["2021-12-17"]
    assert labels("The talks resumed on Friday.", WED) == ["2021-12-10"]


def test_without_publication_date_times_stay_unresolved():
    times = find_times("It happened on Tuesday.", 0, 23, None)
    assert [(t.kind, t.resolved) for t in times] == [("weekday", False)]


def test_publication_date_is_taken_in_the_articles_own_offset():
    late_friday = dt.datetime(2022, 6, 10, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    assert labels("The results came out today.", late_friday) == ["2022-06-10"]


def test_relative_expressions_resolve_against_publication_date():
    assert labels("She had tested negative a day earlier.", WED) == ["2021-12-14"]
    assert labels("He was in Indonesia the previous two days.", WED) == ["2021-12-13/2021-12-14"]
    assert labels("The deal was signed last week.", WED) == ["2021-12-06/2021-12-12"]
    assert labels("Cases rose earlier this month.", WED) == ["2021-12-01/2021-12-15"]
    assert labels("The storm hit two days ago.", WED) == ["2021-12-13"]


def test_days_before_another_event_is_not_read_as_relative_to_publication():
    assert labels("He stays 10 days before returning home.", WED) == []


def test_explicit_dates_in_several_formats():
    text = "Dec. 14, 2021 and 14 December 2021 and 2021-12-14"
    assert labels(text, WED) == ["2021-12-14"] * 3


def test_date_without_year_takes_the_nearest_year():
    jan = dt.datetime(2022, 1, 3, tzinfo=dt.UTC)
    assert labels("He left on December 30.", jan) == ["2021-12-30"]


def test_part_of_day_agrees_with_clock_time_on_the_same_day():
    text = "Tuesday morning; 6 a.m. on Tuesday; Tuesday evening"
    morning, six, evening = find_times(text, 0, len(text), WED)
    assert overlap(morning, six)
    assert not overlap(six, evening)


def test_date_agrees_with_weekday_of_the_same_day():
    monday = dt.datetime(2023, 3, 6, 10, tzinfo=dt.UTC)
    text = "It struck on March 3 and on Friday and on Saturday."
    march3, friday, saturday = find_times(text, 0, len(text), monday)
    assert overlap(march3, friday)
    assert not overlap(march3, saturday)


def test_spans_are_offsets_into_the_text():
    text = "Intro. Blinken tested negative on Tuesday."
    (t,) = find_times(text, 7, len(text), WED)
    assert text[t.span.start : t.span.end] == t.span.text == "Tuesday"


def test_resolve_weekday_counts_back_for_past_and_forward_for_future():
    wed = dt.date(2021, 12, 15)
    assert resolve_weekday(2, wed, "past") == wed
    assert resolve_weekday(0, wed, "past") == dt.date(2021, 12, 13)
    assert resolve_weekday(0, wed, "future") == dt.date(2021, 12, 20)
