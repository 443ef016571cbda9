"""Batch checking at feed scale: throughput, stages, memory, recall, and the cost of grouping.

For each size it generates a feed with eval/make_feed.py (MRPC sentences, planted discrepancies
from runs/eval/injected.jsonl) and then:

* **batch** (``--sizes``): runs ``crossclaim batch`` in a fresh process and output folder per
  engine (``local``: one process; ``ray``: a local Ray cluster with ``--workers`` actors), cold
  caches. Reports articles per minute (whole run, model loading and Ray start included), seconds
  per stage, peak memory (the largest sum of resident memory over the command's whole process
  tree, sampled with psutil every 0.2 s: driver, Ray's own processes and actors), NLI pairs per
  event, and the recall of the planted discrepancies against the answer key (a planted pair is
  found when a finding of the event holding both files joins their two outlets with both
  planted sentences, directly or, for a consensus finding, through the outlets it lists as
  agreeing with either side, as in benchmarks/consensus_scaling.py; by any check, and by the
  planted check); ``silent`` rows flagged are false alarms on meaning-keeping rewrites. Also
  checks that the ray engine's CSV indexes are byte-identical to the local engine's, and
  records the CPU seconds of the command's process tree and the load averages around it.
  ``--articles-per-event`` / ``--max-outlets`` shape the feeds (e.g. 10 / 16: of 10,000 articles,
  9,000 in 1,000 events of 2-16 outlets and the generator's 10 % lone); ``--ray-sizes``
  limits the ray runs to some sizes.
* **per-bundle recall** (``--per-bundle K``): K events of the largest feed with a planted
  contradiction, each checked on its own as one bundle (``run_report``, what ``crossclaim
  check`` does), against the batch run's findings on the same answer-key rows.
* **incremental** (``--incremental N``): the largest feed is generated with N more articles,
  which are held out of the first runs (about half are late outlets of existing events, a tenth
  lone articles, the rest whole new events: :func:`hold_out_articles`); at the end they are
  added to the feed folder and ``crossclaim batch`` runs again on a copy of the local run's
  output folder. Reports its wall time and ratio to the full run, the events checked again
  against those holding an added article, and whether every other report kept its bytes.
* **grouping** (``--group-sizes``): computes the grouping features once (kept in a feature
  store), then times blocked grouping (MinHash LSH + linking) against all-pairs grouping
  (``checker.workspace.events.group_features``), counts candidate pairs, the events on which
  the two agree, and pair precision / recall of each against the generator's true events; then
  fits ``seconds = c * n ** k`` (least squares on logs) for each.

    python benchmarks/batch.py                          # 300 and 1000 articles; grouping to 3000
    python benchmarks/batch.py --sizes 300 --group-sizes 300 1000 3000 10000
    python benchmarks/batch.py --with-10k               # adds 10,000 to the grouping sizes
    python benchmarks/batch.py --sizes 3000 10000 --ray-sizes 3000 --incremental 100 ...

(the 10,000-article run of docs/scale.md, whose full command is given there).

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


def make_feed(
    size: int,
    out: Path,
    seed: int,
    articles_per_event: float | None = None,
    max_outlets: int = 5,
    hold_out: int = 0,
) -> Path:
    """A feed of ``size`` articles under ``out`` (``out/articles``, answer key, true events).

    ``articles_per_event``: ``round(size / articles_per_event)`` multi-article events (the
    generator's default, about 3.5 articles each, when None). ``hold_out``: the feed is made with
    ``size + hold_out`` articles and ``hold_out`` of them are moved to ``out/added`` (see
    :func:`hold_out_articles`), so the feed checked first has ``size`` articles."""
    mf = load_make_feed()
    if out.exists():
        shutil.rmtree(out)
    events = round(size / articles_per_event) if articles_per_event else None
    spec = mf.FeedSpec(articles=size + hold_out, events=events, max_outlets=max_outlets, seed=seed)
    mf.generate(spec, out)
    if hold_out:
        hold_out_articles(out, hold_out, seed)
    return out


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    text = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows)
    path.write_text(text, encoding="utf-8")


def _published(path: Path) -> str:
    """The ``published`` value of a generated article's front matter (ISO text, UTC)."""
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        if line.startswith("published: "):
            return str(json.loads(line.removeprefix("published: ")))
        if line == "---":
            break
    return ""


def hold_out_articles(feed_dir: Path, count: int, seed: int) -> dict[str, Any]:
    """Move ``count`` articles of a generated feed to ``feed_dir/added``, to be added later.

    About half are *joiners*: the last-published article of an event of 3+ articles (a late
    outlet; the event keeps 2+ articles without it); about a tenth are lone articles; the rest
    are whole events of 2-4 articles (new events). ``answer_key.jsonl`` and ``events.jsonl``
    are rewritten for the feed without them (the full ones are kept as ``*.full.jsonl``);
    ``added.json`` says what was held out. Chosen with ``random.Random(seed)``."""
    import random

    rng = random.Random(f"hold-out-{seed}")
    events = _jsonl(feed_dir / "events.jsonl")
    key = _jsonl(feed_dir / "answer_key.jsonl")
    joiners_wanted = count // 2
    singles_wanted = count // 10
    new_wanted = count - joiners_wanted - singles_wanted
    small = [e for e in events if 2 <= len(e["files"]) <= 4]
    rng.shuffle(small)
    new_events, chosen = [], []
    for event in small:
        if len(chosen) + len(event["files"]) <= new_wanted:
            new_events.append(event["event"])
            chosen.extend(event["files"])
        if len(chosen) == new_wanted:
            break
    singles = [e["files"][0] for e in events if len(e["files"]) == 1]
    rng.shuffle(singles)
    singles = singles[: count - joiners_wanted - len(chosen)]
    chosen.extend(singles)
    big = [e for e in events if len(e["files"]) >= 3 and e["event"] not in new_events]
    rng.shuffle(big)
    joined = []
    articles = feed_dir / "articles"
    for event in big[: count - len(chosen)]:
        last = max(event["files"], key=lambda f: (_published(articles / f), f))
        joined.append(event["event"])
        chosen.append(last)
    added = feed_dir / "added"
    added.mkdir()
    for name in chosen:
        (articles / name).rename(added / name)
    gone = set(chosen)
    shutil.copy(feed_dir / "answer_key.jsonl", feed_dir / "answer_key.full.jsonl")
    shutil.copy(feed_dir / "events.jsonl", feed_dir / "events.full.jsonl")
    _write_jsonl(
        feed_dir / "answer_key.jsonl",
        [r for r in key if r["a"]["file"] not in gone and r["b"]["file"] not in gone],
    )
    base = []
    for event in events:
        files = [f for f in event["files"] if f not in gone]
        if files:
            base.append({**event, "files": files})
    _write_jsonl(feed_dir / "events.jsonl", base)
    info = {
        "added": len(chosen),
        "joining_existing_events": len(joined),
        "new_events": len(new_events),
        "new_event_articles": len(chosen) - len(joined) - len(singles),
        "lone_articles": len(singles),
        "events_to_recheck": len(joined) + len(new_events),
        "joined_events": joined,
        "new_event_ids": new_events,
        "files": sorted(chosen),
    }
    (feed_dir / "added.json").write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")
    return info


# --- batch runs -------------------------------------------------------------------------------


def tree_rss_mib(pid: int, cpu: dict[int, float] | None = None) -> float:
    """Resident memory of a process and all its descendants (MiB); with ``cpu``, also records
    each one's CPU seconds so far (user + system) by pid."""
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
            if cpu is not None:
                times = proc.cpu_times()
                cpu[proc.pid] = times.user + times.system
        except psutil.Error:
            continue
    return total / 2**20


def run_batch_command(
    feed: Path, out: Path, engine: str, workers: int, nli: bool, fresh: bool = True
) -> dict:
    """``crossclaim batch`` in its own process; its summary plus wall time, peak tree RSS, the
    CPU seconds of the process tree (user + system, as last sampled: a load-independent measure
    of the work; Ray's processes included) and the load averages before and after.
    ``fresh``: start from an empty output folder (cold caches, no manifest); else re-run on what
    ``out`` holds (an incremental run)."""
    if fresh and out.exists():
        shutil.rmtree(out)
    load_before = os.getloadavg()
    cmd = [sys.executable, "-m", "checker.cli.main", "batch", str(feed), "--out", str(out), "-q"]
    cmd += ["--engine", engine]
    if engine == "ray":
        cmd += ["--workers", str(workers)]
    if not nli:
        cmd.append("--no-nli")
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT)
    peak = 0.0
    cpu: dict[int, float] = {}
    have_psutil = importlib.util.find_spec("psutil") is not None
    while proc.poll() is None:
        if have_psutil:
            peak = max(peak, tree_rss_mib(proc.pid, cpu))
        time.sleep(0.2)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    summary["wall_seconds"] = round(wall, 1)
    summary["peak_tree_rss_mib"] = round(peak, 1) if have_psutil else None
    summary["cpu_seconds"] = round(sum(cpu.values()), 1) if have_psutil else None
    summary["load_before_after"] = [
        [round(x, 2) for x in load_before],
        [round(x, 2) for x in os.getloadavg()],
    ]
    return summary


