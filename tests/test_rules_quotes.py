"""quote check (rules/quotes.py)."""

from __future__ import annotations

import pytest
from rule_helpers import run_check

from rules.quotes import quote_words
from rules.registry import load_rule_configs


@pytest.fixture(scope="module")
def config():
    return load_rule_configs()["quote"]


def hits(nlp, config, a, b):
    return run_check("quote", nlp, config, a, b)


def test_dropped_negation_is_a_high_severity_contradiction(nlp, config):
    (hit,) = hits(
        nlp,
        config,
        '"We will not raise taxes," the chancellor said.',
        '"We will raise taxes," the chancellor said.',
    )
    assert (hit.verdict, hit.severity) == ("contradiction", "high")


def test_wording_drift_is_a_low_severity_divergence(nlp, config):
    (hit,) = hits(
        nlp,
        config,
        '"This is a dark day for our democracy," the senator said.',
        '"This is a sad day for our country," the senator said.',
    )
    assert (hit.verdict, hit.severity) == ("divergence", "low")


def test_changed_number_word_is_a_contradiction(nlp, config):
    (hit,) = hits(
        nlp,
        config,
        '"Twenty patients remain in intensive care," the doctor said.',
        '"Twelve patients remain in intensive care," the doctor said.',
    )
    assert hit.verdict == "contradiction"


def test_case_and_curly_quotes_are_ignored(nlp, config):
    assert not hits(
        nlp,
        config,
        '"The Secretary extended an invitation to the Foreign Minister," Price said.',
        "\u201cThe secretary extended an invitation to the foreign minister,\u201d Price said.",
    )


def test_shortened_quote_is_silent(nlp, config):
    assert not hits(
        nlp,
        config,
        '"We will continue to adhere to CDC guidance, including with our testing," Price said.',
        '"We will continue to adhere to CDC guidance," Price said.',
    )


def test_words_left_out_with_an_ellipsis_are_silent(nlp, config):
    assert not hits(
        nlp,
        config,
        '"The person was not involved and has not participated in any programs," she said.',
        '"The person was not involved ... in any programs," she said.',
    )


def test_contractions_are_folded():
    assert quote_words("We're not") == quote_words("We are not")
