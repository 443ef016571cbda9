"""The review web app through Flask's test client: pages, verdicts, CSRF, token, escaping.

The app tests run on SQLite and on PostgreSQL (``db_url`` in tests/conftest.py); the CLI ones
take a SQLite file path as ``--db``.
"""

from __future__ import annotations

import re

import pytest
from review_seed import seed_store
from typer.testing import CliRunner

from checker.workspace.review_app import create_app, is_loopback
from checker.workspace.store import connect, finding_history


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
