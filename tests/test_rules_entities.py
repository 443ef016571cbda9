"""entity_role check (rules/entities.py) and entity roles (claims/entities.py)."""

from __future__ import annotations

import pytest
from rule_helpers import run_check

from rules.entities import titles_conflict
from rules.registry import load_rule_configs


@pytest.fixture(scope="module")
def config():
    return load_rule_configs()["entity_role"]


def hits(nlp, config, a, b):
    return run_check("entity_role", nlp, config, a, b)


def test_same_person_with_a_different_title_fires(nlp, config):
    (hit,) = hits(
        nlp,
        config,
        "Transport Minister John Smith resigned on Monday.",
        "Labour Minister John Smith resigned on Monday.",
    )
    assert (hit.a_value, hit.b_value) == (
        "transport minister John Smith",
        "labour minister John Smith",
    )


def test_title_that_contains_the_other_is_silent(nlp, config):
    assert not hits(
        nlp,
        config,
        "Blinken spoke with Thai Deputy Prime Minister and Foreign Minister Don Pramudwinai.",
        "Blinken called Thai Foreign Minister Don Pramudwinai.",
    )


def test_spokesman_and_spokesperson_are_the_same_title(nlp, config):
    assert not hits(
        nlp,
        config,
        "State Department spokesman Ned Price said the secretary would return.",
        "State Department spokesperson Ned Price said the secretary would return.",
    )


def test_different_people_in_the_same_role_fire(nlp, config):
    assert hits(
        nlp,
        config,
        "Finance Minister Ali Khan presented the budget.",
        "Finance Minister Omar Said presented the budget.",
    )


def test_different_place_for_the_same_event_fires(nlp, config):
    (hit,) = hits(nlp, config, "The summit was held in Geneva.", "The summit was held in Vienna.")
    assert (hit.a_value, hit.b_value) == ("Geneva", "Vienna")


def test_city_given_with_its_country_is_silent(nlp, config):
    assert not hits(
        nlp, config, "The summit was held in Geneva, Switzerland.", "The summit was held in Geneva."
    )


def test_places_of_different_events_are_silent(nlp, config):
    assert not hits(
        nlp,
        config,
        "The plane took off from Paris and landed in Rome.",
        "The plane landed in Rome.",
    )


def test_title_conflict_rules():
    assert titles_conflict("president", "vice president")
    assert not titles_conflict("ceo", "chief executive officer")
    assert not titles_conflict("former transport minister", "transport minister")
