"""Distillation training (``training.train --soft-labels``) on a tiny model built in the test.

CI never trains the shipped model; these tests run the real training loop for a few steps on a
two-layer BERT so that the loss, the soft-label file format and the saved run record are checked.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_nli import PAIRS  # noqa: E402
from tiny_nli_model import build_tiny_nli_model  # noqa: E402

from checker.nli.backends import load_nli  # noqa: E402
from training.train import load_soft_labels, main, nli_loss  # noqa: E402

ORDERED = {0: "entailment", 1: "neutral", 2: "contradiction"}
TEACHER = [0.05, 0.15, 0.80]


def _write_soft_labels(path: Path) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for i, (premise, hypothesis) in enumerate(PAIRS):
            row = {
                "premise": premise,
                "hypothesis": hypothesis,
                "label": "not_entailment" if i % 2 else "contradiction",
                "group": "test",
                "source": "mnli_dev_binary" if i % 2 else "news_generated_train",
                "teacher": TEACHER,
            }
            handle.write(json.dumps(row) + "\n")
    return path


def test_two_way_label_loss_prefers_neutral_or_contradiction_over_entailment() -> None:
    torch = pytest.importorskip("torch")
    towards_contradiction = torch.tensor([[-2.0, 0.0, 3.0]])
    towards_entailment = torch.tensor([[3.0, 0.0, -2.0]])
    not_entailed = torch.tensor([3])
    loss_right = nli_loss(towards_contradiction, not_entailed)
    assert loss_right < nli_loss(towards_entailment, not_entailed)
    # a three-way label is plain cross-entropy
    ce = torch.nn.functional.cross_entropy(towards_entailment, torch.tensor([2]))
    assert float(nli_loss(towards_entailment, torch.tensor([2]))) == pytest.approx(float(ce))


def test_soft_label_file_gives_examples_probabilities_and_counts(tmp_path: Path) -> None:
    examples, probs, counts = load_soft_labels([_write_soft_labels(tmp_path / "soft.jsonl")])
    assert [(e.premise, e.hypothesis) for e in examples] == PAIRS
    assert probs.shape == (len(PAIRS), 3)
    assert counts == {"news_generated_train": 3, "mnli_dev_binary": 2}


def test_distillation_moves_the_student_towards_the_teacher(tmp_path: Path) -> None:
    base = build_tiny_nli_model(tmp_path / "base", ORDERED, PAIRS)
    soft = _write_soft_labels(tmp_path / "soft.jsonl")
    # self_check off: a model trained for a few steps on a few pairs need not pass the canaries
    before = load_nli(str(base), self_check=False).predict(PAIRS)
    out = tmp_path / "student"
    args = ["--base", str(base), "--out", str(out), "--soft-labels", str(soft)]
    args += ["--epochs", "15", "--batch-size", "5", "--lr", "3e-3", "--distill-weight", "1.0"]
    main([*args, "--news-train", str(tmp_path / "absent.jsonl"), "--threads", "1"])
    after = load_nli(str(out), self_check=False).predict(PAIRS)

    def kl_to_teacher(probs: np.ndarray) -> float:
        t = np.asarray(TEACHER)
        return float(np.mean(np.sum(t * (np.log(t) - np.log(probs + 1e-9)), axis=1)))

    assert kl_to_teacher(after) < kl_to_teacher(before) / 2
    info = json.loads((out / "training_info.json").read_text())
    assert info["soft_labels"] == [str(soft)]
    assert info["data_counts"] == {"news_generated_train": 3, "mnli_dev_binary": 2}
    assert info["epochs_done"] == 15
