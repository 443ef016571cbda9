"""The report record and its JSON form (schema ``crossclaim.report/v1``).

Renderers (terminal, Markdown, HTML) take a :class:`Report`; the gate and the store read the
same record, so everything downstream sees one shape.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from checker.findings import Finding, report_order
from claims.records import Article, InputProblem

if TYPE_CHECKING:
    import pandas as pd

SCHEMA = "crossclaim.report/v1"


@dataclass(frozen=True)
class DocumentInfo:
    """An article that was read, as listed in the report."""

    id: str
    outlet: str
    title: str
    url: str
    published: str | None
    source: str
    claims: int
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def from_article(cls, article: Article, claims: int) -> DocumentInfo:
        """The report's entry for an article that yielded ``claims`` claims."""
        return cls(
            id=article.id,
            outlet=article.outlet,
            title=article.title,
            url=article.url,
            published=article.published.isoformat() if article.published else None,
            source=article.source,
            claims=claims,
            warnings=list(article.warnings),
        )


@dataclass(frozen=True)
class ClusterInfo:
    """A claim cluster: claims from different outlets about the same fact."""

    id: str
    claims: list[dict[str, Any]]  # {"id", "outlet", "text", "start", "end"}


@dataclass
class Report:
    """Everything one run found."""

    documents: list[DocumentInfo]
    findings: list[Finding]
    stats: dict[str, Any]
    problems: list[InputProblem] = field(default_factory=list)
    clusters: list[ClusterInfo] = field(default_factory=list)
    articles: dict[str, str] = field(default_factory=dict)  # article id -> full text (for HTML)

    def sorted_findings(self) -> list[Finding]:
        """Most serious first: verdict, severity, confidence, then fingerprint for stability
        (:func:`checker.findings.report_order`)."""
        return sorted(self.findings, key=report_order)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "documents": [asdict(d) for d in self.documents],
            "findings": [f.to_dict() for f in self.sorted_findings()],
            "stats": self.stats,
            "problems": [asdict(p) for p in self.problems],
            "clusters": [asdict(c) for c in self.clusters],
        }

    def to_json(self, indent: int = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    def findings_frame(self) -> pd.DataFrame:
        """One row per finding, most serious first, as a pandas DataFrame of plain cells
        (``checker.tables.FINDING_COLUMNS``: each side's outlet, title, path, line, text and
        differing words, the check, verdict, confidence, fingerprint and an evidence line).

        >>> Report(documents=[], findings=[], stats={}).findings_frame().columns[:5].tolist()
        ['fingerprint', 'verdict', 'check', 'severity', 'confidence']
        """
        from checker.tables import findings_frame

        return findings_frame(self)

    def claims_frame(self) -> pd.DataFrame:
        """One row per claim the run aligned across outlets (its clusters), as a pandas
        DataFrame: outlet, path, line, kind, text, ... (``checker.tables.CLAIM_COLUMNS``).

        >>> Report(documents=[], findings=[], stats={}).claims_frame().columns[:5].tolist()
        ['outlet', 'path', 'line', 'kind', 'text']
        """
        from checker.tables import claims_frame

        return claims_frame(self)
