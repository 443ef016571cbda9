"""The terminal report.

Every finding starts with a line an editor or terminal can open: ``path:line: check verdict``
(the path relative to the working directory when it lies inside it), like a compiler's or a
linter's message. On an interactive terminal the two sentences follow side by side in a panel;
piped or written to a file, each finding is a few plain lines that are never wrapped, so they can
be searched and read back as they are. Without colour the differing words are marked [like this].
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from checker.findings import Finding, Place, Side
from checker.render.evidence import finding_resolutions, model_label, published_by_article
from checker.report import Report

SEVERITY_STYLE = {"high": "bold red", "medium": "yellow", "low": "cyan"}
VERDICT_STYLE = {"contradiction": "bold red", "divergence": "yellow"}

_LINE_SUFFIX = re.compile(r"^(.+\.jsonl):(\d+)$", re.IGNORECASE)
_ANY_SPACE = re.compile(r"\s")


def display_path(source: str, root: Path | None = None) -> str:
    """A source file as shown at the start of a line: relative to ``root`` when inside it, and
    never starting with a character a CI log or a shell could read as something else.

    >>> display_path("/repo/news/ap.md", Path("/repo")), display_path("::x.md")
    ('news/ap.md', './::x.md')
    """
    path = Path(source)
    if root is not None and path.is_absolute():
        try:
            path = path.relative_to(root.resolve())
        except ValueError:
            pass
    text = _ANY_SPACE.sub(" ", str(path))
    if text and not (text[0].isalnum() or text[0] in "./_~"):
        text = "./" + text
    return text


def location(side: Side, root: Path | None = None) -> str:
    """``path:line`` of a side's sentence (``bundle.jsonl:3`` is line 3 of that file).

    >>> location(Side("A", "a", "news/a.md", "t", 0, 1, line=7))
    'news/a.md:7'
    >>> location(Side("A", "a", "in.jsonl:3", "t", 0, 1, line=1))
    'in.jsonl:3'
    """
    return source_location(side.source, side.line, root)


def source_location(source: str, line: int, root: Path | None = None) -> str:
    """``path:line`` of a sentence that starts on ``line`` of ``source`` (see :func:`location`)."""
    m = _LINE_SUFFIX.match(source)
    if m:
        source, line = m.group(1), int(m.group(2))
    path = display_path(source, root)
    return f"{path}:{line}" if line >= 1 else path


def also_at(place: Place, root: Path | None = None) -> str:
    """Where a grouped finding's sentence also stands: ``also at path:line (kind)``.

    >>> also_at(Place("a", "BI", "news/bi.md", 13, "body", "On Tuesday.", "f2"))
    'also at news/bi.md:13 (body)'
    """
    return f"also at {source_location(place.path, place.line, root)} ({place.kind or 'body'})"


def also_at_lines(finding: Finding, root: Path | None = None) -> list[Text]:
    """One line per other place of a grouped finding: where, then the sentence said there (on
    one line). None for a finding that groups nothing."""
    return [
        Text.assemble((also_at(place, root), "dim"), ": ", _ANY_SPACE.sub(" ", place.text).strip())
        for place in finding.places()
    ]


def highlighted(side: Side, color: bool = True) -> Text:
    """The side's sentence with its differing spans in bold reverse video, or in [brackets]
    when there is no colour. Line breaks inside the sentence become spaces.

    >>> s = Side("A", "a", "a.md", "On\\nTuesday.", 10, 21, [{"start": 13, "end": 20}])
    >>> highlighted(s, color=False).plain
    'On [Tuesday].'
    """
    sentence = _ANY_SPACE.sub(" ", side.text)
    text = Text()
    pos = 0
    for span in sorted(side.spans, key=lambda s: s["start"]):
        start, end = span["start"] - side.start, span["end"] - side.start
        if start < pos or not 0 <= start < end <= len(sentence):
            continue  # overlapping or outside the sentence
        text.append(sentence[pos:start])
        if color:
            text.append(sentence[start:end], style="bold reverse")
        else:
            text.append(f"[{sentence[start:end]}]")
        pos = end
    text.append(sentence[pos:])
    return text


def _side_label(side: Side) -> Text:
    """The outlet, with the claim's kind when it is not running text ("CBS News (title)")."""
    label = Text(side.outlet, style="bold")
    if side.kind != "body":
        label.append(f" ({side.kind})", style="dim")
    return label


