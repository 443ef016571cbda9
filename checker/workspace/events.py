"""Group loose articles into events: the same story told by different outlets.

Two articles are *linked* when they were published within a time window of each other and
either their title+lead embeddings are very close, or they are fairly close and share named
entities. Events are the connected groups of linked articles (single linkage), so a day's feed
becomes a set of bundles that the checker compares outlet against outlet.

An event's id is a hash of the identity (url, or source path) of its earliest article, so adding
articles to a story, or a new version of one of its articles, keeps the id.

>>> s = EventSettings()
>>> s.window_hours, s.min_similarity, s.strong_similarity, s.min_shared_entities
(72.0, 0.55, 0.75, 2)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from checker.settings import EventSettings
from checker.workspace.identity import identity_key
from claims.records import Article

log = logging.getLogger(__name__)


#: rows of the similarity matrix computed at once (memory: rows x articles x 4 bytes).
_BLOCK_ROWS = 512

#: spaCy entity labels that identify a story (people, organisations, places, events).
STORY_ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "EVENT", "FAC"})


class Embedder(Protocol):
    """What grouping needs from an embedder (``claims.embeddings.load_embedder()``)."""

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class ArticleFeatures:
    """What grouping compares: one article's title+lead vector, entities and date."""

    key: str  # the member id reported in Event.article_ids
    identity: str
    vector: np.ndarray
    entities: frozenset[str]
    published: dt.datetime | None
    title: str
    outlet: str


@dataclass(frozen=True)
class Event:
    """A group of articles about the same story.

    ``article_ids`` are the members' keys (``Article.id`` from :func:`group_into_events`, content
    ids from the store's ingest), earliest first.
    """

    id: str
    title: str
    article_ids: tuple[str, ...]
    outlets: tuple[str, ...]
    first_published: dt.datetime | None = None


def title_and_lead(article: Article, lead_chars: int = 600, title_chars: int = 300) -> str:
    """The title (or first line), cut to ``title_chars``, then the first ``lead_chars``
    characters of the body: bounded whatever the article's size, so spaCy and the embedder
    always get a short text.

    >>> title_and_lead(Article(id="a", outlet="X", text="Blinken left.\\n\\nMore.", source="a",
    ...                        title="Trip cut short"), 20)
    'Trip cut short\\nBlinken left.\\n\\nMore.'
    >>> len(title_and_lead(Article(id="a", outlet="X", text="x" * 2_000_000, source="a")))
    300
    """
    title = article.title.strip()[:title_chars].strip()
    if title:
        text = article.text[: lead_chars + len(article.text) - len(article.text.lstrip())]
    else:
        first, _, rest = article.text.lstrip().partition("\n")
        title = first.strip()[:title_chars].strip()
        text = rest[: lead_chars * 2]
    lead = text.strip()[:lead_chars]
    return f"{title}\n{lead}".strip()


def event_title(article: Article) -> str:
    """The title shown for an event: its earliest article's title or first line."""
    title = article.title.strip() or article.text.strip().partition("\n")[0].strip()
    return title[:200]


_ENTITY_PREFIX = re.compile(r"^(the|a|an)\s+", re.IGNORECASE)
_NON_WORD = re.compile(r"[^\w\s]")


def normalise_entity(text: str) -> str:
    """Lower case, possessive and leading article dropped, punctuation removed.

    >>> normalise_entity("the State Department's")
    'state department'
    >>> normalise_entity("U.S.")
    'us'
    """
    text = text.strip()
    text = re.sub(r"['\u2019]s$", "", text)
    text = _ENTITY_PREFIX.sub("", text)
    text = _NON_WORD.sub("", text)
    return re.sub(r"\s+", " ", text).strip().lower()


def story_entities(doc: Any) -> frozenset[str]:
    """Normalised named entities of a spaCy doc that identify a story."""
    names = set()
    for ent in getattr(doc, "ents", ()):
        if ent.label_ in STORY_ENTITY_LABELS:
            name = normalise_entity(ent.text)
            if len(name) > 1:
                names.add(name)
    return frozenset(names)


def _utc_naive(value: dt.datetime | None) -> dt.datetime | None:
    """``value`` as naive UTC; ``None`` (no date) when it cannot be converted (year 1 with a
    positive offset, 9999-12-31 with a negative one: the readers refuse such dates, but a store
    written before they did may hold them)."""
    if value is None or value.tzinfo is None:
        return value
    try:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    except (OverflowError, ValueError):
        return None


