"""The review store's schema versions (Alembic, ``checker/workspace/migrations``).

A store written before there were revisions is stamped and upgraded with every row; a new store
is at head; head matches the models; opening is idempotent; a failed upgrade leaves the store at
the revision it had. Tests taking ``db_url`` run on SQLite and, when
``CROSSCLAIM_TEST_POSTGRES_URL`` is set, on PostgreSQL (tests/conftest.py).
"""

from __future__ import annotations

import dataclasses
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from alembic import command, op
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from review_seed import grouped_report, insider_article, report_for, wire_article
from sqlalchemy import Engine, MetaData, create_engine, inspect, text

from checker.workspace import store
from checker.workspace.identity import IDENTITY_SCHEME, content_id
from checker.workspace.migrations.versions import v0001_initial
from checker.workspace.store import (
    INITIAL_REVISION,
    MIGRATIONS,
    Base,
    StoreError,
    add_review,
    alembic_config,
    assign_finding,
    connect,
    database_url,
    finding_history,
    get_finding,
    head_revision,
    latest_articles,
    list_findings,
    members_signature,
    save_articles,
    save_event_findings,
    schema_revision,
    set_events,
    undo_last_review,
    upgrade_schema,
)

HEAD = "0005_grouped_findings"
#: the revision before grouped findings (0005).
BEFORE_GROUPING = "0004_review_wrong_side"
#: the revision before assignment and undo (0003).
BEFORE_ASSIGNMENT = "0002_queue_indexes"
#: the revision before a verdict's wrong side (0004).
BEFORE_WRONG_SIDE = "0003_assignment_undo"
#: the columns revision 0005 adds to ``findings``.
GROUPING_COLUMNS = {"grouped_fingerprints", "also_at", "grouped_into"}
#: the indexes revision 0002 adds, and the one-column ones it replaces.
NEW_INDEXES = {"findings": "ix_findings_event_id_status", "articles": "ix_articles_event_id_latest"}
OLD_INDEXES = {"findings": "ix_findings_event_id", "articles": "ix_articles_event_id"}

#: the tables exactly as the store made them before versioned migrations: what
#: ``Base.metadata.create_all`` emitted on SQLite (SQLAlchemy 2, crossclaim 0.1.0).
LEGACY_SQLITE_DDL = """
CREATE TABLE events (
    id VARCHAR(32) NOT NULL,
    title TEXT NOT NULL,
    checked_signature VARCHAR(64) NOT NULL,
    created_at VARCHAR(40) NOT NULL,
    PRIMARY KEY (id)
);
CREATE TABLE store_meta (
    name VARCHAR(64) NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (name)
);
CREATE TABLE articles (
    content_id VARCHAR(64) NOT NULL,
    identity TEXT NOT NULL,
    version INTEGER NOT NULL,
    latest BOOLEAN NOT NULL,
    article_id TEXT NOT NULL,
    outlet TEXT NOT NULL,
    title TEXT NOT NULL,
    url TEXT NOT NULL,
    source TEXT NOT NULL,
    published VARCHAR(40),
    line INTEGER NOT NULL,
    warnings JSON NOT NULL,
    source_lines JSON NOT NULL,
    text TEXT NOT NULL,
    event_id VARCHAR(32),
    ingested_at VARCHAR(40) NOT NULL,
    embedding BLOB,
    entities JSON,
    PRIMARY KEY (content_id),
    FOREIGN KEY(event_id) REFERENCES events (id)
);
CREATE INDEX ix_articles_identity ON articles (identity);
CREATE INDEX ix_articles_event_id ON articles (event_id);
CREATE INDEX ix_articles_latest ON articles (latest);
CREATE TABLE claims (
    id INTEGER NOT NULL,
    article VARCHAR(64) NOT NULL,
    claim_id TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    cluster TEXT NOT NULL,
    PRIMARY KEY (id),
    UNIQUE (article, claim_id),
    FOREIGN KEY(article) REFERENCES articles (content_id)
);
CREATE INDEX ix_claims_article ON claims (article);
CREATE TABLE findings (
    fingerprint VARCHAR(64) NOT NULL,
    event_id VARCHAR(32),
    "check" VARCHAR(64) NOT NULL,
    verdict VARCHAR(32) NOT NULL,
    severity VARCHAR(16) NOT NULL,
    confidence FLOAT NOT NULL,
    explanation TEXT NOT NULL,
    cluster TEXT NOT NULL,
    nli JSON,
    a JSON NOT NULL,
    b JSON NOT NULL,
    a_article VARCHAR(64),
    b_article VARCHAR(64),
    status VARCHAR(16) NOT NULL,
    first_seen VARCHAR(40) NOT NULL,
    last_seen VARCHAR(40) NOT NULL,
    PRIMARY KEY (fingerprint),
    FOREIGN KEY(event_id) REFERENCES events (id),
    FOREIGN KEY(a_article) REFERENCES articles (content_id),
    FOREIGN KEY(b_article) REFERENCES articles (content_id)
);
CREATE INDEX ix_findings_event_id ON findings (event_id);
CREATE INDEX ix_findings_status ON findings (status);
CREATE TABLE reviews (
    id INTEGER NOT NULL,
    fingerprint VARCHAR(64) NOT NULL,
    verdict VARCHAR(16) NOT NULL,
    note TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    at VARCHAR(40) NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY(fingerprint) REFERENCES findings (fingerprint)
);
CREATE INDEX ix_reviews_fingerprint ON reviews (fingerprint);
"""


