"""The pipeline: bundle in, report out.

Stages, each a plain function with one input and one output (see docs/architecture.md):

``read_bundle`` -> ``extract_claims`` (per article, cached by content) -> ``align_claims`` ->
``run_rules`` and NLI on the candidate pairs (NLI results cached by model and text) ->
near-identical findings grouped (:func:`checker.findings.group_near_identical`) -> ``Report``.

That is the all-pairs comparison. An event of more than ``Settings.consensus_min_outlets``
outlets (or any event with ``Settings.comparison = "consensus"``) is aligned by nearest neighbours
over all its claims and each claim is compared with its cluster's consensus instead
(:mod:`checker.consensus`), so that its cost grows linearly with the outlets; ``stats`` says
which comparison ran (``comparison``) and counts its ``rule_calls`` and ``nli_pairs``.

Models are loaded once by :func:`load_models` and passed in, so a caller that checks many bundles
(the gate, the review workspace) pays for loading only once.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Iterable, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from checker.cache import PipelineCache
from checker.compare import PairNLI, deduplicate, finding_from_hit, nli_finding
from checker.findings import Finding, group_near_identical, grouped_count
from checker.nli.input_text import nli_text
from checker.probe import probe_findings
from checker.report import ClusterInfo, DocumentInfo, Report
from checker.settings import Settings
from claims.align import align_claims
from claims.records import (
    CLAIM_KINDS,
    MIN_CLAIM_WORDS,
    Article,
    CandidatePair,
    Claim,
    Cluster,
    InputProblem,
)

log = logging.getLogger(__name__)

#: bump when extraction or annotation changes what a claim holds, so cached claims are redone.
EXTRACTOR_VERSION = "2"  # 2: titles, bullets, unpunctuated and verbless lines; claim kinds


@dataclass
class Models:
    """The loaded models a run needs; each loaded on first use."""

    settings: Settings
    _nlp: Any = None
    _embedder: Any = None
    _nli: Any = None
    load_seconds: dict[str, float] = field(default_factory=dict)

    def _timed(self, name: str, loader: Any) -> Any:
        start = time.perf_counter()
        value = loader()
        self.load_seconds[name] = round(time.perf_counter() - start, 3)
        return value

    @property
    def nlp(self) -> Any:
        if self._nlp is None:
            from claims.nlp import load_nlp

            self._nlp = self._timed("spacy", load_nlp)
        return self._nlp

    @property
    def embedder(self) -> Any:
        if self._embedder is None:
            from claims.embeddings import load_embedder

            self._embedder = self._timed(
                "embedder", lambda: load_embedder(self.settings.embedding_model)
            )
        return self._embedder

    @property
    def nli(self) -> Any:
        if self._nli is None:
            from checker.nli.backends import load_nli

            s = self.settings
            self._nli = self._timed(
                "nli", lambda: load_nli(s.nli_model, s.nli_backend, s.nli_max_length)
            )
        return self._nli

    def preload(self) -> None:
        """Load everything now (so timings of a run exclude model loading)."""
        _ = self.nlp, self.embedder
        if self.settings.use_nli:
            _ = self.nli

    def embedder_id(self) -> str | None:
        """The embedder's model id: the loaded one's, else the shipped one's from its files
        (without loading it), else ``None`` (unknown until loaded)."""
        if self._embedder is not None:
            return str(self._embedder.model_id)
        if self.settings.embedding_model != "shipped":
            return None
        from claims.embeddings import EmbedderError, shipped_embedder_id

        try:
            return shipped_embedder_id()
        except EmbedderError:
            return None

    def nli_id(self) -> str | None:
        """The NLI model's id: the loaded one's, else the shipped one's from its files (without
        loading it), else ``None``."""
        if self._nli is not None:
            return str(self._nli.model_id)
        from checker.nli.backends import known_model_id

        return known_model_id(self.settings.nli_model, self.settings.nli_backend)


class CachedEmbedder:
    """The run's embedder behind the cache: texts embedded before (by the same embedder id)
    come from the cache, and the model is loaded only when some text is new.

    Alignment calls :meth:`encode` like any embedder; vectors are the model's own (float32,
    unit length), stored exactly.
    """

    def __init__(self, models: Models, cache: PipelineCache | None) -> None:
        self._models = models
        self._cache = cache
        self.encoded = 0  # texts the model embedded in this run (not from the cache)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        items = list(texts)
        if not items:
            return np.asarray(self._models.embedder.encode([]), dtype=np.float32)
        unique = sorted(set(items))
        model_id = self._models.embedder_id()
        known: dict[str, np.ndarray] = {}
        if self._cache is not None and model_id is not None:
            known = self._cache.load_embeddings(model_id, unique)
        todo = [t for t in unique if t not in known]
        if todo:
            embedder = self._models.embedder
            if self._cache is not None and embedder.model_id != model_id:  # a fallback ran
                model_id = str(embedder.model_id)
                known = self._cache.load_embeddings(model_id, unique)
                todo = [t for t in unique if t not in known]
        if todo:
            fresh = np.asarray(embedder.encode(todo), dtype=np.float32)
            new = {t: fresh[i] for i, t in enumerate(todo)}
            self.encoded += len(todo)
            if self._cache is not None and model_id is not None:
                self._cache.store_embeddings(model_id, new)
            known = {**known, **new}
        return np.stack([known[t] for t in items]).astype(np.float32)


def nli_status(models: Models, settings: Settings, cached: int = 0) -> dict[str, Any]:
    """Which NLI model and backend ran and how its self-check went, for the report's stats.

    ``state`` is ``off`` (rule checks only), ``not loaded`` (no pair needed the model),
    ``cached`` (every score came from the cache, so the model was not loaded) or ``ran``.
    """
    if not settings.use_nli:
        return {"state": "off"}
    loaded = models._nli
    if loaded is None:
        if cached:
            return {"state": "cached", "model": models.nli_id()}
        return {"state": "not loaded"}
    check = getattr(loaded, "self_check", None)
    return {
        "state": "ran",
        "model": loaded.model_id,
        "backend": getattr(loaded, "backend", ""),
        "self_check": check.as_dict() if check is not None else None,
    }


def load_models(settings: Settings) -> Models:
    """Models for ``settings``, loaded lazily."""
    return Models(settings)


def claims_cache_key(article: Article, min_words: int = MIN_CLAIM_WORDS) -> str:
    """Content key for an article's claims: text, metadata, extractor version and word minimum.

    >>> a = Article(id="x", outlet="X", text="Hi.", source="x.md")
    >>> b = Article(id="y", outlet="X", text="Hi.", source="y.md")
    >>> claims_cache_key(a) == claims_cache_key(b)
    False
    """
    published = article.published.isoformat() if article.published else ""
    raw = "\x1f".join(
        [
            EXTRACTOR_VERSION,
            str(min_words),
            article.id,
            article.outlet,
            published,
            article.source,
            article.title,
            article.text,
        ]
    )
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _progress(enabled: bool) -> Any:
    if not enabled:
        return nullcontext(None)
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )


@dataclass
class Extracted:
    """What extraction gave for a run's articles."""

    claims: list[Claim]
    fresh: int  # articles extracted afresh (not from the cache)
    left_out: dict[str, int]  # text left out of the claims, per reason (every reason listed)


