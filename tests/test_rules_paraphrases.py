"""Faithful paraphrases from different outlets stay silent; the contradiction of the same shape
still fires (issue 12: rule false alarms on real same-day sentence pairs).

Each paraphrase pair is written as two outlets would word the same fact, not as a one-word
change; each has a contradicting twin that must keep firing.
"""

from __future__ import annotations

import datetime as dt

import pytest
from rule_helpers import run_check

from rules.base import RuleHit
from rules.registry import RULES, load_rule_configs
from rules.scoring import claim_from_text

NEW_YORK = dt.timezone(dt.timedelta(hours=-5))


@pytest.fixture(scope="module")
def configs():
    return load_rule_configs()


def fired(nlp, configs, check: str, a: str, b: str, **published: dt.datetime) -> list[RuleHit]:
    """Hits of ``check`` on sentence ``a`` (outlet A) against ``b`` (outlet B); ``pub_a`` and
    ``pub_b`` give each side its own publication time."""
    if not published:
        return run_check(check, nlp, configs[check], a, b)
    claim_a = claim_from_text(a, "A", published["pub_a"], nlp, "a")
    claim_b = claim_from_text(b, "B", published["pub_b"], nlp, "b")
    return RULES[check](claim_a, claim_b, configs[check])


# --- 1. a negated verb against a word or phrase of negative meaning --------------------------


def test_not_able_and_unable_agree(nlp, configs):
    assert not fired(
        nlp,
        configs,
        "negation",
        "Because of the air traffic control strike, the prime minister was not able to fly to "
        "Brussels for the summit.",
        "The prime minister was unable to fly to Brussels for the summit because air traffic "
        "controllers walked out.",
    )


def test_unable_against_flew_fires(nlp, configs):
    assert fired(
        nlp,
        configs,
        "negation",
        "The prime minister was unable to fly to Brussels for the summit because of the strike.",
        "Despite the strike, the prime minister flew to Brussels for the summit.",
    )


def test_decided_not_to_and_decided_against_agree(nlp, configs):
    assert not fired(
        nlp,
        configs,
        "negation",
        "The central bank decided not to raise interest rates at its June meeting, citing "
        "slowing growth.",
        "Citing slowing growth, the central bank decided against raising interest rates when it "
        "met in June.",
    )


def test_decided_against_raising_against_raised_fires(nlp, configs):
    assert fired(
        nlp,
        configs,
        "negation",
        "Citing slowing growth, the central bank decided against raising interest rates.",
        "The central bank raised interest rates at its June meeting.",
    )


def test_did_not_attend_and_skipped_agree(nlp, configs):
    assert not fired(
        nlp,
        configs,
        "negation",
        "The defence minister did not attend Tuesday's NATO meeting in Brussels.",
        "The defence minister skipped the NATO meeting in Brussels on Tuesday and sent his "
        "deputy to attend in his place.",
    )


def test_skipped_against_attended_fires(nlp, configs):
    (hit,) = fired(
        nlp,
        configs,
        "negation",
        "The defence minister skipped the NATO meeting in Brussels on Tuesday.",
        "The defence minister attended Tuesday's NATO meeting in Brussels.",
    )
    assert "not attend" in hit.a_value


def test_failed_to_and_did_not_agree(nlp, configs):
    assert not fired(
        nlp,
        configs,
        "negation",
        "The ruling party failed to win a majority or form a coalition in the upper house, "
        "according to official results.",
        "According to official results, the ruling party did not win a majority and could not "
        "form a coalition in the upper house.",
    )


# --- 2. correlative negation ('neither ... nor') ----------------------------------------------


def test_neither_confirmed_nor_denied_agrees_with_would_not_confirm_or_deny(nlp, configs):
    assert not fired(
        nlp,
        configs,
        "negation",
        "The ministry neither confirmed nor denied the report that the envoy had been recalled.",
        "The ministry would not confirm or deny reports that its envoy had been recalled.",
    )


def test_would_neither_confirm_nor_deny_agrees_with_did_not_confirm_or_deny(nlp, configs):
    assert not fired(
        nlp,
        configs,
        "negation",
        "The club would neither confirm nor deny that its captain had agreed to join the Spanish "
        "champions.",
        "The club did not confirm or deny its captain's move to the Spanish champions.",
    )


def test_neither_subject_agrees_with_did_not(nlp, configs):
    assert not fired(
        nlp,
        configs,
        "negation",
        "Neither the president nor his aides attended the memorial service in the capital.",
        "The president did not attend the memorial service in the capital, and neither did his "
        "aides.",
    )


def test_neither_confirmed_nor_denied_against_confirmed_fires(nlp, configs):
    assert fired(
        nlp,
        configs,
        "negation",
        "The ministry neither confirmed nor denied the report that the envoy had been recalled.",
        "The ministry confirmed the report that its envoy had been recalled.",
    )


