"""The claims/NLI cache: exact round trips, keys, corrupt or foreign files, crash safety."""

from __future__ import annotations

import datetime as dt
import json
import logging
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from checker.cache import (
    CACHE_FILE,
    SCHEMA_VERSION,
    claim_from_dict,
    claim_to_dict,
    open_cache,
)
from claims.records import Claim, Entity, Quantity, Quote, Span, TimeMention

ROOT = Path(__file__).resolve().parent.parent


def full_claim(claim_id: str = "wire-3") -> Claim:
    """A claim with every nested record filled, naive and aware datetimes, and a None field."""
    sentence = Span(
        300, 420, "Blinken and senior officials had tested negative on Wednesday, Price said."
    )
    content = Span(300, 380, "Blinken and senior officials had tested negative on Wednesday")
    return Claim(
        id=claim_id,
        article_id="wire",
        outlet="Wire story",
        sentence=sentence,
        content=content,
        published=dt.datetime(2021, 12, 15, 6, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
        speaker="Ned Price",
        speaker_role="State Department spokesman",
        attribution=Span(382, 393, "Price said"),
        quotes=[Quote(Span(1, 9, "“deep regret”"), speaker="Blinken")],
        times=[
            TimeMention(
                Span(352, 361, "Wednesday"),
                kind="weekday",
                granularity="day",
                earliest=dt.datetime(2021, 12, 15, 0, 0),
                latest=dt.datetime(2021, 12, 15, 23, 59, 59, 999999),
                label="2021-12-15",
            ),
            TimeMention(Span(0, 5, "later"), "relative", "day", None, None),
        ],
        quantities=[
            Quantity(Span(10, 17, "10 days"), 10.0, 10.0, 10.0, unit="day", kind="duration"),
            Quantity(Span(20, 29, "about 3%"), 3.0, 2.5, 3.5, "%", "percent", "about", "case"),
        ],
        entities=[
            Entity(Span(300, 307, "Blinken"), "PERSON", role="secretary of state"),
            Entity(Span(0, 3, "Price"), "PERSON", predicate="say", relation="nsubj"),
        ],
        negated=True,
        negation_cues=[Span(340, 348, "negative")],
    )


def test_claim_round_trips_through_json_exactly() -> None:
    claim = full_claim()
    text = json.dumps(claim_to_dict(claim), ensure_ascii=False)
    back = claim_from_dict(json.loads(text))
    assert back == claim
    assert back.published.utcoffset() == dt.timedelta(hours=-5)
    assert back.times[1].earliest is None and back.attribution == Span(382, 393, "Price said")


def test_an_entry_missing_a_field_is_refused_not_defaulted() -> None:
    data = claim_to_dict(full_claim())
    del data["entities"][0]["role"]
    with pytest.raises(ValueError, match="Entity: fields"):
        claim_from_dict(data)
    data = claim_to_dict(full_claim())
    data["quantities"][0]["low"] = "ten"
    with pytest.raises(ValueError, match="expected a number"):
        claim_from_dict(data)


def test_minimal_claim_round_trips_with_defaults() -> None:
    span = Span(0, 13, "Blinken left.")
    claim = Claim("c", "a", "A", span, span)
    assert claim_from_dict(json.loads(json.dumps(claim_to_dict(claim)))) == claim


def test_stored_claims_are_found_after_reopening(tmp_path: Path) -> None:
    open_cache(tmp_path).store_claims("k1", [full_claim("a"), full_claim("b")])
    cache = open_cache(tmp_path)
    assert cache.load_claims("k1") == [full_claim("a"), full_claim("b")]
    assert cache.load_claims("k2") is None
    assert cache.hits["claims"] == 1 and cache.misses["claims"] == 1


def test_an_article_with_no_claims_is_a_hit_not_a_miss(tmp_path: Path) -> None:
    cache = open_cache(tmp_path)
    cache.store_claims("empty", [])
    assert cache.load_claims("empty") == []


def test_nli_results_are_keyed_by_model_and_exact_pair(tmp_path: Path) -> None:
    cache = open_cache(tmp_path)
    pair = ("They tested negative on Wednesday.", "They tested negative on Tuesday.")
    cache.store_nli("model-a", {pair: (0.01, 0.09, 0.9)})
    assert cache.load_nli("model-a", [pair]) == {pair: (0.01, 0.09, 0.9)}
    assert cache.load_nli("model-b", [pair]) == {}
    assert cache.load_nli("model-a", [(pair[1], pair[0])]) == {}


def test_load_nli_returns_only_the_hits_of_a_large_request(tmp_path: Path) -> None:
    cache = open_cache(tmp_path)
    stored = {(f"p{i}", f"h{i}"): (0.1, 0.2, 0.7) for i in range(0, 1200, 2)}
    cache.store_nli("m", stored)
    asked = [(f"p{i}", f"h{i}") for i in range(1200)]
    assert cache.load_nli("m", asked) == stored


def test_a_file_that_is_not_a_database_is_moved_aside_and_rebuilt(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / CACHE_FILE).write_bytes(b"\x00\xffthis is not SQLite" * 100)
    with caplog.at_level(logging.WARNING, logger="checker.cache"):
        cache = open_cache(tmp_path)
    assert "moved aside" in caplog.text
    assert len(list(tmp_path.glob(f"{CACHE_FILE}.bad-*"))) == 1
    cache.store_claims("k", [full_claim()])
    assert cache.load_claims("k") == [full_claim()]


def test_another_programs_database_is_not_trusted(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / CACHE_FILE)
    with conn:
        conn.execute("CREATE TABLE claims (key TEXT, payload TEXT, stored_at REAL)")
        conn.execute("INSERT INTO claims VALUES ('k', '[]', 0)")
    conn.close()
    cache = open_cache(tmp_path)
    assert cache.load_claims("k") is None


def test_a_cache_of_another_schema_version_is_rebuilt(tmp_path: Path) -> None:
    cache = open_cache(tmp_path)
    cache.store_claims("k", [full_claim()])
    conn = sqlite3.connect(tmp_path / CACHE_FILE)
    with conn:
        conn.execute(
            "UPDATE meta SET value = ? WHERE name = 'schema_version'", (SCHEMA_VERSION + "-old",)
        )
    conn.close()
    assert open_cache(tmp_path).load_claims("k") is None


def test_a_truncated_cache_file_is_rebuilt(tmp_path: Path) -> None:
    cache = open_cache(tmp_path)
    cache.store_claims("k", [full_claim(str(i)) for i in range(300)])
    path = tmp_path / CACHE_FILE
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    cache = open_cache(tmp_path)
    assert cache.load_claims("k") is None
    cache.store_claims("k2", [full_claim()])
    assert cache.load_claims("k2") == [full_claim()]


def test_an_undecodable_entry_is_a_miss_and_is_dropped(tmp_path: Path) -> None:
    cache = open_cache(tmp_path)
    cache.store_claims("k", [full_claim()])
    conn = sqlite3.connect(tmp_path / CACHE_FILE)
    with conn:
        conn.execute("UPDATE claims SET payload = ? WHERE key = 'k'", ('[{"id": "x"}]',))
    conn.close()
    assert cache.load_claims("k") is None
    conn = sqlite3.connect(tmp_path / CACHE_FILE)
    assert conn.execute("SELECT COUNT(*) FROM claims").fetchone() == (0,)
    conn.close()


def test_a_write_that_fails_midway_stores_nothing(tmp_path: Path) -> None:
    cache = open_cache(tmp_path)
    results = {("a", "b"): (0.1, 0.2, 0.7), ("c", "d"): (0.3, 0.3, 0.4), ("e", "f"): ("bad", 0, 0)}
    with pytest.raises(ValueError):
        cache.store_nli("m", results)
    assert cache.load_nli("m", list(results)) == {}


def test_a_process_killed_mid_write_leaves_a_consistent_cache(tmp_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import os, sys
        sys.path.insert(0, {str(ROOT)!r})
        from pathlib import Path
        from checker import cache as module

        cache = module.open_cache(Path({str(tmp_path)!r}))
        cache.store_nli("m", {{("kept", "pair"): (0.2, 0.3, 0.5)}})

        class Dying(dict):
            def items(self):
                for i, item in enumerate(super().items()):
                    if i == 50:
                        os._exit(3)  # the process dies inside the write transaction
                    yield item

        cache.store_nli("m", Dying({{(f"p{{i}}", "h"): (0.1, 0.1, 0.8) for i in range(100)}}))
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60)
    assert done.returncode == 3, done.stderr.decode()
    cache = open_cache(tmp_path)
    assert not list(tmp_path.glob(f"{CACHE_FILE}.bad-*"))
    assert cache.load_nli("m", [("kept", "pair")]) == {("kept", "pair"): (0.2, 0.3, 0.5)}
    assert cache.load_nli("m", [(f"p{i}", "h") for i in range(100)]) == {}


def test_a_database_error_mid_run_degrades_to_no_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    cache = open_cache(tmp_path)
    cache.store_claims("k", [full_claim()])

    def broken(*args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(sqlite3, "connect", broken)
    with caplog.at_level(logging.WARNING, logger="checker.cache"):
        assert cache.load_claims("k") is None
        cache.store_claims("k2", [full_claim()])
        assert cache.load_nli("m", [("a", "b")]) == {}
        cache.store_nli("m", {("a", "b"): (0.1, 0.2, 0.7)})
    assert cache.errors == 4 and "continuing without it" in caplog.text
    monkeypatch.undo()
    assert cache.load_claims("k") == [full_claim()]
