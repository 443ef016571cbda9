"""Flat tables of a report for analysts: one row per finding or per claim, through pandas.

Every cell is a plain value (text, a number or missing), never JSON: a finding's differing words
are joined with `` … ``, its NLI probabilities are one column per label and direction, and
:func:`evidence_summary` puts the values that disagree in one readable line.

* :func:`findings_frame` — one row per finding (most serious first, as the report lists them);
* :func:`claims_frame` — one row per claim the run aligned across outlets (the report's
  clusters: the claims it compared; a claim no other outlet reports is not in the report);
* :func:`write_table` — a frame as CSV or Parquet, written atomically (temporary file, then
  ``os.replace``). CSV cells that a spreadsheet would run as a formula get a leading apostrophe
  (article text is untrusted); Parquet keeps every value as it is. Parquet needs ``pyarrow``.

>>> from checker.report import Report
>>> findings_frame(Report(documents=[], findings=[], stats={})).shape
(0, 42)
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from checker.atomic import output_mode, write_text_atomic
from checker.findings import Finding, Side

if TYPE_CHECKING:
    import pandas as pd

#: the table formats :func:`write_table` writes.
FORMATS = ("csv", "parquet")
#: the columns each side of a finding contributes (prefixed ``a_`` and ``b_``).
SIDE_COLUMNS = (
    "outlet",
    "title",
    "path",
    "line",
    "kind",
    "text",
    "words",
    "value",
    "published",
    "url",
)
NLI_LABELS = ("entailment", "neutral", "contradiction")
NLI_COLUMNS = tuple(f"nli_{label}_{way}" for label in NLI_LABELS for way in ("ab", "ba"))
#: a consensus finding's view of the other outlets (``Finding.consensus``; empty on all-pairs
#: findings): outlets joined with ``; ``, other values as ``value: outlet, outlet; ...``.
CONSENSUS_COLUMNS = (
    "consensus_slot",
    "consensus_value",
    "consensus_agree",
    "consensus_agree_with_this",
    "consensus_other_values",
    "consensus_silent",
)
#: the other places of near-identical findings grouped under a finding (``Finding.also_at``;
#: empty when none were): ``path:line (kind)`` joined with ``; ``, and the grouped findings'
#: fingerprints joined with ``; `` (a baseline or review of any of them stands for the row).
GROUPED_COLUMNS = ("also_at", "grouped_fingerprints")
FINDING_COLUMNS = (
    "fingerprint",
    "verdict",
    "check",
    "severity",
    "confidence",
    *(f"a_{c}" for c in SIDE_COLUMNS),
    *(f"b_{c}" for c in SIDE_COLUMNS),
    "explanation",
    "evidence",
    "cluster",
    *NLI_COLUMNS,
    *CONSENSUS_COLUMNS,
    *GROUPED_COLUMNS,
)
CLAIM_COLUMNS = (
    "outlet",
    "path",
    "line",
    "kind",
    "text",
    "title",
    "article",
    "cluster",
    "claim_id",
    "start",
    "end",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SPACE = re.compile(r"\s+")


class ReportLike(Protocol):
    """What the tables read of a :class:`checker.report.Report` (which calls this module, so
    this module does not import it)."""

    documents: list[Any]
    findings: list[Finding]
    clusters: list[Any]

    def sorted_findings(self) -> list[Finding]: ...


class TableError(Exception):
    """A table that cannot be written (a format without its library); the message is one line."""


def spreadsheet_safe(value: Any) -> Any:
    """A cell value a spreadsheet will show as text, never run as a formula.

    >>> spreadsheet_safe("=HYPERLINK(1)"), spreadsheet_safe("Tuesday"), spreadsheet_safe(3)
    ("'=HYPERLINK(1)", 'Tuesday', 3)
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def span_words(side: Side) -> str:
    """The side's differing words as written, several joined with `` … `` ('' when none).

    >>> side = Side("BI", "bi", "bi.md", "They left on Tuesday.", 10, 31,
    ...             spans=[{"start": 23, "end": 30, "text": "Tuesday"}])
    >>> span_words(side)
    'Tuesday'
    """
    texts = []
    for span in side.spans:
        text = span.get("text")
        if not text:
            text = side.text[int(span["start"]) - side.start : int(span["end"]) - side.start]
        text = _SPACE.sub(" ", str(text)).strip()
        if text:
            texts.append(text)
    return " \u2026 ".join(texts)


