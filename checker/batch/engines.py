"""Where a batch's work runs: in this process (``local``) or on a Ray cluster (``ray``).

Both engines run the same :class:`Worker`: it loads spaCy, the sentence embedder and the NLI
model once and then computes grouping features for chunks of articles and checks whole events
(``checker.pipeline.check_articles``). The local engine has one worker in this process. The Ray
engine starts ``workers`` actors (one CPU and one inference thread each), or joins an existing
cluster with ``address``; the driver keeps the feed, the grouping and every output file, and the
actors only get articles and give back features and report JSON, so the results do not depend on
the engine (``tests/test_batch_ray.py`` checks that they are byte-identical).

Features are computed in chunks of :data:`FEATURE_CHUNK` articles in content-id order on both
engines, so every embedder batch holds the same texts wherever it runs.
"""

from __future__ import annotations

import logging
import os
import resource
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from checker.pipeline import Models, check_articles, load_models
from checker.settings import Settings
from checker.workspace.events import ArticleFeatures, compute_features
from claims.records import Article

log = logging.getLogger(__name__)

#: articles per feature job (one embedder call and one spaCy pipe each).
FEATURE_CHUNK = 256


@dataclass(frozen=True)
class FeatureJob:
    articles: tuple[Article, ...]
    keys: tuple[str, ...]  # content ids, the features' keys


@dataclass(frozen=True)
class CheckJob:
    event_id: str
    articles: tuple[Article, ...]  # earliest first


@dataclass(frozen=True)
class CheckResult:
    event_id: str
    report_json: str  # "" when the check failed
    seconds: float
    error: str = ""  # one line, when the check failed
    worker: str = ""


def peak_rss_mib() -> float:
    """This process's peak resident memory (MiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _one_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0]}"[:300] if lines else type(exc).__name__


def models_with_threads(settings: Settings, threads: int | None) -> Models:
    """Models for ``settings``; with ``threads`` the embedder and the NLI model are loaded now
    with that many ONNX Runtime threads (an actor that owns one CPU must not run one thread per
    core of the machine), else lazily with the default (every core)."""
    models = load_models(settings)
    if threads:
        from checker.nli.backends import load_nli
        from claims.embeddings import build_embedder

        models._embedder = models._timed(
            "embedder", lambda: build_embedder(settings.embedding_model, threads=threads)
        )
        if settings.use_nli:
            models._nli = models._timed(
                "nli",
                lambda: load_nli(
                    settings.nli_model, settings.nli_backend, settings.nli_max_length, threads
                ),
            )
    return models


class Worker:
    """Loads the models once; computes features and checks events (in-process or as an actor)."""

    def __init__(self, settings: Settings, cache_dir: str | None, threads: int | None) -> None:
        self.settings = settings
        self.models = models_with_threads(settings, threads)
        self.cache = None
        if cache_dir:
            from checker.cache import open_cache

            try:
                self.cache = open_cache(Path(cache_dir))
            except OSError as exc:  # a remote node without the folder: run without the cache
                log.warning("%s: cannot use the cache (%s)", cache_dir, exc)
        self.name = f"{os.uname().nodename}:{os.getpid()}"
        self.events = 0
        self.check_seconds = 0.0
        self.feature_seconds = 0.0

    def features(self, job: FeatureJob) -> list[ArticleFeatures]:
        started = time.perf_counter()
        found = compute_features(
            job.articles, self.models.embedder, self.models.nlp, self.settings.events, job.keys
        )
        self.feature_seconds += time.perf_counter() - started
        return found

    def check(self, job: CheckJob) -> CheckResult:
        started = time.perf_counter()
        try:
            report = check_articles(
                list(job.articles), [], self.settings, models=self.models, cache=self.cache
            )
            text, error = report.to_json(), ""
        except Exception as exc:  # one event's failure must not lose the others
            log.debug("checking %s failed", job.event_id, exc_info=True)
            text, error = "", _one_line(exc)
        seconds = time.perf_counter() - started
        self.events += 1
        self.check_seconds += seconds
        return CheckResult(job.event_id, text, round(seconds, 3), error, self.name)

    def stats(self) -> dict[str, Any]:
        return {
            "worker": self.name,
            "events": self.events,
            "check_seconds": round(self.check_seconds, 3),
            "feature_seconds": round(self.feature_seconds, 3),
            "model_load_seconds": dict(self.models.load_seconds),
            "peak_rss_mib": peak_rss_mib(),
        }


class Engine(Protocol):
    name: str
    workers: int

    def features(self, jobs: Sequence[FeatureJob]) -> Iterator[list[ArticleFeatures]]:
        """Features of each job, in the jobs' order."""
        ...

    def check(self, jobs: Sequence[CheckJob]) -> Iterator[CheckResult]:
        """One result per job, in any order."""
        ...

    def worker_stats(self) -> list[dict[str, Any]]: ...

    def close(self) -> None: ...


