"""ClaimReview for publishing (url, publishing organisation, a rating scale, which outlet's
account is wrong, a warning for articles without a url) and the reviewers' verdicts as a flat
table (CSV and Parquet)."""

from __future__ import annotations

import csv
import json
import logging
from dataclasses import dataclass, replace

import pandas as pd
import pytest
from review_seed import insider_article, report_for, seed_store, wire_article
from test_exports import seed_reviews
from typer.testing import CliRunner

from checker.cli.main import app
from checker.tables import FINDING_COLUMNS
from checker.workspace.exports import (
    VERDICT_COLUMNS,
    claim_reviews,
    export_claimreview,
    export_csv,
    export_verdicts,
    verdicts_frame,
)
from checker.workspace.store import StoredFinding, add_review, connect, undo_last_review

TEMPLATE = "https://factcheck.example/{event}/{fingerprint}"


@pytest.fixture
def reviewed(db_url):
    return seed_reviews(db_url)


def seed_without_url(db_url: str) -> dict[str, str]:
    """The seed event, with the wire article's url missing; its weekday finding confirmed."""
    from checker.workspace.store import (
        content_id,
        members_signature,
        save_articles,
        save_event_findings,
        set_events,
    )

    wire, insider = replace(wire_article(), url=""), insider_article()
    engine = connect(db_url)
    save_articles(engine, [wire, insider])
    ids = {wire.id: content_id(wire), insider.id: content_id(insider)}
    set_events(engine, {"ev-test": list(ids.values())}, {"ev-test": wire.title})
    report = report_for([wire, insider])
    save_event_findings(engine, "ev-test", report, ids, members_signature(ids.values()))
    for finding in report.findings:
        add_review(engine, finding.fingerprint, "confirmed", "", "Ana")
    engine.dispose()
    return {"weekday": report.findings[0].fingerprint}


def test_claimreview_has_url_publisher_author_and_a_rating_scale(reviewed, tmp_path) -> None:
    db_url, ids = reviewed
    out = tmp_path / "claimreview.jsonld"
    count = export_claimreview(db_url, out, url_template=TEMPLATE, publisher="Example Fact Check")
    assert count == 2
    items = json.loads(out.read_text(encoding="utf-8"))["@graph"]
    for item in items:
        assert item["url"] == f"https://factcheck.example/ev-test/{ids['weekday']}"
        assert item["author"] == {"@type": "Organization", "name": "Example Fact Check"}
        assert item["contributor"] == {"@type": "Person", "name": "Ana"}
        rating = item["reviewRating"]
        assert (rating["bestRating"], rating["worstRating"]) == (5, 1)
        assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
        # no outlet was judged wrong: both statements are "contradicted", neither false
        assert rating["ratingValue"] == 3
        assert rating["alternateName"] == "Contradicted by another outlet's report"
        assert item["itemReviewed"]["appearance"][0]["url"].startswith("https://")


def test_url_template_fields_are_escaped_and_may_name_the_side(reviewed, tmp_path) -> None:
    db_url, ids = reviewed
    out = tmp_path / "c.jsonld"
    export_claimreview(db_url, out, url_template="https://fc.example/{fingerprint}#{side}")
    urls = [i["url"] for i in json.loads(out.read_text(encoding="utf-8"))["@graph"]]
    assert urls == [
        f"https://fc.example/{ids['weekday']}#a",
        f"https://fc.example/{ids['weekday']}#b",
    ]
    with pytest.raises(ValueError, match=r"unknown field \{outlet\}"):
        export_claimreview(db_url, out, url_template="https://fc.example/{outlet}")


@dataclass(frozen=True)
class JudgedReview:
    """A standing verdict that records which side's account is wrong (``wrong_side``)."""

    verdict: str
    reviewer: str
    note: str
    at: str
    wrong_side: str