def _norm(text: str) -> str:
    return " ".join(str(text).split()).lower()


def _same_sentence(side: str, planted: str) -> bool:
    a, b = _norm(side), _norm(planted)
    return bool(a) and (a in b or b in a)


Join = tuple[str, frozenset[str], str, frozenset[str], str]


def finding_joins(finding: dict[str, Any]) -> list[Join]:
    """(check, outlets, sentence, outlets, sentence) that a report's finding stands for: its two
    sides, each with the outlets its consensus field lists on that side (a consensus finding
    joins the departing outlet, and those giving the same value, with the representative's
    outlet and those agreeing with it; as in benchmarks/consensus_scaling.py)."""
    a, b = finding["a"], finding["b"]
    info = finding.get("consensus")
    if not info:
        return [
            (
                finding["check"],
                frozenset({a["outlet"]}),
                a["text"],
                frozenset({b["outlet"]}),
                b["text"],
            )
        ]
    rep = info["representative"]["claim_id"]
    cons, dep = (a, b) if a["claim_id"] == rep else (b, a)
    with_cons = frozenset({cons["outlet"], *info["agree_with_consensus"]})
    with_dep = frozenset({dep["outlet"], *info["agree_with_this"]})
    return [(finding["check"], with_dep, dep["text"], with_cons, cons["text"])]


