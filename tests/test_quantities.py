"""Quantities as ranges with units (claims/quantities.py)."""

from __future__ import annotations

import math

import pytest

from claims.nlp import load_nlp
from claims.quantities import find_quantities, words_to_number


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


def quantities(text: str, nlp=None):
    return find_quantities(text, 0, len(text), nlp(text) if nlp is not None else None)


def test_scale_suffix_and_scale_word_give_the_same_money_value():
    (a,) = quantities("The deal is worth $1.2bn.")
    (b,) = quantities("The deal is worth 1,200 million dollars.")
    assert (a.unit, b.unit) == ("USD", "USD")
    assert a.value == b.value == 1.2e9
    assert a.low <= b.value <= a.high


def test_number_words_are_read():
    assert words_to_number("four and a half thousand") == 4500
    assert words_to_number("twenty-two") == 22
    assert words_to_number("a dozen") == 12


def test_hyphenated_durations_normalise_to_hours(nlp):
    (a,) = quantities("They agreed a 48-hour ceasefire.", nlp)
    (b,) = quantities("They agreed a two-day ceasefire.", nlp)
    assert (a.kind, a.value, a.counted) == ("duration", 48.0, "ceasefire")
    assert (b.kind, b.value, b.counted) == ("duration", 48.0, "ceasefire")


def test_daily_and_a_day_are_the_same_rate(nlp):
    (a,) = quantities("The clinic treats 500 patients daily.", nlp)
    (b,) = quantities("The clinic treats 500 patients a day.", nlp)
    (c,) = quantities("The clinic treats 3,500 patients a week.", nlp)
    assert a.kind == b.kind == c.kind == "rate"
    assert a.value == b.value == c.value == 500


def test_approximators_and_bounds_become_ranges(nlp):
    found = quantities("More than 40 died, nearly 50 were hurt and about 100 fled.", nlp)
    assert [(q.approximator, q.low, q.high) for q in found] == [
        ("more than", 40, math.inf),
        ("nearly", 45, 50),
        ("about", pytest.approx(90), pytest.approx(110)),
    ]


def test_between_gives_a_range(nlp):
    (q,) = quantities("Between 10 and 20 people were hurt.", nlp)
    assert (q.low, q.high, q.counted) == (10, 20, "people")


def test_percent_has_its_unit_and_counted_noun(nlp):
    (q,) = quantities("Omicron accounts for 3% of US cases.", nlp)
    assert (q.kind, q.unit, q.value, q.counted) == ("percent", "%", 3, "case")


def test_names_with_digits_and_years_are_not_quantities(nlp):
    assert quantities("The COVID-19 variant spread in 2021 among G7 staff.", nlp) == []


def test_comma_number_in_year_range_is_still_a_count(nlp):
    (q,) = quantities("The carmaker will cut 2,100 jobs.", nlp)
    assert (q.value, q.counted) == (2100, "job")


def test_spans_are_offsets_into_the_text():
    text = "Intro. Some 4,500 people fled."
    (q,) = find_quantities(text, 7, len(text))
    assert text[q.span.start : q.span.end] == q.span.text == "Some 4,500"


def test_from_alone_is_read_as_the_old_value(nlp):
    found = quantities("The airline raised its fee to 30 dollars from 25 dollars.", nlp)
    assert [(q.span.text, q.value) for q in found] == [("30 dollars", 30), ("25 dollars", 25)]


def test_from_to_after_a_change_verb_gives_old_and_new_values(nlp):
    found = quantities("Attendance climbed from 800 to 1,200 last season.", nlp)
    assert [(q.span.text, q.low, q.high) for q in found] == [
        ("800", 800, 800),
        ("1,200", 1200, 1200),
    ]


def test_from_to_without_a_change_is_a_range(nlp):
    (q,) = quantities("Tickets cost from $40 to $90 each.", nlp)
    assert (q.low, q.high) == (40, 90)


def test_kilos_are_kilograms(nlp):
    (q,) = quantities("The parcel weighed 12 kilos.", nlp)
    assert (q.kind, q.unit, q.value) == ("measure", "kg", 12)


def test_slash_fractions_are_one_number(nlp):
    (q,) = quantities("The ferry crossing took 1 1/2 hours.", nlp)
    assert (q.kind, q.value) == ("duration", 1.5)
    (r,) = quantities("The bond gained 3/32 to yield 4.1 percent.", nlp)[1:]
    assert r.value == 4.1