@pytest.mark.parametrize("wrong", ["b", "Business Insider"])
def test_the_outlet_judged_wrong_is_rated_false_and_the_other_accurate(wrong: str) -> None:
    wire, insider = wire_article(), insider_article()
    finding = report_for([wire, insider]).findings[0]
    assert finding.b.outlet == "Business Insider"
    stored = StoredFinding(
        finding=finding,
        event_id="ev-test",
        status="active",
        a_article=None,
        b_article=None,
        first_seen="",
        last_seen="",
        review=JudgedReview("confirmed", "Ana", "", "2026-01-01T00:00:00+00:00", wrong),
    )
    a_item, b_item = claim_reviews(stored, None, publisher="Example Fact Check")
    assert (b_item["reviewRating"]["ratingValue"], b_item["reviewRating"]["alternateName"]) == (
        1,
        "False",
    )
    assert (a_item["reviewRating"]["ratingValue"], a_item["reviewRating"]["alternateName"]) == (
        5,
        "Accurate",
    )
    for item in (a_item, b_item):
        explanation = item["reviewRating"]["ratingExplanation"]
        assert explanation.startswith("Reviewers judged Business Insider's account wrong.")


def test_an_article_without_url_is_one_warning(db_url, tmp_path, caplog) -> None:
    seed_without_url(db_url)
    with caplog.at_level(logging.WARNING, logger="checker.workspace.exports"):
        assert export_claimreview(db_url, tmp_path / "c.jsonld") == 4
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1  # two findings quote the wire article: warned once
    assert "feed/wire.md" in warnings[0] and "no url" in warnings[0]
    assert "\n" not in warnings[0]
    items = json.loads((tmp_path / "c.jsonld").read_text(encoding="utf-8"))["@graph"]
    wire_items = [i for i in items if i["itemReviewed"]["author"]["name"] == "Wire"]
    assert wire_items and all("url" not in i["itemReviewed"]["appearance"][0] for i in wire_items)


def test_export_command_takes_url_template_and_publisher(sqlite_url, tmp_path) -> None:
    seed_without_url(sqlite_url)
    db = sqlite_url.removeprefix("sqlite:///")
    out = tmp_path / "c.jsonld"
    args = ["export", "--db", db, "--claimreview", str(out)]
    result = CliRunner().invoke(
        app, [*args, "--url-template", TEMPLATE, "--publisher", "Example Fact Check"]
    )
    assert result.exit_code == 0, result.output
    assert f"{out}: 4 ClaimReview items" in result.stdout
    warning_lines = [line for line in result.stderr.splitlines() if "no url" in line]
    assert len(warning_lines) == 1 and warning_lines[0].startswith("WARNING")
    items = json.loads(out.read_text(encoding="utf-8"))["@graph"]
    assert all(i["url"].startswith("https://factcheck.example/ev-test/") for i in items)
    assert all(i["author"]["name"] == "Example Fact Check" for i in items)

    bad = CliRunner().invoke(app, [*args, "--url-template", "https://x.example/{outlet}"])
    assert bad.exit_code == 2 and len(bad.stderr.strip().splitlines()) == 1
    assert "unknown field {outlet}" in bad.stderr
    alone = CliRunner().invoke(
        app, ["export", "--db", db, "--publisher", "X", "--csv", str(tmp_path)]
    )
    assert alone.exit_code == 2 and "--claimreview" in alone.stderr


def test_verdicts_table_round_trips_through_csv_and_parquet(reviewed, tmp_path) -> None:
    db_url, ids = reviewed
    frame = verdicts_frame(db_url)
    assert list(frame.columns) == [*FINDING_COLUMNS, *VERDICT_COLUMNS]
    assert dict(zip(frame["fingerprint"], frame["review_verdict"], strict=True)) == {
        ids["weekday"]: "confirmed",
        ids["script"]: "follow_up",
    }
    assert export_verdicts(db_url, tmp_path / "v.csv") == 2
    from_csv = pd.read_csv(tmp_path / "v.csv", keep_default_na=False)
    assert list(from_csv.columns) == list(frame.columns)
    weekday = from_csv.set_index("fingerprint").loc[ids["weekday"]]
    assert (weekday["reviewer"], weekday["event"], weekday["a_outlet"]) == (
        "Ana",
        "ev-test",
        "Wire",
    )
    assert weekday["a_url"] == "https://wire.example/blinken"
    assert weekday["note"] == "'=cmd|' /C calc'!A0"  # defused for spreadsheets
    pytest.importorskip("pyarrow")
    assert export_verdicts(db_url, tmp_path / "v.parquet") == 2
    from_parquet = pd.read_parquet(tmp_path / "v.parquet")
    pd.testing.assert_frame_equal(from_parquet, frame, check_dtype=False)
    assert "=cmd|' /C calc'!A0" in set(from_parquet["note"])


