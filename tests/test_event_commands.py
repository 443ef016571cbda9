"""`report`, `gate` and `baseline` on an event of the review store (--db/--event)."""

from __future__ import annotations

import json

import pytest
from review_seed import INSIDER_TEXT, WIRE_TEXT, report_for
from test_ingest import write_article
from typer.testing import CliRunner

from checker.cli.main import app
from checker.workspace.ingest import ingest_paths
from checker.workspace.store import connect, list_events

runner = CliRunner()


@pytest.fixture
def store(tmp_path, embedder, nlp):
    feed = tmp_path / "feed"
    feed.mkdir()
    write_article(
        feed, "wire.md", "Wire", "https://wire.example/b", "Blinken halts Asia trip", WIRE_TEXT
    )
    write_article(
        feed,
        "insider.md",
        "Business Insider",
        "https://insider.example/b",
        "Blinken ends trip",
        INSIDER_TEXT,
    )
    db = str(tmp_path / "review.db")
    ingest_paths(
        db, [feed], check=report_for, embedder_factory=lambda: embedder, nlp_factory=lambda: nlp
    )
    engine = connect(db)
    try:
        (event,) = list_events(engine)
    finally:
        engine.dispose()
    return db, event.id


def test_report_checks_an_event_of_the_store(store):
    db, event = store
    result = runner.invoke(
        app, ["report", "--db", db, "--event", event, "--no-nli", "--format", "json", "-q"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert sorted(d["outlet"] for d in data["documents"]) == ["Business Insider", "Wire"]


def test_gate_on_an_unknown_event_is_an_input_error(store):
    db, _ = store
    result = runner.invoke(
        app, ["gate", "--db", db, "--event", "no-such-event", "--no-nli", "--no-cache", "-q"]
    )
    assert result.exit_code == 2
    assert "no-such-event" in result.stderr


def test_report_needs_a_bundle_or_an_event():
    result = runner.invoke(app, ["report", "--no-nli", "-q"])
    assert result.exit_code == 2
    assert "bundle" in result.stderr


def test_baseline_from_the_store_exports_reviewers_verdicts(store, tmp_path):
    db, _ = store
    out = tmp_path / "baseline.json"
    result = runner.invoke(app, ["baseline", "--db", db, "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8"))["schema"] == "crossclaim.baseline/v1"