def batch_joins(out: Path) -> tuple[dict[str, list[Join]], dict[str, str], int]:
    """The joins of every report of a batch run by event, the event of every file, and the
    number of findings."""
    event_of = {r["file"]: r["event_id"] for r in pd_rows(out / "articles.csv")}
    joins: dict[str, list[Join]] = {}
    findings = 0
    for path in sorted((out / "reports").glob("ev-*.json")):
        report = json.loads(path.read_text(encoding="utf-8"))
        joins[path.stem] = [j for f in report["findings"] for j in finding_joins(f)]
        findings += len(report["findings"])
    return joins, event_of, findings


def recall(feed_dir: Path, out: Path, key_file: str = "answer_key.jsonl") -> dict[str, Any]:
    """Planted pairs found (by any check / by the planted check) and silent rows flagged."""
    return recall_rows(*batch_joins(out), _jsonl(feed_dir / key_file))


def recall_rows(
    joins: dict[str, list[Join]],
    event_of: dict[str, str],
    findings: int,
    key: list[dict[str, Any]],
    keep_found: bool = False,
) -> dict[str, Any]:
    """Recall of the answer-key rows ``key``: a row is found when a finding of the event
    holding both its files joins its two outlets with both planted sentences (directly, or
    through a consensus finding's lists of outlets). ``keep_found``: also list the planted rows
    found (``found``: event, edited file, other file)."""
    result: dict[str, Any] = {"fire": 0, "fire_found": 0, "fire_found_same_check": 0}
    result |= {"silent": 0, "silent_flagged": 0, "by_check": {}}
    for row in key:
        event = event_of.get(row["a"]["file"])
        ea, sa = row["a"]["outlet"], row["a"]["sentence"]
        eb, sb = row["b"]["outlet"], row["b"]["sentence"]
        checks = set()
        if event is not None and event == event_of.get(row["b"]["file"]):
            checks = {
                check
                for check, o1, t1, o2, t2 in joins.get(event, [])
                if (ea in o1 and eb in o2 and _same_sentence(t1, sa) and _same_sentence(t2, sb))
                or (ea in o2 and eb in o1 and _same_sentence(t2, sa) and _same_sentence(t1, sb))
            }
        if row["expect"] == "fire":
            result["fire"] += 1
            result["fire_found"] += bool(checks)
            if keep_found and checks:
                result.setdefault("found", []).append(
                    f"{row['event']}|{row['a']['file']}|{row['b']['file']}"
                )
            same = row["check"] in checks
            result["fire_found_same_check"] += same
            entry = result["by_check"].setdefault(row["check"], [0, 0])
            entry[0] += same
            entry[1] += 1
        else:
            result["silent"] += 1
            result["silent_flagged"] += bool(checks)
    result["recall_any_check"] = round(result["fire_found"] / max(1, result["fire"]), 3)
    result["recall_same_check"] = round(result["fire_found_same_check"] / max(1, result["fire"]), 3)
    result["findings"] = findings
    return result


