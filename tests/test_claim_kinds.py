"""Every claim a reader would count reaches the report: titles, bullets, unpunctuated lines.

Through the whole pipeline (rule checks only, so no NLI model is loaded): claims per kind and
text left out per reason in the stats, kinds in findings and clusters, and a bundle of
snippet-like articles without closing punctuation.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from example_paths import EXAMPLES
from rich.console import Console

from checker.cache import open_cache
from checker.pipeline import check_articles, run_report
from checker.render.terminal import render_terminal
from checker.settings import Settings
from claims.extract import LEFT_OUT_REASONS
from claims.readers import read_bundle
from claims.records import CLAIM_KINDS, MIN_CLAIM_WORDS

RULES_ONLY = Settings(use_nli=False)

#: ten outlets' snippets of one story: a title and a body line with no closing punctuation,
#: some with furniture around them (how search results and feed summaries come).
SNIPPETS = {
    "ap": "Secretary of State Antony Blinken cut short his Southeast Asia trip on Wednesday",
    "bbc": "Blinken abandons Asia tour after Covid case among travelling press\nPhoto: Reuters",
    "cnn": "The top US diplomat skipped Thailand after a reporter tested positive for Covid-19",
    "fox": "By Jane Doe\n\nBlinken halts trip as journalist tests positive in Kuala Lumpur",
    "nbc": "Blinken and senior staff tested negative on Wednesday, officials said",
    "npr": "Advertisement\n\nBlinken was due in Bangkok on Thursday before flying home",
    "nyt": "- Blinken cuts trip short\n- Staff test negative\n- Thai visit scrapped",
    "wapo": "A member of the traveling press pool tested positive upon arrival in Malaysia",
    "wsj": "Blinken spoke with his Thai counterpart by phone to express deep regret",
    "ft": "Covid case ends Blinken trip early\nThe secretary will return to Washington",
}


def _write_snippets(folder: Path) -> None:
    for outlet, body in SNIPPETS.items():
        (folder / f"{outlet}.md").write_text(
            f"---\noutlet: {outlet.upper()}\npublished: 2021-12-15T09:00:00+00:00\n"
            f"title: Blinken ends Asia trip early\n---\n{body}\n",
            encoding="utf-8",
        )


@pytest.fixture(scope="module")
def blinken_rules_only(models):
    return run_report([EXAMPLES / "blinken-2021-12"], RULES_ONLY, models=models)


def test_settings_and_extractor_share_one_word_minimum() -> None:
    assert Settings().min_claim_words == MIN_CLAIM_WORDS == 3


def test_stats_count_claims_per_kind(blinken_rules_only) -> None:
    stats = blinken_rules_only.stats
    by_kind = stats["claims_by_kind"]
    assert list(by_kind) == list(CLAIM_KINDS)
    assert sum(by_kind.values()) == stats["claims"]
    assert by_kind["title"] == 4  # one per article
    assert by_kind["bullet"] == 3  # Business Insider's summary bullets
    assert sum(d.claims for d in blinken_rules_only.documents) == stats["claims"]
    assert list(stats["left_out"]) == list(LEFT_OUT_REASONS)


def test_every_extracted_claim_is_aligned(blinken_rules_only) -> None:
    assert blinken_rules_only.stats["aligned_claims"] == blinken_rules_only.stats["claims"]


def test_json_report_shows_each_side_and_cluster_claim_kind(blinken_rules_only) -> None:
    data = json.loads(blinken_rules_only.to_json())
    kinds = {side["kind"] for f in data["findings"] for side in (f["a"], f["b"])}
    assert kinds and kinds <= set(CLAIM_KINDS)
    assert "bullet" in kinds  # BI's summary bullet repeats the Tuesday claim
    cluster_kinds = {c["kind"] for cl in data["clusters"] for c in cl["claims"]}
    assert "title" in cluster_kinds


def test_titles_add_no_finding_on_the_examples(blinken_rules_only, models) -> None:
    austin = run_report([EXAMPLES / "austin-dong-2024-04"], RULES_ONLY, models=models)
    assert austin.findings == []
    for f in blinken_rules_only.findings:
        assert "title" not in (f.a.kind, f.b.kind)
        assert {f.a.value, f.b.value} == {"2021-12-14", "2021-12-15"}


def test_bundle_without_closing_punctuation_gives_claims_for_every_article(
    tmp_path, models
) -> None:
    _write_snippets(tmp_path)
    articles, problems = read_bundle([tmp_path])
    assert problems == [] and len(articles) == len(SNIPPETS)
    report = check_articles(articles, problems, RULES_ONLY, models=models)
    body_claims = {d.id: d.claims - 1 for d in report.documents}  # less the title claim
    assert all(n >= 1 for n in body_claims.values()), body_claims
    assert body_claims["nyt"] == 3
    assert report.stats["claims_by_kind"]["bullet"] == 3
    # every article's title, and BBC's and FT's first lines: headlines standing above a line
    assert report.stats["claims_by_kind"]["title"] == len(SNIPPETS) + 2
    assert report.stats["left_out"]["no_content"] == 3  # photo credit, byline, advertisement
    assert report.stats["aligned_claims"] == report.stats["claims"]


def test_left_out_counts_are_the_same_from_the_cache(tmp_path, models) -> None:
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    _write_snippets(bundle)
    cache = open_cache(tmp_path / "cache")
    cold = run_report([bundle], RULES_ONLY, models=models, cache=cache)
    warm = run_report([bundle], RULES_ONLY, models=models, cache=cache)
    assert warm.stats["articles_extracted"] == 0
    assert warm.stats["left_out"] == cold.stats["left_out"]
    assert warm.stats["claims_by_kind"] == cold.stats["claims_by_kind"]


def test_terminal_summary_shows_kinds_and_left_out(tmp_path, models) -> None:
    _write_snippets(tmp_path)
    report = run_report([tmp_path], RULES_ONLY, models=models)
    console = Console(record=True, width=200)
    render_terminal(report, console)
    out = console.export_text()
    assert "Claims: 12 title, 3 bullet, 8 body" in out
    assert "left out: 3 no content" in out


def test_title_pairs_keep_only_typed_checks(tmp_path, models) -> None:
    """A headline's present tense ('tests negative') is no contradiction of the body's past."""
    for outlet, title, body in [
        ("a", "Blinken tests negative", "Blinken tested negative on Wednesday."),
        ("b", "Blinken does not test positive", "Blinken tested negative on Wednesday."),
    ]:
        (tmp_path / f"{outlet}.md").write_text(
            f"---\noutlet: {outlet}\npublished: 2021-12-15T09:00:00+00:00\ntitle: {title}\n"
            f"---\n{body}\n",
            encoding="utf-8",
        )
    report = run_report([tmp_path], RULES_ONLY, models=models)
    assert all(
        f.check in RULES_ONLY.title_checks
        for f in report.findings
        if "title" in (f.a.kind, f.b.kind)
    )
