"""Faithful cross-outlet rewordings that quote, attribution and entity_role must not flag, each
next to a true conflict of the same shape that must still fire (issue 12).

The silent sentences are written in the manner of real same-day reports of one event (quotes
trimmed and re-tensed, sources cited differently, people described by different appositions);
they are not copied from the evaluation corpus.
"""

from __future__ import annotations

import pytest
from rule_helpers import run_check

from rules.registry import load_rule_configs


@pytest.fixture(scope="module")
def configs():
    return load_rule_configs()


def fired(nlp, configs, check: str, a: str, b: str) -> bool:
    return bool(run_check(check, nlp, configs[check], a, b))


# --- quote -----------------------------------------------------------------------------------


def test_quote_retensed_and_reordered_is_silent(nlp, configs):
    assert not fired(
        nlp,
        configs,
        "quote",
        '"We are declaring war on fraud and waste," the mayor said.',
        '"We have declared war on waste and fraud," the mayor said.',
    )


def test_quote_with_words_swapped_in_place_still_fires(nlp, configs):
    assert fired(
        nlp,
        configs,
        "quote",
        '"This is a proud day for our city," the mayor said.',
        '"This is a sad day for our country," the mayor said.',
    )


def test_partial_quote_inside_a_longer_quote_is_silent(nlp, configs):
    assert not fired(
        nlp,
        configs,
        "quote",
        'He said "we are starting the season with more injuries than last year."',
        '"It shows we are starting the season with more injuries than last year," he said.',
    )


def test_longer_quote_adding_a_negated_clause_is_silent(nlp, configs):
    assert not fired(
        nlp,
        configs,
        "quote",
        '"Nobody really knows what happened except me and the driver," Lee said.',
        '"Nobody really knows what happened except me and the driver, and what he said '
        "happened didn't happen,\" Lee said.",
    )


def test_negation_inside_the_same_quote_still_fires(nlp, configs):
    assert fired(
        nlp,
        configs,
        "quote",
        '"Nobody really knows what happened," Lee said.',
        '"Everybody knows what happened," Lee said.',
    )


def test_ordinal_and_spelled_numbers_are_the_same_number(nlp, configs):
    assert not fired(
        nlp,
        configs,
        "quote",
        '"That failure contributed to September the 11th," the senator said.',
        '"That failure contributed to September 11," the senator said.',
    )


def test_vague_amount_for_a_number_is_silent_but_another_number_fires(nlp, configs):
    assert not fired(
        nlp,
        configs,
        "quote",
        '"It will bring growth for our workers over the next four years," Hale said.',
        '"It will bring a growth for our workers over the next few years," Hale said.',
    )
    assert fired(
        nlp,
        configs,
        "quote",
        '"It will bring growth for our workers over the next four years," Hale said.',
        '"It will bring growth for our workers over the next five years," Hale said.',
    )


def test_quantifier_and_time_changes_inside_a_quote_fire(nlp, configs):
    assert fired(
        nlp,
        configs,
        "quote",
        '"We will rebuild every school that was damaged," the governor said.',
        '"We will rebuild most of the schools that were damaged," the governor said.',
    )
    assert fired(
        nlp,
        configs,
        "quote",
        '"We heard this morning that the bridge had failed," Ortiz said.',
        '"We heard last night that the bridge had failed," Ortiz said.',
    )


def test_loose_rendering_with_words_added_and_dropped_is_silent(nlp, configs):
    assert not fired(
        nlp,
        configs,
        "quote",
        '"If we do not march into the capital, I think we will be in good shape," he said.',
        '"As long as we do not march on the capital, I think we are going to be in good '
        'shape," he said.',
    )


# --- attribution -----------------------------------------------------------------------------


def test_newspaper_credited_against_a_person_is_silent(nlp, configs):
    assert not fired(
        nlp,
        configs,
        "attribution",
        "The Boston Globe said the plant would close its night shift on Monday.",
        "The plant would close its night shift on Monday, Crosby said.",
    )


