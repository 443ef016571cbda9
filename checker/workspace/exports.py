"""Exports of the review store: the gate's baseline, ClaimReview JSON-LD, and CSV tables.

* :func:`export_baseline` — reviewers' decisions in the gate's baseline format
  (``crossclaim.baseline/v1``): *confirmed* -> ``accepted`` (a known, real discrepancy),
  *dismissed as a false alarm* -> ``dismissed``; *needs follow-up* is not exported (undecided).
  A finding that grouped near-identical ones (``Finding.also_at``) gives one entry for each of
  its fingerprints, so a gate run before the grouping still matches; a finding the store marked
  ``grouped`` adds its own decision only for a fingerprint its group's entries leave out.
* :func:`export_claimreview` — confirmed findings as schema.org ``ClaimReview`` items
  (JSON-LD), one per side: each outlet's statement, reviewed as contradicted by (or diverging
  from) the other outlet's report. Findings grouped into another (status ``grouped``) are left
  out: their group's finding stands for them.
  With ``publisher`` the publishing organisation is each item's ``author``; with a
  ``url_template`` (``https://factcheck.example/{event}/{fingerprint}``) each item has the
  ``url`` of its fact-check page. ``reviewRating`` rates each statement on a 1-5 scale
  (:data:`RATING_SCALE`); when the standing verdict records which outlet's account is wrong
  (``reviews.wrong_side``, :func:`wrong_sides`), that statement is rated false (inaccurate for
  a divergence) and the other accurate; ``neither`` or not said leaves both at 3. An article
  without a ``url`` is one warning on the log (search engines need the appearance's address).
* :func:`export_verdicts` — reviewers' verdicts as one flat table (CSV or Parquet): each
  reviewed finding's columns (as in :mod:`checker.tables`) and its standing verdict, with whose
  account it judged wrong (``wrong_side``: ``a``, ``b``, ``both``, ``neither``, "" not said;
  ``wrong_outlet``: the outlets so judged).
* :func:`export_csv` — ``articles.csv``, ``claims.csv``, ``findings.csv``, ``reviews.csv``.

Every file is written atomically (temporary file, then ``os.replace``). CSV cells that a
spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or CR) get a
leading apostrophe: article text is untrusted.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import string
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from checker.atomic import write_text_atomic
from checker.findings import Side
from checker.gate.baseline import Baseline, BaselineEntry, entry_for, write_baseline
from checker.tables import FINDING_COLUMNS, finding_row, frame_of, spreadsheet_safe, write_table
from checker.workspace.store import (
    GROUPED,
    StoredFinding,
    connect,
    decided_findings,
    get_article,
    list_findings,
    table_rows,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "export_baseline",
    "export_claimreview",
    "export_csv",
    "export_verdicts",
    "spreadsheet_safe",
    "verdicts_frame",
]

log = logging.getLogger(__name__)

#: review verdict -> baseline status.
BASELINE_STATUS = {"confirmed": "accepted", "dismissed": "dismissed"}
#: how a confirmed finding's verdict reads as a ClaimReview rating.
RATING_NAMES = {
    "contradiction": "Contradicted by another outlet's report",
    "divergence": "Differs from another outlet's report",
}
#: the 1-5 scale of a ClaimReview's ``reviewRating`` (5: the statement holds).
RATING_SCALE = {"bestRating": 5, "worstRating": 1}
#: (rating value, alternateName) of a statement the reviewers judged wrong, by finding verdict.
WRONG_RATINGS = {"contradiction": (1, "False"), "divergence": (2, "Inaccurate")}
#: the rating of a statement whose account the reviewers judged right (the other one is wrong).
RIGHT_RATING = (5, "Accurate")
#: the rating of a statement when the reviewers did not record which account is wrong: one of
#: the two is (a contradiction) or they differ (a divergence), not which.
UNDECIDED_RATING = 3
#: the fields a ``--url-template`` may use.
URL_FIELDS = ("event", "fingerprint", "side", "identifier", "check")
#: the verdicts table's own columns, after the finding's (:data:`checker.tables.FINDING_COLUMNS`).
VERDICT_COLUMNS = (
    "event",
    "status",
    "review_verdict",
    "review_label",
    "wrong_side",
    "wrong_outlet",
    "reviewer",
    "note",
    "reviewed_at",
    "first_seen",
    "last_seen",
)
CSV_TABLES = ("articles", "claims", "findings", "reviews")


def export_baseline(db_url: str, path: str | Path) -> int:
    """Write reviewers' decisions as a gate baseline at ``path``; returns the entry count.

    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp()) / "baseline.json"
    >>> export_baseline("sqlite://", out)
    0
    >>> json.loads(out.read_text())["schema"]
    'crossclaim.baseline/v1'
    """
    engine = connect(db_url)
    try:
        decided = decided_findings(engine)
    finally:
        engine.dispose()
    entries: dict[str, BaselineEntry] = {}
    # the groups' entries first: a finding marked grouped only fills in what they leave out
    for stored in sorted(decided, key=lambda s: (s.status == GROUPED, s.fingerprint)):
        for entry in group_entries(stored):
            entries.setdefault(entry.fingerprint, entry)
    ordered = [entries[fp] for fp in sorted(entries)]
    write_baseline(Path(path), Baseline(ordered))
    return len(ordered)


def group_entries(stored: StoredFinding) -> list[BaselineEntry]:
    """The baseline entries of one decided finding: its own, then one for each finding grouped
    into it (``Finding.also_at``), with that finding's fingerprint and the sentence of its
    place on the side where it differs."""
    review = stored.review
    assert review is not None
    finding = stored.finding
    entry = entry_for(
        finding,
        who=review.reviewer,
        when=review.at,
        why=review.note,
        status=BASELINE_STATUS[review.verdict],
    )
    out = [entry]
    done = {finding.fingerprint}
    for place in finding.also_at:
        if not place.fingerprint or place.fingerprint in done:
            continue
        done.add(place.fingerprint)
        if place.side == "b":
            out.append(
                replace(
                    entry, fingerprint=place.fingerprint, b_outlet=place.outlet, b_text=place.text
                )
            )
        else:
            out.append(
                replace(
                    entry, fingerprint=place.fingerprint, a_outlet=place.outlet, a_text=place.text
                )
            )
    return out


def check_url_template(template: str) -> None:
    """Raise ValueError (one line) when ``template`` uses a field other than :data:`URL_FIELDS`
    or is not an http(s) address.

    >>> check_url_template("https://factcheck.example/{event}/{fingerprint}")
    >>> check_url_template("https://factcheck.example/{outlet}")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: --url-template: unknown field {outlet} (use event, fingerprint, ...)
    """
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]
    except ValueError as exc:
        raise ValueError(f"--url-template: {exc}") from exc
    for name in names:
        if name not in URL_FIELDS:
            raise ValueError(
                f"--url-template: unknown field {{{name}}} (use {', '.join(URL_FIELDS)})"
            )
    if not template.startswith(("https://", "http://")):
        raise ValueError("--url-template must be an http(s) address")


def review_url(template: str, **fields: str) -> str:
    """The fact-check page's address: ``template`` with its fields filled in, each escaped.

    >>> review_url("https://fc.example/{event}/{fingerprint}", event="ev 1", fingerprint="ab12")
    'https://fc.example/ev%201/ab12'
    """
    return template.format(**{k: quote(str(v), safe="") for k, v in fields.items()})


def wrong_sides(stored: StoredFinding) -> set[str]:
    """Which sides' accounts (``"a"``, ``"b"``) the reviewers judged wrong; empty when they
    judged neither wrong or did not say. Read from the standing review's ``wrong_side``
    (``reviews.wrong_side``: ``a``, ``b``, ``both``, ``neither`` or None; an outlet's name is
    taken too, for reviews made outside the store)."""
    review = stored.review
    value = (review.wrong_side or "").strip() if review is not None else ""
    if not value or value.lower() == "neither":
        return set()
    finding = stored.finding
    if value.lower() in ("a", "b"):
        return {value.lower()}
    if value.lower() == "both":
        return {"a", "b"}
    named = {
        name
        for name, side in (("a", finding.a), ("b", finding.b))
        if side.outlet.casefold() == value.casefold()
    }
    return named


def _appearance(side: Side, engine: Any, cid: str | None) -> dict[str, Any]:
    stored = get_article(engine, cid) if cid else None
    work: dict[str, Any] = {
        "@type": "NewsArticle",
        "publisher": {"@type": "Organization", "name": side.outlet},
    }
    if stored is not None:
        article = stored.article
        if article.url:
            work["url"] = article.url
        if article.title:
            work["headline"] = article.title
        if article.published:
            work["datePublished"] = article.published.isoformat()
    return work


def review_rating(
    verdict: str, outlet: str, other: str, wrong: set[str], side: str, explanation: str
) -> dict[str, Any]:
    """The ``reviewRating`` of one side's statement.

    >>> review_rating("contradiction", "BI", "Wire", {"a"}, "a", "")["alternateName"]
    'False'
    >>> rating = review_rating("contradiction", "Wire", "BI", {"a"}, "b", "")
    >>> rating["ratingValue"], rating["ratingExplanation"]
    (5, "Reviewers judged BI's account wrong. BI's report differs.")
    """
    if not wrong:
        value, name = UNDECIDED_RATING, RATING_NAMES.get(verdict, verdict)
        judged = ""
    else:
        value, name = WRONG_RATINGS.get(verdict, (1, "False")) if side in wrong else RIGHT_RATING
        owners = [f"{outlet if s == side else other}'s" for s in sorted(wrong)]
        accounts = "accounts" if len(owners) > 1 else "account"
        judged = f"Reviewers judged {' and '.join(owners)} {accounts} wrong."
    parts = [judged, explanation or f"{other}'s report differs."]
    return {
        "@type": "Rating",
        "ratingValue": value,
        **RATING_SCALE,
        "alternateName": name,
        "ratingExplanation": " ".join(p for p in parts if p).strip(),
    }


def claim_reviews(
    stored: StoredFinding,
    engine: Any,
    *,
    url_template: str | None = None,
    publisher: str | None = None,
    warned: set[str] | None = None,
) -> list[dict[str, Any]]:
    """The two ClaimReview items for one confirmed finding (one per outlet's statement).

    An article without a ``url`` is logged (once per article when ``warned`` is shared)."""
    review = stored.review
    assert review is not None
    finding = stored.finding
    warned = set() if warned is None else warned
    wrong = wrong_sides(stored)
    items = []
    for name, side, other, cid in (
        ("a", finding.a, finding.b, stored.a_article),
        ("b", finding.b, finding.a, stored.b_article),
    ):
        appearance = _appearance(side, engine, cid)
        key = cid or f"{side.outlet}\x1f{side.source}"
        if "url" not in appearance and key not in warned:
            warned.add(key)
            log.warning(
                "ClaimReview %s: %s (%s) has no url: its appearance has no address",
                finding.fingerprint,
                side.source or side.article,
                side.outlet,
            )
        identifier = f"{finding.fingerprint}-{name}"
        explanation = (
            f"{finding.explanation} {other.outlet} reports: \u201c{other.text}\u201d"
        ).strip()
        item: dict[str, Any] = {"@type": "ClaimReview"}
        if url_template:
            item["url"] = review_url(
                url_template,
                event=stored.event_id or "",
                fingerprint=finding.fingerprint,
                side=name,
                identifier=identifier,
                check=finding.check,
            )
        item.update(
            {
                "identifier": identifier,
                "datePublished": review.at,
                "claimReviewed": side.text,
                "itemReviewed": {
                    "@type": "Claim",
                    "author": {"@type": "Organization", "name": side.outlet},
                    "appearance": [appearance],
                },
                "reviewRating": review_rating(
                    finding.verdict, side.outlet, other.outlet, wrong, name, explanation
                ),
            }
        )
        if publisher:
            item["author"] = {"@type": "Organization", "name": publisher}
            if review.reviewer:
                item["contributor"] = {"@type": "Person", "name": review.reviewer}
        else:
            item["author"] = {"@type": "Person", "name": review.reviewer or "unknown"}
        if review.note:
            item["reviewBody"] = review.note
        if "datePublished" in appearance:
            item["itemReviewed"]["datePublished"] = appearance["datePublished"]
        items.append(item)
    return items


def export_claimreview(
    db_url: str,
    path: str | Path,
    *,
    url_template: str | None = None,
    publisher: str | None = None,
) -> int:
    """Write confirmed findings as schema.org ClaimReview JSON-LD; returns the item count.

    ``url_template`` gives each item's ``url`` (fields: :data:`URL_FIELDS`); ``publisher``
    names the organisation publishing the reviews (each item's ``author``; without it the
    reviewer is).

    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp()) / "claimreview.jsonld"
    >>> export_claimreview("sqlite://", out, url_template="https://fc.example/{fingerprint}")
    0
    >>> json.loads(out.read_text())["@context"]
    'https://schema.org'
    """
    if url_template:
        check_url_template(url_template)
    engine = connect(db_url)
    warned: set[str] = set()
    try:
        confirmed = [
            s
            for s in decided_findings(engine)
            if s.review is not None and s.review.verdict == "confirmed" and s.status != GROUPED
        ]
        items = []
        for stored in sorted(confirmed, key=lambda s: s.fingerprint):
            items.extend(
                claim_reviews(
                    stored,
                    engine,
                    url_template=url_template,
                    publisher=publisher,
                    warned=warned,
                )
            )
    finally:
        engine.dispose()
    document = {"@context": "https://schema.org", "@graph": items}
    write_text_atomic(Path(path), json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    return len(items)


def verdicts_frame(db_url: str) -> pd.DataFrame:
    """Reviewers' standing verdicts as one flat table: a row per reviewed finding (follow-ups
    and resolved findings included), the finding's columns (:data:`FINDING_COLUMNS`) then
    :data:`VERDICT_COLUMNS`.

    >>> verdicts_frame("sqlite://").columns[-4:].tolist()
    ['note', 'reviewed_at', 'first_seen', 'last_seen']
    """
    engine = connect(db_url)
    rows = []
    try:
        for stored in list_findings(engine, include_resolved=True):
            review = stored.review
            if review is None:
                continue
            row = finding_row(stored.finding)
            for prefix, cid in (("a", stored.a_article), ("b", stored.b_article)):
                article = get_article(engine, cid) if cid else None
                if article is not None:
                    published = article.article.published
                    row[f"{prefix}_title"] = article.article.title
                    row[f"{prefix}_url"] = article.article.url
                    row[f"{prefix}_published"] = published.isoformat() if published else ""
            wrong = wrong_sides(stored)
            outlets = [
                stored.finding.a.outlet if s == "a" else stored.finding.b.outlet
                for s in sorted(wrong)
            ]
            row.update(
                {
                    "event": stored.event_id or "",
                    "status": stored.status,
                    "review_verdict": review.verdict,
                    "review_label": review.label,
                    "wrong_side": review.wrong_side or "",
                    "wrong_outlet": " and ".join(outlets),
                    "reviewer": review.reviewer,
                    "note": review.note,
                    "reviewed_at": review.at,
                    "first_seen": stored.first_seen,
                    "last_seen": stored.last_seen,
                }
            )
            rows.append(row)
    finally:
        engine.dispose()
    return frame_of(rows, [*FINDING_COLUMNS, *VERDICT_COLUMNS])


def export_verdicts(db_url: str, path: str | Path, fmt: str | None = None) -> int:
    """Write :func:`verdicts_frame` to ``path`` as CSV or Parquet (``fmt``, else by suffix),
    atomically; returns the row count. Raises :class:`checker.tables.TableError` for Parquet
    without pyarrow.

    >>> import tempfile
    >>> export_verdicts("sqlite://", Path(tempfile.mkdtemp()) / "verdicts.csv")
    0
    """
    return write_table(verdicts_frame(db_url), path, fmt)


def export_csv(db_url: str, directory: str | Path) -> dict[str, int]:
    """Write one CSV per table into ``directory``; returns rows written per file name.

    >>> import tempfile
    >>> export_csv("sqlite://", tempfile.mkdtemp())["findings.csv"]
    0
    """
    directory = Path(directory)
    engine = connect(db_url)
    counts = {}
    try:
        for table in CSV_TABLES:
            columns, rows = table_rows(engine, table)
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            for row in rows:
                writer.writerow({k: spreadsheet_safe(v) for k, v in row.items()})
            write_text_atomic(directory / f"{table}.csv", buffer.getvalue())
            counts[f"{table}.csv"] = len(rows)
    finally:
        engine.dispose()
    return counts
