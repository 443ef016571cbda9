"""Grouping a large feed into events without comparing every article with every other.

``checker.workspace.events.group_features`` is all-pairs: it multiplies the whole matrix of
title+lead vectors with itself (512 rows at a time, so memory stays bounded, but the work is
``n * n`` dot products) and runs the linking test on every pair above the lower threshold. Here
the same linking test (:func:`checker.workspace.events.linked`) runs only on *candidate* pairs
found by blocking:

1. **Story words.** The title+lead of each article (the text the embedder sees) is cut into
   lower-cased words of 3+ characters, function words dropped. Only words that can tell a story
   apart are kept: those in at least 2 articles of the feed (a word no other article has links
   nothing) and in at most ``max(min_max_df, max_df_share * n)`` articles (a word in a large
   share of the feed, such as "government", says little about which story it is).
2. **MinHash LSH** over those word sets (signatures from ``datasketch``, banding with numpy
   sorts): ``num_perm`` hash functions in ``bands`` bands; two articles are candidates when all
   the rows of one band agree, which happens
   with probability ``1 - (1 - J ** rows) ** bands`` for word-set Jaccard ``J``. With 128 / 64
   bands (2 rows): J = 0.2 -> 0.93, J = 0.3 -> 0.998, J = 0.05 -> 0.15. Articles of one story
   share names and rare words (title+lead word Jaccard 0.21-0.98 between same-story articles of
   the example bundles; at least 0.19 within events of a generated 300-article feed, at most
   0.14 across its events, before the filter); unrelated articles share almost none once
   common words are gone, so the candidates grow about linearly with the feed.
3. **Linking** inside the candidates: the existing test (time window, cosine, shared entities).
   Events are the connected groups of linked articles, as before (single linkage), so an event
   whose every pair is not a candidate is still found when its articles chain together.

What blocking can miss: two articles of one story that share (almost) no story word, linked only
by their embeddings (a retelling in other words, another language). ``benchmarks/batch.py``
measures the events that differ from all-pairs grouping on generated feeds.

An event's id is content-keyed: ``ev-`` and 12 hex digits of sha256 of the content id
(:func:`checker.workspace.identity.content_id`) of its earliest member (earliest publication,
then content id), so it does not depend on file names, folders or reading order, and adding a
later article to a story keeps its id.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from checker.settings import EventSettings
from checker.workspace.events import ArticleFeatures, linked

#: function words of 3+ letters (the filter by document frequency drops the rest of the common
#: words, but on a small feed it cannot tell them apart).
STOPWORDS = frozenset(
    """
    about above after again against all also and any are around because been before being
    below between both but can could did does doing down during each few for from further had
    has have having her here hers herself him himself his how into its itself just last late
    many may more most much must new not now off once one only other our ours out over own per
    said same says she should since some such than that the their theirs them themselves then
    there these they this those three through too two under until upon very was way were what
    when where which while who whom why will with would year years yet you your yours
    """.split()
)

_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class BlockingSettings:
    """How candidate pairs are found (see the module docstring).

    >>> BlockingSettings().rows
    2
    """

    #: MinHash permutations (signature length).
    num_perm: int = 128
    #: LSH bands; ``num_perm // bands`` rows each.
    bands: int = 64
    #: a word in more than this share of the feed's articles is not a story word ...
    max_df_share: float = 0.005
    #: ... unless it is in at most this many (small feeds).
    min_max_df: int = 50
    #: seed of the MinHash permutations (fixed: same feed, same candidates).
    seed: int = 1

    @property
    def rows(self) -> int:
        return self.num_perm // self.bands


def words(text: str) -> frozenset[str]:
    """Lower-cased words of 3+ characters of ``text``, function words dropped.

    >>> sorted(words("Blinken cuts short his trip to Kuala Lumpur; the U.S. said"))
    ['blinken', 'cuts', 'kuala', 'lumpur', 'short', 'trip']
    """
    return frozenset(
        w for w in (m.lower() for m in _WORD.findall(text)) if len(w) >= 3 and w not in STOPWORDS
    )


def story_words(texts: Sequence[str], settings: BlockingSettings) -> list[frozenset[str]]:
    """Each text's words that are in at least 2 and at most the cap of the texts.

    >>> story_words(["Blinken in Jakarta", "Blinken in Kuala Lumpur", "Rain in Oslo"],
    ...             BlockingSettings())
    [frozenset({'blinken'}), frozenset({'blinken'}), frozenset()]
    """
    sets = [words(t) for t in texts]
    df = Counter(w for s in sets for w in s)
    cap = max(settings.min_max_df, int(settings.max_df_share * len(texts)))
    return [frozenset(w for w in s if 2 <= df[w] <= cap) for s in sets]


def signatures(word_sets: Sequence[frozenset[str]], settings: BlockingSettings) -> np.ndarray:
    """MinHash signatures (``datasketch``), one row of ``num_perm`` uint32 values per set."""
    from datasketch import MinHash

    rows = np.zeros((len(word_sets), settings.num_perm), dtype=np.uint32)
    sets = (sorted(w.encode("utf-8") for w in s) for s in word_sets)
    for k, mh in enumerate(MinHash.generator(sets, num_perm=settings.num_perm, seed=settings.seed)):
        rows[k] = mh.hashvalues
    return rows


def _band_keys(band: np.ndarray) -> np.ndarray:
    """One uint64 key per row of a band: exact for 1 or 2 rows, a hash beyond (a collision
    only adds a candidate, which the linking test then rejects)."""
    key = band[:, 0].astype(np.uint64)
    for col in range(1, band.shape[1]):
        if band.shape[1] == 2:
            key = (key << np.uint64(32)) | band[:, 1].astype(np.uint64)
        else:
            key = (key * np.uint64(1_000_003)) ^ band[:, col].astype(np.uint64)
    return key


def candidate_pairs(word_sets: Sequence[frozenset[str]], settings: BlockingSettings) -> np.ndarray:
    """Pairs ``(i, j)``, ``i < j``, of sets that share an LSH bucket in some band, sorted, as an
    ``(m, 2)`` int64 array.

    The banding is done with numpy sorts (about 0.5 KiB of signature per article) rather than
    an index of Python dictionaries (``datasketch.MinHashLSH`` holds about 25 KiB per article
    with 64 bands: 25 GB for a million articles).
    """
    indexed = np.array([i for i, s in enumerate(word_sets) if s], dtype=np.int64)
    if len(indexed) < 2:
        return np.zeros((0, 2), dtype=np.int64)
    sig = signatures([word_sets[i] for i in indexed], settings)
    rows = settings.rows
    found: list[np.ndarray] = []
    for band in range(settings.bands):
        keys = _band_keys(sig[:, band * rows : (band + 1) * rows])
        order = np.argsort(keys, kind="stable")
        ordered = keys[order]
        starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
        sizes = np.diff(np.r_[starts, len(ordered)])
        twos = starts[sizes == 2]  # most buckets that hold anything hold two
        found.append(np.stack([order[twos], order[twos + 1]], axis=1))
        for start, size in zip(starts[sizes > 2], sizes[sizes > 2], strict=True):
            members = order[start : start + size]
            first, second = np.triu_indices(size, 1)
            found.append(np.stack([members[first], members[second]], axis=1))
    pairs = np.sort(np.concatenate(found), axis=1)  # positions into ``indexed``, low first
    codes = np.unique(pairs[:, 0] * len(indexed) + pairs[:, 1])
    low, high = np.divmod(codes, len(indexed))
    return np.stack([indexed[low], indexed[high]], axis=1)


@dataclass(frozen=True)
class BatchEvent:
    """An event of the feed: its content-keyed id and members (content ids), earliest first."""

    id: str
    title: str
    members: tuple[str, ...]  # content ids, earliest first
    outlets: tuple[str, ...]  # sorted, distinct
    first_published: dt.datetime | None

    @property
    def members_key(self) -> str:
        """sha256 of the sorted member content ids: what decides whether it is checked again."""
        return hashlib.sha256("\n".join(sorted(self.members)).encode("ascii")).hexdigest()


@dataclass
class Grouping:
    events: list[BatchEvent]
    candidates: int  # candidate pairs that blocking found
    linked: int  # of which the linking test joined (pairs already in one group are not tested)
    story_words: int  # distinct story words kept


def event_id(content: str) -> str:
    """The id of an event whose earliest member has this content id.

    >>> event_id("0" * 64)
    'ev-60e05bd1b195'
    """
    return "ev-" + hashlib.sha256(content.encode("ascii")).hexdigest()[:12]


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    if value is None or value.tzinfo is None:
        return value
    try:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    except (OverflowError, ValueError):
        return None


def earliest_first(item: ArticleFeatures) -> tuple[Any, ...]:
    """Sort key: publication time (UTC; undated last), then content id (``key``)."""
    published = _utc(item.published)
    return (published is None, published or dt.datetime.min, item.key)


def components(
    features: Sequence[ArticleFeatures], pairs: Sequence[tuple[int, int]]
) -> list[BatchEvent]:
    """Connected groups of ``features`` given linked index pairs, as :class:`BatchEvent` sorted
    by id."""
    parent = list(range(len(features)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in pairs:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)
    groups: dict[int, list[ArticleFeatures]] = {}
    for i, item in enumerate(features):
        groups.setdefault(find(i), []).append(item)
    events = []
    for members in groups.values():
        members.sort(key=earliest_first)
        first = members[0]
        events.append(
            BatchEvent(
                id=event_id(first.key),
                title=first.title,
                members=tuple(m.key for m in members),
                outlets=tuple(sorted({m.outlet for m in members})),
                first_published=first.published,
            )
        )
    return sorted(events, key=lambda e: e.id)


def group_blocked(
    features: Sequence[ArticleFeatures],
    texts: Sequence[str],
    settings: EventSettings,
    blocking: BlockingSettings | None = None,
) -> Grouping:
    """Events of ``features`` (``key`` = content id) linked inside MinHash LSH blocks of their
    title+lead ``texts``."""
    blocking = blocking or BlockingSettings()
    sets = story_words(texts, blocking)
    candidates = candidate_pairs(sets, blocking)
    parent = list(range(len(features)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    linked_pairs: list[tuple[int, int]] = []
    for i, j in candidates.tolist():
        ri, rj = find(i), find(j)
        if ri != rj and linked(features[i], features[j], settings):
            parent[max(ri, rj)] = min(ri, rj)
            linked_pairs.append((i, j))
    return Grouping(
        events=components(features, linked_pairs),
        candidates=len(candidates),
        linked=len(linked_pairs),
        story_words=len(set().union(*sets)) if sets else 0,
    )


def group_all_pairs(features: Sequence[ArticleFeatures], settings: EventSettings) -> Grouping:
    """The same events computed all-pairs by ``checker.workspace.events.group_features`` (for
    comparison: benchmarks and tests), with content-keyed ids."""
    from checker.workspace.events import group_features

    index = {f.key: i for i, f in enumerate(features)}
    pairs: list[tuple[int, int]] = []
    for event in group_features(features, settings):
        first = index[event.article_ids[0]]
        pairs.extend((first, index[k]) for k in event.article_ids[1:])
    n = len(features)
    return Grouping(components(features, pairs), n * (n - 1) // 2, len(pairs), 0)
