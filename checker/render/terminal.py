"""The terminal report: findings grouped by claim cluster, as rich tables."""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from checker.findings import Finding, Side
from checker.report import Report

SEVERITY_STYLE = {"high": "bold red", "medium": "yellow", "low": "cyan"}


def highlighted(side: Side) -> Text:
    """The side's sentence with its differing spans in bold reverse video."""
    text = Text(side.text)
    for span in side.spans:
        start, end = span["start"] - side.start, span["end"] - side.start
        if 0 <= start < end <= len(side.text):
            text.stylize("bold reverse", start, end)
    return text


def _side_label(side: Side) -> Text:
    """The outlet, with the claim's kind when it is not running text ("CBS News (title)")."""
    label = Text(side.outlet, style="bold")
    if side.kind != "body":
        label.append(f" ({side.kind})", style="dim")
    return label


def finding_panel(finding: Finding) -> Panel:
    """One finding: both sentences side by side, the values, the check and the explanation."""
    table = Table.grid(expand=True, padding=(0, 2))
    table.add_column(ratio=1)
    table.add_column(ratio=1)
    table.add_row(_side_label(finding.a), _side_label(finding.b))
    table.add_row(highlighted(finding.a), highlighted(finding.b))
    if finding.a.value or finding.b.value:
        table.add_row(Text(finding.a.value, style="green"), Text(finding.b.value, style="green"))
    style = SEVERITY_STYLE.get(finding.severity, "")
    title = Text.assemble(
        (finding.verdict.upper(), style),
        f"  {finding.check} · severity {finding.severity} · confidence {finding.confidence:.2f}",
    )
    body = Group(table, Text(finding.explanation, style="italic"))
    return Panel(body, title=title, title_align="left", subtitle=finding.fingerprint)


def claims_line(stats: dict[str, Any]) -> str:
    """The summary of claims per kind and of the text left out, by reason ("" if not counted).

    >>> claims_line({"claims_by_kind": {"title": 4, "bullet": 3, "body": 41},
    ...              "left_out": {"no_content": 2, "too_short": 1, "question": 0}})
    'Claims: 4 title, 3 bullet, 41 body; left out: 2 no content, 1 too short.'
    >>> claims_line({"claims_by_kind": {"title": 1, "bullet": 0, "body": 5}, "left_out": {}})
    'Claims: 1 title, 0 bullet, 5 body; nothing left out.'
    """
    kinds = stats.get("claims_by_kind")
    if not kinds:
        return ""
    line = "Claims: " + ", ".join(f"{n} {kind}" for kind, n in kinds.items())
    left = [
        f"{n} {reason.replace('_', ' ')}" for reason, n in stats.get("left_out", {}).items() if n
    ]
    return line + ("; left out: " + ", ".join(left) if left else "; nothing left out") + "."


def nli_line(stats: dict[str, Any]) -> str:
    """Which NLI model and backend ran and whether its self-check passed ("" if not recorded).

    >>> nli_line({"nli": {"state": "ran", "model": "shipped:8bfe3078e656", "backend": "onnx",
    ...                   "self_check": {"passed": True, "pairs": 24, "max_diff": 0.049}}})
    'NLI: shipped:8bfe3078e656 on onnx; self-check passed (24 canary pairs, max diff 0.049).'
    >>> nli_line({"nli": {"state": "off"}})
    'NLI: off (rule checks only).'
    """
    nli = stats.get("nli")
    if not nli:
        return ""
    if nli.get("state") == "off":
        return "NLI: off (rule checks only)."
    if nli.get("state") != "ran":
        return "NLI: not loaded (no pair needed the model)."
    check = nli.get("self_check")
    if not check:
        verdict = "self-check not run"
    else:
        diff = check.get("max_diff")
        detail = f"{check.get('pairs')} canary pairs" + (
            f", max diff {diff:g}" if diff is not None else ""
        )
        verdict = f"self-check {'passed' if check.get('passed') else 'FAILED'} ({detail})"
    return f"NLI: {nli.get('model')} on {nli.get('backend')}; {verdict}."


def render_terminal(report: Report, console: Console) -> None:
    """Print the report: documents, problems, findings grouped by cluster, stats."""
    docs = Table(title="Articles", show_lines=False)
    for col in ("outlet", "published", "claims", "title"):
        docs.add_column(col)
    for d in report.documents:
        docs.add_row(d.outlet, d.published or "[yellow]unknown[/]", str(d.claims), d.title)
    console.print(docs)
    for d in report.documents:
        for w in d.warnings:
            console.print(f"[yellow]warning:[/] {d.source}: {w}", highlight=False)
    for p in report.problems:
        console.print(f"[red]error:[/] {p}", highlight=False)

    findings = report.sorted_findings()
    if not findings:
        console.print("[green]No discrepancies found.[/]")
    order: list[str] = []
    grouped: dict[str, list[Finding]] = {}
    for f in findings:
        if f.cluster not in grouped:
            order.append(f.cluster)
        grouped.setdefault(f.cluster, []).append(f)
    for cluster in order:
        console.rule(f"claim cluster {cluster}" if cluster else "findings")
        for f in grouped[cluster]:
            console.print(finding_panel(f))
    s = report.stats
    console.print(
        f"{s.get('articles', 0)} articles, {s.get('claims', 0)} claims, "
        f"{s.get('candidate_pairs', 0)} aligned pairs of {s.get('cross_outlet_pairs', 0)} "
        f"cross-outlet pairs, {s.get('nli_pairs', 0)} sent to NLI; "
        f"{s.get('contradictions', 0)} contradiction(s), {s.get('divergences', 0)} divergence(s).",
        highlight=False,
    )
    line = claims_line(s)
    if line:
        console.print(line, highlight=False)
    line = nli_line(s)
    if line:
        console.print(line, highlight=False)