def headline(finding: Finding, root: Path | None = None) -> Text:
    """The finding's first line: ``path:line: check verdict (severity, confidence) fingerprint``.

    >>> s1 = Side("AP", "ap", "news/ap.md", "On Wednesday.", 0, 13, line=3)
    >>> s2 = Side("BI", "bi", "news/bi.md", "On Tuesday.", 0, 11, line=7)
    >>> headline(Finding("contradiction", "temporal", "high", 0.9, "", s1, s2,
    ...                  fingerprint="ab12")).plain
    'news/ap.md:3: temporal contradiction (high, confidence 0.90) ab12'
    """
    return Text.assemble(
        (f"{location(finding.a, root)}:", "bold"),
        " ",
        (f"{finding.check} {finding.verdict}", VERDICT_STYLE.get(finding.verdict, "")),
        " (",
        (finding.severity, SEVERITY_STYLE.get(finding.severity, "")),
        f", confidence {finding.confidence:.2f}) ",
        (finding.fingerprint, "dim"),
    )


def evidence_line(finding: Finding, published: Mapping[str, str | None]) -> str:
    """How each side's value was read, and the model's reading ('' when there is neither).

    >>> s1 = Side("AP", "ap", "ap.md", "On Wednesday.", 0, 13, value="2021-12-15")
    >>> s2 = Side("BI", "bi", "bi.md", "On Tuesday.", 0, 11, value="2021-12-14")
    >>> evidence_line(Finding("contradiction", "temporal", "high", 0.9, "", s1, s2), {})
    '2021-12-15 vs 2021-12-14'
    """
    a, b = finding_resolutions(finding, published)
    parts = [f"{a or '-'} vs {b or '-'}"] if a or b else []
    model = model_label(finding.nli)
    if model:
        parts.append(model)
    return "; ".join(parts)


def finding_panel(
    finding: Finding,
    color: bool = True,
    root: Path | None = None,
    published: Mapping[str, str | None] | None = None,
) -> Panel:
    """One finding: both sentences side by side, the values, the check and the explanation."""
    published = published or {}
    table = Table.grid(expand=True, padding=(0, 2))
    table.add_column(ratio=1)
    table.add_column(ratio=1)
    table.add_row(
        Text.assemble(_side_label(finding.a), (f"  {location(finding.a, root)}", "dim")),
        Text.assemble(_side_label(finding.b), (f"  {location(finding.b, root)}", "dim")),
    )
    table.add_row(highlighted(finding.a, color), highlighted(finding.b, color))
    a_value, b_value = finding_resolutions(finding, published)
    if a_value or b_value:
        table.add_row(Text(a_value, style="green"), Text(b_value, style="green"))
    style = SEVERITY_STYLE.get(finding.severity, "")
    title = Text.assemble(
        (finding.verdict.upper(), style),
        f"  {finding.check} · severity {finding.severity} · confidence {finding.confidence:.2f}",
    )
    parts: list[Any] = [table, *also_at_lines(finding, root)]
    parts.append(Text(finding.explanation, style="italic"))
    model = model_label(finding.nli)
    if model:
        parts.append(Text(model, style="dim"))
    return Panel(Group(*parts), title=title, title_align="left", subtitle=finding.fingerprint)


