"""The review web app through Flask's test client: pages, verdicts, CSRF, token, escaping.

The app tests run on SQLite and on PostgreSQL (``db_url`` in tests/conftest.py); the CLI ones
take a SQLite file path as ``--db``.
"""

from __future__ import annotations

import dataclasses
import re

import pytest
from review_seed import (
    grouped_report,
    insider_article,
    seed_store,
    ungrouped_report,
    wire_article,
)
from typer.testing import CliRunner

from checker.workspace.review_app import create_app, is_loopback
from checker.workspace.store import (
    add_review,
    connect,
    finding_history,
    get_finding,
    members_signature,
    save_event_findings,
)


@pytest.fixture
def seeded(db_url):
    """A seeded store, on SQLite and on PostgreSQL."""
    return db_url, seed_store(db_url)


@pytest.fixture
def seeded_sqlite(sqlite_url):
    """A seeded SQLite store, for the CLI's ``--db PATH``."""
    return sqlite_url, seed_store(sqlite_url)


@pytest.fixture
def client(seeded):
    client = create_app(seeded[0]).test_client()
    yield client
    client.application.extensions["crossclaim_engine"].dispose()


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_queue_lists_open_findings_most_serious_first(client, seeded):
    html = client.get("/").get_data(as_text=True)
    ids = seeded[1]
    assert html.index(ids["weekday"]) < html.index(ids["script"])
    assert "Blinken halts Asia trip" in html  # the event's title


def test_queue_filters_by_event(client):
    assert "No findings" in client.get("/?event=ev-other").get_data(as_text=True)


def test_finding_page_shows_both_sides_values_nli_and_rule(client, seeded):
    html = client.get(f"/findings/{seeded[1]['weekday']}").get_data(as_text=True)
    assert '<mark class="span">Wednesday</mark>' in html
    assert '<mark class="span">Tuesday</mark>' in html
    assert "2021-12-15" in html and "2021-12-14" in html
    assert "contradiction 0.90" in html and "temporal" in html
    assert (
        "Secretary of State Antony Blinken cut his Southeast Asia visit short." in html
    )  # context


def test_article_text_with_script_tag_is_escaped_everywhere(client, seeded):
    pages = [f"/findings/{seeded[1]['script']}", f"/articles/{seeded[1]['insider']}", "/"]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert "<script>alert(1)" not in html
    finding = client.get(pages[0]).get_data(as_text=True)
    assert '<mark class="span">&lt;script&gt;</mark>alert(1)&lt;/script&gt;' in finding
    assert "&lt;b&gt;not bold&lt;/b&gt;" in finding


def test_pages_only_run_their_own_nonced_script(client):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    assert f'<script nonce="{nonce}">' in response.get_data(as_text=True)
    assert "default-src 'none'" in policy


def test_verdict_is_stored_with_note_and_reviewer_and_shown_in_history(client, seeded):
    fp = seeded[1]["weekday"]
    page = client.get(f"/findings/{fp}").get_data(as_text=True)
    response = client.post(
        f"/findings/{fp}/review",
        data={
            "csrf_token": csrf_of(page),
            "verdict": "confirmed",
            "note": "AP agrees",
            "reviewer": "Ana",
        },
    )
    assert response.status_code == 303
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Saved: confirmed" in html and "AP agrees" in html
    assert 'value="Ana"' in html  # the reviewer's name is remembered
    [review] = finding_history(connect(seeded[0]), fp)
    assert (review.verdict, review.note, review.reviewer) == ("confirmed", "AP agrees", "Ana")
    assert fp not in client.get("/").get_data(as_text=True)  # decided: out of the open queue


def test_post_without_csrf_token_is_rejected_and_writes_nothing(client, seeded):
    fp = seeded[1]["weekday"]
    client.get("/")
    response = client.post(
        f"/findings/{fp}/review", data={"verdict": "confirmed", "reviewer": "Ana"}
    )
    assert response.status_code == 400
    assert finding_history(connect(seeded[0]), fp) == []


