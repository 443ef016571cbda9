"""The fact-checkers' review workspace: a small server-rendered Flask app over the store.

The pages are the :data:`review` blueprint (its views reach the store through ``current_app``);
:func:`create_app` makes an app for one store and registers it.

Pages: the queue of open findings (most serious first, with their event), events, a finding
(both sentences side by side with the differing spans marked, the paragraphs around them, the
normalised values, the NLI probabilities, the rule that fired, the verdict form with whose
account is wrong (:func:`wrong_side_choices`), the assignment form and the history) and an
article. The queue, the events list and an event's page take a search (``?q=``: text in either
sentence, or an outlet name; see :func:`checker.workspace.store.finding_matches`); the queue
also ``?assigned=NAME`` (the "assigned to me" link names the reviewer of this browser session).
After a verdict, *Undo* takes the reviewer's latest verdict on the finding back (kept in the
history, marked undone, with whose account it judged wrong).
Keyboard: ``j``/``k`` move, ``c``/``d``/``f`` decide (confirmed, dismissed as a false alarm,
needs follow-up), ``Enter`` opens the selected row.

Safety: Jinja2 autoescaping on every page (article text is untrusted); a content security policy
that only runs the page's own inline script (by nonce); every POST carries the session's CSRF
token (else 400); without a token, only loopback ``Host`` headers are served (no DNS
rebinding); with a token, every request must carry it (``?token=`` once, then a cookie, or the
``X-Crossclaim-Token`` header) else 401. Each verdict, undo and assignment is one transaction.

Untrusted input is bounded: a request body over :data:`MAX_BODY_BYTES` is refused with 413 while
it is read (chunked bodies included: ``MAX_CONTENT_LENGTH`` alone does not stop them), and a
note or reviewer name over its limit is refused with 400, never cut silently. Bidirectional
control characters in anything displayed (outlets, titles, article text) are shown as visible
``[U+202E]`` marks, so an outlet name cannot reverse the text around it.
:func:`make_review_server` serves the app with a ``Server`` header that names no versions.

>>> app = create_app("sqlite://")
>>> app.test_client().get("/").status_code
200
"""

from __future__ import annotations

import hmac
import io
import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from markupsafe import Markup
from sqlalchemy import Engine
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.wrappers import Response

from checker.findings import Finding, Side
from checker.workspace.store import (
    MAX_SEARCH_CHARS,
    REVIEW_LABELS,
    REVIEW_VERDICTS,
    WRONG_SIDES,
    StoredArticle,
    StoredFinding,
    StoreError,
    add_review,
    article_versions,
    assign_finding,
    check_wrong_side,
    connect,
    event_members,
    finding_history,
    get_article,
    get_finding,
    list_events,
    list_findings,
    undo_last_review,
)

#: host names that count as this machine (serving them needs no token).
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
#: name of the cookie that carries the access token after the first ``?token=``.
TOKEN_COOKIE = "crossclaim_token"
#: header that may carry the access token instead.
TOKEN_HEADER = "X-Crossclaim-Token"
#: paragraphs shown before and after the one holding a finding's sentence.
CONTEXT_PARAGRAPHS = 1
#: bytes of request body accepted (a verdict form is a few hundred bytes; a note at its limit
#: is at most 40 KB of UTF-8). Enforced while reading, chunked bodies included.
MAX_BODY_BYTES = 64 * 1024
#: characters of a verdict's note: several paragraphs of reasoning; longer is refused, not cut.
MAX_NOTE_CHARS = 10_000
#: characters of a reviewer's name (a name or an email address).
MAX_REVIEWER_CHARS = 200
#: what the finding page says after an Undo (``?undo=``), by outcome.
UNDO_OUTCOMES = ("done", "nothing", "conflict")
#: what the ``Server`` header says: no framework or Python version for an attacker to look up.
SERVER_NAME = "crossclaim-review"

