"""The evidence line of a finding, shared by the terminal, Markdown and HTML reports: how each
side's value was read from its words (a time resolved against the article's publication date),
and what the NLI model made of the pair.

>>> from checker.findings import Side
>>> side = Side("BI", "bi", "bi.md", "They tested negative on Tuesday.", 0, 32,
...             spans=[{"start": 24, "end": 31, "text": "Tuesday"}], value="2021-12-14")
>>> resolution(side, "temporal", "2021-12-15T07:00:00-05:00")
'Tuesday -> 2021-12-14 (published 2021-12-15 07:00 -05:00)'
>>> model_label({"entailment_ab": 0.1, "neutral_ab": 0.86, "contradiction_ab": 0.04,
...              "entailment_ba": 0.1, "neutral_ba": 0.86, "contradiction_ba": 0.04})
'model: neutral 86%'
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from checker.findings import Finding, Side
from checker.report import Report

NLI_LABELS = ("entailment", "neutral", "contradiction")
_SPACE = re.compile(r"\s+")


def published_label(published: str | None) -> str:
    """An ISO publication time as 'YYYY-MM-DD HH:MM ±HH:MM' ('' when missing).

    >>> published_label("2021-12-15T07:00:00-05:00"), published_label("2021-12-15")
    ('2021-12-15 07:00 -05:00', '2021-12-15')
    """
    if not published:
        return ""
    try:
        moment = dt.datetime.fromisoformat(published)
    except ValueError:
        return published
    if len(published) <= 10:  # a date without a time
        return moment.date().isoformat()
    text = moment.strftime("%Y-%m-%d %H:%M")
    offset = moment.strftime("%z")
    return f"{text} {offset[:3]}:{offset[3:]}" if offset else text


def _words(side: Side) -> str:
    """The side's differing words as written ('Tuesday'; several joined with ' … ')."""
    texts = [
        _SPACE.sub(
            " ", str(s.get("text") or side.text[s["start"] - side.start : s["end"] - side.start])
        ).strip()
        for s in side.spans
    ]
    return " \u2026 ".join(t for t in texts if t)


def resolution(side: Side, check: str, published: str | None = None) -> str:
    """How the side's value was read: 'Tuesday -> 2021-12-14 (published ...)' for a time
    resolved against the publication date; 'about 40 -> 36-44' for other values whose words
    differ from them; the bare value when no words were marked; '' when there is no value.

    >>> resolution(Side("A", "a", "a.md", "t", 0, 1, value="12"), "numeric")
    '12'
    """
    value = _SPACE.sub(" ", side.value).strip()
    if not value:
        return ""
    words = _words(side)
    text = value if not words or words.lower() == value.lower() else f"{words} -> {value}"
    if check == "temporal" and published:
        text += f" (published {published_label(published)})"
    return text


def published_by_article(report: Report) -> dict[str, str | None]:
    """Each article id's publication time, from the report's documents."""
    return {d.id: d.published for d in report.documents}


def finding_resolutions(finding: Finding, published: Mapping[str, str | None]) -> tuple[str, str]:
    """:func:`resolution` of both sides, with each side's article's publication time."""
    return (
        resolution(finding.a, finding.check, published.get(finding.a.article)),
        resolution(finding.b, finding.check, published.get(finding.b.article)),
    )


def model_label(nli: Mapping[str, float] | None) -> str:
    """The NLI model's reading of a pair: its likeliest label, averaged over both directions,
    as 'model: contradiction 97%' ('' without scores).

    >>> model_label(None)
    ''
    """
    if not nli:
        return ""
    means = {}
    for label in NLI_LABELS:
        values = [float(nli[k]) for k in (f"{label}_ab", f"{label}_ba") if k in nli]
        if values:
            means[label] = sum(values) / len(values)
    if not means:
        return ""
    label = max(means, key=lambda name: means[name])
    return f"model: {label} {means[label]:.0%}"
