"""The review store on a real PostgreSQL server: the SQLite store tests that matter, again.

Runs against ``CROSSCLAIM_TEST_POSTGRES_URL`` (``postgresql+psycopg://user:pw@127.0.0.1:5432/db``;
``.ci/postgres.sh`` starts a throwaway server and prints it). Each test gets its own schema
(``search_path`` set through the URL) that is dropped afterwards, so tests never see each other's
rows and reruns start clean. Skipped when the variable is unset.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import uuid

import numpy as np
import pytest
from review_seed import insider_article, report_for, seed_store, weekday_finding, wire_article

POSTGRES_URL = os.environ.get("CROSSCLAIM_TEST_POSTGRES_URL", "")
if not POSTGRES_URL:
    pytest.skip(
        'CROSSCLAIM_TEST_POSTGRES_URL is not set (eval "$(.ci/postgres.sh)" starts a server)',
        allow_module_level=True,
    )

pytest.importorskip("psycopg", reason="the PostgreSQL tests need psycopg (crossclaim[postgres])")

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from checker.baseline import load_baseline  # noqa: E402
from checker.exports import export_baseline, export_csv  # noqa: E402
from checker.ingest import ingest_articles  # noqa: E402
from checker.report import Report  # noqa: E402
from checker.review_app import create_app  # noqa: E402
from checker.store import (  # noqa: E402
    RESOLVED,
    StoreError,
    add_review,
    article_versions,
    articles_for_event,
    connect,
    content_id,
    database_url,
    decided_findings,
    events_needing_check,
    finding_history,
    get_article,
    get_finding,
    identity_key,
    latest_articles,
    list_events,
    list_findings,
    members_signature,
    save_articles,
    save_event_findings,
    save_features,
    set_events,
    table_rows,
)


def _with_search_path(url: str, schema: str) -> str:
    """``url`` whose connections use ``schema`` first (libpq ``options=-csearch_path=...``)."""
    parsed = make_url(url)
    options = parsed.query.get("options", "")
    options = f"{options} -csearch_path={schema}".strip()
    return parsed.update_query_dict({"options": options}).render_as_string(hide_password=False)


@pytest.fixture
def db_url():
    """A URL for a fresh, empty schema of its own; the schema is dropped after the test."""
    schema = f"crossclaim_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(database_url(POSTGRES_URL))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield _with_search_path(database_url(POSTGRES_URL), schema)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def engine(db_url):
    engine = connect(db_url)
    yield engine
    engine.dispose()


def test_store_is_postgresql_in_its_own_schema(engine, db_url):
    assert engine.dialect.name == "postgresql" and engine.dialect.driver == "psycopg"
    with engine.connect() as conn:
        schema = conn.execute(text("SELECT current_schema()")).scalar()
        tables = conn.execute(
            text("SELECT table_name FROM information_schema.tables WHERE table_schema = :s"),
            {"s": schema},
        ).scalars()
        assert set(tables) == {"events", "articles", "claims", "findings", "reviews"}
    assert schema in db_url


def test_url_without_driver_uses_psycopg(db_url):
    plain = db_url.replace("postgresql+psycopg://", "postgresql://", 1)
    assert database_url(plain).startswith("postgresql+psycopg://")
    heroku_style = db_url.replace("postgresql+psycopg://", "postgres://", 1)
    assert database_url(heroku_style) == database_url(plain)
    engine = connect(plain)
    try:
        assert engine.dialect.driver == "psycopg"
        assert latest_articles(engine) == []
    finally:
        engine.dispose()


def test_unreachable_server_is_one_line_error_without_the_password(db_url):
    url = make_url(db_url).set(password="wrong-secret")
    with pytest.raises(StoreError) as info:
        connect(url.render_as_string(hide_password=False))
    message = str(info.value)
    assert "cannot open database" in message and "\n" not in message
    assert "wrong-secret" not in message


def test_same_article_again_changes_nothing(engine):
    first = save_articles(engine, [wire_article()])
    again = save_articles(engine, [wire_article()])
    assert len(first.added) == 1 and not again.changed
    assert again.unchanged == first.added
    assert len(latest_articles(engine)) == 1


def test_changed_article_becomes_new_version_and_old_is_kept(engine):
    old = wire_article()
    new = wire_article(old.text.replace("Wednesday", "Thursday"))
    save_articles(engine, [old])
    result = save_articles(engine, [new])
    assert result.versioned == [content_id(new)]
    versions = article_versions(engine, identity_key(new))
    assert [(v.version, v.latest) for v in versions] == [(1, False), (2, True)]
    assert [s.content_id for s in latest_articles(engine)] == [content_id(new)]


def test_article_round_trips_text_dates_json_and_embedding(engine):
    article = dataclasses.replace(
        insider_article(), warnings=("odd <b>markup</b>", "ünïcödé"), source_lines=(3, 5, 9)
    )
    [cid] = save_articles(engine, [article]).added
    vector = np.linspace(-1, 1, 384, dtype=np.float32)
    save_features(engine, {cid: (vector, ["blinken", "état"])})
    stored = get_article(engine, cid)
    assert stored.article == article  # published keeps its timezone, JSON lists their items
    assert stored.embedding.dtype == np.float32 and np.array_equal(stored.embedding, vector)
    assert stored.entities == ("blinken", "état")
    assert stored.latest is True and stored.version == 1


def test_findings_saved_for_an_event_round_trip_in_queue_order(db_url, engine):
    ids = seed_store(db_url)
    assert [s.fingerprint for s in list_findings(engine)] == [ids["weekday"], ids["script"]]
    stored = get_finding(engine, ids["weekday"])
    expected = report_for([wire_article(), insider_article()]).findings[0]
    assert stored.finding == expected  # sides, spans, nli floats
    assert stored.a_article == ids["wire"] and stored.b_article == ids["insider"]
    assert stored.event_id == ids["event"] and stored.is_open
    [summary] = list_events(engine)
    assert summary.outlets == ("Business Insider", "Wire")
    assert (summary.articles, summary.open_findings) == (2, 2)
    _, claims = table_rows(engine, "claims")
    assert len(claims) == 4


def test_saving_the_same_findings_again_updates_them_in_place(db_url, engine):
    ids = seed_store(db_url)
    wire, insider = wire_article(), insider_article()
    article_map = {"wire": ids["wire"], "insider": ids["insider"]}
    again = save_event_findings(
        engine,
        ids["event"],
        report_for([wire, insider]),
        article_map,
        members_signature(article_map.values()),
    )
    assert again == (2, 0)
    assert len(list_findings(engine, include_resolved=True)) == 2
    assert len(table_rows(engine, "claims")[1]) == 4  # claims are not duplicated


def test_event_is_checked_until_a_member_changes(db_url, engine):
    ids = seed_store(db_url)
    assert events_needing_check(engine) == []
    new = insider_article(insider_article().text.replace("Tuesday", "Monday"))
    result = save_articles(engine, [new])
    assert result.versioned and events_needing_check(engine) == [ids["event"]]
    articles = articles_for_event(db_url, ids["event"])
    assert sorted(a.id for a in articles) == ["insider", "wire"]
    assert any("Monday" in a.text for a in articles)


def test_review_is_written_and_read_back_with_its_history(db_url, engine):
    ids = seed_store(db_url)
    first = add_review(engine, ids["weekday"], "follow_up", "  ask the desk ", "ana")
    assert (first.verdict, first.note, first.reviewer) == ("follow_up", "ask the desk", "ana")
    assert get_finding(engine, ids["weekday"]).is_open
    add_review(engine, ids["weekday"], "dismissed", "same day in US time", "ben")
    stored = get_finding(engine, ids["weekday"])
    assert not stored.is_open and stored.review.reviewer == "ben"
    history = finding_history(engine, ids["weekday"])
    assert [(r.verdict, r.reviewer) for r in history] == [
        ("follow_up", "ana"),
        ("dismissed", "ben"),
    ]
    assert history[0].id < history[1].id and history[1].at.endswith("+00:00")
    assert [s.fingerprint for s in decided_findings(engine)] == [ids["weekday"]]


def test_refused_review_writes_nothing(db_url, engine):
    ids = seed_store(db_url)
    with pytest.raises(StoreError, match="no finding"):
        add_review(engine, "0000", "confirmed", "", "ana")
    with pytest.raises(StoreError, match="unknown verdict"):
        add_review(engine, ids["weekday"], "maybe", "", "ana")
    assert finding_history(engine, ids["weekday"]) == []
    add_review(engine, ids["weekday"], "confirmed", "after a refusal", "ana")  # session is fine
    assert len(finding_history(engine, ids["weekday"])) == 1


def test_recheck_without_a_finding_resolves_it_and_keeps_its_reviews(db_url, engine):
    ids = seed_store(db_url)
    add_review(engine, ids["weekday"], "confirmed", "checked with State", "ana")
    stored, resolved = save_event_findings(
        engine, ids["event"], Report([], [], {}), {}, members_signature(["x"])
    )
    assert (stored, resolved) == (0, 2)
    assert get_finding(engine, ids["weekday"]).status == RESOLVED
    assert len(finding_history(engine, ids["weekday"])) == 1
    assert list_findings(engine, only_open=True) == []


def test_failed_findings_write_leaves_event_unchecked_and_nothing_half_written(engine):
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


def test_export_baseline_from_postgresql(db_url, engine, tmp_path):
    ids = seed_store(db_url)
    add_review(engine, ids["weekday"], "confirmed", "AP agrees", "Ana")
    add_review(engine, ids["script"], "follow_up", "ask the desk", "Ben")
    out = tmp_path / "baseline.json"
    assert export_baseline(db_url, out) == 1
    [entry] = load_baseline(out).accepted
    assert (entry.fingerprint, entry.status, entry.who) == (ids["weekday"], "accepted", "Ana")
    assert (entry.a_outlet, entry.b_outlet) == ("Wire", "Business Insider")
    assert entry.when.endswith("+00:00")
    assert json.loads(out.read_text(encoding="utf-8"))["schema"] == "crossclaim.baseline/v1"


def test_csv_export_from_postgresql(db_url, engine, tmp_path):
    seed_store(db_url)
    counts = export_csv(db_url, tmp_path / "csv")
    assert counts == {"articles.csv": 2, "claims.csv": 4, "findings.csv": 2, "reviews.csv": 0}


def test_review_app_finding_page_renders_and_stores_a_verdict(db_url, engine):
    ids = seed_store(db_url)
    client = create_app(db_url).test_client()
    try:
        queue = client.get("/").get_data(as_text=True)
        assert queue.index(ids["weekday"]) < queue.index(ids["script"])
        page = client.get(f"/findings/{ids['weekday']}")
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert '<mark class="span">Wednesday</mark>' in html
        assert '<mark class="span">Tuesday</mark>' in html
        assert "contradiction 0.90" in html and "temporal" in html
        token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
        response = client.post(
            f"/findings/{ids['weekday']}/review",
            data={"csrf_token": token, "verdict": "confirmed", "note": "AP", "reviewer": "Ana"},
        )
        assert response.status_code == 303
        assert "Saved: confirmed" in client.get(response.headers["Location"]).get_data(as_text=True)
        assert client.get(f"/articles/{ids['insider']}").status_code == 200
        assert client.get("/findings/nope").status_code == 404
    finally:
        client.application.extensions["crossclaim_engine"].dispose()
    [review] = finding_history(engine, ids["weekday"])
    assert (review.verdict, review.reviewer) == ("confirmed", "Ana")


class _SameVectorEmbedder:
    """Every title+lead is the same unit vector: all articles fall into one event."""

    def encode(self, texts):
        vectors = np.zeros((len(texts), 8), dtype=np.float32)
        vectors[:, 0] = 1.0
        return vectors


class _NoEntitiesNlp:
    def pipe(self, texts):
        return [type("Doc", (), {"ents": ()})() for _ in texts]


def test_ingest_groups_checks_and_reingest_changes_nothing(engine):
    calls: list[list[str]] = []

    def check(articles):
        calls.append(sorted(a.outlet for a in articles))
        return report_for(articles)

    def ingest(articles):
        return ingest_articles(
            engine,
            articles,
            [],
            check=check,
            embedder_factory=_SameVectorEmbedder,
            nlp_factory=_NoEntitiesNlp,
        )

    ingest([wire_article(), insider_article()])
    assert calls == [["Business Insider", "Wire"]]
    [summary] = list_events(engine)
    assert (summary.articles, summary.open_findings) == (2, 2)
    assert all(s.embedding is not None for s in latest_articles(engine))
    ingest([wire_article(), insider_article()])
    assert len(calls) == 1  # nothing changed, nothing re-checked
    ingest([insider_article(insider_article().text.replace("Tuesday", "Wednesday"))])
    assert len(calls) == 2
    assert [s.finding.check for s in list_findings(engine)] == ["attribution"]


def test_event_members_put_undated_articles_first_as_on_sqlite(engine):
    from checker.store import event_members

    undated = dataclasses.replace(
        wire_article(), url="https://wire.example/undated", text="Undated.", published=None
    )
    articles = [wire_article(), insider_article(), undated]
    save_articles(engine, articles)
    set_events(engine, {"ev-test": [content_id(a) for a in articles]}, {})
    members = event_members(engine, "ev-test")
    assert [m.article.url for m in members] == [
        "https://wire.example/undated",
        "https://wire.example/blinken",
        "https://insider.example/blinken",
    ]