def extract_all(
    articles: Sequence[Article],
    models: Models,
    cache: PipelineCache | None,
    progress: Any,
    problems: list[InputProblem],
    min_words: int = MIN_CLAIM_WORDS,
) -> Extracted:
    """Claims of every article (from the cache when unchanged) and what was left out, by reason.

    An article whose extraction fails, or that is over the size limits of ``models.settings``
    (``max_article_chars``, ``max_line_chars``, ``max_article_sentences``: articles from the
    review store or read with other limits are checked again here), is reported as one problem
    line and contributes no claims; the others' results are kept. Cached claims that do not
    belong to the article (another article's id, or offsets that do not match its text) are
    ignored and extracted afresh. For cached claims the left-out text is counted again from the
    text alone (:func:`claims.extract.select_sentences` makes that decision without the parse, so
    the counts are the same as on a fresh run).
    """
    from claims.extract import LeftOut, count_left_out, extract_article, select_sentences

    task = progress.add_task("extracting claims", total=len(articles)) if progress else None
    claims: list[Claim] = []
    left_out: list[LeftOut] = []
    fresh = 0
    for article in articles:
        refusal = oversize_reason(article, models.settings)
        if refusal:
            problems.append(InputProblem(article.source, refusal))
            if progress:
                progress.advance(task)
            continue
        key = claims_cache_key(article, min_words)
        cached = cache.load_claims(key) if cache else None
        selection = None
        if cached is not None:
            selection = select_sentences(article, min_words)
            if not claims_belong_to(cached, article, selection):
                log.warning("%s: cached claims do not match the article; extracting afresh", key)
                cached = selection = None
        if cached is None:
            try:
                extraction = extract_article(article, models.nlp, min_words)
            except Exception as exc:  # one bad article must not lose the others' results
                log.debug("claim extraction failed for %s", article.source, exc_info=True)
                problems.append(
                    InputProblem(article.source, f"claim extraction failed ({_one_line(exc)})")
                )
                cached = []
            else:
                fresh += 1
                cached = extraction.claims
                left_out.extend(extraction.left_out)
                if cache:
                    cache.store_claims(key, cached)
        else:
            assert selection is not None
            left_out.extend(selection.left_out)
        claims.extend(cached)
        if progress:
            progress.advance(task)
    return Extracted(claims, fresh, count_left_out(left_out))