def finding_lines(
    finding: Finding,
    color: bool = True,
    root: Path | None = None,
    published: Mapping[str, str | None] | None = None,
) -> list[Text]:
    """One finding as plain lines (piped output): the headline, each side's sentence (the
    other side's with its own ``path:line``), the evidence and the explanation.

    >>> s1 = Side("AP", "ap", "news/ap.md", "On Wednesday.", 0, 13,
    ...           [{"start": 3, "end": 12}], value="2021-12-15", line=3)
    >>> s2 = Side("BI", "bi", "news/bi.md", "On Tuesday.", 0, 11,
    ...           [{"start": 3, "end": 10}], value="2021-12-14", line=7)
    >>> f = Finding("contradiction", "temporal", "high", 0.9, "Days differ.", s1, s2,
    ...             fingerprint="ab12")
    >>> for line in finding_lines(f, color=False):
    ...     print(line.plain)
    news/ap.md:3: temporal contradiction (high, confidence 0.90) ab12
      AP: On [Wednesday].
      news/bi.md:7: BI: On [Tuesday].
      Wednesday -> 2021-12-15 vs Tuesday -> 2021-12-14
      Days differ.
    """
    lines = [
        headline(finding, root),
        Text.assemble("  ", _side_label(finding.a), ": ", highlighted(finding.a, color)),
        Text.assemble(
            "  ",
            (f"{location(finding.b, root)}:", "bold"),
            " ",
            _side_label(finding.b),
            ": ",
            highlighted(finding.b, color),
        ),
    ]
    lines.extend(Text.assemble("  ", place) for place in also_at_lines(finding, root))
    evidence = evidence_line(finding, published or {})
    if evidence:
        lines.append(Text("  " + evidence, style="green"))
    explanation = " ".join(finding.explanation.split())
    if explanation:
        lines.append(Text("  " + explanation, style="italic"))
    return lines


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
    >>> nli_line({"nli": {"state": "cached", "model": "shipped:8bfe3078e656"}})
    'NLI: shipped:8bfe3078e656, every result from the cache (model not loaded).'
    """
    nli = stats.get("nli")
    if not nli:
        return ""
    if nli.get("state") == "off":
        return "NLI: off (rule checks only)."
    if nli.get("state") == "cached":
        return f"NLI: {nli.get('model')}, every result from the cache (model not loaded)."
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


def summary_line(stats: dict[str, Any]) -> str:
    """The run in one line: articles, claims, pairs and what was found (findings counted after
    near-identical ones are grouped, and how many were grouped when any were).

    >>> summary_line({"articles": 4, "claims": 48, "contradictions": 2})
    '4 articles, 48 claims, 0 aligned pairs of 0 cross-outlet pairs, 0 sent to NLI; 2 contradiction(s), 0 divergence(s).'
    >>> summary_line({"contradictions": 1, "grouped_findings": 1}).split("; ", 1)[-1]
    '1 contradiction(s), 0 divergence(s); 1 near-identical finding(s) grouped.'
    """  # noqa: E501
    s = stats
    return (
        f"{s.get('articles', 0)} articles, {s.get('claims', 0)} claims, "
        f"{s.get('candidate_pairs', 0)} aligned pairs of {s.get('cross_outlet_pairs', 0)} "
        f"cross-outlet pairs, {s.get('nli_pairs', 0)} sent to NLI; "
        f"{s.get('contradictions', 0)} contradiction(s), {s.get('divergences', 0)} divergence(s)"
        + (f"; {note}." if (note := grouped_note(s)) else ".")
    )


def grouped_note(stats: dict[str, Any]) -> str:
    """'N near-identical finding(s) grouped' ('' when none were): findings folded into another
    (shown under it as 'also at ...'), which the counts do not count again."""
    grouped = stats.get("grouped_findings") or 0
    return f"{grouped} near-identical finding(s) grouped" if grouped else ""


def _articles_table(report: Report, root: Path | None) -> Table:
    docs = Table(title="Articles", show_lines=False)
    for col in ("outlet", "published", "claims", "title"):
        docs.add_column(col)
    for d in report.documents:
        docs.add_row(
            Text(d.outlet),
            Text(d.published or "unknown", style="" if d.published else "yellow"),
            str(d.claims),
            Text(d.title),
        )
    return docs


def _article_line(doc: Any, root: Path | None) -> Text:
    title = " ".join(doc.title.split())
    return Text.assemble(
        (f"{display_path(doc.source, root)}:", "bold"),
        f" {doc.outlet}, published ",
        (doc.published or "unknown", "" if doc.published else "yellow"),
        f", {doc.claims} claims" + (f": {title}" if title else ""),
    )


def render_terminal(
    report: Report,
    console: Console,
    *,
    color: bool | None = None,
    panels: bool | None = None,
    root: Path | None = None,
) -> None:
    """Print the report: documents, problems, findings (grouped by claim cluster), stats.

    ``color`` (default: whether the console has colours) marks differing words in reverse video,
    else in [brackets]; ``panels`` (default: whether the console is a terminal) lays findings out
    as panels, else as plain lines that are never wrapped. Paths are shown relative to ``root``
    (default: the working directory).
    """
    if color is None:
        color = console.color_system is not None
    if panels is None:
        panels = console.is_terminal
    if root is None:
        root = Path.cwd()

    def line(text: str | Text) -> None:
        console.print(text, soft_wrap=True, highlight=False, markup=False)

    if panels:
        console.print(_articles_table(report, root))
    else:
        line(f"Articles ({len(report.documents)}):")
        for d in report.documents:
            line(Text.assemble("  ", _article_line(d, root)))
    for d in report.documents:
        for w in d.warnings:
            line(Text.assemble(("warning:", "yellow"), f" {d.source}: {w}"))
    for p in report.problems:
        line(Text.assemble(("error:", "red"), f" {p}"))

    findings = report.sorted_findings()
    published = published_by_article(report)
    if not findings:
        line(Text("No discrepancies found.", style="green"))
    order: list[str] = []
    grouped: dict[str, list[Finding]] = {}
    for f in findings:
        if f.cluster not in grouped:
            order.append(f.cluster)
        grouped.setdefault(f.cluster, []).append(f)
    for cluster in order:
        if panels:
            console.rule(f"claim cluster {cluster}" if cluster else "findings")
        for f in grouped[cluster]:
            if panels:
                line(headline(f, root))
                console.print(finding_panel(f, color, root, published))
            else:
                line("")
                for text in finding_lines(f, color, root, published):
                    line(text)
    if not panels and findings:
        line("")
    s = report.stats
    line(summary_line(s))
    for extra in (claims_line(s), nli_line(s)):
        if extra:
            line(extra)
