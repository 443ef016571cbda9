"""What grouping needs of each article (title+lead vector and story entities), kept between runs.

``features.sqlite`` in the batch output folder holds, per title+lead text, its vector and its
entities, keyed by sha256 of the text and of what produced them (the cache's producer id: code,
spaCy and English model versions; the embedder's id; the lead and title lengths). A re-run after
new articles arrive computes features only for the new texts. A file that SQLite cannot read is
moved aside (``features.sqlite.bad-<time>``) and rebuilt: features are always recomputable.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import time
from collections.abc import Iterable, Mapping, Sequence
from contextlib import closing
from pathlib import Path

import numpy as np

from checker.settings import EventSettings

log = logging.getLogger(__name__)

FEATURES_FILE = "features.sqlite"
#: bump when what a stored entry means changes.
FEATURES_VERSION = "1"
_LOOKUP_CHUNK = 500
_SCHEMA = """
CREATE TABLE IF NOT EXISTS features (key TEXT PRIMARY KEY, vector BLOB NOT NULL,
                                     entities TEXT NOT NULL)
"""


def feature_key(text: str, producer: str, embedder_id: str, settings: EventSettings) -> str:
    """The stored key of one title+lead text's features.

    >>> k = feature_key("Blinken left.", "p", "e", EventSettings())
    >>> k == feature_key("Blinken left.", "p", "e", EventSettings(lead_chars=100))
    False
    """
    raw = "\x1f".join(
        [
            FEATURES_VERSION,
            producer,
            embedder_id,
            str(settings.lead_chars),
            str(settings.title_chars),
            text,
        ]
    )
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class FeatureStore:
    """Vectors and entities by feature key, in one SQLite file."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._init()
        except sqlite3.DatabaseError as exc:
            bad = self.path.with_name(f"{self.path.name}.bad-{int(time.time())}")
            log.warning("%s: unreadable (%s); moved to %s and rebuilt", self.path, exc, bad)
            self.path.replace(bad)
            self._init()

    def _init(self) -> None:
        with closing(sqlite3.connect(self.path)) as conn, conn:
            conn.execute(_SCHEMA)
            conn.execute("SELECT count(*) FROM features").fetchone()

    def load(self, keys: Sequence[str]) -> dict[str, tuple[np.ndarray, frozenset[str]]]:
        """The stored features of those keys that are there (others are simply missing)."""
        found: dict[str, tuple[np.ndarray, frozenset[str]]] = {}
        unique = sorted(set(keys))
        with closing(sqlite3.connect(self.path)) as conn:
            for i in range(0, len(unique), _LOOKUP_CHUNK):
                chunk = unique[i : i + _LOOKUP_CHUNK]
                marks = ",".join("?" * len(chunk))
                rows = conn.execute(
                    f"SELECT key, vector, entities FROM features WHERE key IN ({marks})", chunk
                ).fetchall()
                for key, blob, entities in rows:
                    try:
                        vector = np.frombuffer(blob, dtype="<f4").astype(np.float32)
                        names = json.loads(entities)
                    except (TypeError, ValueError):
                        continue
                    if vector.size and np.isfinite(vector).all() and isinstance(names, list):
                        found[key] = (vector, frozenset(str(n) for n in names))
        return found

    def store(self, items: Mapping[str, tuple[np.ndarray, Iterable[str]]]) -> None:
        """Store features, all in one transaction."""
        rows = [
            (
                key,
                np.asarray(vector, dtype="<f4").tobytes(),
                json.dumps(sorted(entities), ensure_ascii=False),
            )
            for key, (vector, entities) in items.items()
        ]
        with closing(sqlite3.connect(self.path)) as conn, conn:
            conn.executemany("INSERT OR REPLACE INTO features VALUES (?, ?, ?)", rows)
