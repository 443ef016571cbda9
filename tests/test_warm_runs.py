"""Warm re-runs: an unchanged bundle re-runs from the cache without loading any model, and the
run path never imports torch or sentence-transformers (issue 13)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from checker.cache import open_cache

ROOT = Path(__file__).resolve().parent.parent
BLINKEN = ROOT / "examples" / "blinken-2021-12"

RUN_REPORT = """
import json, sys
from checker.cli.main import app
try:
    app(sys.argv[1:], standalone_mode=False)
finally:
    names = ("torch", "sentence_transformers", "transformers")
    heavy = sorted(m for m in names if m in sys.modules)
    print(json.dumps({"heavy": heavy}))
"""


def report(out: Path, *flags: str) -> tuple[dict, list[str]]:
    args = [sys.executable, "-c", RUN_REPORT, "report", str(BLINKEN), "-q", "--format", "json"]
    done = subprocess.run(
        [*args, "-o", str(out), *flags], capture_output=True, text=True, check=True, cwd=ROOT
    )
    heavy = json.loads(done.stdout.strip().splitlines()[-1])["heavy"]
    return json.loads(out.read_text(encoding="utf-8")), heavy


@pytest.mark.slow
def test_an_unchanged_bundle_reruns_from_the_cache_without_loading_a_model(tmp_path: Path) -> None:
    cache = ["--cache-dir", str(tmp_path / "cache")]
    cold, heavy_cold = report(tmp_path / "cold.json", *cache)
    warm, heavy_warm = report(tmp_path / "warm.json", *cache)

    assert cold["findings"], "the Blinken bundle has a contradiction to find"
    assert set(cold["stats"]["model_load_seconds"]) >= {"spacy", "embedder", "nli"}
    assert cold["stats"]["embedded_texts"] > 0
    assert warm["stats"]["model_load_seconds"] == {}  # no model loaded at all
    assert warm["stats"]["embedded_texts"] == 0
    assert warm["stats"]["nli_model_calls"] == 0
    assert warm["stats"]["nli"]["state"] == "cached"
    assert warm["stats"]["nli"]["model"] == cold["stats"]["nli"]["model"]
    assert [f["fingerprint"] for f in warm["findings"]] == [
        f["fingerprint"] for f in cold["findings"]
    ]
    # the run path: ONNX Runtime and numpy, never torch or sentence-transformers
    assert heavy_cold == [] and heavy_warm == []


@pytest.mark.slow
def test_no_cache_neither_reads_nor_writes_the_cache(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    result, _ = report(tmp_path / "r.json", "--cache-dir", str(folder), "--no-cache", "--no-nli")
    assert not folder.exists()
    assert set(result["stats"]["model_load_seconds"]) >= {"spacy", "embedder"}


def test_embeddings_round_trip_exactly_through_the_cache(tmp_path: Path) -> None:
    cache = open_cache(tmp_path)
    vector = np.linspace(-1, 1, 384, dtype=np.float32)
    cache.store_embeddings("embed:a", {"Blinken left.": vector})
    found = cache.load_embeddings("embed:a", ["Blinken left.", "unseen"])
    assert list(found) == ["Blinken left."]
    assert np.array_equal(found["Blinken left."], vector)
    assert cache.load_embeddings("embed:b", ["Blinken left."]) == {}  # keyed by embedder id


def test_a_tampered_embedding_is_dropped_not_trusted(tmp_path: Path) -> None:
    cache = open_cache(tmp_path)
    cache.store_embeddings("embed:a", {"Blinken left.": np.ones(384, dtype=np.float32)})
    with sqlite3.connect(cache.path) as conn:
        conn.execute("UPDATE embeddings SET vector = ?", (np.zeros(384, "<f4").tobytes(),))
    assert cache.load_embeddings("embed:a", ["Blinken left."]) == {}
    assert cache.rejected["embeddings"] == 1
    with sqlite3.connect(cache.path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM embeddings").fetchone() == (0,)


def test_a_vector_that_is_not_finite_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    cache = open_cache(tmp_path)
    good = np.ones(4, dtype=np.float32)
    bad = np.array([1.0, np.nan, 0.0, 0.0], dtype=np.float32)
    with pytest.raises(ValueError, match="finite"):
        cache.store_embeddings("embed:a", {"good": good, "bad": bad})
    assert cache.load_embeddings("embed:a", ["good"]) == {}