def _side_evidence(side: Side) -> str:
    words, value = span_words(side), side.value
    if words and value and _SPACE.sub(" ", words).lower() != value.lower():
        return f"{side.outlet}: {words} -> {value}"
    return f"{side.outlet}: {words or value or '(no value)'}"


def nli_columns(nli: Mapping[str, float] | None) -> dict[str, float | None]:
    """The NLI probabilities as ``nli_<label>_<ab|ba>`` columns (None without a model score).

    A score without a direction (``{"contradiction": 0.9}``) fills both directions.

    >>> nli_columns({"contradiction_ab": 0.9, "contradiction_ba": 0.8})["nli_contradiction_ba"]
    0.8
    >>> nli_columns(None)["nli_neutral_ab"] is None
    True
    """
    out: dict[str, float | None] = {}
    for label in NLI_LABELS:
        for way in ("ab", "ba"):
            value = None
            if nli:
                value = nli.get(f"{label}_{way}", nli.get(label))
            out[f"nli_{label}_{way}"] = float(value) if value is not None else None
    return out


def _outlets(value: Any) -> str:
    if isinstance(value, str):
        return value
    return "; ".join(str(v) for v in value or ())


def consensus_columns(consensus: Mapping[str, Any] | None) -> dict[str, str]:
    """A consensus finding's view of the other outlets as :data:`CONSENSUS_COLUMNS` (all ''
    for an all-pairs finding).

    >>> view = {"slot": "date", "consensus_value": "2021-12-15", "agree_with_consensus":
    ...         ["CBS", "Wire"], "other_values": {"2021-12-13": ["AP"]}, "silent": []}
    >>> cols = consensus_columns(view)
    >>> cols["consensus_agree"], cols["consensus_other_values"], cols["consensus_silent"]
    ('CBS; Wire', '2021-12-13: AP', '')
    """
    info = consensus or {}
    others = info.get("other_values") or {}
    return {
        "consensus_slot": str(info.get("slot", "")),
        "consensus_value": str(info.get("consensus_value", "")),
        "consensus_agree": _outlets(info.get("agree_with_consensus")),
        "consensus_agree_with_this": _outlets(info.get("agree_with_this")),
        "consensus_other_values": "; ".join(
            f"{value}: {', '.join(str(o) for o in outlets)}"
            for value, outlets in sorted(others.items())
        )
        if isinstance(others, Mapping)
        else str(others),
        "consensus_silent": _outlets(info.get("silent")),
    }


def evidence_summary(finding: Finding) -> str:
    """What disagrees, in one line: each side's words and the value read from them, and the NLI
    model's strongest contradiction score when it scored the pair.

    >>> a = Side("BI", "bi", "bi.md", "On Tuesday.", 0, 11,
    ...          spans=[{"start": 3, "end": 10, "text": "Tuesday"}], value="2021-12-14")
    >>> b = Side("Wire", "w", "w.md", "On Wednesday.", 0, 13,
    ...          spans=[{"start": 3, "end": 12, "text": "Wednesday"}], value="2021-12-15")
    >>> f = Finding("contradiction", "temporal", "high", 0.9, "", a, b,
    ...             nli={"contradiction_ab": 0.91, "contradiction_ba": 0.99})
    >>> evidence_summary(f)
    'BI: Tuesday -> 2021-12-14 | Wire: Wednesday -> 2021-12-15 | NLI contradiction 0.99'
    """
    parts = [_side_evidence(finding.a), _side_evidence(finding.b)]
    scores = [
        v for k, v in nli_columns(finding.nli).items() if "contradiction" in k and v is not None
    ]
    if scores:
        parts.append(f"NLI contradiction {max(scores):.2f}")
    return " | ".join(parts)


