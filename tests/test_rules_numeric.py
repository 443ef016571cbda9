"""numeric check (rules/numeric.py)."""

from __future__ import annotations

import pytest
from rule_helpers import run_check

from rules.registry import load_rule_configs


@pytest.fixture(scope="module")
def config():
    return load_rule_configs()["numeric"]


def hits(nlp, config, a, b):
    return run_check("numeric", nlp, config, a, b)


def test_different_count_of_the_same_thing_fires(nlp, config):
    found = hits(
        nlp, config, "Riot police arrested 12 protesters.", "Riot police arrested 21 protesters."
    )
    assert [(h.a_value, h.b_value) for h in found] == [("12", "21")]


def test_bound_that_excludes_the_other_value_fires(nlp, config):
    assert hits(nlp, config, "At least 40 people were killed.", "Twenty-two people were killed.")


def test_bound_that_includes_the_other_value_is_silent(nlp, config):
    assert not hits(
        nlp, config, "More than 40 people were killed.", "Forty-three people were killed."
    )


def test_same_money_in_other_notation_is_silent(nlp, config):
    assert not hits(
        nlp, config, "The deal is worth $1.2bn.", "The deal is worth 1,200 million dollars."
    )


def test_wrong_scale_fires(nlp, config):
    assert hits(nlp, config, "The deal is worth $1.2bn.", "The deal is worth $1.2m.")


def test_mismatched_currency_fires_as_unit_mismatch(nlp, config):
    (hit,) = hits(nlp, config, "The bank was fined 250,000 euros.", "The bank was fined £250,000.")
    assert "different units" in hit.explanation


def test_hour_and_day_durations_agree(nlp, config):
    assert not hits(
        nlp, config, "Rebels agreed a 48-hour ceasefire.", "Rebels agreed a two-day ceasefire."
    )
    assert hits(
        nlp, config, "Rebels agreed a 48-hour ceasefire.", "Rebels agreed a three-day ceasefire."
    )


def test_number_about_something_else_is_silent(nlp, config):
    assert not hits(
        nlp,
        config,
        "Tedros said 77 countries have reported cases of the variant.",
        "The CDC said Omicron accounts for 3% of US cases.",
    )


def test_rel_tolerance_absorbs_rounding(nlp, config):
    strict = config.with_params(rel_tolerance=0.0)
    loose = config.with_params(rel_tolerance=0.1)
    a, b = "The firm cut 1,000 jobs.", "The firm cut 1,050 jobs."
    assert hits(nlp, strict, a, b)
    assert not hits(nlp, loose, a, b)


def test_same_noun_counted_for_different_events_is_silent(nlp, config):
    assert not hits(nlp, config, "The blast killed 40 people.", "The blast wounded 60 people.")


def test_partitive_count_agrees_with_the_part(nlp, config):
    assert not hits(
        nlp, config, "Two of the 11 crew members were rescued.", "Two crew members were rescued."
    )


def test_approx_width_can_narrow_the_range_of_about(nlp, config):
    """'About 100' against 108: silent at the packaged width (0.1), a conflict at 0.01."""
    narrow = config.with_params(approx_width=0.01)
    a, b = (
        "About 100 people were evacuated from the village.",
        "108 people were evacuated from the village.",
    )
    assert not hits(nlp, config, a, b)
    assert hits(nlp, narrow, a, b)


# issue 12: constructions of news text the check now reads (a fire case and a faithful
# paraphrase that must stay silent for each)
@pytest.mark.parametrize(
    ("a", "fire", "silent"),
    [
        (  # 'to X from Y': the old value of the change
            "The airline raised its checked-bag fee to 30 dollars from 25 dollars.",
            "The airline increased its checked-bag fee to 30 dollars from 20 dollars.",
            "The airline increased its checked-bag fee to 30 dollars, up from 25 dollars.",
        ),
        (  # 'from X to Y' after a verb of change: old and new value, not a range
            "Membership of the chess club climbed from 800 to 1,200 this year.",
            "Membership of the chess club climbed to 1,200 this year from 600.",
            "Membership of the chess club rose to 1,200 this year from 800.",
        ),
        (  # an old value agrees only with an old value
            "The factory index rose to 52.9 percent from 51.5 percent in May.",
            "The factory index rose by 1.4 points from 51.5 percent in May to 59.8 percent.",
            "The factory index rose by 1.4 points from 51.5 percent in May to 52.9 percent.",
        ),
        (  # a scaled decimal is no range: '$4.3 billion' after 'compared with' is an old value
            "Spending is forecast at $4.4 billion, compared with an earlier forecast of $4.3 "
            "billion.",
            "Spending is forecast at $4.4 billion, compared with an earlier forecast of $6.3 "
            "billion.",
            "Spending is forecast at $4.4bn, compared with an earlier forecast of $4.3bn.",
        ),
        (  # verbs of one class are one verb ('dipped' / 'slipped')
            "The confidence gauge dipped to 48.1 from 51.2 in March.",
            "The confidence gauge slipped to 48.1 in April from 55.0 in March.",
            "The confidence gauge slipped to 48.1 in April from 51.2 in March.",
        ),
        (  # the single amount on its verb, though the claim has two
            "The charity said it spent $80 million but raised only $45 million last year.",
            "Last year the charity spent $80 million on shelters, while raising only $65 million.",
            "Last year the charity spent $80 million on shelters, while raising only $45 million.",
        ),
        (  # the same specific counted noun, frames alike only loosely
            "The public inquiry, hearing 40 witnesses, could continue into the autumn.",
            "Lawyers said 65 witnesses would give evidence at the inquiry.",
            "Lawyers said 40 witnesses would give evidence at the inquiry.",
        ),
        (  # kilos are kilograms
            "The climber has lost 9 kilograms since March.",
            "The climber has lost 14 kilos since March.",
            "The climber has lost 9 kilos since March.",
        ),
        (  # a fraction written with a slash
            "The ferry crossing took 3 1/2 hours in heavy seas.",
            "The ferry crossing took 5 hours in heavy seas.",
            "The ferry crossing took 3.5 hours in heavy seas.",
        ),
    ],
)
def test_constructions_of_issue_12(nlp, config, a, fire, silent):
    assert hits(nlp, config, a, fire)
    assert not hits(nlp, config, a, silent)