def sqlite_file(url: str) -> str:
    return url.removeprefix("sqlite:///")


def write_store(engine: Engine) -> dict[str, str]:
    """Rows as the store's functions write them (the code path that predates revisions): two
    articles, one of them in two versions and with event features, an event, its findings and
    claims, and three reviews."""
    wire, insider = wire_article(), insider_article()
    vector = np.arange(4, dtype=np.float32)
    save_articles(
        engine, [wire, insider], {content_id(wire): (vector, ["blinken", "kuala lumpur"])}
    )
    insider = insider_article(insider.text.replace("abruptly ", ""))
    save_articles(engine, [insider])
    ids = {wire.id: content_id(wire), insider.id: content_id(insider)}
    set_events(engine, {"ev-test": list(ids.values())}, {"ev-test": wire.title})
    report = report_for([wire, insider])
    save_event_findings(engine, "ev-test", report, ids, members_signature(ids.values()))
    weekday, script = (f.fingerprint for f in report.findings)
    add_review(engine, weekday, "follow_up", "ask the State Department", "Ana")
    add_review(engine, weekday, "confirmed", "transcript says Wednesday", "Ana")
    add_review(engine, script, "dismissed", "", "Bo")
    return {"weekday": weekday, "script": script, **ids}


def write_old_store(engine: Engine) -> dict[str, str]:
    """:func:`write_store`'s rows in a store whose schema is older than the models (their
    functions read and write columns it lacks): written by the store's functions into a scratch
    store at head, then copied into ``engine`` in the columns of the first revision, identity
    marker included. On PostgreSQL the id sequences are moved past the copied ids."""
    scratch = connect("sqlite://")
    try:
        ids = write_store(scratch)
        with scratch.connect() as source, engine.begin() as target:
            for table in v0001_initial.schema().sorted_tables:
                query = table.select().order_by(*table.primary_key.columns)
                rows = [dict(row._mapping) for row in source.execute(query)]
                if rows:
                    target.execute(table.insert(), rows)
            if engine.dialect.name == "postgresql":
                for name in ("claims", "reviews"):
                    target.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{name}', 'id'),"
                            f" (SELECT max(id) FROM {name}))"
                        )
                    )
    finally:
        scratch.dispose()
    return ids


def snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of the first revision, in primary-key order."""
    rows = {}
    with engine.connect() as conn:
        for table in v0001_initial.schema().sorted_tables:
            query = table.select().order_by(*table.primary_key.columns)
            rows[table.name] = [tuple(row) for row in conn.execute(query)]
    return rows


def index_names(engine: Engine, table: str) -> set[str]:
    return {str(ix["name"]) for ix in inspect(engine).get_indexes(table)}


def model_differences(engine: Engine, metadata: MetaData = Base.metadata) -> list[Any]:
    """What Alembic's autogenerate finds between the database and ``metadata`` ([] = none)."""
    with engine.connect() as conn:
        return compare_metadata(MigrationContext.configure(conn), metadata)


