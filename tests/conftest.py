"""Shared fixtures: models are loaded once per test session (they take seconds)."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


@pytest.fixture(autouse=True)
def own_cache_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Each test's ``report`` / ``gate`` runs get a fresh cache folder of their own (the default,
    ``.crossclaim-cache`` in the working directory, would be shared across tests)."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("CROSSCLAIM_CACHE_DIR", str(folder))
    return folder


@pytest.fixture(scope="session")
def nlp():
    from claims.nlp import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def embedder():
    from claims.embeddings import load_embedder

    return load_embedder()


@pytest.fixture(scope="session")
def models(nlp, embedder):
    """Pipeline models sharing the session's spaCy and embedder (NLI loaded on first use)."""
    from checker.pipeline import Models
    from checker.settings import Settings

    m = Models(Settings())
    m._nlp = nlp
    m._embedder = embedder
    return m


# --- Review-store databases -------------------------------------------------------------------
#
# Store-level tests take ``db_url`` and run twice: on a SQLite file and on a real PostgreSQL
# server given by ``CROSSCLAIM_TEST_POSTGRES_URL`` (``postgresql+psycopg://user:pw@host:port/db``;
# ``eval "$(.ci/postgres.sh)"`` starts a throwaway one and prints it). On PostgreSQL each test gets
# its own schema (``search_path`` set through the URL) that is dropped afterwards, so tests never
# see each other's rows and reruns start clean. The PostgreSQL runs are skipped, with the reason,
# when the variable is unset or psycopg is missing.

POSTGRES_URL_VARIABLE = "CROSSCLAIM_TEST_POSTGRES_URL"


def with_search_path(url: str, schema: str) -> str:
    """``url`` whose connections use ``schema`` first (libpq ``options=-csearch_path=...``)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    options = parsed.query.get("options", "")
    options = f"{options} -csearch_path={schema}".strip()
    return parsed.update_query_dict({"options": options}).render_as_string(hide_password=False)


@pytest.fixture
def sqlite_url(tmp_path):
    """A URL for a SQLite review store in a fresh file of its own."""
    return f"sqlite:///{tmp_path / 'review.db'}"


@pytest.fixture
def postgresql_url():
    """A URL for a fresh, empty PostgreSQL schema of its own; the schema is dropped afterwards."""
    import uuid

    server = os.environ.get(POSTGRES_URL_VARIABLE, "")
    if not server:
        pytest.skip(
            f'{POSTGRES_URL_VARIABLE} is not set (eval "$(.ci/postgres.sh)" starts a server)'
        )
    pytest.importorskip(
        "psycopg", reason="the PostgreSQL tests need psycopg (crossclaim[postgres])"
    )
    from sqlalchemy import create_engine, text

    from checker.workspace.store import database_url

    schema = f"crossclaim_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(database_url(server))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield with_search_path(database_url(server), schema)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request):
    """A fresh, empty review store's URL: once on SQLite, once on PostgreSQL (see above)."""
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture
def engine(db_url):
    """An engine on ``db_url`` (tables created), disposed after the test."""
    from checker.workspace.store import connect

    engine = connect(db_url)
    yield engine
    engine.dispose()
