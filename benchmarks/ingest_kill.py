"""Kill ``crossclaim ingest`` with SIGKILL at random points and check the store survives.

For each trial: start ``crossclaim ingest FEED --db trial.db --no-nli`` in a fresh process, kill
it with ``kill -9`` at a random moment of the window in which a clean run writes the store (from
just before its first article row appears to the run's end: model loading comes first, and a kill
then tests nothing), then check that

1. the store opens and ``crossclaim events`` works on it;
2. a second, complete ingest of the same feed leaves exactly what a clean run leaves: the same
   article versions (content ids, identities, versions, latest flags, event ids, event features),
   events (ids, titles, checked signatures), claims and findings (fingerprints, events, status,
   verdicts, severities, confidences) -- timestamps aside.

The feed is the two example bundles (six articles, two events). Prints one line per trial (when
it was killed, what the partial store held, whether it matched) and exits 1 if any trial failed.

    python benchmarks/ingest_kill.py --trials 10 --seed 1
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

log = logging.getLogger("ingest_kill")

EXAMPLES = ROOT / "examples"
CLI = [sys.executable, "-c", "from checker.cli.main import app; app()"]


def make_feed(folder: Path) -> Path:
    """The example bundles' articles, flat in one folder."""
    feed = folder / "feed"
    feed.mkdir()
    for bundle in ("blinken-2021-12", "austin-dong-2024-04"):
        for source in sorted((EXAMPLES / bundle).glob("*.md")):
            if source.name != "README.md":
                shutil.copy(source, feed / f"{bundle}-{source.name}")
    return feed


def _env() -> dict[str, str]:
    return {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "TOKENIZERS_PARALLELISM": "false",
        "PYTHONPATH": str(ROOT),
    }


def stored_articles(db: Path) -> int:
    """Article rows in a store being written by another process (0 while unreadable)."""
    import sqlite3

    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.05) as conn:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.Error:
        return 0


def start_ingest(feed: Path, db: Path) -> subprocess.Popen[bytes]:
    """``crossclaim ingest FEED --db DB --no-nli`` in a fresh process, its output discarded."""
    return subprocess.Popen(
        [*CLI, "ingest", str(feed), "--db", str(db), "--no-nli", "--quiet"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=_env(),
        cwd=ROOT,
    )


def timed_clean_ingest(feed: Path, db: Path, timeout: float = 900.0) -> tuple[float, float]:
    """A complete ingest, watched: (seconds until the first article row, seconds in all)."""
    started = time.perf_counter()
    process = start_ingest(feed, db)
    first_write = None
    while process.poll() is None:
        if first_write is None and stored_articles(db) > 0:
            first_write = time.perf_counter() - started
        if time.perf_counter() - started > timeout:
            process.kill()
            raise RuntimeError("clean ingest timed out")
        time.sleep(0.05)
    total = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"clean ingest failed (exit {process.returncode})")
    return (first_write if first_write is not None else total), total


def ingest(feed: Path, db: Path, timeout: float = 900.0) -> float:
    """A complete ingest; returns its seconds. Raises if it fails."""
    started = time.perf_counter()
    subprocess.run(
        [*CLI, "ingest", str(feed), "--db", str(db), "--no-nli", "--quiet"],
        check=True,
        capture_output=True,
        timeout=timeout,
        env=_env(),
        cwd=ROOT,
    )
    return time.perf_counter() - started


def killed_ingest(feed: Path, db: Path, delay: float) -> int | None:
    """Start an ingest and SIGKILL it after ``delay`` seconds; its exit code if it ended first."""
    process = start_ingest(feed, db)
    try:
        return process.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        return None