def test_neither_subject_against_attended_fires(nlp, configs):
    assert fired(
        nlp,
        configs,
        "negation",
        "Neither the president nor his aides attended the memorial service in the capital.",
        "The president attended the memorial service in the capital with his aides.",
    )


# --- 3. clock times in two time zones -----------------------------------------------------------

EST_PUB = dt.datetime(2024, 1, 16, 9, tzinfo=NEW_YORK)
GMT_PUB = dt.datetime(2024, 1, 16, 14, tzinfo=dt.UTC)


def test_est_and_gmt_of_the_same_instant_agree(nlp, configs):
    assert not fired(
        nlp,
        configs,
        "temporal",
        "The president will address the nation at 3 p.m. EST, the White House said.",
        "The president is due to address the nation at 20:00 GMT.",
        pub_a=EST_PUB,
        pub_b=GMT_PUB,
    )


def test_dated_est_and_gmt_of_the_same_instant_agree(nlp, configs):
    assert not fired(
        nlp,
        configs,
        "temporal",
        "The president will give an address to the nation at 3 p.m. EST on Wednesday, the White "
        "House said.",
        "The president is due to give his address to the nation at 20:00 GMT on Wednesday.",
        pub_a=EST_PUB,
        pub_b=GMT_PUB,
    )


def test_est_against_a_different_gmt_time_fires(nlp, configs):
    (hit,) = fired(
        nlp,
        configs,
        "temporal",
        "The president will address the nation at 3 p.m. EST, the White House said.",
        "The president is due to address the nation at 22:00 GMT.",
        pub_a=EST_PUB,
        pub_b=GMT_PUB,
    )
    assert (hit.a_value, hit.b_value) == ("15:00 EST", "22:00 GMT")


def test_dated_est_against_a_different_gmt_time_fires(nlp, configs):
    assert fired(
        nlp,
        configs,
        "temporal",
        "The president will give an address to the nation at 3 p.m. EST on Wednesday, the White "
        "House said.",
        "The president is due to give his address to the nation at 22:00 GMT on Wednesday.",
        pub_a=EST_PUB,
        pub_b=GMT_PUB,
    )


def test_zoned_time_agrees_with_the_same_time_in_the_other_outlets_offset(nlp, configs):
    assert not fired(
        nlp,
        configs,
        "temporal",
        "The president will address the nation at 3 p.m. EST, the White House said.",
        "The president will address the nation at 8 p.m., the White House said.",
        pub_a=EST_PUB,
        pub_b=GMT_PUB,
    )


def test_zoned_time_against_an_unzoned_time_matching_neither_reading_fires(nlp, configs):
    assert fired(
        nlp,
        configs,
        "temporal",
        "The president will address the nation at 3 p.m. EST, the White House said.",
        "The president will address the nation at 6 p.m., the White House said.",
        pub_a=EST_PUB,
        pub_b=GMT_PUB,
    )


# --- 4. 'later this week' ---------------------------------------------------------------------

SUNDAY = dt.datetime(2024, 1, 14, 9, tzinfo=NEW_YORK)


def test_later_this_week_written_on_a_sunday_is_the_coming_days(nlp, configs):
    assert not fired(
        nlp,
        configs,
        "temporal",
        "The foreign minister will travel to Beijing later this week for talks on trade.",
        "The foreign minister is expected to travel to Beijing on Thursday to hold trade talks.",
        pub_a=SUNDAY,
        pub_b=SUNDAY,
    )


def test_later_this_week_against_a_past_day_fires(nlp, configs):
    assert fired(
        nlp,
        configs,
        "temporal",
        "The foreign minister will travel to Beijing later this week for talks on trade.",
        "The foreign minister travelled to Beijing on Thursday for talks on trade.",
        pub_a=SUNDAY,
        pub_b=SUNDAY,
    )


# --- 5. the time of a subordinate clause or phrase ----------------------------------------------

WEDNESDAY = dt.datetime(2024, 1, 17, 9, tzinfo=NEW_YORK)


def test_time_of_an_after_phrase_is_not_the_main_verbs(nlp, configs):
    assert not fired(
        nlp,
        configs,
        "temporal",
        "The party elected its new leader on Tuesday, a day after Monday's vote of no confidence.",
        "After losing a confidence vote on Monday, the party elected a new leader on Tuesday.",
        pub_a=WEDNESDAY,
        pub_b=WEDNESDAY,
    )


def test_subordinate_clause_with_the_main_verbs_lemma_agrees(nlp, configs):
    assert not fired(
        nlp,
        configs,
        "temporal",
        "Consumer prices rose 4.1% in May, up from a 3.9% increase in April.",
        "In May consumer prices climbed 4.1 percent after rising 3.9 percent in April.",
        pub_a=WEDNESDAY,
        pub_b=WEDNESDAY,
    )


