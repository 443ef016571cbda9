"""eval/make_feed.py: a seeded, deterministic feed of real-format articles with an answer key."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
from batch_corpus import write_corpus

from checker.settings import Settings
from claims.readers import read_bundle

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "eval" / "make_feed.py"
REAL_MRPC = ROOT.parent / "shared" / "data" / "paraphrase" / "mrpc"


def load_script() -> ModuleType:
    """Import the script as a module (eval/ is not a package)."""
    spec = importlib.util.spec_from_file_location("make_feed", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def mf() -> ModuleType:
    return load_script()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return write_corpus(tmp_path_factory.mktemp("corpus"))


def make(mf: ModuleType, corpus: tuple[Path, Path], out: Path, **spec: object) -> object:
    args = {"articles": 14, "max_outlets": 4, "fire_share": 0.75, "silent_share": 0.25, "seed": 2}
    args.update(spec)
    return mf.generate(mf.FeedSpec(**args), out, *corpus)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.md")} | {
        p.name: p.read_bytes() for p in folder.glob("*.json*")
    }


def test_the_same_seed_writes_the_same_bytes_and_another_seed_does_not(mf, corpus, tmp_path):
    make(mf, corpus, tmp_path / "one")
    make(mf, corpus, tmp_path / "two")
    make(mf, corpus, tmp_path / "three", seed=3)
    assert tree(tmp_path / "one") == tree(tmp_path / "two")
    assert tree(tmp_path / "one") != tree(tmp_path / "three")


def test_every_article_reads_cleanly_with_outlet_date_title_and_url(mf, corpus, tmp_path):
    feed = make(mf, corpus, tmp_path)
    settings = Settings()
    articles, problems = read_bundle(
        [tmp_path / "articles"], settings.max_file_bytes, settings.read_limits()
    )
    assert problems == []
    assert len(articles) == 14 == feed.stats["articles"]
    for article in articles:
        assert article.outlet and article.title and article.url.startswith("https://")
        assert article.published is not None and article.published.utcoffset() is not None
        assert article.warnings == ()


def test_answer_key_rows_point_at_their_sentences_in_two_articles_of_one_event(
    mf, corpus, tmp_path
):
    make(mf, corpus, tmp_path)
    key = [json.loads(line) for line in (tmp_path / "answer_key.jsonl").read_text().splitlines()]
    events = [json.loads(line) for line in (tmp_path / "events.jsonl").read_text().splitlines()]
    event_of = {f: e["event"] for e in events for f in e["files"]}
    assert {r["expect"] for r in key} == {"fire", "silent"}
    for row in key:
        a, b = row["a"], row["b"]
        assert a["file"] != b["file"] and a["outlet"] != b["outlet"]
        assert event_of[a["file"]] == event_of[b["file"]] == row["event"]
        assert a["sentence"] != b["sentence"]
        for side in (a, b):
            assert side["sentence"] in (tmp_path / "articles" / side["file"]).read_text()
    # one row per (edited outlet, other outlet): the edited article is the same in every row
    by_event = Counter(r["event"] for r in key)
    for event, rows in by_event.items():
        size = len(next(e for e in events if e["event"] == event)["files"])
        assert rows == size - 1


def test_events_of_one_copy_share_no_sentence_and_copies_are_four_weeks_apart(mf, corpus, tmp_path):
    feed = make(mf, corpus, tmp_path, articles=30)
    assert feed.copies >= 2  # the made-up corpus is small: it is used again 28 days later
    seen: dict[tuple[int, str], str] = {}
    copy_of = {e["event"]: e["copy"] for e in feed.events}
    for article in feed.articles:
        for paragraph in article.paragraphs:
            key = (copy_of[article.event], paragraph)
            assert seen.setdefault(key, article.event) == article.event
    days = {copy_of[a.event]: a.published.date() for a in feed.articles}
    for copy, day in days.items():
        assert (day - feed.spec.day).days in range(28 * copy, 28 * copy + 1)


def test_event_sizes_add_up_and_impossible_sizes_are_refused(mf):
    import random

    sizes = mf.event_sizes(100, 30, 5, random.Random(0))
    assert sum(sizes) == 100 and len(sizes) == 30 and 2 <= min(sizes) <= max(sizes) <= 5
    with pytest.raises(ValueError):
        mf.event_sizes(100, 10, 5, random.Random(0))


def test_the_script_refuses_to_write_over_a_feed(mf, corpus, tmp_path):
    args = ["--articles", "10", "--out", str(tmp_path), "--mrpc", str(corpus[0])]
    args += ["--injected", str(corpus[1])]
    assert mf.main(args) == 0
    assert mf.main(args) == 2


@pytest.mark.skipif(
    not (REAL_MRPC / "msr_paraphrase_train.txt").is_file(), reason="shared MRPC data not present"
)
def test_a_feed_from_the_real_corpus(mf, tmp_path):
    injected = ROOT / "runs" / "eval" / "injected.jsonl"
    feed = mf.generate(mf.FeedSpec(articles=200), tmp_path, REAL_MRPC, injected)
    assert feed.stats["articles"] == 200 and feed.copies == 1
    assert len({a.outlet for a in feed.articles}) > 50
    if injected.is_file():
        assert feed.stats["planted_fire_events"] > 10