#: bidirectional embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069):
#: they reorder the text shown after them ("Trojan Source"), so displayed text shows them as
#: visible marks. The plain marks (U+200E, U+200F, U+061C) only affect neutral characters and
#: are left alone, since right-to-left text uses them legitimately.
BIDI_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
_BIDI_TABLE = {ord(c): f"[U+{ord(c):04X}]" for c in BIDI_CONTROLS}

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def is_loopback(host: str) -> bool:
    """Whether a bind address or a ``Host`` header (port allowed) names this machine.

    >>> is_loopback("127.0.0.1:8765"), is_loopback("[::1]:80"), is_loopback("0.0.0.0")
    (True, True, False)
    """
    host = host.strip().lower()
    if host.startswith("["):
        host = host[: host.index("]") + 1] if "]" in host else host
    elif host.count(":") == 1:
        host = host.split(":", 1)[0]
    return host in LOOPBACK_HOSTS


def show_bidi_controls(value: Any) -> Any:
    """Text with every bidirectional control replaced by a visible mark (other values as they
    are); the review pages pass every displayed value through this (Jinja's ``finalize``).

    >>> show_bidi_controls("Reuters\u202egnp.exe")
    'Reuters[U+202E]gnp.exe'
    >>> show_bidi_controls(3)
    3
    """
    if isinstance(value, Markup):
        return Markup(str(value).translate(_BIDI_TABLE))
    if isinstance(value, str):
        return value.translate(_BIDI_TABLE)
    return value


WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class BodyLimit:
    """WSGI middleware: read at most ``limit`` bytes of a request body, else answer 413.

    The body is read here, before Flask sees it, whether it comes with a ``Content-Length`` or
    chunked (``wsgi.input_terminated``), and handed on as a buffer of the bytes read; a body
    without either is treated as empty (reading it could block).
    """

    def __init__(self, app: WSGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        raw_length = environ.get("CONTENT_LENGTH", "").strip()
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if not raw_length and not chunked and not environ.get("wsgi.input_terminated"):
            return self.app(environ, start_response)
        if raw_length:
            if not raw_length.isdigit():
                return _plain(400, "bad Content-Length")(environ, start_response)
            if int(raw_length) > self.limit:
                return self._too_large(environ, start_response)
        stream = environ["wsgi.input"]
        wanted = int(raw_length) if raw_length and not chunked else self.limit + 1
        data = bytearray()
        while len(data) < wanted:
            chunk = stream.read(min(64 * 1024, wanted - len(data)))
            if not chunk:
                break
            data += chunk
        if len(data) > self.limit:
            return self._too_large(environ, start_response)
        environ["wsgi.input"] = io.BytesIO(bytes(data))
        environ["CONTENT_LENGTH"] = str(len(data))
        environ.pop("HTTP_TRANSFER_ENCODING", None)
        environ["wsgi.input_terminated"] = False
        return self.app(environ, start_response)

    def _too_large(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        message = f"request body too large (the limit is {self.limit:,} bytes)"
        return _plain(413, message)(environ, start_response)


def _plain(status: int, message: str) -> Response:
    response = Response(message + "\n", status=status, mimetype="text/plain")
    response.headers["Connection"] = "close"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


class _QuietRequestHandler(WSGIRequestHandler):
    """The dev server's handler, with a ``Server`` header that names no versions."""

    def version_string(self) -> str:
        return SERVER_NAME


#: worker threads of the production server (waitress) when the app is bound beyond loopback.
WAITRESS_THREADS = 8


class WaitressServer:
    """waitress serving the review app, with the ``serve_forever`` / ``server_close`` /
    ``server_port`` face of werkzeug's server, so the CLI treats both alike."""

    def __init__(self, host: str, port: int, app: Flask) -> None:
        from waitress import create_server

        self._server = create_server(
            app,
            host=host,
            port=port,
            ident=SERVER_NAME,
            threads=WAITRESS_THREADS,
            max_request_body_size=MAX_BODY_BYTES,
        )
        self.server_port = int(getattr(self._server, "effective_port", port))
        self._closing = False

    def serve_forever(self) -> None:
        """Serve until :meth:`server_close` (from another thread) or an interrupt."""
        try:
            self._server.run()
        except (OSError, ValueError):
            # closing the sockets under a running loop ends it with EBADF: that is the stop
            if not self._closing:
                raise

    def server_close(self) -> None:
        self._closing = True
        self._server.close()


def make_review_server(host: str, port: int, app: Flask) -> BaseWSGIServer | WaitressServer:
    """The server for the review app: on a loopback address werkzeug's threaded server (one
    reviewer on this machine), beyond loopback waitress, a production WSGI server (the
    werkzeug docs say theirs is for development). Both send ``Server:`` :data:`SERVER_NAME`
    and nothing about versions."""
    if not is_loopback(host):
        return WaitressServer(host, port, app)
    return make_server(host, port, app, threaded=True, request_handler=_QuietRequestHandler)


# --------------------------------------------------------------------------------------------
# text segments for highlighting (rendered by the templates, escaped there)


@dataclass(frozen=True)
class Segment:
    """A piece of text and how to show it: ``""`` plain, ``sentence`` or ``span`` (differs)."""

    text: str
    kind: str = ""


def mark_ranges(text: str, base: int, ranges: list[tuple[int, int, str]]) -> list[Segment]:
    """Cut ``text`` (which starts at article offset ``base``) into segments at the ranges.

    Ranges are article offsets ``(start, end, kind)``; later ranges win where they overlap,
    ranges outside the text are clipped, and an empty text gives no segments.

    >>> [(s.text, s.kind) for s in mark_ranges("on Tuesday in KL", 10, [(13, 20, "span")])]
    [('on ', ''), ('Tuesday', 'span'), (' in KL', '')]
    """
    kinds = [""] * len(text)
    for start, end, kind in ranges:
        for i in range(max(start - base, 0), min(end - base, len(text))):
            kinds[i] = kind
    segments: list[Segment] = []
    for char, kind in zip(text, kinds, strict=True):
        if segments and segments[-1].kind == kind:
            segments[-1] = Segment(segments[-1].text + char, kind)
        else:
            segments.append(Segment(char, kind))
    return segments


def _span_ranges(side: Side) -> list[tuple[int, int, str]]:
    ranges = []
    for span in side.spans:
        try:
            ranges.append((int(span["start"]), int(span["end"]), "span"))
        except (KeyError, TypeError, ValueError):
            continue
    return ranges


def sentence_segments(side: Side) -> list[Segment]:
    """The side's sentence with its differing spans marked."""
    return mark_ranges(side.text, side.start, _span_ranges(side))


def context_paragraphs(
    text: str, side: Side, around: int = CONTEXT_PARAGRAPHS
) -> list[list[Segment]]:
    """The paragraph holding the side's sentence and ``around`` paragraphs either side, with the
    sentence and its spans marked. Empty when the sentence is not where the side says."""
    if text[side.start : side.end] != side.text:
        return []
    bounds = []
    position = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        bounds.append((position, match.start()))
        position = match.end()
    bounds.append((position, len(text)))
    holding = [i for i, (s, e) in enumerate(bounds) if s <= side.start < e or s < side.end <= e]
    if not holding:
        return []
    first = max(min(holding) - around, 0)
    last = min(max(holding) + around, len(bounds) - 1)
    ranges = [(side.start, side.end, "sentence"), *_span_ranges(side)]
    return [
        mark_ranges(text[s:e], s, ranges) for s, e in bounds[first : last + 1] if text[s:e].strip()
    ]


# --------------------------------------------------------------------------------------------
# the app: a blueprint of pages and the guards around them, and a factory that serves it

#: the review pages. The guards (host / token / CSRF checks, security headers, error pages) are
#: registered app-wide, so that they cover every request, unknown URLs included.
review = Blueprint("review", __name__, template_folder="templates")

#: ``app.extensions`` key of the store's engine (the tests dispose of it through this).
ENGINE_KEY = "crossclaim_engine"
#: ``app.config`` key of the access token (None: loopback only, no token).
TOKEN_KEY = "CROSSCLAIM_TOKEN"


def create_app(db_url: str, token: str | None = None) -> Flask:
    """The review app over the store at ``db_url``; with ``token``, every request needs it.

    >>> client = create_app("sqlite://", token="s3cret").test_client()
    >>> client.get("/").status_code, client.get("/?token=s3cret").status_code
    (401, 302)
    """
    app = Flask(__name__)
    app.secret_key = secrets.token_bytes(32)
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_NAME="crossclaim_session",
        MAX_CONTENT_LENGTH=MAX_BODY_BYTES,
    )
    app.config[TOKEN_KEY] = token
    app.jinja_env.finalize = show_bidi_controls
    app.wsgi_app = BodyLimit(app.wsgi_app, MAX_BODY_BYTES)  # type: ignore[method-assign]
    app.extensions[ENGINE_KEY] = connect(db_url)
    app.register_blueprint(review)
    return app


def _engine() -> Engine:
    """The store's engine of the app serving this request."""
    engine: Engine = current_app.extensions[ENGINE_KEY]
    return engine


@review.before_app_request
def _guard() -> Response | None:
    g.nonce = secrets.token_urlsafe(16)
    token: str | None = current_app.config[TOKEN_KEY]
    if token is None:
        if not is_loopback(request.host):
            abort(403, "this server answers only to 127.0.0.1/localhost")
    else:
        supplied = (
            request.args.get("token")
            or request.headers.get(TOKEN_HEADER)
            or _bearer(request.headers.get("Authorization", ""))
            or request.cookies.get(TOKEN_COOKIE)
            or ""
        )
        if not hmac.compare_digest(supplied.encode(), token.encode()):
            abort(401, "a valid access token is required (?token=...)")
        if "token" in request.args and request.method == "GET":
            rest = {k: v for k, v in request.args.items() if k != "token"}
            target = request.path + (f"?{urlencode(rest)}" if rest else "")
            response = redirect(target)
            response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="Strict", path="/")
            return response
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    if request.method == "POST":
        sent = request.form.get("csrf_token", "")
        if not hmac.compare_digest(sent.encode(), session["csrf"].encode()):
            abort(400, "missing or wrong CSRF token: reload the page and try again")
    return None