def _one_line(exc: BaseException) -> str:
    """An exception as ``Type: first line`` (at most 300 characters), for a problem line."""
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0]}"[:300] if lines else type(exc).__name__


def oversize_reason(article: Article, settings: Settings) -> str:
    """Why an article is too large to extract claims from in bounded time ("" when it is not).

    >>> a = Article(id="a", outlet="A", text="Word. " * 700, source="a.md")
    >>> oversize_reason(a, Settings())
    'article too long (700 sentences; the limit is 400)'
    """
    from claims.sentences import split_sentences

    chars = len(article.text)
    if chars > settings.max_article_chars:
        return (
            f"article too long ({chars:,} characters; the limit is {settings.max_article_chars:,})"
        )
    longest = max((len(line) for line in article.text.split("\n")), default=0)
    longest = max(longest, len(article.title))
    if longest > settings.max_line_chars:
        return f"line too long ({longest:,} characters; the limit is {settings.max_line_chars:,})"
    sentences = len(split_sentences(article.text))
    if sentences > settings.max_article_sentences:
        return (
            f"article too long ({sentences:,} sentences; the limit is "
            f"{settings.max_article_sentences:,})"
        )
    return ""


def claims_belong_to(claims: Sequence[Claim], article: Article, selection: Any) -> bool:
    """Whether cached claims are what extraction makes of this article: one claim per sentence
    that :func:`claims.extract.select_sentences` keeps (``selection``), at the same offsets with
    the same text, all with the article's id. A well-formed entry that is wrong (an empty list,
    another article's claims) is not trusted, even when its checksum is right.
    """
    expected = [(c.sentence.start, c.sentence.end, c.sentence.text) for c in selection.candidates]
    found = [(c.sentence.start, c.sentence.end, c.sentence.text) for c in claims]
    return found == expected and all(c.article_id == article.id for c in claims)


def count_kinds(claims: Sequence[Claim]) -> dict[str, int]:
    """Claims per kind (``title``, ``bullet``, ``body``), every kind listed.

    >>> from claims.records import Span
    >>> s = Span(0, 13, "Blinken left.")
    >>> count_kinds([Claim("a:0", "a", "A", s, s), Claim("a:title", "a", "A", s, s, kind="title")])
    {'title': 1, 'bullet': 0, 'body': 1}
    """
    counts = {kind: 0 for kind in CLAIM_KINDS}
    for claim in claims:
        counts[claim.kind] = counts.get(claim.kind, 0) + 1
    return counts


def involves_title(a: Claim, b: Claim) -> bool:
    """Whether a pair has a title claim (a headline) on either side."""
    return a.kind == "title" or b.kind == "title"


def _nli_row(row: Iterable[float]) -> tuple[float, float, float]:
    """One row of ``NLIModel.predict`` (entailment, neutral, contradiction) as plain floats;
    a row of another width raises ``ValueError``."""
    entailment, neutral, contradiction = (float(x) for x in row)
    return entailment, neutral, contradiction


