"""End-to-end speed and memory of ``crossclaim report`` on the example bundles.

Prints, per bundle: claims per second (extraction), candidate pairs (aligned, all go through the
rule checks) against all cross-outlet pairs, pairs sent to the NLI model and their share of the
cross-outlet pairs, end-to-end seconds after the models are loaded (median of ``--runs``), model
load seconds, and the process's peak memory.

    python benchmarks/report_speed.py [--runs 3] [--no-nli]

Targets (issue 2): at most 1 in 20 cross-outlet pairs reaches the NLI model with the headline
finding kept; the Blinken bundle in at most 5 s after models are loaded, on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from checker.pipeline import load_models, run_report  # noqa: E402
from checker.settings import Settings  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BUNDLES = ["blinken-2021-12", "austin-dong-2024-04"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-nli", action="store_true")
    args = parser.parse_args()
    settings = Settings(use_nli=not args.no_nli)
    t0 = time.perf_counter()
    models = load_models(settings)
    models.preload()
    load = time.perf_counter() - t0
    print(f"models loaded in {load:.2f} s ({models.load_seconds})")
    header = (
        f"{'bundle':<22}{'claims':>7}{'claims/s':>10}{'cand.':>7}{'cross':>7}{'NLI':>5}"
        f"{'NLI/cross':>11}{'findings':>9}{'median s':>10}"
    )
    print(header)
    for name in BUNDLES:
        times = []
        report = None
        for _ in range(args.runs):
            start = time.perf_counter()
            report = run_report([ROOT / "examples" / name], settings, models=models)
            times.append(time.perf_counter() - start)
        s = report.stats
        extract_s = s["seconds"]["extract"] or 1e-9
        ratio = s["nli_pairs"] / max(1, s["cross_outlet_pairs"])
        print(
            f"{name:<22}{s['claims']:>7}{s['claims'] / extract_s:>10.1f}{s['candidate_pairs']:>7}"
            f"{s['cross_outlet_pairs']:>7}{s['nli_pairs']:>5}{ratio:>11.3f}{s['findings']:>9}"
            f"{statistics.median(times):>10.2f}"
        )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS of this process): {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
