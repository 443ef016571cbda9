"""eval/make_real_pairs.py: story split by component, and edits that change only their target."""

from __future__ import annotations

import importlib.util
import json
import random
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "eval" / "make_real_pairs.py"

SENTENCES = [
    ("101", "The council approved 4,500 new homes on Tuesday, the mayor said.", "www.a.com"),
    ("102", "On Tuesday the council approved 4,500 new homes, said the mayor.", "www.b.com"),
    ("103", "The mayor said the council backed 4,500 homes in a Tuesday vote.", "www.c.com"),
    ("201", "Shares of Acme fell 3 percent to $12.50 in early trading.", "www.a.com"),
    ("202", "Acme shares dropped 3 percent to $12.50 early in the session.", "*"),
    ("301", "Rescue teams reached the flooded valley after a long night.", "www.d.com"),
    ("302", "Teams reached the valley, which had flooded, after the night.", "www.e.com"),
]
PAIRS = [("1", "101", "102"), ("1", "102", "103"), ("1", "201", "202"), ("0", "301", "302")]


def load_script() -> ModuleType:
    """Import the script as a module (eval/ is not a package)."""
    spec = importlib.util.spec_from_file_location("make_real_pairs", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def mrp() -> ModuleType:
    return load_script()


@pytest.fixture()
def fake_mrpc(tmp_path: Path) -> Path:
    """A tiny made-up folder in MRPC's two-file layout."""
    folder = tmp_path / "mrpc"
    folder.mkdir()
    text = {sid: s for sid, s, _ in SENTENCES}
    lines = ["Sentence ID\tString\tAuthor\tURL\tAgency\tDate\tWeb Date"]
    lines += [f"{sid}\t{s}\t*\t{url}\tWire\t*\t2003/06/04" for sid, s, url in SENTENCES]
    (folder / "msr_paraphrase_sentences_train.txt").write_text("\n".join(lines) + "\n")
    rows = ["Quality\t#1 ID\t#2 ID\t#1 String\t#2 String"]
    rows += [f"{q}\t{a}\t{b}\t{text[a]}\t{text[b]}" for q, a, b in PAIRS]
    (folder / "msr_paraphrase_train.txt").write_text("\n".join(rows) + "\n")
    return folder


def test_both_sides_of_a_component_land_in_one_split(mrp: ModuleType, fake_mrpc: Path) -> None:
    pairs, sentences = mrp.read_mrpc(fake_mrpc)
    story = mrp.story_components(pairs, sentences)
    # 101-102 and 102-103 share sentence 102: one story, whatever its split
    assert story["101"] == story["102"] == story["103"] == "101"
    assert story["201"] == story["202"] != story["101"]
    for pair in pairs:
        assert mrp.split_of(story[pair.id_a]) == mrp.split_of(story[pair.id_b])
    assert sentences["202"].outlet == "Wire" and sentences["101"].outlet == "a.com"


@pytest.mark.slow
def test_build_and_number_swap_changes_only_the_target(
    mrp: ModuleType, fake_mrpc: Path, tmp_path: Path, nlp
) -> None:
    out = tmp_path / "out"
    counts = mrp.build(fake_mrpc, out, nlp)
    assert counts["real_paraphrases.jsonl"] == 3
    rows = [json.loads(line) for line in (out / "injected.jsonl").read_text().splitlines()]
    para_lines = (out / "real_paraphrases.jsonl").read_text().splitlines()
    para = {r["mrpc"]: r for r in map(json.loads, para_lines)}
    swaps = [r for r in rows if r["edit"] == "number_swap"]
    assert swaps, "the shared 4,500 and 12.50 should give number swaps"
    for row in rows:
        assert row["split"] == para[row["mrpc"]]["split"]
    for row in swaps:
        original = para[row["mrpc"]]
        side, other = row["side"], "b" if row["side"] == "a" else "a"
        assert row[other] == original[other]  # the other side is untouched
        before, after = original[side]["text"].split(), row[side]["text"].split()
        changed = [(x, y) for x, y in zip(before, after, strict=True) if x != y]
        assert len(changed) == 1  # one word changed: the targeted number
        old, new = (word.lstrip("$").rstrip(",.") for word in changed[0])
        assert mrp.parse_number(old) != mrp.parse_number(new)
        assert row["note"] == f"{side}: {old!r} -> {new!r}"


def test_swap_value_keeps_the_format_and_moves_the_value(mrp: ModuleType) -> None:
    for template in ("4,500", "2.5", "12", "1,234,000"):
        new = mrp.swap_value(template, random.Random(0))
        assert new is not None and new != template
        assert ("," in new) == ("," in template) or mrp.parse_number(new) < 1000
        ratio = mrp.parse_number(new) / mrp.parse_number(template)
        assert ratio >= 1.2 or ratio <= 0.8
