"""The labelled pair set, its scoring and `crossclaim eval` (rules/scoring.py, eval_rules.py)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from checker.cli.eval_rules import register
from rules.registry import RULES
from rules.scoring import (
    CheckScores,
    LabelledPair,
    Side,
    claims_from_text,
    load_pairs,
    score_pairs,
)

PAIRS = Path(__file__).resolve().parent.parent / "eval" / "rule_pairs.jsonl"


def pair(pid: str, check: str, expect: str) -> LabelledPair:
    side = Side("x", "X", None)
    return LabelledPair(pid, side, side, check, expect)


def test_pair_set_covers_every_check_both_ways_in_both_splits():
    pairs = load_pairs(PAIRS)
    assert len(pairs) >= 200
    counts = Counter((p.check, p.expect, p.split) for p in pairs)
    for check in RULES:
        for expect in ("fire", "silent"):
            assert counts[(check, expect, "dev")] + counts[(check, expect, "test")] >= 15
            assert counts[(check, expect, "dev")] >= 7 and counts[(check, expect, "test")] >= 7


@pytest.mark.parametrize("name", ["rule_pairs_holdout.jsonl", "rule_pairs_blind.jsonl"])
def test_held_out_pair_sets_are_valid_and_cover_every_check(name):
    pairs = load_pairs(PAIRS.parent / name)
    assert {(p.check, p.expect) for p in pairs} == {
        (check, expect) for check in RULES for expect in ("fire", "silent")
    }


def test_scoring_counts_other_checks_on_silent_pairs_as_false_positives():
    fired = {"p1": {"temporal"}, "p2": {"temporal", "numeric"}, "p3": set(), "p4": {"numeric"}}
    pairs = [
        pair("p1", "temporal", "fire"),
        pair("p2", "temporal", "fire"),  # numeric on a fire pair: not counted
        pair("p3", "numeric", "fire"),
        pair("p4", "temporal", "silent"),  # numeric on a silent pair: FP for numeric
    ]
    scores = score_pairs(pairs, lambda p: fired[p.id])
    assert (scores["temporal"].tp, scores["temporal"].fp, scores["temporal"].tn) == (2, 0, 1)
    assert (scores["numeric"].tp, scores["numeric"].fn, scores["numeric"].fp) == (0, 1, 1)


def test_scores_with_no_predictions_do_not_divide_by_zero():
    assert CheckScores().precision == 1.0 and CheckScores().recall == 1.0


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json", "not valid JSON"),
        ('{"check": "tempo", "expect": "fire"}', "'check' must be one of"),
        ('{"check": "temporal", "expect": "maybe"}', "'expect' must be"),
        (
            '{"check": "temporal", "expect": "fire", "a": {"text": "x", "published": "2021-12-15"},'
            ' "b": {"text": "y"}}',
            "needs a UTC offset",
        ),
    ],
)
def test_malformed_pair_lines_are_one_line_errors_with_file_and_line(tmp_path, line, message):
    file = tmp_path / "pairs.jsonl"
    file.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=message) as info:
        load_pairs(file)
    assert str(info.value).startswith(f"{file}:1")
    assert "\n" not in str(info.value)


def test_pair_sentences_go_through_the_real_extractor(nlp):
    [claim] = claims_from_text("The dam did not break, officials said.", "X", None, nlp)
    assert claim.speaker.lower() == "officials"
    assert claim.content.text.startswith("The dam did not break")
    assert claim.negated


def test_eval_command_prints_a_table_and_exits_zero(tmp_path):
    rows = [
        {
            "id": "x1",
            "check": "temporal",
            "expect": "fire",
            "split": "test",
            "a": {"text": "The talks collapsed on Tuesday.", "outlet": "A",
                  "published": "2021-12-15T09:00:00+00:00"},
            "b": {"text": "The talks collapsed on Monday.", "outlet": "B",
                  "published": "2021-12-15T09:00:00+00:00"},
        }
    ]  # fmt: skip
    file = tmp_path / "p.jsonl"
    file.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    app = typer.Typer()
    register(app)
    app.command("noop")(lambda: None)
    result = CliRunner().invoke(app, ["eval", str(file), "--split", "test"])
    assert result.exit_code == 0, result.output
    assert "temporal" in result.output and "1.00" in result.output


def test_eval_command_reports_a_bad_file_in_one_line(tmp_path):
    file = tmp_path / "p.jsonl"
    file.write_text("{oops\n", encoding="utf-8")
    app = typer.Typer()
    register(app)
    app.command("noop")(lambda: None)
    result = CliRunner().invoke(app, ["eval", str(file)])
    assert result.exit_code == 1
    assert "not valid JSON" in result.output
    assert "Traceback" not in result.output
