"""ONNX sentence embedder vs sentence-transformers: alignment parity, cosine agreement, speed.

    .venv/bin/python benchmarks/embedder_parity.py [--onnx claims/embedder_model --onnx DIR ...]

For each example bundle (examples/blinken-2021-12, examples/austin-dong-2024-04) the claims are
extracted once and aligned (``claims.align.align_claims``, default ``Settings``) with the
sentence-transformers embedder (fp32 torch, the reference) and with each ONNX export given by
``--onnx`` (default: the shipped one); the candidate pairs (a, b, rank) and the clusters must
be identical sets, and the largest similarity difference on a candidate pair is shown. Then,
on about 2000 real sentences (the example articles plus a seeded sample of MRPC train
sentences read from ../shared), the max and mean of 1 - cosine against sentence-transformers,
encode speed (sentences/s, ``--threads`` threads each, median of ``--runs``) and the load time
of each backend in a fresh process (imports, model and, for ONNX, the canary self-check). The
first lines name the CPU's features: int8 speed and answers depend on them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # training/ beside claims/

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from checker.settings import Settings  # noqa: E402
from claims.align import Alignment, align_claims  # noqa: E402
from claims.embeddings import (  # noqa: E402
    OnnxSentenceEmbedder,
    SentenceEmbedder,
    read_model_info,
    shipped_onnx_dir,
)
from claims.extract import extract_claims  # noqa: E402
from claims.nlp import load_nlp  # noqa: E402
from claims.readers import read_bundle  # noqa: E402
from claims.records import Claim  # noqa: E402
from training.export_embedder import cpu_features, real_sentences  # noqa: E402

BUNDLES = ["blinken-2021-12", "austin-dong-2024-04"]

LOAD_SNIPPET = """
import os, sys, time
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
sys.path.insert(0, {root!r})
start = time.perf_counter()
from claims.embeddings import build_embedder
embedder = build_embedder({model!r}, {backend!r})
embedder.encode(["warm up"])
print(time.perf_counter() - start, embedder.backend, embedder.model_id)
"""


def cpu_flags_line() -> str:
    """``grep -o -E 'avx512_vnni|avx_vnni|avx2' /proc/cpuinfo | sort -u``, on one line."""
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no /proc/cpuinfo)"
    import re

    return " ".join(sorted(set(re.findall(r"avx512_vnni|avx_vnni|avx2", text)))) or "(none)"


def bundle_claims(name: str, nlp: Any) -> list[Claim]:
    articles, _ = read_bundle([ROOT / "examples" / name])
    claims: list[Claim] = []
    for article in articles:
        claims.extend(extract_claims(article, nlp))
    return claims


def pair_set(alignment: Alignment) -> set[tuple[str, str, int]]:
    return {(p.a, p.b, p.rank) for p in alignment.pairs}


def cluster_set(alignment: Alignment) -> set[tuple[str, tuple[str, ...]]]:
    return {(c.id, tuple(c.claim_ids)) for c in alignment.clusters}


def similarity_gap(reference: Alignment, other: Alignment) -> float:
    theirs = {(p.a, p.b): p.similarity for p in other.pairs}
    gaps = [abs(p.similarity - theirs[(p.a, p.b)]) for p in reference.pairs if (p.a, p.b) in theirs]
    return max(gaps, default=0.0)


def encode_speed(embedder: Any, sentences: list[str], runs: int) -> float:
    embedder.encode(sentences[:64])  # warm up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        embedder.encode(sentences)
        times.append(time.perf_counter() - start)
    return len(sentences) / statistics.median(times)


def load_seconds(model: str, backend: str) -> tuple[float, str]:
    """Seconds to import, load and run one sentence, in a fresh interpreter; and the model id."""
    code = LOAD_SNIPPET.format(root=str(ROOT), model=model, backend=backend)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines() or ["no output"]
        return float("nan"), "failed: " + lines[-1][:200]
    seconds, _, rest = done.stdout.strip().splitlines()[-1].partition(" ")
    return float(seconds), rest


def variant_name(directory: Path) -> str:
    info = read_model_info(directory)
    kind = "int8" if str(info.get("quantization", "")).startswith("dynamic") else "fp32"
    size = info.get("onnx_bytes", 0) / 1e6
    where = "shipped" if directory.resolve() == shipped_onnx_dir() else directory.name
    return f"onnx {kind} ({where}, {size:.1f} MB)"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--onnx", type=Path, action="append", help="ONNX export folder(s)")
    parser.add_argument("--sentences", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--threads", type=int, default=0, help="default: every core available")
    parser.add_argument("--no-load-times", action="store_true")
    args = parser.parse_args()
    folders = args.onnx or [shipped_onnx_dir()]
    threads = args.threads or None
    if threads:
        import torch

        torch.set_num_threads(threads)

    print(f"CPU: {cpu_features()}")
    print(f"grep -o -E 'avx512_vnni|avx_vnni|avx2' /proc/cpuinfo | sort -u: {cpu_flags_line()}")
    print(f"threads: {threads or len(os.sched_getaffinity(0))}")

    reference = SentenceEmbedder("shipped")
    variants = {variant_name(d): OnnxSentenceEmbedder(d, threads=threads) for d in folders}
    settings = Settings()
    nlp = load_nlp()

    print("\n== alignment parity (sentence-transformers fp32 = reference) ==")
    same_everywhere = dict.fromkeys(variants, True)
    for bundle in BUNDLES:
        claims = bundle_claims(bundle, nlp)
        expected = align_claims(claims, reference, settings)
        print(
            f"{bundle}: {len(claims)} claims, {expected.aligned_claims} aligned, "
            f"{len(expected.pairs)} candidate pairs, {len(expected.clusters)} clusters"
        )
        for name, embedder in variants.items():
            got = align_claims(claims, embedder, settings)
            same_pairs = pair_set(got) == pair_set(expected)
            same_clusters = cluster_set(got) == cluster_set(expected)
            same_everywhere[name] &= same_pairs and same_clusters
            print(
                f"  {name}: pairs {'identical' if same_pairs else 'DIFFER'}, "
                f"clusters {'identical' if same_clusters else 'DIFFER'}; "
                f"max |similarity diff| on shared pairs {similarity_gap(expected, got):.2e}"
            )
            for a, b, rank in sorted(pair_set(expected) - pair_set(got)):
                print(f"    only sentence-transformers: {a} ~ {b} (rank {rank})")
            for a, b, rank in sorted(pair_set(got) - pair_set(expected)):
                print(f"    only {name}: {a} ~ {b} (rank {rank})")

    sentences = real_sentences(args.sentences)
    print(f"\n== {len(sentences)} real sentences (example articles + MRPC train sample) ==")
    truth = reference.encode(sentences)
    print(f"{'backend':<44}{'max|1-cos|':>11}{'mean|1-cos|':>12}{'sent/s':>9}")
    speed = encode_speed(reference, sentences, args.runs)
    print(f"{'sentence-transformers fp32 (torch)':<44}{0:>11.2e}{0:>12.2e}{speed:>9.1f}")
    for name, embedder in variants.items():
        gap = np.abs(1.0 - np.sum(embedder.encode(sentences) * truth, axis=1))
        speed = encode_speed(embedder, sentences, args.runs)
        print(f"{name:<44}{gap.max():>11.2e}{gap.mean():>12.2e}{speed:>9.1f}")

    if not args.no_load_times:
        print("\n== load time in a fresh process (imports + model + first sentence) ==")
        rows = [("sentence-transformers", "shipped", "sentence-transformers")]
        for d in folders:
            shipped = d.resolve() == shipped_onnx_dir()
            rows.append((variant_name(d), "shipped" if shipped else str(d), "onnx"))
        for name, model, backend in rows:
            seconds, ident = load_seconds(model, backend)
            print(f"  {name}: {seconds:.2f} s ({ident})")

    print("\nalignment identical to sentence-transformers on both bundles:")
    for name, same in same_everywhere.items():
        print(f"  {name}: {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
