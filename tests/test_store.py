"""The review store: article identity and versions, events, findings, reviews.

Tests taking ``db_url`` / ``engine`` (tests/conftest.py) run on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
from review_seed import (
    bullet_finding,
    grouped_report,
    insider_article,
    report_for,
    seed_store,
    ungrouped_report,
    weekday_finding,
    wire_article,
)
from sqlalchemy import text

from checker.gate.baseline import load_baseline
from checker.report import Report
from checker.workspace.exports import export_baseline, export_claimreview
from checker.workspace.store import (
    ACTIVE,
    GROUPED,
    RESOLVED,
    StoreError,
    add_review,
    article_versions,
    articles_for_event,
    assign_finding,
    connect,
    content_id,
    decided_findings,
    event_members,
    events_needing_check,
    finding_history,
    get_article,
    get_finding,
    identity_key,
    latest_articles,
    list_events,
    list_findings,
    members_signature,
    save_articles,
    save_event_findings,
    save_features,
    set_events,
    table_rows,
    undo_last_review,
)


def test_content_id_ignores_whitespace_but_not_words():
    a = wire_article()
    spaced = dataclasses.replace(a, text=a.text.replace(" ", "  "))
    changed = dataclasses.replace(a, text=a.text.replace("Wednesday", "Tuesday"))
    assert content_id(a) == content_id(spaced)
    assert content_id(a) != content_id(changed)


def test_identity_falls_back_to_source_and_id_without_url():
    a = dataclasses.replace(wire_article(), url="")
    assert identity_key(a) == "source:feed/wire.md#wire"


def test_same_article_again_changes_nothing(engine):
    first = save_articles(engine, [wire_article()])
    again = save_articles(engine, [wire_article()])
    assert len(first.added) == 1 and not again.changed
    assert again.unchanged == first.added
    assert len(latest_articles(engine)) == 1


def test_changed_article_becomes_new_version_and_old_is_kept(engine):
    old = wire_article()
    new = wire_article(old.text.replace("Wednesday", "Thursday"))
    save_articles(engine, [old])
    result = save_articles(engine, [new])
    assert result.versioned == [content_id(new)]
    versions = article_versions(engine, identity_key(new))
    assert [(v.version, v.latest) for v in versions] == [(1, False), (2, True)]
    assert [s.content_id for s in latest_articles(engine)] == [content_id(new)]


def test_article_round_trips_text_dates_json_and_embedding(engine):
    article = dataclasses.replace(
        insider_article(), warnings=("odd <b>markup</b>", "ünïcödé"), source_lines=(3, 5, 9)
    )
    [cid] = save_articles(engine, [article]).added
    vector = np.linspace(-1, 1, 384, dtype=np.float32)
    save_features(engine, {cid: (vector, ["blinken", "état"])})
    stored = get_article(engine, cid)
    assert stored.article == article  # published keeps its timezone, JSON lists their items
    assert stored.embedding.dtype == np.float32 and np.array_equal(stored.embedding, vector)
    assert stored.entities == ("blinken", "état")
    assert stored.latest is True and stored.version == 1


def test_sqlite_store_has_foreign_keys_and_wal(sqlite_url):
    engine = connect(sqlite_url)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_unopenable_database_is_one_line_error(tmp_path):
    (tmp_path / "dir.db").mkdir()
    with pytest.raises(StoreError) as info:
        connect(str(tmp_path / "dir.db"))
    assert "cannot open database" in str(info.value) and "\n" not in str(info.value)


def test_event_lists_outlets_articles_and_open_findings(db_url, engine):
    seed_store(db_url)
    [summary] = list_events(engine)
    assert summary.outlets == ("Business Insider", "Wire")
    assert (summary.articles, summary.open_findings) == (2, 2)


def test_event_is_checked_until_a_member_changes(db_url, engine):
    ids = seed_store(db_url)
    assert events_needing_check(engine) == []
    new = insider_article(insider_article().text.replace("Tuesday", "Monday"))
    result = save_articles(engine, [new])
    assert result.versioned and events_needing_check(engine) == [ids["event"]]
    articles = articles_for_event(db_url, ids["event"])
    assert sorted(a.id for a in articles) == ["insider", "wire"]
    assert any("Monday" in a.text for a in articles)


def test_articles_for_event_returns_latest_versions_with_unique_ids(db_url, engine):
    seed_store(db_url)
    twin = dataclasses.replace(wire_article(), url="https://wire.example/other", text="Other.")
    save_articles(engine, [twin])
    set_events(engine, {"ev-test": [content_id(twin)]}, {})
    articles = articles_for_event(db_url, "ev-test")
    assert sorted(a.id for a in articles) == ["insider", "wire", "wire-2"]


def test_articles_for_unknown_event_names_the_event(db_url, engine):
    with pytest.raises(StoreError, match="ev-nope"):
        articles_for_event(db_url, "ev-nope")


def test_event_members_put_undated_articles_first(engine):
    undated = dataclasses.replace(
        wire_article(), url="https://wire.example/undated", text="Undated.", published=None
    )
    articles = [wire_article(), insider_article(), undated]
    save_articles(engine, articles)
    set_events(engine, {"ev-test": [content_id(a) for a in articles]}, {})
    members = event_members(engine, "ev-test")
    assert [m.article.url for m in members] == [
        "https://wire.example/undated",
        "https://wire.example/blinken",
        "https://insider.example/blinken",
    ]


def test_findings_in_queue_order_most_serious_first(db_url, engine):
    ids = seed_store(db_url)
    assert [s.fingerprint for s in list_findings(engine)] == [ids["weekday"], ids["script"]]


def test_finding_round_trips_sides_spans_and_nli(db_url, engine):
    ids = seed_store(db_url)
    stored = get_finding(engine, ids["weekday"])
    expected = report_for([wire_article(), insider_article()]).findings[0]
    assert stored.finding == expected  # sides, spans, nli floats
    assert stored.a_article == ids["wire"] and stored.b_article == ids["insider"]
    assert stored.event_id == ids["event"] and stored.is_open
    _, claims = table_rows(engine, "claims")
    assert len(claims) == 4


def test_saving_the_same_findings_again_updates_them_in_place(db_url, engine):
    ids = seed_store(db_url)
    wire, insider = wire_article(), insider_article()
    article_map = {"wire": ids["wire"], "insider": ids["insider"]}
    again = save_event_findings(
        engine,
        ids["event"],
        report_for([wire, insider]),
        article_map,
        members_signature(article_map.values()),
    )
    assert again == (2, 0)
    assert len(list_findings(engine, include_resolved=True)) == 2
    assert len(table_rows(engine, "claims")[1]) == 4  # claims are not duplicated


def test_recheck_without_a_finding_resolves_it_and_keeps_its_reviews(db_url, engine):
    ids = seed_store(db_url)
    add_review(engine, ids["weekday"], "confirmed", "checked with State", "ana")
    stored, resolved = save_event_findings(
        engine, ids["event"], Report([], [], {}), {}, members_signature(["x"])
    )
    assert (stored, resolved) == (0, 2)
    assert get_finding(engine, ids["weekday"]).status == RESOLVED
    assert len(finding_history(engine, ids["weekday"])) == 1
    assert list_findings(engine, only_open=True) == []


def test_latest_review_decides_and_follow_up_stays_open(db_url, engine):
    ids = seed_store(db_url)
    first = add_review(engine, ids["weekday"], "follow_up", "  ask the desk ", "ana")
    assert (first.verdict, first.note, first.reviewer) == ("follow_up", "ask the desk", "ana")
    assert get_finding(engine, ids["weekday"]).is_open
    add_review(engine, ids["weekday"], "dismissed", "same day in US time", "ben")
    stored = get_finding(engine, ids["weekday"])
    assert not stored.is_open and stored.review.reviewer == "ben"
    history = finding_history(engine, ids["weekday"])
    assert [(r.verdict, r.reviewer) for r in history] == [
        ("follow_up", "ana"),
        ("dismissed", "ben"),
    ]
    assert history[0].id < history[1].id and history[1].at.endswith("+00:00")
    assert [s.fingerprint for s in decided_findings(engine)] == [ids["weekday"]]


def test_review_of_unknown_finding_or_verdict_is_refused_and_writes_nothing(db_url, engine):
    ids = seed_store(db_url)
    with pytest.raises(StoreError, match="no finding"):
        add_review(engine, "0000", "confirmed", "", "ana")
    with pytest.raises(StoreError, match="unknown verdict"):
        add_review(engine, ids["weekday"], "maybe", "", "ana")
    assert finding_history(engine, ids["weekday"]) == []
    add_review(engine, ids["weekday"], "confirmed", "after a refusal", "ana")  # session is fine
    assert len(finding_history(engine, ids["weekday"])) == 1


def test_schema_compiles_for_postgresql():
    from sqlalchemy.dialects import postgresql
    from sqlalchemy.schema import CreateTable

    from checker.workspace.store import Base

    ddl = [
        str(CreateTable(t).compile(dialect=postgresql.dialect()))
        for t in Base.metadata.sorted_tables
    ]
    findings = next(d for d in ddl if "CREATE TABLE findings" in d)
    assert '"check"' in findings  # reserved word quoted
    assert any("BYTEA" in d for d in ddl)


def test_failed_findings_write_leaves_event_unchecked_and_nothing_half_written(engine):
    wire, insider = wire_article(), insider_article()
    save_articles(engine, [wire, insider])
    ids = {"wire": content_id(wire), "insider": content_id(insider)}
    set_events(engine, {"ev-test": list(ids.values())}, {})
    good = weekday_finding(wire, insider)
    bad = dataclasses.replace(good, fingerprint="bad", confidence="not a number")
    with pytest.raises(ValueError):
        save_event_findings(
            engine, "ev-test", Report([], [good, bad], {}), ids, members_signature(ids.values())
        )
    assert list_findings(engine, include_resolved=True) == []
    assert events_needing_check(engine) == ["ev-test"]


def test_articles_are_stored_with_their_features_in_one_transaction(engine):
    """Features given to save_articles land in the same row, so no stored article lacks them."""
    import numpy as np

    article = wire_article()
    cid = content_id(article)
    vector = np.arange(4, dtype=np.float32)
    save_articles(engine, [article], {cid: (vector, ["kuala lumpur", "blinken"])})
    [stored] = latest_articles(engine)
    assert np.array_equal(stored.embedding, vector)
    assert stored.entities == ("blinken", "kuala lumpur")


def test_a_failed_save_stores_no_article_and_no_features(engine):
    import numpy as np

    good, bad = wire_article(), wire_article()
    bad = dataclasses.replace(bad, text="Changed text.", published=object())  # not a datetime
    with pytest.raises(AttributeError):
        save_articles(engine, [good, bad], {content_id(good): (np.zeros(2), [])})
    assert latest_articles(engine) == []


# --- search, assignment, undo -------------------------------------------------------------------


def add_percent_finding(engine) -> str:
    """A finding (event ``ev-pct``, no stored articles) whose sentences hold a literal ``%`` and
    ``_``: what LIKE would take as wildcards. Returns its fingerprint."""
    from checker.findings import Finding, Side, fingerprint
    from checker.report import Report

    a_text, b_text = "Turnout rose 50% in Kuala_Lumpur.", "Turnout rose 40 per cent in KL."
    a = Side("Pct Daily", "pct", "pct.md", a_text, 0, len(a_text), value="50%")
    b = Side("Straße Zeitung", "str", "str.md", b_text, 0, len(b_text), value="40%")
    finding = Finding(
        verdict="contradiction",
        check="numeric",
        severity="medium",
        confidence=0.8,
        explanation="50% vs 40%",
        a=a,
        b=b,
        fingerprint=fingerprint("numeric", a, b),
    )
    set_events(engine, {"ev-pct": []}, {"ev-pct": "Turnout"})
    save_event_findings(engine, "ev-pct", Report([], [finding], {}), {}, members_signature([]))
    return finding.fingerprint


def search(engine, q: str, **kwargs) -> set[str]:
    return {s.fingerprint for s in list_findings(engine, search=q, include_resolved=True, **kwargs)}


def test_search_finds_text_of_either_sentence_and_outlet_names_ignoring_case(db_url, engine):
    ids = seed_store(db_url)
    pct = add_percent_finding(engine)
    assert search(engine, "TUESDAY") == {ids["weekday"]}  # side b's sentence
    assert search(engine, "self-isolating") == {ids["script"]}  # side a's sentence
    assert search(engine, "insider") == {ids["weekday"], ids["script"]}  # an outlet, not text
    assert search(engine, "pct daily") == {pct}
    assert search(engine, "Straße") == {pct}  # non-ASCII, as JSON stores it escaped
    assert search(engine, "<script>") == {ids["script"]}
    assert search(engine, "no such words") == set()
    assert search(engine, "  ") == {ids["weekday"], ids["script"], pct}  # blank: no filter
    assert search(engine, "tuesday", event_id="ev-pct") == set()  # combines with the event


def test_search_takes_percent_underscore_and_backslash_literally(db_url, engine):
    ids = seed_store(db_url)
    pct = add_percent_finding(engine)
    assert search(engine, "%") == {pct}  # a wildcard would match every finding
    assert search(engine, "50%") == {pct}
    assert search(engine, "5_%") == set()  # "_" is not "any character"
    # not the weekday finding's "Kuala Lumpur", which "_" as a wildcard would match
    assert search(engine, "Kuala_Lumpur") == {pct}
    assert search(engine, "</script>") == {ids["script"]}  # the escape character, literal
    assert search(engine, "/%") == set()
    assert search(engine, "\\") == set()
    assert search(engine, "' OR '1'='1") == set()  # a bound parameter, not SQL


def test_events_are_searched_by_title_outlet_and_finding_text(db_url, engine):
    ids = seed_store(db_url)
    add_percent_finding(engine)  # ev-pct has no members: never listed
    assert [e.id for e in list_events(engine, search="wire")] == [ids["event"]]
    assert [e.id for e in list_events(engine, search="halts asia")] == [ids["event"]]
    assert [e.id for e in list_events(engine, search="tuesday")] == [ids["event"]]
    assert list_events(engine, search="50%") == []
    assert list_events(engine, search="%") == []
    [summary] = list_events(engine, search="wire")
    assert summary.open_findings == 2  # the event's count, not the matches'


def test_assignment_is_kept_across_rechecks_and_filters_the_queue(db_url, engine):
    ids = seed_store(db_url)
    assert assign_finding(engine, ids["weekday"], "  Ana ") == "Ana"
    stored = get_finding(engine, ids["weekday"])
    assert stored.assigned_to == "Ana" and stored.assigned_at.endswith("+00:00")
    assert [s.fingerprint for s in list_findings(engine, assigned_to="ana")] == [ids["weekday"]]
    assert list_findings(engine, assigned_to="Bo") == []
    wire, insider = wire_article(), insider_article()
    article_map = {"wire": ids["wire"], "insider": ids["insider"]}
    save_event_findings(  # the event is checked again: the assignment stays
        engine, ids["event"], report_for([wire, insider]), article_map, members_signature([])
    )
    assert get_finding(engine, ids["weekday"]).assigned_to == "Ana"
    assert assign_finding(engine, ids["weekday"], " ") is None  # blank: unassigned
    stored = get_finding(engine, ids["weekday"])
    assert (stored.assigned_to, stored.assigned_at) == (None, None)
    with pytest.raises(StoreError, match="no finding"):
        assign_finding(engine, "0000", "Ana")
    columns, rows = table_rows(engine, "findings")  # so the CSV export carries it
    assert {"assigned_to", "assigned_at"} <= set(columns)


def test_undo_takes_back_the_reviewers_latest_verdict_step_by_step(db_url, engine):
    ids = seed_store(db_url)
    add_review(engine, ids["weekday"], "follow_up", "ask the desk", "Ana")
    add_review(engine, ids["weekday"], "confirmed", "desk agrees", "Ana")
    result = undo_last_review(engine, "Ana", ids["weekday"])
    assert result.undone.verdict == "confirmed" and result.undone.undone
    assert result.current.verdict == "follow_up"
    stored = get_finding(engine, ids["weekday"])
    assert stored.review.verdict == "follow_up" and stored.is_open
    history = finding_history(engine, ids["weekday"])
    assert [(r.verdict, r.undone) for r in history] == [("follow_up", False), ("confirmed", True)]
    assert decided_findings(engine) == []  # the undone decision no longer feeds the baseline
    second = undo_last_review(engine, "Ana")  # any finding: her latest standing verdict
    assert second.undone.verdict == "follow_up" and second.current is None
    assert get_finding(engine, ids["weekday"]).review is None
    assert undo_last_review(engine, "Ana") is None  # nothing left
    _, rows = table_rows(engine, "reviews")
    assert [row["undone_at"] is not None for row in rows] == [True, True]  # kept, marked


def test_undo_with_nothing_to_undo_returns_none_and_writes_nothing(db_url, engine):
    ids = seed_store(db_url)
    add_review(engine, ids["script"], "dismissed", "", "Bo")
    assert undo_last_review(engine, "Ana", ids["weekday"]) is None
    assert undo_last_review(engine, "Bo", ids["weekday"]) is None  # his verdict is elsewhere
    assert undo_last_review(engine, "", ids["script"]) is None
    assert [r.undone for r in finding_history(engine, ids["script"])] == [False]
    with pytest.raises(StoreError, match="no finding"):
        undo_last_review(engine, "Ana", "0000")


def test_undo_is_refused_when_someone_decided_after_the_reviewer(db_url, engine):
    ids = seed_store(db_url)
    add_review(engine, ids["weekday"], "confirmed", "", "Ana")
    add_review(engine, ids["weekday"], "dismissed", "", "Bo")
    with pytest.raises(StoreError, match="followed by Bo's"):
        undo_last_review(engine, "Ana", ids["weekday"])
    assert [r.undone for r in finding_history(engine, ids["weekday"])] == [False, False]
    assert get_finding(engine, ids["weekday"]).review.reviewer == "Bo"


def test_an_undo_that_fails_mid_write_changes_nothing(db_url, engine, monkeypatch):
    """The verdict is marked undone and then the transaction dies: rolled back, it stands."""
    from checker.workspace import store

    ids = seed_store(db_url)
    add_review(engine, ids["weekday"], "follow_up", "", "Ana")
    add_review(engine, ids["weekday"], "confirmed", "", "Ana")

    def crash(row):
        raise RuntimeError("power cut")

    monkeypatch.setattr(store, "_review_from_row", crash)  # runs after the UPDATE
    with pytest.raises(RuntimeError, match="power cut"):
        undo_last_review(engine, "Ana", ids["weekday"])
    monkeypatch.undo()
    assert [r.undone for r in finding_history(engine, ids["weekday"])] == [False, False]
    assert get_finding(engine, ids["weekday"]).review.verdict == "confirmed"


# --- whose account is wrong (reviews.wrong_side) ----------------------------------------------


def test_a_verdict_records_whose_account_is_wrong(db_url, engine):
    ids = seed_store(db_url)
    review = add_review(engine, ids["weekday"], "confirmed", "", "Ana", wrong_side=" B ")
    assert review.wrong_side == "b"  # case and spaces ignored
    assert get_finding(engine, ids["weekday"]).review.wrong_side == "b"
    add_review(engine, ids["script"], "follow_up", "", "Bo")  # not said
    assert get_finding(engine, ids["script"]).review.wrong_side is None
    add_review(engine, ids["script"], "dismissed", "", "Bo", wrong_side="neither")
    assert [r.wrong_side for r in finding_history(engine, ids["script"])] == [None, "neither"]
    columns, rows = table_rows(engine, "reviews")  # so the CSV export carries it
    assert "wrong_side" in columns
    assert [row["wrong_side"] for row in rows] == ["b", None, "neither"]


@pytest.mark.parametrize(
    ("verdict", "wrong_side", "message"),
    [
        ("confirmed", "Wire", r"unknown wrong side 'Wire': use one of a, b, both, neither"),
        ("confirmed", "c", r"unknown wrong side 'c'"),
        ("dismissed", "a", r"dismissed as a false alarm has no wrong account"),
        ("dismissed", "both", r"dismissed as a false alarm has no wrong account"),
    ],
)
def test_an_invalid_wrong_side_is_refused_and_writes_nothing(
    db_url, engine, verdict, wrong_side, message
):
    ids = seed_store(db_url)
    with pytest.raises(StoreError, match=message):
        add_review(engine, ids["weekday"], verdict, "", "Ana", wrong_side=wrong_side)
    assert finding_history(engine, ids["weekday"]) == []


def test_undo_takes_the_wrong_side_back_with_the_verdict(db_url, engine):
    ids = seed_store(db_url)
    add_review(engine, ids["weekday"], "follow_up", "", "Ana", wrong_side="a")
    add_review(engine, ids["weekday"], "confirmed", "", "Ana", wrong_side="b")
    result = undo_last_review(engine, "Ana", ids["weekday"])
    assert (result.undone.wrong_side, result.current.wrong_side) == ("b", "a")
    assert get_finding(engine, ids["weekday"]).review.wrong_side == "a"  # the earlier verdict's
    undo_last_review(engine, "Ana", ids["weekday"])
    assert get_finding(engine, ids["weekday"]).review is None  # nothing said any more
    # the history keeps what the undone verdicts said
    history = finding_history(engine, ids["weekday"])
    assert [(r.wrong_side, r.undone) for r in history] == [("a", True), ("b", True)]


# --------------------------------------------------------------------------------------------
# near-identical findings grouped into one (Finding.also_at)


def seed_then_group(db_url: str, engine) -> dict[str, str]:
    """The seed event checked first without grouping (bullet, weekday and script findings),
    the weekday (body) finding reviewed, then checked again with the bullet and weekday findings
    grouped into the bullet one. Returns the seed ids and ``bullet``."""
    ids = seed_store(db_url)
    wire, insider = wire_article(), insider_article()
    article_map = {"wire": ids["wire"], "insider": ids["insider"]}
    signature = members_signature(article_map.values())
    save_event_findings(
        engine, ids["event"], ungrouped_report([wire, insider]), article_map, signature
    )
    ids["bullet"] = bullet_finding(wire, insider).fingerprint
    return ids


def regroup(engine, ids: dict[str, str]) -> tuple[int, int]:
    article_map = {"wire": ids["wire"], "insider": ids["insider"]}
    return save_event_findings(
        engine,
        ids["event"],
        grouped_report([wire_article(), insider_article()]),
        article_map,
        members_signature(article_map.values()),
    )


def test_a_review_of_a_finding_later_grouped_stands_for_the_group(db_url, engine):
    ids = seed_then_group(db_url, engine)
    assert len(list_findings(engine, only_open=True)) == 3
    add_review(engine, ids["weekday"], "confirmed", "checked with State", "ana", wrong_side="b")
    assert regroup(engine, ids) == (2, 0)  # nothing resolved

    group = get_finding(engine, ids["bullet"])
    assert group.status == ACTIVE and group.grouped_into is None
    assert group.finding.fingerprints() == [ids["bullet"], ids["weekday"]]
    [place] = group.finding.also_at
    assert (place.side, place.kind, place.fingerprint) == ("a", "body", ids["weekday"])
    assert place.text.startswith("Blinken and senior officials")
    assert group.review is not None and not group.review_is_own
    assert (group.review.verdict, group.review.reviewer, group.review.wrong_side) == (
        "confirmed",
        "ana",
        "b",
    )
    assert not group.is_open

    member = get_finding(engine, ids["weekday"])
    assert member.status == GROUPED and member.grouped_into == ids["bullet"]
    assert member.review.verdict == "confirmed"  # kept with the finding it was given on
    # the queue: the group is decided, the grouped finding is not listed as open or active
    assert {s.fingerprint for s in list_findings(engine)} == {ids["bullet"], ids["script"]}
    assert [s.fingerprint for s in list_findings(engine, only_open=True)] == [ids["script"]]
    assert {s.fingerprint: s.status for s in list_findings(engine, include_resolved=True)} == {
        ids["bullet"]: ACTIVE,
        ids["weekday"]: GROUPED,
        ids["script"]: ACTIVE,
    }
    assert list_events(engine)[0].open_findings == 1
    history = finding_history(engine, ids["bullet"], with_grouped=True)
    assert [(r.fingerprint, r.verdict) for r in history] == [(ids["weekday"], "confirmed")]
    assert finding_history(engine, ids["bullet"]) == []


def test_the_groups_own_review_wins_over_a_members_and_regrouping_is_idempotent(db_url, engine):
    ids = seed_then_group(db_url, engine)
    add_review(engine, ids["weekday"], "confirmed", "", "ana")
    regroup(engine, ids)
    add_review(engine, ids["bullet"], "dismissed", "same day in US time", "ben")
    assert get_finding(engine, ids["bullet"]).review.verdict == "dismissed"
    assert get_finding(engine, ids["bullet"]).review_is_own
    assert regroup(engine, ids) == (2, 0)
    assert get_finding(engine, ids["weekday"]).status == GROUPED
    assert get_finding(engine, ids["bullet"]).review.verdict == "dismissed"


def test_a_grouped_finding_reported_again_on_its_own_is_active_again(db_url, engine):
    ids = seed_then_group(db_url, engine)
    regroup(engine, ids)
    article_map = {"wire": ids["wire"], "insider": ids["insider"]}
    save_event_findings(
        engine,
        ids["event"],
        ungrouped_report([wire_article(), insider_article()]),
        article_map,
        members_signature(article_map.values()),
    )
    member = get_finding(engine, ids["weekday"])
    assert member.status == ACTIVE and member.grouped_into is None
    bullet = get_finding(engine, ids["bullet"])
    assert bullet.finding.also_at == [] and bullet.finding.fingerprints() == [ids["bullet"]]


def test_a_group_no_longer_produced_resolves_its_grouped_findings_too(db_url, engine):
    ids = seed_then_group(db_url, engine)
    regroup(engine, ids)
    stored, resolved = save_event_findings(
        engine, ids["event"], Report([], [], {}), {}, members_signature(["x"])
    )
    assert (stored, resolved) == (0, 3)
    for key in ("bullet", "weekday", "script"):
        found = get_finding(engine, ids[key])
        assert found.status == RESOLVED and found.grouped_into is None


def test_baseline_and_claimreview_exports_cover_the_group(db_url, engine, tmp_path):
    ids = seed_then_group(db_url, engine)
    add_review(engine, ids["weekday"], "confirmed", "checked with State", "ana")
    regroup(engine, ids)
    out = tmp_path / "baseline.json"
    assert export_baseline(db_url, out) == 2
    entries = load_baseline(out).by_fingerprint()
    assert set(entries) == {ids["bullet"], ids["weekday"]}
    assert {e.status for e in entries.values()} == {"accepted"}
    assert entries[ids["bullet"]].a_text.startswith("KUALA LUMPUR")
    assert entries[ids["weekday"]].a_text.startswith("Blinken and senior officials")
    assert entries[ids["weekday"]].why == "checked with State"

    # the group's own verdict then stands for every fingerprint of the group
    add_review(engine, ids["bullet"], "dismissed", "same day", "ben")
    export_baseline(db_url, out)
    entries = load_baseline(out).by_fingerprint()
    assert {fp: e.status for fp, e in entries.items()} == {
        ids["bullet"]: "dismissed",
        ids["weekday"]: "dismissed",
    }
    add_review(engine, ids["bullet"], "confirmed", "", "ben")
    document = tmp_path / "claimreview.json"
    assert export_claimreview(db_url, document) == 2  # the group's two sides, once
    graph = json.loads(document.read_text())["@graph"]
    assert {item["identifier"] for item in graph} == {f"{ids['bullet']}-a", f"{ids['bullet']}-b"}
