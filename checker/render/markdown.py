"""The Markdown report (for pull requests, job summaries and e-mail)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from checker.findings import Finding, Side
from checker.render.evidence import finding_resolutions, model_label, published_by_article
from checker.render.terminal import grouped_note
from checker.report import Report

_MD_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_{}[]<>()#+!|~"})
_WHITESPACE = re.compile(r"\s+")


def escape_markdown(text: str) -> str:
    """Escape Markdown and HTML syntax in untrusted article text.

    >>> escape_markdown("<b>*bold*</b>")
    '\\\\<b\\\\>\\\\*bold\\\\*\\\\</b\\\\>'
    """
    return _WHITESPACE.sub(" ", text).translate(_MD_SPECIAL)


def marked(side: Side) -> str:
    """The sentence with its differing spans in bold (escaped outside and inside the marks)."""
    out: list[str] = []
    pos = 0
    for span in sorted(side.spans, key=lambda s: s["start"]):
        start, end = span["start"] - side.start, span["end"] - side.start
        if start < pos or not 0 <= start < end <= len(side.text):
            continue
        out.append(escape_markdown(side.text[pos:start]))
        out.append(f"**{escape_markdown(side.text[start:end])}**")
        pos = end
    out.append(escape_markdown(side.text[pos:]))
    return "".join(out).strip()


def finding_markdown(f: Finding, published: Mapping[str, str | None] | None = None) -> str:
    """One finding: both sentences with their differing words in bold, how each value was read
    (a time with the publication date it was resolved against), and the model's reading."""
    rows = [
        f"### {f.verdict.capitalize()} · `{f.check}` · {f.severity} "
        f"· confidence {f.confidence:.2f}",
        "",
        f"{escape_markdown(f.explanation)}",
        "",
        f"| {escape_markdown(f.a.outlet)} | {escape_markdown(f.b.outlet)} |",
        "|---|---|",
        f"| {marked(f.a)} | {marked(f.b)} |",
    ]
    a_read, b_read = finding_resolutions(f, published or {})
    if a_read or b_read:
        rows.append(f"| {escape_markdown(a_read)} | {escape_markdown(b_read)} |")
    places = f.places()
    if places:
        rows.append("")
        rows += [
            f"- also at {escape_markdown(f'{p.path}:{p.line}' if p.line else p.path)} "
            f"({escape_markdown(p.kind or 'body')}): {escape_markdown(p.text)}"
            for p in places
        ]
    model = model_label(f.nli)
    rows += ["", *([model, ""] if model else []), f"fingerprint `{f.fingerprint}`", ""]
    return "\n".join(rows)


def render_markdown(report: Report) -> str:
    """The whole report as Markdown."""
    s = report.stats
    lines = ["# crossclaim consistency report", ""]
    lines += ["| outlet | published | claims | title |", "|---|---|---|---|"]
    for d in report.documents:
        lines.append(
            f"| {escape_markdown(d.outlet)} | {d.published or 'unknown'} | {d.claims} "
            f"| {escape_markdown(d.title)} |"
        )
    lines.append("")
    for p in report.problems:
        lines.append(f"- error: {escape_markdown(str(p))}")
    findings = report.sorted_findings()
    lines += [
        f"**{s.get('contradictions', 0)} contradiction(s), "
        f"{s.get('divergences', 0)} divergence(s)** from {s.get('claims', 0)} claims; "
        f"{s.get('candidate_pairs', 0)} aligned pairs of {s.get('cross_outlet_pairs', 0)} "
        f"cross-outlet pairs, {s.get('nli_pairs', 0)} sent to NLI"
        + (f"; {note}." if (note := grouped_note(s)) else "."),
        "",
    ]
    if not findings:
        lines.append("No discrepancies found.")
    published = published_by_article(report)
    lines += [finding_markdown(f, published) for f in findings]
    return "\n".join(lines).rstrip() + "\n"
