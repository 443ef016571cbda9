"""The review app in a real browser (Debian's chromium, driven by Playwright)."""

from __future__ import annotations

import threading

import pytest
from browser_support import launch_chromium, needs_chromium
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
