"""The HTML report in headless Chromium (Debian's package).

Checks that the headline finding of examples/blinken-2021-12 (wire story: Wednesday, Business
Insider: Tuesday) is visible, that the page makes no network request, that a link reaches the
article, that both examples' reports need no horizontal scrolling at phone (390 px) and desktop
(1280 px) width, and that the filters (check, outlet, verdict, confidence) hide and show the right
findings and are kept in the URL fragment. Screenshots go to ``$CROSSCLAIM_ARTIFACTS`` (else a
pytest temporary folder): ``report-<example>-<width>.png``, ``report-filters-<width>.png``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import (
    artifacts_dir,
    assert_no_horizontal_scrolling,
    launch_chromium,
    needs_chromium,
)
from gate_report_factory import BLINKEN, HEADLINE_BI, HEADLINE_WIRE, ROOT, make_finding, report_for

from checker.render.html import finding_views, render_html
from checker.report import Report
from checker.settings import Settings
from claims.readers import read_bundle

pytestmark = [*needs_chromium, pytest.mark.slow]

EXAMPLES = {"blinken": BLINKEN, "austin": ROOT / "examples" / "austin-dong-2024-04"}
PHONE = {"width": 390, "height": 844}
#: an outlet name with markup, quotes, '&' and '#': shown as text, and kept whole in the fragment
ODD_OUTLET = 'CBS <b>"News"</b> & Co #1'


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return artifacts_dir(tmp_path_factory.mktemp("artifacts"))


@pytest.fixture(scope="module")
def report_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Both examples' reports from the real pipeline (rule checks: the headline is a rule
    finding, and the NLI model is not needed to show it)."""
    from checker.pipeline import run_report

    folder = tmp_path_factory.mktemp("html")
    files = {}
    for name, bundle in EXAMPLES.items():
        report = run_report([bundle], Settings(use_nli=False))
        if name == "blinken":
            top = report.sorted_findings()[0]
            assert (top.check, top.verdict) == ("temporal", "contradiction")
        files[name] = folder / f"report-{name}.html"
        files[name].write_text(render_html(report), encoding="utf-8")
    return files


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = launch_chromium(p)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def page(browser: Any, report_files: dict[str, Path]) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 2000})
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(report_files["blinken"].as_uri())
    page.requests = requests
    yield page
    context.close()


def test_headline_finding_is_visible(page: Any) -> None:
    headline = page.locator("#headline")
    assert headline.is_visible()
    text = headline.inner_text()
    assert "temporal contradiction" in text
    assert "Wednesday" in text and "Tuesday" in text
    assert headline.get_by_text("Wire story").is_visible()
    assert page.locator("#headline mark", has_text="Tuesday").is_visible()


def test_the_page_makes_no_network_request(page: Any) -> None:
    assert [url for url in page.requests if not url.startswith("file://")] == []


def test_unticking_a_check_hides_its_findings(page: Any) -> None:
    temporal = page.locator("article.finding[data-check='temporal']")
    assert temporal.count() >= 1 and temporal.first.is_visible()
    total = page.locator("article.finding").count()
    page.locator("#filters input[name='check'][value='temporal']").uncheck()
    assert not temporal.first.is_visible()
    shown = int(page.locator("#shown-count").inner_text())
    assert shown == total - temporal.count()
    page.locator("#filters input[name='check'][value='temporal']").check()
    assert temporal.first.is_visible()


def test_a_finding_links_to_its_place_in_the_article(page: Any) -> None:
    link = page.locator("article.finding").first.get_by_role("link", name="in the article").first
    target = link.get_attribute("href")
    link.click()
    assert page.evaluate("location.hash") == target
    anchor = page.locator(target)
    assert anchor.count() == 1
    # The browser scrolls to a fragment in a later frame than the click, and it may leave the
    # anchor a fraction of a pixel above the top edge; wait for it, allowing for the rounding
    # (a failure here is a timeout: the anchor never came into view).
    in_view = "(el) => { const r = el.getBoundingClientRect(); return r.top > -2 && r.top < 2000; }"
    page.wait_for_function(in_view, arg=anchor.element_handle(), timeout=5_000)


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_the_report_needs_no_horizontal_scrolling(
    browser: Any, report_files: dict[str, Path], artifacts: Path, example: str, width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 844})
    try:
        page = context.new_page()
        page.goto(report_files[example].as_uri())
        assert_no_horizontal_scrolling(page)
        if example == "blinken":  # the headline and the filters are on screen, not cut off
            for selector in ("#headline", "#filters"):
                box = page.locator(selector).bounding_box()
                assert box["x"] >= 0 and box["x"] + box["width"] <= width, (selector, box)
        shot = artifacts / f"report-{example}-{width}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
    finally:
        context.close()


