"""Exports of the review store: the gate's baseline, ClaimReview JSON-LD, and CSV tables.

* :func:`export_baseline` — reviewers' decisions in the gate's baseline format
  (``crossclaim.baseline/v1``): *confirmed* -> ``accepted`` (a known, real discrepancy),
  *dismissed as a false alarm* -> ``dismissed``; *needs follow-up* is not exported (undecided).
* :func:`export_claimreview` — confirmed findings as schema.org ``ClaimReview`` items
  (JSON-LD), one per side: each outlet's statement, reviewed as contradicted by (or diverging
  from) the other outlet's report.
* :func:`export_csv` — ``articles.csv``, ``claims.csv``, ``findings.csv``, ``reviews.csv``.

Every file is written atomically (temporary file, then ``os.replace``). CSV cells that a
spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or CR) get a
leading apostrophe: article text is untrusted.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from checker.atomic import write_text_atomic
from checker.findings import Side
from checker.gate.baseline import Baseline, entry_for, write_baseline
from checker.workspace.store import (
    StoredFinding,
    connect,
    decided_findings,
    get_article,
    table_rows,
)

#: review verdict -> baseline status.
BASELINE_STATUS = {"confirmed": "accepted", "dismissed": "dismissed"}
#: how a confirmed finding's verdict reads as a ClaimReview rating.
RATING_NAMES = {
    "contradiction": "Contradicted by another outlet's report",
    "divergence": "Differs from another outlet's report",
}
CSV_TABLES = ("articles", "claims", "findings", "reviews")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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
    entries = []
    for stored in sorted(decided, key=lambda s: s.fingerprint):
        review = stored.review
        assert review is not None
        entries.append(
            entry_for(
                stored.finding,
                who=review.reviewer,
                when=review.at,
                why=review.note,
                status=BASELINE_STATUS[review.verdict],
            )
        )
    write_baseline(Path(path), Baseline(entries))
    return len(entries)


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


def claim_reviews(stored: StoredFinding, engine: Any) -> list[dict[str, Any]]:
    """The two ClaimReview items for one confirmed finding (one per outlet's statement)."""
    review = stored.review
    assert review is not None
    finding = stored.finding
    items = []
    for side, other, cid in (
        (finding.a, finding.b, stored.a_article),
        (finding.b, finding.a, stored.b_article),
    ):
        appearance = _appearance(side, engine, cid)
        item: dict[str, Any] = {
            "@type": "ClaimReview",
            "identifier": f"{finding.fingerprint}-{'a' if side is finding.a else 'b'}",
            "datePublished": review.at,
            "claimReviewed": side.text,
            "itemReviewed": {
                "@type": "Claim",
                "author": {"@type": "Organization", "name": side.outlet},
                "appearance": [appearance],
            },
            "reviewRating": {
                "@type": "Rating",
                "alternateName": RATING_NAMES.get(finding.verdict, finding.verdict),
                "ratingExplanation": (
                    f"{finding.explanation} {other.outlet} reports: \u201c{other.text}\u201d"
                ).strip(),
            },
            "author": {"@type": "Person", "name": review.reviewer or "unknown"},
        }
        if review.note:
            item["reviewBody"] = review.note
        if "datePublished" in appearance:
            item["itemReviewed"]["datePublished"] = appearance["datePublished"]
        items.append(item)
    return items


def export_claimreview(db_url: str, path: str | Path) -> int:
    """Write confirmed findings as schema.org ClaimReview JSON-LD; returns the item count.

    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp()) / "claimreview.jsonld"
    >>> export_claimreview("sqlite://", out)
    0
    >>> json.loads(out.read_text())["@context"]
    'https://schema.org'
    """
    engine = connect(db_url)
    try:
        confirmed = [
            s
            for s in decided_findings(engine)
            if s.review is not None and s.review.verdict == "confirmed"
        ]
        items = []
        for stored in sorted(confirmed, key=lambda s: s.fingerprint):
            items.extend(claim_reviews(stored, engine))
    finally:
        engine.dispose()
    document = {"@context": "https://schema.org", "@graph": items}
    write_text_atomic(Path(path), json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    return len(items)


def spreadsheet_safe(value: Any) -> Any:
    """A cell value a spreadsheet will show as text, never run as a formula.

    >>> spreadsheet_safe("=HYPERLINK(1)"), spreadsheet_safe("Tuesday"), spreadsheet_safe(3)
    ("'=HYPERLINK(1)", 'Tuesday', 3)
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


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