def test_main_verb_dated_differently_still_fires(nlp, configs):
    assert fired(
        nlp,
        configs,
        "temporal",
        "The party elected its new leader on Tuesday, a day after Monday's vote of no confidence.",
        "The party elected a new leader on Monday after losing a confidence vote.",
        pub_a=WEDNESDAY,
        pub_b=WEDNESDAY,
    )


# --- 6. a percentage against a change in percentage points --------------------------------------


def test_change_in_points_is_not_compared_with_the_new_level(nlp, configs):
    assert not fired(
        nlp,
        configs,
        "numeric",
        "Support for the party rose 2 percentage points to 45%, the poll found.",
        "Support for the party rose to 45 percent, according to the poll.",
    )


def test_change_in_points_written_apart_is_not_compared_with_the_new_level(nlp, configs):
    assert not fired(
        nlp,
        configs,
        "numeric",
        "Support for the governing party rose 2 percentage points, to 45 percent.",
        "The latest poll found that support for the governing party rose to 45%.",
    )


def test_different_level_after_a_change_in_points_fires(nlp, configs):
    (hit,) = fired(
        nlp,
        configs,
        "numeric",
        "Support for the party rose 2 percentage points to 45%, the poll found.",
        "Support for the party rose to 47 percent, according to the poll.",
    )
    assert (hit.a_value, hit.b_value) == ("45 %", "47 %")


def test_points_against_a_percent_change_still_fires(nlp, configs):
    (hit,) = fired(
        nlp,
        configs,
        "numeric",
        "Support for the party rose 2 percentage points to 45%, the poll found.",
        "Support for the party rose by 2%, according to the poll.",
    )
    assert (hit.a_value, hit.b_value) == ("2 pp", "2 %")


# --- 7. the two numbers of a comparison ('X, up from Y') ----------------------------------------


def test_up_from_figure_is_not_paired_with_the_new_figure(nlp, configs):
    assert not fired(
        nlp,
        configs,
        "numeric",
        "The recall now covers 1.2 million vehicles worldwide.",
        "The expanded recall covers 1.2 million cars, up from about 800,000 vehicles.",
    )


def test_earlier_figure_in_a_relative_clause_is_not_paired_with_the_new_one(nlp, configs):
    assert not fired(
        nlp,
        configs,
        "numeric",
        "The recall now covers 1.2 million vehicles worldwide.",
        "The recall, which initially covered about 800,000 vehicles, now covers 1.2 million cars.",
    )


def test_different_new_figure_beside_an_up_from_figure_fires(nlp, configs):
    (hit,) = fired(
        nlp,
        configs,
        "numeric",
        "The recall now covers 1.5 million vehicles worldwide.",
        "The expanded recall covers 1.2 million vehicles, up from about 800,000 vehicles.",
    )
    assert (hit.a_value, hit.b_value) == ("1.5e+06", "1.2e+06")


def test_a_year_earlier_does_not_make_a_figure_a_rate(nlp):
    from claims.quantities import find_quantities

    text = "Exports rose to $3.2 billion, compared with $2.9 billion a year earlier."
    assert [(q.kind, q.unit) for q in find_quantities(text, 0, len(text), nlp(text))] == [
        ("money", "USD"),
        ("money", "USD"),
    ]


# --- 8. a title as a phrase in one outlet and as a prefix in the other --------------------------


def test_title_phrase_with_the_company_agrees_with_a_prefixed_title(nlp, configs):
    assert not fired(
        nlp,
        configs,
        "entity_role",
        "Smith, the company's chief executive, told analysts that sales would recover next year.",
        "Acme Chief Executive John Smith told analysts that sales would recover next year.",
    )


def test_different_office_written_as_a_phrase_still_fires(nlp, configs):
    assert fired(
        nlp,
        configs,
        "entity_role",
        "Smith, the company's chief financial officer, told analysts that sales would recover "
        "next year.",
        "Acme Chief Executive John Smith told analysts that sales would recover next year.",
    )


# --- 9. a middle initial -------------------------------------------------------------------------


def test_middle_initial_does_not_pull_the_given_name_into_the_title(nlp, configs):
    assert not fired(
        nlp,
        configs,
        "entity_role",
        "Secretary of State Antony J. Blinken met his Chinese counterpart in Beijing on Friday.",
        "U.S. Secretary of State Antony Blinken held talks with his Chinese counterpart in "
        "Beijing on Friday.",
    )


def test_another_office_with_a_middle_initial_still_fires(nlp, configs):
    (hit,) = fired(
        nlp,
        configs,
        "entity_role",
        "Deputy Secretary of State Antony J. Blinken met his Chinese counterpart in Beijing.",
        "U.S. Secretary of State Antony Blinken held talks with his Chinese counterpart in "
        "Beijing.",
    )
    assert hit.a_value.startswith("deputy secretary of state Antony J. Blinken")