def version_rows(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())


@pytest.fixture
def old_sqlite_store(sqlite_url: str) -> tuple[str, dict[str, str]]:
    """A SQLite store made as crossclaim made it before revisions: the tables by their DDL, the
    rows by the store's functions (:func:`write_old_store`), the identity marker as ``connect``
    wrote it; no ``alembic_version``."""
    with sqlite3.connect(sqlite_file(sqlite_url)) as raw:
        raw.executescript(LEGACY_SQLITE_DDL)
    raw.close()
    engine = create_engine(sqlite_url)
    ids = write_old_store(engine)
    engine.dispose()
    return sqlite_url, ids


def test_the_first_revision_creates_the_schema_the_store_had_before_revisions(sqlite_url):
    """Revision 0001 on an empty SQLite file emits the very DDL of the pre-revision store."""
    engine = create_engine(sqlite_url)
    upgrade_schema(engine, INITIAL_REVISION)

    def ddl(database: str, script: str = "") -> set[str]:
        with sqlite3.connect(database) as conn:
            conn.executescript(script)
            rows = conn.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL").fetchall()
        conn.close()
        return {" ".join(row[0].split()).replace("( ", "(").replace(" )", ")") for row in rows}

    made = ddl(sqlite_file(sqlite_url))
    assert {d for d in made if "alembic_version" in d}
    assert {d for d in made if "alembic_version" not in d} == ddl(":memory:", LEGACY_SQLITE_DDL)
    assert model_differences(engine, v0001_initial.schema()) == []
    engine.dispose()


def test_a_store_written_before_revisions_is_stamped_and_upgraded_with_every_row(
    old_sqlite_store,
):
    url, ids = old_sqlite_store
    engine = create_engine(url)
    before = snapshot(engine)
    assert schema_revision(engine) is None and not inspect(engine).has_table("alembic_version")
    assert before["reviews"] and before["claims"] and len(before["articles"]) == 3
    engine.dispose()

    engine = connect(url)
    try:
        assert version_rows(engine) == [HEAD]
        assert snapshot(engine) == before  # every row, byte for byte
        assert [r.verdict for r in finding_history(engine, ids["weekday"])] == [
            "follow_up",
            "confirmed",
        ]
        assert {s.fingerprint for s in list_findings(engine, event_id="ev-test")} == {
            ids["weekday"],
            ids["script"],
        }
        for table, name in NEW_INDEXES.items():
            assert name in index_names(engine, table)
            assert OLD_INDEXES[table] not in index_names(engine, table)
        assert model_differences(engine) == []
        wire = next(s for s in latest_articles(engine) if s.article.id == "wire")
        assert wire.embedding is not None and wire.embedding.tolist() == [0.0, 1.0, 2.0, 3.0]
    finally:
        engine.dispose()


def test_a_store_from_before_the_identity_marker_gets_its_table_and_its_identities_migrated(
    sqlite_url,
):
    """The oldest stores had no ``store_meta`` and url-only identities: the table is added when
    the store is stamped, and the identity migration still runs after the upgrade."""
    ddl = LEGACY_SQLITE_DDL.replace(
        "CREATE TABLE store_meta (\n"
        "    name VARCHAR(64) NOT NULL,\n"
        "    value TEXT NOT NULL,\n"
        "    PRIMARY KEY (name)\n"
        ");\n",
        "",
    )
    assert "store_meta" not in ddl
    with sqlite3.connect(sqlite_file(sqlite_url)) as raw:
        raw.executescript(ddl)
    raw.close()
    engine = create_engine(sqlite_url)
    shared = "https://wire.example/blinken"
    a, b = wire_article(), insider_article()
    a, b = (dataclasses.replace(x, url=shared) for x in (a, b))
    save_articles(engine, [a, b])
    with engine.begin() as conn:  # as the url-only scheme left them: b a version of a
        conn.execute(text("UPDATE articles SET identity = :i"), {"i": f"url:{shared}"})
        conn.execute(text("UPDATE articles SET version = 1, latest = 0 WHERE outlet = 'Wire'"))
        conn.execute(text("UPDATE articles SET version = 2, latest = 1 WHERE outlet != 'Wire'"))
    engine.dispose()

    engine = connect(sqlite_url)
    try:
        assert schema_revision(engine) == HEAD
        assert sorted(s.article.outlet for s in latest_articles(engine)) == [
            "Business Insider",
            "Wire",
        ]
        with engine.connect() as conn:
            marker = conn.execute(text("SELECT value FROM store_meta")).scalar_one()
        assert marker == IDENTITY_SCHEME
        assert model_differences(engine) == []
    finally:
        engine.dispose()