def test_group_named_in_an_apposition_is_the_speaker(nlp, configs):
    assert not fired(
        nlp,
        configs,
        "attribution",
        "The group suing Harlow, the National Tenants Union, said the eviction was illegal.",
        "The National Tenants Union, the group suing Harlow, said the eviction was illegal.",
    )


def test_same_person_spelt_two_ways_is_silent(nlp, configs):
    assert not fired(
        nlp,
        configs,
        "attribution",
        "The bank had nothing to do with the decision, spokesman Sean Sundwell said.",
        "The bank had nothing to do with the decision, Sundwall said.",
    )


def test_generic_description_against_a_named_organisation_is_silent(nlp, configs):
    assert not fired(
        nlp,
        configs,
        "attribution",
        "Chip sales rose 5 percent in July, the industry group said.",
        "Chip sales rose 5 percent in July, the SIA said.",
    )


def test_same_quote_credited_to_two_named_people_still_fires(nlp, configs):
    assert fired(
        nlp,
        configs,
        "attribution",
        '"We are pleased the court dismissed the claims," spokeswoman Ana Ruiz said.',
        '"We are pleased the court dismissed the claims," said spokesman Ben Ortega.',
    )


# --- entity_role -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Gov. Rick Perry signed the bill.", "Governor Rick Perry signed the bill."),
        ("Sen. Ben Nelson voted against it.", "Senator Ben Nelson voted against it."),
        ("Lt. Gov. Ann Cole opened the fair.", "Lieutenant Governor Ann Cole opened the fair."),
        ("Brig. Gen. Mark Holt led the unit.", "Brigadier General Mark Holt led the unit."),
    ],
)
def test_title_abbreviations_are_the_same_title(nlp, configs, a, b):
    assert not fired(nlp, configs, "entity_role", a, b)


def test_different_offices_written_abbreviated_still_fire(nlp, configs):
    assert fired(
        nlp,
        configs,
        "entity_role",
        "Rep. Darrell Issa led the recall drive.",
        "Sen. Darrell Issa led the recall drive.",
    )
    assert fired(
        nlp,
        configs,
        "entity_role",
        "Brigadier General Mark Holt led the unit.",
        "Sergeant Mark Holt led the unit.",
    )


def test_general_description_of_a_specific_office_is_silent(nlp, configs):
    assert not fired(
        nlp,
        configs,
        "entity_role",
        "Treasury Department official John S. Wolf arrived in Cairo.",
        "John S. Wolf, an assistant secretary of the treasury who has served in Egypt, "
        "arrived in Cairo.",
    )


def test_apposition_clauses_and_affiliations_are_not_titles(nlp, configs):
    assert not fired(
        nlp,
        configs,
        "entity_role",
        "Nina Park, a spokeswoman for Halvorsen, said the flight was over.",
        "The pilot's spokesperson Nina Park said the flight was over.",
    )
    assert not fired(
        nlp,
        configs,
        "entity_role",
        "Neal Sonnett, a Miami lawyer who led a bar panel on detainees, criticised the rule.",
        "Neal Sonnett, a Miami lawyer who headed an ABA task force, criticised the rule.",
    )


def test_different_affiliations_of_one_title_still_fire(nlp, configs):
    assert fired(
        nlp,
        configs,
        "entity_role",
        "Microsoft spokesman Dana Ross confirmed the flaw.",
        "Google spokesman Dana Ross confirmed the flaw.",
    )
    assert fired(
        nlp,
        configs,
        "entity_role",
        "FTC Chairman Tim Muris announced the list.",
        "FTC Commissioner Tim Muris announced the list.",
    )


def test_organisation_and_its_acronym_are_silent(nlp, configs):
    assert not fired(
        nlp,
        configs,
        "entity_role",
        "The contract was won by General Electric Co. last year.",
        "The contract was won by GE last year.",
    )


def test_country_against_a_city_in_it_is_silent_for_entity_role(nlp, configs):
    assert not fired(
        nlp,
        configs,
        "entity_role",
        "The protest was held in Baghdad on Friday.",
        "The protest was held in Iraq on Friday.",
    )
