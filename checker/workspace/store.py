"""The review store: articles (with versions), events, claims, findings and reviews.

A SQLite file by default (``--db review.db``), any SQLAlchemy URL otherwise. PostgreSQL is
tested (``tests/test_store_postgres.py``) with psycopg 3 (``pip install 'crossclaim[postgres]'``):
``postgresql+psycopg://user:password@host:5432/db``; a plain ``postgresql://`` (or ``postgres://``)
URL gets the ``+psycopg`` driver when psycopg is installed (see :func:`database_url`).
Every write is one transaction, so a crash loses at most the write in flight. Engines are made per
call (:func:`connect`); nothing here keeps global state.

Article identity:

* ``content_id`` — sha256 of the normalised text, the outlet and the url. Ingesting the same
  article again finds the same ``content_id`` and changes nothing.
* ``identity`` — the outlet and the url, or the source path and reader id when there is no url.
  A different ``content_id`` under a known ``identity`` is a new *version*; old versions are kept,
  and only the latest version of each article is grouped into events and checked. The outlet is
  part of it because syndicated copies (a wire story run by several outlets) share one url: by
  url alone they became versions of one another and their findings vanished. Stores written
  with url-only identities are migrated when opened (:func:`connect`, ``store_meta``).

Schema versions: the tables are created and changed by Alembic revisions
(``checker/workspace/migrations``), and :func:`connect` upgrades a store to the newest one in one
transaction (:func:`upgrade_schema`). A store written before there were revisions is stamped at
the first revision, whose schema it has, and upgraded from there.

>>> engine = connect("sqlite://")
>>> a = Article(id="cbs", outlet="CBS", text="Blinken left.", source="cbs.md", url="https://x/1")
>>> save_articles(engine, [a]).added == [content_id(a)]
True
>>> save_articles(engine, [a]).unchanged == [content_id(a)]
True
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import json
import logging
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from dataclasses import fields as dataclass_fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np
from sqlalchemy import (
    JSON,
    Boolean,
    Connection,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SQLColumnExpression,
    String,
    Text,
    UniqueConstraint,
    and_,
    create_engine,
    event,
    func,
    inspect,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from sqlalchemy.sql.elements import ColumnElement

from checker.findings import SEVERITY_RANK, VERDICT_RANK, Finding, Place, Side
from checker.report import Report
from checker.workspace.identity import (
    IDENTITY_SCHEME,
    content_id,
    identity_from_fields,
    identity_key,
)
from claims.records import Article

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.engine import CursorResult

log = logging.getLogger(__name__)

#: what a reviewer can decide about a finding, as stored in ``reviews.verdict``.
REVIEW_VERDICTS = ("confirmed", "dismissed", "follow_up")
#: how the review pages name each verdict.
REVIEW_LABELS = {
    "confirmed": "confirmed",
    "dismissed": "dismissed as a false alarm",
    "follow_up": "needs follow-up",
}
#: whose account a reviewer judged wrong, as stored in ``reviews.wrong_side`` (NULL: not said):
#: side a's, side b's, both outlets' or neither (the accounts differ but both hold).
WRONG_SIDES = ("a", "b", "both", "neither")
#: the answers that say some account is wrong: a finding dismissed as a false alarm has none.
WRONG_ACCOUNTS = ("a", "b", "both")
#: a finding that the latest check of its event still produces.
ACTIVE = "active"
#: a finding that the latest check no longer produces (an article changed); kept with its reviews.
RESOLVED = "resolved"
#: a finding that the latest check grouped into another, near-identical one (``grouped_into``):
#: still produced, under the other's fingerprint; its reviews count for that finding.
GROUPED = "grouped"
#: the statuses of findings that the latest check still produces (one way or the other).
PRODUCED = (ACTIVE, GROUPED)


class StoreError(Exception):
    """A store operation that cannot be done (unknown finding, bad verdict, unreadable database)."""


# --------------------------------------------------------------------------------------------
# schema


class Base(DeclarativeBase):
    """Declarative base of the review store's tables."""


class EventRow(Base):
    """An event: articles from different outlets about the same story."""

    __tablename__ = "events"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    title: Mapped[str] = mapped_column(Text, default="")
    #: signature of the member articles when the findings were last computed ("" = never).
    checked_signature: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[str] = mapped_column(String(40))


class ArticleRow(Base):
    """One version of one article."""

    __tablename__ = "articles"
    #: the members of an event (event pages, stale-event scan, events list).
    __table_args__ = (Index("ix_articles_event_id_latest", "event_id", "latest"),)

    content_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    identity: Mapped[str] = mapped_column(Text, index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    latest: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    article_id: Mapped[str] = mapped_column(Text)
    outlet: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    published: Mapped[str | None] = mapped_column(String(40), nullable=True)
    line: Mapped[int] = mapped_column(Integer, default=1)
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)
    source_lines: Mapped[list[int]] = mapped_column(JSON, default=list)
    text: Mapped[str] = mapped_column(Text)
    event_id: Mapped[str | None] = mapped_column(ForeignKey("events.id"), nullable=True)
    ingested_at: Mapped[str] = mapped_column(String(40))
    #: float32 title+lead embedding (events.py), so re-grouping never re-encodes old articles.
    embedding: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    #: normalised named entities of title+lead (events.py).
    entities: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)