def test_a_store_made_by_the_first_revisions_tables_is_upgraded(db_url):
    """The same on SQLite and PostgreSQL: tables from revision 0001's description, rows by the
    store's functions, no ``alembic_version``."""
    engine = create_engine(database_url(db_url))
    v0001_initial.schema().create_all(engine)
    ids = write_old_store(engine)
    before = snapshot(engine)
    engine.dispose()

    engine = connect(db_url)
    try:
        assert version_rows(engine) == [HEAD]
        assert snapshot(engine) == before
        assert len(finding_history(engine, ids["weekday"])) == 2
        assert NEW_INDEXES["findings"] in index_names(engine, "findings")
        assert model_differences(engine) == []
    finally:
        engine.dispose()


def column_names(engine: Engine, table: str) -> set[str]:
    return {str(c["name"]) for c in inspect(engine).get_columns(table)}


#: the columns revision 0003 adds.
ASSIGNMENT_COLUMNS = {"findings": {"assigned_to", "assigned_at"}, "reviews": {"undone_at"}}


def test_a_store_at_0002_is_upgraded_to_0003_with_every_row_and_nothing_assigned_or_undone(
    db_url,
):
    """A store in use at revision 0002 (findings, three verdicts) opens at 0003: every row as it
    was, the new columns empty (nobody assigned, every verdict standing), and the store's
    functions work on it: the latest verdict still decides, an undo takes it back, an
    assignment is kept."""
    engine = create_engine(database_url(db_url))
    upgrade_schema(engine, BEFORE_ASSIGNMENT)
    assert not column_names(engine, "findings") & ASSIGNMENT_COLUMNS["findings"]
    ids = write_old_store(engine)
    before = snapshot(engine)
    engine.dispose()

    engine = connect(db_url)
    try:
        assert version_rows(engine) == [HEAD]
        assert snapshot(engine) == before  # every row of every table, as it was
        for table, names in ASSIGNMENT_COLUMNS.items():
            assert names <= column_names(engine, table)
            with engine.connect() as conn:
                for name in names:
                    filled = conn.execute(
                        text(f"SELECT count(*) FROM {table} WHERE {name} IS NOT NULL")
                    ).scalar_one()
                    assert filled == 0, (table, name)
        assert model_differences(engine) == []
        history = finding_history(engine, ids["weekday"])
        assert [(r.verdict, r.undone) for r in history] == [
            ("follow_up", False),
            ("confirmed", False),
        ]
        stored = {s.fingerprint: s for s in list_findings(engine)}
        assert stored[ids["weekday"]].review.verdict == "confirmed"
        assert stored[ids["script"]].review.verdict == "dismissed"
        assert {s.assigned_to for s in stored.values()} == {None}

        result = undo_last_review(engine, "Ana", ids["weekday"])
        assert result is not None and result.undone.verdict == "confirmed"
        assert result.current is not None and result.current.verdict == "follow_up"
        assert assign_finding(engine, ids["script"], "Bo") == "Bo"
    finally:
        engine.dispose()
    engine = connect(db_url)  # reopened: both kept
    try:
        assert get_finding(engine, ids["weekday"]).review.verdict == "follow_up"
        assert get_finding(engine, ids["script"]).assigned_to == "Bo"
        assert len(finding_history(engine, ids["weekday"])) == 2  # the undone one is kept
    finally:
        engine.dispose()