def test_export_command_writes_verdict_tables(sqlite_url, tmp_path) -> None:
    pytest.importorskip("pyarrow")
    seed_reviews(sqlite_url)
    db = sqlite_url.removeprefix("sqlite:///")
    csv_out, parquet_out = tmp_path / "v.csv", tmp_path / "v.parquet"
    result = CliRunner().invoke(
        app,
        [
            "export",
            "--db",
            db,
            "--verdicts-csv",
            str(csv_out),
            "--verdicts-parquet",
            str(parquet_out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert f"{csv_out}: 2 verdict rows" in result.stdout
    assert len(pd.read_csv(csv_out)) == len(pd.read_parquet(parquet_out)) == 2


# --- the wrong side recorded with the verdict (reviews.wrong_side) ------------------------------


def ratings_by_outlet(db_url: str, out) -> dict[str, tuple[int, str]]:
    export_claimreview(db_url, out)
    items = json.loads(out.read_text(encoding="utf-8"))["@graph"]
    return {
        item["itemReviewed"]["author"]["name"]: (
            item["reviewRating"]["ratingValue"],
            item["reviewRating"]["alternateName"],
        )
        for item in items
    }


@pytest.mark.parametrize(
    ("wrong_side", "wire", "insider"),
    [
        ("b", (5, "Accurate"), (1, "False")),
        ("a", (1, "False"), (5, "Accurate")),
        ("both", (1, "False"), (1, "False")),
    ],
)
def test_a_reviewed_finding_rates_the_side_judged_wrong_false_and_the_other_accurate(
    db_url, tmp_path, wrong_side, wire, insider
) -> None:
    ids = seed_store(db_url)
    engine = connect(db_url)
    add_review(engine, ids["weekday"], "confirmed", "", "Ana", wrong_side=wrong_side)
    engine.dispose()
    ratings = ratings_by_outlet(db_url, tmp_path / "c.jsonld")
    assert ratings == {"Wire": wire, "Business Insider": insider}


@pytest.mark.parametrize("wrong_side", ["neither", None])
def test_neither_or_not_said_stays_at_3(db_url, tmp_path, wrong_side) -> None:
    ids = seed_store(db_url)
    engine = connect(db_url)
    add_review(engine, ids["weekday"], "confirmed", "", "Ana", wrong_side=wrong_side)
    engine.dispose()
    contradicted = (3, "Contradicted by another outlet's report")
    ratings = ratings_by_outlet(db_url, tmp_path / "c.jsonld")
    assert ratings == {"Wire": contradicted, "Business Insider": contradicted}


def test_an_undone_wrong_side_no_longer_rates(db_url, tmp_path) -> None:
    ids = seed_store(db_url)
    engine = connect(db_url)
    add_review(engine, ids["weekday"], "confirmed", "", "Ana")
    add_review(engine, ids["weekday"], "confirmed", "", "Ana", wrong_side="b")
    assert ratings_by_outlet(db_url, tmp_path / "c.jsonld")["Business Insider"] == (1, "False")
    undo_last_review(engine, "Ana", ids["weekday"])
    engine.dispose()
    assert ratings_by_outlet(db_url, tmp_path / "c.jsonld")["Business Insider"] == (
        3,
        "Contradicted by another outlet's report",
    )


def test_the_wrong_side_is_in_the_verdicts_table_and_the_reviews_csv(db_url, tmp_path) -> None:
    ids = seed_store(db_url)
    engine = connect(db_url)
    add_review(engine, ids["weekday"], "confirmed", "", "Ana", wrong_side="b")
    add_review(engine, ids["script"], "dismissed", "", "Bo", wrong_side="neither")
    engine.dispose()
    frame = verdicts_frame(db_url).set_index("fingerprint")
    assert frame.loc[ids["weekday"], ["wrong_side", "wrong_outlet"]].tolist() == [
        "b",
        "Business Insider",
    ]
    assert frame.loc[ids["script"], ["wrong_side", "wrong_outlet"]].tolist() == ["neither", ""]
    export_csv(db_url, tmp_path / "csv")
    with (tmp_path / "csv" / "reviews.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [(row["verdict"], row["wrong_side"]) for row in rows] == [
        ("confirmed", "b"),
        ("dismissed", "neither"),
    ]
