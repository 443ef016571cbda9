"""The review app in a real browser (Debian's chromium, driven by Playwright).

Also the layout: the queue, a finding, an article and the event pages need no horizontal scrolling
at phone (390 px) and desktop (1280 px) width, and at 390x844 a finding's two sides stack in one
column with the verdict form on the first screen. Screenshots go to ``$CROSSCLAIM_ARTIFACTS``
(else a pytest temporary folder) as ``review-<page>-<width>.png``.
"""

from __future__ import annotations

import threading

import pytest
from browser_support import (
    artifacts_dir,
    assert_no_horizontal_scrolling,
    launch_chromium,
    needs_chromium,
)
from review_seed import seed_store

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs playwright (dev extra)")
    with sync_api.sync_playwright() as p:
        browser = launch_chromium(p)
        yield browser
        browser.close()


@pytest.fixture
def served(tmp_path):
    from werkzeug.serving import make_server

    from checker.workspace.review_app import create_app

    db_url = f"sqlite:///{tmp_path / 'review.db'}"
    ids = seed_store(db_url)
    server = make_server("127.0.0.1", 0, create_app(db_url), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", ids
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_keyboard_review_is_kept_after_reload(served, page):
    base, ids = served
    page.goto(base + "/")
    page.keyboard.press("Enter")  # open the selected (most serious) finding
    page.wait_for_url(f"**/findings/{ids['weekday']}")
    page.fill("#reviewer", "Ana")
    page.fill("#note", "State Department transcript says Wednesday")
    page.keyboard.press("Escape")  # leave the text field: shortcuts apply again
    page.keyboard.press("c")
    page.wait_for_url("**saved=confirmed")
    page.reload()
    assert page.inner_text("#status") == "confirmed"
    row = page.inner_text("#history tbody tr")
    assert "confirmed" in row and "Ana" in row and "transcript says Wednesday" in row
    page.goto(base + "/")
    assert ids["weekday"] not in page.content()


def test_j_moves_down_the_queue_and_k_back(served, page):
    base, ids = served
    page.goto(base + "/")
    page.keyboard.press("j")
    page.keyboard.press("j")  # stops at the last row
    page.keyboard.press("k")
    page.keyboard.press("j")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/findings/{ids['script']}")
    page.keyboard.press("k")
    page.wait_for_url(f"**/findings/{ids['weekday']}")


def test_article_script_tag_is_shown_as_text_and_never_runs(served, page):
    base, ids = served
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{base}/findings/{ids['script']}")
    assert "<script>alert(1)</script>" in page.inner_text("#side-2 .sentence")
    page.goto(f"{base}/articles/{ids['insider']}")
    assert "<script>alert(1)</script>" in page.inner_text(".article")
    assert dialogs == []


# --- layout at phone and desktop width -----------------------------------------------------

PHONE = {"width": 390, "height": 844}
PAGES = {
    "queue": lambda ids: "/",
    "finding": lambda ids: f"/findings/{ids['weekday']}",
    "article": lambda ids: f"/articles/{ids['insider']}",
    "events": lambda ids: "/events",
    "event": lambda ids: f"/events/{ids['event']}",
}


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory):
    return artifacts_dir(tmp_path_factory.mktemp("artifacts"))


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("name", sorted(PAGES))
def test_review_pages_need_no_horizontal_scrolling(served, browser, artifacts, name, width):
    base, ids = served
    context = browser.new_context(viewport={"width": width, "height": PHONE["height"]})
    try:
        page = context.new_page()
        page.goto(base + PAGES[name](ids))
        assert_no_horizontal_scrolling(page)
        shot = artifacts / f"review-{name}-{width}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 5_000
    finally:
        context.close()


def boxes(page, *selectors):
    return [page.locator(selector).bounding_box() for selector in selectors]


def assert_verdict_form_on_first_screen(page):
    assert page.evaluate("window.scrollY") == 0
    form, confirm, follow_up = boxes(page, "#verdict-form", "#btn-confirmed", "#btn-follow_up")
    height = page.evaluate("window.innerHeight")
    assert form["y"] < height, form
    for button in (confirm, follow_up):  # the buttons themselves, not just the form's top edge
        assert 0 <= button["y"] and button["y"] + button["height"] <= height, button


def test_at_phone_width_a_finding_is_one_column_with_the_verdict_form_on_the_first_screen(
    served, browser
):
    base, ids = served
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(f"{base}/findings/{ids['weekday']}")
        assert_verdict_form_on_first_screen(page)
        one, two = boxes(page, "#side-1", "#side-2")
        assert two["y"] >= one["y"] + one["height"]  # stacked, not side by side
        assert abs(one["x"] - two["x"]) < 1 and one["width"] > 0.8 * PHONE["width"]
        # the form works where it stands, and stays on the first screen after saving
        page.fill("#reviewer", "Ana")
        page.click("#btn-dismissed")
        page.wait_for_url("**saved=dismissed")
        assert page.inner_text("#status") == "dismissed as a false alarm"
        assert_verdict_form_on_first_screen(page)
        assert_no_horizontal_scrolling(page)
    finally:
        context.close()


def test_at_desktop_width_a_findings_sides_stand_side_by_side(served, browser):
    base, ids = served
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(f"{base}/findings/{ids['weekday']}")
        one, two, form = boxes(page, "#side-1", "#side-2", "#verdict-form")
        assert abs(one["y"] - two["y"]) < 1 and two["x"] >= one["x"] + one["width"]
        assert form["y"] > one["y"] + one["height"]  # on a wide screen: evidence first, then form
    finally:
        context.close()