def test_a_failed_0003_upgrade_leaves_the_store_at_0002_without_its_columns(db_url, monkeypatch):
    """Revision 0003 dies after adding its first column: rolled back, the store is at 0002 with
    its rows and none of the new columns; the next open upgrades."""
    engine = create_engine(database_url(db_url))
    upgrade_schema(engine, BEFORE_ASSIGNMENT)
    write_old_store(engine)
    before = snapshot(engine)
    engine.dispose()

    real_add_column = op.add_column
    calls: list[str] = []

    def add_then_crash(table: str, column: Any, **kwargs: Any) -> None:
        calls.append(table)
        if len(calls) > 1:
            raise RuntimeError("power cut")
        real_add_column(table, column, **kwargs)

    monkeypatch.setattr(op, "add_column", add_then_crash)
    with pytest.raises(StoreError, match="power cut"):
        connect(db_url)
    engine = create_engine(database_url(db_url))
    try:
        assert version_rows(engine) == [BEFORE_ASSIGNMENT]
        for table, names in ASSIGNMENT_COLUMNS.items():
            assert not names & column_names(engine, table)  # the first one was rolled back
        assert snapshot(engine) == before
    finally:
        engine.dispose()
    monkeypatch.undo()
    engine = connect(db_url)
    try:
        assert version_rows(engine) == [HEAD] and snapshot(engine) == before
    finally:
        engine.dispose()


def full_rows(engine: Engine, table: str) -> list[dict[str, Any]]:
    """Every row of ``table`` with every column the database has, in primary-key order."""
    with engine.connect() as conn:
        key = "fingerprint" if table == "findings" else "id"
        rows = conn.execute(text(f"SELECT * FROM {table} ORDER BY {key}"))
        return [dict(row._mapping) for row in rows]


def without_grouping(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``findings`` rows without revision 0005's columns, which must be NULL (nothing grouped)."""
    for row in rows:
        assert [row.pop(name) for name in sorted(GROUPING_COLUMNS)] == [None, None, None]
    return rows


def test_a_store_at_0003_is_upgraded_to_0004_with_every_row_and_no_wrong_side_said(db_url):
    """A store in use at revision 0003 (verdicts, one of them undone, an assignment) opens at
    0004: every row as it was, 0003's columns included, ``reviews.wrong_side`` added and NULL
    for every verdict (not said); a new verdict records its wrong side, and the ClaimReview
    ratings of the old verdicts stay undecided."""
    engine = create_engine(database_url(db_url))
    upgrade_schema(engine, BEFORE_WRONG_SIDE)
    assert "wrong_side" not in column_names(engine, "reviews")
    ids = write_old_store(engine)
    with engine.begin() as conn:  # what 0003's columns hold in use
        conn.execute(
            text(
                "UPDATE findings SET assigned_to = 'Bo', assigned_at = :at WHERE fingerprint = :f"
            ),
            {"at": "2027-01-20T09:00:00+00:00", "f": ids["script"]},
        )
        conn.execute(
            text("UPDATE reviews SET undone_at = :at WHERE fingerprint = :f AND verdict = :v"),
            {"at": "2027-01-20T10:00:00+00:00", "f": ids["weekday"], "v": "confirmed"},
        )
    before = snapshot(engine)
    findings_before = full_rows(engine, "findings")
    reviews_before = full_rows(engine, "reviews")
    engine.dispose()

    engine = connect(db_url)
    try:
        assert version_rows(engine) == [HEAD]
        assert snapshot(engine) == before
        # (0005's grouping columns, NULL, come with the upgrade to head)
        assert without_grouping(full_rows(engine, "findings")) == findings_before
        reviews = full_rows(engine, "reviews")
        assert [r.pop("wrong_side") for r in reviews] == [None, None, None]
        assert reviews == reviews_before  # every other column as it was
        assert model_differences(engine) == []
        stored = get_finding(engine, ids["weekday"])
        assert stored.review.verdict == "follow_up" and stored.review.wrong_side is None
        assert get_finding(engine, ids["script"]).assigned_to == "Bo"
        assert [
            (r.verdict, r.undone, r.wrong_side) for r in finding_history(engine, ids["weekday"])
        ] == [
            ("follow_up", False, None),
            ("confirmed", True, None),
        ]
        add_review(engine, ids["weekday"], "confirmed", "the transcript", "Ana", wrong_side="b")
        assert get_finding(engine, ids["weekday"]).review.wrong_side == "b"
    finally:
        engine.dispose()
    engine = connect(db_url)  # reopened: kept
    try:
        assert get_finding(engine, ids["weekday"]).review.wrong_side == "b"
    finally:
        engine.dispose()


def test_downgrade_to_0003_drops_the_wrong_side_and_keeps_the_verdicts(db_url):
    engine = connect(db_url)
    ids = write_store(engine)
    add_review(engine, ids["weekday"], "confirmed", "", "Ana", wrong_side="both")
    before = snapshot(engine)
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), BEFORE_WRONG_SIDE)
    assert version_rows(engine) == [BEFORE_WRONG_SIDE]
    assert "wrong_side" not in column_names(engine, "reviews")
    assert snapshot(engine) == before
    engine.dispose()
    engine = connect(db_url)
    try:
        assert version_rows(engine) == [HEAD] and snapshot(engine) == before
        assert get_finding(engine, ids["weekday"]).review.wrong_side is None  # not said again
    finally:
        engine.dispose()