def nli_for_pairs(
    pairs: Sequence[CandidatePair],
    by_id: Mapping[str, Claim],
    models: Models,
    cache: PipelineCache | None,
    progress: Any,
) -> tuple[dict[tuple[str, str], PairNLI], int]:
    """NLI probabilities of best-partner pairs close enough to be worth a model call, both ways.

    The model sees each claim as :func:`checker.nli.input_text.nli_text` writes it: relative days
    ('yesterday', 'Tuesday') as the dates they resolved to, since it never sees publication dates.

    Returns them by (claim id, claim id) and how many text pairs the model actually scored.
    """
    settings = models.settings
    wanted = [
        p
        for p in pairs
        if p.rank == 1
        and p.similarity >= settings.nli_min_similarity
        and ("nli" in settings.title_checks or not involves_title(by_id[p.a], by_id[p.b]))
    ]
    if not wanted:
        return {}, 0
    shown = {cid: nli_text(by_id[cid]) for p in wanted for cid in (p.a, p.b)}
    texts: list[tuple[str, str]] = []
    for p in wanted:
        ta, tb = shown[p.a], shown[p.b]
        texts.extend([(ta, tb), (tb, ta)])
    unique = sorted(set(texts))
    model_id = models.nli_id()  # known without loading for the shipped model
    known = cache.load_nli(model_id, unique) if cache and model_id else {}
    todo = [t for t in unique if t not in known]
    if todo:  # only now is the model loaded
        model = models.nli
        if cache and model.model_id != model_id:  # another backend ran (a fallback)
            model_id = model.model_id
            known = cache.load_nli(model_id, unique)
            todo = [t for t in unique if t not in known]
    if todo:
        task = progress.add_task("NLI", total=len(todo)) if progress else None
        probs = model.predict(todo, batch_size=settings.nli_batch_size)
        fresh = {t: _nli_row(row) for t, row in zip(todo, probs, strict=True)}
        if progress:
            progress.advance(task, len(todo))
        if cache:
            cache.store_nli(model.model_id, fresh)
        known = {**known, **fresh}
    out = {}
    for p in wanted:
        ta, tb = shown[p.a], shown[p.b]
        out[(p.a, p.b)] = PairNLI(known[(ta, tb)], known[(tb, ta)])
    return out, len(todo)


def compare_pairs(
    pairs: Sequence[CandidatePair],
    by_id: Mapping[str, Claim],
    articles: Mapping[str, Article],
    nli: Mapping[tuple[str, str], PairNLI],
    settings: Settings,
) -> list[Finding]:
    """Rule checks on every candidate pair, plus NLI-only contradictions.

    On a pair with a title claim only the checks of ``Settings.title_checks`` count.
    """
    from rules.registry import load_rule_configs, run_rules

    configs = load_rule_configs(settings.rules_file or None)
    findings: list[Finding] = []
    for pair in pairs:
        a, b = by_id[pair.a], by_id[pair.b]
        pair_nli = nli.get((pair.a, pair.b))
        hits = run_rules(a, b, configs)
        if involves_title(a, b):
            hits = [hit for hit in hits if hit.check in settings.title_checks]
        for hit in hits:
            findings.append(finding_from_hit(hit, a, b, articles, pair.cluster_id, pair_nli))
        if not hits and pair_nli is not None:
            extra = nli_finding(a, b, articles, pair, pair_nli, settings)
            if extra is not None:
                findings.append(extra)
    return [_with_kinds(f, by_id, articles) for f in deduplicate(findings)]


def _with_kinds(
    finding: Finding, by_id: Mapping[str, Claim], articles: Mapping[str, Article]
) -> Finding:
    """The finding with each side's claim kind; a side that is an article's title points at
    the line where the article's metadata starts (1, or its line in a ``.jsonl``)."""
    sides = []
    for side in (finding.a, finding.b):
        claim = by_id.get(side.claim_id)
        if claim is None:
            sides.append(side)
            continue
        side = replace(side, kind=claim.kind)
        if claim.from_title:
            article = articles[claim.article_id]
            in_jsonl = article.source.endswith(f":{article.line}")
            side = replace(side, line=article.line if in_jsonl else 1)
        sides.append(side)
    return replace(finding, a=sides[0], b=sides[1])