def per_bundle_recall(feed_dir: Path, batch_out: Path, sample: int, seed: int) -> dict[str, Any]:
    """Recall of the planted pairs when each true event is checked on its own, as one bundle
    (``checker.pipeline.run_report``: what ``crossclaim check FILES`` does; models loaded once,
    no cache), against the batch run's findings on the same answer-key rows. ``sample`` events
    with a planted contradiction, drawn with ``random.Random(seed)`` (all of them when 0)."""
    import random

    from checker.pipeline import load_models, run_report
    from checker.settings import Settings

    key = _jsonl(feed_dir / "answer_key.jsonl")
    files = {e["event"]: e["files"] for e in _jsonl(feed_dir / "events.jsonl")}
    fire_events = sorted({r["event"] for r in key if r["expect"] == "fire"})
    chosen = fire_events
    if sample and sample < len(fire_events):
        chosen = sorted(random.Random(f"per-bundle-{seed}").sample(fire_events, sample))
    rows = [r for r in key if r["event"] in set(chosen)]
    settings = Settings()
    models = load_models(settings)
    articles = feed_dir / "articles"
    joins: dict[str, list[Join]] = {}
    findings = 0
    started = time.perf_counter()
    for event in chosen:
        paths = [articles / name for name in files[event]]
        report = json.loads(run_report(paths, settings, models=models).to_json())
        joins[event] = [j for f in report["findings"] for j in finding_joins(f)]
        findings += len(report["findings"])
    seconds = time.perf_counter() - started
    event_of = {name: event for event in chosen for name in files[event]}
    alone = recall_rows(joins, event_of, findings, rows, keep_found=True)
    batch = recall_rows(*batch_joins(batch_out), rows, keep_found=True)
    alone_found, batch_found = set(alone.pop("found", [])), set(batch.pop("found", []))
    return {
        "events": len(chosen),
        "fire_rows": alone["fire"],
        "seconds": round(seconds, 1),
        "per_bundle": alone,
        "batch": batch,
        "found_per_bundle_only": len(alone_found - batch_found),
        "found_batch_only": len(batch_found - alone_found),
    }


def incremental_run(
    feed_dir: Path, full_out: Path, out: Path, workers: int, nli: bool
) -> dict[str, Any]:
    """Add the held-out articles (``feed_dir/added``) to the feed folder and run
    ``crossclaim batch`` again on a copy of the full local run's output folder (its manifest,
    reports, feature store and cache): an incremental run. Returns its summary figures, which
    events it checked again and whether every other event kept its report byte for byte."""
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(full_out, out)
    info = json.loads((feed_dir / "added.json").read_text(encoding="utf-8"))
    articles = feed_dir / "articles"
    for name in info["files"]:
        (feed_dir / "added" / name).rename(articles / name)
    summary = run_batch_command(articles, out, "local", workers, nli, fresh=False)

    def manifest(folder: Path) -> dict[str, Any]:
        return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["events"]

    before, after = manifest(full_out), manifest(out)
    rechecked = sorted(e for e, entry in after.items() if before.get(e) != entry)
    kept_same = all(
        (out / entry["report"]).read_bytes() == (full_out / entry["report"]).read_bytes()
        for e, entry in after.items()
        if e not in rechecked
    )
    # the true events of the added articles, in the run's event ids
    event_of = {
        r["file"]: r["event_id"]
        for r in pd_rows(out / "articles.csv")
        if r["file"] in set(info["files"])
    }
    members = {}
    for r in pd_rows(out / "articles.csv"):
        members.setdefault(r["event_id"], 0)
        members[r["event_id"]] += 1
    touched = {event_of[f] for f in info["files"] if members.get(event_of[f], 0) > 1}
    return {
        "articles_added": info["added"],
        "joining_existing_events": info["joining_existing_events"],
        "new_events": info["new_events"],
        "lone_articles": info["lone_articles"],
        "events_expected": info["events_to_recheck"],
        "multi_article_events_with_added_articles": len(touched),
        "events_checked": summary["counts"]["events_checked"],
        "events_unchanged": summary["counts"]["events_unchanged"],
        "manifest_entries_changed": len(rechecked),
        "rechecked_are_events_with_added_articles": set(rechecked) <= touched,
        # re-checked though holding no added article: their member set changed because the
        # day's grouping changed (blocking's story words depend on the whole feed)
        "rechecked_regrouped": sorted(set(rechecked) - touched),
        "events_gone": len(set(before) - set(after)),
        "other_reports_identical": kept_same,
        "features_computed": summary["counts"]["features_computed"],
        "wall_seconds": summary["wall_seconds"],
        "seconds": summary["seconds"],
        "peak_tree_rss_mib": summary["peak_tree_rss_mib"],
        "cpu_seconds": summary["cpu_seconds"],
        "load_before_after": summary["load_before_after"],
        "recall_full_feed": recall(feed_dir, out, "answer_key.full.jsonl"),
    }


