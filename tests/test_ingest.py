"""Incremental ingest: same article again changes nothing, a changed one is a new version.

Runs on SQLite and on PostgreSQL (``db_url`` in tests/conftest.py).
"""

from __future__ import annotations

import pytest
from review_seed import (
    INSIDER_TEXT,
    WIRE_TEXT,
    bullet_finding,
    grouped_report,
    insider_article,
    report_for,
    ungrouped_report,
    wire_article,
)

from checker.workspace.ingest import ingest_paths
from checker.workspace.store import (
    ACTIVE,
    GROUPED,
    RESOLVED,
    add_review,
    connect,
    finding_history,
    get_finding,
    latest_articles,
    list_events,
    list_findings,
)


@pytest.fixture(scope="module")
def models():
    from claims.embeddings import load_embedder
    from claims.nlp import load_nlp

    return load_embedder(), load_nlp()


def write_article(folder, name: str, outlet: str, url: str, title: str, body: str) -> None:
    front = (
        f"---\noutlet: {outlet}\nurl: {url}\ntitle: {title}\n"
        "published: 2021-12-15T08:00:00+00:00\n---\n"
    )
    (folder / name).write_text(front + body + "\n", encoding="utf-8")


@pytest.fixture
def feed(tmp_path):
    folder = tmp_path / "feed"
    folder.mkdir()
    write_article(
        folder,
        "wire.md",
        "Wire",
        "https://wire.example/blinken",
        "Blinken halts Asia trip after Covid case",
        WIRE_TEXT,
    )
    write_article(
        folder,
        "insider.md",
        "Business Insider",
        "https://insider.example/blinken",
        "Blinken ends Southeast Asia trip early",
        INSIDER_TEXT,
    )
    return folder


class CountingCheck:
    """The seed checker, counting the events it is asked to check."""

    def __init__(self, fail: bool = False) -> None:
        self.calls: list[list[str]] = []
        self.fail = fail
        self.report = report_for

    def __call__(self, articles):
        self.calls.append(sorted(a.outlet for a in articles))
        if self.fail:
            raise RuntimeError("model exploded\nsecond line")
        return self.report(articles)


def run(db, feed, models, check):
    embedder, nlp = models
    return ingest_paths(
        db, [feed], check=check, embedder_factory=lambda: embedder, nlp_factory=lambda: nlp
    )


def test_ingest_groups_feed_into_event_and_stores_findings(db_url, feed, models):
    check = CountingCheck()
    result = run(db_url, feed, models, check)
    assert (result.added, result.events, check.calls) == (2, 1, [["Business Insider", "Wire"]])
    engine = connect(db_url)
    [event] = list_events(engine)
    assert event.open_findings == 2 and event.articles == 2
    assert all(s.embedding is not None for s in latest_articles(engine))


def test_ingesting_same_articles_again_changes_nothing(db_url, feed, models):
    run(db_url, feed, models, CountingCheck())
    check = CountingCheck()
    result = run(db_url, feed, models, check)
    assert (result.added, result.versioned, result.unchanged) == (0, 0, 2)
    assert check.calls == [] and result.checked == {}


def test_changed_article_is_new_version_and_its_findings_are_recomputed(db_url, feed, models):
    run(db_url, feed, models, CountingCheck())
    engine = connect(db_url)
    weekday = list_findings(engine)[0].fingerprint
    add_review(engine, weekday, "confirmed", "", "Ana")
    write_article(
        feed,
        "insider.md",
        "Business Insider",
        "https://insider.example/blinken",
        "Blinken ends Southeast Asia trip early",
        INSIDER_TEXT.replace("on Tuesday", "on Wednesday"),
    )
    check = CountingCheck()
    result = run(db_url, feed, models, check)
    assert (result.versioned, result.unchanged, len(check.calls)) == (1, 1, 1)
    assert get_finding(engine, weekday).status == RESOLVED
    assert len(finding_history(engine, weekday)) == 1  # the review survives
    [event] = list_events(engine)
    assert event.articles == 2 and event.open_findings == 1
    assert [s.finding.check for s in list_findings(engine)] == ["attribution"]


def test_a_review_survives_its_finding_being_grouped_with_a_near_identical_one(
    db_url, feed, models
):
    """Two findings (the wire's bullet and body sentence against the same insider sentence),
    the second reviewed; the next ingest reports them grouped as one under the first's
    fingerprint: the group shows the review, and nothing is marked resolved."""
    check = CountingCheck()
    check.report = ungrouped_report
    run(db_url, feed, models, check)
    engine = connect(db_url)
    bullet = bullet_finding(wire_article(), insider_article()).fingerprint
    [body] = [
        s.fingerprint
        for s in list_findings(engine)
        if s.finding.check == "temporal" and s.fingerprint != bullet
    ]
    add_review(engine, body, "confirmed", "checked with State", "Ana")
    write_article(  # a changed article: the event is checked again, now with grouping
        feed,
        "wire.md",
        "Wire",
        "https://wire.example/blinken",
        "Blinken halts Asia trip after Covid case",
        WIRE_TEXT + "\n\nMore to follow.",
    )
    check.report = grouped_report
    result = run(db_url, feed, models, check)
    assert result.versioned == 1 and list(result.checked.values()) == [(2, 0)]
    group = get_finding(engine, bullet)
    assert group.status == ACTIVE and group.finding.fingerprints() == [bullet, body]
    assert (group.review.verdict, group.review.reviewer) == ("confirmed", "Ana")
    member = get_finding(engine, body)
    assert (member.status, member.grouped_into) == (GROUPED, bullet)
    assert not [s for s in list_findings(engine, include_resolved=True) if s.status == RESOLVED]
    [event] = list_events(engine)
    assert event.open_findings == 1  # the script finding; the group is decided


def test_unreadable_file_is_reported_and_the_rest_ingested(db_url, feed, models):
    (feed / "broken.json").write_bytes(b"\x00\x01 not json")
    result = run(db_url, feed, models, CountingCheck())
    assert result.added == 2
    assert len(result.problems) == 1 and "broken.json" in str(result.problems[0])


def test_failed_check_is_reported_in_one_line_and_retried_next_ingest(db_url, feed, models):
    failed = run(db_url, feed, models, CountingCheck(fail=True))
    assert len(failed.failures) == 1 and "\n" not in failed.failures[0]
    assert "model exploded" in failed.failures[0]
    retry = CountingCheck()
    again = run(db_url, feed, models, retry)
    assert again.unchanged == 2 and len(retry.calls) == 1 and not again.failures


def test_event_with_a_single_outlet_is_not_checked(db_url, feed, models):
    (feed / "insider.md").unlink()
    check = CountingCheck()
    result = run(db_url, feed, models, check)
    assert result.added == 1 and check.calls == []


@pytest.mark.slow
def test_ingest_killed_at_random_points_leaves_a_store_that_a_reingest_completes() -> None:
    """kill -9 of ``crossclaim ingest`` at 10 random points (benchmarks/ingest_kill.py): the store
    opens, ``events`` works, and a re-ingest matches a clean run exactly."""
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parent.parent / "benchmarks" / "ingest_kill.py"
    done = subprocess.run(
        [sys.executable, str(script), "--trials", "10", "--seed", "1"],
        capture_output=True,
        text=True,
        timeout=3000,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "10 trials, 0 failed" in done.stdout
