"""Incremental ingest: read articles into the store, group them into events, check changed events.

``crossclaim ingest PATH... --db FILE`` runs :func:`ingest_paths`:

1. read the files (``claims.readers.read_bundle``); unreadable files become one-line problems and
   the rest is still ingested;
2. compute each new article's title+lead features (:mod:`checker.workspace.events`), one
   article at a time when the batch fails: an article whose features cannot be computed is
   refused with a one-line problem and is not stored;
3. store each article together with its features in one transaction
   (:func:`checker.workspace.store.save_articles`): the same article again changes nothing, a
   changed article becomes a new version. No stored article ever lacks features, so no article
   can make every later ingest fail;
4. regroup the latest versions into events (rows stored without features by older versions get
   them here, with the same per-article isolation);
5. recompute findings for every event whose members changed since its last check (a check that
   crashed half-way is redone next time), one transaction per event; an article the checker could
   not read becomes a problem line, and the other articles' findings are kept.

A process killed at any point leaves the store consistent: each step is one transaction, and
the next ingest finishes what was left (``benchmarks/ingest_kill.py`` kills it at random points).

>>> from checker.report import Report
>>> from checker.workspace.store import connect
>>> engine = connect("sqlite://")
>>> result = ingest_articles(engine, [], [], check=lambda arts: Report([], [], {}))
>>> (result.added, result.versioned, result.unchanged, result.checked)
(0, 0, 0, {})
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Engine

from checker.report import Report
from checker.settings import Settings
from checker.workspace.events import (
    ArticleFeatures,
    Embedder,
    EventSettings,
    compute_features,
    group_features,
)
from checker.workspace.store import (
    StoredArticle,
    connect,
    content_id,
    event_members,
    events_needing_check,
    latest_articles,
    members_signature,
    resolve_orphaned_findings,
    save_articles,
    save_event_findings,
    save_features,
    set_events,
    stored_content_ids,
    unique_article_ids,
)
from claims.records import Article, InputProblem

log = logging.getLogger(__name__)

#: runs the checker on one event's articles (``check_articles`` with fixed settings).
CheckFunction = Callable[[list[Article]], Report]


@dataclass
class IngestResult:
    """What one ingest did."""

    added: int = 0
    versioned: int = 0
    unchanged: int = 0
    problems: list[InputProblem] = field(default_factory=list)
    events: int = 0
    #: event id -> (findings stored, findings resolved) for each event re-checked.
    checked: dict[str, tuple[int, int]] = field(default_factory=dict)
    #: one line per event whose check failed (its old findings are kept; retried next ingest).
    failures: list[str] = field(default_factory=list)


def pipeline_check(settings: Settings, models: Any = None) -> CheckFunction:
    """The real checker: ``checker.pipeline.check_articles`` with ``settings`` (and ``models``,
    loaded once and shared by every event of an ingest)."""
    from checker.pipeline import check_articles, load_models

    models = models or load_models(settings)

    def check(articles: list[Article]) -> Report:
        return check_articles(articles, [], settings, models=models)

    return check


def _features_of(stored: StoredArticle) -> ArticleFeatures | None:
    if stored.embedding is None or stored.entities is None:
        return None
    from checker.workspace.events import event_title
    from checker.workspace.store import identity_key

    return ArticleFeatures(
        key=stored.content_id,
        identity=identity_key(stored.article),
        vector=stored.embedding,
        entities=frozenset(stored.entities),
        published=stored.article.published,
        title=event_title(stored.article),
        outlet=stored.article.outlet,
    )


def _one_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0]}"[:300] if lines else type(exc).__name__


@dataclass
class FeatureBatch:
    """Features computed for a batch of articles, and the articles that had none."""

    #: content id -> (title+lead embedding, story entities).
    features: dict[str, tuple[Any, list[str]]] = field(default_factory=dict)
    #: content id -> one-line reason the article's features could not be computed.
    failed: dict[str, str] = field(default_factory=dict)


def features_for(
    articles: Sequence[Article],
    keys: Sequence[str],
    embedder: Embedder,
    nlp: Any,
    event_settings: EventSettings,
) -> FeatureBatch:
    """Event features of ``articles`` (keyed by ``keys``): in one batch, or, when the batch
    fails, one article at a time so that one bad article cannot cost the others theirs."""
    batch = FeatureBatch()
    if not articles:
        return batch
    try:
        computed = compute_features(articles, embedder, nlp, event_settings, keys=keys)
    except Exception:  # noqa: BLE001 - retried one by one below, to find the bad article
        log.debug("batch feature computation failed; retrying one article at a time", exc_info=True)
        computed = []
        for article, key in zip(articles, keys, strict=True):
            try:
                computed += compute_features([article], embedder, nlp, event_settings, keys=[key])
            except Exception as exc:  # noqa: BLE001 - one article's failure is its problem only
                log.debug("features of %s failed", article.source, exc_info=True)
                batch.failed[key] = _one_line(exc)
    for item in computed:
        batch.features[item.key] = (item.vector, sorted(item.entities))
    return batch


def regroup_events(
    engine: Engine,
    event_settings: EventSettings,
    embedder_factory: Callable[[], Embedder],
    nlp_factory: Callable[[], Any],
    failures: list[str] | None = None,
) -> int:
    """Compute missing features, regroup all latest articles into events; returns the count.

    The embedder and spaCy are only loaded when some article lacks features (rows stored by an
    older crossclaim, which saved articles before their features). A row whose features cannot
    be computed gets neutral ones (a zero vector, no entities: an event of its own) and a line in
    ``failures``, so it can never stop this or any later ingest.
    """
    latest = latest_articles(engine)
    missing = [s for s in latest if _features_of(s) is None]
    if missing:
        embedder = embedder_factory()
        batch = features_for(
            [s.article for s in missing],
            [s.content_id for s in missing],
            embedder,
            nlp_factory(),
            event_settings,
        )
        if batch.failed:
            width = next((len(v) for v, _ in batch.features.values()), 0)
            if not width:
                width = int(np.asarray(embedder.encode(["."])).shape[-1])
            for stored in missing:
                reason = batch.failed.get(stored.content_id)
                if reason is not None:
                    batch.features[stored.content_id] = (np.zeros(width, dtype=np.float32), [])
                    if failures is not None:
                        failures.append(
                            f"{stored.article.source}: event features failed ({reason}); "
                            "kept as an event of its own"
                        )
        save_features(engine, batch.features)
        latest = latest_articles(engine)
    features = [f for f in (_features_of(s) for s in latest) if f is not None]
    events = group_features(features, event_settings)
    set_events(
        engine,
        {e.id: list(e.article_ids) for e in events},
        {e.id: e.title for e in events},
    )
    resolve_orphaned_findings(engine)
    return len(events)


def check_event(engine: Engine, event_id: str, check: CheckFunction) -> tuple[int, int]:
    """Recompute one event's findings on its latest article versions and store them.

    An event with articles from fewer than two outlets has nothing to compare: its findings are
    cleared (resolved) without running the checker.
    """
    counts, _ = check_event_with_problems(engine, event_id, check)
    return counts


def check_event_with_problems(
    engine: Engine, event_id: str, check: CheckFunction
) -> tuple[tuple[int, int], list[InputProblem]]:
    """:func:`check_event`, also returning the problems the checker reported (an article whose
    claims could not be extracted); the other articles' findings are stored all the same."""
    members = event_members(engine, event_id)
    articles = unique_article_ids(members)
    article_map = {a.id: m.content_id for a, m in zip(articles, members, strict=True)}
    signature = members_signature(m.content_id for m in members)
    if len({a.outlet for a in articles}) < 2:
        report = Report(documents=[], findings=[], stats={})
    else:
        report = check(articles)
    counts = save_event_findings(engine, event_id, report, article_map, signature)
    return counts, list(report.problems)


