"""NLI throughput and peak memory: pairs per second at batch 32 and max RSS, one model per process.

    .venv/bin/python benchmarks/nli_speed.py          # shipped: int8, hybrid, exact fp32 ONNX
    .venv/bin/python benchmarks/nli_speed.py --model shipped --backend transformers
    .venv/bin/python benchmarks/nli_speed.py --model runs/minilm --backend transformers

Each measurement runs in a fresh subprocess (so peak RSS belongs to that model alone) with
``--threads`` intra-op threads (default 2, the target machine). ``--kind short`` (the default)
times SNLI test pairs (read from ../shared, a seeded sample; the canary pairs where that is
absent), ``--kind news`` the longer news pairs below; both repeated to ``--pairs``. One warm-up
batch is not timed. The first line names the CPU's features: int8 speed depends on them (VNNI).

Printed per model: pairs/s by the wall clock and by the process's CPU time (``cpu pairs/s`` =
pairs x threads / CPU seconds: close to the wall figure on a quiet machine, and steadier when
other jobs share the cores), peak RSS, load time, the self-check and, for the hybrid, the share
of pairs re-scored in exact fp32.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # training/ beside checker/

SAMPLE_PAIRS = [
    (
        "Blinken and senior officials had tested negative on Wednesday in Kuala Lumpur, when "
        "the positive case was confirmed, Price said.",
        "Blinken and senior staff tested negative on Tuesday, the State Department said.",
    ),
    ("A man in a blue shirt is riding a bicycle down the street.", "A person rides a bike."),
    (
        "The reporter will remain in quarantine for at least 10 days before returning to the US.",
        "The journalist will be quarantined for ten days.",
    ),
    ("Two dogs run through a field of tall grass.", "The dogs are sleeping on a couch."),
]


#: the paths timed by default, each in its own process: int8 alone, the hybrid (int8, unclear
#: pairs re-scored in exact fp32) and the exact fp32 graph alone (the shipped default).
DEFAULT_BACKENDS = ("onnx", "hybrid", "onnx-fp32")

PATH_LABELS = {
    "onnx": "int8 ONNX",
    "hybrid": "hybrid",
    "onnx-fp32": "exact fp32 ONNX",
    "transformers": "fp32 torch",
}


def sample_pairs(kind: str) -> list[tuple[str, str]]:
    """``short``: 512 SNLI test pairs (seeded) or the canary pairs; ``news``: SAMPLE_PAIRS."""
    if kind == "news":
        return list(SAMPLE_PAIRS)
    import random

    from checker.nli.selfcheck import canary_pairs
    from training import data as nli_data

    if not (nli_data.SHARED_NLI / "esnli_snli_devtest").is_dir():
        return canary_pairs()
    examples = nli_data.snli("test")
    random.Random(5).shuffle(examples)
    return [(e.premise, e.hypothesis) for e in examples[:512]]


def measure(model: str, backend: str, pairs: int, batch_size: int, threads: int, kind: str) -> dict:
    """Run in this process: load, warm up, time ``pairs`` predictions."""
    os.environ["OMP_NUM_THREADS"] = str(threads)
    try:
        import torch

        torch.set_num_threads(threads)
    except ImportError:
        pass
    from checker.nli import backends as nli

    started = time.perf_counter()
    loaded = nli.load_nli(model, backend=backend, threads=threads)
    load_seconds = time.perf_counter() - started
    base = sample_pairs(kind)
    data = (base * (pairs // len(base) + 1))[:pairs]
    loaded.predict(data[:batch_size], batch_size=batch_size)
    started, cpu_started = time.perf_counter(), time.process_time()
    loaded.predict(data, batch_size=batch_size)
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    rescored = getattr(loaded, "last_rescored", None)
    check = getattr(loaded, "self_check", None)
    return {
        "model": model,
        "backend": backend,
        "model_id": loaded.model_id,
        "threads": threads,
        "batch_size": batch_size,
        "pairs": pairs,
        "pairs_per_second": round(pairs / seconds, 1),
        "cpu_pairs_per_second": round(pairs * threads / max(cpu_seconds, 1e-9), 1),
        "rescored": rescored,
        "load_seconds": round(load_seconds, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "backend_used": getattr(loaded, "backend", backend),
        "self_check": check.summary() if check else "not run",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", action="append", help="model (repeatable); default shipped")
    parser.add_argument("--backend", action="append", help="backend per --model")
    parser.add_argument("--pairs", type=int, default=512)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--kind", choices=("short", "news"), default="short")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = measure(
            args.model[0], args.backend[0], args.pairs, args.batch_size, args.threads, args.kind
        )
        print(json.dumps(result))
        return
    models = args.model or ["shipped"] * len(DEFAULT_BACKENDS)
    backends = args.backend or list(DEFAULT_BACKENDS)[: len(models)]
    if len(backends) == 1 and len(models) > 1:
        backends = backends * len(models)
    if len(models) == 1 and len(backends) > 1:
        models = models * len(backends)
    if len(backends) != len(models):
        parser.error("give one --backend per --model")
    from checker.nli.cpu import cpu_flags, cpu_summary

    print(
        f"cpu: {cpu_summary()}; {args.threads} threads; {args.kind} pairs, batch {args.batch_size}"
    )
    flags = sorted(cpu_flags() & {"avx2", "avx512_vnni", "avx_vnni"})
    print(f"cpu flags (avx512_vnni|avx_vnni|avx2): {' '.join(flags) or 'none'}")
    print(
        f"{'model':20} {'path':16} {'pairs/s':>8} {'cpu p/s':>8} {'peak MB':>8} {'load s':>7}  "
        "self-check; re-scored"
    )
    for model, backend in zip(models, backends, strict=True):
        command = [
            sys.executable,
            __file__,
            "--child",
            "--model",
            model,
            "--backend",
            backend,
            "--pairs",
            str(args.pairs),
            "--batch-size",
            str(args.batch_size),
            "--threads",
            str(args.threads),
            "--kind",
            args.kind,
        ]
        env = dict(os.environ, HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false")
        done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["failed"])[-1]
            print(f"{model[:20]:20} {backend:16} error: {last}")
            continue
        r = json.loads(done.stdout.strip().splitlines()[-1])
        label = PATH_LABELS.get(r["backend_used"], r["backend_used"])
        rescored = ""
        if r.get("rescored") is not None:
            rescored = f"; {r['rescored']}/{r['pairs']} ({r['rescored'] / r['pairs']:.0%})"
        print(
            f"{model[:20]:20} {label:16} {r['pairs_per_second']:>8.1f} "
            f"{r['cpu_pairs_per_second']:>8.1f} {r['peak_rss_mb']:>8.1f} "
            f"{r['load_seconds']:>7.2f}  {r['self_check']}{rescored}",
            flush=True,
        )


if __name__ == "__main__":
    main()
