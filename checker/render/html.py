"""The HTML report: one self-contained file an editor opens in a browser.

``render_html(report)`` returns a page with a summary of the event (outlets, claims, findings by
check and severity), each finding with its two sentences side by side (the differing spans in
``<mark>``, the sentences around them for context), filters (check, verdict, severity, minimum
confidence, and the outlets involved, with an "only this outlet" choice) whose state is kept in the
URL fragment (``#filter?outlet=Reuters&verdict=divergence``) so that a link reproduces the view,
and links from each side of a finding to its place in the full articles at the bottom of the page.
The layout fits a phone's width: long words wrap, the outlets table stacks, other tables scroll in
their own box.

Safety: the page loads nothing (no external URL in any ``src`` or ``href``; article URLs are shown
as text), and a Content-Security-Policy allows only the page's own inline style and script, by
hash. Templates are rendered by Jinja2 with autoescape on; article text is cut into plain-text
segments in Python and each segment is escaped by the template, so highlighting never inserts
markup into article text.

>>> from checker.report import Report
>>> page = render_html(Report(documents=[], findings=[], stats={}))
>>> page.startswith("<!DOCTYPE html>") and "No findings" in page
True
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

import jinja2
from markupsafe import Markup

from checker.findings import SEVERITY_RANK, Finding, Place, Side
from checker.render.evidence import finding_resolutions, model_label, published_by_article
from checker.report import Report
from claims.records import Sentence
from claims.sentences import split_sentences

TEMPLATES = Path(__file__).parent / "templates"
#: context shown around a finding's sentence: this many sentences before and after ...
CONTEXT_SENTENCES = 1
#: ... cut to at most this many characters each side.
CONTEXT_MAX_CHARS = 320

_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")
_LINE_SUFFIX = re.compile(r":\d+$")  # "bundle.jsonl:3": line 3 of a .jsonl file


@dataclass(frozen=True)
class Segment:
    """A piece of article text; ``mark`` when it is one of the spans that differ."""

    text: str
    mark: bool = False


@dataclass(frozen=True)
class ArticlePiece:
    """A piece of an article in the articles section, with the anchors that start at it."""

    text: str
    anchors: tuple[str, ...] = ()
    claim: bool = False  # inside a sentence some finding points to
    mark: bool = False  # inside a span that differs


@dataclass
class SideView:
    side: Side
    before: str
    segments: list[Segment]
    after: str
    link: str | None
    #: how the value was read ('Tuesday -> 2021-12-14 (published ...)'), or the bare value
    resolution: str = ""


@dataclass(frozen=True)
class PlaceView:
    """Another place of a grouped finding (``Finding.also_at``), as the page shows it."""

    place: Place
    location: str  # path:line
    link: str | None  # its anchor in the articles section, when the sentence is found there


@dataclass
class FindingView:
    finding: Finding
    dom_id: str
    a: SideView
    b: SideView
    also: list[PlaceView] = field(default_factory=list)
    nli: list[tuple[str, float]] = field(default_factory=list)
    #: the model's reading of the pair ('model: neutral 86%'), '' without scores
    model: str = ""


def anchor_id(article_id: str, offset: int) -> str:
    """The HTML id of an offset in an article: ``article-<id>-<offset>``, unsafe characters
    hex-encoded.

    >>> anchor_id("cbs", 120), anchor_id("a b", 0)
    ('article-cbs-120', 'article-a_20b-0')
    """
    safe = _ID_UNSAFE.sub(lambda m: f"_{ord(m.group()):x}", article_id)
    return f"article-{safe}-{offset}"


def highlight(text: str, spans: Iterable[tuple[int, int]]) -> list[Segment]:
    """Cut ``text`` into segments, marking the given ``(start, end)`` ranges (merged, clamped).

    >>> [(s.text, s.mark) for s in highlight("tested on Tuesday.", [(10, 17)])]
    [('tested on ', False), ('Tuesday', True), ('.', False)]
    """
    ranges = sorted(
        (max(0, s), min(len(text), e)) for s, e in spans if min(len(text), e) > max(0, s)
    )
    merged: list[list[int]] = []
    for start, end in ranges:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out: list[Segment] = []
    pos = 0
    for start, end in merged:
        if start > pos:
            out.append(Segment(text[pos:start]))
        out.append(Segment(text[start:end], mark=True))
        pos = end
    if pos < len(text) or not out:
        out.append(Segment(text[pos:]))
    return out


def side_spans(side: Side) -> list[tuple[int, int]]:
    """The side's differing spans as offsets into ``side.text``.

    Spans carry article offsets; one whose offsets do not match its text is looked up by text.

    >>> s = Side("BI", "bi", "bi.md", "Tested on Tuesday.", 100, 118,
    ...          spans=[{"start": 110, "end": 117, "text": "Tuesday"}])
    >>> side_spans(s)
    [(10, 17)]
    """
    out = []
    for span in side.spans:
        try:
            start, end = int(span["start"]) - side.start, int(span["end"]) - side.start
            text = str(span.get("text", ""))
        except (KeyError, TypeError, ValueError):
            continue
        if 0 <= start < end <= len(side.text) and (not text or side.text[start:end] == text):
            out.append((start, end))
        elif text and (found := side.text.find(text)) >= 0:
            out.append((found, found + len(text)))
    return out


def _trim_left(text: str) -> str:
    if len(text) <= CONTEXT_MAX_CHARS:
        return text
    return "\u2026" + text[-CONTEXT_MAX_CHARS:].lstrip()


def _trim_right(text: str) -> str:
    if len(text) <= CONTEXT_MAX_CHARS:
        return text
    return text[:CONTEXT_MAX_CHARS].rstrip() + "\u2026"


def surrounding_text(
    article: str, start: int, end: int, sentences: Sequence[Sentence] | None = None
) -> tuple[str, str]:
    """The sentences just before ``start`` and just after ``end`` (``CONTEXT_SENTENCES`` each),
    as the pipeline's sentence splitter cuts the article (pass its result to split only once).

    >>> surrounding_text("One. Two is here. Three. Four.", 5, 17)
    ('One. ', ' Three.')
    >>> surrounding_text("It is here. The U.S. envoy said no. Then.", 0, 11)
    ('', ' The U.S. envoy said no.')
    """
    if sentences is None:
        sentences = split_sentences(article)
    before = [s for s in sentences if s.end <= start]
    after = [s for s in sentences if s.start >= end]
    begin = before[-CONTEXT_SENTENCES].start if len(before) >= CONTEXT_SENTENCES else 0
    finish = after[:CONTEXT_SENTENCES][-1].end if after else end
    return _trim_left(article[begin:start]), _trim_right(article[end:finish])


def _side_view(
    side: Side,
    articles: dict[str, str],
    sentences: dict[str, list[Sentence]],
    resolution: str = "",
) -> SideView:
    text = articles.get(side.article)
    located = text is not None and text[side.start : side.end] == side.text
    before, after = "", ""
    if text is not None and located:
        if side.article not in sentences:
            sentences[side.article] = split_sentences(text)
        before, after = surrounding_text(text, side.start, side.end, sentences[side.article])
    return SideView(
        side=side,
        before=before,
        segments=highlight(side.text, side_spans(side)),
        after=after,
        link=f"#{anchor_id(side.article, side.start)}" if located else None,
        resolution=resolution,
    )


def _place_view(place: Place, articles: dict[str, str]) -> PlaceView:
    text = articles.get(place.article)
    located = (
        text is not None
        and place.end > place.start
        and (text[place.start : place.end] == place.text)
    )
    location = f"{place.path}:{place.line}" if place.line >= 1 else place.path
    if _LINE_SUFFIX.search(place.path):  # "bundle.jsonl:3" already names its line
        location = place.path
    return PlaceView(
        place=place,
        location=location,
        link=f"#{anchor_id(place.article, place.start)}" if located else None,
    )


def finding_views(report: Report) -> list[FindingView]:
    """The report's findings, most serious first, prepared for the template."""
    views = []
    sentences: dict[str, list[Sentence]] = {}  # article id -> its sentences, split once
    published = published_by_article(report)
    for i, f in enumerate(report.sorted_findings()):
        nli = sorted((f.nli or {}).items())
        a_read, b_read = finding_resolutions(f, published)
        views.append(
            FindingView(
                finding=f,
                dom_id=f"finding-{_ID_UNSAFE.sub('_', f.fingerprint) or i}",
                a=_side_view(f.a, report.articles, sentences, a_read),
                b=_side_view(f.b, report.articles, sentences, b_read),
                also=[_place_view(p, report.articles) for p in f.places()],
                nli=[(name, float(p)) for name, p in nli],
                model=model_label(f.nli),
            )
        )
    return views


