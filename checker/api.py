"""crossclaim's Python API: check a bundle of articles from a script or a notebook.

>>> from checker.api import check
>>> report = check(["examples/blinken-2021-12/"])  # doctest: +SKIP
>>> report.stats["contradictions"]  # doctest: +SKIP
2
>>> frame = report.findings_frame()  # doctest: +SKIP
>>> frame.loc[0, ["a_outlet", "a_words", "b_outlet", "b_words"]].tolist()  # doctest: +SKIP
['Business Insider', 'Tuesday', 'Wire story', 'Wednesday']

:func:`check` returns the same :class:`~checker.report.Report` that ``crossclaim report`` renders;
``report.findings_frame()`` and ``report.claims_frame()`` are its flat pandas tables
(:mod:`checker.tables`), ``report.to_json()`` its JSON form. Loaded models are kept for the
next call with the same settings, so checking many bundles pays for loading them once.
docs/python-api.md walks through it with real output.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from checker.report import Report
from checker.settings import Settings, load_settings
from checker.tables import claim_article_id

if TYPE_CHECKING:
    from checker.cache import SqliteCache
    from checker.pipeline import Models
    from claims.records import Article

__all__ = ["Report", "Settings", "check", "check_articles", "with_claim_lines"]

_MODELS: dict[Settings, Models] = {}
_MODELS_LOCK = threading.Lock()


def _settings(
    settings: Settings | str | Path | None, nli: bool | None, rules: str | Path | None
) -> Settings:
    if settings is None or isinstance(settings, str | Path):
        settings = load_settings(settings)
    return settings.with_overrides(
        use_nli=nli, rules_file=str(rules) if rules is not None else None
    )


def _cache(cache_dir: str | Path | None) -> SqliteCache | None:
    if cache_dir is None:
        return None
    from checker.cache import open_cache

    return open_cache(Path(cache_dir))


def models_for(settings: Settings) -> Models:
    """The loaded models for ``settings``, kept for later calls with equal settings (each model
    still loads on first use)."""
    from checker.pipeline import load_models

    try:
        hash(settings)
    except TypeError:  # settings holding a list: not kept
        return load_models(settings)
    with _MODELS_LOCK:
        if settings not in _MODELS:
            _MODELS[settings] = load_models(settings)
        return _MODELS[settings]


def with_claim_lines(report: Report, articles: Sequence[Article]) -> Report:
    """The report with each cluster claim's file ``line`` recorded from the articles it read (a
    title claim taken from an article's metadata gets the article's first line, as findings do),
    so that :meth:`Report.claims_frame` has every claim's line. ``report`` is left unchanged.

    >>> from checker.report import ClusterInfo
    >>> from claims.records import Article
    >>> art = Article(id="a", outlet="A", text="One.\\n\\nTwo left.", source="a.md", line=5)
    >>> cluster = ClusterInfo("c", [{"id": "a:6", "outlet": "A", "text": "Two left.",
    ...                              "start": 6, "end": 15}])
    >>> report = Report(documents=[], findings=[], stats={}, clusters=[cluster])
    >>> with_claim_lines(report, [art]).clusters[0].claims[0]["line"]
    7
    """
    from claims.readers import line_of_offset
    from claims.records import TITLE_CLAIM_SUFFIX

    by_id = {a.id: a for a in articles}
    clusters = []
    for cluster in report.clusters:
        claims = []
        for claim in cluster.claims:
            claim = dict(claim)
            claim_id = str(claim.get("id", ""))
            article = by_id.get(str(claim.get("article") or claim_article_id(claim_id)))
            if article is not None and "line" not in claim:
                if claim_id.endswith(TITLE_CLAIM_SUFFIX):
                    in_jsonl = article.source.endswith(f":{article.line}")
                    claim["line"] = article.line if in_jsonl else 1
                else:
                    claim["line"] = line_of_offset(article, int(claim.get("start") or 0))
            claims.append(claim)
        clusters.append(replace(cluster, claims=claims))
    return replace(report, clusters=clusters)


def check_articles(
    articles: Sequence[Article],
    *,
    settings: Settings | str | Path | None = None,
    nli: bool | None = None,
    rules: str | Path | None = None,
    cache_dir: str | Path | None = None,
) -> Report:
    """Check articles already in memory (:class:`claims.records.Article`) against each other.

    Takes the same keywords as :func:`check`.

    >>> from claims.records import Article
    >>> check_articles([Article(id="a", outlet="A", text="Blinken left.", source="a.md")],
    ...                nli=False).stats["findings"]  # doctest: +SKIP
    0
    """
    from checker.pipeline import check_articles as run_check

    chosen = _settings(settings, nli, rules)
    models, cache = models_for(chosen), _cache(cache_dir)
    report = run_check(articles, [], chosen, models=models, cache=cache)
    return with_claim_lines(report, articles)


def check(
    paths: str | Path | Sequence[str | Path],
    *,
    settings: Settings | str | Path | None = None,
    nli: bool | None = None,
    rules: str | Path | None = None,
    cache_dir: str | Path | None = None,
) -> Report:
    """Check one event's articles against each other, as ``crossclaim report`` does.

    ``paths``: folders and files of articles (Markdown with front matter, text, HTML, JSON,
    JSON Lines), one path or several. ``settings``: a :class:`~checker.settings.Settings`, or
    the path of a settings YAML file (default: the built-in settings; the API reads no
    ``.crossclaim.toml``). ``nli=False`` runs the rule checks only; ``rules`` is a rules file
    laid over the packaged one; ``cache_dir`` keeps claims, embeddings and NLI results between
    runs (default: no cache, nothing written).

    Files that cannot be read are listed in ``report.problems``, not raised; a model or rules
    file that cannot be loaded raises.

    >>> report = check(["examples/blinken-2021-12/"])  # doctest: +SKIP
    >>> [(f.verdict, f.check, f.a.outlet, f.b.outlet) for f in report.sorted_findings()][0]
    ... # doctest: +SKIP
    ('contradiction', 'temporal', 'Business Insider', 'Wire story')
    """
    from checker.pipeline import check_articles as run_check
    from claims.readers import read_bundle

    chosen = _settings(settings, nli, rules)
    items = [paths] if isinstance(paths, str | Path) else list(paths)
    articles, problems = read_bundle(
        [Path(p) for p in items], chosen.max_file_bytes, chosen.read_limits()
    )
    models, cache = models_for(chosen), _cache(cache_dir)
    report = run_check(articles, problems, chosen, models=models, cache=cache)
    return with_claim_lines(report, articles)