def regroup(engine: Engine, ids: dict[str, str]) -> None:
    """Check the seed event again, its weekday finding grouped into a bullet finding."""
    article_map = {"wire": ids["wire"], "insider": ids["insider"]}
    insider = insider_article(insider_article().text.replace("abruptly ", ""))
    save_event_findings(
        engine,
        "ev-test",
        grouped_report([wire_article(), insider]),
        article_map,
        members_signature(article_map.values()),
    )


def test_a_store_at_0004_is_upgraded_to_0005_with_every_row_and_nothing_grouped(db_url):
    """A store in use at revision 0004 (verdicts with a wrong side, one undone, an assignment)
    opens at 0005: every row as it was, the grouping columns added and NULL; a verdict given
    before on a finding that the next check groups into another stands for the group."""
    engine = create_engine(database_url(db_url))
    upgrade_schema(engine, BEFORE_GROUPING)
    assert not GROUPING_COLUMNS & column_names(engine, "findings")
    ids = write_old_store(engine)
    with engine.begin() as conn:  # what 0003's and 0004's columns hold in use
        conn.execute(
            text(
                "UPDATE findings SET assigned_to = 'Bo', assigned_at = :at WHERE fingerprint = :f"
            ),
            {"at": "2027-01-20T09:00:00+00:00", "f": ids["script"]},
        )
        conn.execute(
            text("UPDATE reviews SET wrong_side = 'b' WHERE fingerprint = :f AND verdict = :v"),
            {"f": ids["weekday"], "v": "confirmed"},
        )
    before = snapshot(engine)
    findings_before = full_rows(engine, "findings")
    reviews_before = full_rows(engine, "reviews")
    engine.dispose()

    engine = connect(db_url)
    try:
        assert version_rows(engine) == [HEAD]
        assert snapshot(engine) == before
        assert without_grouping(full_rows(engine, "findings")) == findings_before
        assert full_rows(engine, "reviews") == reviews_before
        assert model_differences(engine) == []
        weekday = get_finding(engine, ids["weekday"])
        assert weekday.finding.also_at == [] and weekday.grouped_into is None
        assert (weekday.review.verdict, weekday.review.wrong_side) == ("confirmed", "b")
        assert get_finding(engine, ids["script"]).assigned_to == "Bo"
        regroup(engine, ids)
        [group] = [s for s in list_findings(engine) if s.finding.also_at]
        assert group.finding.fingerprints()[1:] == [ids["weekday"]]
        assert (group.review.verdict, group.review.wrong_side) == ("confirmed", "b")
        assert get_finding(engine, ids["weekday"]).status == "grouped"
    finally:
        engine.dispose()