def article_pieces(text: str, sides: Sequence[Side], article_id: str) -> list[ArticlePiece]:
    """Cut an article's text at every sentence and span a finding points to.

    >>> s = Side("X", "x", "x.md", "Two.", 5, 9, spans=[{"start": 5, "end": 8, "text": "Two"}])
    >>> pieces = article_pieces("One. Two. Three.", [s], "x")
    >>> [(p.text, p.anchors, p.claim, p.mark) for p in pieces][:3]
    [('One. ', (), False, False), ('Two', ('article-x-5',), True, True), ('.', (), True, False)]
    """
    claims: list[tuple[int, int]] = []
    marks: list[tuple[int, int]] = []
    anchors: dict[int, set[str]] = {}
    for side in sides:
        if text[side.start : side.end] != side.text:
            continue
        claims.append((side.start, side.end))
        anchors.setdefault(side.start, set()).add(anchor_id(article_id, side.start))
        marks.extend((s + side.start, e + side.start) for s, e in side_spans(side))
    cuts = sorted({0, len(text), *(p for r in claims + marks for p in r)})
    pieces = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        pieces.append(
            ArticlePiece(
                text=text[start:end],
                anchors=tuple(sorted(anchors.get(start, ()))),
                claim=any(s <= start and end <= e for s, e in claims),
                mark=any(s <= start and end <= e for s, e in marks),
            )
        )
    return pieces


