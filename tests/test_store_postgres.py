"""The review store on a real PostgreSQL server: what only PostgreSQL has.

The store's behaviours (articles, versions, events, findings, reviews, exports, the review app,
ingest) run on both SQLite and PostgreSQL through the parametrized ``db_url`` fixture in
tests/conftest.py. This module keeps the PostgreSQL-only checks: the store lands in its own
schema, ``postgresql://`` URLs get the psycopg driver, and a failed login does not leak the
password. Runs against ``CROSSCLAIM_TEST_POSTGRES_URL`` (``.ci/postgres.sh`` starts a throwaway
server and prints it); skipped when the variable is unset.
"""

from __future__ import annotations

import os

import pytest

if not os.environ.get("CROSSCLAIM_TEST_POSTGRES_URL", ""):
    pytest.skip(
        'CROSSCLAIM_TEST_POSTGRES_URL is not set (eval "$(.ci/postgres.sh)" starts a server)',
        allow_module_level=True,
    )

pytest.importorskip("psycopg", reason="the PostgreSQL tests need psycopg (crossclaim[postgres])")

from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from checker.workspace.store import StoreError, connect, database_url, latest_articles  # noqa: E402


@pytest.fixture
def db_url(postgresql_url):
    """Only the PostgreSQL store (overrides the SQLite + PostgreSQL ``db_url`` of conftest)."""
    return postgresql_url


def test_store_is_postgresql_in_its_own_schema(engine, db_url):
    assert engine.dialect.name == "postgresql" and engine.dialect.driver == "psycopg"
    with engine.connect() as conn:
        schema = conn.execute(text("SELECT current_schema()")).scalar()
        tables = conn.execute(
            text("SELECT table_name FROM information_schema.tables WHERE table_schema = :s"),
            {"s": schema},
        ).scalars()
        assert set(tables) == {
            *("events", "articles", "claims", "findings", "reviews", "store_meta"),
            "alembic_version",  # the schema revision (checker/workspace/migrations)
        }
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
