"""Exports: gate baseline from verdicts, ClaimReview JSON-LD, CSV tables.

The export tests run on SQLite and on PostgreSQL (``db_url`` in tests/conftest.py); the CLI ones
take a SQLite file path as ``--db``.
"""

from __future__ import annotations

import csv
import json

import pytest
from review_seed import seed_store
from typer.testing import CliRunner

from checker.gate.baseline import load_baseline
from checker.workspace.exports import export_baseline, export_claimreview, export_csv
from checker.workspace.store import add_review, connect


def seed_reviews(db_url: str) -> tuple[str, dict[str, str]]:
    ids = seed_store(db_url)
    engine = connect(db_url)
    add_review(engine, ids["weekday"], "confirmed", "=cmd|' /C calc'!A0", "Ana")
    add_review(engine, ids["script"], "follow_up", "ask the desk", "Ben")
    engine.dispose()
    return db_url, ids


@pytest.fixture
def reviewed(db_url):
    """A reviewed store, on SQLite and on PostgreSQL."""
    return seed_reviews(db_url)


@pytest.fixture
def reviewed_sqlite(sqlite_url):
    """A reviewed SQLite store, for the CLI's ``--db PATH``."""
    return seed_reviews(sqlite_url)


def test_baseline_exports_decisions_and_leaves_out_follow_up(reviewed, tmp_path):
    db_url, ids = reviewed
    out = tmp_path / "baseline.json"
    assert export_baseline(db_url, out) == 1
    [entry] = load_baseline(out).accepted
    assert (entry.fingerprint, entry.status, entry.who) == (ids["weekday"], "accepted", "Ana")
    assert (entry.a_outlet, entry.b_outlet) == ("Wire", "Business Insider")
    assert entry.when.endswith("+00:00")


def test_dismissed_finding_exports_as_dismissed(reviewed, tmp_path):
    db_url, ids = reviewed
    engine = connect(db_url)
    add_review(engine, ids["script"], "dismissed", "comment, not a claim", "Ben")
    engine.dispose()
    export_baseline(db_url, tmp_path / "b.json")
    statuses = {e.fingerprint: e.status for e in load_baseline(tmp_path / "b.json").accepted}
    assert statuses == {ids["weekday"]: "accepted", ids["script"]: "dismissed"}


def test_baseline_export_replaces_file_without_leaving_temp_files(reviewed, tmp_path):
    out = tmp_path / "out" / "baseline.json"
    out.parent.mkdir()
    out.write_text("old", encoding="utf-8")
    export_baseline(reviewed[0], out)
    assert [p.name for p in out.parent.iterdir()] == ["baseline.json"]
    assert json.loads(out.read_text(encoding="utf-8"))["schema"] == "crossclaim.baseline/v1"


def test_claimreview_covers_each_side_of_confirmed_findings_only(reviewed, tmp_path):
    out = tmp_path / "claimreview.jsonld"
    assert export_claimreview(reviewed[0], out) == 2
    data = json.loads(out.read_text(encoding="utf-8"))
    items = data["@graph"]
    assert {i["@type"] for i in items} == {"ClaimReview"}
    claimed = {i["itemReviewed"]["author"]["name"]: i["claimReviewed"] for i in items}
    assert "tested negative on Tuesday" in claimed["Business Insider"]
    first = items[0]
    assert first["reviewRating"]["alternateName"] == "Contradicted by another outlet's report"
    assert first["author"] == {"@type": "Person", "name": "Ana"}
    assert first["itemReviewed"]["appearance"][0]["url"].startswith("https://")


def test_csv_export_writes_every_table_and_defuses_formulas(reviewed, tmp_path):
    counts = export_csv(reviewed[0], tmp_path / "csv")
    assert counts == {"articles.csv": 2, "claims.csv": 4, "findings.csv": 2, "reviews.csv": 2}
    with (tmp_path / "csv" / "reviews.csv").open(encoding="utf-8", newline="") as fh:
        notes = [row["note"] for row in csv.DictReader(fh)]
    assert "'=cmd|' /C calc'!A0" in notes
    with (tmp_path / "csv" / "articles.csv").open(encoding="utf-8", newline="") as fh:
        texts = [row["text"] for row in csv.DictReader(fh)]
    assert any("<script>alert(1)</script>" in t for t in texts)  # kept verbatim, one cell


def test_export_command_needs_something_to_export(reviewed_sqlite):
    from checker.cli.main import app

    db = reviewed_sqlite[0].removeprefix("sqlite:///")
    result = CliRunner().invoke(app, ["export", "--db", db])
    assert result.exit_code == 2 and "nothing to export" in result.output


def test_export_command_writes_all_three(reviewed_sqlite, tmp_path):
    from checker.cli.main import app

    db = reviewed_sqlite[0].removeprefix("sqlite:///")
    args = [
        "export",
        "--db",
        db,
        "--baseline",
        str(tmp_path / "b.json"),
        "--claimreview",
        str(tmp_path / "c.jsonld"),
        "--csv",
        str(tmp_path / "csv"),
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "1 baseline entries" in result.output and "2 ClaimReview items" in result.output
