"""``crossclaim batch``: a generated feed grouped into events, each checked once, incrementally.

The feed is made by eval/make_feed.py from the made-up corpus of tests/batch_corpus.py, so these
tests need no shared data; they run the real pipeline (spaCy, embedder, NLI) on 14 articles.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from batch_corpus import write_corpus
from test_make_feed import load_script
from typer.testing import CliRunner

from checker.batch.grouping import (
    BlockingSettings,
    candidate_pairs,
    group_all_pairs,
    group_blocked,
    story_words,
)
from checker.batch.run import BatchOptions, run_batch
from checker.cli.main import app
from checker.settings import EventSettings, Settings
from checker.workspace.events import ArticleFeatures

ARTICLES = 14


@pytest.fixture(scope="module")
def feed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 14-article feed: 4 events (2 with a planted contradiction) and 1 lone article."""
    folder = tmp_path_factory.mktemp("feed")
    mf = load_script()
    spec = mf.FeedSpec(articles=ARTICLES, max_outlets=4, fire_share=0.75, silent_share=0.25, seed=2)
    mf.generate(spec, folder, *write_corpus(folder / "corpus"))
    return folder


@pytest.fixture(scope="module")
def first_run(feed: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("batch")
    summary = run_batch([feed / "articles"], out, Settings())
    return out, summary


def front_matter(path: Path) -> dict[str, str]:
    """The front matter of a generated article (one ``key: "json string"`` a line)."""
    lines = path.read_text(encoding="utf-8").split("---")[1].strip().splitlines()
    return {k: json.loads(v) for k, v in (line.split(": ", 1) for line in lines)}


def with_front(text: str, **changes: str) -> str:
    """``text`` with those front matter values replaced."""
    _, front, body = text.split("---", 2)
    lines = [
        f"{k}: {json.dumps(changes[k])}" if (k := line.split(":", 1)[0]) in changes else line
        for line in front.strip().splitlines()
    ]
    return "---\n" + "\n".join(lines) + "\n---" + body


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def csv_rows(path: Path) -> list[dict]:
    import pandas as pd

    return pd.read_csv(path, keep_default_na=False).to_dict("records")


def test_events_are_the_true_events_of_the_feed(feed, first_run):
    out, summary = first_run
    truth = {tuple(e["files"]) for e in read_jsonl(feed / "events.jsonl")}
    found: dict[str, list[str]] = {}
    for row in csv_rows(out / "articles.csv"):
        found.setdefault(row["event_id"], []).append(row["file"])
    assert {tuple(sorted(files)) for files in found.values()} == truth
    assert summary["counts"]["articles"] == ARTICLES
    assert summary["counts"]["events"] == len(truth) == 5
    # blocking compared far fewer pairs than all of them (copies 28 days apart share words)
    assert summary["grouping"]["candidate_pairs"] < summary["grouping"]["all_pairs"]


def test_each_event_of_two_or_more_articles_has_a_report_and_indexed_findings(first_run):
    out, summary = first_run
    events = csv_rows(out / "events.csv")
    findings = csv_rows(out / "findings.csv")
    assert summary["counts"]["events_checked"] == sum(e["articles"] > 1 for e in events) == 4
    for event in events:
        if event["articles"] < 2:
            assert event["report"] == ""
            continue
        report = json.loads((out / event["report"]).read_text(encoding="utf-8"))
        assert report["schema"] == "crossclaim.report/v1"
        assert len(report["documents"]) == event["articles"]
        prints = [f["fingerprint"] for f in report["findings"]]
        assert prints == [f["fingerprint"] for f in findings if f["event_id"] == event["event_id"]]
        assert event["findings"] == len(prints)
    assert summary["counts"]["findings"] == len(findings)
    assert sorted(p.name for p in (out / "reports").iterdir()) == sorted(
        f"{e['event_id']}.json" for e in events if e["articles"] > 1
    )


def test_planted_numeric_contradictions_are_found_between_the_right_articles(feed, first_run):
    out, _ = first_run
    findings = csv_rows(out / "findings.csv")
    planted = [r for r in read_jsonl(feed / "answer_key.jsonl") if r["expect"] == "fire"]
    assert planted
    for row in planted:
        files = {row["a"]["file"], row["b"]["file"]}
        hits = [
            f
            for f in findings
            if {f["a_file"], f["b_file"]} == files and f["verdict"] == "contradiction"
        ]
        assert hits, f"planted {row['case']} not found between {sorted(files)}"
        assert any(f["check"] == row["check"] for f in hits)


def test_a_second_run_checks_nothing_and_writes_the_same_bytes(feed, first_run, tmp_path):
    out, _ = first_run
    again = tmp_path / "again"
    shutil.copytree(out, again)
    summary = run_batch([feed / "articles"], again, Settings())
    assert summary["counts"]["events_checked"] == 0
    assert summary["counts"]["events_unchanged"] == 4
    assert summary["counts"]["features_computed"] == 0
    for name in ("events.csv", "findings.csv", "articles.csv", "manifest.json"):
        assert (again / name).read_bytes() == (out / name).read_bytes(), name
    for report in (out / "reports").iterdir():
        assert (again / "reports" / report.name).read_bytes() == report.read_bytes()


def test_a_new_article_rechecks_only_its_event_and_keeps_the_event_id(feed, tmp_path):
    articles = tmp_path / "articles"
    shutil.copytree(feed / "articles", articles)
    out = tmp_path / "out"
    run_batch([articles], out, Settings(use_nli=False))
    before = {r["file"]: r["event_id"] for r in csv_rows(out / "articles.csv")}
    events = read_jsonl(feed / "events.jsonl")
    target = next(e for e in events if len(e["files"]) == 2)
    fronts = [front_matter(articles / f) for f in target["files"]]
    later = max(dt.datetime.fromisoformat(f["published"]) for f in fronts) + dt.timedelta(hours=1)
    # the same story from one more outlet, an hour after the last of them, under its own title
    added = with_front(
        (articles / target["files"][0]).read_text(encoding="utf-8"),
        outlet="late-extra.com",
        published=later.isoformat(),
        url="https://late-extra.com/story",
        title="Late: " + fronts[0]["title"],
    )
    (articles / "99999-late-extra-com.md").write_text(added, encoding="utf-8")

    summary = run_batch([articles], out, Settings(use_nli=False))

    after = {r["file"]: r["event_id"] for r in csv_rows(out / "articles.csv")}
    assert after["99999-late-extra-com.md"] == before[target["files"][0]]
    assert {f: after[f] for f in before} == before
    assert summary["counts"]["events_checked"] == 1
    assert summary["counts"]["events_unchanged"] == 3
    assert summary["counts"]["features_computed"] == 1


def load_benchmark():
    """benchmarks/batch.py as a module (benchmarks/ is not a package)."""
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "benchmarks" / "batch.py"
    spec = importlib.util.spec_from_file_location("bench_batch", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_articles_added_later_recheck_only_their_events(feed, tmp_path):
    """The benchmark's incremental path: articles held out of the feed (a late outlet of an
    existing event, a whole new event), then added to the same folder and run again on the same
    output folder: only the events holding them are checked, the other reports keep their bytes."""
    bench = load_benchmark()
    work = tmp_path / "feed"
    shutil.copytree(feed, work)
    info = bench.hold_out_articles(work, 4, seed=1)
    assert info["added"] == len(info["files"]) == 4
    assert info["joining_existing_events"] >= 1 and info["events_to_recheck"] >= 2
    articles = work / "articles"
    assert not set(info["files"]) & {p.name for p in articles.iterdir()}
    out = tmp_path / "out"
    first = run_batch([articles], out, Settings(use_nli=False))
    assert first["counts"]["articles"] == ARTICLES - 4
    before = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["events"]
    reports = {e: (out / v["report"]).read_bytes() for e, v in before.items()}

    for name in info["files"]:
        (work / "added" / name).rename(articles / name)
    summary = run_batch([articles], out, Settings(use_nli=False))

    after = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["events"]
    changed = {e for e, entry in after.items() if before.get(e) != entry}
    assert summary["counts"]["events_checked"] == len(changed) == info["events_to_recheck"]
    assert summary["counts"]["events_unchanged"] == len(after) - len(changed)
    event_of = {r["file"]: r["event_id"] for r in csv_rows(out / "articles.csv")}
    members = Counter(event_of.values())
    assert changed == {event_of[f] for f in info["files"] if members[event_of[f]] > 1}
    for event in set(after) - changed:
        assert (out / after[event]["report"]).read_bytes() == reports[event]
    # a late outlet joins its event, which keeps its id (the earliest member's)
    true_files = {e["event"]: e["files"] for e in read_jsonl(work / "events.full.jsonl")}
    for joined in info["joined_events"]:
        ids = {event_of[f] for f in true_files[joined]}
        assert len(ids) == 1 and ids <= set(before) and ids <= changed


def test_event_ids_and_fingerprints_do_not_depend_on_file_names(feed, first_run, tmp_path):
    out, _ = first_run
    renamed = tmp_path / "renamed"
    renamed.mkdir()
    names = {}
    for n, path in enumerate(sorted((feed / "articles").iterdir(), reverse=True)):
        names[path.name] = f"story-{n:03d}.md"
        shutil.copy(path, renamed / names[path.name])
    again = tmp_path / "out"
    shutil.copytree(out, again)  # the same output folder: moved files are checked again
    summary = run_batch([renamed], again, Settings())
    assert summary["counts"]["events_checked"] == 4
    old = {(r["event_id"], names[r["file"]]) for r in csv_rows(out / "articles.csv")}
    new = {(r["event_id"], r["file"]) for r in csv_rows(again / "articles.csv")}
    assert new == old
    assert sorted(f["fingerprint"] for f in csv_rows(again / "findings.csv")) == sorted(
        f["fingerprint"] for f in csv_rows(out / "findings.csv")
    )


def test_the_command_reports_an_unreadable_file_in_one_line_and_checks_the_rest(feed, tmp_path):
    articles = tmp_path / "articles"
    shutil.copytree(feed / "articles", articles)
    (articles / "broken.json").write_text("{not json", encoding="utf-8")
    (articles / "binary.md").write_bytes(b"\x00\x01\x02" * 100)
    result = CliRunner().invoke(
        app, ["batch", str(articles), "--out", str(tmp_path / "out"), "--no-nli"]
    )
    assert result.exit_code == 0, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 2 and all("broken.json" in e or "binary.md" in e for e in errors)
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["counts"]["articles"] == ARTICLES
    assert summary["counts"]["files_with_problems"] == 2
    assert f"{ARTICLES} articles, 5 events" in result.output


def test_the_command_refuses_an_address_without_the_ray_engine(feed, tmp_path):
    result = CliRunner().invoke(
        app, ["batch", str(feed / "articles"), "--out", str(tmp_path), "--address", "auto"]
    )
    assert result.exit_code == 2
    assert "--address needs --engine ray" in result.output


def test_an_empty_feed_is_an_input_error(tmp_path):
    (tmp_path / "feed").mkdir()
    result = CliRunner().invoke(
        app, ["batch", str(tmp_path / "feed"), "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 2
    assert "no article could be read" in result.output


def test_importing_the_cli_loads_no_batch_library() -> None:
    code = (
        "import json, sys; import checker.cli.main; "
        "print(json.dumps(sorted(m for m in ('ray', 'pandas', 'datasketch', 'scipy') "
        "if m in sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []


# --- grouping without models ------------------------------------------------------------------


def features_for(stories: list[list[str]]) -> tuple[list[ArticleFeatures], list[str]]:
    """Articles of made-up stories: one unit vector per story (tiny noise per article), the
    story's words in every text."""
    rng = np.random.default_rng(0)
    features, texts = [], []
    for s, story in enumerate(stories):
        base = np.zeros(16, dtype=np.float32)
        base[s] = 1.0
        for n, text in enumerate(story):
            vector = base + rng.normal(0, 0.01, 16).astype(np.float32)
            key = f"{s:02d}{n:02d}" + "0" * 60
            features.append(
                ArticleFeatures(
                    key=key,
                    identity=key,
                    vector=vector / np.linalg.norm(vector),
                    entities=frozenset(),
                    published=None,
                    title=text,
                    outlet=f"outlet{n}",
                )
            )
            texts.append(text)
    return features, texts


STORIES = [
    ["Blinken cuts Kuala Lumpur trip", "Kuala Lumpur trip of Blinken cut", "Blinken trip cut"],
    ["Passau floods leave homes under water", "Floods in Passau, homes under water"],
    ["Valencia signs Renan Costa", "Renan Costa joins Valencia", "Costa to Valencia"],
    ["Comet spotted near Jupiter"],
]


def test_blocked_grouping_finds_the_all_pairs_events_from_few_candidates():
    features, texts = features_for(STORIES)
    settings = EventSettings()
    blocked = group_blocked(features, texts, settings)
    full = group_all_pairs(features, settings)
    assert [e.members for e in blocked.events] == [e.members for e in full.events]
    assert sorted(len(e.members) for e in blocked.events) == [1, 2, 3, 3]
    # candidates only inside stories (the stories share no word)
    by_story = [k[:2] for k in (f.key for f in features)]
    pairs = candidate_pairs(story_words(texts, BlockingSettings()), BlockingSettings())
    assert len(pairs) and all(by_story[i] == by_story[j] for i, j in pairs.tolist())
    assert blocked.candidates == len(pairs) < full.candidates


def test_event_ids_are_content_keyed_and_independent_of_input_order():
    features, texts = features_for(STORIES)
    settings = EventSettings()
    forward = group_blocked(features, texts, settings)
    backward = group_blocked(features[::-1], texts[::-1], settings)
    assert [(e.id, e.members) for e in forward.events] == [
        (e.id, e.members) for e in backward.events
    ]
    assert all(e.id.startswith("ev-") and len(e.id) == 15 for e in forward.events)


def test_articles_sharing_only_common_words_are_not_candidates():
    common = [f"government said minister report {n}" for n in range(60)]
    sets = story_words(common, BlockingSettings(min_max_df=50))
    assert all(s == frozenset() or s <= {"government", "minister", "report"} for s in sets)
    assert candidate_pairs(sets, BlockingSettings(min_max_df=50)).shape == (0, 2)


def test_batch_options_default_to_the_local_engine():
    assert BatchOptions().engine == "local" and BatchOptions().use_cache