@dataclass
class LocalEngine:
    """One worker in this process (inference uses every core)."""

    settings: Settings
    cache_dir: str | None
    name: str = "local"
    workers: int = 1
    _worker: Worker | None = field(default=None, repr=False)

    @property
    def worker(self) -> Worker:
        if self._worker is None:
            self._worker = Worker(self.settings, self.cache_dir, None)
        return self._worker

    def features(self, jobs: Sequence[FeatureJob]) -> Iterator[list[ArticleFeatures]]:
        for job in jobs:
            yield self.worker.features(job)

    def check(self, jobs: Sequence[CheckJob]) -> Iterator[CheckResult]:
        for job in jobs:
            yield self.worker.check(job)

    def worker_stats(self) -> list[dict[str, Any]]:
        return [self._worker.stats()] if self._worker is not None else []

    def close(self) -> None:
        self._worker = None


class RayEngine:
    """An actor pool on a Ray cluster: a local one with ``workers`` CPUs, or the cluster at
    ``address`` (``ray://host:10001`` or ``auto``) with ``workers`` actors (default: one per CPU
    of the cluster). Each actor loads the models once."""

    name = "ray"

    def __init__(
        self, settings: Settings, cache_dir: str | None, workers: int | None, address: str | None
    ) -> None:
        import ray
        from ray.util import ActorPool

        self._ray = ray
        self._started = not ray.is_initialized()
        if self._started:
            if address:
                ray.init(address=address, logging_level=logging.WARNING, log_to_driver=False)
            else:
                ray.init(
                    num_cpus=workers or os.cpu_count() or 1,
                    include_dashboard=False,
                    logging_level=logging.WARNING,
                    log_to_driver=False,
                    object_store_memory=256 * 1024 * 1024,
                )
        self.workers = workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
        actor: Any = ray.remote(num_cpus=1)(Worker)
        self._actors: list[Any] = [
            actor.remote(settings, cache_dir, 1) for _ in range(self.workers)
        ]
        self._pool = ActorPool(self._actors)

    def features(self, jobs: Sequence[FeatureJob]) -> Iterator[list[ArticleFeatures]]:
        return self._pool.map(lambda a, job: a.features.remote(job), list(jobs))

    def check(self, jobs: Sequence[CheckJob]) -> Iterator[CheckResult]:
        return self._pool.map_unordered(lambda a, job: a.check.remote(job), list(jobs))

    def worker_stats(self) -> list[dict[str, Any]]:
        return list(self._ray.get([a.stats.remote() for a in self._actors]))

    def close(self) -> None:
        for actor in self._actors:
            self._ray.kill(actor)
        self._actors = []
        if self._started:
            self._ray.shutdown()


def make_engine(
    kind: str,
    settings: Settings,
    cache_dir: str | None,
    workers: int | None = None,
    address: str | None = None,
) -> Engine:
    """The engine ``kind`` (``local`` or ``ray``)."""
    if kind == "local":
        return LocalEngine(settings, cache_dir)
    if kind == "ray":
        return RayEngine(settings, cache_dir, workers, address)
    raise ValueError(f"unknown engine {kind!r}: use local or ray")


def chunked(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    """``items`` in consecutive slices of ``size``.

    >>> [list(c) for c in chunked([1, 2, 3], 2)]
    [[1, 2], [3]]
    """
    for start in range(0, len(items), size):
        yield items[start : start + size]
