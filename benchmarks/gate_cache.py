"""What the claims/NLI cache buys a gate run: cold, warm and one-new-article times.

    .venv/bin/python benchmarks/gate_cache.py [--bundle examples/blinken-2021-12] [--no-nli]
                                              [--repeat 3]

Models are loaded once before any timing (their load time is printed on its own: the cache does
not save it); every timed run is ``run_report`` over the bundle with the loaded models:

* no cache  -- ``cache=None``, for reference;
* cold      -- a fresh, empty cache over all articles;
* warm      -- the same cache again, nothing changed;
* one new   -- a cache filled from all articles but the last (untimed), then all of them.

Each figure is the median of ``--repeat`` runs, with the articles extracted afresh and the NLI
pairs scored by the model in that run (from ``Report.stats``), and the cache's hit counts.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from checker.cache import SqliteCache, open_cache  # noqa: E402
from checker.pipeline import Models, load_models, run_report  # noqa: E402
from checker.report import Report  # noqa: E402
from checker.settings import Settings  # noqa: E402
from claims.readers import is_bundle_file  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def copy_articles(files: list[Path], destination: Path) -> Path:
    if destination.exists():
        shutil.rmtree(destination)
    destination.mkdir(parents=True)
    for f in files:
        shutil.copy(f, destination / f.name)
    return destination


def timed(run: Callable[[], tuple[Report, SqliteCache | None]]) -> tuple[float, Report, dict]:
    start = time.perf_counter()
    report, cache = run()
    seconds = time.perf_counter() - start
    hits = dict(cache.hits) if cache else {}
    return seconds, report, hits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "examples" / "blinken-2021-12")
    parser.add_argument("--no-nli", action="store_true", help="rule checks only")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    files = sorted(p for p in args.bundle.iterdir() if p.is_file() and is_bundle_file(p))
    if len(files) < 2:
        raise SystemExit(f"{args.bundle}: needs at least two article files")
    settings = Settings(use_nli=not args.no_nli)
    models: Models = load_models(settings)
    start = time.perf_counter()
    models.preload()
    print(f"bundle: {args.bundle} ({len(files)} articles), NLI: {settings.use_nli}")
    print(f"model loading (not cached, paid once per process): {time.perf_counter() - start:.2f} s")

    work = Path(tempfile.mkdtemp(prefix="crossclaim-bench-"))
    try:
        bundle = copy_articles(files, work / "bundle")
        rows: dict[str, list[tuple[float, Report, dict]]] = {}
        for i in range(args.repeat):
            cache_dir = work / f"cache-{i}"

            def cold(cache_dir: Path = cache_dir) -> tuple[Report, SqliteCache]:
                cache = open_cache(cache_dir)
                return run_report([bundle], settings, models=models, cache=cache), cache

            def warm(cache_dir: Path = cache_dir) -> tuple[Report, SqliteCache]:
                cache = open_cache(cache_dir)
                return run_report([bundle], settings, models=models, cache=cache), cache

            rows.setdefault("no cache", []).append(
                timed(lambda: (run_report([bundle], settings, models=models), None))
            )
            rows.setdefault("cold", []).append(timed(cold))
            rows.setdefault("warm", []).append(timed(warm))

            partial = copy_articles(files[:-1], work / f"partial-{i}")
            one_new_dir = work / f"cache-one-new-{i}"
            run_report([partial], settings, models=models, cache=open_cache(one_new_dir))
            shutil.copy(files[-1], partial / files[-1].name)

            def one_new(d: Path = one_new_dir, b: Path = partial) -> tuple[Report, SqliteCache]:
                cache = open_cache(d)
                return run_report([b], settings, models=models, cache=cache), cache

            rows.setdefault("one new article", []).append(timed(one_new))

        print(
            f"\n{'run':<16} {'median s':>9} {'extracted':>10} {'NLI scored':>11} "
            f"{'claim hits':>11} {'NLI hits':>9}"
        )
        for name, runs in rows.items():
            seconds = statistics.median(r[0] for r in runs)
            _, report, hits = runs[-1]
            print(
                f"{name:<16} {seconds:>9.2f} {report.stats['articles_extracted']:>10} "
                f"{report.stats['nli_model_calls']:>11} {hits.get('claims', '-'):>11} "
                f"{hits.get('nli', '-'):>9}"
            )
        stages = rows["warm"][-1][1].stats["seconds"]
        print(f"\nwarm run by stage (s): {stages}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
