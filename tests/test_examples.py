"""The example bundles: readable, complete, verbatim, and free of page furniture."""

from __future__ import annotations

from pathlib import Path

import pytest

from claims.readers import read_bundle

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "blinken-asia-trip-scrape.txt"
BUNDLES = ["blinken-2021-12", "austin-dong-2024-04"]
FURNITURE = [
    "Watch CBS News",
    "Recommended Stories",
    "Related stories",
    "More from CBS News",
    "Insider Today",
    "FILE -",
    "AP Photo",
    "Copy Link",
    "Reporting by",
    "is a politics reporter",
    "•",
]


def _articles(bundle: str) -> dict:
    articles, problems = read_bundle([EXAMPLES / bundle])
    assert problems == []
    return {a.id: a for a in articles}


@pytest.mark.parametrize("bundle", BUNDLES)
def test_bundle_reads_without_problems_or_warnings(bundle: str) -> None:
    articles = _articles(bundle)
    assert len(articles) >= 2
    for article in articles.values():
        assert article.warnings == ()
        assert article.published is not None and article.published.utcoffset() is not None
        assert article.title


@pytest.mark.parametrize("bundle", BUNDLES)
def test_bundle_has_readme_that_is_not_read_as_an_article(bundle: str) -> None:
    assert (EXAMPLES / bundle / "README.md").is_file()
    assert "README" not in _articles(bundle)


@pytest.mark.parametrize("bundle", BUNDLES)
def test_bundle_text_has_no_page_furniture(bundle: str) -> None:
    for article in _articles(bundle).values():
        for marker in FURNITURE:
            assert marker not in article.text, f"{article.id}: {marker!r}"


def test_blinken_bundle_has_the_four_outlets() -> None:
    outlets = {a.outlet for a in _articles("blinken-2021-12").values()}
    assert outlets == {"Wire story", "CBS News", "Business Insider", "Reuters"}


def test_blinken_bundle_holds_the_conflicting_test_dates() -> None:
    articles = _articles("blinken-2021-12")
    assert "Blinken and senior staff tested negative on Tuesday, Price said." in (
        articles["business-insider"].text
    )
    assert (
        "Blinken and senior officials had tested negative on Wednesday in Kuala Lumpur, when "
        "the positive case was confirmed, Price said," in articles["wire"].text
    )


def test_austin_bundle_versions_differ_only_in_dateline() -> None:
    articles = _articles("austin-dong-2024-04")
    ap, syndicated = articles["ap"], articles["ap-syndicated"]
    assert ap.text.startswith("WASHINGTON (AP) — ")
    assert syndicated.text.startswith("WASHINGTON — ")
    assert ap.text.replace("WASHINGTON (AP) — ", "WASHINGTON — ", 1) == syndicated.text


@pytest.mark.skipif(not SEED.is_file(), reason="shared seed file not present")
@pytest.mark.parametrize("bundle", BUNDLES)
def test_every_paragraph_is_copied_verbatim_from_the_seed(bundle: str) -> None:
    seed_lines = {line.strip().lstrip("•").strip() for line in SEED.read_text("utf-8").split("\n")}
    for article in _articles(bundle).values():
        for paragraph in article.text.split("\n"):
            paragraph = paragraph.removeprefix("- ").strip()
            if paragraph:
                assert paragraph in seed_lines, f"{article.id}: {paragraph[:60]!r}"
