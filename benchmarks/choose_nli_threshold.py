"""Choose ``Settings.nli_contradiction_threshold`` on the dev split of the labelled pair set.

An NLI-only finding is raised when the model's contradiction probability reaches the threshold in
both directions (the weaker direction counts). This script scores every dev pair of
``eval/rule_pairs.jsonl`` with the shipped model (or ``--model``), then prints, for a grid of
thresholds, how many real discrepancies (``expect: fire``) and faithful pairs (``expect: silent``)
would be flagged, and the precision. The threshold in ``checker/settings.py`` is the lowest one
whose dev precision reaches ``--min-precision`` (NLI-only findings must not cry wolf: the rules
already explain most real discrepancies); the test split is printed for the record, never tuned on.

    python benchmarks/choose_nli_threshold.py [--model shipped] [--min-precision 0.9]
    python benchmarks/choose_nli_threshold.py --pairs runs/eval/injected.jsonl \
        --pairs runs/eval/real_paraphrases.jsonl --min-precision 0.95 --sample 1500

``--pairs`` (repeatable) takes other files of the same format, such as the real cross-outlet
pairs that ``eval/make_real_pairs.py`` builds; ``--sample N`` scores a seeded N pairs per split
and file (the model is slow on CPUs without VNNI). The model scores the sentences as written.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from checker.compare import NLI_POLICIES, pair_score  # noqa: E402
from checker.nli.backends import load_nli  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
GRID = (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98, 0.99)


def load(split: str, paths: list[Path], sample: int = 0) -> list[dict]:
    """The rows of ``split`` from each file (a seeded ``sample`` per file when given)."""
    import random

    rows = []
    for path in paths:
        chosen = []
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                if row.get("split") == split:
                    chosen.append(row)
        if sample and len(chosen) > sample:
            chosen = random.Random(split).sample(chosen, sample)
        rows += chosen
    return rows


def direction_probs(model, rows: list[dict]) -> list[tuple[tuple, tuple]]:
    """Per pair, the model's probabilities with ``a`` as premise and with ``b`` as premise."""
    pairs = []
    for r in rows:
        pairs += [(r["a"]["text"], r["b"]["text"]), (r["b"]["text"], r["a"]["text"])]
    probs = model.predict(pairs, batch_size=32)
    return [(tuple(probs[2 * i]), tuple(probs[2 * i + 1])) for i in range(len(rows))]


def contradiction_scores(probs: list[tuple[tuple, tuple]], policy: str) -> list[float]:
    """Per pair, the score an NLI-only finding is thresholded on (see checker/compare.py)."""
    return [pair_score(ab, ba, policy) for ab, ba in probs]


def table(rows: list[dict], scores: list[float], name: str) -> dict[float, float]:
    print(
        f"\n{name}: {sum(r['expect'] == 'fire' for r in rows)} real discrepancies, "
        f"{sum(r['expect'] == 'silent' for r in rows)} faithful pairs"
    )
    print(
        f"{'threshold':>10}{'flagged real':>14}{'flagged faithful':>18}"
        f"{'precision':>11}{'recall':>8}"
    )
    precision_at = {}
    fire = sum(r["expect"] == "fire" for r in rows)
    for t in GRID:
        tp = sum(s >= t and r["expect"] == "fire" for r, s in zip(rows, scores, strict=True))
        fp = sum(s >= t and r["expect"] == "silent" for r, s in zip(rows, scores, strict=True))
        precision = tp / (tp + fp) if tp + fp else 1.0
        precision_at[t] = precision
        print(f"{t:>10.2f}{tp:>14}{fp:>18}{precision:>11.2f}{tp / max(1, fire):>8.2f}")
    return precision_at


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="shipped")
    parser.add_argument("--min-precision", type=float, default=0.9)
    parser.add_argument("--pairs", type=Path, action="append", help="labelled pairs (JSONL)")
    parser.add_argument("--sample", type=int, default=0, help="seeded pairs per split and file")
    args = parser.parse_args()
    from checker.nli.cpu import cpu_summary

    model = load_nli(args.model)
    print(f"model {model.model_id} on {model.backend}; cpu: {cpu_summary()}")
    paths = args.pairs or [ROOT / "eval" / "rule_pairs.jsonl"]
    dev, test = load("dev", paths, args.sample), load("test", paths, args.sample)
    dev_probs, test_probs = direction_probs(model, dev), direction_probs(model, test)
    for policy in NLI_POLICIES:
        print(f"\n=== policy {policy!r} ===")
        precision = table(dev, contradiction_scores(dev_probs, policy), "dev")
        chosen = next((t for t in GRID if precision[t] >= args.min_precision), GRID[-1])
        print(f"chosen threshold (lowest with dev precision >= {args.min_precision}): {chosen}")
        table(test, contradiction_scores(test_probs, policy), "test (for the record)")


if __name__ == "__main__":
    main()
