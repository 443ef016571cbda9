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
            quantize_dynamic(str(src), str(dst), per_channel=True, **options)  # type: ignore[arg-type]

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, required=True, help="fp32 transformers folder")
    parser.add_argument("--out", type=Path, default=Path("runs/quant"))
    parser.add_argument("--snli", type=int, default=1000, help="SNLI test pairs (seeded)")
    parser.add_argument("--speed-pairs", type=int, default=320)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
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
