"""Reading bundles: formats, metadata fallbacks, and one-line problems for bad files."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from pathlib import Path

import pytest

from claims.readers import line_of_offset, read_bundle

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

ARTICLE_MD = """---
outlet: CBS News
published: 2021-12-15T08:42:00-05:00
title: Blinken ends trip
url: https://example.com/a
---
Washington — Blinken is cutting short a trip, the State Department said Wednesday.

“He left,” Price said.
"""


def _write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def _one_problem(path: Path, **kwargs) -> str:
    articles, problems = read_bundle([path], **kwargs)
    assert articles == []
    assert len(problems) == 1
    assert problems[0].source == str(path)
    assert "\n" not in problems[0].message
    return problems[0].message


def test_markdown_front_matter_gives_metadata_and_body(tmp_path: Path) -> None:
    path = _write(tmp_path, "cbs.md", ARTICLE_MD)
    [article], problems = read_bundle([path])
    assert problems == []
    assert article.id == "cbs"
    assert article.outlet == "CBS News"
    assert article.title == "Blinken ends trip"
    assert article.url == "https://example.com/a"
    assert article.published == dt.datetime(
        2021, 12, 15, 8, 42, tzinfo=dt.timezone(dt.timedelta(hours=-5))
    )
    assert article.text.startswith("Washington — Blinken")
    assert "“He left,”" in article.text  # curly quotes untouched
    assert article.line == 7
    assert article.warnings == ()


def test_folder_skips_readme_hidden_and_other_files(tmp_path: Path) -> None:
    _write(tmp_path, "README.md", "# About this bundle\n\nNot an article.")
    _write(tmp_path, "README.txt", "Not an article either.")
    _write(tmp_path, ".draft.md", ARTICLE_MD)
    _write(tmp_path, "notes.pdf", "%PDF")
    _write(tmp_path, "b.md", ARTICLE_MD)
    _write(tmp_path, "a.md", ARTICLE_MD)
    articles, problems = read_bundle([tmp_path])
    assert [a.id for a in articles] == ["a", "b"]
    assert problems == []


def test_missing_outlet_falls_back_to_file_stem_with_warning(tmp_path: Path) -> None:
    path = _write(tmp_path, "business-insider.md", "---\npublished: 2021-12-15\n---\nA b c d.\n")
    [article], _ = read_bundle([path])
    assert article.outlet == "business-insider"
    assert any("no outlet" in w for w in article.warnings)


def test_missing_date_leaves_published_none_with_warning(tmp_path: Path) -> None:
    path = _write(tmp_path, "x.md", "---\noutlet: X\n---\nBlinken left on Tuesday.\n")
    [article], _ = read_bundle([path])
    assert article.published is None
    assert any("no publication date" in w for w in article.warnings)


def test_unparseable_date_is_a_warning_not_a_guess(tmp_path: Path) -> None:
    path = _write(tmp_path, "x.md", "---\noutlet: X\npublished: 15/12/2021\n---\nA b c d.\n")
    [article], problems = read_bundle([path])
    assert problems == []
    assert article.published is None
    assert any("unparseable publication date '15/12/2021'" in w for w in article.warnings)


def test_published_without_offset_stays_naive_local_time_with_warning(tmp_path: Path) -> None:
    path = _write(
        tmp_path, "x.md", "---\noutlet: X\npublished: 2021-12-15T08:42:00\n---\nA b c d.\n"
    )
    [article], _ = read_bundle([path])
    assert article.published == dt.datetime(2021, 12, 15, 8, 42)
    assert article.published.tzinfo is None
    assert any("no UTC offset" in w for w in article.warnings)


def test_published_date_only_warns_that_time_of_day_is_unknown(tmp_path: Path) -> None:
    path = _write(tmp_path, "x.md", "---\noutlet: X\npublished: 2021-12-15\n---\nA b c d.\n")
    [article], _ = read_bundle([path])
    assert article.published == dt.datetime(2021, 12, 15)
    assert any("no time of day" in w for w in article.warnings)


def test_file_without_front_matter_is_all_body(tmp_path: Path) -> None:
    path = _write(tmp_path, "plain.txt", "Blinken left early.\n\nPrice said so.\n")
    [article], _ = read_bundle([path])
    assert article.text == "Blinken left early.\n\nPrice said so."
    assert article.line == 1
    assert article.outlet == "plain"


def test_body_normalisation_collapses_blank_runs_and_keeps_file_lines(tmp_path: Path) -> None:
    text = "---\noutlet: X\n---\n\nFirst paragraph.   \n\n\n\n\nSecond paragraph.\r\n"
    path = _write(tmp_path, "x.md", text)
    [article], _ = read_bundle([path])
    assert article.text == "First paragraph.\n\nSecond paragraph."
    assert line_of_offset(article, 0) == 5
    assert line_of_offset(article, article.text.index("Second")) == 10


def test_line_of_offset_points_at_the_example_line(tmp_path: Path) -> None:
    [article], _ = read_bundle([EXAMPLES / "blinken-2021-12" / "business-insider.md"])
    offset = article.text.index("Blinken and senior staff tested negative on Tuesday, Price")
    file_lines = Path(article.source).read_text(encoding="utf-8").split("\n")
    assert (
        "tested negative on Tuesday, Price said" in file_lines[line_of_offset(article, offset) - 1]
    )


def test_bad_yaml_front_matter_is_one_problem(tmp_path: Path) -> None:
    path = _write(tmp_path, "x.md", "---\noutlet: [unclosed\n---\nA b c d.\n")
    assert _one_problem(path).startswith("bad YAML front matter")


def test_front_matter_that_is_not_a_mapping_is_a_problem(tmp_path: Path) -> None:
    path = _write(tmp_path, "x.md", "---\n- a\n- b\n---\nA b c d.\n")
    assert "not a mapping" in _one_problem(path)


def test_unclosed_front_matter_is_a_problem(tmp_path: Path) -> None:
    path = _write(tmp_path, "x.md", "---\noutlet: X\nA b c d.\n")
    assert "front matter not closed" in _one_problem(path)


def test_empty_file_is_a_problem(tmp_path: Path) -> None:
    assert _one_problem(_write(tmp_path, "x.md", "  \n\n")) == "empty file"


def test_binary_file_is_a_problem(tmp_path: Path) -> None:
    path = _write(tmp_path, "x.md", b"abc\x00\x01\x02")
    assert _one_problem(path) == "binary file, not text (NUL byte at offset 3)"


def test_non_utf8_file_names_byte_and_offset(tmp_path: Path) -> None:
    path = _write(tmp_path, "x.txt", "Caf\u00e9 au lait.".encode("latin-1"))
    assert _one_problem(path) == "not UTF-8 text (byte 0xe9 at offset 3)"


def test_too_large_file_is_a_problem(tmp_path: Path) -> None:
    path = _write(tmp_path, "x.txt", "word " * 100)
    assert _one_problem(path, max_bytes=100).startswith("file too large (500 bytes")


def test_front_matter_only_is_a_problem(tmp_path: Path) -> None:
    path = _write(tmp_path, "x.md", "---\noutlet: X\n---\n\n")
    assert "no article text" in _one_problem(path)


def test_json_article_object(tmp_path: Path) -> None:
    data = {"outlet": "Reuters", "published": "2021-12-15T05:00:00+00:00", "text": "A b c d."}
    path = _write(tmp_path, "r.json", json.dumps(data))
    [article], problems = read_bundle([path])
    assert problems == []
    assert (article.id, article.outlet, article.text) == ("r", "Reuters", "A b c d.")
    assert article.published == dt.datetime(2021, 12, 15, 5, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "not valid JSON (line 1, column 2"),
        ("[1, 2]", "JSON is a list, not an article object"),
        ('{"outlet": "X"}', "article object has no 'text' field"),
        ('{"text": 5}', "'text' is a number, not a string"),
        ('{"text": "  "}', "'text' is empty"),
    ],
)
def test_malformed_json_is_one_problem(tmp_path: Path, content: str, expected: str) -> None:
    assert _one_problem(_write(tmp_path, "x.json", content)).startswith(expected)


def test_jsonl_bad_line_is_reported_and_other_lines_read(tmp_path: Path) -> None:
    lines = [
        json.dumps({"outlet": "A", "text": "Blinken left early."}),
        "{broken",
        "",
        json.dumps({"outlet": "B", "text": "Blinken left late."}),
    ]
    path = _write(tmp_path, "feed.jsonl", "\n".join(lines))
    articles, problems = read_bundle([path])
    assert [a.id for a in articles] == ["feed#1", "feed#4"]
    assert [a.line for a in articles] == [1, 4]
    assert [p.source for p in problems] == [f"{path}:2"]


def test_html_page_read_through_trafilatura(tmp_path: Path) -> None:
    paragraph = (
        "Secretary of State Antony Blinken is cutting short a three-country swing through "
        "Southeast Asia after a member of the press tested positive, the State Department said."
    )
    html = f"""<html><head><title>Blinken ends trip | CBS News</title>
