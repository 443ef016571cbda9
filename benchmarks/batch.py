"""Batch checking at feed scale: throughput, stages, memory, recall, and the cost of grouping.

For each size it generates a feed with eval/make_feed.py (MRPC sentences, planted discrepancies
from runs/eval/injected.jsonl) and then:

* **batch** (``--sizes``): runs ``crossclaim batch`` in a fresh process and output folder per
  engine (``local``: one process; ``ray``: a local Ray cluster with ``--workers`` actors), cold
  caches. Reports articles per minute (whole run, model loading and Ray start included), seconds
  per stage, peak memory (the largest sum of resident memory over the command's whole process
  tree, sampled with psutil every 0.2 s: driver, Ray's own processes and actors), NLI pairs per
  event, and the recall of the planted discrepancies against the answer key (a planted pair is
  found when a finding joins the two files with both planted sentences; by any check, and by
  the planted check); ``silent`` rows flagged are false alarms on meaning-keeping rewrites.
  Also checks that the ray engine's CSV indexes are byte-identical to the local engine's.
* **grouping** (``--group-sizes``): computes the grouping features once (kept in a feature
  store), then times blocked grouping (MinHash LSH + linking) against all-pairs grouping
  (``checker.workspace.events.group_features``), counts candidate pairs, the events on which
  the two agree, and pair precision / recall of each against the generator's true events; then
  fits ``seconds = c * n ** k`` (least squares on logs) for each.

    python benchmarks/batch.py                          # 300 and 1000 articles; grouping to 3000
    python benchmarks/batch.py --sizes 300 --group-sizes 300 1000 3000 10000
    python benchmarks/batch.py --with-10k               # adds 10,000 to the grouping sizes

Figures depend on the machine and on its load: say which when quoting them.
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import json
import math
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def load_make_feed() -> Any:
    spec = importlib.util.spec_from_file_location("make_feed", ROOT / "eval" / "make_feed.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def make_feed(size: int, out: Path, seed: int) -> Path:
    mf = load_make_feed()
    if out.exists():
        shutil.rmtree(out)
    mf.generate(mf.FeedSpec(articles=size, seed=seed), out)
    return out


# --- batch runs -------------------------------------------------------------------------------


def tree_rss_mib(pid: int) -> float:
    """Resident memory of a process and all its descendants (MiB)."""
    import psutil

    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0.0
    total = 0
    for proc in procs:
        try:
            total += proc.memory_info().rss
        except psutil.Error:
            continue
    return total / 2**20


def run_batch_command(feed: Path, out: Path, engine: str, workers: int, nli: bool) -> dict:
    """``crossclaim batch`` in its own process; its summary plus wall time and peak tree RSS."""
    if out.exists():
        shutil.rmtree(out)
    cmd = [sys.executable, "-m", "checker.cli.main", "batch", str(feed), "--out", str(out), "-q"]
    cmd += ["--engine", engine]
    if engine == "ray":
        cmd += ["--workers", str(workers)]
    if not nli:
        cmd.append("--no-nli")
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT)
    peak = 0.0
    have_psutil = importlib.util.find_spec("psutil") is not None
    while proc.poll() is None:
        if have_psutil:
            peak = max(peak, tree_rss_mib(proc.pid))
        time.sleep(0.2)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    summary["wall_seconds"] = round(wall, 1)
    summary["peak_tree_rss_mib"] = round(peak, 1) if have_psutil else None
    return summary


def _norm(text: str) -> str:
    return " ".join(str(text).split()).lower()


def _same_sentence(side: str, planted: str) -> bool:
    a, b = _norm(side), _norm(planted)
    return bool(a) and (a in b or b in a)


def recall(feed_dir: Path, out: Path) -> dict[str, Any]:
    """Planted pairs found (by any check / by the planted check) and silent rows flagged."""
    import pandas as pd

    findings = pd.read_csv(out / "findings.csv", keep_default_na=False).to_dict("records")
    by_files: dict[frozenset[str], list[dict]] = {}
    for f in findings:
        by_files.setdefault(frozenset((f["a_file"], f["b_file"])), []).append(f)
    key = [json.loads(line) for line in (feed_dir / "answer_key.jsonl").read_text().splitlines()]
    result: dict[str, Any] = {"fire": 0, "fire_found": 0, "fire_found_same_check": 0}
    result |= {"silent": 0, "silent_flagged": 0, "by_check": {}}
    for row in key:
        pair = frozenset((row["a"]["file"], row["b"]["file"]))
        hits = [
            f
            for f in by_files.get(pair, [])
            if {True}
            == {
                any(_same_sentence(f[f"{s}_text"], row[p]["sentence"]) for s in ("a", "b"))
                for p in ("a", "b")
            }
        ]
        if row["expect"] == "fire":
            result["fire"] += 1
            result["fire_found"] += bool(hits)
            same = any(h["check"] == row["check"] for h in hits)
            result["fire_found_same_check"] += same
            entry = result["by_check"].setdefault(row["check"], [0, 0])
            entry[0] += same
            entry[1] += 1
        else:
            result["silent"] += 1
            result["silent_flagged"] += bool(hits)
    result["recall_any_check"] = round(result["fire_found"] / max(1, result["fire"]), 3)
    result["recall_same_check"] = round(result["fire_found_same_check"] / max(1, result["fire"]), 3)
    result["findings"] = len(findings)
    return result


# --- grouping cost ----------------------------------------------------------------------------


def grouping_cost(feed_dir: Path, work: Path) -> dict[str, Any]:
    """Blocked vs all-pairs grouping on one feed (features computed once, then stored)."""
    from checker.batch.engines import LocalEngine
    from checker.batch.features import FEATURES_FILE, FeatureStore
    from checker.batch.grouping import group_all_pairs, group_blocked
    from checker.batch.run import _features, read_feed
    from checker.settings import Settings
    from checker.workspace.events import title_and_lead

    settings = Settings()
    feed = read_feed([feed_dir / "articles"], settings)
    texts = [
        title_and_lead(a, settings.events.lead_chars, settings.events.title_chars)
        for a in feed.articles
    ]
    engine = LocalEngine(settings, None)
    t0 = time.perf_counter()
    features, computed = _features(
        feed, texts, settings, FeatureStore(work / FEATURES_FILE), lambda: engine
    )
    feature_seconds = time.perf_counter() - t0

    def best_of(runs: int, job: Any) -> tuple[Any, float]:
        """The result and the fastest of ``runs`` timings (the first also imports libraries)."""
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            value = job()
            times.append(time.perf_counter() - t0)
        return value, min(times)

    blocked, blocked_seconds = best_of(3, lambda: group_blocked(features, texts, settings.events))
    full, full_seconds = best_of(3, lambda: group_all_pairs(features, settings.events))

    file_of = {cid: Path(a.source).name for cid, a in zip(feed.ids, feed.articles, strict=True)}
    truth = {}
    for line in (feed_dir / "events.jsonl").read_text().splitlines():
        row = json.loads(line)
        for name in row["files"]:
            truth[name] = row["event"]

    def quality(events: list) -> dict[str, float]:
        pred = {file_of[m]: e.id for e in events for m in e.members}
        by_true: dict[str, list[str]] = {}
        for name, event in truth.items():
            by_true.setdefault(event, []).append(name)
        same_true = sum(len(v) * (len(v) - 1) // 2 for v in by_true.values())
        by_pred: dict[str, list[str]] = {}
        for name, event in pred.items():
            by_pred.setdefault(event, []).append(name)
        same_pred = sum(len(v) * (len(v) - 1) // 2 for v in by_pred.values())
        both = sum(
            truth[a] == truth[b] for v in by_pred.values() for a, b in itertools.combinations(v, 2)
        )
        return {
            "pair_precision": round(both / max(1, same_pred), 4),
            "pair_recall": round(both / max(1, same_true), 4),
        }

    def partition(events: list) -> set[tuple[str, ...]]:
        return {tuple(sorted(e.members)) for e in events}

    return {
        "articles": len(features),
        "features_computed": computed,
        "feature_seconds": round(feature_seconds, 2),
        "blocked_seconds": round(blocked_seconds, 4),
        "all_pairs_seconds": round(full_seconds, 4),
        "candidate_pairs": blocked.candidates,
        "all_pairs": full.candidates,
        "events_blocked": len(blocked.events),
        "events_all_pairs": len(full.events),
        "events_identical": len(partition(blocked.events) & partition(full.events)),
        "blocked": quality(blocked.events),
        "all_pairs_quality": quality(full.events),
    }


def all_pairs_floor(n: int, dim: int = 384, seed: int = 0) -> dict[str, Any]:
    """All-pairs grouping (``group_features``) on ``n`` random unit vectors: no pair is above
    the threshold, so this is the floor of its cost, the ``n * n`` similarity products alone;
    and blocked grouping on the same articles with texts of random words (no shared story)."""
    import datetime as dt

    import numpy as np

    from checker.batch.grouping import group_blocked
    from checker.settings import EventSettings
    from checker.workspace.events import ArticleFeatures, group_features

    rng = np.random.default_rng(seed)
    vectors = rng.normal(size=(n, dim)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    day = dt.datetime(2024, 1, 9, tzinfo=dt.UTC)
    features = [
        ArticleFeatures(f"{i:064x}", f"{i}", vectors[i], frozenset(), day, "t", "o")
        for i in range(n)
    ]
    words = rng.integers(0, 20 * n, size=(n, 40))
    texts = [" ".join(f"w{w}" for w in row) for row in words]
    t0 = time.perf_counter()
    group_features(features, EventSettings())
    full = time.perf_counter() - t0
    t0 = time.perf_counter()
    blocked = group_blocked(features, texts, EventSettings())
    return {
        "articles": n,
        "all_pairs_seconds": round(full, 3),
        "blocked_seconds": round(time.perf_counter() - t0, 3),
        "candidate_pairs": blocked.candidates,
    }


def fit_exponent(ns: list[int], ys: list[float]) -> float | None:
    """k of y = c * n ** k, least squares on logs (None with fewer than 2 usable points).

    >>> fit_exponent([100, 1000], [1.0, 100.0])
    2.0
    """
    pts = [(math.log(n), math.log(y)) for n, y in zip(ns, ys, strict=True) if n > 0 and y > 0]
    if len(pts) < 2:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    var = sum((x - mx) ** 2 for x, _ in pts)
    return round(sum((x - mx) * (y - my) for x, y in pts) / var, 2) if var else None


# --- main -------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[300, 1000])
    parser.add_argument("--group-sizes", type=int, nargs="*", default=[300, 1000, 3000])
    parser.add_argument("--with-10k", action="store_true", help="add 10,000 to --group-sizes")
    parser.add_argument("--engines", nargs="*", default=["local", "ray"])
    parser.add_argument("--workers", type=int, default=2, help="Ray actors")
    parser.add_argument("--no-nli", action="store_true")
    parser.add_argument(
        "--floor-sizes",
        type=int,
        nargs="*",
        default=[3000, 10000, 30000],
        help="sizes of the all-pairs floor measured on random vectors",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=ROOT / "runs" / "bench-batch")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if "ray" in args.engines and importlib.util.find_spec("ray") is None:
        print("ray is not installed: running the local engine only", file=sys.stderr)
        args.engines = [e for e in args.engines if e != "ray"]
    group_sizes = sorted(set(args.group_sizes) | ({10_000} if args.with_10k else set()))
    args.out.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {"batch": [], "grouping": [], "args": vars(args) | {"out": ""}}
    feeds = {n: make_feed(n, args.out / f"feed-{n}", args.seed) for n in sorted(set(args.sizes))}

    for n in sorted(set(args.sizes)):
        outs = {}
        for engine in args.engines:
            out = args.out / f"batch-{n}-{engine}"
            summary = run_batch_command(
                feeds[n] / "articles", out, engine, args.workers, not args.no_nli
            )
            outs[engine] = out
            row = {
                "articles": n,
                "engine": engine,
                "workers": summary["workers"],
                "wall_seconds": summary["wall_seconds"],
                "articles_per_minute": round(60 * n / summary["wall_seconds"], 1),
                "seconds": summary["seconds"],
                "peak_tree_rss_mib": summary["peak_tree_rss_mib"],
                "driver_peak_rss_mib": summary["peak_rss_mib"]["driver"],
                "worker_peak_rss_mib": [
                    w["peak_rss_mib"] for w in summary["peak_rss_mib"]["workers"]
                ],
                "events": summary["counts"]["events"],
                "events_checked": summary["counts"]["events_checked"],
                "nli_pairs_per_event": summary["nli_pairs"]["per_event"],
                "nli_pairs_max_event": summary["nli_pairs"]["max_event"],
                "candidate_pairs": summary["grouping"]["candidate_pairs"],
                "recall": recall(feeds[n], out),
            }
            results["batch"].append(row)
            print(json.dumps(row), file=sys.stderr, flush=True)
        if "local" in outs and "ray" in outs:
            same = all(
                (outs["local"] / name).read_bytes() == (outs["ray"] / name).read_bytes()
                for name in ("events.csv", "findings.csv", "articles.csv")
            )
            results["batch"][-1]["identical_to_local"] = same

    for n in group_sizes:
        feed = feeds.get(n) or make_feed(n, args.out / f"feed-{n}", args.seed)
        work = args.out / f"group-{n}"
        work.mkdir(exist_ok=True)
        local_store = args.out / f"batch-{n}-local" / "features.sqlite"
        if local_store.is_file() and not (work / "features.sqlite").exists():
            shutil.copy(local_store, work / "features.sqlite")
        row = grouping_cost(feed, work)
        results["grouping"].append(row)
        print(json.dumps(row), file=sys.stderr, flush=True)
    results["floor"] = [all_pairs_floor(n) for n in args.floor_sizes]
    for row in results["floor"]:
        print(json.dumps(row), file=sys.stderr, flush=True)
    ns = [r["articles"] for r in results["grouping"]]
    results["exponents"] = {
        "blocked_seconds": fit_exponent(ns, [r["blocked_seconds"] for r in results["grouping"]]),
        "all_pairs_seconds": fit_exponent(
            ns, [r["all_pairs_seconds"] for r in results["grouping"]]
        ),
        "candidate_pairs": fit_exponent(ns, [r["candidate_pairs"] for r in results["grouping"]]),
        "feature_seconds": fit_exponent(ns, [r["feature_seconds"] for r in results["grouping"]]),
        "floor_all_pairs_seconds": fit_exponent(
            [r["articles"] for r in results["floor"]],
            [r["all_pairs_seconds"] for r in results["floor"]],
        ),
        "floor_blocked_seconds": fit_exponent(
            [r["articles"] for r in results["floor"]],
            [r["blocked_seconds"] for r in results["floor"]],
        ),
    }
    (args.out / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print_tables(results)
    return 0


def print_tables(results: dict[str, Any]) -> None:
    print("\nbatch (wall time includes model loading and, for ray, starting the cluster)")
    head = (
        f"{'n':>6} {'engine':>6} {'wrk':>3} {'wall s':>7} {'art/min':>8} {'read':>5} "
        f"{'feat':>6} {'group':>6} {'check':>7} {'write':>5} {'peak MiB':>9} {'NLI/ev':>6} "
        f"{'recall':>6} {'same-chk':>8} {'silent FA':>9} {'=local':>6}"
    )
    print(head)
    for r in results["batch"]:
        s, rc = r["seconds"], r["recall"]
        print(
            f"{r['articles']:>6} {r['engine']:>6} {r['workers']:>3} {r['wall_seconds']:>7.1f} "
            f"{r['articles_per_minute']:>8.1f} {s['read']:>5.1f} {s['features']:>6.1f} "
            f"{s['group']:>6.2f} {s['check']:>7.1f} {s['write']:>5.1f} "
            f"{r['peak_tree_rss_mib'] or 0:>9.0f} {r['nli_pairs_per_event']:>6.1f} "
            f"{rc['recall_any_check']:>6.3f} {rc['recall_same_check']:>8.3f} "
            f"{rc['silent_flagged']:>4}/{rc['silent']:<4} "
            f"{ {True: 'yes', False: 'NO'}.get(r.get('identical_to_local'), '-'):>6}"
        )
    print("\ngrouping (features computed once; seconds are grouping only)")
    print(
        f"{'n':>6} {'feat s':>7} {'blocked s':>9} {'all-pairs s':>11} {'candidates':>10} "
        f"{'all pairs':>10} {'same events':>11} {'P/R blocked':>13} {'P/R all-pairs':>13}"
    )
    for r in results["grouping"]:
        b, a = r["blocked"], r["all_pairs_quality"]
        print(
            f"{r['articles']:>6} {r['feature_seconds']:>7.1f} {r['blocked_seconds']:>9.3f} "
            f"{r['all_pairs_seconds']:>11.3f} {r['candidate_pairs']:>10} {r['all_pairs']:>10} "
            f"{r['events_identical']:>5}/{r['events_all_pairs']:<5} "
            f"{b['pair_precision']:.3f}/{b['pair_recall']:.3f} "
            f"{a['pair_precision']:.3f}/{a['pair_recall']:.3f}"
        )
    print("\nall-pairs floor (random vectors, nothing linked) vs blocked (random words)")
    print(f"{'n':>7} {'all-pairs s':>11} {'blocked s':>9} {'candidates':>10}")
    for r in results["floor"]:
        print(
            f"{r['articles']:>7} {r['all_pairs_seconds']:>11.2f} {r['blocked_seconds']:>9.2f} "
            f"{r['candidate_pairs']:>10}"
        )
    print("\nexponent k of cost = c * n^k:", json.dumps(results["exponents"]))


if __name__ == "__main__":
    raise SystemExit(main())
