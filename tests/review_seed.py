"""Hand-made articles and findings for the review-workspace tests (store, app, exports)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from checker.findings import Finding, Place, Side, fingerprint
from checker.report import ClusterInfo, Report
from claims.records import Article

WIRE_TEXT = (
    "Blinken halts Asia trip after Covid case\n\n"
    "KUALA LUMPUR - Secretary of State Antony Blinken cut his Southeast Asia visit short.\n\n"
    "Blinken and senior officials had tested negative on Wednesday in Kuala Lumpur, Price said.\n\n"
    "The individual who tested positive was self-isolating."
)
INSIDER_TEXT = (
    "Blinken ends Southeast Asia trip early\n\n"
    "Secretary of State Antony Blinken abruptly ended a trip to Southeast Asia.\n\n"
    "Blinken and his senior staff tested negative on Tuesday, the State Department said.\n\n"
    "Reader comment: <script>alert(1)</script> & more."
)
PUBLISHED = dt.datetime(2021, 12, 15, 8, 0, tzinfo=dt.UTC)


def wire_article(text: str = WIRE_TEXT) -> Article:
    return Article(
        id="wire",
        outlet="Wire",
        text=text,
        source="feed/wire.md",
        title="Blinken halts Asia trip after Covid case",
        url="https://wire.example/blinken",
        published=PUBLISHED,
    )


def insider_article(text: str = INSIDER_TEXT) -> Article:
    return Article(
        id="insider",
        outlet="Business Insider",
        text=text,
        source="feed/insider.md",
        title="Blinken ends Southeast Asia trip early",
        url="https://insider.example/blinken",
        published=PUBLISHED + dt.timedelta(hours=3),
    )


def side_for(article: Article, sentence: str, value_text: str, value: str) -> Side:
    start = article.text.index(sentence)
    span_start = article.text.index(value_text, start)
    return Side(
        outlet=article.outlet,
        article=article.id,
        source=article.source,
        text=sentence,
        start=start,
        end=start + len(sentence),
        spans=[{"start": span_start, "end": span_start + len(value_text), "text": value_text}],
        value=value,
        claim_id=f"{article.id}:{start}",
        line=5,
    )


def weekday_finding(wire: Article, insider: Article) -> Finding:
    a = side_for(
        wire,
        "Blinken and senior officials had tested negative on Wednesday in Kuala Lumpur, "
        "Price said.",
        "Wednesday",
        "2021-12-15",
    )
    b = side_for(
        insider,
        "Blinken and his senior staff tested negative on Tuesday, the State Department said.",
        "Tuesday",
        "2021-12-14",
    )
    return Finding(
        verdict="contradiction",
        check="temporal",
        severity="high",
        confidence=0.93,
        explanation="Wire says Wednesday (2021-12-15), Business Insider says Tuesday (2021-12-14).",
        a=a,
        b=b,
        cluster="c1",
        nli={"entailment": 0.02, "neutral": 0.08, "contradiction": 0.9},
        fingerprint=fingerprint("temporal", a, b),
    )


def script_finding(wire: Article, insider: Article) -> Finding:
    """A low-severity finding whose insider sentence carries a script tag."""
    a = side_for(
        wire,
        "The individual who tested positive was self-isolating.",
        "self-isolating",
        "isolating",
    )
    b = side_for(insider, "Reader comment: <script>alert(1)</script> & more.", "<script>", "script")
    return Finding(
        verdict="divergence",
        check="attribution",
        severity="low",
        confidence=0.4,
        explanation="Attribution differs <b>not bold</b>.",
        a=a,
        b=b,
        fingerprint=fingerprint("attribution", a, b),
    )


def report_for(articles: list[Article]) -> Report:
    """What a checker run on the two seed articles reports (used as an injected checker)."""
    by_outlet = {a.outlet: a for a in articles}
    if "Wire" not in by_outlet or "Business Insider" not in by_outlet:
        return Report(documents=[], findings=[], stats={})
    wire, insider = by_outlet["Wire"], by_outlet["Business Insider"]
    findings = []
    if "Wednesday" in wire.text and "Tuesday" in insider.text:
        findings.append(weekday_finding(wire, insider))
    if "<script>" in insider.text:
        findings.append(script_finding(wire, insider))
    clusters = [
        ClusterInfo(
            id="c1",
            claims=[
                {
                    "id": f.a.claim_id,
                    "outlet": f.a.outlet,
                    "text": f.a.text,
                    "start": f.a.start,
                    "end": f.a.end,
                }
                for f in findings
            ]
            + [
                {
                    "id": f.b.claim_id,
                    "outlet": f.b.outlet,
                    "text": f.b.text,
                    "start": f.b.start,
                    "end": f.b.end,
                }
                for f in findings
            ],
        )
    ]
    return Report(documents=[], findings=findings, stats={}, clusters=clusters)


def seed_store(db_url: str) -> dict[str, str]:
    """Store the two seed articles as one event with its two findings; returns useful ids."""
    from checker.workspace.store import (
        connect,
        content_id,
        members_signature,
        save_articles,
        save_event_findings,
        set_events,
    )

    wire, insider = wire_article(), insider_article()
    engine = connect(db_url)
    save_articles(engine, [wire, insider])
    ids = {wire.id: content_id(wire), insider.id: content_id(insider)}
    set_events(engine, {"ev-test": list(ids.values())}, {"ev-test": wire.title})
    save_event_findings(
        engine, "ev-test", report_for([wire, insider]), ids, members_signature(ids.values())
    )
    engine.dispose()
    return {
        "event": "ev-test",
        "weekday": weekday_finding(wire, insider).fingerprint,
        "script": script_finding(wire, insider).fingerprint,
        "wire": ids["wire"],
        "insider": ids["insider"],
    }


def bullet_finding(wire: Article, insider: Article) -> Finding:
    """:func:`weekday_finding` with the wire's summary bullet (its lead) on side ``a``: a
    near-identical finding that the checker groups with the weekday finding's body sentence."""
    body = weekday_finding(wire, insider)
    a = replace(
        side_for(
            wire,
            "KUALA LUMPUR - Secretary of State Antony Blinken cut his Southeast Asia visit short.",
            "short",
            "2021-12-15",
        ),
        kind="bullet",
        line=3,
    )
    return replace(body, a=a, fingerprint=fingerprint("temporal", a, body.b))


def grouped_report(articles: list[Article]) -> Report:
    """:func:`report_for` as a checker that groups near-identical findings reports it: the
    bullet finding first, with the weekday finding's body sentence (and fingerprint) in its
    ``also_at``; the weekday finding itself is gone (grouped)."""
    report = report_for(articles)
    by_outlet = {a.outlet: a for a in articles}
    wire, insider = by_outlet["Wire"], by_outlet["Business Insider"]
    body = weekday_finding(wire, insider)
    place = Place(
        side="a",
        outlet=body.a.outlet,
        path=body.a.source,
        line=body.a.line,
        kind=body.a.kind,
        text=body.a.text,
        fingerprint=body.fingerprint,
        article=body.a.article,
        start=body.a.start,
        end=body.a.end,
    )
    grouped = replace(bullet_finding(wire, insider), also_at=[place])
    others = [f for f in report.findings if f.fingerprint != body.fingerprint]
    return replace(report, findings=[grouped, *others])


def ungrouped_report(articles: list[Article]) -> Report:
    """:func:`report_for` plus the bullet finding, as a checker that does not group reports it."""
    report = report_for(articles)
    by_outlet = {a.outlet: a for a in articles}
    bullet = bullet_finding(by_outlet["Wire"], by_outlet["Business Insider"])
    return replace(report, findings=[bullet, *report.findings])