def test_verdict_without_reviewer_name_is_rejected(client, seeded):
    fp = seeded[1]["weekday"]
    token = csrf_of(client.get(f"/findings/{fp}").get_data(as_text=True))
    response = client.post(
        f"/findings/{fp}/review", data={"csrf_token": token, "verdict": "confirmed"}
    )
    assert response.status_code == 400


def test_unknown_finding_is_404(client):
    assert client.get("/findings/nope").status_code == 404


def test_token_is_required_on_every_request_when_set(seeded):
    client = create_app(seeded[0], token="correct-horse").test_client()
    assert client.get("/").status_code == 401
    assert client.get("/?token=wrong-horse").status_code == 401
    assert client.get("/", headers={"X-Crossclaim-Token": "correct-horse"}).status_code == 200


def test_token_in_query_is_swapped_for_a_cookie(seeded):
    client = create_app(seeded[0], token="correct-horse").test_client()
    response = client.get("/events?token=correct-horse")
    assert response.status_code == 302 and response.headers["Location"] == "/events"
    assert client.get("/events").status_code == 200


def test_without_token_only_loopback_host_names_are_served(client):
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 403
    assert client.get("/", headers={"Host": "127.0.0.1:8765"}).status_code == 200


def test_loopback_names():
    assert is_loopback("localhost") and is_loopback("::1") and is_loopback("[::1]:8765")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5:80")