class ClaimRow(Base):
    """A claim the last check of an event aligned with another outlet's claim."""

    __tablename__ = "claims"
    __table_args__ = (UniqueConstraint("article", "claim_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article: Mapped[str] = mapped_column(ForeignKey("articles.content_id"), index=True)
    claim_id: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    cluster: Mapped[str] = mapped_column(Text, default="")


class FindingRow(Base):
    """A finding, keyed by its stable fingerprint."""

    __tablename__ = "findings"
    #: the review queue of one event, and the findings an event's re-check may resolve.
    __table_args__ = (Index("ix_findings_event_id_status", "event_id", "status"),)

    fingerprint: Mapped[str] = mapped_column(String(64), primary_key=True)
    event_id: Mapped[str | None] = mapped_column(ForeignKey("events.id"), nullable=True)
    check: Mapped[str] = mapped_column(String(64))
    verdict: Mapped[str] = mapped_column(String(32))
    severity: Mapped[str] = mapped_column(String(16))
    confidence: Mapped[float] = mapped_column(Float)
    explanation: Mapped[str] = mapped_column(Text, default="")
    cluster: Mapped[str] = mapped_column(Text, default="")
    nli: Mapped[dict[str, float] | None] = mapped_column(JSON, nullable=True)
    a: Mapped[dict[str, Any]] = mapped_column(JSON)
    b: Mapped[dict[str, Any]] = mapped_column(JSON)
    a_article: Mapped[str | None] = mapped_column(ForeignKey("articles.content_id"), nullable=True)
    b_article: Mapped[str | None] = mapped_column(ForeignKey("articles.content_id"), nullable=True)
    status: Mapped[str] = mapped_column(String(16), default=ACTIVE, index=True)
    first_seen: Mapped[str] = mapped_column(String(40))
    last_seen: Mapped[str] = mapped_column(String(40))
    #: the reviewer (a name, as typed) the finding is assigned to; None: nobody. A re-check of
    #: the event leaves it as it is.
    assigned_to: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: when it was assigned (None when unassigned).
    assigned_at: Mapped[str | None] = mapped_column(String(40), nullable=True)
    # the fingerprints of the near-identical findings grouped into this one, and their places
    # (``Finding.also_at``); NULL when nothing was grouped (revision 0005)
    grouped_fingerprints: Mapped[list[str] | None] = mapped_column(
        JSON(none_as_null=True), nullable=True
    )
    also_at: Mapped[list[dict[str, Any]] | None] = mapped_column(
        JSON(none_as_null=True), nullable=True
    )
    # status ``grouped``: the finding this one was grouped into (revision 0005)
    grouped_into: Mapped[str | None] = mapped_column(String(64), nullable=True)


class MetaRow(Base):
    """Facts about the store itself (``identity_scheme``: how article identities are written)."""

    __tablename__ = "store_meta"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class ReviewRow(Base):
    """One verdict a reviewer gave a finding; all of a finding's rows are its history."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    fingerprint: Mapped[str] = mapped_column(ForeignKey("findings.fingerprint"), index=True)
    verdict: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    reviewer: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[str] = mapped_column(String(40))
    #: when the reviewer took this verdict back (:func:`undo_last_review`); None: it stands. An
    #: undone verdict stays in the history but no longer decides the finding.
    undone_at: Mapped[str | None] = mapped_column(String(40), nullable=True)
    #: whose account the reviewer judged wrong with this verdict (:data:`WRONG_SIDES`); None: not
    #: said. Part of the verdict: undoing the verdict takes it back too.
    wrong_side: Mapped[str | None] = mapped_column(String(8), nullable=True)


# --------------------------------------------------------------------------------------------
# records handed to callers (plain data, no live session)


@dataclass(frozen=True)
class StoredArticle:
    """An article version as stored."""

    content_id: str
    identity: str
    version: int
    latest: bool
    event_id: str | None
    ingested_at: str
    article: Article
    embedding: np.ndarray | None = None
    entities: tuple[str, ...] | None = None


@dataclass(frozen=True)
class ReviewRecord:
    """One verdict on a finding."""

    id: int
    fingerprint: str
    verdict: str
    note: str
    reviewer: str
    at: str
    undone_at: str | None = None
    #: whose account the reviewer judged wrong (:data:`WRONG_SIDES`); None: not said.
    wrong_side: str | None = None

    @property
    def label(self) -> str:
        return REVIEW_LABELS.get(self.verdict, self.verdict)

    @property
    def undone(self) -> bool:
        """Whether the reviewer took this verdict back."""
        return self.undone_at is not None


@dataclass(frozen=True)
class UndoResult:
    """What :func:`undo_last_review` did: the verdict taken back, and the finding's verdict now
    (the one before it, or None when the finding is unreviewed again)."""

    undone: ReviewRecord
    current: ReviewRecord | None


@dataclass(frozen=True)
class StoredFinding:
    """A finding with where it lives (event, article versions) and its latest review."""

    finding: Finding
    event_id: str | None
    status: str
    a_article: str | None
    b_article: str | None
    first_seen: str
    last_seen: str
    review: ReviewRecord | None = None
    assigned_to: str | None = None
    assigned_at: str | None = None
    #: status ``grouped``: the fingerprint of the finding this one was grouped into.
    grouped_into: str | None = None

    @property
    def fingerprint(self) -> str:
        return self.finding.fingerprint

    @property
    def review_is_own(self) -> bool:
        """Whether the standing verdict was given on this finding itself (not on a finding
        grouped into it, whose verdict stands for the group while it has none of its own)."""
        return self.review is not None and self.review.fingerprint == self.fingerprint

    @property
    def is_open(self) -> bool:
        """Still produced by the latest check, and not yet decided (follow-up stays open)."""
        return self.status == ACTIVE and (self.review is None or self.review.verdict == "follow_up")


@dataclass(frozen=True)
class EventSummary:
    """One line of ``crossclaim events``."""

    id: str
    title: str
    outlets: tuple[str, ...]
    articles: int
    open_findings: int
    first_published: str | None = None


@dataclass
class SaveResult:
    """What :func:`save_articles` did with each article (content ids)."""

    added: list[str] = field(default_factory=list)
    versioned: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.versioned)


# --------------------------------------------------------------------------------------------
# connection


_POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def database_url(db: str) -> str:
    """A ``--db`` value as a SQLAlchemy URL: a URL stays as it is, a path becomes SQLite.

    A PostgreSQL URL without a driver (``postgresql://`` or ``postgres://``) gets psycopg 3
    (``postgresql+psycopg://``) when psycopg is installed: SQLAlchemy before 2.1 would look for
    psycopg2, which crossclaim does not install, and no SQLAlchemy accepts ``postgres://``.
    Without psycopg the URL is left as it is. A URL naming its driver
    (``postgresql+psycopg2://``) is never changed.

    >>> database_url("postgresql+psycopg://u@h/db")
    'postgresql+psycopg://u@h/db'
    >>> database_url("/tmp/review.db")
    'sqlite:////tmp/review.db'
    """
    if "://" in db:
        scheme = next((p for p in _POSTGRES_SCHEMES if db.startswith(p)), None)
        if scheme is not None and _psycopg_installed():
            return "postgresql+psycopg://" + db[len(scheme) :]
        return db
    return f"sqlite:///{Path(db).expanduser().resolve()}"


def _psycopg_installed() -> bool:
    return importlib.util.find_spec("psycopg") is not None


def display_url(db: str) -> str:
    """``db`` for messages: a URL's password is masked (``***``), anything else is unchanged.

    >>> display_url("postgresql+psycopg://ana:s3cret@h/db")
    'postgresql+psycopg://ana:***@h/db'
    >>> display_url("review.db")
    'review.db'
    """
    if "://" not in db:
        return db
    try:
        url = make_url(db)
    except Exception:  # noqa: BLE001 - an unparsable URL has no password we can find
        return db
    if url.password is None:
        return db
    return url.render_as_string(hide_password=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def connect(db_url: str) -> Engine:
    """An engine for ``db_url`` (a URL or a SQLite path), its schema upgraded to the newest
    revision (:func:`upgrade_schema`; a new store is created) and its identities migrated.

    SQLite gets foreign keys and write-ahead logging. Raises :class:`StoreError` with a one-line
    message when the database cannot be opened or upgraded.

    >>> connect("sqlite://").dialect.name
    'sqlite'
    """
    url = database_url(db_url)
    engine: Engine | None = None
    try:
        engine = create_engine(url)
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        upgrade_schema(engine)
        migrate_identities(engine)
    except Exception as exc:  # noqa: BLE001 - any driver error becomes one line
        if engine is not None:
            engine.dispose()
        raise StoreError(f"{display_url(db_url)}: cannot open database ({_one_line(exc)})") from exc
    return engine


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def now_iso() -> str:
    """The current UTC time as ISO 8601 with seconds, e.g. ``2021-12-15T08:42:00+00:00``."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


# --------------------------------------------------------------------------------------------
# schema versions (Alembic)

#: the store's Alembic migrations (``env.py``, ``versions/``), shipped inside the package.
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: the revision whose schema a store written before versioned migrations has.
INITIAL_REVISION = "0001_initial"
#: PostgreSQL advisory lock held while a store is upgraded, so that two processes opening one
#: new store do not both create it ("crosscla", eight bytes of ASCII).
_SCHEMA_LOCK = 0x63726F7373636C61
#: Alembic keeps the migration in progress in module globals (``alembic.context``, ``op``): one
#: upgrade at a time in this process, whatever the database.
_ALEMBIC_RUN = threading.Lock()


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration for the store: no ini file, the scripts from :data:`MIGRATIONS`,
    and ``connection`` for ``env.py`` to run on."""
    from alembic.config import Config

    config = Config()
    # the value goes through ConfigParser interpolation: a "%" in the path must be doubled
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def schema_revision(engine: Engine) -> str | None:
    """The revision a store is at (None: no ``alembic_version``, a new or an unversioned store)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str:
    """The newest revision of the store's schema."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, f"no revisions in {MIGRATIONS}"
    return head


def upgrade_schema(engine: Engine, revision: str = "head") -> None:
    """Upgrade the store to ``revision`` (the newest by default) in one transaction.

    A new database gets every table. A store written before versioned migrations (the store's
    tables, no ``alembic_version``) is stamped at :data:`INITIAL_REVISION` first (tables it
    lacks, such as the ``store_meta`` of older versions, are created), never recreated. A store
    already at ``revision`` costs one lookup. If a revision fails, the transaction is rolled back
    and the store stays at the revision it had. Raises :class:`StoreError` for a store written by
    a newer crossclaim (a revision this one does not know).
    """
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    target = script.get_current_head() if revision == "head" else revision
    if schema_revision(engine) == target:
        return
    known = {s.revision for s in script.walk_revisions()}
    with _ALEMBIC_RUN, _schema_transaction(engine) as conn:
        current = MigrationContext.configure(conn).get_current_heads()  # again, under the lock
        if current == (target,):
            return  # another process upgraded it meanwhile
        unknown = [r for r in current if r not in known]
        if unknown:
            raise StoreError(
                f"the store's schema is at revision {unknown[0]}, which this crossclaim does not"
                " know: it was written by a newer version"
            )
        config = alembic_config(conn)
        if not current and _unversioned_store(conn):
            initial = script.get_revision(INITIAL_REVISION)
            assert initial is not None
            initial.module.schema().create_all(conn, checkfirst=True)
            command.stamp(config, INITIAL_REVISION)
            log.info("store: unversioned schema stamped at %s", INITIAL_REVISION)
        command.upgrade(config, revision)


def _unversioned_store(conn: Connection) -> bool:
    """Whether a database without ``alembic_version`` holds tables of the store."""
    return bool(set(inspect(conn).get_table_names()) & set(Base.metadata.tables))


@contextmanager
def _schema_transaction(engine: Engine) -> Iterator[Connection]:
    """A connection in one transaction that schema changes are part of, committed at the end
    and rolled back on an error; one upgrade at a time.

    SQLite: Python's sqlite3 module runs DDL outside any transaction (it only opens one before
    INSERT/UPDATE/DELETE), so this connection has the module's own transaction handling turned
    off and opens ``BEGIN IMMEDIATE`` itself, which also takes the write lock. PostgreSQL: DDL
    is transactional; an advisory lock makes a second opener wait.
    """
    with engine.connect() as conn:
        if engine.dialect.name != "sqlite":
            with conn.begin():
                if engine.dialect.name == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK})
                yield conn
            return
        raw = conn.connection.driver_connection
        saved = raw.isolation_level  # type: ignore[union-attr]
        raw.isolation_level = None  # type: ignore[union-attr]
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.rollback()
                raise
            conn.commit()
        finally:
            raw.isolation_level = saved  # type: ignore[union-attr]


# --------------------------------------------------------------------------------------------
# article identity


def migrate_identities(engine: Engine) -> int:
    """Rewrite article identities written by an older scheme (url alone) in one transaction,
    renumber each article's versions and mark its latest; returns how many rows changed.

    Articles of different outlets that shared a url had become versions of one another (only
    the last one was checked); after this each is its own article again, and the next ingest
    regroups and re-checks them. Idempotent: a store already on :data:`IDENTITY_SCHEME` is left
    alone after one lookup. The rewrite holds the same lock as a schema upgrade, so two
    processes opening one store do not both do it.
    """
    with Session(engine) as session:
        marker = session.get(MetaRow, "identity_scheme")
        if marker is not None and marker.value == IDENTITY_SCHEME:
            return 0
    with _schema_transaction(engine) as conn, Session(bind=conn) as session:
        marker = session.get(MetaRow, "identity_scheme")  # again, under the lock
        if marker is not None and marker.value == IDENTITY_SCHEME:
            return 0
        rows = session.scalars(select(ArticleRow)).all()
        changed: set[str] = set()
        for row in rows:
            identity = identity_from_fields(row.outlet, row.url, row.source, row.article_id)
            if identity != row.identity:
                changed.update({row.identity, identity})
                row.identity = identity
        groups: dict[str, list[ArticleRow]] = {}
        for row in rows:
            if row.identity in changed:
                groups.setdefault(row.identity, []).append(row)
        moved = 0
        for members in groups.values():
            members.sort(key=lambda r: (r.version, r.ingested_at, r.content_id))
            for number, row in enumerate(members, start=1):
                latest = number == len(members)
                if row.version != number or row.latest != latest:
                    moved += 1
                row.version, row.latest = number, latest
        if marker is None:
            session.add(MetaRow(name="identity_scheme", value=IDENTITY_SCHEME))
        else:
            marker.value = IDENTITY_SCHEME
        session.flush()  # the session joined the lock's transaction, which commits it
    if changed:
        log.info("store: article identities rewritten to %s (%d rows)", IDENTITY_SCHEME, moved)
    return moved


# --------------------------------------------------------------------------------------------
# articles


def _article_from_row(row: ArticleRow) -> Article:
    published = dt.datetime.fromisoformat(row.published) if row.published else None
    return Article(
        id=row.article_id,
        outlet=row.outlet,
        text=row.text,
        source=row.source,
        title=row.title,
        url=row.url,
        published=published,
        line=row.line,
        warnings=tuple(row.warnings or ()),
        source_lines=tuple(row.source_lines or ()),
    )


def _stored_article(row: ArticleRow) -> StoredArticle:
    vector = np.frombuffer(row.embedding, dtype=np.float32) if row.embedding else None
    return StoredArticle(
        content_id=row.content_id,
        identity=row.identity,
        version=row.version,
        latest=row.latest,
        event_id=row.event_id,
        ingested_at=row.ingested_at,
        article=_article_from_row(row),
        embedding=vector,
        entities=tuple(row.entities) if row.entities is not None else None,
    )


def stored_content_ids(engine: Engine, content_ids: Iterable[str]) -> set[str]:
    """Those of ``content_ids`` already stored (any version)."""
    wanted = sorted(set(content_ids))
    found: set[str] = set()
    with Session(engine) as session:
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            found.update(
                session.scalars(
                    select(ArticleRow.content_id).where(ArticleRow.content_id.in_(chunk))
                ).all()
            )
    return found


def save_articles(
    engine: Engine,
    articles: Sequence[Article],
    features: Mapping[str, tuple[np.ndarray, Sequence[str]]] | None = None,
) -> SaveResult:
    """Store articles in one transaction: new ones added, changed ones as new versions.

    An article whose ``content_id`` is already stored is left alone (``unchanged``).
    ``features`` (content id -> event embedding and entities) are stored in the same
    transaction, so a stored article never lacks them when they were computed first: a crash, or
    an article whose features cannot be computed, cannot leave a row that every later ingest
    stumbles on.
    """
    features = features or {}
    result = SaveResult()
    stamp = now_iso()
    with Session(engine) as session, session.begin():
        for article in articles:
            cid = content_id(article)
            if session.get(ArticleRow, cid) is not None:
                result.unchanged.append(cid)
                continue
            identity = identity_key(article)
            previous = session.scalars(
                select(ArticleRow).where(ArticleRow.identity == identity, ArticleRow.latest)
            ).first()
            version = 1
            event_id = None
            if previous is not None:
                previous.latest = False
                version = previous.version + 1
                event_id = previous.event_id
                result.versioned.append(cid)
            else:
                result.added.append(cid)
            session.add(
                ArticleRow(
                    content_id=cid,
                    identity=identity,
                    version=version,
                    latest=True,
                    article_id=article.id,
                    outlet=article.outlet,
                    title=article.title,
                    url=article.url,
                    source=article.source,
                    published=article.published.isoformat() if article.published else None,
                    line=article.line,
                    warnings=list(article.warnings),
                    source_lines=list(article.source_lines),
                    text=article.text,
                    event_id=event_id,
                    ingested_at=stamp,
                    **_feature_columns(features.get(cid)),
                )
            )
            session.flush()
    return result


def _feature_columns(
    features: tuple[np.ndarray, Sequence[str]] | None,
) -> dict[str, Any]:
    if features is None:
        return {}
    vector, entities = features
    return {
        "embedding": np.asarray(vector, dtype=np.float32).tobytes(),
        "entities": sorted(entities),
    }


def latest_articles(engine: Engine) -> list[StoredArticle]:
    """The latest version of every stored article, oldest ingest first."""
    with Session(engine) as session:
        rows = session.scalars(
            select(ArticleRow)
            .where(ArticleRow.latest)
            .order_by(ArticleRow.ingested_at, ArticleRow.content_id)
        ).all()
        return [_stored_article(row) for row in rows]


def get_article(engine: Engine, cid: str) -> StoredArticle | None:
    """One stored article version by content id, or None."""
    with Session(engine) as session:
        row = session.get(ArticleRow, cid)
        return _stored_article(row) if row is not None else None


def article_versions(engine: Engine, identity: str) -> list[StoredArticle]:
    """Every stored version of one article, oldest first."""
    with Session(engine) as session:
        rows = session.scalars(
            select(ArticleRow).where(ArticleRow.identity == identity).order_by(ArticleRow.version)
        ).all()
        return [_stored_article(row) for row in rows]


def save_features(engine: Engine, features: Mapping[str, tuple[np.ndarray, Sequence[str]]]) -> None:
    """Keep each article's event features (embedding, entities) so they are computed once."""
    with Session(engine) as session, session.begin():
        for cid, (vector, entities) in features.items():
            row = session.get(ArticleRow, cid)
            if row is not None:
                for name, value in _feature_columns((vector, entities)).items():
                    setattr(row, name, value)


# --------------------------------------------------------------------------------------------
# events


def members_signature(content_ids: Iterable[str]) -> str:
    """A hash of an event's member article versions; it changes when any member changes.

    >>> members_signature(["b", "a"]) == members_signature(["a", "b"])
    True
    """
    return hashlib.sha256("\n".join(sorted(content_ids)).encode("ascii")).hexdigest()


def set_events(engine: Engine, membership: dict[str, list[str]], titles: dict[str, str]) -> None:
    """Record event membership (event id -> latest article content ids) in one transaction.

    Events that lose all members keep their row (their findings and reviews stay reachable).
    """
    stamp = now_iso()
    with Session(engine) as session, session.begin():
        for event_id, members in membership.items():
            row = session.get(EventRow, event_id)
            if row is None:
                session.add(EventRow(id=event_id, title=titles.get(event_id, ""), created_at=stamp))
            else:
                row.title = titles.get(event_id, row.title)
            session.flush()
            if members:
                session.execute(
                    update(ArticleRow)
                    .where(ArticleRow.content_id.in_(members))
                    .values(event_id=event_id)
                )


def event_members(engine: Engine, event_id: str) -> list[StoredArticle]:
    """The latest article versions of one event, earliest published first."""
    with Session(engine) as session:
        rows = session.scalars(
            select(ArticleRow)
            .where(ArticleRow.event_id == event_id, ArticleRow.latest)
            # NULLs first as SQLite does by default (PostgreSQL puts them last)
            .order_by(ArticleRow.published.asc().nulls_first(), ArticleRow.content_id)
        ).all()
        return [_stored_article(row) for row in rows]


def events_needing_check(engine: Engine) -> list[str]:
    """Events whose members changed since their findings were computed (crash-safe: a check
    that died half-way is redone on the next ingest)."""
    with Session(engine) as session:
        events = session.scalars(select(EventRow).order_by(EventRow.id)).all()
        stale = []
        for row in events:
            members = session.scalars(
                select(ArticleRow.content_id).where(
                    ArticleRow.event_id == row.id, ArticleRow.latest
                )
            ).all()
            if members and members_signature(members) != row.checked_signature:
                stale.append(row.id)
        return stale


def resolve_orphaned_findings(engine: Engine) -> int:
    """Mark ``resolved`` the active findings of events left without articles (after two events
    merged, say); returns how many. Their reviews stay."""
    with Session(engine) as session, session.begin():
        with_members = select(ArticleRow.event_id).where(
            ArticleRow.latest, ArticleRow.event_id.is_not(None)
        )
        rows = session.scalars(
            select(FindingRow).where(
                FindingRow.status.in_(PRODUCED),
                FindingRow.event_id.is_not(None),
                FindingRow.event_id.not_in(with_members),
            )
        ).all()
        for row in rows:
            row.status = RESOLVED
            row.grouped_into = None
        return len(rows)


def event_exists(engine: Engine, event_id: str) -> bool:
    """Whether an event id is known."""
    with Session(engine) as session:
        return session.get(EventRow, event_id) is not None


def list_events(engine: Engine, search: str | None = None) -> list[EventSummary]:
    """Every event with members, newest first: id, title, outlets, article count, open findings.

    ``search`` (blank: no filter) keeps the events whose title or a member's outlet name holds
    it, or that have a finding (any status) whose sentences or outlets hold it
    (:func:`finding_matches`).
    """
    findings_by_event: dict[str, int] = {}
    for stored in list_findings(engine, only_open=True):
        if stored.event_id:
            findings_by_event[stored.event_id] = findings_by_event.get(stored.event_id, 0) + 1
    with Session(engine) as session:
        query = select(EventRow)
        if search and search.strip():
            needle = search.strip()
            query = query.where(
                or_(
                    _contains(EventRow.title, needle),
                    EventRow.id.in_(
                        select(ArticleRow.event_id).where(
                            ArticleRow.latest, _contains(ArticleRow.outlet, needle)
                        )
                    ),
                    EventRow.id.in_(
                        select(FindingRow.event_id).where(
                            FindingRow.event_id.is_not(None), finding_matches(needle)
                        )
                    ),
                )
            )
        summaries = []
        for row in session.scalars(query).all():
            members = session.scalars(
                select(ArticleRow).where(ArticleRow.event_id == row.id, ArticleRow.latest)
            ).all()
            if not members:
                continue
            dates = sorted(m.published for m in members if m.published)
            summaries.append(
                EventSummary(
                    id=row.id,
                    title=row.title,
                    outlets=tuple(sorted({m.outlet for m in members})),
                    articles=len(members),
                    open_findings=findings_by_event.get(row.id, 0),
                    first_published=dates[0] if dates else None,
                )
            )
    summaries.sort(key=lambda s: (s.first_published or "", s.id), reverse=True)
    return summaries


def unique_article_ids(stored: Sequence[StoredArticle]) -> list[Article]:
    """The articles with reader ids made unique (``cbs``, ``cbs-2``) for one pipeline run."""
    seen: set[str] = set()
    result = []
    for item in stored:
        article = item.article
        base = article.id or item.content_id[:12]
        candidate, n = base, 1
        while candidate in seen:
            n += 1
            candidate = f"{base}-{n}"
        seen.add(candidate)
        if candidate != article.id:
            article = replace(article, id=candidate)
        result.append(article)
    return result


def articles_for_event(db_url: str, event_id: str) -> list[Article]:
    """The latest versions of an event's articles, ready for ``check_articles``.

    Raises :class:`StoreError` naming the event when it is unknown.
    """
    engine = connect(db_url)
    try:
        if not event_exists(engine, event_id):
            raise StoreError(
                f"{display_url(db_url)}: no event with id {event_id!r} (see `crossclaim events`)"
            )
        return unique_article_ids(event_members(engine, event_id))
    finally:
        engine.dispose()


# --------------------------------------------------------------------------------------------
# findings


_PLACE_FIELDS = frozenset(f.name for f in dataclass_fields(Place))


def _place_from_dict(data: Mapping[str, Any]) -> Place:
    return Place(**{k: v for k, v in data.items() if k in _PLACE_FIELDS})


def _finding_from_row(row: FindingRow) -> Finding:
    return Finding(
        verdict=row.verdict,
        check=row.check,
        severity=row.severity,
        confidence=row.confidence,
        explanation=row.explanation,
        a=Side(**row.a),
        b=Side(**row.b),
        cluster=row.cluster,
        nli=dict(row.nli) if row.nli else None,
        fingerprint=row.fingerprint,
        also_at=[_place_from_dict(p) for p in row.also_at or []],
    )


def _grouped(row: FindingRow) -> list[str]:
    """The fingerprints of the findings grouped into ``row`` (not its own)."""
    return [fp for fp in row.grouped_fingerprints or [] if fp != row.fingerprint]


def _review_from_row(row: ReviewRow) -> ReviewRecord:
    return ReviewRecord(
        id=row.id,
        fingerprint=row.fingerprint,
        verdict=row.verdict,
        note=row.note,
        reviewer=row.reviewer,
        at=row.at,
        undone_at=row.undone_at,
        wrong_side=row.wrong_side,
    )


def save_event_findings(
    engine: Engine,
    event_id: str,
    report: Report,
    article_map: dict[str, str],
    signature: str,
) -> tuple[int, int]:
    """Store one event's freshly computed findings and claims in one transaction.

    ``article_map`` maps the article ids used in the run to content ids. Each finding is
    stored with the fingerprints and places of the near-identical findings grouped into it
    (``Finding.also_at``). A stored finding whose fingerprint the run grouped into another
    becomes ``grouped`` (``grouped_into`` names the other; its reviews count for the group while
    the group has none of its own); the other findings of the event that the run no longer
    produces become ``resolved`` (kept, with their reviews). The event is marked checked with
    ``signature``. Returns (findings stored, findings resolved).
    """
    stamp = now_iso()
    with Session(engine) as session, session.begin():
        seen: set[str] = set()
        #: fingerprint of a finding grouped away -> the fingerprint of the group's finding
        grouped_into: dict[str, str] = {}
        for finding in report.findings:
            if not finding.fingerprint or finding.fingerprint in seen:
                continue
            seen.add(finding.fingerprint)
            grouped = [fp for fp in finding.fingerprints() if fp and fp != finding.fingerprint]
            for member in grouped:
                grouped_into.setdefault(member, finding.fingerprint)
            values: dict[str, Any] = {
                "event_id": event_id,
                "check": finding.check,
                "verdict": finding.verdict,
                "severity": finding.severity,
                "confidence": float(finding.confidence),
                "explanation": finding.explanation,
                "cluster": finding.cluster,
                "nli": {k: float(v) for k, v in finding.nli.items()} if finding.nli else None,
                "a": asdict(finding.a),
                "b": asdict(finding.b),
                "a_article": article_map.get(finding.a.article),
                "b_article": article_map.get(finding.b.article),
                "status": ACTIVE,
                "last_seen": stamp,
                "grouped_fingerprints": grouped or None,
                "also_at": [asdict(p) for p in finding.also_at] or None,
                "grouped_into": None,
            }
            row = session.get(FindingRow, finding.fingerprint)
            if row is None:
                session.add(FindingRow(fingerprint=finding.fingerprint, first_seen=stamp, **values))
            else:
                for key, value in values.items():
                    setattr(row, key, value)
        resolved = 0
        grouped_away = [fp for fp in grouped_into if fp not in seen]
        for row in session.scalars(
            select(FindingRow).where(
                or_(
                    and_(FindingRow.event_id == event_id, FindingRow.status.in_(PRODUCED)),
                    FindingRow.fingerprint.in_(grouped_away),
                )
            )
        ).all():
            if row.fingerprint in seen:
                continue
            if row.fingerprint in grouped_into:
                row.status = GROUPED
                row.grouped_into = grouped_into[row.fingerprint]
                row.event_id = event_id
                row.last_seen = stamp
            else:
                row.status = RESOLVED
                row.grouped_into = None
                resolved += 1
        members = set(article_map.values())
        for cluster in report.clusters:
            for claim in cluster.claims:
                article = _claim_article(claim, article_map)
                if article is None or article not in members:
                    continue
                existing = session.scalars(
                    select(ClaimRow).where(
                        ClaimRow.article == article, ClaimRow.claim_id == str(claim.get("id"))
                    )
                ).first()
                if existing is None:
                    session.add(
                        ClaimRow(
                            article=article,
                            claim_id=str(claim.get("id")),
                            start=int(claim.get("start", 0)),
                            end=int(claim.get("end", 0)),
                            text=str(claim.get("text", "")),
                            cluster=cluster.id,
                        )
                    )
                    session.flush()
        event_row = session.get(EventRow, event_id)
        if event_row is not None:
            event_row.checked_signature = signature
    return len(seen), resolved


def _claim_article(claim: dict[str, Any], article_map: dict[str, str]) -> str | None:
    """The content id of a cluster claim: its ``article`` key, else the article id that claim
    ids start with (``{article.id}:{offset}``)."""
    article = claim.get("article")
    if article in article_map:
        return article_map[article]
    prefix = str(claim.get("id", "")).rsplit(":", 1)[0]
    return article_map.get(prefix)


def _latest_reviews(session: Session, fingerprints: Sequence[str]) -> dict[str, ReviewRecord]:
    """Each finding's standing verdict: its latest review that was not undone."""
    if not fingerprints:
        return {}
    latest_ids = (
        select(func.max(ReviewRow.id))
        .where(ReviewRow.fingerprint.in_(fingerprints), ReviewRow.undone_at.is_(None))
        .group_by(ReviewRow.fingerprint)
    )
    rows = session.scalars(select(ReviewRow).where(ReviewRow.id.in_(latest_ids))).all()
    return {row.fingerprint: _review_from_row(row) for row in rows}


def _group_review(row: FindingRow, reviews: Mapping[str, ReviewRecord]) -> ReviewRecord | None:
    """A finding's standing verdict: its own, else the latest standing verdict given on a
    finding grouped into it (before the grouping), which stands for the group."""
    own = reviews.get(row.fingerprint)
    if own is not None:
        return own
    members = [reviews[fp] for fp in _grouped(row) if fp in reviews]
    return max(members, key=lambda r: r.id) if members else None


def _stored_findings(session: Session, rows: Sequence[FindingRow]) -> list[StoredFinding]:
    wanted = list(dict.fromkeys(fp for row in rows for fp in [row.fingerprint, *_grouped(row)]))
    reviews = _latest_reviews(session, wanted)
    return [
        StoredFinding(
            finding=_finding_from_row(row),
            event_id=row.event_id,
            status=row.status,
            a_article=row.a_article,
            b_article=row.b_article,
            first_seen=row.first_seen,
            last_seen=row.last_seen,
            review=_group_review(row, reviews),
            assigned_to=row.assigned_to,
            assigned_at=row.assigned_at,
            grouped_into=row.grouped_into,
        )
        for row in rows
    ]


def queue_order(stored: StoredFinding) -> tuple[Any, ...]:
    """Review order: most serious first (verdict, severity), then confidence, event, id."""
    f = stored.finding
    return (
        -VERDICT_RANK.get(f.verdict, 0),
        -SEVERITY_RANK.get(f.severity, 0),
        -f.confidence,
        stored.event_id or "",
        f.fingerprint,
    )


#: characters of a search (:func:`finding_matches`); the review app refuses longer ones.
MAX_SEARCH_CHARS = 200


def _contains(column: SQLColumnExpression[str], needle: str) -> ColumnElement[bool]:
    """``column`` holds ``needle``, ignoring case: ``LIKE`` with a bound parameter whose ``%``,
    ``_`` and the escape character are escaped (a ``%`` searches for a percent sign).

    Case is ignored as the database ignores it: SQLite compares ``lower()`` of both sides, which
    folds ASCII letters only; PostgreSQL uses ``ILIKE``, which folds every letter.
    """
    return column.icontains(needle, autoescape=True)


def finding_matches(search: str) -> ColumnElement[bool]:
    """A SQL condition: the text of either side's sentence, or either side's outlet name, holds
    ``search`` (case folded, ``%`` and ``_`` literal; see :func:`_contains`). The sides are JSON
    columns; their ``text`` and ``outlet`` are read with the database's JSON functions
    (SQLite ``JSON_EXTRACT``, PostgreSQL ``->>``), so escaped characters are compared decoded.
    """
    fields = [
        FindingRow.a["text"].as_string(),
        FindingRow.b["text"].as_string(),
        FindingRow.a["outlet"].as_string(),
        FindingRow.b["outlet"].as_string(),
    ]
    return or_(*(_contains(field, search) for field in fields))


def list_findings(
    engine: Engine,
    *,
    event_id: str | None = None,
    only_open: bool = False,
    include_resolved: bool = False,
    search: str | None = None,
    assigned_to: str | None = None,
) -> list[StoredFinding]:
    """Findings in review order, optionally one event's, only open ones, or with resolved ones.

    ``search`` keeps the findings whose sentences or outlet names hold it
    (:func:`finding_matches`; blank: no filter); ``assigned_to`` those assigned to that reviewer
    (the name compared without regard to case and surrounding spaces).
    """
    with Session(engine) as session:
        query = select(FindingRow)
        if event_id is not None:
            query = query.where(FindingRow.event_id == event_id)
        if not include_resolved or only_open:
            query = query.where(FindingRow.status == ACTIVE)
        if search and search.strip():
            query = query.where(finding_matches(search.strip()))
        if assigned_to is not None:
            query = query.where(func.lower(FindingRow.assigned_to) == assigned_to.strip().lower())
        stored = _stored_findings(session, session.scalars(query).all())
    if only_open:
        stored = [s for s in stored if s.is_open]
    return sorted(stored, key=queue_order)


def get_finding(engine: Engine, fingerprint: str) -> StoredFinding | None:
    """One finding with its latest review, or None."""
    with Session(engine) as session:
        row = session.get(FindingRow, fingerprint)
        return _stored_findings(session, [row])[0] if row is not None else None


# --------------------------------------------------------------------------------------------
# reviews


def check_wrong_side(verdict: str, wrong_side: str | None) -> str | None:
    """``wrong_side`` as stored: one of :data:`WRONG_SIDES` (case and surrounding spaces
    ignored), or None for blank / not said. Raises :class:`StoreError` (one line) for any other
    value, and for a wrong account (``a``, ``b``, ``both``) on a finding ``dismissed`` as a false
    alarm (a false alarm has no wrong account: ``neither`` or not said).

    >>> check_wrong_side("confirmed", " B "), check_wrong_side("confirmed", "")
    ('b', None)
    >>> check_wrong_side("confirmed", "Wire")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    checker.workspace.store.StoreError: unknown wrong side 'Wire': use one of a, b, both, ...
    """
    if wrong_side is None or not wrong_side.strip():
        return None
    value = wrong_side.strip().lower()
    if value not in WRONG_SIDES:
        raise StoreError(
            f"unknown wrong side {wrong_side!r}: use one of {', '.join(WRONG_SIDES)}"
            " (or leave it out: not said)"
        )
    if verdict == "dismissed" and value in WRONG_ACCOUNTS:
        raise StoreError(
            f"a finding dismissed as a false alarm has no wrong account (wrong side {value!r}):"
            " say 'neither' or leave it out"
        )
    return value


def add_review(
    engine: Engine,
    fingerprint: str,
    verdict: str,
    note: str = "",
    reviewer: str = "",
    wrong_side: str | None = None,
) -> ReviewRecord:
    """Record a reviewer's verdict on a finding, in one transaction.

    ``verdict`` is one of :data:`REVIEW_VERDICTS`; ``wrong_side`` says whose account the
    reviewer judged wrong (:func:`check_wrong_side`; None: not said), recorded in the same row,
    so an undo of the verdict takes it back too. Raises :class:`StoreError`, writing nothing,
    for an unknown finding, verdict or wrong side.
    """
    if verdict not in REVIEW_VERDICTS:
        raise StoreError(f"unknown verdict {verdict!r}: use one of {', '.join(REVIEW_VERDICTS)}")
    side = check_wrong_side(verdict, wrong_side)
    with Session(engine) as session, session.begin():
        # the finding's row is locked (PostgreSQL) so that an undo never races a new verdict
        if session.get(FindingRow, fingerprint, with_for_update=True) is None:
            raise StoreError(f"no finding with fingerprint {fingerprint!r}")
        row = ReviewRow(
            fingerprint=fingerprint,
            verdict=verdict,
            note=note.strip(),
            reviewer=reviewer.strip(),
            at=now_iso(),
            wrong_side=side,
        )
        session.add(row)
        session.flush()
        record = _review_from_row(row)
    return record


def undo_last_review(
    engine: Engine, reviewer: str, fingerprint: str | None = None
) -> UndoResult | None:
    """Take back ``reviewer``'s most recent verdict (on ``fingerprint`` when given), in one
    transaction: the finding goes back to the verdict it had before (an earlier one, or none).

    The verdict is marked undone (``reviews.undone_at``), never deleted: the history keeps it.
    Whose account it judged wrong (``reviews.wrong_side``) is part of it and goes with it: the
    finding's wrong side is again the earlier verdict's (or none). Returns None when the
    reviewer has no standing verdict to take back. Raises :class:`StoreError`, writing nothing,
    for an unknown finding, or when someone gave the finding a verdict after the reviewer's
    (undoing it would not change what stands).
    """
    reviewer = reviewer.strip()
    if not reviewer:
        return None
    with Session(engine) as session, session.begin():
        if fingerprint is not None:
            if session.get(FindingRow, fingerprint, with_for_update=True) is None:
                raise StoreError(f"no finding with fingerprint {fingerprint!r}")
        query = select(ReviewRow).where(
            ReviewRow.reviewer == reviewer, ReviewRow.undone_at.is_(None)
        )
        if fingerprint is not None:
            query = query.where(ReviewRow.fingerprint == fingerprint)
        row = session.scalars(query.order_by(ReviewRow.id.desc()).limit(1)).first()
        if row is None:
            return None
        if fingerprint is None:
            session.get(FindingRow, row.fingerprint, with_for_update=True)
        standing = select(ReviewRow).where(
            ReviewRow.fingerprint == row.fingerprint, ReviewRow.undone_at.is_(None)
        )
        later = session.scalars(
            standing.where(ReviewRow.id > row.id).order_by(ReviewRow.id.desc()).limit(1)
        ).first()
        if later is not None:
            raise StoreError(
                f"{reviewer}'s verdict ({REVIEW_LABELS.get(row.verdict, row.verdict)}) was"
                f" followed by {later.reviewer or 'another reviewer'}'s"
                f" ({REVIEW_LABELS.get(later.verdict, later.verdict)}); nothing was undone"
            )
        stamp = now_iso()
        # only if still standing: a second undo of the same verdict changes nothing
        done = session.execute(
            update(ReviewRow)
            .where(ReviewRow.id == row.id, ReviewRow.undone_at.is_(None))
            .values(undone_at=stamp)
            .execution_options(synchronize_session=False)
        )
        if cast("CursorResult[Any]", done).rowcount != 1:
            raise StoreError("the verdict was undone meanwhile; nothing was changed")
        undone = replace(_review_from_row(row), undone_at=stamp)
        previous = session.scalars(
            standing.where(ReviewRow.id < row.id).order_by(ReviewRow.id.desc()).limit(1)
        ).first()
        current = _review_from_row(previous) if previous is not None else None
    return UndoResult(undone=undone, current=current)


def assign_finding(engine: Engine, fingerprint: str, assignee: str) -> str | None:
    """Assign a finding to a reviewer by name, in one transaction; a blank name unassigns it.
    Returns the name now assigned (None: nobody). Raises :class:`StoreError` for an unknown
    finding."""
    name = assignee.strip() or None
    with Session(engine) as session, session.begin():
        row = session.get(FindingRow, fingerprint, with_for_update=True)
        if row is None:
            raise StoreError(f"no finding with fingerprint {fingerprint!r}")
        if row.assigned_to != name:
            row.assigned_to = name
            row.assigned_at = now_iso() if name is not None else None
    return name


def finding_history(
    engine: Engine, fingerprint: str, *, with_grouped: bool = False
) -> list[ReviewRecord]:
    """Every verdict given on a finding, oldest first, those taken back included
    (:attr:`ReviewRecord.undone`); with ``with_grouped``, also those given on the findings
    grouped into it (their :attr:`ReviewRecord.fingerprint` names which)."""
    with Session(engine) as session:
        prints = [fingerprint]
        if with_grouped:
            row = session.get(FindingRow, fingerprint)
            prints += _grouped(row) if row is not None else []
        rows = session.scalars(
            select(ReviewRow).where(ReviewRow.fingerprint.in_(prints)).order_by(ReviewRow.id)
        ).all()
        return [_review_from_row(row) for row in rows]


def decided_findings(engine: Engine) -> list[StoredFinding]:
    """Findings whose latest review is a decision (confirmed or dismissed), resolved included."""
    stored = list_findings(engine, include_resolved=True)
    return [s for s in stored if s.review is not None and s.review.verdict != "follow_up"]


# --------------------------------------------------------------------------------------------
# raw rows for exports


def table_rows(engine: Engine, table: str) -> tuple[list[str], list[dict[str, Any]]]:
    """Column names and rows of one table (``articles``, ``claims``, ``findings``, ``reviews``),
    with JSON columns as JSON text and embeddings left out.

    Rows come in SQLite's insertion (rowid) order; other databases have no stable row order
    (PostgreSQL moves updated rows), so there they come in primary-key order.
    """
    models = {
        "articles": ArticleRow,
        "claims": ClaimRow,
        "findings": FindingRow,
        "reviews": ReviewRow,
    }
    model = models[table]
    # the model's ``Table`` (``model.__table__`` is typed as a bare ``FromClause``)
    schema = Base.metadata.tables[model.__tablename__]
    columns = [c.name for c in schema.columns if c.name != "embedding"]
    with Session(engine) as session:
        rows = []
        query = select(model)
        if engine.dialect.name != "sqlite":
            query = query.order_by(*schema.primary_key.columns)
        for obj in session.scalars(query).all():
            record = {}
            for name in columns:
                value = getattr(obj, name)
                if isinstance(value, dict | list):
                    value = json.dumps(value, ensure_ascii=False, sort_keys=True)
                record[name] = value
            rows.append(record)
    return columns, rows
