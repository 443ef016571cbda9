"""The HTML report: escaping of article text, no network, highlighting, links, summary, filters."""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser

import pytest
from gate_report_factory import HEADLINE_BI, HEADLINE_WIRE, blinken_report, make_finding, report_for

from checker.render.html import render_html
from checker.report import Report
from claims.records import Article


class Page(HTMLParser):
    """Collects tags, attributes, ids, text, and the contents of <script> and <style>."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.ids: set[str] = set()
        self.text: list[str] = []
        self.raw: dict[str, list[str]] = {"script": [], "style": []}
        self._in: str | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        d = dict(attrs)
        self.tags.append((tag, d))
        if d.get("id"):
            self.ids.add(d["id"])
        if tag in self.raw:
            self._in = tag

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in:
            self.raw[self._in].append(data)
        else:
            self.text.append(data)

    @property
    def all_text(self) -> str:
        return "".join(self.text)


HOSTILE = (
    'Officials said <script>alert("pwned")</script> and <b onmouseover="x()">bold</b> '
    "that all tested negative on Tuesday. They left at <img src=https://evil.example/x.png> "
    "noon & went home. See https://example.com/story for more."
)


@pytest.fixture(scope="module")
def blinken() -> tuple[Report, str, Page]:
    report = blinken_report()
    page = render_html(report)
    return report, page, Page(page)


@pytest.fixture(scope="module")
def hostile() -> tuple[str, Page]:
    a = Article(
        "a<x>",
        'Outlet "<A>"',
        HOSTILE,
        "news/a.md",
        url="https://evil.example/a",
        title="<i>Title</i>",
    )
    b = Article("b", "Outlet B</script>", HOSTILE.replace("Tuesday", "Wednesday"), "news/b.md")
    f = make_finding(a, "Officials said", "Tuesday", b, "Officials said", "Wednesday")
    page = render_html(report_for([a, b], [f]))
    return page, Page(page)


def test_markup_and_script_in_an_article_show_as_text(hostile: tuple[str, Page]) -> None:
    page, parsed = hostile
    scripts = [attrs for tag, attrs in parsed.tags if tag == "script"]
    assert len(scripts) == 1 and "pwned" not in "".join(parsed.raw["script"])
    assert not any(tag in ("b", "i", "img") for tag, _ in parsed.tags)
    assert not any(k.startswith("on") for _, attrs in parsed.tags for k in attrs)
    text = parsed.all_text
    assert '<script>alert("pwned")</script>' in text
    assert '<b onmouseover="x()">bold</b>' in text
    assert "<i>Title</i>" in text and 'Outlet "<A>"' in text and "Outlet B</script>" in text
    assert "&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt;" in page


def test_the_page_requests_nothing_from_the_network(hostile: tuple[str, Page]) -> None:
    page, parsed = hostile
    for tag, attrs in parsed.tags:
        for name in ("src", "href", "action", "srcset", "poster", "data"):
            value = attrs.get(name)
            if value is not None:
                assert value.startswith("#"), (tag, name, value)
    assert not any(tag == "link" for tag, _ in parsed.tags)
    assert "https://evil.example/a" in parsed.all_text  # the article URL is shown as text
    assert "url(" not in "".join(parsed.raw["style"])


def test_a_content_security_policy_allows_only_the_pages_own_script_and_style(
    blinken: tuple[Report, str, Page],
) -> None:
    _, _, parsed = blinken
    csp = next(
        attrs["content"]
        for tag, attrs in parsed.tags
        if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy"
    )
    assert "default-src 'none'" in csp
    for kind in ("script", "style"):
        body = "".join(parsed.raw[kind])
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"{kind}-src 'sha256-{digest}'" in csp
    assert "unsafe-inline" not in csp


def test_differing_spans_are_marked_in_both_sentences(blinken: tuple[Report, str, Page]) -> None:
    _, page, _ = blinken
    assert "on <mark>Tuesday</mark>, Price said." in page
    assert "tested negative on <mark>Wednesday</mark> in Kuala Lumpur" in page


def test_each_side_shows_the_sentences_around_it(blinken: tuple[Report, str, Page]) -> None:
    _, page, _ = blinken
    finding = re.search(r'<article class="finding".*?</article>', page, re.S).group(0)
    assert "Blinken was due to hold meetings in Thailand on Thursday" in finding  # wire, before
    assert "The reporter will remain in quarantine for at least 10 days" in finding  # BI, after


def test_links_from_each_finding_reach_anchors_in_the_articles(
    blinken: tuple[Report, str, Page],
) -> None:
    report, page, parsed = blinken
    hrefs = [attrs["href"] for tag, attrs in parsed.tags if tag == "a" and attrs.get("href")]
    article_links = [
        h for h in hrefs if h.startswith("#article-") and not h.startswith("#article-top")
    ]
    headline = report.sorted_findings()[0]
    for side in (headline.a, headline.b):
        assert f"#article-{side.article}-{side.start}" in article_links
    assert all(h[1:] in parsed.ids for h in hrefs)
    text = report.articles[headline.a.article]
    assert text[headline.a.start :].startswith(headline.a.text)


def test_the_articles_section_marks_the_claims_findings_point_to(
    blinken: tuple[Report, str, Page],
) -> None:
    _, page, _ = blinken
    articles = page[page.index('<section id="articles">') :]
    assert (
        '<span class="claim">Blinken and senior officials had tested negative on </span>'
        in articles
    )
    assert '<mark class="claim">Wednesday</mark>' in articles


def test_the_summary_counts_outlets_claims_and_findings_by_check_and_severity(
    blinken: tuple[Report, str, Page],
) -> None:
    _, page, _ = blinken
    table = re.search(r'<table id="by-check">.*?</table>', page, re.S).group(0)
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)
    cells = [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row) for row in rows]
    assert cells == [
        ["check", "low", "high", "total"],
        ["place", "1", "0", "1"],
        ["temporal", "0", "1", "1"],
    ]
    assert "<title>crossclaim report: blinken-2021-12</title>" in page  # the event: its folder
    summary = page[page.index('<section id="summary">') : page.index('<section id="findings">')]
    outlets = {
        re.sub(r"<[^>]+>", "", row[0]): row[5]
        for row in (re.findall(r"<td[^>]*>(.*?)</td>", r, re.S) for r in summary.split("<tr>"))
        if len(row) == 7
    }
    assert outlets == {"Business Insider": "2", "CBS News": "1", "Reuters": "0", "Wire story": "1"}
    assert "2 &middot; 1 contradiction &middot; 1 divergence" in summary


def test_filters_offer_every_check_severity_and_outlet(blinken: tuple[Report, str, Page]) -> None:
    _, _, parsed = blinken
    boxes = {
        (attrs["name"], attrs["value"])
        for tag, attrs in parsed.tags
        if tag == "input" and attrs.get("type") == "checkbox"
    }
    assert boxes == {
        ("check", "place"),
        ("check", "temporal"),
        ("severity", "low"),
        ("severity", "high"),
        ("outlet", "Business Insider"),
        ("outlet", "CBS News"),
        ("outlet", "Reuters"),
        ("outlet", "Wire story"),
    }
    findings = [attrs for tag, attrs in parsed.tags if tag == "article" and "data-check" in attrs]
    assert {(f["data-check"], f["data-severity"]) for f in findings} == {
        ("temporal", "high"),
        ("place", "low"),
    }


def test_the_most_serious_finding_heads_the_page(blinken: tuple[Report, str, Page]) -> None:
    _, page, _ = blinken
    headline = page[page.index('id="headline"') : page.index('<section id="summary">')]
    assert "temporal contradiction" in headline
    assert HEADLINE_BI.replace("Tuesday", "<mark>Tuesday</mark>") in headline
    assert HEADLINE_WIRE.replace("Wednesday", "<mark>Wednesday</mark>") in headline


def test_a_report_without_article_texts_still_renders_without_dangling_links() -> None:
    report = blinken_report()
    report.articles = {}
    parsed = Page(render_html(report))
    hrefs = [attrs["href"] for tag, attrs in parsed.tags if tag == "a" and attrs.get("href")]
    assert all(h[1:] in parsed.ids for h in hrefs)
    assert '<section id="articles">' not in render_html(report)


def test_a_span_with_stale_offsets_is_found_by_its_text() -> None:
    report = blinken_report()
    headline = report.sorted_findings()[0]
    headline.a.spans[0].update(start=0, end=3)  # wrong offsets, right text
    assert f"<mark>{headline.a.spans[0]['text']}</mark>" in render_html(report)


def test_an_empty_report_says_there_are_no_findings() -> None:
    page = render_html(Report(documents=[], findings=[], stats={}))
    assert "No findings" in page and "<form" not in page


def test_the_report_command_writes_the_html_page(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    import checker.pipeline
    from checker.cli.main import app

    report = blinken_report()
    # the command reads the bundle, then checks it: both ways into the pipeline return the report
    monkeypatch.setattr(checker.pipeline, "run_report", lambda *a, **k: report)
    monkeypatch.setattr(checker.pipeline, "check_articles", lambda *a, **k: report)
    out = tmp_path / "report.html"
    result = CliRunner().invoke(
        app, ["report", "examples/blinken-2021-12", "--format", "html", "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == render_html(report)
