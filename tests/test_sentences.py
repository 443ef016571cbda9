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
