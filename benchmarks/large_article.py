"""Time and peak memory of checking one large article against a normal one, by article size.

Each size runs in a fresh process (so its peak memory is its own): an article of N long
sentences (about 150 characters each, five to a paragraph) from one outlet and a short article
from another, read from files and checked with rule checks only (``--no-nli``; NLI cost does not
depend on article size beyond the aligned pairs). Models are loaded before the clock starts.

Sizes over the limits (``Settings.max_article_sentences``, ``max_article_chars``) are refused
by the reader in one line naming the file; the figures show how long the refusal takes.

    python benchmarks/large_article.py                   # 50, 100, 200, 400 and 5,000 sentences
    python benchmarks/large_article.py --sizes 400 800   # any sizes (over the limit: refused)
    python benchmarks/large_article.py --sizes 800 --limit 1000   # raise the limit to measure

Prints one line per size: sentences, characters, seconds (read + check), peak RSS in MB, claims,
and the problem line if the article was refused.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

log = logging.getLogger("large_article")

#: the sizes measured by default: typical, long, at the limit, and the audit's 5,000.
DEFAULT_SIZES = (50, 100, 200, 400, 5000)
NAMES = ("Secretary Blinken", "Spokesman Ned Price", "Defense Secretary Austin", "The ambassador")
PLACES = ("Kuala Lumpur", "Bangkok", "Jakarta", "Manila", "Hanoi")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
SMALL = """---
outlet: Small
published: 2021-12-15T09:00:00+00:00
title: Blinken meets officials in Jakarta
---
Secretary Blinken met 40 senior officials in Jakarta on Tuesday to discuss trade, aides said.
"""


@dataclass(frozen=True)
class Figures:
    """What one size measured."""

    sentences: int
    chars: int
    seconds: float
    peak_mb: float
    claims: int
    problem: str


def large_article(sentences: int) -> str:
    """A Markdown article of ``sentences`` long sentences (deterministic)."""
    lines = []
    for i in range(sentences):
        name, place, day = NAMES[i % 4], PLACES[i % 5], DAYS[(i // 5) % 5]
        lines.append(
            f"{name} met {i + 2} senior officials and business leaders in {place} on {day} to "
            f"discuss trade, security and the regional response, aides said."
        )
    paragraphs = [" ".join(lines[i : i + 5]) for i in range(0, len(lines), 5)]
    front = (
        "---\noutlet: Big\npublished: 2021-12-15T08:42:00-05:00\ntitle: Blinken tours the "
        "region\nurl: https://example.com/big\n---\n"
    )
    return front + "\n\n".join(paragraphs) + "\n"


def measure_one(sentences: int, limit: int | None) -> Figures:
    """Write the two articles, load models, then time read + check; in this process."""
    from checker.pipeline import check_articles, load_models
    from checker.settings import Settings
    from claims.readers import read_bundle

    settings = Settings(use_nli=False)
    if limit is not None:
        settings = replace(settings, max_article_sentences=limit, max_article_chars=limit * 250)
    models = load_models(settings)
    models.preload()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        big = folder / "big.md"
        big.write_text(large_article(sentences), encoding="utf-8")
        (folder / "small.md").write_text(SMALL, encoding="utf-8")
        started = time.perf_counter()
        articles, problems = read_bundle([folder], settings.max_file_bytes, settings.read_limits())
        report = check_articles(articles, problems, settings, models=models)
        seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return Figures(
        sentences=sentences,
        chars=len(large_article(sentences)),
        seconds=round(seconds, 2),
        peak_mb=round(peak_mb, 1),
        claims=int(report.stats.get("claims", 0)),
        problem="; ".join(str(p) for p in report.problems),
    )


def measure(sentences: int, limit: int | None, timeout: float) -> Figures | None:
    """:func:`measure_one` in a fresh process (its own peak memory); None if it timed out."""
    command = [sys.executable, __file__, "--one", str(sentences)]
    if limit is not None:
        command += ["--limit", str(limit)]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, env=env, check=True
        )
    except subprocess.TimeoutExpired:
        return None
    return Figures(**json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    """Print the figures for each size."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=list(DEFAULT_SIZES))
    parser.add_argument("--limit", type=int, default=None, help="max_article_sentences to use")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per size")
    parser.add_argument("--one", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stdout)
    if args.one is not None:
        figures = measure_one(args.one, args.limit)
        sys.stdout.write(json.dumps(figures.__dict__) + "\n")
        return
    log.info(
        "%10s %10s %9s %9s %7s  %s", "sentences", "chars", "seconds", "peak MB", "claims", "problem"
    )
    for size in args.sizes:
        figures = measure(size, args.limit, args.timeout)
        if figures is None:
            log.info(
                "%10d %10s %9s %9s %7s  timed out after %.0f s", size, "", "", "", "", args.timeout
            )
            continue
        log.info(
            "%10d %10d %9.2f %9.1f %7d  %s",
            figures.sentences,
            figures.chars,
            figures.seconds,
            figures.peak_mb,
            figures.claims,
            figures.problem,
        )


if __name__ == "__main__":
    main()