def ingest_articles(
    engine: Engine,
    articles: Sequence[Article],
    problems: Sequence[InputProblem],
    *,
    check: CheckFunction,
    event_settings: EventSettings | None = None,
    embedder_factory: Callable[[], Embedder] | None = None,
    nlp_factory: Callable[[], Any] | None = None,
) -> IngestResult:
    """Store articles, regroup events and re-check the events that changed."""
    event_settings = event_settings or EventSettings()
    if embedder_factory is None:
        from claims.embeddings import load_embedder

        embedder_factory = load_embedder
    if nlp_factory is None:
        from claims.nlp import load_nlp

        nlp_factory = load_nlp
    problems = list(problems)
    keys = [content_id(a) for a in articles]
    known = stored_content_ids(engine, keys)
    fresh: dict[str, Article] = {}
    for key, article in zip(keys, articles, strict=True):
        if key not in known:
            fresh.setdefault(key, article)
    batch = FeatureBatch()
    if fresh:
        batch = features_for(
            list(fresh.values()), list(fresh), embedder_factory(), nlp_factory(), event_settings
        )
    for key, reason in batch.failed.items():
        problems.append(
            InputProblem(fresh[key].source, f"cannot compute event features ({reason})")
        )
    storable = [a for key, a in zip(keys, articles, strict=True) if key not in batch.failed]
    saved = save_articles(engine, storable, batch.features)
    result = IngestResult(
        added=len(saved.added),
        versioned=len(saved.versioned),
        unchanged=len(saved.unchanged),
        problems=problems,
    )
    result.events = regroup_events(
        engine, event_settings, embedder_factory, nlp_factory, result.failures
    )
    for event_id in events_needing_check(engine):
        try:
            result.checked[event_id], found = check_event_with_problems(engine, event_id, check)
            result.problems.extend(p for p in found if p not in result.problems)
        except Exception as exc:  # noqa: BLE001 - one event's failure must not lose the others
            log.debug("checking event %s failed", event_id, exc_info=True)
            message = str(exc).strip().splitlines()
            result.failures.append(
                f"event {event_id}: check failed ({message[0] if message else type(exc).__name__})"
            )
    return result


def ingest_paths(
    db_url: str,
    paths: Sequence[str | Path],
    settings: Settings | None = None,
    *,
    event_settings: EventSettings | None = None,
    check: CheckFunction | None = None,
    embedder_factory: Callable[[], Embedder] | None = None,
    nlp_factory: Callable[[], Any] | None = None,
) -> IngestResult:
    """Read files and folders into the store at ``db_url`` (see the module docstring)."""
    from claims.readers import read_bundle

    settings = settings or Settings()
    articles, problems = read_bundle(
        [Path(p) for p in paths], settings.max_file_bytes, settings.read_limits()
    )
    engine = connect(db_url)
    try:
        if check is None or embedder_factory is None or nlp_factory is None:
            from checker.pipeline import load_models

            models = load_models(settings)
            check = check or pipeline_check(settings, models)
            embedder_factory = embedder_factory or (lambda: models.embedder)
            nlp_factory = nlp_factory or (lambda: models.nlp)
        return ingest_articles(
            engine,
            articles,
            problems,
            check=check,
            event_settings=event_settings or settings.events,
            embedder_factory=embedder_factory,
            nlp_factory=nlp_factory,
        )
    finally:
        engine.dispose()
