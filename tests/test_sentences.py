"""Sentence splitting: exact offsets and the tricky boundaries of news text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claims.readers import read_bundle
from claims.sentences import split_sentences

HERE = Path(__file__).resolve().parent
GOLD = [json.loads(line) for line in (HERE / "data" / "sentence_gold.jsonl").open(encoding="utf-8")]
EXAMPLES = HERE.parent / "examples"


def _texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


@pytest.mark.parametrize("case", GOLD, ids=[c["case"] for c in GOLD])
def test_gold_case_splits_exactly(case: dict) -> None:
    assert _texts(case["text"]) == case["sentences"]


def test_offsets_point_into_the_text_on_every_example_article() -> None:
    articles, _ = read_bundle([EXAMPLES / "blinken-2021-12", EXAMPLES / "austin-dong-2024-04"])
    assert articles
    for article in articles:
        for sentence in split_sentences(article.text):
            assert article.text[sentence.start : sentence.end] == sentence.text
            assert sentence.text == sentence.text.strip()


def test_attribution_after_quote_with_comma_stays_in_one_sentence() -> None:
    text = '"They will return out of an abundance of caution," Price said. He left.'
    assert _texts(text)[0] == '"They will return out of an abundance of caution," Price said.'


def test_sentence_ending_inside_closing_quote_ends_after_the_quote() -> None:
    text = 'Tedros said: "We underestimate this virus at our peril." The CDC agreed.'
    assert _texts(text) == [
        'Tedros said: "We underestimate this virus at our peril."',
        "The CDC agreed.",
    ]


def test_blank_line_ends_a_sentence_without_punctuation() -> None:
    assert _texts("Related stories\n\nThe reporter will remain in quarantine.") == [
        "Related stories",
        "The reporter will remain in quarantine.",
    ]


def test_bullet_marker_is_left_out_of_the_span() -> None:
    text = "  • Blinken ended a trip early.\n  • The top US diplomat skipped Thailand."
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "Blinken ended a trip early.",
        "The top US diplomat skipped Thailand.",
    ]
    assert text[sentences[1].start - 2 : sentences[1].start] == "• "


def test_markdown_heading_is_its_own_sentence() -> None:
    assert _texts("# Blinken ends trip\nHe left early. Then he flew.") == [
        "Blinken ends trip",
        "He left early.",
        "Then he flew.",
    ]


def test_initial_before_surname_does_not_end_sentence() -> None:
    assert len(split_sentences("Antony J. Blinken met Lloyd J. Austin III in Washington.")) == 1


def test_initial_before_sentence_starter_ends_sentence() -> None:
    assert _texts("They chose Plan B. The rest refused.") == [
        "They chose Plan B.",
        "The rest refused.",
    ]


def test_empty_and_whitespace_text_give_no_sentences() -> None:
    assert split_sentences("") == []
    assert split_sentences(" \n\n \n") == []


def test_text_without_final_punctuation_is_one_sentence() -> None:
    assert _texts("Blinken halts Asia trip after Covid case") == [
        "Blinken halts Asia trip after Covid case"
    ]


def test_numbered_lines_are_bullets_with_the_number_left_out() -> None:
    sentences = split_sentences("1. Blinken left early\n2) Staff tested negative")
    assert [(s.text, s.kind) for s in sentences] == [
        ("Blinken left early", "bullet"),
        ("Staff tested negative", "bullet"),
    ]


def test_sentence_kinds_follow_their_lines() -> None:
    text = "# Trip cut short\n- Blinken left.\n\nHe flew home."
    assert [s.kind for s in split_sentences(text)] == ["heading", "bullet", "body"]


def test_unpunctuated_headline_line_above_its_text_is_a_sentence_of_its_own() -> None:
    text = (
        "Blinken halts Asia trip after Covid case\n"
        "Secretary of State Antony Blinken cut his Southeast Asia visit short on Wednesday."
    )
    assert _texts(text) == [
        "Blinken halts Asia trip after Covid case",
        "Secretary of State Antony Blinken cut his Southeast Asia visit short on Wednesday.",
    ]


def test_list_of_unpunctuated_snippet_lines_gives_one_sentence_per_line() -> None:
    text = "Blinken cuts Asia trip short\nReporter tests positive\nStaff test negative"
    assert _texts(text) == [
        "Blinken cuts Asia trip short",
        "Reporter tests positive",
        "Staff test negative",
    ]


@pytest.mark.parametrize(
    "text",
    [
        # hard-wrapped prose: a capitalised word after a line as long as its neighbours
        "Secretary of State Antony Blinken cut short his trip on Wednesday after\n"
        "Malaysian officials confirmed the case among the press corps travelling\n"
        "with him.",
        # the line ends in a word that cannot end a sentence
        "The decision was made after talks with\nThai Foreign Minister Don Pramudwinai.",
        "Blinken called his Thai counterpart and\nDon Pramudwinai accepted.",
    ],
)
def test_wrapped_lines_are_not_split(text: str) -> None:
    assert len(split_sentences(text)) == 1