def test_review_command_refuses_public_host_without_token(seeded_sqlite, tmp_path):
    from checker.cli.main import app

    db = seeded_sqlite[0].removeprefix("sqlite:///")
    result = CliRunner().invoke(app, ["review", "--db", db, "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert "pass --token" in result.output


def test_review_command_refuses_missing_database(tmp_path):
    from checker.cli.main import app

    result = CliRunner().invoke(app, ["review", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2 and "no such review database" in result.output


def test_events_command_lists_event_with_open_findings(seeded_sqlite):
    import json

    from checker.cli.main import app

    db = seeded_sqlite[0].removeprefix("sqlite:///")
    result = CliRunner().invoke(app, ["events", "--db", db, "--json"])
    assert result.exit_code == 0, result.output
    [event] = json.loads(result.output)
    assert event["id"] == "ev-test" and event["open_findings"] == 2 and event["articles"] == 2
    assert event["outlets"] == ["Business Insider", "Wire"]


def test_event_page_lists_its_articles_and_findings(client, seeded):
    html = client.get("/events/ev-test").get_data(as_text=True)
    assert "Business Insider" in html and "Wire" in html
    assert seeded[1]["weekday"] in html
    assert client.get("/events/ev-none").status_code == 404


@pytest.mark.parametrize(
    ("host", "server_kind"), [("127.0.0.1", "werkzeug"), ("0.0.0.0", "waitress")]
)
def test_beyond_loopback_the_app_is_served_by_waitress_without_a_version_banner(
    seeded_sqlite, host, server_kind
):
    """Loopback: werkzeug's threaded server; any other address: waitress. Both answer with
    ``Server: crossclaim-review`` and refuse a body over the limit."""
    import http.cookiejar
    import threading
    import urllib.error
    import urllib.request

    from checker.workspace.review_app import (
        MAX_BODY_BYTES,
        SERVER_NAME,
        WaitressServer,
        make_review_server,
    )

    app = create_app(seeded_sqlite[0], token="secret-token-1")
    server = make_review_server(host, 0, app)
    assert isinstance(server, WaitressServer) == (server_kind == "waitress")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    # the token in the query is swapped for a cookie on a redirect
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    try:
        with opener.open(f"{base}/?token=secret-token-1", timeout=10) as response:
            assert response.status == 200
            assert response.headers["Server"] == SERVER_NAME
        big = urllib.request.Request(
            f"{base}/?token=secret-token-1", data=b"x" * (MAX_BODY_BYTES + 1), method="POST"
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            opener.open(big, timeout=10)
        assert refused.value.code in (400, 413)
        refused.value.close()
    finally:
        if server_kind == "werkzeug":
            server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        app.extensions["crossclaim_engine"].dispose()


# --- search -------------------------------------------------------------------------------------


def add_percent_finding(db_url: str) -> str:
    """A finding (event ``ev-pct``) whose sentence holds a literal ``%``; its fingerprint."""
    from checker.findings import Finding, Side, fingerprint
    from checker.report import Report
    from checker.workspace.store import members_signature, save_event_findings, set_events

    a_text, b_text = "Turnout rose 50% in the capital.", "Turnout rose 40 per cent."
    a = Side("Pct Daily", "pct", "pct.md", a_text, 0, len(a_text), value="50%")
    b = Side("Other Daily", "oth", "oth.md", b_text, 0, len(b_text), value="40%")
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
    engine = connect(db_url)
    set_events(engine, {"ev-pct": []}, {"ev-pct": "Turnout"})
    save_event_findings(engine, "ev-pct", Report([], [finding], {}), {}, members_signature([]))
    engine.dispose()
    return finding.fingerprint


def test_search_shows_findings_whose_sentence_holds_the_words(client, seeded):
    ids = seeded[1]
    html = client.get("/?q=TUESDAY").get_data(as_text=True)
    assert ids["weekday"] in html and ids["script"] not in html
    assert 'value="TUESDAY"' in html  # the box keeps the search
    html = client.get("/?q=self-isolating").get_data(as_text=True)  # the other side's sentence
    assert ids["script"] in html and ids["weekday"] not in html


def test_search_without_a_match_says_so(client, seeded):
    html = client.get("/?q=no+such+words").get_data(as_text=True)
    assert "No findings match “no such words”." in html
    assert seeded[1]["weekday"] not in html and seeded[1]["script"] not in html
    html = client.get("/events?q=no+such+words").get_data(as_text=True)
    assert "No events match “no such words”." in html and "ev-test" not in html


def test_search_matches_outlet_names(client, seeded):
    """The word "Insider" is in no sentence, only in an outlet's name (a side of both)."""
    html = client.get("/?q=insider").get_data(as_text=True)
    assert seeded[1]["weekday"] in html and seeded[1]["script"] in html
    assert "ev-test" in client.get("/events?q=business+insider").get_data(as_text=True)
    html = client.get("/events/ev-test?q=tuesday").get_data(as_text=True)  # one event's list
    assert seeded[1]["weekday"] in html and seeded[1]["script"] not in html


def test_a_percent_sign_in_the_search_is_literal(client, seeded):
    """``%`` and ``_`` are LIKE's wildcards: searched for as characters, "%" matches only the
    finding whose sentence holds a percent sign, and "_" none."""
    pct = add_percent_finding(seeded[0])
    html = client.get("/?q=%25").get_data(as_text=True)  # q=%
    assert pct in html
    assert seeded[1]["weekday"] not in html and seeded[1]["script"] not in html
    assert pct in client.get("/?q=50%25+in").get_data(as_text=True)
    assert "No findings match “_”." in client.get("/?q=_").get_data(as_text=True)


def test_the_search_is_shown_escaped_and_a_long_one_is_refused(client):
    html = client.get("/?q=%3Cscript%3Ealert(2)%3C/script%3E").get_data(as_text=True)
    assert "<script>alert(2)" not in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html
    from checker.workspace.review_app import MAX_SEARCH_CHARS

    assert client.get("/?q=" + "x" * (MAX_SEARCH_CHARS + 1)).status_code == 400
    assert client.get("/events?q=" + "x" * (MAX_SEARCH_CHARS + 1)).status_code == 400


# --- undo ---------------------------------------------------------------------------------------


def give_verdict(client, fp: str, verdict: str, reviewer: str = "Ana", note: str = ""):
    token = csrf_of(client.get(f"/findings/{fp}").get_data(as_text=True))
    response = client.post(
        f"/findings/{fp}/review",
        data={"csrf_token": token, "verdict": verdict, "reviewer": reviewer, "note": note},
    )
    assert response.status_code == 303
    return client.get(response.headers["Location"]).get_data(as_text=True)


def test_undo_restores_the_previous_verdict(client, seeded):
    fp = seeded[1]["weekday"]
    give_verdict(client, fp, "follow_up", note="ask the desk")
    html = give_verdict(client, fp, "confirmed", note="desk agrees")
    assert 'id="btn-undo"' in html and 'form="undo-form"' in html  # offered after the verdict
    response = client.post(
        f"/findings/{fp}/undo", data={"csrf_token": csrf_of(html), "reviewer": "Ana"}
    )
    assert response.status_code == 303
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Undone: Ana’s verdict “confirmed” was taken back" in html
    assert '<strong id="status">needs follow-up</strong>' in html
    assert "<del>confirmed</del> (undone" in html  # still in the history, marked
    engine = connect(seeded[0])
    assert get_finding(engine, fp).review.verdict == "follow_up"
    assert [(r.verdict, r.undone) for r in finding_history(engine, fp)] == [
        ("follow_up", False),
        ("confirmed", True),
    ]
    engine.dispose()
    assert fp in client.get("/").get_data(as_text=True)  # follow-up: back in the open queue

    response = client.post(  # once more: no verdict at all, as before the first one
        f"/findings/{fp}/undo", data={"csrf_token": csrf_of(html), "reviewer": "Ana"}
    )
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert '<strong id="status">open</strong>' in html and "The finding is now unreviewed" in html


def test_undo_with_nothing_to_undo_is_a_message_not_an_error(client, seeded):
    fp = seeded[1]["weekday"]
    token = csrf_of(client.get(f"/findings/{fp}").get_data(as_text=True))
    response = client.post(f"/findings/{fp}/undo", data={"csrf_token": token, "reviewer": "Ana"})
    assert response.status_code == 303
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Nothing to undo: Ana has no verdict on this finding to take back." in html
    response = client.post(f"/findings/{fp}/undo", data={"csrf_token": token})  # no name at all
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Nothing to undo" in html
    assert finding_history(connect(seeded[0]), fp) == []


def test_undo_leaves_a_later_verdict_by_someone_else_standing(client, seeded):
    fp = seeded[1]["weekday"]
    html = give_verdict(client, fp, "confirmed", reviewer="Ana")
    add_review(connect(seeded[0]), fp, "dismissed", "same day in US time", "Bo")
    response = client.post(
        f"/findings/{fp}/undo", data={"csrf_token": csrf_of(html), "reviewer": "Ana"}
    )
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Not undone: a later verdict by Bo (dismissed as a false alarm) stands" in html
    assert [r.undone for r in finding_history(connect(seeded[0]), fp)] == [False, False]


def test_undo_needs_the_csrf_token_and_a_known_finding(client, seeded):
    fp = seeded[1]["weekday"]
    html = give_verdict(client, fp, "confirmed")
    assert client.post(f"/findings/{fp}/undo", data={"reviewer": "Ana"}).status_code == 400
    assert client.get(f"/findings/{fp}/undo").status_code == 405
    response = client.post("/findings/nope/undo", data={"csrf_token": csrf_of(html)})
    assert response.status_code == 404
    assert [r.undone for r in finding_history(connect(seeded[0]), fp)] == [False]


# --- assignment ---------------------------------------------------------------------------------


def assign(client, fp: str, **form: str):
    token = csrf_of(client.get(f"/findings/{fp}").get_data(as_text=True))
    return client.post(f"/findings/{fp}/assign", data={"csrf_token": token, **form})


def test_assignment_is_stored_and_shown(client, seeded):
    fp = seeded[1]["weekday"]
    response = assign(client, fp, assignee="  Ana ")
    assert response.status_code == 303
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert '<strong id="assigned-to">Ana</strong>' in html and 'id="assigned-saved"' in html
    assert get_finding(connect(seeded[0]), fp).assigned_to == "Ana"
    other = create_app(seeded[0]).test_client()  # a new app on the same store
    assert '<strong id="assigned-to">Ana</strong>' in other.get(f"/findings/{fp}").get_data(
        as_text=True
    )
    other.application.extensions["crossclaim_engine"].dispose()
    assert '<td class="assigned">Ana</td>' in client.get("/").get_data(as_text=True)
    assign(client, fp, assignee="")  # blank: nobody
    assert get_finding(connect(seeded[0]), fp).assigned_to is None


def test_assigned_to_me_filter_shows_only_my_findings(client, seeded):
    ids = seeded[1]
    assign(client, ids["weekday"], assignee="Ana")
    assign(client, ids["script"], assignee="Bo")
    html = client.get("/?assigned=ana").get_data(as_text=True)
    assert ids["weekday"] in html and ids["script"] not in html
    html = client.get("/?assigned=Bo").get_data(as_text=True)
    assert ids["script"] in html and ids["weekday"] not in html
    assert "No findings to show" in client.get("/?assigned=Cy").get_data(as_text=True)
    # once the app knows the reviewer's name (a verdict), the queue links to their findings
    assert 'id="assigned-to-me"' not in client.get("/").get_data(as_text=True)
    give_verdict(client, ids["script"], "follow_up", reviewer="Bo")
    html = client.get("/").get_data(as_text=True)
    assert '<a href="/?show=open&amp;assigned=Bo" id="assigned-to-me">' in html
    html = client.get("/?show=open&assigned=Bo&q=self-isolating").get_data(as_text=True)
    assert ids["script"] in html  # the filter and the search together


def test_assign_to_me_button_and_refusals(client, seeded):
    fp = seeded[1]["weekday"]
    give_verdict(client, fp, "follow_up", reviewer="Ana")
    html = client.get(f"/findings/{fp}").get_data(as_text=True)
    assert 'id="btn-assign-me"' in html
    assign(client, fp, assignee="", assign_to_me="Ana")  # the button wins over the text field
    assert get_finding(connect(seeded[0]), fp).assigned_to == "Ana"
    from checker.workspace.review_app import MAX_REVIEWER_CHARS

    long_name = assign(client, fp, assignee="a" * (MAX_REVIEWER_CHARS + 1))
    assert long_name.status_code == 400
    assert client.post(f"/findings/{fp}/assign", data={"assignee": "Bo"}).status_code == 400
    assert assign(client, seeded[1]["script"]).status_code == 303  # blank, nothing assigned
    token = csrf_of(html)
    response = client.post("/findings/nope/assign", data={"csrf_token": token, "assignee": "X"})
    assert response.status_code == 404
    assert get_finding(connect(seeded[0]), fp).assigned_to == "Ana"


def test_an_assignee_name_with_markup_is_shown_as_text(client, seeded):
    fp = seeded[1]["weekday"]
    assign(client, fp, assignee="<b>Eve</b>")
    for page in (f"/findings/{fp}", "/", "/events/ev-test"):
        html = client.get(page).get_data(as_text=True)
        assert "<b>Eve</b>" not in html and "&lt;b&gt;Eve&lt;/b&gt;" in html


# --- whose account is wrong -----------------------------------------------------------------------


def test_the_verdict_form_asks_whose_account_is_wrong_by_outlet(client, seeded):
    html = client.get(f"/findings/{seeded[1]['weekday']}").get_data(as_text=True)
    form = html[html.index('id="verdict-form"') : html.index("</form>", html.index("verdict-form"))]
    assert 'name="wrong_side"' in form
    options = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', form)
    assert [(value, label) for value, _, label in options] == [
        ("a", "A (Wire)"),
        ("b", "B (Business Insider)"),
        ("both", "both"),
        ("neither", "neither"),
        ("", "not sure"),
    ]
    assert [value for value, selected, _ in options if selected] == [""]  # not sure by default


def test_the_wrong_side_is_recorded_with_the_verdict_and_shown(client, seeded):
    fp = seeded[1]["weekday"]
    token = csrf_of(client.get(f"/findings/{fp}").get_data(as_text=True))
    response = client.post(
        f"/findings/{fp}/review",
        data={"csrf_token": token, "verdict": "confirmed", "reviewer": "Ana", "wrong_side": "b"},
    )
    assert response.status_code == 303
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Saved: confirmed; Business Insider&#39;s account judged wrong." in html
    assert '<td class="wrong-side">Business Insider&#39;s account</td>' in html  # the history
    assert '<option value="b" selected>' in html  # the form starts at the standing answer
    [review] = finding_history(connect(seeded[0]), fp)
    assert (review.verdict, review.wrong_side) == ("confirmed", "b")


def test_not_sure_records_no_wrong_side(client, seeded):
    fp = seeded[1]["weekday"]
    html = give_verdict(client, fp, "follow_up")  # the form's default: not sure
    assert '<td class="wrong-side">not said</td>' in html
    [review] = finding_history(connect(seeded[0]), fp)
    assert review.wrong_side is None


@pytest.mark.parametrize(
    ("verdict", "wrong_side", "message"),
    [
        ("confirmed", "Wire", "unknown wrong side"),
        ("dismissed", "a", "dismissed as a false alarm has no wrong account"),
    ],
)
def test_an_invalid_wrong_side_is_refused_with_a_message(
    client, seeded, verdict, wrong_side, message
):
    fp = seeded[1]["weekday"]
    token = csrf_of(client.get(f"/findings/{fp}").get_data(as_text=True))
    response = client.post(
        f"/findings/{fp}/review",
        data={"csrf_token": token, "verdict": verdict, "reviewer": "Ana", "wrong_side": wrong_side},
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert finding_history(connect(seeded[0]), fp) == []


def test_undo_takes_the_wrong_side_back_with_the_verdict(client, seeded):
    fp = seeded[1]["weekday"]
    token = csrf_of(client.get(f"/findings/{fp}").get_data(as_text=True))
    response = client.post(
        f"/findings/{fp}/review",
        data={"csrf_token": token, "verdict": "confirmed", "reviewer": "Ana", "wrong_side": "a"},
    )
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    response = client.post(
        f"/findings/{fp}/undo", data={"csrf_token": csrf_of(html), "reviewer": "Ana"}
    )
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The finding is now unreviewed" in html
    assert '<option value="" selected>' in html  # the form is back at "not sure"
    engine = connect(seeded[0])
    assert get_finding(engine, fp).review is None
    [review] = finding_history(engine, fp)
    assert (review.wrong_side, review.undone) == ("a", True)  # the history keeps what it said
    engine.dispose()


def test_finding_page_lists_also_at_places_escaped_and_the_members_verdict(seeded):
    """A finding that grouped a near-identical one shows its places (escaped) and the verdict
    given on the grouped finding before the grouping; that finding's page says where it went."""
    db_url, ids = seeded
    engine = connect(db_url)
    article_map = {"wire": ids["wire"], "insider": ids["insider"]}
    signature = members_signature(article_map.values())
    articles = [wire_article(), insider_article()]
    save_event_findings(engine, ids["event"], ungrouped_report(articles), article_map, signature)
    add_review(engine, ids["weekday"], "confirmed", "checked with State", "Ana")
    report = grouped_report(articles)
    group = report.findings[0]
    [place] = group.also_at
    place = dataclasses.replace(place, text="Said <script>alert(2)</script> on Wednesday.")
    report = dataclasses.replace(
        report, findings=[dataclasses.replace(group, also_at=[place]), *report.findings[1:]]
    )
    assert save_event_findings(engine, ids["event"], report, article_map, signature) == (2, 0)
    engine.dispose()

    client = create_app(db_url).test_client()
    html = client.get(f"/findings/{group.fingerprint}").get_data(as_text=True)
    assert 'id="also-at"' in html
    assert "<script>alert(2)" not in html
    assert "Said &lt;script&gt;alert(2)&lt;/script&gt; on Wednesday." in html
    assert f"(finding {ids['weekday']})" in html
    assert re.search(r'id="status">confirmed<', html)
    assert 'id="group-verdict"' in html and "checked with State" in html
    member = client.get(f"/findings/{ids['weekday']}").get_data(as_text=True)
    assert 'id="grouped-into"' in member and f"/findings/{group.fingerprint}" in member
    queue = client.get("/").get_data(as_text=True)
    assert ids["script"] in queue and group.fingerprint not in queue  # the group is decided
