"""Generated news NLI pairs: each edit changes what it says it changes, deterministically."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from training.generate_news_pairs import (  # noqa: E402
    Story,
    add_about,
    drop_attribution,
    generate_pairs,
    reword_date,
    reword_number,
    split_sentences,
    swap_date,
    swap_number,
    swap_weekday,
    toggle_negation,
)

STORY = Story(
    "test-story",
    [
        "Blinken and senior officials had tested negative on Wednesday in Kuala Lumpur, "
        "Price said.",
        "The reporter will remain in quarantine for at least 10 days before returning home.",
        "Secretary of State Antony Blinken cut his visit to Malaysia short on Dec. 15, 2021.",
        "The officials were not involved in any of the meetings in Kuala Lumpur.",
        "Three senior officials met Foreign Minister Saifuddin Abdullah in Kuala Lumpur.",
    ],
)


@pytest.fixture(scope="module")
def nlp():  # noqa: ANN201 - spaCy Language
    from claims.nlp import load_nlp

    return load_nlp()


def test_weekday_swap_changes_only_the_weekday(nlp) -> None:  # noqa: ANN001
    doc = nlp(STORY.sentences[0])
    out = swap_weekday(doc, random.Random(0))
    assert out is not None and "Wednesday" not in out
    assert out.replace(out.split(" on ")[1].split()[0], "Wednesday") == doc.text


def test_number_swap_changes_the_value(nlp) -> None:  # noqa: ANN001
    out = swap_number(nlp(STORY.sentences[1]), random.Random(0))
    assert out is not None and "at least 10 days" not in out


def test_date_swap_changes_month_day_or_year(nlp) -> None:  # noqa: ANN001
    doc = nlp(STORY.sentences[2])
    out = swap_date(doc, random.Random(1))
    assert out is not None and out != doc.text
    assert "Dec. 15, 2021" not in out


def test_negation_is_added_to_a_positive_sentence_and_removed_from_a_negative_one(
    nlp,  # noqa: ANN001
) -> None:
    added = toggle_negation(nlp(STORY.sentences[1]), random.Random(0))
    assert added == (
        "The reporter will not remain in quarantine for at least 10 days before returning home.",
        "add_negation",
    )
    removed = toggle_negation(nlp(STORY.sentences[3]), random.Random(0))
    assert removed is not None and removed[1] == "remove_negation"
    assert " not " not in removed[0]


def test_attribution_is_dropped_keeping_the_reported_claim(nlp) -> None:  # noqa: ANN001
    out = drop_attribution(nlp(STORY.sentences[0]))
    assert out == "Blinken and senior officials had tested negative on Wednesday in Kuala Lumpur."


def test_meaning_keeping_number_and_date_rewordings(nlp) -> None:  # noqa: ANN001
    assert "about 10 days" in (add_about(nlp(STORY.sentences[1]), random.Random(0)) or "")
    assert "ten days" in (reword_number(nlp(STORY.sentences[1]), random.Random(0)) or "")
    assert "December 15, 2021" in (reword_date(nlp(STORY.sentences[2]), random.Random(0)) or "")


def test_generation_is_deterministic_and_makes_all_three_labels(nlp) -> None:  # noqa: ANN001
    first = generate_pairs([STORY], nlp, seed=5)
    assert first == generate_pairs([STORY], nlp, seed=5)
    assert {p.label for p in first} == {"entailment", "neutral", "contradiction"}
    assert all(p.premise != p.hypothesis for p in first)
    assert all(p.story_id == "test-story" for p in first)


def test_sentence_splitter_skips_navigation_lines() -> None:
    text = (
        "Watch CBS News\nBlinken left the city of Jakarta on Tuesday. "
        "He flew to Kuala Lumpur for talks next.\n"
    )
    assert split_sentences(text) == [
        "Blinken left the city of Jakarta on Tuesday.",
        "He flew to Kuala Lumpur for talks next.",
    ]