def finding_row(finding: Finding, documents: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """One finding as a flat row of :data:`FINDING_COLUMNS`; ``documents`` (article id ->
    :class:`~checker.report.DocumentInfo`) fills each side's title, publication time and url."""
    documents = documents or {}
    row: dict[str, Any] = {
        "fingerprint": finding.fingerprint,
        "verdict": finding.verdict,
        "check": finding.check,
        "severity": finding.severity,
        "confidence": float(finding.confidence),
    }
    for prefix, side in (("a", finding.a), ("b", finding.b)):
        doc = documents.get(side.article)
        row.update(
            {
                f"{prefix}_outlet": side.outlet,
                f"{prefix}_title": doc.title if doc is not None else "",
                f"{prefix}_path": side.source,
                f"{prefix}_line": side.line or None,
                f"{prefix}_kind": side.kind,
                f"{prefix}_text": side.text,
                f"{prefix}_words": span_words(side),
                f"{prefix}_value": side.value,
                f"{prefix}_published": (doc.published or "") if doc is not None else "",
                f"{prefix}_url": doc.url if doc is not None else "",
            }
        )
    row["explanation"] = finding.explanation
    row["evidence"] = evidence_summary(finding)
    row["cluster"] = finding.cluster
    row.update(nli_columns(finding.nli))
    row.update(consensus_columns(getattr(finding, "consensus", None)))
    row.update(grouped_columns(finding))
    return row


def grouped_columns(finding: Finding) -> dict[str, str]:
    """:data:`GROUPED_COLUMNS` of a finding (both '' when nothing was grouped under it).

    >>> from checker.findings import Place
    >>> s = Side("BI", "bi", "bi.md", "On Tuesday.", 0, 11)
    >>> f = Finding("contradiction", "temporal", "high", 0.9, "", s, s, fingerprint="f1",
    ...             also_at=[Place("a", "BI", "bi.md", 13, "body", "On Tuesday.", "f2")])
    >>> grouped_columns(f)
    {'also_at': 'bi.md:13 (body)', 'grouped_fingerprints': 'f2'}
    """
    places = [
        f"{p.path}:{p.line} ({p.kind or 'body'})" if p.line >= 1 else f"{p.path} ({p.kind})"
        for p in finding.places()
    ]
    return {
        "also_at": "; ".join(places),
        "grouped_fingerprints": "; ".join(finding.fingerprints()[1:]),
    }


def frame_of(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> pd.DataFrame:
    """A DataFrame of ``rows`` with exactly ``columns`` (also when there are no rows); line and
    offset columns are nullable integers, NLI columns floats.

    >>> frame_of([{"a_line": 3}, {"a_line": None}], ["a_line"])["a_line"].tolist()
    [3, <NA>]
    """
    import pandas as pd

    frame = pd.DataFrame([dict(r) for r in rows], columns=list(columns))
    for name in frame.columns:
        if name.endswith("line") or name in ("start", "end"):
            frame[name] = frame[name].astype("Int64")
        elif name.startswith("nli_") or name == "confidence":
            frame[name] = frame[name].astype("float64")
    return frame


def findings_frame(report: ReportLike) -> pd.DataFrame:
    """One row per finding, most serious first, with the columns of :data:`FINDING_COLUMNS`."""
    documents = {d.id: d for d in report.documents}
    rows = [finding_row(f, documents) for f in report.sorted_findings()]
    return frame_of(rows, FINDING_COLUMNS)


def claim_article_id(claim_id: str) -> str:
    """The article id in a claim id (``<article>:<offset>`` or ``<article>:title``).

    >>> claim_article_id("cbs-news:412"), claim_article_id("a:b:title")
    ('cbs-news', 'a:b')
    """
    return claim_id.rpartition(":")[0] or claim_id


def claims_frame(report: ReportLike) -> pd.DataFrame:
    """One row per claim in the report's clusters (the claims it aligned across outlets), by
    cluster, with the columns of :data:`CLAIM_COLUMNS`.

    ``line`` is the claim's line in its file: from the cluster's record when the run recorded
    it (:func:`checker.api.check` does), else from a finding that quotes the claim, else
    missing.
    """
    documents = {d.id: d for d in report.documents}
    lines: dict[str, int] = {}
    owners: dict[str, str] = {}
    for finding in report.findings:
        for side in (finding.a, finding.b):
            if side.claim_id and side.line:
                lines.setdefault(side.claim_id, side.line)
            if side.claim_id and side.article:
                owners.setdefault(side.claim_id, side.article)
    rows = []
    for cluster in report.clusters:
        for claim in cluster.claims:
            claim_id = str(claim.get("id", ""))
            article = str(
                claim.get("article") or owners.get(claim_id) or claim_article_id(claim_id)
            )
            doc = documents.get(article)
            rows.append(
                {
                    "outlet": claim.get("outlet", ""),
                    "path": doc.source if doc is not None else "",
                    "line": claim.get("line") or lines.get(claim_id),
                    "kind": claim.get("kind", "body"),
                    "text": claim.get("text", ""),
                    "title": doc.title if doc is not None else "",
                    "article": article,
                    "cluster": cluster.id,
                    "claim_id": claim_id,
                    "start": claim.get("start"),
                    "end": claim.get("end"),
                }
            )
    return frame_of(rows, CLAIM_COLUMNS)


def parquet_available() -> bool:
    """Whether Parquet can be written (``pyarrow`` is installed)."""
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


def require_format(fmt: str) -> None:
    """Raise :class:`TableError` (one line) when ``fmt`` cannot be written here.

    >>> require_format("csv")
    >>> require_format("xlsx")
    Traceback (most recent call last):
    ...
    checker.tables.TableError: unknown table format 'xlsx' (csv or parquet)
    """
    if fmt not in FORMATS:
        raise TableError(f"unknown table format {fmt!r} (csv or parquet)")
    if fmt == "parquet" and not parquet_available():
        raise TableError("Parquet output needs pyarrow: pip install pyarrow")


def csv_text(frame: pd.DataFrame) -> str:
    """The frame as CSV text (RFC 4180 quoting: commas, quotes and newlines stay in their cell),
    with formula-like text cells defused by :func:`spreadsheet_safe`.

    >>> import pandas as pd
    >>> csv_text(pd.DataFrame({"text": ['He said "no", then left.\\nEnd.', "=1+1"]}))
    'text\\n"He said ""no"", then left.\\nEnd."\\n\\'=1+1\\n'
    """
    from pandas.api.types import is_numeric_dtype

    safe = frame.copy()
    for name in safe.columns:
        if not is_numeric_dtype(safe[name]):
            safe[name] = safe[name].map(spreadsheet_safe)
    buffer = io.StringIO()
    safe.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue()


def _write_parquet_atomic(frame: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = output_mode(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, mode)
        with os.fdopen(fd, "wb") as handle:
            frame.to_parquet(handle, index=False, engine="pyarrow")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def table_format(path: str | Path, fmt: str | None = None) -> str:
    """The format to write ``path`` in: ``fmt``, else from the suffix (``.parquet``/``.pq`` is
    Parquet, anything else CSV).

    >>> table_format("out/findings.parquet"), table_format("findings.csv"), table_format("x", "csv")
    ('parquet', 'csv', 'csv')
    """
    if fmt:
        return fmt
    return "parquet" if Path(path).suffix.lower() in (".parquet", ".pq") else "csv"


def write_table(frame: pd.DataFrame, path: str | Path, fmt: str | None = None) -> int:
    """Write ``frame`` to ``path`` atomically as CSV or Parquet (see :func:`table_format`);
    returns the number of rows. Raises :class:`TableError` for Parquet without pyarrow.

    >>> import pandas as pd, tempfile
    >>> out = Path(tempfile.mkdtemp()) / "t.csv"
    >>> write_table(pd.DataFrame({"outlet": ["Reuters", "CBS News"]}), out)
    2
    >>> pd.read_csv(out)["outlet"].tolist()
    ['Reuters', 'CBS News']
    """
    fmt = table_format(path, fmt)
    require_format(fmt)
    path = Path(path)
    if fmt == "csv":
        write_text_atomic(path, csv_text(frame))
    else:
        _write_parquet_atomic(frame, path)
    return len(frame)
