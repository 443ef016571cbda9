"""``crossclaim batch``: a whole feed in, one report per event and indexes out.

Stages (each timed in ``summary.json``):

1. **read**: every article of the feed (``claims.readers.read_bundle``); an unreadable file is
   one problem line and the others go on. Articles with the same content id
   (``checker.workspace.identity.content_id``: same text, outlet and url) are one article: the
   first by source path is kept.
2. **features**: title+lead vector and story entities of each article
   (``checker.workspace.events.compute_features``), from ``features.sqlite`` when the text was
   seen before (:mod:`checker.batch.features`), else computed by the engine.
3. **group**: events by MinHash LSH blocking and the existing linking test
   (:mod:`checker.batch.grouping`).
4. **check**: every event of 2+ articles whose member set (content ids), member files or
   configuration (:func:`config_key`) changed since the last run (``manifest.json``) is checked
   by the engine (``checker.pipeline.check_articles`` with the content-keyed cache in
   ``OUT/cache``, so unchanged articles and claim pairs are not recomputed); the others keep
   their report. An event of more than ``Settings.consensus_min_outlets`` outlets is compared by
   consensus (``checker/consensus.py``: cost linear in its outlets), the others all-pairs;
   ``summary.json`` counts the events of each mode and their rule calls and NLI pairs.
5. **write**: ``reports/<event>.json`` (``Report.to_json()``), ``events.csv``, ``findings.csv``
   and ``articles.csv`` (and ``.parquet`` of each when pyarrow is installed), ``summary.json``,
   then ``manifest.json``, each written atomically.

Everything but ``summary.json`` is deterministic: ids are content-keyed, rows are sorted, and the
CSV files hold no timings, so two runs (or two engines) on the same feed write the same bytes;
the reports differ only in their timing fields (``stats.seconds``, ``model_load_seconds``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from checker.atomic import write_text_atomic
from checker.batch.engines import (
    FEATURE_CHUNK,
    CheckJob,
    CheckResult,
    Engine,
    FeatureJob,
    chunked,
    make_engine,
    peak_rss_mib,
)
from checker.batch.features import FEATURES_FILE, FeatureStore, feature_key
from checker.batch.grouping import BatchEvent, BlockingSettings, group_blocked
from checker.settings import Settings
from checker.workspace.events import ArticleFeatures, event_title, title_and_lead
from checker.workspace.identity import content_id, identity_key
from claims.records import Article, InputProblem

log = logging.getLogger(__name__)

MANIFEST_SCHEMA = "crossclaim.batch-manifest/v1"
SUMMARY_SCHEMA = "crossclaim.batch-summary/v1"
REPORTS_DIR = "reports"
CACHE_DIR = "cache"
_JSONL_LINE = re.compile(r"^(.*\.jsonl):(\d+)$")

EVENT_COLUMNS = [
    "event_id",
    "title",
    "articles",
    "outlets",
    "outlet_names",
    "first_published",
    "members_key",
    "findings",
    "contradictions",
    "divergences",
    "nli_pairs",
    "report",
]
FINDING_COLUMNS = [
    "event_id",
    "fingerprint",
    "verdict",
    "check",
    "severity",
    "confidence",
    "cluster",
    "a_outlet",
    "a_file",
    "a_line",
    "a_text",
    "a_value",
    "b_outlet",
    "b_file",
    "b_line",
    "b_text",
    "b_value",
    "nli_contradiction",
    "explanation",
]
ARTICLE_COLUMNS = ["file", "content_id", "event_id", "outlet", "published", "title", "url"]


@dataclass(frozen=True)
class BatchOptions:
    engine: str = "local"
    address: str | None = None
    workers: int | None = None
    #: check every event again, whatever the manifest says.
    force: bool = False
    #: use ``OUT/cache`` (claims, embeddings, NLI results) and ``OUT/features.sqlite``.
    use_cache: bool = True
    blocking: BlockingSettings = field(default_factory=BlockingSettings)


@dataclass
class FeedArticles:
    articles: list[Article]  # sorted by content id, one per content id
    ids: list[str]  # their content ids
    problems: list[InputProblem]
    duplicates: list[tuple[str, str]]  # (source dropped, source kept)


def read_feed(paths: Sequence[Path], settings: Settings) -> FeedArticles:
    """Every article of the feed, one per content id, sorted by content id."""
    from claims.readers import read_bundle

    articles, problems = read_bundle(
        [Path(p) for p in paths], settings.max_file_bytes, settings.read_limits()
    )
    by_id: dict[str, Article] = {}
    duplicates = []
    for article in sorted(articles, key=lambda a: (a.source, a.id)):
        key = content_id(article)
        if key in by_id:
            duplicates.append((article.source, by_id[key].source))
            continue
        by_id[key] = article
    ids = sorted(by_id)
    return FeedArticles([by_id[k] for k in ids], ids, list(problems), duplicates)


def config_key(settings: Settings) -> str:
    """What the reports depend on besides the articles: settings, rule parameters, code and
    model versions. A change re-checks every event."""
    import rules
    from checker.cache import producer_id
    from checker.pipeline import load_models

    models = load_models(settings)
    rule_files = [Path(rules.__file__).parent / "rules.yaml"]
    if settings.rules_file:
        rule_files.append(Path(settings.rules_file))
    payload = {
        "settings": asdict(settings),
        "producer": producer_id(),
        "embedder": models.embedder_id(),
        "nli": models.nli_id() if settings.use_nli else None,
        "rules": [
            hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else str(p)
            for p in rule_files
        ],
    }
    raw = json.dumps(payload, sort_keys=True, default=str)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def relative_file(source: str, roots: Sequence[Path]) -> str:
    """``source`` relative to the feed folder it came from (as given when it is no folder's).

    >>> relative_file("feed/a.md", [Path("feed")])
    'a.md'
    >>> relative_file("other/a.md", [Path("feed")])
    'other/a.md'
    >>> relative_file("feed/wire.jsonl:3", [Path("feed")])
    'wire.jsonl:3'
    """
    line = _JSONL_LINE.match(source)
    path, suffix = (line.group(1), source[line.end(1) :]) if line else (source, "")
    for root in roots:
        try:
            return Path(path).relative_to(root).as_posix() + suffix
        except ValueError:
            continue
    return source


def inputs_key(event: BatchEvent, articles: Sequence[Article]) -> str:
    """What an event's report was made from: its members (content ids) and where each was read
    (reader id and source, which the report names). An event is checked again when this changes:
    new or changed articles, or the same texts read from other files."""
    raw = "\n".join(
        f"{cid}\x1f{a.id}\x1f{a.source}" for cid, a in zip(event.members, articles, strict=True)
    )
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def load_manifest(out: Path) -> dict[str, Any]:
    path = out / "manifest.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("schema") != MANIFEST_SCHEMA:
        return {}
    return data


def _read_report(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("findings"), list) else None


def _features(
    feed: FeedArticles,
    texts: list[str],
    settings: Settings,
    store: FeatureStore | None,
    engine: Callable[[], Engine],
) -> tuple[list[ArticleFeatures], int]:
    """Features of every article (key = content id): stored ones, then the missing ones
    computed by the engine in fixed chunks. Returns them and how many were computed."""
    from checker.cache import producer_id
    from checker.pipeline import load_models

    embedder_id = load_models(settings).embedder_id() or settings.embedding_model
    producer = producer_id()
    keys = [feature_key(t, producer, embedder_id, settings.events) for t in texts]
    known = store.load(keys) if store is not None else {}
    todo: list[int] = []
    seen: set[str] = set()
    for i, key in enumerate(keys):  # content-id order; one computation per distinct text
        if key not in known and key not in seen:
            seen.add(key)
            todo.append(i)
    if todo:
        chunks = list(chunked(todo, FEATURE_CHUNK))
        jobs = [
            FeatureJob(tuple(feed.articles[i] for i in chunk), tuple(feed.ids[i] for i in chunk))
            for chunk in chunks
        ]
        fresh: dict[str, tuple[Any, frozenset[str]]] = {}
        for chunk, found in zip(chunks, engine().features(jobs), strict=True):
            for i, item in zip(chunk, found, strict=True):
                fresh[keys[i]] = (item.vector, item.entities)
        if store is not None:
            store.store(fresh)
        known = {**known, **fresh}
    features = [
        ArticleFeatures(
            key=cid,
            identity=identity_key(article),
            vector=known[key][0],
            entities=known[key][1],
            published=article.published,
            title=event_title(article),
            outlet=article.outlet,
        )
        for cid, article, key in zip(feed.ids, feed.articles, keys, strict=True)
    ]
    return features, len(todo)


def finding_rows(event: str, report: dict[str, Any], roots: Sequence[Path]) -> list[dict]:
    """One row per finding of an event's report, in the report's order."""
    rows = []
    for f in report.get("findings", []):
        nli = f.get("nli") or {}
        row: dict[str, Any] = {
            "event_id": event,
            "fingerprint": f.get("fingerprint", ""),
            "verdict": f.get("verdict", ""),
            "check": f.get("check", ""),
            "severity": f.get("severity", ""),
            "confidence": f.get("confidence", 0.0),
            "cluster": f.get("cluster", ""),
        }
        for side in ("a", "b"):
            s = f.get(side) or {}
            row[f"{side}_outlet"] = s.get("outlet", "")
            row[f"{side}_file"] = relative_file(str(s.get("source", "")), roots)
            row[f"{side}_line"] = s.get("line", 0)
            row[f"{side}_text"] = s.get("text", "")
            row[f"{side}_value"] = s.get("value", "")
        row["nli_contradiction"] = nli.get("contradiction", "") if isinstance(nli, dict) else ""
        row["explanation"] = f.get("explanation", "")
        rows.append(row)
    return rows


def _write_table(out: Path, name: str, rows: list[dict[str, Any]], columns: list[str]) -> list:
    """``name.csv`` (and ``name.parquet`` when pyarrow is installed), atomically."""
    import importlib.util

    import pandas as pd

    frame = pd.DataFrame(rows, columns=columns)
    write_text_atomic(out / f"{name}.csv", frame.to_csv(index=False, lineterminator="\n"))
    written = [f"{name}.csv"]
    if importlib.util.find_spec("pyarrow") is not None:
        tmp = out / f".{name}.parquet.tmp"
        frame.to_parquet(tmp, index=False)
        tmp.replace(out / f"{name}.parquet")
        written.append(f"{name}.parquet")
    return written


def run_batch(
    paths: Sequence[Path],
    out: Path,
    settings: Settings,
    options: BatchOptions | None = None,
    on_problem: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Check a feed (see the module docstring); returns the summary written to
    ``summary.json``."""
    options = options or BatchOptions()
    on_problem = on_problem or (lambda line: log.warning("%s", line))
    started = time.perf_counter()
    seconds: dict[str, float] = {}
    out.mkdir(parents=True, exist_ok=True)
    roots = [Path(p) for p in paths if Path(p).is_dir()]
    cache_dir = str(out / CACHE_DIR) if options.use_cache else None
    engine_box: list[Engine] = []

    def engine() -> Engine:
        if not engine_box:
            t0 = time.perf_counter()
            engine_box.append(
                make_engine(options.engine, settings, cache_dir, options.workers, options.address)
            )
            seconds["engine_start"] = round(time.perf_counter() - t0, 3)
        return engine_box[0]

    try:
        t0 = time.perf_counter()
        feed = read_feed(paths, settings)
        for problem in feed.problems:
            on_problem(f"error: {problem}")
        for dropped, kept in feed.duplicates:
            on_problem(f"warning: {dropped}: same article as {kept}; checked once")
        seconds["read"] = round(time.perf_counter() - t0, 3)

        t0 = time.perf_counter()
        texts = [
            title_and_lead(a, settings.events.lead_chars, settings.events.title_chars)
            for a in feed.articles
        ]
        store = FeatureStore(out / FEATURES_FILE) if options.use_cache else None
        features, computed = _features(feed, texts, settings, store, engine)
        seconds["features"] = round(time.perf_counter() - t0, 3)

        t0 = time.perf_counter()
        grouping = group_blocked(features, texts, settings.events, options.blocking)
        seconds["group"] = round(time.perf_counter() - t0, 3)

        t0 = time.perf_counter()
        results, reused, jobs, config = _check(
            feed, grouping.events, out, settings, options, engine
        )
        seconds["check"] = round(time.perf_counter() - t0, 3)
        worker_stats = engine_box[0].worker_stats() if engine_box else []
    finally:
        if engine_box:
            engine_box[0].close()

    t0 = time.perf_counter()
    summary = _write_outputs(feed, grouping.events, results, reused, out, roots, config)
    seconds["write"] = round(time.perf_counter() - t0, 3)
    seconds["total"] = round(time.perf_counter() - started, 3)
    failed = {r.event_id: r.error for r in results.values() if r.error}
    nli_pairs = summary.pop("_nli_pairs")
    rule_calls = summary.pop("_rule_calls")
    comparisons = summary.pop("_comparisons")
    summary_out: dict[str, Any] = {
        "schema": SUMMARY_SCHEMA,
        "engine": options.engine,
        "workers": engine_box[0].workers if engine_box else 0,
        "counts": {
            "files_with_problems": len(feed.problems),
            "articles": len(feed.articles),
            "duplicates": len(feed.duplicates),
            "features_computed": computed,
            "events": len(grouping.events),
            "multi_article_events": sum(len(e.members) > 1 for e in grouping.events),
            "events_checked": len(jobs),
            "events_unchanged": len(reused),
            "events_failed": len(failed),
            **summary,
        },
        "grouping": {
            "candidate_pairs": grouping.candidates,
            "all_pairs": len(features) * (len(features) - 1) // 2,
            "linked_pairs": grouping.linked,
            "story_words": grouping.story_words,
            "blocking": asdict(options.blocking),
        },
        "nli_pairs": {
            "total": sum(nli_pairs.values()),
            "per_event": round(sum(nli_pairs.values()) / max(1, len(nli_pairs)), 2),
            "max_event": max(nli_pairs.values(), default=0),
        },
        "rule_calls": {
            "total": sum(rule_calls.values()),
            "per_event": round(sum(rule_calls.values()) / max(1, len(rule_calls)), 2),
            "max_event": max(rule_calls.values(), default=0),
        },
        # events per comparison mode: "consensus" above Settings.consensus_min_outlets outlets
        "comparison": dict(sorted(comparisons.items())),
        "seconds": seconds,
        "articles_per_minute": round(60 * len(feed.articles) / max(seconds["total"], 1e-9), 1),
        "peak_rss_mib": {"driver": peak_rss_mib(), "workers": worker_stats},
        "problems": [str(p) for p in feed.problems],
        "failed": failed,
    }
    write_text_atomic(out / "summary.json", json.dumps(summary_out, indent=2) + "\n")
    return summary_out


def _check(
    feed: FeedArticles,
    events: list[BatchEvent],
    out: Path,
    settings: Settings,
    options: BatchOptions,
    engine: Callable[[], Engine],
) -> tuple[dict[str, CheckResult], set[str], list[CheckJob], str]:
    """Check the events that changed; returns the results, the ids reused from the last run,
    the jobs run and the configuration key."""
    config = config_key(settings)
    manifest = load_manifest(out)
    previous = manifest.get("events", {}) if manifest.get("config") == config else {}
    by_id = dict(zip(feed.ids, feed.articles, strict=True))
    jobs: list[CheckJob] = []
    reused: set[str] = set()
    for event in events:
        if len(event.members) < 2:
            continue
        entry = previous.get(event.id) or {}
        report = out / REPORTS_DIR / f"{event.id}.json"
        articles = tuple(by_id[m] for m in event.members)
        if (
            not options.force
            and entry.get("members") == event.members_key
            and entry.get("inputs") == inputs_key(event, articles)
            and _read_report(report) is not None
        ):
            reused.add(event.id)
            continue
        jobs.append(CheckJob(event.id, articles))
    # largest events first, so the last ones to finish are short
    jobs.sort(key=lambda j: (-len(j.articles), j.event_id))
    results: dict[str, CheckResult] = {}
    if jobs:
        for result in engine().check(jobs):
            results[result.event_id] = result
            if result.report_json:
                write_text_atomic(out / REPORTS_DIR / f"{result.event_id}.json", result.report_json)
    return results, reused, jobs, config


def _write_outputs(
    feed: FeedArticles,
    events: list[BatchEvent],
    results: dict[str, CheckResult],
    reused: set[str],
    out: Path,
    roots: Sequence[Path],
    config: str,
) -> dict[str, Any]:
    """The indexes and the manifest; stale reports removed. Returns counts for the summary."""
    by_id = dict(zip(feed.ids, feed.articles, strict=True))
    event_rows, finding_rows_all, article_rows = [], [], []
    manifest_events: dict[str, dict[str, str]] = {}
    nli_pairs: dict[str, int] = {}
    rule_calls: dict[str, int] = {}
    comparisons: dict[str, int] = {}  # events per comparison mode (Settings.comparison)
    for event in events:
        report_path = out / REPORTS_DIR / f"{event.id}.json"
        report = None
        if event.id in reused or (event.id in results and not results[event.id].error):
            report = _read_report(report_path)
        if report is not None:
            manifest_events[event.id] = {
                "members": event.members_key,
                "inputs": inputs_key(event, [by_id[m] for m in event.members]),
                "report": f"{REPORTS_DIR}/{event.id}.json",
            }
            stats = report.get("stats") or {}
            nli_pairs[event.id] = int(stats.get("nli_pairs", 0) or 0)
            rule_calls[event.id] = int(stats.get("rule_calls", 0) or 0)
            mode = str(stats.get("comparison") or "all_pairs")
            comparisons[mode] = comparisons.get(mode, 0) + 1
        rows = finding_rows(event.id, report, roots) if report is not None else []
        finding_rows_all.extend(rows)
        event_rows.append(
            {
                "event_id": event.id,
                "title": event.title,
                "articles": len(event.members),
                "outlets": len(event.outlets),
                "outlet_names": "; ".join(event.outlets),
                "first_published": event.first_published.isoformat()
                if event.first_published
                else "",
                "members_key": event.members_key,
                "findings": len(rows),
                "contradictions": sum(r["verdict"] == "contradiction" for r in rows),
                "divergences": sum(r["verdict"] == "divergence" for r in rows),
                "nli_pairs": nli_pairs.get(event.id, 0),
                "report": manifest_events.get(event.id, {}).get("report", ""),
            }
        )
        for member in event.members:
            article = by_id[member]
            article_rows.append(
                {
                    "file": relative_file(article.source, roots),
                    "content_id": member,
                    "event_id": event.id,
                    "outlet": article.outlet,
                    "published": article.published.isoformat() if article.published else "",
                    "title": article.title,
                    "url": article.url,
                }
            )
    article_rows.sort(key=lambda r: (r["file"], r["content_id"]))
    written = []
    written += _write_table(out, "events", event_rows, EVENT_COLUMNS)
    written += _write_table(out, "findings", finding_rows_all, FINDING_COLUMNS)
    written += _write_table(out, "articles", article_rows, ARTICLE_COLUMNS)
    current = {f"{e}.json" for e in manifest_events}
    reports_dir = out / REPORTS_DIR
    stale = 0
    if reports_dir.is_dir():
        for path in sorted(reports_dir.glob("ev-*.json")):
            if path.name not in current:
                path.unlink(missing_ok=True)
                stale += 1
    manifest = {"schema": MANIFEST_SCHEMA, "config": config, "events": manifest_events}
    write_text_atomic(out / "manifest.json", json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return {
        "reports": len(manifest_events),
        "stale_reports_removed": stale,
        "findings": len(finding_rows_all),
        "contradictions": sum(r["verdict"] == "contradiction" for r in finding_rows_all),
        "divergences": sum(r["verdict"] == "divergence" for r in finding_rows_all),
        "tables": written,
        "_nli_pairs": nli_pairs,
        "_rule_calls": rule_calls,
        "_comparisons": comparisons,
    }
