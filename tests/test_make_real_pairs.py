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


# --- the hand-label join (made-up rows; no MRPC text) ------------------------------------------


def _side(text: str, outlet: str) -> dict:
    return {"text": text, "outlet": outlet, "published": "2003-06-04T12:00:00+00:00"}


def _sample_row(key: str, split: str, a: str, b: str) -> dict:
    empty = {"label": None, "check": None, "labeller": "", "comment": ""}
    return {"id": f"nonpara-{key}", "split": split, "mrpc": key, "a": _side(a, "a.com"),
            "b": _side(b, "b.com"), **empty}  # fmt: skip


SAMPLE = [
    _sample_row("1-2", "dev", "The ferry sank with 40 aboard.", "The ferry sank with 60 aboard."),
    _sample_row("3-4", "dev", "The mayor opened the bridge.", "The mayor opened the new bridge."),
    _sample_row("5-6", "test", "Gold rose to $370 in the morning.", "Gold stood at $368."),
    _sample_row("7-8", "test", "Officer Jan Kowalsky spoke.", "Officer Jan Kowalski spoke."),
    _sample_row("9-10", "test", "The talks resumed on Monday.", "Talks resumed."),
]  # fmt: skip


def _label(key: str, split: str, label: str, check: str | None = None) -> dict:
    return {"id": f"nonpara-{key}", "mrpc": key, "split": split, "label": label, "check": check,
            "comment": "made up", "labeller": "test"}  # fmt: skip


LABELS = {
    row["id"]: row
    for row in (
        _label("1-2", "dev", "discrepancy", "numeric"),
        _label("3-4", "dev", "no_discrepancy"),
        _label("5-6", "test", "unsure"),
        _label("7-8", "test", "discrepancy", "other"),
    )
}  # 9-10 is left unlabelled


def test_join_labels_maps_each_label_to_a_case(mrp: ModuleType) -> None:
    rows, counts = mrp.join_labels(SAMPLE, LABELS)
    assert [(r["id"], r["check"], r["expect"], r["split"]) for r in rows] == [
        ("nonpara-1-2", "numeric", "fire", "dev"),
        ("nonpara-3-4", "any", "silent", "dev"),
    ]
    assert rows[0]["a"] == SAMPLE[0]["a"] and rows[0]["b"] == SAMPLE[0]["b"]
    assert rows[0]["mrpc"] == "1-2" and rows[0]["label"] == "discrepancy"
    assert counts == {
        ("dev", "fire", "numeric"): 1,
        ("dev", "silent", "any"): 1,
        ("test", "left out", "unsure"): 1,
        ("test", "left out", "other"): 1,
        ("test", "unlabelled", "-"): 1,
    }


def test_joined_file_reads_as_an_eval_pair_file(
    mrp: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from rules.scoring import load_pairs

    (tmp_path / "real_nonparaphrase_sample.jsonl").write_text(
        "".join(json.dumps(row) + "\n" for row in SAMPLE)
    )
    labels = tmp_path / "labels.jsonl"
    labels.write_text("".join(json.dumps(row) + "\n" for row in LABELS.values()))
    counts = mrp.write_real_discrepancies(tmp_path, labels)
    pairs = load_pairs(tmp_path / "real_discrepancies.jsonl")
    assert [(p.id, p.check, p.expect, p.split) for p in pairs] == [
        ("nonpara-1-2", "numeric", "fire", "dev"),
        ("nonpara-3-4", "any", "silent", "dev"),
    ]
    assert sum(counts.values()) == len(SAMPLE)
    printed = capsys.readouterr().out
    assert "dev   fire      numeric      1" in printed
    assert "test  left out  unsure       1" in printed


def test_join_labels_refuses_labels_out_of_step_with_the_sample(mrp: ModuleType) -> None:
    stale = {**LABELS, "nonpara-99-98": _label("99-98", "dev", "unsure")}
    with pytest.raises(ValueError, match="not in the sample"):
        mrp.join_labels(SAMPLE, stale)
    moved = {**LABELS, "nonpara-1-2": _label("1-2", "test", "discrepancy", "numeric")}
    with pytest.raises(ValueError, match="split"):
        mrp.join_labels(SAMPLE, moved)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (_label("1-2", "dev", "discrepancy"), "needs a check"),
        (_label("1-2", "dev", "discrepancy", "colour"), "needs a check"),
        (_label("1-2", "dev", "no_discrepancy", "numeric"), "only a discrepancy"),
        (_label("1-2", "dev", "maybe"), "'label' must be"),
    ],
)
def test_read_labels_rejects_malformed_rows(
    mrp: ModuleType, tmp_path: Path, row: dict, message: str
) -> None:
    path = tmp_path / "labels.jsonl"
    path.write_text(json.dumps(row) + "\n")
    with pytest.raises(ValueError, match=message):
        mrp.read_labels(path)


def test_committed_labels_are_well_formed_and_hold_no_text(mrp: ModuleType) -> None:
    labels = mrp.read_labels(mrp.LABELS)
    fields = {"id", "mrpc", "split", "label", "check", "comment", "labeller"}
    assert all(set(row) == fields for row in labels.values())
    splits = [row["split"] for row in labels.values()]
    assert splits.count("dev") == splits.count("test") == mrp.NONPARAPHRASE_SAMPLE
    for pair_id, row in labels.items():
        assert pair_id == f"nonpara-{row['mrpc']}"
        assert row["label"] != "discrepancy" or row["comment"]


def test_nonparaphrase_sample_is_per_split_seeded_and_sorted(mrp: ModuleType) -> None:
    pairs = [mrp.MrpcPair(0, str(i), str(i + 1000), "x", "y") for i in range(1, 41)]
    pairs.append(mrp.MrpcPair(1, "500", "501", "x", "y"))  # a paraphrase is never sampled
    story = {p.id_a: p.id_a for p in pairs}
    chosen = {split: mrp.nonparaphrase_sample(pairs, story, split) for split in ("dev", "test")}
    for split, sample in chosen.items():
        assert sample == mrp.nonparaphrase_sample(pairs, story, split)
        assert all(p.quality == 0 and mrp.split_of(story[p.id_a]) == split for p in sample)
        assert [int(p.id_a) for p in sample] == sorted(int(p.id_a) for p in sample)
    assert chosen["dev"] and chosen["test"]
