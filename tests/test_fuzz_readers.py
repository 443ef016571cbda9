"""Hypothesis fuzzing of the readers and of extraction with generated article files.

Strategies build article files from parts that go wrong in practice: front matter (present,
unclosed, not YAML, not a mapping, odd values), encodings (UTF-8 with and without BOM, UTF-16,
Latin-1, stray bytes), JSON nesting, sizes around the limits, and publication dates from year 1
to 9999 with offsets up to +-23:59. Properties:

* :func:`claims.readers.read_bundle` never raises; every file gives articles or one-line
  problems that name it, and never both for a ``.md``/``.json`` file;
* every article it returns keeps to the limits, has a publication date inside the plausible
  window (or none), and its text has no line-end other than ``\\n``;
* extraction (``checker.pipeline.extract_all``) never raises on what the readers return: a
  failure is a one-line problem.

The example budget is fixed and the search derandomized, so CI time is bounded and a failure
reproduces.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from checker.pipeline import Models, extract_all  # noqa: E402
from checker.settings import Settings  # noqa: E402
from claims.readers import ReadLimits, read_bundle  # noqa: E402
from claims.records import InputProblem  # noqa: E402

#: small limits, so that sizes around them are cheap to generate.
LIMITS = ReadLimits(
    max_article_chars=3_000, max_article_sentences=30, max_line_chars=800, max_json_depth=8
)
NOW = dt.datetime(2024, 4, 30, 12, 0, tzinfo=dt.UTC)
FUZZ = settings(
    max_examples=60,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

words = st.sampled_from(
    [
        "Blinken",
        "said",
        "on",
        "Tuesday",
        "the",
        "minister",
        "3",
        "people",
        "left",
        "Jakarta",
        "\u202e",
        "\u00e9t\u00e9",
        "\u65e5\u672c",
        "not",
        '"quote"',
        "Dec.",
        "U.S.",
        "-",
        "#",
        "\t",
    ]
)
sentence = st.lists(words, min_size=1, max_size=14).map(lambda w: " ".join(w) + ".")
paragraph = st.lists(sentence, min_size=1, max_size=6).map(" ".join)
body = st.one_of(
    st.lists(paragraph, min_size=0, max_size=12).map("\n\n".join),
    st.text(max_size=400),
    st.integers(min_value=1, max_value=5_000).map(lambda n: "x" * n),
    st.integers(min_value=1, max_value=60).map(lambda n: "It rained on Monday. " * n),
)


@st.composite
def published(draw: st.DrawFn) -> object:
    """A publication date as front matter or JSON may carry it, plausible or not."""
    kind = draw(st.sampled_from(["iso", "date", "junk", "number", "none", "extreme"]))
    if kind == "none":
        return None
    if kind == "number":
        return draw(st.integers())
    if kind == "junk":
        return draw(st.text(max_size=30))
    year = draw(st.sampled_from([1, 2, 1899, 1900, 2021, 2024, 2025, 2999, 9998, 9999]))
    month, day = draw(st.integers(1, 12)), draw(st.integers(1, 28))
    if kind == "date":
        return f"{year:04d}-{month:02d}-{day:02d}"
    hours = draw(st.integers(-23, 23))
    minutes = draw(st.integers(0, 59))
    sign = "-" if hours < 0 else "+"
    clock = "23:59:59" if kind == "extreme" else draw(st.sampled_from(["00:00:00", "08:42:00"]))
    return f"{year:04d}-{month:02d}-{day:02d}T{clock}{sign}{abs(hours):02d}:{minutes:02d}"


meta_value = st.one_of(
    st.text(max_size=40), st.integers(), st.none(), st.lists(st.integers(), max_size=3)
)


@st.composite
def front_matter(draw: st.DrawFn) -> str:
    """A front-matter block: good, unclosed, not a mapping, not YAML, or nested."""
    kind = draw(st.sampled_from(["good", "good", "unclosed", "list", "garbage", "nested", "none"]))
    if kind == "none":
        return ""
    if kind == "unclosed":
        return "---\noutlet: A\n"
    if kind == "list":
        return "---\n- a\n- b\n---\n"
    if kind == "garbage":
        return "---\n" + draw(st.text(max_size=60)) + "\n---\n"
    if kind == "nested":
        depth = draw(st.integers(1, 3_000))
        return "---\nnote: " + "[" * depth + "]" * depth + "\n---\n"
    meta = {
        "outlet": draw(
            st.one_of(st.sampled_from(["Wire", "CBS", "Re\u202euters", ""]), meta_value)
        ),
        "title": draw(st.one_of(st.sampled_from(["Blinken cuts trip", "x" * 900]), meta_value)),
        "url": draw(st.sampled_from(["https://x/1", "", "not a url"])),
    }
    date = draw(published())
    lines = [f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in meta.items()]
    if date is not None:
        lines.append(f"published: {date}")
    return "---\n" + "\n".join(lines) + "\n---\n"


@st.composite
def nested_json(draw: st.DrawFn) -> str:
    depth = draw(st.integers(0, 2_000))
    return "[" * depth + "]" * depth


@st.composite
def json_article(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["object", "object", "nested", "wrong", "broken"]))
    if kind == "nested":
        return draw(nested_json())
    if kind == "broken":
        return draw(st.text(max_size=80))
    if kind == "wrong":
        return json.dumps(draw(st.one_of(st.integers(), st.lists(st.integers()), st.text())))
    data = {
        "outlet": draw(meta_value),
        "title": draw(meta_value),
        "published": draw(published()),
        "text": draw(st.one_of(body, meta_value)),
    }
    if draw(st.booleans()):
        depth = draw(st.integers(1, 50))
        data["extra"] = json.loads("[" * depth + "]" * depth)
    return json.dumps(data, ensure_ascii=draw(st.booleans()))


@st.composite
def encoded(draw: st.DrawFn, text: str) -> bytes:
    """``text`` in an encoding a file might have, or with stray bytes."""
    kind = draw(
        st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16", "latin-1", "stray", "crlf"])
    )
    if kind == "latin-1":
        return text.encode("latin-1", errors="replace")
    if kind == "stray":
        data = bytearray(text.encode("utf-8"))
        at = draw(st.integers(0, len(data)))
        data[at:at] = draw(st.binary(min_size=1, max_size=4))
        return bytes(data)
    if kind == "crlf":
        return text.replace("\n", "\r\n").encode("utf-8")
    return text.encode(kind)


@st.composite
def article_file(draw: st.DrawFn) -> tuple[str, bytes]:
    """A (file name, bytes) pair of any supported type."""
    suffix = draw(st.sampled_from([".md", ".txt", ".json", ".jsonl", ".html"]))
    if suffix in (".md", ".txt"):
        text = draw(front_matter()) + draw(body)
    elif suffix == ".json":
        text = draw(json_article())
    elif suffix == ".jsonl":
        text = "\n".join(draw(st.lists(json_article(), min_size=0, max_size=4)))
    else:
        text = "<html><head><title>T</title></head><body><p>" + draw(body) + "</p></body></html>"
    return f"a{suffix}", draw(encoded(text))


def _check_read(name: str, data: bytes) -> tuple[list, list[InputProblem]]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        articles, problems = read_bundle([path], 200_000, LIMITS, now=NOW)
        for problem in problems:
            assert problem.source.startswith(str(path)), problem
            assert problem.message and "\n" not in problem.message, problem
        if not name.endswith(".jsonl"):
            assert len(articles) + len(problems) == 1, (articles, problems)
        for article in articles:
            assert len(article.text) <= LIMITS.max_article_chars
            assert all(len(line) <= LIMITS.max_line_chars for line in article.text.split("\n"))
            assert len(article.title) <= LIMITS.max_line_chars
            assert "\r" not in article.text
            if article.published is not None:
                assert article.published.year >= LIMITS.earliest_year
                offset = article.published.utcoffset()
                assert offset is None or dt.timedelta(hours=-12) <= offset <= dt.timedelta(hours=14)
                assert article.published.replace(tzinfo=None) <= dt.datetime(2024, 5, 3)
        return articles, problems


@FUZZ
@given(article_file())
def test_read_bundle_never_raises_and_keeps_its_promises(file: tuple[str, bytes]) -> None:
    _check_read(*file)


@pytest.fixture(scope="module")
def rule_models(models) -> Models:  # noqa: ANN001 - the session fixture of tests/conftest.py
    loaded = Models(Settings(use_nli=False))
    loaded._nlp, loaded._embedder = models._nlp, models._embedder
    return loaded


def test_extraction_never_raises_on_what_the_readers_return(rule_models: Models) -> None:
    """Every article the readers accept goes through extraction without an exception (a failure
    would be a one-line problem); 40 generated files, derandomized."""

    @settings(
        max_examples=40,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(article_file())
    def run(file: tuple[str, bytes]) -> None:
        articles, _ = _check_read(*file)
        problems: list[InputProblem] = []
        extract_all(articles, rule_models, None, None, problems)
        assert all("\n" not in p.message for p in problems)
        assert not [p for p in problems if "claim extraction failed" in p.message], problems

    run()