def snapshot(db: Path) -> dict[str, Any]:
    """What a store holds, timestamps and row ids aside, in a stable order."""
    from sqlalchemy import text

    from checker.workspace.store import connect, list_events

    engine = connect(str(db))
    try:
        with engine.connect() as conn:
            articles = conn.execute(
                text(
                    "SELECT content_id, identity, version, latest, event_id, embedding, entities "
                    "FROM articles ORDER BY content_id"
                )
            ).all()
            events = conn.execute(
                text("SELECT id, title, checked_signature FROM events ORDER BY id")
            ).all()
            claims = conn.execute(
                text(
                    'SELECT article, claim_id, start, "end", text, cluster FROM claims '
                    "ORDER BY article, claim_id"
                )
            ).all()
            findings = conn.execute(
                text(
                    'SELECT fingerprint, event_id, "check", verdict, severity, confidence, status '
                    "FROM findings ORDER BY fingerprint"
                )
            ).all()
        summaries = [(s.id, s.articles, s.open_findings) for s in list_events(engine)]
    finally:
        engine.dispose()
    return {
        "articles": [tuple(r) for r in articles],
        "events": [tuple(r) for r in events],
        "claims": [tuple(r) for r in claims],
        "findings": [tuple(r) for r in findings],
        "summaries": sorted(summaries),
    }


def events_command_works(db: Path) -> bool:
    """``crossclaim events --db`` exits 0 on the store (an empty store has no file yet: fine)."""
    if not db.exists():
        return True
    done = subprocess.run(
        [*CLI, "events", "--db", str(db), "--json"],
        capture_output=True,
        timeout=300,
        env=_env(),
        cwd=ROOT,
    )
    return done.returncode == 0


def run_trials(trials: int, seed: int, workdir: Path) -> list[dict[str, Any]]:
    """Run the clean ingest and ``trials`` killed ones; one result dict per trial."""
    feed = make_feed(workdir)
    clean_db = workdir / "clean.db"
    first_write, seconds = timed_clean_ingest(feed, clean_db)
    clean = snapshot(clean_db)
    log.info(
        "clean ingest: %.1f s (first article stored at %.1f s), %d articles, %d events, "
        "%d findings",
        seconds,
        first_write,
        len(clean["articles"]),
        len(clean["summaries"]),
        len(clean["findings"]),
    )
    rng = random.Random(seed)
    results = []
    for trial in range(trials):
        db = workdir / f"trial{trial}.db"
        # the write window, starting a little early (each run's loading time varies)
        delay = rng.uniform(max(0.5, 0.8 * first_write), seconds)
        code = killed_ingest(feed, db, delay)
        partial = snapshot(db) if db.exists() else None
        opens = events_command_works(db)
        ingest(feed, db)
        matched = snapshot(db) == clean
        result = {
            "trial": trial,
            "killed_after_s": round(delay, 2),
            "finished_first": code is not None,
            "partial_articles": len(partial["articles"]) if partial else 0,
            "partial_checked_events": sum(1 for e in partial["events"] if e[2]) if partial else 0,
            "store_opens_and_events_works": opens,
            "reingest_matches_clean": matched,
        }
        results.append(result)
        log.info(
            "trial %2d: killed after %5.2f s%s; partial store: %d articles, %d checked events; "
            "events: %s; re-ingest matches clean: %s",
            trial,
            delay,
            " (had finished)" if code is not None else "",
            result["partial_articles"],
            result["partial_checked_events"],
            "ok" if opens else "FAILED",
            "yes" if matched else "NO",
        )
    return results


def main() -> None:
    """Run the trials and print one line each; exit 1 if any failed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trials", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stdout)
    with tempfile.TemporaryDirectory() as tmp:
        results = run_trials(args.trials, args.seed, Path(tmp))
    failed = [
        r
        for r in results
        if not (r["store_opens_and_events_works"] and r["reingest_matches_clean"])
    ]
    mid_write = sum(1 for r in results if r["partial_articles"] and not r["finished_first"])
    log.info("%d of %d trials killed after the store had rows", mid_write, len(results))
    log.info("%d trials, %d failed", len(results), len(failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