# --- filters -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def filter_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """Three findings that differ in check, verdict, confidence and outlets:

    - ``weekday``: temporal contradiction, Wire story / Business Insider, confidence 0.90
    - ``odd``: place divergence, ``ODD_OUTLET`` (CBS renamed) / Business Insider, 0.55
    - ``reuters``: place divergence, Reuters / Wire story, 0.75

    Returns the page and each finding's element id.
    """
    articles, problems = read_bundle([BLINKEN])
    articles = [
        dataclasses.replace(a, outlet=ODD_OUTLET) if a.outlet == "CBS News" else a for a in articles
    ]
    by_outlet = {a.outlet: a for a in articles}
    wire, bi = by_outlet["Wire story"], by_outlet["Business Insider"]
    cbs, reuters = by_outlet[ODD_OUTLET], by_outlet["Reuters"]
    weekday = make_finding(wire, HEADLINE_WIRE, "Wednesday", bi, HEADLINE_BI, "Tuesday")
    odd = make_finding(
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
    odd.confidence = 0.55
    place = make_finding(
        reuters,
        "The positive case was confirmed on Wednesday",
        "Malaysia",
        wire,
        HEADLINE_WIRE,
        "Kuala Lumpur",
        check="place",
        verdict="divergence",
        severity="medium",
    )
    place.confidence = 0.75
    report: Report = report_for(articles, [weekday, odd, place], problems)
    ids = {view.finding.fingerprint: view.dom_id for view in finding_views(report)}
    path = tmp_path_factory.mktemp("filters") / "report.html"
    path.write_text(render_html(report), encoding="utf-8")
    names = {"weekday": weekday, "odd": odd, "reuters": place}
    return path, {name: ids[f.fingerprint] for name, f in names.items()}


@pytest.fixture
def filter_page(browser: Any, filter_report: tuple[Path, dict[str, str]]) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(filter_report[0].as_uri())
    yield page
    context.close()


def shown(page: Any, ids: dict[str, str]) -> set[str]:
    """The names of the findings on screen; checks the 'Showing N' count agrees."""
    names = {name for name, dom_id in ids.items() if page.locator(f"#{dom_id}").is_visible()}
    assert int(page.inner_text("#shown-count")) == len(names)
    return names


def outlet_box(page: Any, outlet: str) -> Any:
    return page.locator("#filters input[name='outlet']").and_(page.get_by_label(outlet, exact=True))


def set_min_confidence(page: Any, value: str) -> None:
    page.locator("#min-confidence").fill(value)


ALL = {"weekday", "odd", "reuters"}


def test_outlet_checkboxes_show_findings_that_involve_a_ticked_outlet(
    filter_page: Any, filter_report: tuple[Path, dict[str, str]]
) -> None:
    page, ids = filter_page, filter_report[1]
    assert shown(page, ids) == ALL
    outlet_box(page, "Business Insider").uncheck()  # every finding still has a ticked side
    assert shown(page, ids) == ALL
    outlet_box(page, ODD_OUTLET).uncheck()  # odd: CBS and Business Insider both unticked
    assert shown(page, ids) == {"weekday", "reuters"}
    outlet_box(page, "Wire story").uncheck()
    assert shown(page, ids) == {"reuters"}
    outlet_box(page, "Reuters").uncheck()
    assert shown(page, ids) == set()
    page.click("#filters button.all-outlets")
    assert shown(page, ids) == ALL


def test_only_this_outlet_shows_the_findings_where_it_is_one_side(
    filter_page: Any, filter_report: tuple[Path, dict[str, str]]
) -> None:
    page, ids = filter_page, filter_report[1]
    expected = {
        "Business Insider": {"weekday", "odd"},
        "Wire story": {"weekday", "reuters"},
        "Reuters": {"reuters"},
        ODD_OUTLET: {"odd"},
    }
    for outlet, names in expected.items():
        page.get_by_role("button", name=f"only {outlet}", exact=True).click()
        assert shown(page, ids) == names, outlet
        ticked = page.eval_on_selector_all(
            "#filters input[name='outlet']:checked", "els => els.map(e => e.value)"
        )
        assert ticked == [outlet]
    # the outlet name is shown as text, not markup
    assert page.locator("#filters b").count() == 0
    assert ODD_OUTLET in page.inner_text("#filters")


def test_the_verdict_filter(filter_page: Any, filter_report: tuple[Path, dict[str, str]]) -> None:
    page, ids = filter_page, filter_report[1]
    page.check("#filters input[name='verdict'][value='divergence']")
    assert shown(page, ids) == {"odd", "reuters"}
    page.check("#filters input[name='verdict'][value='contradiction']")
    assert shown(page, ids) == {"weekday"}
    page.check("#filters input[name='verdict'][value='']")
    assert shown(page, ids) == ALL


def test_the_minimum_confidence_filter(
    filter_page: Any, filter_report: tuple[Path, dict[str, str]]
) -> None:
    page, ids = filter_page, filter_report[1]
    set_min_confidence(page, "0.55")  # a finding exactly at the minimum stays
    assert shown(page, ids) == ALL
    set_min_confidence(page, "0.6")
    assert shown(page, ids) == {"weekday", "reuters"}
    assert page.inner_text("#min-confidence-value") == "0.60"
    set_min_confidence(page, "0.8")
    assert shown(page, ids) == {"weekday"}
    set_min_confidence(page, "0.95")
    assert shown(page, ids) == set()
    set_min_confidence(page, "0")
    assert shown(page, ids) == ALL


def test_filters_combine(filter_page: Any, filter_report: tuple[Path, dict[str, str]]) -> None:
    page, ids = filter_page, filter_report[1]
    page.get_by_role("button", name="only Wire story", exact=True).click()
    page.check("#filters input[name='verdict'][value='divergence']")
    assert shown(page, ids) == {"reuters"}
    page.uncheck("#filters input[name='check'][value='place']")
    assert shown(page, ids) == set()
    page.click("#reset-filters")
    assert shown(page, ids) == ALL


def test_the_url_fragment_keeps_the_filters_across_a_reload_and_a_shared_link(
    browser: Any,
    filter_page: Any,
    filter_report: tuple[Path, dict[str, str]],
    artifacts: Path,
) -> None:
    page, ids = filter_page, filter_report[1]
    assert page.evaluate("location.hash") == ""
    page.get_by_role("button", name=f"only {ODD_OUTLET}", exact=True).click()
    page.uncheck("#filters input[name='severity'][value='high']")
    page.check("#filters input[name='verdict'][value='divergence']")
    set_min_confidence(page, "0.5")
    assert shown(page, ids) == {"odd"}
    fragment = page.evaluate("location.hash")
    assert fragment.startswith("#filter?")
    link = page.url
    assert link.endswith(fragment)

    def state(p: Any) -> dict[str, Any]:
        return {
            "checked": p.eval_on_selector_all(
                "#filters input:checked", "els => els.map(e => e.name + '=' + e.value)"
            ),
            "confidence": p.input_value("#min-confidence"),
            "shown": shown(p, ids),
        }

    before = state(page)
    assert before["confidence"] == "0.5"
    page.reload()
    assert page.evaluate("location.hash") == fragment
    assert state(page) == before

    # the link opened in a new window reproduces the view
    other = browser.new_context(viewport=PHONE)
    try:
        fresh = other.new_page()
        fresh.goto(link)
        assert state(fresh) == before
        assert_no_horizontal_scrolling(fresh)
        fresh.screenshot(path=str(artifacts / "report-filters-390.png"), full_page=True)
    finally:
        other.close()

    # back to everything: the fragment goes, and a reload shows every finding
    page.click("#reset-filters")
    assert shown(page, ids) == ALL
    assert page.evaluate("location.hash") == ""
    page.reload()
    assert shown(page, ids) == ALL
    page.screenshot(path=str(artifacts / "report-filters-1280.png"), full_page=True)


def test_a_fragment_naming_an_element_is_not_read_as_filters(
    filter_page: Any, filter_report: tuple[Path, dict[str, str]]
) -> None:
    page, ids = filter_page, filter_report[1]
    page.goto(filter_report[0].as_uri() + "#" + ids["odd"])
    page.reload()
    assert shown(page, ids) == ALL
    assert page.evaluate("location.hash") == "#" + ids["odd"]
