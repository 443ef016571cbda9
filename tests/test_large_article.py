"""Large articles: over the limits they are refused in one line naming the file, quickly; at the
limits they are processed in bounded time and memory (``benchmarks/large_article.py``)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from checker.cli.main import app
from checker.pipeline import Models, extract_all
from checker.settings import Settings
from claims.readers import ReadLimits, read_bundle
from claims.records import Article, InputProblem

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from large_article import SMALL, large_article  # noqa: E402

runner = CliRunner()


def test_reader_limits_match_the_settings() -> None:
    """The readers' defaults are the settings' (where the reasons are written)."""
    assert Settings().read_limits() == ReadLimits()


def test_a_5000_sentence_article_is_refused_in_one_line_quickly(tmp_path: Path) -> None:
    big = tmp_path / "big.md"
    big.write_text(large_article(5000), encoding="utf-8")
    assert big.stat().st_size > 400_000
    started = time.perf_counter()
    articles, problems = read_bundle([big])
    assert time.perf_counter() - started < 10
    assert articles == []
    assert len(problems) == 1 and problems[0].source == str(big)
    assert re.fullmatch(
        r"article too long \([\d,]+ characters; the limit is 100,000\)", problems[0].message
    )


def test_an_article_over_the_sentence_limit_is_refused_naming_the_count(tmp_path: Path) -> None:
    big = tmp_path / "big.md"
    big.write_text(large_article(450), encoding="utf-8")  # under the characters limit
    _, problems = read_bundle([big], limits=ReadLimits(max_article_chars=200_000))
    assert [p.message for p in problems] == ["article too long (450 sentences; the limit is 400)"]


def test_report_refuses_the_large_article_and_checks_the_rest(tmp_path: Path) -> None:
    (tmp_path / "big.md").write_text(large_article(5000), encoding="utf-8")
    (tmp_path / "small.md").write_text(SMALL, encoding="utf-8")
    result = runner.invoke(app, ["report", str(tmp_path), "--no-nli", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert [d["id"] for d in json.loads(result.stdout)["documents"]] == ["small"]
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1
    assert errors[0].startswith(f"error: {tmp_path / 'big.md'}: article too long (")
    assert "Traceback" not in result.stderr


def test_extraction_refuses_an_oversize_article_in_one_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An article that did not come through the readers (the review store, another caller) is
    checked against the settings again, before spaCy sees it: one problem, no traceback."""

    class NoNlp:
        def __call__(self, text: str) -> None:
            raise AssertionError("spaCy must not see an oversize article")

    models = Models(Settings(use_nli=False))
    models._nlp = NoNlp()
    huge = Article(id="huge", outlet="H", text="x" * 1_100_000, source="store:huge")
    long_line = Article(id="line", outlet="L", text="y " * 30_000, source="store:line")
    problems: list[InputProblem] = []
    extracted = extract_all([huge, long_line], models, None, None, problems)
    assert extracted.claims == []
    assert [str(p) for p in problems] == [
        "store:huge: article too long (1,100,000 characters; the limit is 100,000)",
        "store:line: line too long (60,000 characters; the limit is 20,000)",
    ]
    assert "Traceback" not in caplog.text


def test_a_failing_extraction_is_one_line_without_a_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    class BrokenNlp:
        def __call__(self, text: str) -> None:
            raise ValueError("[E088] Text of length 1000001 exceeds maximum\nsecond line")

    models = Models(Settings(use_nli=False))
    models._nlp = BrokenNlp()
    article = Article(id="a", outlet="A", text="Officials met on Monday in Jakarta.", source="a.md")
    problems: list[InputProblem] = []
    with caplog.at_level("WARNING"):
        extract_all([article], models, None, None, problems)
    assert [str(p) for p in problems] == [
        "a.md: claim extraction failed (ValueError: [E088] Text of length 1000001 exceeds maximum)"
    ]
    assert "Traceback" not in caplog.text


@pytest.mark.slow
def test_an_article_at_the_sentence_limit_finishes_in_bounded_time_and_memory() -> None:
    """400 long sentences (about 64,000 characters): the benchmark's figure, with room for a
    slow shared machine."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "large_article.py"), "--one", "400"],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["problem"] == ""
    assert figures["claims"] > 300
    assert figures["seconds"] < 400
    assert figures["peak_mb"] < 1500
