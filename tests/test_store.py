"""The review store: article identity and versions, events, findings, reviews."""

from __future__ import annotations

import dataclasses

import pytest
from review_seed import insider_article, report_for, seed_store, wire_article
from sqlalchemy import text

from checker.report import Report
from checker.store import (
    RESOLVED,
    StoreError,
    add_review,
    article_versions,
    articles_for_event,
    connect,
    content_id,
    decided_findings,
    events_needing_check,
    finding_history,
    get_finding,
    identity_key,
    latest_articles,
    list_events,
    list_findings,
    members_signature,
    save_articles,
    save_event_findings,
    set_events,
)


@pytest.fixture
def db_url(tmp_path):
    return f"sqlite:///{tmp_path / 'review.db'}"


def test_content_id_ignores_whitespace_but_not_words():
    a = wire_article()
    spaced = dataclasses.replace(a, text=a.text.replace(" ", "  "))
    changed = dataclasses.replace(a, text=a.text.replace("Wednesday", "Tuesday"))
    assert content_id(a) == content_id(spaced)
    assert content_id(a) != content_id(changed)


def test_identity_falls_back_to_source_and_id_without_url():
    a = dataclasses.replace(wire_article(), url="")
    assert identity_key(a) == "source:feed/wire.md#wire"


def test_same_article_again_changes_nothing(db_url):
    engine = connect(db_url)
    first = save_articles(engine, [wire_article()])
    again = save_articles(engine, [wire_article()])
    assert len(first.added) == 1 and not again.changed
    assert len(latest_articles(engine)) == 1


def test_changed_article_becomes_new_version_and_old_is_kept(db_url):
    engine = connect(db_url)
    old = wire_article()
    new = wire_article(old.text.replace("Wednesday", "Thursday"))
    save_articles(engine, [old])
    result = save_articles(engine, [new])
    assert result.versioned == [content_id(new)]
    versions = article_versions(engine, identity_key(new))
    assert [(v.version, v.latest) for v in versions] == [(1, False), (2, True)]
    assert [s.content_id for s in latest_articles(engine)] == [content_id(new)]


def test_sqlite_store_has_foreign_keys_and_wal(db_url):
    engine = connect(db_url)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_unopenable_database_is_one_line_error(tmp_path):
    (tmp_path / "dir.db").mkdir()
    with pytest.raises(StoreError) as info:
        connect(str(tmp_path / "dir.db"))
    assert "cannot open database" in str(info.value) and "\n" not in str(info.value)


def test_event_lists_outlets_articles_and_open_findings(db_url):
    seed_store(db_url)
    engine = connect(db_url)
    [summary] = list_events(engine)
    assert summary.outlets == ("Business Insider", "Wire")
    assert (summary.articles, summary.open_findings) == (2, 2)


def test_event_is_checked_until_a_member_changes(db_url):
    ids = seed_store(db_url)
    engine = connect(db_url)
    assert events_needing_check(engine) == []
    new = insider_article(insider_article().text.replace("Tuesday", "Monday"))
    result = save_articles(engine, [new])
    assert result.versioned and events_needing_check(engine) == [ids["event"]]


def test_articles_for_event_returns_latest_versions_with_unique_ids(db_url):
    seed_store(db_url)
    engine = connect(db_url)
    twin = dataclasses.replace(wire_article(), url="https://wire.example/other", text="Other.")
    save_articles(engine, [twin])
    set_events(engine, {"ev-test": [content_id(twin)]}, {})
    articles = articles_for_event(db_url, "ev-test")
    assert sorted(a.id for a in articles) == ["insider", "wire", "wire-2"]


def test_articles_for_unknown_event_names_the_event(db_url):
    connect(db_url)
    with pytest.raises(StoreError, match="ev-nope"):
        articles_for_event(db_url, "ev-nope")


def test_findings_in_queue_order_most_serious_first(db_url):
    ids = seed_store(db_url)
    engine = connect(db_url)
    assert [s.fingerprint for s in list_findings(engine)] == [ids["weekday"], ids["script"]]


def test_finding_round_trips_sides_spans_and_nli(db_url):
    ids = seed_store(db_url)
    engine = connect(db_url)
    stored = get_finding(engine, ids["weekday"])
    expected = report_for([wire_article(), insider_article()]).findings[0]
    assert stored.finding == expected
    assert stored.a_article == ids["wire"] and stored.b_article == ids["insider"]


def test_recheck_without_a_finding_resolves_it_and_keeps_its_reviews(db_url):
    ids = seed_store(db_url)
    engine = connect(db_url)
    add_review(engine, ids["weekday"], "confirmed", "checked with State", "ana")
    stored, resolved = save_event_findings(
        engine, "ev-test", Report([], [], {}), {}, members_signature(["x"])
    )
    assert (stored, resolved) == (0, 2)
    assert get_finding(engine, ids["weekday"]).status == RESOLVED
    assert len(finding_history(engine, ids["weekday"])) == 1
    assert list_findings(engine, only_open=True) == []


def test_latest_review_decides_and_follow_up_stays_open(db_url):
    ids = seed_store(db_url)
    engine = connect(db_url)
    add_review(engine, ids["weekday"], "follow_up", "ask the desk", "ana")
    assert get_finding(engine, ids["weekday"]).is_open
    add_review(engine, ids["weekday"], "dismissed", "same day in US time", "ben")
    stored = get_finding(engine, ids["weekday"])
    assert not stored.is_open and stored.review.reviewer == "ben"
    assert [r.verdict for r in finding_history(engine, ids["weekday"])] == [
        "follow_up",
        "dismissed",
    ]
    assert [s.fingerprint for s in decided_findings(engine)] == [ids["weekday"]]


def test_review_of_unknown_finding_or_verdict_is_refused_and_writes_nothing(db_url):
    ids = seed_store(db_url)
    engine = connect(db_url)
    with pytest.raises(StoreError, match="no finding"):
        add_review(engine, "0000", "confirmed", "", "ana")
    with pytest.raises(StoreError, match="unknown verdict"):
        add_review(engine, ids["weekday"], "maybe", "", "ana")
    assert finding_history(engine, ids["weekday"]) == []


def test_schema_compiles_for_postgresql():
    from sqlalchemy.dialects import postgresql
    from sqlalchemy.schema import CreateTable

    from checker.store import Base

    ddl = [
        str(CreateTable(t).compile(dialect=postgresql.dialect()))
        for t in Base.metadata.sorted_tables
    ]
    findings = next(d for d in ddl if "CREATE TABLE findings" in d)
    assert '"check"' in findings  # reserved word quoted
    assert any("BYTEA" in d for d in ddl)


def test_failed_findings_write_leaves_event_unchecked_and_nothing_half_written(db_url):
    from review_seed import weekday_finding

    engine = connect(db_url)
    wire, insider = wire_article(), insider_article()
    save_articles(engine, [wire, insider])
    ids = {"wire": content_id(wire), "insider": content_id(insider)}
    set_events(engine, {"ev-test": list(ids.values())}, {})
    good = weekday_finding(wire, insider)
    bad = dataclasses.replace(good, fingerprint="bad", confidence="not a number")
    with pytest.raises(ValueError):
        save_event_findings(
            engine, "ev-test", Report([], [good, bad], {}), ids, members_signature(ids.values())
        )
    assert list_findings(engine, include_resolved=True) == []
    assert events_needing_check(engine) == ["ev-test"]