@review.after_app_request
def _headers(response: Response) -> Response:
    nonce = getattr(g, "nonce", "")
    response.headers["Content-Security-Policy"] = (
        f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


def _page_url(endpoint: str, **values: Any) -> str:
    """``url_for`` for the templates, which name the pages without the blueprint
    (``url_for('queue')``): a bare name is one of :data:`review`'s pages."""
    if "." not in endpoint:
        endpoint = f"{review.name}.{endpoint}"
    return url_for(endpoint, **values)


@review.app_context_processor
def _globals() -> dict[str, Any]:
    return {
        "csrf_token": session.get("csrf", ""),
        "nonce": getattr(g, "nonce", ""),
        "review_labels": REVIEW_LABELS,
        "url_for": _page_url,
    }


@review.app_errorhandler(400)
@review.app_errorhandler(401)
@review.app_errorhandler(403)
@review.app_errorhandler(404)
@review.app_errorhandler(413)
def _error(error: Any) -> tuple[str, int]:
    code = getattr(error, "code", 500) or 500
    return render_template("review/error.html", code=code, message=error.description), code


def _search_arg() -> str:
    """The page's search (``?q=``, spaces around it dropped; "" for none); 400 over the limit."""
    q = request.args.get("q", "").strip()
    if len(q) > MAX_SEARCH_CHARS:
        abort(400, f"the search is over {MAX_SEARCH_CHARS} characters: shorten it")
    return q


def wrong_side_choices(finding: Finding) -> list[tuple[str, str]]:
    """The verdict form's answers to "whose account is wrong", as (value, label): each side by
    its outlet, both, neither, and "not sure" (``""``: not said, the default).

    >>> side = lambda outlet: Side(outlet, "x", "x.md", "", 0, 0)
    >>> f = Finding("contradiction", "temporal", "high", 0.9, "", side("Wire"), side("BI"))
    >>> [label for _, label in wrong_side_choices(f)]
    ['A (Wire)', 'B (BI)', 'both', 'neither', 'not sure']
    """
    labels = {"a": f"A ({finding.a.outlet})", "b": f"B ({finding.b.outlet})"}
    return [(value, labels.get(value, value)) for value in WRONG_SIDES] + [("", "not sure")]


def wrong_side_text(finding: Finding, wrong_side: str | None) -> str:
    """How the history and the saved message word a verdict's wrong side ("" when not said).

    >>> side = lambda outlet: Side(outlet, "x", "x.md", "", 0, 0)
    >>> f = Finding("contradiction", "temporal", "high", 0.9, "", side("Wire"), side("BI"))
    >>> wrong_side_text(f, "b"), wrong_side_text(f, "both"), wrong_side_text(f, None)
    ("BI's account", 'both accounts', '')
    """
    texts = {
        "a": f"{finding.a.outlet}'s account",
        "b": f"{finding.b.outlet}'s account",
        "both": "both accounts",
        "neither": "neither account",
    }
    return texts.get(wrong_side or "", "")


def _name_field(value: str, what: str) -> str:
    """A reviewer's name from a form or a query, stripped; 400 over :data:`MAX_REVIEWER_CHARS`."""
    name = value.strip()
    if len(name) > MAX_REVIEWER_CHARS:
        abort(400, f"the {what} is over {MAX_REVIEWER_CHARS} characters")
    return name


@review.get("/")
def queue() -> str:
    engine = _engine()
    event_id = request.args.get("event") or None
    show = request.args.get("show", "open")
    q = _search_arg()
    assigned = _name_field(request.args.get("assigned", ""), "assignee's name") or None
    stored = list_findings(
        engine,
        event_id=event_id,
        only_open=show == "open",
        include_resolved=show == "all",
        search=q,
        assigned_to=assigned,
    )
    titles = {e.id: e.title for e in list_events(engine)}
    return render_template(
        "review/queue.html",
        findings=stored,
        titles=titles,
        event_id=event_id,
        show=show,
        q=q,
        assigned=assigned,
        reviewer=session.get("reviewer", ""),
    )


@review.get("/events")
def events() -> str:
    q = _search_arg()
    return render_template("review/events.html", events=list_events(_engine(), search=q), q=q)


@review.get("/events/<event_id>")
def event_page(event_id: str) -> str:
    engine = _engine()
    members = event_members(engine, event_id)
    if not members:
        abort(404, f"no event {event_id!r}")
    q = _search_arg()
    stored = list_findings(engine, event_id=event_id, include_resolved=True, search=q)
    title = next((e.title for e in list_events(engine) if e.id == event_id), event_id)
    return render_template(
        "review/event.html",
        event_id=event_id,
        title=title,
        members=members,
        findings=stored,
        q=q,
    )


@review.get("/articles/<cid>")
def article_page(cid: str) -> str:
    engine = _engine()
    stored = get_article(engine, cid)
    if stored is None:
        abort(404, f"no article {cid!r}")
    return render_template(
        "review/article.html",
        stored=stored,
        paragraphs=[p for p in _PARAGRAPH_BREAK.split(stored.article.text) if p.strip()],
        versions=article_versions(engine, stored.identity),
    )


@review.get("/findings/<fingerprint>")
def finding_page(fingerprint: str) -> str:
    engine = _engine()
    stored = get_finding(engine, fingerprint)
    if stored is None:
        abort(404, f"no finding {fingerprint!r}")
    reviewer = session.get("reviewer", "")
    undo = request.args.get("undo", "")
    return render_template(
        "review/finding.html",
        stored=stored,
        f=stored.finding,
        sides=[
            _side_view(stored.finding.a, _article(engine, stored.a_article)),
            _side_view(stored.finding.b, _article(engine, stored.b_article)),
        ],
        # verdicts given on the findings grouped into this one count for it (shown with theirs)
        history=finding_history(engine, fingerprint, with_grouped=True),
        places=stored.finding.places(),
        neighbours=_neighbours(engine, stored),
        reviewer=reviewer,
        saved=request.args.get("saved", ""),
        verdicts=REVIEW_VERDICTS,
        wrong_sides=wrong_side_choices(stored.finding),
        # the form starts at the standing verdict's answer (not sure when there is none)
        wrong_side=(stored.review.wrong_side or "") if stored.review else "",
        wrong_side_text=lambda value: wrong_side_text(stored.finding, value),
        # the reviewer of this session gave the verdict that stands: they may take it back
        # (not a verdict given on a finding grouped into this one: it is undone on that finding)
        can_undo=bool(
            reviewer
            and stored.review_is_own
            and stored.review
            and stored.review.reviewer == reviewer
        ),
        undo=undo if undo in UNDO_OUTCOMES else "",
        undone=next((v for v in REVIEW_VERDICTS if v == request.args.get("undone")), ""),
        assigned_saved=request.args.get("assigned", "") == "1",
    )


@review.post("/findings/<fingerprint>/review", endpoint="review")
def save_review(fingerprint: str) -> Response:
    verdict = request.form.get("verdict", "")
    reviewer = request.form.get("reviewer", "").strip()
    note = request.form.get("note", "")
    if verdict not in REVIEW_VERDICTS:
        abort(400, f"unknown verdict {verdict!r}")
    try:
        wrong_side = check_wrong_side(verdict, request.form.get("wrong_side", ""))
    except StoreError as exc:
        abort(400, f"whose account is wrong: {exc}")
    if not reviewer:
        abort(400, "the reviewer's name is required")
    if len(reviewer) > MAX_REVIEWER_CHARS:
        abort(400, f"the reviewer's name is over {MAX_REVIEWER_CHARS} characters")
    if len(note) > MAX_NOTE_CHARS:
        abort(400, f"the note is over {MAX_NOTE_CHARS:,} characters: shorten it and resend")
    try:
        add_review(
            _engine(), fingerprint, verdict, note=note, reviewer=reviewer, wrong_side=wrong_side
        )
    except StoreError as exc:
        abort(404, str(exc))
    session["reviewer"] = reviewer
    return redirect(url_for(".finding_page", fingerprint=fingerprint, saved=verdict), 303)


@review.post("/findings/<fingerprint>/undo", endpoint="undo")
def undo_review(fingerprint: str) -> Response:
    """Take back the reviewer's latest verdict on this finding (the form's ``reviewer``, else
    this session's); the page then says what happened: undone, nothing to undo, or a later
    verdict by someone else stands (nothing changed)."""
    engine = _engine()
    reviewer = _name_field(
        request.form.get("reviewer", "") or session.get("reviewer", ""), "reviewer's name"
    )
    if get_finding(engine, fingerprint) is None:
        abort(404, f"no finding {fingerprint!r}")
    values: dict[str, Any] = {}
    try:
        result = undo_last_review(engine, reviewer, fingerprint)
    except StoreError:
        values["undo"] = "conflict"
    else:
        values["undo"] = "done" if result is not None else "nothing"
        if result is not None:
            values["undone"] = result.undone.verdict
    if reviewer:
        session["reviewer"] = reviewer
    return redirect(url_for(".finding_page", fingerprint=fingerprint, **values), 303)


@review.post("/findings/<fingerprint>/assign", endpoint="assign")
def assign(fingerprint: str) -> Response:
    """Assign the finding to the reviewer named in the form (blank: unassign it); the "Assign to
    me" button sends its own name (``assign_to_me``), which wins over the text field."""
    assignee = _name_field(
        request.form.get("assign_to_me") or request.form.get("assignee", ""), "assignee's name"
    )
    try:
        assign_finding(_engine(), fingerprint, assignee)
    except StoreError as exc:
        abort(404, str(exc))
    return redirect(url_for(".finding_page", fingerprint=fingerprint, assigned="1"), 303)


def _bearer(header: str) -> str:
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def _article(engine: Engine, cid: str | None) -> StoredArticle | None:
    return get_article(engine, cid) if cid else None


def _side_view(side: Side, stored: StoredArticle | None) -> dict[str, Any]:
    text = stored.article.text if stored is not None else ""
    return {
        "side": side,
        "stored": stored,
        "sentence": sentence_segments(side),
        "context": context_paragraphs(text, side) if text else [],
    }


def _neighbours(engine: Engine, current: StoredFinding) -> dict[str, str | None]:
    """Previous and next finding for j/k: the next open one in queue order, else any."""
    ordered = list_findings(engine, include_resolved=current.status != "active")
    prints = [s.fingerprint for s in ordered]
    if current.fingerprint not in prints:
        return {"prev": None, "next": None}
    i = prints.index(current.fingerprint)
    after, before = ordered[i + 1 :], list(reversed(ordered[:i]))

    def pick(items: list[StoredFinding]) -> str | None:
        for item in items:
            if item.is_open:
                return item.fingerprint
        return items[0].fingerprint if items else None

    return {"prev": pick(before), "next": pick(after)}