def pd_rows(path: Path) -> list[dict[str, Any]]:
    import pandas as pd

    return pd.read_csv(path, keep_default_na=False).to_dict("records")


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
    parser.add_argument(
        "--articles-per-event",
        type=float,
        default=None,
        help="feeds of round(n / this) multi-article events (default: the generator's, ~n/3.9)",
    )
    parser.add_argument(
        "--max-outlets", type=int, default=5, help="outlets of a feed's largest event"
    )
    parser.add_argument(
        "--ray-sizes",
        type=int,
        nargs="*",
        default=None,
        help="the --sizes at which the ray engine runs (default: all of them)",
    )
    parser.add_argument(
        "--incremental",
        type=int,
        default=0,
        metavar="N",
        help="hold N articles out of the largest --sizes feed, then add them and re-run on the "
        "local run's output folder",
    )
    parser.add_argument(
        "--per-bundle",
        type=int,
        default=0,
        metavar="K",
        help="check K events with a planted contradiction of the largest feed one bundle at a "
        "time and compare recall with the batch run's (-1: all of them)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=ROOT / "runs" / "bench-batch")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if "ray" in args.engines and importlib.util.find_spec("ray") is None:
        print("ray is not installed: running the local engine only", file=sys.stderr)
        args.engines = [e for e in args.engines if e != "ray"]
    group_sizes = sorted(set(args.group_sizes) | ({10_000} if args.with_10k else set()))
    args.out.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {"batch": [], "grouping": [], "args": vars(args) | {"out": ""}}
    results["machine"] = machine()
    print(f"machine: {json.dumps(results['machine'])}", file=sys.stderr, flush=True)
    largest = max(args.sizes, default=0)

    def feed_of(n: int) -> Path:
        return make_feed(
            n,
            args.out / f"feed-{n}",
            args.seed,
            args.articles_per_event,
            args.max_outlets,
            hold_out=args.incremental if n == largest else 0,
        )

    feeds = {n: feed_of(n) for n in sorted(set(args.sizes))}

    for n in sorted(set(args.sizes)):
        outs = {}
        for engine in args.engines:
            if engine == "ray" and args.ray_sizes is not None and n not in args.ray_sizes:
                continue
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
                "cpu_seconds": summary["cpu_seconds"],
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
                "load_before_after": summary["load_before_after"],
            }
            results["batch"].append(row)
            print(json.dumps(row), file=sys.stderr, flush=True)
        if "local" in outs and "ray" in outs:
            same = all(
                (outs["local"] / name).read_bytes() == (outs["ray"] / name).read_bytes()
                for name in ("events.csv", "findings.csv", "articles.csv")
            )
            results["batch"][-1]["identical_to_local"] = same

    if args.per_bundle and largest and "local" in args.engines:
        sample = 0 if args.per_bundle < 0 else args.per_bundle
        local_out = args.out / f"batch-{largest}-local"
        results["per_bundle"] = per_bundle_recall(feeds[largest], local_out, sample, args.seed)
        results["per_bundle"]["articles"] = largest
        print(json.dumps(results["per_bundle"]), file=sys.stderr, flush=True)

    for n in group_sizes:
        feed = feeds.get(n) or feed_of(n)
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
    if args.incremental and largest and "local" in args.engines:
        full = next(
            r for r in results["batch"] if r["articles"] == largest and r["engine"] == "local"
        )
        inc = incremental_run(
            feeds[largest],
            args.out / f"batch-{largest}-local",
            args.out / f"batch-{largest}-incremental",
            args.workers,
            not args.no_nli,
        )
        inc["full_wall_seconds"] = full["wall_seconds"]
        inc["ratio_to_full"] = round(inc["wall_seconds"] / full["wall_seconds"], 4)
        results["incremental"] = inc
        print(json.dumps(inc), file=sys.stderr, flush=True)
    results["machine"]["load_at_end"] = [round(x, 2) for x in os.getloadavg()]
    results["total_minutes"] = round((time.perf_counter() - started) / 60, 1)
    (args.out / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print_tables(results)
    return 0


def machine() -> dict[str, Any]:
    """Cores, the CPU's vector flags, memory and the load averages now."""
    flags: set[str] = set()
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8")
        flags = {f for f in ("avx2", "avx512_vnni", "avx_vnni") if f" {f}" in text}
    except OSError:
        pass
    info: dict[str, Any] = {"cores": os.cpu_count(), "cpu_flags": sorted(flags)}
    if importlib.util.find_spec("psutil") is not None:
        import psutil

        info["memory_gib"] = round(psutil.virtual_memory().total / 2**30, 1)
    info["load_at_start"] = [round(x, 2) for x in os.getloadavg()]
    return info


def print_tables(results: dict[str, Any]) -> None:
    print("\nbatch (wall time includes model loading and, for ray, starting the cluster)")
    head = (
        f"{'n':>6} {'engine':>6} {'wrk':>3} {'wall s':>7} {'cpu s':>7} {'art/min':>8} {'read':>5} "
        f"{'feat':>6} {'group':>6} {'check':>7} {'write':>5} {'peak MiB':>9} {'NLI/ev':>6} "
        f"{'recall':>6} {'same-chk':>8} {'silent FA':>9} {'=local':>6}"
    )
    print(head)
    for r in results["batch"]:
        s, rc = r["seconds"], r["recall"]
        print(
            f"{r['articles']:>6} {r['engine']:>6} {r['workers']:>3} {r['wall_seconds']:>7.1f} "
            f"{r.get('cpu_seconds') or 0:>7.0f} "
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
    ray = [r for r in results["batch"] if r["engine"] == "ray"]
    for r in ray:
        local = next(
            (
                x
                for x in results["batch"]
                if x["articles"] == r["articles"] and x["engine"] == "local"
            ),
            None,
        )
        if local:
            print(
                f"\nray / local wall time at {r['articles']} articles: "
                f"{r['wall_seconds'] / local['wall_seconds']:.3f}"
            )
    if "per_bundle" in results:
        pb = results["per_bundle"]
        a, b = pb["per_bundle"], pb["batch"]
        print(
            f"\nper-bundle vs batch recall ({pb['events']} events with a planted contradiction "
            f"of the {pb['articles']}-article feed, {pb['fire_rows']} planted rows; "
            f"per-bundle checks took {pb['seconds']} s)"
        )
        print(f"{'':>11} {'any check':>9} {'same check':>10} {'silent FA':>9}")
        for name, r in (("per-bundle", a), ("batch", b)):
            print(
                f"{name:>11} {r['recall_any_check']:>9.3f} {r['recall_same_check']:>10.3f} "
                f"{r['silent_flagged']:>4}/{r['silent']:<4}"
            )
        print(
            f"found only per-bundle: {pb['found_per_bundle_only']}, "
            f"only in batch: {pb['found_batch_only']}"
        )
    if "incremental" in results:
        i = results["incremental"]
        print(
            f"\nincremental: +{i['articles_added']} articles ({i['joining_existing_events']} "
            f"joining existing events, {i['new_events']} new events, {i['lone_articles']} lone): "
            f"{i['wall_seconds']:.1f} s against {i['full_wall_seconds']:.1f} s for the full "
            f"run = {100 * i['ratio_to_full']:.1f} %; events checked {i['events_checked']} "
            f"(expected {i['events_expected']}; multi-article events holding an added article "
            f"{i['multi_article_events_with_added_articles']}), unchanged "
            f"{i['events_unchanged']}, features computed {i['features_computed']}, re-checked "
            f"without an added article (regrouped): {len(i.get('rechecked_regrouped', []))}, "
            f"events gone: {i.get('events_gone', 0)}, "
            f"other reports identical: {i['other_reports_identical']}; stages "
            f"{json.dumps(i['seconds'])}; recall on the full feed "
            f"{i['recall_full_feed']['recall_any_check']:.3f} / "
            f"{i['recall_full_feed']['recall_same_check']:.3f}"
        )
    m = results["machine"]
    print(
        f"\nmachine: {m['cores']} cores, flags {' '.join(m['cpu_flags']) or '-'}; load average "
        f"at start {m['load_at_start']}, at end {m.get('load_at_end')}; "
        f"total {results.get('total_minutes')} min"
    )


if __name__ == "__main__":
    raise SystemExit(main())