@dataclass
class Compared:
    """What one comparison mode gave for a run's claims (``Settings.comparison``)."""

    clusters: list[Cluster]
    findings: list[Finding]
    nli: dict[tuple[str, str], PairNLI]
    nli_scored: int  # text pairs the NLI model scored (not from the cache)
    probe_calls: int  # text pairs it scored for the counterfactual probe (checker/probe.py)
    rule_calls: int  # rule-check calls (one per pair of claims compared)
    candidate_pairs: int  # claim pairs that went through the rule checks
    cross_pairs: int  # pairs of claims from different articles (what all-pairs would face)
    aligned_claims: int
    seconds: dict[str, float]  # align, nli, rules
    consensus: dict[str, int] | None = None  # the consensus mode's own counts


def _compare_all_pairs(
    claims: Sequence[Claim],
    by_id: Mapping[str, Claim],
    by_article: Mapping[str, Article],
    embedder: CachedEmbedder,
    settings: Settings,
    models: Models,
    cache: PipelineCache | None,
    bar: Any,
) -> Compared:
    """Every claim with its best partners in every other article (claims/align.py)."""
    t0 = time.perf_counter()
    alignment = align_claims(claims, embedder, settings)
    t_align = time.perf_counter() - t0
    t0 = time.perf_counter()
    nli, nli_scored = (
        nli_for_pairs(alignment.pairs, by_id, models, cache, bar) if settings.use_nli else ({}, 0)
    )
    t_nli = time.perf_counter() - t0
    t0 = time.perf_counter()
    findings = compare_pairs(alignment.pairs, by_id, by_article, nli, settings)
    t_rules = time.perf_counter() - t0
    t0 = time.perf_counter()
    findings, probe_calls = probe_findings(findings, by_id, models, settings, cache)
    t_nli += time.perf_counter() - t0
    return Compared(
        clusters=alignment.clusters,
        findings=findings,
        nli=nli,
        nli_scored=nli_scored,
        probe_calls=probe_calls,
        rule_calls=len(alignment.pairs),
        candidate_pairs=len(alignment.pairs),
        cross_pairs=alignment.cross_pairs,
        aligned_claims=alignment.aligned_claims,
        seconds={"align": t_align, "nli": t_nli, "rules": t_rules},
    )


def _compare_by_consensus(
    claims: Sequence[Claim],
    by_id: Mapping[str, Claim],
    by_article: Mapping[str, Article],
    embedder: CachedEmbedder,
    settings: Settings,
    models: Models,
    cache: PipelineCache | None,
    bar: Any,
) -> Compared:
    """Each claim with its cluster's consensus representative(s) (checker/consensus.py)."""
    from checker.consensus import align_by_neighbours, compare_groups, nli_pairs

    t0 = time.perf_counter()
    alignment = align_by_neighbours(claims, embedder, settings)
    t_align = time.perf_counter() - t0
    t0 = time.perf_counter()
    pairs = nli_pairs(alignment, by_id)
    nli, nli_scored = (
        nli_for_pairs(pairs, by_id, models, cache, bar) if settings.use_nli else ({}, 0)
    )
    t_nli = time.perf_counter() - t0
    t0 = time.perf_counter()
    result = compare_groups(alignment, by_id, by_article, nli, settings)
    findings = [_with_kinds(f, by_id, by_article) for f in deduplicate(result.findings)]
    t_rules = time.perf_counter() - t0
    t0 = time.perf_counter()
    findings, probe_calls = probe_findings(findings, by_id, models, settings, cache)
    t_nli += time.perf_counter() - t0
    return Compared(
        clusters=alignment.clusters,
        findings=findings,
        nli=nli,
        nli_scored=nli_scored,
        probe_calls=probe_calls,
        rule_calls=result.rule_calls,
        candidate_pairs=result.rule_calls,
        cross_pairs=alignment.cross_pairs,
        aligned_claims=alignment.aligned_claims,
        seconds={"align": t_align, "nli": t_nli, "rules": t_rules},
        consensus={
            "texts": alignment.texts,
            "neighbour_links": alignment.edges,
            "groups": len(alignment.groups),
            "representatives": result.representatives,
            "slots_moved": result.flips,
        },
    )


