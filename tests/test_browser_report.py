"""The HTML report for examples/blinken-2021-12 in headless Chromium (Debian's package).

Checks that the headline finding (wire story: Wednesday, Business Insider: Tuesday) is visible,
that the filters hide and show findings, that a link reaches the article, that the page makes no
network request, and saves a screenshot to ``$CROSSCLAIM_ARTIFACTS`` (default ``artifacts/``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from browser_support import launch_chromium, needs_chromium
from gate_report_factory import BLINKEN, ROOT

from checker.render.html import render_html
from checker.settings import Settings

pytestmark = [*needs_chromium, pytest.mark.slow]


def artifacts_dir() -> Path:
    path = Path(os.environ.get("CROSSCLAIM_ARTIFACTS") or ROOT / "artifacts")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report of the real pipeline over the example (rule checks: the headline is a rule
    finding, and the NLI model is not needed to show it)."""
    from checker.pipeline import run_report

    report = run_report([BLINKEN], Settings(use_nli=False))
    top = report.sorted_findings()[0]
    assert (top.check, top.verdict) == ("temporal", "contradiction")
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(render_html(report), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def page(report_file: Path):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": 1280, "height": 2000})
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(report_file.as_uri())
        page.requests = requests  # type: ignore[attr-defined]
        yield page
        browser.close()


def test_headline_finding_is_visible_and_screenshot_saved(page) -> None:
    headline = page.locator("#headline")
    assert headline.is_visible()
    text = headline.inner_text()
    assert "temporal contradiction" in text
    assert "Wednesday" in text and "Tuesday" in text
    assert headline.get_by_text("Wire story").is_visible()
    assert page.locator("#headline mark", has_text="Tuesday").is_visible()
    shot = artifacts_dir() / "html-report-blinken-2021-12.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000


def test_the_page_makes_no_network_request(page) -> None:
    assert [url for url in page.requests if not url.startswith("file://")] == []


def test_unticking_a_check_hides_its_findings(page) -> None:
    temporal = page.locator("article.finding[data-check='temporal']")
    assert temporal.count() >= 1 and temporal.first.is_visible()
    total = page.locator("article.finding").count()
    page.locator("#filters input[name='check'][value='temporal']").uncheck()
    assert not temporal.first.is_visible()
    shown = int(page.locator("#shown-count").inner_text())
    assert shown == total - temporal.count()
    page.locator("#filters input[name='check'][value='temporal']").check()
    assert temporal.first.is_visible()


def test_a_finding_links_to_its_place_in_the_article(page) -> None:
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
