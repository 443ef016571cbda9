"""Reports built by hand for the gate, CI-format, baseline and HTML tests (no models loaded).

Articles are read with the real reader and findings made with the real
:func:`checker.compare.finding_from_hit`, so sides carry real offsets, lines and fingerprints.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Sequence
from pathlib import Path

from checker.compare import finding_from_hit
from checker.findings import Finding
from checker.report import DocumentInfo, Report
from claims.readers import read_bundle
from claims.records import Article, Claim, InputProblem, Span
from rules.base import RuleHit

ROOT = Path(__file__).resolve().parent.parent
BLINKEN = ROOT / "examples" / "blinken-2021-12"
HEADLINE_WIRE = "Blinken and senior officials had tested negative on Wednesday in Kuala Lumpur"
HEADLINE_BI = "Blinken and senior staff tested negative on Tuesday, Price said."


def claim_at(article: Article, sentence: str, claim_id: str) -> Claim:
    """A claim for the first occurrence of ``sentence`` (a prefix of it is enough) in an article."""
    start = article.text.index(sentence)
    end = start + len(sentence)
    while end < len(article.text) and article.text[end] not in ".\n":
        end += 1
    end = min(len(article.text), end + 1)
    span = Span(start, end, article.text[start:end])
    return Claim(claim_id, article.id, article.outlet, span, span, published=article.published)


def word_span(article: Article, claim: Claim, word: str) -> Span:
    """The span of ``word`` inside a claim's sentence."""
    m = re.search(re.escape(word), claim.sentence.text)
    assert m, word
    start = claim.sentence.start + m.start()
    return Span(start, start + len(word), word)


def make_finding(
    a: Article,
    a_sentence: str,
    a_word: str,
    b: Article,
    b_sentence: str,
    b_word: str,
    *,
    check: str = "temporal",
    verdict: str = "contradiction",
    severity: str = "high",
    a_value: str = "",
    b_value: str = "",
) -> Finding:
    """A finding between two sentences, with one differing word marked on each side."""
    ca, cb = claim_at(a, a_sentence, f"{a.id}-c"), claim_at(b, b_sentence, f"{b.id}-c")
    hit = RuleHit(
        check=check,
        verdict=verdict,
        severity=severity,
        confidence=0.9,
        explanation=f"{a.outlet} and {b.outlet} disagree: {a_word} vs {b_word}.",
        a_spans=(word_span(a, ca, a_word),),
        b_spans=(word_span(b, cb, b_word),),
        a_value=a_value or a_word,
        b_value=b_value or b_word,
    )
    return finding_from_hit(hit, ca, cb, {a.id: a, b.id: b}, "cluster-1", None)


def report_for(
    articles: Sequence[Article], findings: list[Finding], problems: Sequence[InputProblem] = ()
) -> Report:
    """A report over the given articles and findings, as the pipeline would shape it."""
    documents = [DocumentInfo.from_article(a, claims=3) for a in articles]
    return Report(
        documents=documents,
        findings=findings,
        stats={"articles": len(articles)},
        problems=list(problems),
        articles={a.id: a.text for a in articles},
    )


def blinken_report(paths: Sequence[Path] = (BLINKEN,)) -> Report:
    """The Blinken example with its headline finding (Wednesday vs Tuesday) and one lesser one."""
    articles, problems = read_bundle(list(paths))
    by_outlet = {a.outlet: a for a in articles}
    wire, bi, cbs = by_outlet["Wire story"], by_outlet["Business Insider"], by_outlet["CBS News"]
    headline = make_finding(
        wire,
        HEADLINE_WIRE,
        "Wednesday",
        bi,
        HEADLINE_BI,
        "Tuesday",
        a_value="2021-12-15",
        b_value="2021-12-14",
    )
    lesser = make_finding(
        cbs,
        "The secretary of state and senior staff",
        "Kuala Lumpur",
        bi,
        HEADLINE_BI,
        "Tuesday",
        check="place",
        verdict="divergence",
        severity="low",
    )
    return report_for(articles, [headline, lesser], problems)


def copy_bundle(destination: Path, rename: dict[str, str] | None = None) -> Path:
    """Copy the Blinken example's articles to ``destination``, renaming files as given."""
    destination.mkdir(parents=True, exist_ok=True)
    for path in sorted(BLINKEN.glob("*.md")):
        if path.name == "README.md":
            continue
        shutil.copy(path, destination / (rename or {}).get(path.name, path.name))
    return destination
