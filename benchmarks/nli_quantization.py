"""ONNX export variants of one fp32 NLI model: accuracy, agreement with fp32 torch, speed, size.

    .venv/bin/python -m training.dequantize --out runs/shipped_fp32      # the shipped weights, fp32
    .venv/bin/python benchmarks/nli_quantization.py --model runs/shipped_fp32 --out runs/quant

Each variant is exported from ``--model`` (fp32 ONNX, then dynamic int8 in three forms) and run
through the onnx backend with its self-check off (a variant that is broken on this CPU must be
measured, not refused) on the same held-out pairs: a seeded sample of SNLI test and the
MNLI-genre pairs kept out of training (read from ../shared). Printed per variant: accuracy,
label agreement and mean / max |p - p_torch| against the fp32 torch model on the same pairs,
the canary self-check verdict, pairs/s on short (SNLI-length) pairs with ``--threads`` threads,
and the size of the ONNX files. The first line names the CPU's features: int8 answers and speed
depend on them (U8S8 saturates without VNNI).

    .venv/bin/python benchmarks/nli_quantization.py --hybrid [--json runs/hybrid_margin.json]

chooses the hybrid backend's margin (``checker.nli.hybrid.RESCORE_BELOW_TOP_PROBABILITY``) for
the shipped model instead: it runs int8 and the exact fp32 graph over every held-out pair (SNLI
test, counterfactual SNLI test, the MNLI-genre pairs kept out, the pipeline's labelled news pairs
in both directions), splits them by premise into dev (sha256 of the premise starts with an even
byte) and test, picks on dev the smallest margin on a 0.005 grid that leaves no dev pair further
than ``--tolerance`` from fp32, and prints for dev and test, per margin, the share of pairs
re-scored and the largest difference left, with the estimated hybrid speed.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # training/ beside checker/

from checker.nli.backends import LABELS, OnnxNLIModel, TransformersNLIModel, onnx_model_files  # noqa: E402
from checker.nli.cpu import cpu_summary  # noqa: E402
from checker.nli.selfcheck import compare_with_reference, read_reference  # noqa: E402

log = logging.getLogger("nli_quantization")


def quantizers() -> dict[str, Callable[[Path, Path], None]]:
    """variant name -> function(fp32 onnx, out onnx)."""
    import shutil

    from onnxruntime.quantization import QuantType, quantize_dynamic

    def dynamic(**options: object) -> Callable[[Path, Path], None]:
        def run(src: Path, dst: Path) -> None:
            quantize_dynamic(str(src), str(dst), per_channel=True, **options)

        return run

    return {
        "fp32 ONNX": lambda src, dst: shutil.copyfile(src, dst),
        "int8 U8S8 (shipped before)": dynamic(weight_type=QuantType.QInt8),
        "int8 U8S8 reduce_range (shipped)": dynamic(weight_type=QuantType.QInt8, reduce_range=True),
        "int8 U8U8": dynamic(weight_type=QuantType.QUInt8),
    }


def build_variants(model_dir: Path, out: Path) -> dict[str, Path]:
    """Export every variant into ``out/<n>/`` (model.onnx + tokenizer, config, model_info)."""
    import shutil

    from training.export_onnx import canary_reference, export_fp32

    out.mkdir(parents=True, exist_ok=True)
    fp32 = out / "fp32.onnx"
    if not fp32.exists():
        export_fp32(model_dir, fp32)
    reference = canary_reference(model_dir)
    folders = {}
    for index, (name, quantize) in enumerate(quantizers().items()):
        folder = out / f"v{index}"
        folder.mkdir(exist_ok=True)
        if not (folder / "model.onnx").exists():
            quantize(fp32, folder / "model.onnx")
        for extra in ("tokenizer.json", "config.json"):
            shutil.copyfile(model_dir / extra, folder / extra)
        info = {"self_check": reference.as_dict()}
        (folder / "model_info.json").write_text(json.dumps(info), encoding="utf-8")
        folders[name] = folder
    return folders


def held_out(limit: int, seed: int) -> list:
    """A seeded sample of SNLI test plus the MNLI-genre held-out pairs."""
    from training import data as nli_data

    snli = nli_data.snli("test")
    random.Random(seed).shuffle(snli)
    return snli[:limit] + nli_data.mnli_taxinli()[1]


ROOT = Path(__file__).resolve().parents[1]
RULE_PAIR_FILES = ("rule_pairs.jsonl", "rule_pairs_holdout.jsonl", "rule_pairs_blind.jsonl")


def margin_study_pairs() -> dict[str, list[tuple[str, str]]]:
    """The held-out pairs of the margin study, by set."""
    from training import data as nli_data

    sets = {
        "snli_test": nli_data.snli("test"),
        "cad_snli_test": nli_data.counterfactual_snli("test"),
        "mnli_genre_heldout": nli_data.mnli_taxinli()[1],
    }
    pairs = {name: [(e.premise, e.hypothesis) for e in rows] for name, rows in sets.items()}
    news: list[tuple[str, str]] = []
    for name in RULE_PAIR_FILES:
        path = ROOT / "eval" / name
        if not path.is_file():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                a, b = row["a"]["text"], row["b"]["text"]
                news += [(a, b), (b, a)]
    pairs["rule_pairs"] = news
    return pairs


def is_dev(premise: str) -> bool:
    """The deterministic dev/test split of the margin study: by premise, so that SNLI's three
    hypotheses of one premise land on the same side.

    >>> is_dev("A man is playing a guitar.") in (True, False)
    True
    """
    import hashlib

    return hashlib.sha256(premise.encode("utf-8")).digest()[0] % 2 == 0


def choose_margin(
    top: np.ndarray, diff: np.ndarray, tolerance: float, step: float = 0.005
) -> float:
    """The smallest margin on a ``step`` grid under which every pair whose int8 top probability
    reaches it is within ``tolerance`` of fp32 (the others are re-scored exactly).

    >>> choose_margin(np.array([0.999, 0.97, 0.6]), np.array([0.001, 0.05, 0.3]), 0.02)
    0.975
    """
    off = top[diff > tolerance]
    if not len(off):
        return 0.0
    grid = np.round(np.arange(0.0, 1.0 + step, step), 6)
    return float(grid[grid > off.max()][0]) if (grid > off.max()).any() else 1.0 + step


def hybrid_study(args: argparse.Namespace) -> None:
    """Choose the hybrid's margin on dev; measure it on test (see the module docstring)."""
    from checker.nli.backends import load_nli

    int8 = load_nli("shipped", backend="onnx", threads=args.threads)
    exact = load_nli("shipped", backend="onnx-fp32", threads=args.threads)
    print(f"cpu: {cpu_summary()}; {args.threads} threads; batch {args.batch_size}")
    tops, diffs, dev, speeds = [], [], [], {"int8": [0.0, 0], "fp32": [0.0, 0]}
    for name, pairs in margin_study_pairs().items():
        started = time.process_time()
        p8 = int8.predict(pairs, batch_size=args.batch_size)
        speeds["int8"][0] += time.process_time() - started
        started = time.process_time()
        p32 = exact.predict(pairs, batch_size=args.batch_size)
        speeds["fp32"][0] += time.process_time() - started
        speeds["int8"][1] += len(pairs)
        speeds["fp32"][1] += len(pairs)
        diff = np.abs(p8 - p32).max(axis=1)
        tops.append(p8.max(axis=1))
        diffs.append(diff)
        dev.append(np.array([is_dev(p) for p, _ in pairs]))
        print(
            f"{name:20} {len(pairs):>6} pairs: int8 vs fp32 max {diff.max():.3f}, mean "
            f"{np.abs(p8 - p32).mean():.4f}, pairs off by > {args.tolerance}: "
            f"{np.mean(diff > args.tolerance):.1%}",
            flush=True,
        )
    top, diff, on_dev = np.concatenate(tops), np.concatenate(diffs), np.concatenate(dev)
    margin = choose_margin(top[on_dev], diff[on_dev], args.tolerance)
    # CPU seconds per pair of each path (2 threads: CPU time / 2 ~ wall time on a quiet machine)
    cost = {k: seconds / max(1, n) for k, (seconds, n) in speeds.items()}
    threads = max(1, args.threads)
    print(
        f"dev {int(on_dev.sum())} pairs, test {int((~on_dev).sum())} pairs; chosen margin "
        f"{margin:g} (largest int8 top probability among dev pairs off by > {args.tolerance}: "
        f"{top[on_dev & (diff > args.tolerance)].max():.4f})"
    )
    print(f"{'margin':>7} {'split':5} {'re-scored':>9} {'max diff':>9} {'est. pairs/s':>12}")
    rows: list[dict[str, object]] = []
    figures: dict[str, object] = {"margin": margin, "cpu": cpu_summary(), "rows": rows}
    for tau in sorted({0.0, 0.9, 0.95, 0.98, 0.985, margin, 1.01}):
        for split, mask in (("dev", on_dev), ("test", ~on_dev)):
            rescored = mask & (top < tau)
            kept = mask & ~rescored
            share = float(rescored.sum() / mask.sum())
            left = float(diff[kept].max()) if kept.any() else 0.0
            per_pair = cost["fp32"] if tau > 1.0 else cost["int8"] + cost["fp32"] * share
            speed = threads / per_pair
            print(f"{tau:>7g} {split:5} {share:>9.1%} {left:>9.4f} {speed:>12.1f}")
            rows.append(
                {"margin": tau, "split": split, "rescored": share, "max_diff": left, "pps": speed}
            )
    print(
        "est. pairs/s from CPU time per pair (int8 "
        f"{threads / cost['int8']:.1f}, fp32 {threads / cost['fp32']:.1f} pairs/s); margin 0 = "
        "int8 alone, above 1 = the fp32 graph alone; time them with benchmarks/nli_speed.py"
    )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="fp32 transformers folder")
    parser.add_argument("--hybrid", action="store_true", help="choose the hybrid's margin")
    parser.add_argument("--tolerance", type=float, default=0.02)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--json", type=Path, help="with --hybrid: also write the figures here")
    parser.add_argument("--out", type=Path, default=Path("runs/quant"))
    parser.add_argument("--snli", type=int, default=1000, help="SNLI test pairs (seeded)")
    parser.add_argument("--speed-pairs", type=int, default=320)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    if args.hybrid:
        hybrid_study(args)
        return
    if args.model is None:
        parser.error("--model is required (or --hybrid)")
    import torch

    torch.set_num_threads(args.threads)
    examples = held_out(args.snli, args.seed)
    pairs = [(e.premise, e.hypothesis) for e in examples]
    gold = np.array([LABELS.index(e.label) for e in examples])
    short = pairs[: min(len(pairs), 512)]
    folders = build_variants(args.model, args.out)
    truth = TransformersNLIModel(str(args.model)).predict(pairs)
    print(f"cpu: {cpu_summary()}; {args.threads} threads")
    print(
        f"held out: {len(pairs)} pairs ({args.snli} SNLI test + MNLI genres); "
        f"fp32 torch accuracy {np.mean(truth.argmax(1) == gold):.3f}"
    )
    print(
        f"{'variant':34} {'acc':>6} {'agree':>6} {'mean|dp|':>9} {'max|dp|':>8} "
        f"{'pairs/s':>8} {'MB':>6}  self-check"
    )
    for name, folder in folders.items():
        model = OnnxNLIModel(folder, threads=args.threads)
        probs = model.predict(pairs)
        reference = read_reference(folder)
        assert reference is not None
        check = compare_with_reference(model.predict(list(reference.pairs)), reference)
        speed_data = (short * (args.speed_pairs // len(short) + 1))[: args.speed_pairs]
        model.predict(speed_data[:32])
        started = time.perf_counter()
        model.predict(speed_data)
        speed = args.speed_pairs / (time.perf_counter() - started)
        size = sum(p.stat().st_size for p in onnx_model_files(folder)) / 1e6
        diff = np.abs(probs - truth)
        print(
            f"{name:34} {np.mean(probs.argmax(1) == gold):>6.3f} "
            f"{np.mean(probs.argmax(1) == truth.argmax(1)):>6.3f} {diff.mean():>9.4f} "
            f"{diff.max():>8.3f} {speed:>8.1f} {size:>6.0f}  {check.summary()}",
            flush=True,
        )


if __name__ == "__main__":
    main()
