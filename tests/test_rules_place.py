"""place check (rules/place.py): the same event put in two places."""

from __future__ import annotations

import pytest
from rule_helpers import run_check

from claims.records import Entity, Span
from rules.place import kinds_conflict, place_kind
from rules.registry import RULES, load_rule_configs


@pytest.fixture(scope="module")
def config():
    return load_rule_configs()["place"]


def hits(nlp, config, a: str, b: str) -> list[tuple[str, str]]:
    return [(h.a_value, h.b_value) for h in run_check("place", nlp, config, a, b)]


def place(name: str, label: str = "GPE") -> Entity:
    return Entity(Span(0, len(name), name), label)


def test_place_is_a_registered_check():
    assert "place" in RULES and load_rule_configs()["place"].enabled


def test_two_cities_for_one_outbreak_told_in_other_words_fire(nlp, config):
    found = hits(
        nlp,
        config,
        "The virus was first detected in Beijing late last year, health officials said.",
        "Health officials said the first cases of the virus were found in Shanghai last year.",
    )
    assert found == [("Beijing", "Shanghai")]


def test_two_countries_for_one_summit_fire(nlp, config):
    found = hits(
        nlp,
        config,
        "The foreign ministers will meet in Brazil next month to discuss the trade pact.",
        "Next month the trade pact will be discussed by foreign ministers meeting in Chile.",
    )
    assert found == [("Brazil", "Chile")]


def test_city_and_its_country_are_silent(nlp, config):
    assert not hits(
        nlp,
        config,
        "The virus was first detected in Beijing late last year, health officials said.",
        "Health officials said the first cases of the virus were found in China last year.",
    )


def test_city_and_its_state_are_silent(nlp, config):
    assert not hits(
        nlp,
        config,
        "The company will move its headquarters to Houston next year.",
        "Next year the company's headquarters will move to Texas.",
    )


def test_same_place_in_another_frame_is_silent(nlp, config):
    assert not hits(
        nlp,
        config,
        "Rescuers pulled three survivors from the rubble in Izmir on Sunday.",
        "On Sunday three survivors were rescued from the rubble in the city of Izmir.",
    )


def test_place_named_elsewhere_in_the_other_sentence_is_silent(nlp, config):
    assert not hits(
        nlp,
        config,
        "The talks in Geneva ended without a deal, diplomats said.",
        "Diplomats said the Switzerland talks, held in Geneva, ended without a deal.",
    )


def test_unrelated_claims_with_different_places_are_silent(nlp, config):
    assert not hits(
        nlp,
        config,
        "Floods in Bangladesh displaced thousands of families this week.",
        "The central bank of Japan held interest rates steady on Thursday.",
    )


def test_place_kinds_come_from_closed_lists():
    assert [place_kind(place(n)) for n in ("China", "Texas", "Beijing")] == [
        "country",
        "us_state",
        "other",
    ]
    assert place_kind(place("the Middle East", "LOC")) == "region"


def test_places_of_one_kind_or_known_apart_by_the_gazetteer_conflict():
    assert kinds_conflict(place("Beijing"), place("Shanghai"))
    assert kinds_conflict(place("Iraq"), place("Syria"))
    assert not kinds_conflict(place("Beijing"), place("China"))
    assert kinds_conflict(place("Iraq"), place("Texas"))
    assert not kinds_conflict(place("the United States"), place("Texas"))


def test_a_city_conflicts_with_a_country_or_state_it_does_not_lie_in():
    assert kinds_conflict(place("Amsterdam"), place("China"))
    assert kinds_conflict(place("Tampa"), place("California"))
    assert not kinds_conflict(place("Tampa"), place("Florida"))
    assert not kinds_conflict(place("Philadelphia"), place("the United States"))


def test_a_name_of_a_country_and_a_state_takes_either_reading():
    # Atlanta lies in the US state of Georgia, not in the country
    assert not kinds_conflict(place("Atlanta"), place("Georgia"))
    assert kinds_conflict(place("Tbilisi"), place("Texas"))


def test_a_city_the_gazetteer_does_not_know_is_not_compared_across_kinds():
    assert not kinds_conflict(place("Nowhereville"), place("China"))


def test_an_outbreak_in_a_city_of_another_country_fires(nlp, config):
    found = hits(
        nlp,
        config,
        "The virus first appeared in southern China in November, officials said.",
        "Officials said the virus first appeared in Amsterdam in November.",
    )
    assert found == [("China", "Amsterdam")]
