"""Unlabelled pairs for distillation (``training.augment``): what each kind of pair looks like."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from training.augment import (
    UNLABELED,
    content_words,
    derived_pairs,
    swapped_pairs,
    word_neighbours,
)
from training.data import Example
from training.teacher_labels import labelled_pairs

ROWS = [
    Example("A man rides a red bike in the park.", "A man is riding a bike.", "entailment"),
    Example("A man rides a red bike in the park.", "A woman sleeps at home.", "contradiction"),
    Example("Two dogs run on the beach.", "Animals are outside.", "entailment"),
]


def test_swapped_pairs_change_one_content_word_and_carry_no_label() -> None:
    neighbours = {
        "man": ["woman"],
        "bike": ["car"],
        "dogs": ["cats"],
        "animals": ["plants"],
        "home": ["office"],
    }
    pairs = swapped_pairs(ROWS, neighbours, per_hypothesis=1, seed=3)
    assert len(pairs) == 3
    for original, pair in zip(ROWS, pairs, strict=True):
        assert pair.premise == original.premise
        assert pair.label == UNLABELED and pair.group == "swapped"
        before, after = original.hypothesis.split(), pair.hypothesis.split()
        assert len(before) == len(after)
        assert sum(a != b for a, b in zip(before, after, strict=True)) == 1
    # a capitalised word stays capitalised
    assert pairs[2].hypothesis == "Plants are outside."


def test_swapped_pairs_skip_hypotheses_without_a_known_content_word() -> None:
    assert swapped_pairs(ROWS, {"zebra": ["horse"]}, per_hypothesis=2, seed=0) == []


def test_content_words_leave_out_stop_words_and_short_words() -> None:
    assert [w for _, _, w in content_words("It is not on the big red bus.")] == [
        "big",
        "red",
        "bus",
    ]


def test_word_neighbours_rank_by_cosine_and_skip_inflections() -> None:
    vocab = ["kick", "kicked", "punt", "throw", "##ing", "a"]
    vectors = np.array([[1, 0], [1, 0.01], [1, 0.2], [0, 1], [1, 0], [1, 0]], dtype=np.float32)
    assert word_neighbours(vocab, vectors, ["kick"], k=2) == {"kick": ["punt", "throw"]}


def test_derived_pairs_respect_the_limit_and_are_reproducible() -> None:
    first = derived_pairs(ROWS, 3, seed=5)
    assert len(first) == 3
    assert first == derived_pairs(ROWS, 3, seed=5)
    assert {e.group for e in derived_pairs(ROWS, 100, seed=5)} == {"reversed", "sibling"}


def test_labelled_pairs_read_back_a_soft_label_file(tmp_path: Path) -> None:
    path = tmp_path / "soft.jsonl"
    rows = [
        {"premise": e.premise, "hypothesis": e.hypothesis, "teacher": [0.2, 0.3, 0.5]} for e in ROWS
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    assert labelled_pairs(path) == {(e.premise, e.hypothesis) for e in ROWS}
