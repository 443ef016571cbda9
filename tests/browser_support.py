"""Debian's chromium for the browser tests: where it is and how to start it here, where the
screenshots go, and how to tell that a page needs no horizontal scrolling."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
#: without the background-networking flags chromium keeps trying hosts this machine cannot reach
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

needs_chromium = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"
    ),
]


def launch_chromium(playwright: Any) -> Any:
    """A headless Debian chromium driven by Playwright (never a downloaded browser)."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)


def artifacts_dir(fallback: Path) -> Path:
    """Where screenshots go: ``$CROSSCLAIM_ARTIFACTS`` (``.ci/run`` sets it), else ``fallback``
    (a pytest temporary folder)."""
    path = Path(os.environ.get("CROSSCLAIM_ARTIFACTS") or fallback)
    path.mkdir(parents=True, exist_ok=True)
    return path


#: the page's width against the window's, and the elements that stick out on the right
_OVERFLOW_JS = """() => {
  const width = window.innerWidth;
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.right > width + 0.5 && out.length < 8) {
      const cls = typeof el.className === "string" && el.className ? "." + el.className : "";
      const id = el.id ? "#" + el.id : "";
      out.push(el.tagName.toLowerCase() + id + cls + " right=" + Math.round(r.right));
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: width, sticking_out: out};
}"""


def horizontal_overflow(page: Any) -> dict[str, Any]:
    """``scrollWidth`` and ``innerWidth`` of the page, with up to 8 elements wider than the window
    (some may be clipped inside a box that scrolls on its own: listed to explain a failure)."""
    result: dict[str, Any] = page.evaluate(_OVERFLOW_JS)
    return result


def assert_no_horizontal_scrolling(page: Any) -> int:
    """Fail unless the page fits the window's width (nothing to scroll sideways); returns the
    page's ``scrollWidth``."""
    measured = horizontal_overflow(page)
    assert measured["scrollWidth"] <= measured["innerWidth"], measured
    return int(measured["scrollWidth"])