def compute_features(
    articles: Sequence[Article],
    embedder: Embedder,
    nlp: Any,
    settings: EventSettings,
    keys: Sequence[str] | None = None,
) -> list[ArticleFeatures]:
    """Encode title+lead of each article and collect its story entities (one batch each)."""
    texts = [title_and_lead(a, settings.lead_chars, settings.title_chars) for a in articles]
    vectors = embedder.encode(texts) if texts else np.zeros((0, 0), dtype=np.float32)
    docs = list(nlp.pipe(texts)) if texts else []
    keys = list(keys) if keys is not None else [a.id for a in articles]
    return [
        ArticleFeatures(
            key=key,
            identity=identity_key(article),
            vector=np.asarray(vector, dtype=np.float32),
            entities=story_entities(doc),
            published=article.published,
            title=event_title(article),
            outlet=article.outlet,
        )
        for key, article, vector, doc in zip(keys, articles, vectors, docs, strict=True)
    ]


def linked(a: ArticleFeatures, b: ArticleFeatures, settings: EventSettings) -> bool:
    """Whether two articles tell the same story (see the module docstring for the rule)."""
    pa, pb = _utc_naive(a.published), _utc_naive(b.published)
    if pa is not None and pb is not None:
        if abs((pa - pb).total_seconds()) > settings.window_hours * 3600:
            return False
    cosine = float(np.dot(a.vector, b.vector))
    if cosine >= settings.strong_similarity:
        return True
    shared = len(a.entities & b.entities)
    return cosine >= settings.min_similarity and shared >= settings.min_shared_entities


def event_id_for(identity: str) -> str:
    """The stable id of an event whose earliest article has this identity.

    >>> event_id_for("url:https://x/1")
    'ev-0f7bef2b6c84'
    """
    return "ev-" + hashlib.sha256(identity.encode("utf-8")).hexdigest()[:12]


def _earliest_key(features: ArticleFeatures) -> tuple[Any, ...]:
    published = _utc_naive(features.published)
    return (published is None, published or dt.datetime.min, features.identity)


def group_features(features: Sequence[ArticleFeatures], settings: EventSettings) -> list[Event]:
    """Connected groups of linked articles as events, largest first, then by id.

    Similarities are computed a block of rows at a time, so a large feed needs no n-by-n matrix.
    """
    parent = list(range(len(features)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    if features:
        matrix = np.stack([f.vector for f in features]).astype(np.float32)
        threshold = min(settings.min_similarity, settings.strong_similarity)
        for start in range(0, len(features), _BLOCK_ROWS):
            block = matrix[start : start + _BLOCK_ROWS] @ matrix.T
            for row, col in np.argwhere(block >= threshold):
                i, j = start + int(row), int(col)
                if j > i and find(i) != find(j) and linked(features[i], features[j], settings):
                    parent[find(j)] = find(i)
    groups: dict[int, list[ArticleFeatures]] = {}
    for i, item in enumerate(features):
        groups.setdefault(find(i), []).append(item)
    events = []
    for members in groups.values():
        members.sort(key=_earliest_key)
        first = members[0]
        events.append(
            Event(
                id=event_id_for(first.identity),
                title=first.title,
                article_ids=tuple(m.key for m in members),
                outlets=tuple(sorted({m.outlet for m in members})),
                first_published=first.published,
            )
        )
    events.sort(key=lambda e: (-len(e.article_ids), e.id))
    return events


def group_into_events(
    articles: Sequence[Article],
    embedder: Embedder,
    settings: EventSettings | None = None,
    nlp: Any = None,
) -> list[Event]:
    """Group articles into events; members are listed by ``Article.id``.

    ``nlp`` defaults to ``claims.nlp.load_nlp()``.

    >>> from claims.embeddings import load_embedder  # doctest: +SKIP
    >>> events = group_into_events(feed, load_embedder())  # doctest: +SKIP
    >>> [len(e.article_ids) for e in events]  # doctest: +SKIP
    [4, 1]
    """
    settings = settings or EventSettings()
    if nlp is None:
        from claims.nlp import load_nlp

        nlp = load_nlp()
    return group_features(compute_features(articles, embedder, nlp, settings), settings)
