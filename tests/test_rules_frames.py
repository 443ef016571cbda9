"""The frame test (rules/matching.py) and the checks' frame path: values compared by slot when two
outlets tell the same event in other words (other verbs, other word order, other nouns)."""

from __future__ import annotations

import pytest
from rule_helpers import PUB, run_check

from rules.matching import frame_match, frame_words, masked_tokens, pair_residuals
from rules.registry import load_rule_configs
from rules.scoring import claim_from_text


@pytest.fixture(scope="module")
def configs():
    return load_rule_configs()


def fired(nlp, configs, check: str, a: str, b: str) -> list[tuple[str, str]]:
    return [(h.a_value, h.b_value) for h in run_check(check, nlp, configs[check], a, b)]


# --- the frame test itself ---------------------------------------------------------------------


def test_masked_frame_replaces_values_by_their_type(nlp):
    claim = claim_from_text("Shares of Acme closed at $21.51 on Friday.", "A", PUB, nlp)
    tokens = masked_tokens(claim)
    assert "<num>" in tokens and "<time>" in tokens
    assert "21" not in tokens and "friday" not in tokens


def test_reworded_report_of_one_event_matches_its_frame(nlp):
    a = claim_from_text("The company's revenue fell 15 percent in the quarter.", "A", PUB, nlp)
    b = claim_from_text("In the quarter, revenue at the company dropped 15 percent.", "B", PUB, nlp)
    assert frame_match(a, b).holds(70, 3)


def test_unrelated_sentences_do_not_match_frames(nlp):
    a = claim_from_text("The storm killed 12 people in the coastal towns.", "A", PUB, nlp)
    b = claim_from_text("Parliament approved the budget after a long debate.", "B", PUB, nlp)
    assert not frame_match(a, b).holds(70, 3)


def test_titles_are_left_out_of_the_frame(nlp):
    claim = claim_from_text("Judge Robert Yeates ordered a new hearing.", "A", PUB, nlp)
    words = frame_words(claim)
    assert "order" in words
    assert not {"judge", "robert", "yeates"} & words


def test_shared_values_are_set_aside_and_the_odd_ones_paired():
    # a: 5, 7; b: 5, 9 -> 7 against 9
    a, b = [5, 7], [5, 9]
    pairs = pair_residuals(2, 2, lambda i, j: a[i] == b[j], lambda i, j: True)
    assert pairs == [(1, 1)]


def test_two_odd_values_on_one_side_are_not_guessed():
    a, b = [5, 7, 8], [5, 9]
    assert pair_residuals(3, 2, lambda i, j: a[i] == b[j], lambda i, j: True) == []


# --- numeric ------------------------------------------------------------------------------------


def test_price_given_with_other_verbs_fires(nlp, configs):
    found = fired(
        nlp,
        configs,
        "numeric",
        "Shares of the chipmaker ended the day at $3.01 on the Nasdaq.",
        "The chipmaker's shares finished trading on the Nasdaq at $4.76.",
    )
    assert found == [("3.01 USD", "4.76 USD")]


def test_count_of_differently_named_people_fires(nlp, configs):
    found = fired(
        nlp,
        configs,
        "numeric",
        "About 90,000 U.S. troops remain stationed in the region.",
        "Some 130,000 American soldiers remain stationed in the region.",
    )
    assert found == [("90000", "130000")]


def test_percent_change_of_one_market_with_other_subjects_fires(nlp, configs):
    found = fired(
        nlp,
        configs,
        "numeric",
        "Sales in the regional chip market will decline 3.4 percent this year, the group said.",
        "The group said the regional market for chips would decline 2.1 percent this year.",
    )
    assert found == [("3.4 %", "2.1 %")]


def test_same_figures_in_another_frame_are_silent(nlp, configs):
    assert not fired(
        nlp,
        configs,
        "numeric",
        "Profit rose 12 percent to $4.2 billion, the bank said on Tuesday.",
        "The bank on Tuesday reported a $4.2 billion profit, up 12 percent.",
    )