<meta property="og:site_name" content="CBS News">
<meta property="article:published_time" content="2021-12-15T08:42:00-05:00">
<meta property="og:title" content="Blinken ends trip">
</head><body><nav><ul><li>Home</li><li>World</li></ul></nav>
<article><h1>Blinken ends trip</h1><p>{paragraph}</p><p>{paragraph}</p></article>
</body></html>"""
    path = _write(tmp_path, "cbs.html", html)
    [article], problems = read_bundle([path])
    assert problems == []
    assert article.outlet == "CBS News"
    assert article.title == "Blinken ends trip"
    assert article.published is not None and article.published.date() == dt.date(2021, 12, 15)
    assert article.text.startswith("Secretary of State")
    assert "Home" not in article.text


def test_missing_path_and_unsupported_type_are_problems(tmp_path: Path) -> None:
    pdf = _write(tmp_path, "x.pdf", "%PDF")
    articles, problems = read_bundle([tmp_path / "nope.md", pdf])
    assert articles == []
    assert [p.message for p in problems][0] == "no such file or folder"
    assert problems[1].message.startswith("unsupported file type '.pdf'")


def test_bad_file_does_not_lose_the_others(tmp_path: Path, caplog) -> None:
    _write(tmp_path, "a.md", ARTICLE_MD)
    _write(tmp_path, "b.md", b"\xff\xfe bad")
    _write(tmp_path, "c.md", ARTICLE_MD)
    with caplog.at_level(logging.WARNING, logger="claims.readers"):
        articles, problems = read_bundle([tmp_path])
    assert [a.id for a in articles] == ["a", "c"]
    assert len(problems) == 1
    assert "b.md: not UTF-8 text" in str(problems[0])
    # reported once, by the command line's ``error:`` line, not also as a logged warning
    assert "b.md" not in caplog.text


def test_ids_are_unique_when_file_stems_collide(tmp_path: Path) -> None:
    _write(tmp_path, "a.md", ARTICLE_MD)
    _write(tmp_path, "a.json", json.dumps({"outlet": "X", "text": "A b c d."}))
    other = tmp_path / "sub"
    other.mkdir()
    _write(other, "a.md", ARTICLE_MD)
    articles, _ = read_bundle([tmp_path, other])
    ids = [a.id for a in articles]
    assert len(set(ids)) == 3
    assert ids[0] == "a"


# --- limits and hostile inputs -------------------------------------------------------------

NOW = dt.datetime(2024, 4, 30, 12, 0, tzinfo=dt.UTC)


def _dated(tmp_path: Path, published: str) -> tuple[object, list[str]]:
    path = _write(tmp_path, "d.md", ARTICLE_MD.replace("2021-12-15T08:42:00-05:00", published))
    [article], problems = read_bundle([path], now=NOW)
    assert problems == []
    return article.published, list(article.warnings)


@pytest.mark.parametrize(
    ("published", "why"),
    [
        ("9999-12-31T23:59:59-12:00", "is in the future"),
        ("0001-01-01T00:00:00+05:00", "is before 1900"),
        ("2999-01-01T00:00:00+00:00", "is in the future"),
        ("2024-04-29T08:00:00+23:59", "has UTC offset +23:59, which no time zone uses"),
        ("2024-04-29T08:00:00-13:00", "has UTC offset -13:00"),
        ("1899-12-31", "is before 1900"),
        ("2024-05-03T00:00:00+00:00", "is in the future"),
    ],
)
def test_implausible_publication_dates_are_warned_about_and_treated_as_missing(
    tmp_path: Path, published: str, why: str
) -> None:
    value, warnings = _dated(tmp_path, published)
    assert value is None
    assert any(why in w and "treated as missing" in w for w in warnings), warnings


@pytest.mark.parametrize(
    "published",
    ["2024-05-01T23:00:00+14:00", "2024-04-30T20:00:00-12:00", "1900-01-01T00:00:00+00:00"],
)
def test_plausible_edge_dates_are_kept(tmp_path: Path, published: str) -> None:
    value, warnings = _dated(tmp_path, published)
    assert value is not None and warnings == []


def test_json_nested_too_deeply_is_one_problem_not_a_recursion_error(tmp_path: Path) -> None:
    path = _write(tmp_path, "deep.json", "[" * 10_000 + "]" * 10_000)
    assert _one_problem(path) == "JSON nested too deeply (10,000 levels; the limit is 64)"
    lines = _write(tmp_path, "deep.jsonl", '{"text": "A b c d."}\n' + "[" * 5000 + "]" * 5000)
    articles, problems = read_bundle([lines])
    assert len(articles) == 1
    assert [str(p) for p in problems] == [
        f"{lines}:2: JSON nested too deeply (5,000 levels; the limit is 64)"
    ]


def test_yaml_nested_too_deeply_is_one_problem(tmp_path: Path) -> None:
    path = _write(tmp_path, "deep.md", "---\nx: " + "[" * 5000 + "]" * 5000 + "\n---\nBody.\n")
    assert _one_problem(path) == "bad YAML front matter (nested too deeply)"


def test_long_lines_and_long_articles_are_refused(tmp_path: Path) -> None:
    line = _write(tmp_path, "line.md", ARTICLE_MD + "x" * 20_001 + "\n")
    assert _one_problem(line) == "line 10 too long (20,001 characters; the limit is 20,000)"
    first = _write(tmp_path, "first.md", "x" * 1_100_000)
    assert _one_problem(first).startswith("article too long (1,100,000 characters")
    title = _write(tmp_path, "title.md", ARTICLE_MD.replace("Blinken ends trip", "T" * 20_001))
    assert _one_problem(title) == "title too long (20,001 characters; the limit is 20,000)"


def test_symbolic_link_loop_and_broken_link_are_named_as_such(tmp_path: Path) -> None:
    loop = tmp_path / "loop.md"
    loop.symlink_to("loop.md")
    assert _one_problem(loop) == "symbolic link loop (the link points back at itself)"
    broken = tmp_path / "broken.md"
    broken.symlink_to("missing.md")
    assert _one_problem(broken) == "broken symbolic link (its target 'missing.md' is missing)"


def test_folder_entries_that_are_not_files_are_reported_once(tmp_path: Path) -> None:
    _write(tmp_path, "good.md", ARTICLE_MD)
    (tmp_path / "dir.md").mkdir()
    (tmp_path / "loop.json").symlink_to("loop.json")
    os.mkfifo(tmp_path / "pipe.md")
    articles, problems = read_bundle([tmp_path])
    assert [a.id for a in articles] == ["good"]
    assert sorted((Path(p.source).name, p.message) for p in problems) == [
        ("dir.md", "is a folder, not an article file"),
        ("loop.json", "symbolic link loop (the link points back at itself)"),
        ("pipe.md", "not a regular file (a device, socket or pipe)"),
    ]


def test_a_byte_order_mark_alone_is_an_empty_file(tmp_path: Path) -> None:
    for name in ("bom.md", "bom.jsonl"):
        assert _one_problem(_write(tmp_path, name, b"\xef\xbb\xbf \n")) == "empty file"


def test_a_reader_crash_is_one_problem_and_the_others_are_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import claims.readers as readers

    _write(tmp_path, "a.md", ARTICLE_MD)
    _write(tmp_path, "b.json", json.dumps({"text": "A b c d."}))

    def crash(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise RecursionError("maximum recursion depth exceeded\nmore")

    monkeypatch.setattr(readers, "_read_json", crash)
    articles, problems = read_bundle([tmp_path])
    assert [a.id for a in articles] == ["a"]
    assert [p.message for p in problems] == [
        "cannot read (RecursionError: maximum recursion depth exceeded)"
    ]
