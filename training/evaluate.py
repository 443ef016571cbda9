"""Evaluate an NLI model on every held-out set and print a table (and optionally write JSON).

    HF_HUB_OFFLINE=1 .venv/bin/python -m training.evaluate --model shipped
    .venv/bin/python -m training.evaluate --model runs/minilm --sets snli_test,news_test --limit 500
    .venv/bin/python -m training.evaluate --model shipped --teacher runs/export_mpnet2 \
        --sets snli_test,mnli_genre_heldout

With ``--teacher`` (a distilled model's teacher) three-way sets also get the teacher's accuracy, how
often the two agree, and how often the model is right where the teacher is: what distillation
has not yet carried over.

For three-way sets: accuracy and contradiction precision/recall (argmax). For two-way sets
(RTE dev, MNLI dev binarised): accuracy of entailment vs not-entailment (neutral and contradiction
both count as not-entailment) and contradiction P/R are not defined. ClaimDiff: does the model
predict contradiction where annotators marked one claim as strengthening/weakening the other
(accuracy = 2-way, P/R of contradiction against "different"). Generated news pairs also get
per-edit accuracy and the contradiction recall reached at precision >= 0.85 over thresholds on
P(contradiction).
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from checker.nli.backends import LABELS, load_nli
from checker.nli.cpu import cpu_summary
from training import data as nli_data

log = logging.getLogger(__name__)

NEWS_TEST = Path("runs/data/news_test.jsonl")
#: P(contradiction) cut-offs also reported (0.9 is Settings.nli_contradiction_threshold).
CONTRADICTION_THRESHOLDS = (0.5, 0.9)


def held_out_sets(news_test: Path) -> dict[str, tuple[str, Callable[[], list]]]:
    """name -> (kind, loader); kind is '3way', '2way' or 'claimdiff'."""
    return {
        "snli_test": ("3way", lambda: nli_data.snli("test")),
        "cad_snli_test": ("3way", lambda: nli_data.counterfactual_snli("test")),
        "rte_dev": ("2way", nli_data.rte_dev),
        "breaking_nli": ("3way", nli_data.breaking_nli),
        "mnli_genre_heldout": ("3way", lambda: nli_data.mnli_taxinli()[1]),
        # trained on by models made with --mnli-binary: a training-fit figure for those
        "mnli_dev_binary": ("2way", nli_data.mnli_dev_binary),
        "claimdiff_test": ("claimdiff", nli_data.claimdiff),
        "news_test": ("3way", lambda: nli_data.news_pairs(news_test)),
    }


def recall_at_precision(p_contra: np.ndarray, gold: np.ndarray, min_precision: float) -> dict:
    """Best contradiction recall over thresholds whose precision reaches ``min_precision``.

    >>> recall_at_precision(np.array([0.9, 0.8, 0.2]), np.array([True, False, True]), 0.85)
    {'threshold': 0.9, 'precision': 1.0, 'recall': 0.5}
    """
    best = {"threshold": None, "precision": None, "recall": 0.0}
    positives = max(1, int(gold.sum()))
    for threshold in sorted(set(np.round(p_contra, 4).tolist()), reverse=True):
        predicted = p_contra >= threshold
        if not predicted.any():
            continue
        precision = float(np.mean(gold[predicted]))
        recall = float(np.sum(gold & predicted)) / positives
        if precision >= min_precision and recall >= best["recall"]:
            best = {"threshold": threshold, "precision": round(precision, 4), "recall": recall}
    best["recall"] = round(best["recall"], 4)
    return best


def accuracy_by_group(pred: np.ndarray, gold: np.ndarray, groups: Sequence[str]) -> dict:
    """Accuracy per group name (genre, edit kind, Breaking NLI category); empty names skipped.

    >>> accuracy_by_group(np.array([0, 1, 2]), np.array([0, 2, 2]), ["a", "a", "b"])
    {'a': 0.5, 'b': 1.0}
    """
    names = np.array(groups)
    return {
        g: round(float(np.mean(pred[names == g] == gold[names == g])), 4)
        for g in sorted(set(groups))
        if g
    }


def teacher_agreement(pred: np.ndarray, teacher_pred: np.ndarray, gold: np.ndarray) -> dict:
    """How closely a student follows its teacher (argmax labels), overall and where it is right.

    >>> teacher_agreement(np.array([0, 1, 2, 2]), np.array([0, 1, 1, 2]), np.array([0, 2, 1, 2]))
    {'teacher_accuracy': 0.75, 'agreement': 0.75, 'right_where_teacher_right': 0.6667}
    """
    teacher_right = teacher_pred == gold
    return {
        "teacher_accuracy": round(float(np.mean(teacher_right)), 4),
        "agreement": round(float(np.mean(pred == teacher_pred)), 4),
        "right_where_teacher_right": round(float(np.mean((pred == gold)[teacher_right])), 4),
    }


def score(kind: str, probs: np.ndarray, examples: Sequence) -> dict:
    pred = probs.argmax(axis=1)
    c = LABELS.index("contradiction")
    if kind == "3way":
        gold = np.array([LABELS.index(e.label) for e in examples])
        gold_c = gold == c
        accuracy = float(np.mean(pred == gold))
    elif kind == "2way":
        gold_ent = np.array([e.label == "entailment" for e in examples])
        accuracy = float(np.mean((pred == 0) == gold_ent))
        return {"pairs": len(examples), "accuracy": round(accuracy, 4)}
    else:  # claimdiff: "different" vs "same"
        gold_c = np.array([e.label == "different" for e in examples])
        accuracy = float(np.mean((pred == c) == gold_c))
    predicted_c = pred == c
    tp = int(np.sum(predicted_c & gold_c))
    result = {
        "pairs": len(examples),
        "accuracy": round(accuracy, 4),
        "contradiction_precision": round(tp / max(1, int(predicted_c.sum())), 4),
        "contradiction_recall": round(tp / max(1, int(gold_c.sum())), 4),
    }
    if kind == "3way":
        result["recall_at_precision_0.85"] = recall_at_precision(probs[:, c], gold_c, 0.85)
        for threshold in CONTRADICTION_THRESHOLDS:
            flagged = probs[:, c] >= threshold
            hits = int(np.sum(flagged & gold_c))
            result[f"contradiction_at_{threshold}"] = {
                "precision": round(hits / max(1, int(flagged.sum())), 4),
                "recall": round(hits / max(1, int(gold_c.sum())), 4),
            }
        result["by_group"] = accuracy_by_group(pred, gold, [e.group for e in examples])
    return result


def onnxruntime_version() -> str:
    """The installed onnxruntime's version, or 'none'."""
    try:
        import onnxruntime
    except ImportError:
        return "none"
    return str(onnxruntime.__version__)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="shipped")
    parser.add_argument(
        "--backend", default="auto", help="auto, hybrid, onnx (int8), onnx-fp32 or transformers"
    )
    parser.add_argument("--sets", default="all", help="comma-separated names, or 'all'")
    parser.add_argument("--limit", type=int, default=0, help="seeded sample of N pairs per set")
    parser.add_argument("--news-test", type=Path, default=NEWS_TEST)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--teacher", help="also compare with this model (three-way sets)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    available = held_out_sets(args.news_test)
    names = list(available) if args.sets == "all" else args.sets.split(",")
    unknown = [n for n in names if n not in available]
    if unknown:
        parser.error(f"unknown set(s): {', '.join(unknown)}; known: {', '.join(available)}")
    model = load_nli(args.model, backend=args.backend)
    teacher = load_nli(args.teacher) if args.teacher else None
    check = model.self_check.summary() if model.self_check else "not run"
    figures: dict[str, Any] = {
        "model": model.model_id,
        "backend": model.backend,
        "self_check": check,
        "cpu": cpu_summary(),
        "onnxruntime": onnxruntime_version(),
        "limit": args.limit,
        "sets": {},
    }
    print(f"model: {model.model_id}")
    print(f"backend: {model.backend}; self-check {check}")
    print(f"cpu: {figures['cpu']}; onnxruntime {figures['onnxruntime']}")
    header = (
        f"{'set':20} {'kind':9} {'pairs':>6} {'acc':>6} {'C-prec':>7} {'C-rec':>6} {'R@P.85':>7}"
    )
    print(header)
    for name in names:
        kind, loader = available[name]
        try:
            examples = loader()
        except FileNotFoundError as exc:  # e.g. the generated news pairs not built here
            print(f"{name:20} skipped: {exc.filename} not found")
            figures["sets"][name] = {"skipped": f"{exc.filename} not found"}
            continue
        if args.limit and len(examples) > args.limit:
            examples = random.Random(args.seed).sample(examples, args.limit)
        started = time.time()
        pairs = [(e.premise, e.hypothesis) for e in examples]
        probs = model.predict(pairs, args.batch_size)
        result = score(kind, probs, examples)
        result["seconds"] = round(time.time() - started, 1)
        if teacher is not None and kind == "3way":
            teacher_probs = teacher.predict(pairs, args.batch_size)
            gold = np.array([LABELS.index(e.label) for e in examples])
            result["teacher"] = teacher_agreement(
                probs.argmax(axis=1), teacher_probs.argmax(axis=1), gold
            )
        figures["sets"][name] = result
        rap = result.get("recall_at_precision_0.85", {}).get("recall")
        cells = [
            f"{result[k]:>{w}.3f}" if k in result else f"{'-':>{w}}"
            for k, w in (("contradiction_precision", 7), ("contradiction_recall", 6))
        ]
        rap_cell = f"{rap:>7.3f}" if rap is not None else f"{'-':>7}"
        print(
            f"{name:20} {kind:9} {result['pairs']:>6} {result['accuracy']:>6.3f} "
            f"{cells[0]} {cells[1]} {rap_cell}",
            flush=True,
        )
        if "teacher" in result:
            t = result["teacher"]
            print(
                f"{'':20} teacher acc {t['teacher_accuracy']:.3f}, agreement {t['agreement']:.3f}, "
                f"right where the teacher is right {t['right_where_teacher_right']:.3f}"
            )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