def event_name(report: Report) -> str:
    """A name for the report's event: ``stats["event"]``, else the folder all articles share.

    >>> from checker.report import DocumentInfo
    >>> docs = [DocumentInfo(i, i, "", "", None, f"news/blinken-2021-12/{i}.md", 1) for i in "ab"]
    >>> event_name(Report(documents=docs, findings=[], stats={}))
    'blinken-2021-12'
    """
    if report.stats.get("event"):
        return str(report.stats["event"])
    folders = {
        PurePath(_LINE_SUFFIX.sub("", d.source.replace("\\", "/"))).parent.name
        for d in report.documents
    }
    return folders.pop() if len(folders) == 1 else ""


def _summary(report: Report) -> dict[str, Any]:
    findings = report.findings
    checks = sorted({f.check for f in findings})
    severities = sorted({f.severity for f in findings}, key=lambda s: SEVERITY_RANK.get(s, 0))
    by_check_severity = Counter((f.check, f.severity) for f in findings)
    outlets = sorted(
        {d.outlet for d in report.documents} | {s.outlet for f in findings for s in (f.a, f.b)}
    )
    return {
        "event": event_name(report),
        "articles": len(report.documents),
        "claims": sum(d.claims for d in report.documents),
        "clusters": len(report.clusters),
        "findings": len(findings),
        "grouped": sum(len(f.fingerprints()) - 1 for f in findings),
        "verdicts": Counter(f.verdict for f in findings),
        "verdict_names": sorted({f.verdict for f in findings}),
        "checks": checks,
        "severities": severities,
        "all_severities": [s for s in SEVERITY_RANK if s in severities] or list(SEVERITY_RANK),
        "by_check_severity": by_check_severity,
        "by_check": Counter(f.check for f in findings),
        "by_outlet": Counter(o for f in findings for o in {f.a.outlet, f.b.outlet}),
        "outlets": outlets,
    }


def _static(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


def _csp_hash(text: str) -> str:
    return (
        "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"
    )


@functools.lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_html(report: Report, *, title: str = "") -> str:
    """The report as one self-contained HTML page (UTF-8 text)."""
    css, js = _static("report.css"), _static("report.js")
    summary = _summary(report)
    sides_by_article: dict[str, list[Side]] = {}
    for f in report.findings:
        # a grouped finding's other places are marked in the articles too, to link to
        for side in (f.a, f.b, *(p.as_side() for p in f.places())):
            sides_by_article.setdefault(side.article, []).append(side)
    articles = [
        (doc, article_pieces(report.articles[doc.id], sides_by_article.get(doc.id, []), doc.id))
        for doc in report.documents
        if doc.id in report.articles
    ]
    csp = (
        "default-src 'none'; img-src data:; "
        f"style-src {_csp_hash(css)}; script-src {_csp_hash(js)}; "
        "base-uri 'none'; form-action 'none'"
    )
    if not title:
        title = (
            f"crossclaim report: {summary['event']}" if summary["event"] else "crossclaim report"
        )
    template = _environment().get_template("report.html.j2")
    return template.render(
        title=title,
        summary=summary,
        findings=finding_views(report),
        report=report,
        articles=articles,
        css=Markup(css),  # noqa: S704 - our own static file, not article text
        js=Markup(js),  # noqa: S704
        csp=csp,
    )