def check_articles(
    articles: Sequence[Article],
    problems: Sequence[InputProblem],
    settings: Settings,
    *,
    models: Models | None = None,
    cache: PipelineCache | None = None,
    progress: bool = False,
) -> Report:
    """Run extraction, alignment and comparison over articles that were already read."""
    models = models or load_models(settings)
    problems = list(problems)
    started = time.perf_counter()
    by_article = {a.id: a for a in articles}
    with _progress(progress) as bar:
        t0 = time.perf_counter()
        extracted = extract_all(articles, models, cache, bar, problems, settings.min_claim_words)
        claims = extracted.claims
        t_extract = time.perf_counter() - t0
        by_id = {c.id: c for c in claims}
        embedder = CachedEmbedder(models, cache)
        comparison = settings.comparison_for(len({a.outlet for a in articles}))
        compared = (
            _compare_by_consensus(claims, by_id, by_article, embedder, settings, models, cache, bar)
            if comparison == "consensus"
            else _compare_all_pairs(
                claims, by_id, by_article, embedder, settings, models, cache, bar
            )
        )
        # post-step: an outlet's bullet and body saying the same thing give one finding
        findings = group_near_identical(compared.findings, settings.group_min_ratio)
        nli, nli_scored = compared.nli, compared.nli_scored

    counts = {a.id: 0 for a in articles}
    for c in claims:
        counts[c.article_id] = counts.get(c.article_id, 0) + 1
    documents = [DocumentInfo.from_article(a, counts.get(a.id, 0)) for a in articles]
    clusters = [
        ClusterInfo(
            id=cl.id,
            claims=[
                {
                    "id": cid,
                    "outlet": by_id[cid].outlet,
                    "text": by_id[cid].sentence.text,
                    "start": by_id[cid].sentence.start,
                    "end": by_id[cid].sentence.end,
                    "kind": by_id[cid].kind,
                }
                for cid in cl.claim_ids
            ],
        )
        for cl in compared.clusters
    ]
    stats: dict[str, Any] = {
        "articles": len(articles),
        "outlets": len({a.outlet for a in articles}),
        "claims": len(claims),
        "claims_by_kind": count_kinds(claims),
        "left_out": extracted.left_out,
        "aligned_claims": compared.aligned_claims,
        "clusters": len(compared.clusters),
        "cross_outlet_pairs": compared.cross_pairs,
        "candidate_pairs": compared.candidate_pairs,
        "nli_pairs": len(nli),
        "nli_model_calls": nli_scored,
        "probe_calls": compared.probe_calls,  # text pairs scored to probe NLI-only findings
        "comparison": comparison,
        "rule_calls": compared.rule_calls,
        "articles_extracted": extracted.fresh,
        "findings": len(findings),
        "contradictions": sum(f.verdict == "contradiction" for f in findings),
        "divergences": sum(f.verdict == "divergence" for f in findings),
        "grouped_findings": grouped_count(findings),  # folded into others (``also_at``)
        "problems": len(problems),
        "seconds": {
            "extract": round(t_extract, 3),
            "align": round(compared.seconds["align"], 3),
            "nli": round(compared.seconds["nli"], 3),
            "rules": round(compared.seconds["rules"], 3),
            "total": round(time.perf_counter() - started, 3),
        },
        "model_load_seconds": dict(models.load_seconds),
        "embedded_texts": embedder.encoded,
        "nli_model": models.nli_id() if settings.use_nli and nli else None,
        "nli": nli_status(models, settings, cached=len(nli)),
    }
    if compared.consensus is not None:
        stats["consensus"] = compared.consensus
    return Report(
        documents=documents,
        findings=findings,
        stats=stats,
        problems=problems,
        clusters=clusters,
        articles={a.id: a.text for a in articles},
    )


def run_report(
    paths: Sequence[Path],
    settings: Settings,
    *,
    models: Models | None = None,
    cache: PipelineCache | None = None,
    progress: bool = False,
) -> Report:
    """Read a bundle (folders and files) and check it."""
    from claims.readers import read_bundle

    articles, problems = read_bundle(
        [Path(p) for p in paths], settings.max_file_bytes, settings.read_limits()
    )
    return check_articles(
        articles, problems, settings, models=models, cache=cache, progress=progress
    )