def test_downgrade_to_0004_resolves_grouped_findings_and_keeps_the_verdicts(db_url):
    engine = connect(db_url)
    ids = write_store(engine)
    regroup(engine, ids)
    assert get_finding(engine, ids["weekday"]).status == "grouped"
    before = snapshot(engine)
    reviews_before = full_rows(engine, "reviews")
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), BEFORE_GROUPING)
    assert version_rows(engine) == [BEFORE_GROUPING]
    assert not GROUPING_COLUMNS & column_names(engine, "findings")
    assert full_rows(engine, "reviews") == reviews_before
    statuses = {r["fingerprint"]: r["status"] for r in full_rows(engine, "findings")}
    assert statuses[ids["weekday"]] == "resolved"
    engine.dispose()
    engine = connect(db_url)
    try:
        assert version_rows(engine) == [HEAD]
        assert len(snapshot(engine)["findings"]) == len(before["findings"])
        group = [s for s in list_findings(engine) if s.fingerprint != ids["script"]]
        # its places went with the column (the next check of the event stores them again)
        assert [s.finding.also_at for s in group] == [[]]
    finally:
        engine.dispose()


def test_a_new_store_is_at_head_and_matches_the_models(db_url):
    engine = connect(db_url)
    try:
        assert head_revision() == HEAD
        assert version_rows(engine) == [HEAD]
        assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
        assert model_differences(engine) == []
    finally:
        engine.dispose()


def test_opening_twice_is_idempotent(db_url):
    engine = connect(db_url)
    ids = write_store(engine)
    before = snapshot(engine)
    engine.dispose()
    for _ in range(2):
        engine = connect(db_url)
        try:
            upgrade_schema(engine)  # already at head: nothing to do
            assert version_rows(engine) == [HEAD]
            assert snapshot(engine) == before
            assert len(finding_history(engine, ids["weekday"])) == 2
        finally:
            engine.dispose()


def test_a_store_opened_by_several_threads_at_once_is_created_once(sqlite_url):
    def open_store(_: int) -> str | None:
        engine = connect(sqlite_url)
        try:
            return schema_revision(engine)
        finally:
            engine.dispose()

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(open_store, range(4))) == [HEAD] * 4
    engine = create_engine(sqlite_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM store_meta")).scalar_one() == 1
    assert version_rows(engine) == [HEAD]
    engine.dispose()


def test_a_failed_upgrade_leaves_the_store_at_its_revision_with_its_rows(db_url, monkeypatch):
    """Revision 0002 dies after creating its first indexes: the transaction is rolled back (no
    new index, still at 0001, every row there), and the next open upgrades."""
    engine = create_engine(database_url(db_url))
    upgrade_schema(engine, INITIAL_REVISION)
    ids = write_old_store(engine)
    before = snapshot(engine)
    engine.dispose()

    def crash(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("power cut")

    monkeypatch.setattr(op, "drop_index", crash)
    with pytest.raises(StoreError, match="power cut"):
        connect(db_url)
    engine = create_engine(database_url(db_url))
    try:
        assert version_rows(engine) == [INITIAL_REVISION]
        for table, name in NEW_INDEXES.items():
            assert name not in index_names(engine, table)  # created, then rolled back
            assert OLD_INDEXES[table] in index_names(engine, table)
        assert snapshot(engine) == before
    finally:
        engine.dispose()

    monkeypatch.undo()
    engine = connect(db_url)
    try:
        assert version_rows(engine) == [HEAD]
        assert snapshot(engine) == before
        assert len(finding_history(engine, ids["weekday"])) == 2
    finally:
        engine.dispose()


def test_downgrade_to_the_first_revision_and_back(db_url):
    engine = connect(db_url)
    write_store(engine)
    before = snapshot(engine)
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), INITIAL_REVISION)
    assert version_rows(engine) == [INITIAL_REVISION]
    assert model_differences(engine, v0001_initial.schema()) == []
    engine.dispose()
    engine = connect(db_url)
    try:
        assert version_rows(engine) == [HEAD] and snapshot(engine) == before
    finally:
        engine.dispose()


def test_a_store_of_a_newer_crossclaim_is_refused(sqlite_url):
    connect(sqlite_url).dispose()
    engine = create_engine(sqlite_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099_from_the_future'"))
    engine.dispose()
    with pytest.raises(StoreError, match="0099_from_the_future.*newer version"):
        connect(sqlite_url)


def test_the_migrations_run_from_the_package_folder_without_an_ini_file():
    assert MIGRATIONS == Path(store.__file__).resolve().parent / "migrations"
    assert (MIGRATIONS / "env.py").is_file()
    config = alembic_config()
    assert config.config_file_name is None
    assert config.get_main_option("script_location") == str(MIGRATIONS)
