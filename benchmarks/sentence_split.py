"""Measure the sentence splitter: speed on the seed scrape, accuracy on the hand-labelled gold.

Run from the repository root::

    .venv/bin/python benchmarks/sentence_split.py [--seed PATH] [--repeat N]

Prints sentences per second (best of ``--repeat`` runs over the whole seed file), the share of
gold cases split exactly right, and boundary precision/recall over all gold cases.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from claims.sentences import split_sentences

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SEED = ROOT.parent / "shared" / "seeds" / "blinken-asia-trip-scrape.txt"
GOLD = ROOT / "tests" / "data" / "sentence_gold.jsonl"


def _boundaries(text: str, sentences: list[str]) -> set[int]:
    """End offsets of all but the last sentence (the places a split was made)."""
    ends: set[int] = set()
    position = 0
    for sentence in sentences[:-1]:
        position = text.index(sentence, position) + len(sentence)
        ends.add(position)
    return ends


def measure_speed(text: str, repeat: int) -> tuple[int, float]:
    best = float("inf")
    count = 0
    for _ in range(repeat):
        started = time.perf_counter()
        count = len(split_sentences(text))
        best = min(best, time.perf_counter() - started)
    return count, best


def measure_gold(path: Path) -> tuple[int, int, float, float, list[str]]:
    exact = total = 0
    true_pos = predicted = expected = 0
    failures: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        got = [s.text for s in split_sentences(case["text"])]
        total += 1
        if got == case["sentences"]:
            exact += 1
        else:
            failures.append(f"{case['case']}: {got}")
        want = _boundaries(case["text"], case["sentences"])
        have = _boundaries(case["text"], got)
        true_pos += len(want & have)
        predicted += len(have)
        expected += len(want)
    precision = true_pos / predicted if predicted else 1.0
    recall = true_pos / expected if expected else 1.0
    return exact, total, precision, recall, failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=Path, default=DEFAULT_SEED)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    text = args.seed.read_text(encoding="utf-8")
    count, seconds = measure_speed(text, args.repeat)
    print(f"seed: {args.seed.name}, {len(text):,} chars, {count} sentences")
    print(f"speed: {count / seconds:,.0f} sentences/s ({len(text) / seconds / 1e6:.2f} MB/s)")

    exact, total, precision, recall, failures = measure_gold(GOLD)
    print(f"gold: {exact}/{total} cases exact ({exact / total:.1%})")
    print(f"gold boundaries: precision {precision:.3f}, recall {recall:.3f}")
    for failure in failures:
        print(f"  wrong: {failure}")


if __name__ == "__main__":
    main()