def test_rounded_figure_of_the_same_change_is_silent(nlp, configs):
    assert not fired(
        nlp,
        configs,
        "numeric",
        "Shares of the carrier climbed 4.4 percent in early trading.",
        "The carrier's shares climbed 4 percent in early trading.",
    )


def test_extra_figure_on_one_side_is_silent(nlp, configs):
    assert not fired(
        nlp,
        configs,
        "numeric",
        "The fire destroyed 40 homes and forced 2,000 residents to flee.",
        "Some 2,000 residents fled the fire, which destroyed homes in the valley.",
    )


# --- temporal -----------------------------------------------------------------------------------


def test_month_of_a_decision_told_in_other_words_fires(nlp, configs):
    found = fired(
        nlp,
        configs,
        "temporal",
        "The board is waiting until January to decide on the merger.",
        "The board will decide on the merger in October.",
    )
    assert len(found) == 1


def test_weekday_of_a_closing_price_with_another_verb_fires(nlp, configs):
    found = fired(
        nlp,
        configs,
        "temporal",
        "Acme shares fell 5 cents to close Wednesday at $21.51 on the Nasdaq.",
        "On Friday, Acme's stock lost 5 cents and ended at $21.51 on the Nasdaq.",
    )
    assert len(found) == 1


def test_weekday_that_names_the_written_date_is_silent(nlp, configs):
    # 2022-06-02 is a Thursday; the publication date (June 10) would make 'Thursday' June 9
    assert not fired(
        nlp,
        configs,
        "temporal",
        "Mr. Florence died Thursday of heart failure, the family's lawyer said.",
        "Brian Florence, 38, died June 2 of a heart attack, said the family's lawyer.",
    )


def test_same_date_in_another_frame_is_silent(nlp, configs):
    assert not fired(
        nlp,
        configs,
        "temporal",
        "The museum reopened to the public on March 3 after repairs.",
        "After repairs, visitors were let back into the museum on March 3.",
    )


# --- negation -----------------------------------------------------------------------------------


def test_denied_drop_with_another_subject_wording_fires(nlp, configs):
    assert fired(
        nlp,
        configs,
        "negation",
        "Quarterly revenue at the retailer did not drop 15 percent.",
        "The retailer's revenue for the quarter dropped 15 percent.",
    )


def test_judge_named_differently_who_did_not_order_fires(nlp, configs):
    assert fired(
        nlp,
        configs,
        "negation",
        "A judge did not order the child placed in foster care on Monday.",
        "Judge Robert Yeates ordered on Monday that the child be placed in foster care.",
    )


def test_failure_noun_paraphrase_of_a_negation_is_silent(nlp, configs):
    assert not fired(
        nlp,
        configs,
        "negation",
        "The flaw results from the browser's failure to properly check the file type.",
        "The flaw occurs because the browser does not properly check the file type.",
    )


def test_same_polarity_in_another_frame_is_silent(nlp, configs):
    assert not fired(
        nlp,
        configs,
        "negation",
        "The council did not approve the plan on Tuesday.",
        "On Tuesday the plan was not approved by the council.",
    )


def test_market_report_at_another_hour_is_silent(nlp, configs):
    # every figure differs: another moment's report, not one misreported value
    assert not fired(
        nlp,
        configs,
        "numeric",
        "Shares of the hospital chain dropped $2.21, or 5.8 percent, to $36.14.",
        "Shares of the hospital chain dropped $1.21, or 3.2 percent, to $37.14.",
    )


def test_hyphenated_scale_reads_as_the_same_amount(nlp, configs):
    assert not fired(
        nlp,
        configs,
        "numeric",
        "The insurer paid a $10 million fine last year to settle the charges.",
        "The insurer previously paid a $10-million penalty to settle the charges.",
    )


def test_two_values_changed_at_once_are_another_event(nlp, configs):
    # another day and another figure: another round of arrests, not a misreport
    assert not fired(
        nlp,
        configs,
        "numeric",
        "Police arrested 13 protesters on Monday after they blocked traffic downtown.",
        "On Friday, 83 protesters were arrested for blocking traffic downtown.",
    )
