"""Gate results in the formats CI systems read: JUnit XML, SARIF 2.1.0, GitHub workflow
annotations, and a Markdown job summary.

Every format takes a :class:`~checker.gate.decide.GateResult`. Article text is untrusted: XML
output is
built with ElementTree (escaped) after dropping characters XML 1.0 forbids; annotation values are
percent-encoded so no article text can start a workflow command of its own; Markdown escapes HTML
and Markdown syntax (GitHub renders HTML in job summaries).

>>> from checker.gate.baseline import Baseline
>>> from checker.gate.decide import GateBar, evaluate_gate
>>> github_annotations(evaluate_gate([], Baseline(), GateBar()))
[]
"""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from checker.findings import Finding, Side
from checker.gate.decide import GateResult

SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
FINGERPRINT_KEY = "crossclaimFingerprint/v1"
#: GitHub shows at most 10 error and 10 warning annotations per step; past this many, one notice
#: line says how many more there are.
MAX_ANNOTATIONS = 10
#: findings listed in the Markdown summary (GitHub caps a job summary at 1 MiB).
MAX_SUMMARY_FINDINGS = 50
#: characters of a sentence quoted in an annotation or a one-line message.
QUOTE_CHARS = 160

_XML_FORBIDDEN = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]()#|~!{}])")
_SPACE = re.compile(r"\s+")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_LINE_SUFFIX = re.compile(r"^(.+\.jsonl):(\d+)$", re.IGNORECASE)


def tool_version() -> str:
    """The installed crossclaim version, or ``0+unknown``."""
    try:
        return metadata.version("crossclaim")
    except metadata.PackageNotFoundError:
        return "0+unknown"


def split_source(source: str, line: int = 0) -> tuple[str, int]:
    """A side's source as (file, line): ``bundle.jsonl:3`` names line 3 of a ``.jsonl`` file.

    >>> split_source("news/ingested.jsonl:3", 0), split_source("news/ap.md", 7)
    (('news/ingested.jsonl', 3), ('news/ap.md', 7))
    """
    m = _LINE_SUFFIX.match(source)
    if m:
        return m.group(1), int(m.group(2))
    return source, line


def relative_path(source: str, root: Path | None = None) -> str:
    """A source path as a POSIX path, relative to ``root`` when it lies inside it.

    >>> relative_path("/repo/news/ap story.md", Path("/repo"))
    'news/ap story.md'
    >>> relative_path("news\\\\bi.md")
    'news/bi.md'
    """
    path = PurePosixPath(source.replace("\\", "/"))
    if root is not None and path.is_absolute():
        try:
            path = path.relative_to(PurePosixPath(Path(root).resolve().as_posix()))
        except ValueError:
            pass
    return str(path)


def relative_uri(source: str, root: Path | None = None) -> str:
    """:func:`relative_path` URL-encoded, for SARIF ``artifactLocation.uri``.

    >>> relative_uri("/repo/news/ap story.md", Path("/repo"))
    'news/ap%20story.md'
    """
    return quote(relative_path(source, root), safe="/")


def plain_line(text: str) -> str:
    """Text as one printable line: control characters and line breaks become spaces.

    >>> plain_line("FAIL x\\n::error::injected\\x1b[31m")
    'FAIL x ::error::injected [31m'
    """
    return _SPACE.sub(" ", _CONTROL.sub(" ", text)).strip()


def _one_line(text: str, limit: int = QUOTE_CHARS) -> str:
    text = _SPACE.sub(" ", text).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _side_phrase(side: Side) -> str:
    said = side.value or _one_line(side.text)
    return f"{side.outlet}: \u201c{said}\u201d"


def finding_message(finding: Finding) -> str:
    """One line saying which check fired and what each outlet says.

    >>> s1 = Side("AP", "ap", "ap.md", "On Wednesday.", 0, 13, value="2021-12-15")
    >>> s2 = Side("BI", "bi", "bi.md", "On Tuesday.", 0, 11, value="2021-12-14")
    >>> finding_message(Finding("contradiction", "temporal", "high", 0.9, "Days differ.", s1, s2))
    'temporal contradiction (high): AP: “2021-12-15” vs BI: “2021-12-14”. Days differ.'
    """
    head = f"{finding.check} {finding.verdict} ({finding.severity})"
    explanation = _one_line(finding.explanation, 2 * QUOTE_CHARS)
    tail = f" {explanation}" if explanation else ""
    return f"{head}: {_side_phrase(finding.a)} vs {_side_phrase(finding.b)}.{tail}"


# --- JUnit XML ------------------------------------------------------------------------------


def _xml_text(text: str) -> str:
    return _XML_FORBIDDEN.sub("\ufffd", text)


def _finding_details(finding: Finding) -> str:
    lines = [
        f"fingerprint: {finding.fingerprint}",
        f"{finding.a.outlet} ({finding.a.source}:{finding.a.line}): {finding.a.text}",
        f"{finding.b.outlet} ({finding.b.source}:{finding.b.line}): {finding.b.text}",
        f"explanation: {finding.explanation}",
    ]
    return "\n".join(lines)


def junit_xml(result: GateResult) -> str:
    """JUnit XML: one test case per finding; failing ones fail, baselined ones are skipped.

    New findings below the bar pass (with details in ``system-out``); unreadable inputs are
    errors. A run with nothing to report still has one passing test case.

    >>> from checker.gate.baseline import Baseline
    >>> from checker.gate.decide import GateBar, evaluate_gate
    >>> '<testcase classname="crossclaim.gate" name="no new findings"' in junit_xml(
    ...     evaluate_gate([], Baseline(), GateBar()))
    True
    """
    suite = ET.Element("testsuite", name="crossclaim gate")
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}

    def case(classname: str, name: str) -> ET.Element:
        counts["tests"] += 1
        return ET.SubElement(suite, "testcase", classname=classname, name=_xml_text(name))

    for problem in result.problems:
        node = case("crossclaim.input", problem.source)
        err = ET.SubElement(node, "error", type="input", message=_xml_text(problem.message))
        err.text = _xml_text(str(problem))
        counts["errors"] += 1
    for finding in result.failing:
        node = case(f"crossclaim.{finding.check}", _one_line(finding_message(finding), 200))
        fail = ET.SubElement(
            node, "failure", type=finding.verdict, message=_xml_text(finding_message(finding))
        )
        fail.text = _xml_text(_finding_details(finding))
        counts["failures"] += 1
    for finding in result.below_bar:
        node = case(f"crossclaim.{finding.check}", _one_line(finding_message(finding), 200))
        out = ET.SubElement(node, "system-out")
        out.text = _xml_text(
            f"below the bar ({result.bar.describe()})\n{_finding_details(finding)}"
        )
    for finding, entry in result.baselined:
        node = case(f"crossclaim.{finding.check}", _one_line(finding_message(finding), 200))
        reason = f"{entry.status} by {entry.who or 'unknown'}" + (
            f": {entry.why}" if entry.why else ""
        )
        ET.SubElement(node, "skipped", message=_xml_text(reason))
        counts["skipped"] += 1
    if counts["tests"] == 0:
        case("crossclaim.gate", "no new findings")
    for name, value in counts.items():
        suite.set(name, str(value))
    root = ET.Element(
        "testsuites", {"name": "crossclaim", **{k: str(v) for k, v in counts.items()}}
    )
    root.append(suite)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


# --- SARIF 2.1.0 ----------------------------------------------------------------------------


def rule_id(check: str) -> str:
    """The SARIF rule id of a check: ``crossclaim/<check>``.

    >>> rule_id("temporal")
    'crossclaim/temporal'
    """
    return f"crossclaim/{check}"


def _location(side: Side, root: Path | None) -> dict[str, Any]:
    source, line = split_source(side.source, side.line)
    physical: dict[str, Any] = {
        "artifactLocation": {"uri": relative_uri(source, root), "uriBaseId": "%SRCROOT%"}
    }
    if line >= 1:
        physical["region"] = {"startLine": line}
    return {"physicalLocation": physical, "message": {"text": _side_phrase(side)}}


def _sarif_result(
    finding: Finding, level: str, state: str, root: Path | None, rule_index: int
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ruleId": rule_id(finding.check),
        "ruleIndex": rule_index,
        "kind": "fail",
        "level": level,
        "message": {"text": finding_message(finding)},
        "locations": [_location(finding.a, root), _location(finding.b, root)],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        "baselineState": state,
        "properties": {
            "verdict": finding.verdict,
            "severity": finding.severity,
            "confidence": finding.confidence,
            "explanation": finding.explanation,
            "aValue": finding.a.value,
            "bValue": finding.b.value,
        },
    }
    return out


def sarif_log(result: GateResult, *, root: Path | None = None) -> dict[str, Any]:
    """A SARIF 2.1.0 log: one rule per check, one result per finding (baselined ones suppressed).

    Levels: failing findings ``error``, new findings below the bar ``warning``, baselined ones
    ``note`` with ``baselineState`` ``unchanged`` and an external suppression carrying the
    baseline's status and reason. Locations are the two articles' source files, relative to
    ``root``, with the line of each sentence.

    >>> from checker.gate.baseline import Baseline
    >>> from checker.gate.decide import GateBar, evaluate_gate
    >>> log = sarif_log(evaluate_gate([], Baseline(), GateBar()))
    >>> log["version"], log["runs"][0]["tool"]["driver"]["name"], log["runs"][0]["results"]
    ('2.1.0', 'crossclaim', [])
    """
    all_findings = [*result.failing, *result.below_bar, *(f for f, _ in result.baselined)]
    checks = sorted({f.check for f in all_findings})
    index = {check: i for i, check in enumerate(checks)}
    rules = [
        {
            "id": rule_id(check),
            "name": check,
            "shortDescription": {"text": f"Outlets disagree ({check} check)"},
            "fullDescription": {
                "text": f"Two outlets' reports of the same fact differ; found by crossclaim's "
                f"{check} check."
            },
            "defaultConfiguration": {"level": "error"},
        }
        for check in checks
    ]
    results = [_sarif_result(f, "error", "new", root, index[f.check]) for f in result.failing]
    results += [_sarif_result(f, "warning", "new", root, index[f.check]) for f in result.below_bar]
    for finding, entry in result.baselined:
        item = _sarif_result(finding, "note", "unchanged", root, index[finding.check])
        item["suppressions"] = [
            {
                "kind": "external",
                "status": "accepted",
                "justification": f"{entry.status} by {entry.who or 'unknown'}"
                + (f" on {entry.when}" if entry.when else "")
                + (f": {entry.why}" if entry.why else ""),
            }
        ]
        results.append(item)
    notifications = [
        {
            "level": "error",
            "message": {"text": problem.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {
                            "uri": relative_uri(split_source(problem.source)[0], root)
                        }
                    }
                }
            ],
        }
        for problem in result.problems
    ]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "crossclaim",
                "version": tool_version(),
                "semanticVersion": tool_version(),
                "rules": rules,
            }
        },
        "invocations": [
            {
                "executionSuccessful": not result.input_error,
                "exitCode": result.exit_code,
                "toolExecutionNotifications": notifications,
            }
        ],
        "results": results,
        "columnKind": "unicodeCodePoints",
    }
    return {"$schema": SARIF_SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}


def sarif_json(result: GateResult, *, root: Path | None = None) -> str:
    """:func:`sarif_log` as indented JSON text."""
    return json.dumps(sarif_log(result, root=root), indent=2, ensure_ascii=False) + "\n"


# --- GitHub workflow annotations ------------------------------------------------------------


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _annotation(kind: str, message: str, *, file: str = "", line: int = 0, title: str = "") -> str:
    props = []
    if file:
        props.append(f"file={_escape_property(file)}")
    if line >= 1:
        props.append(f"line={line}")
    if title:
        props.append(f"title={_escape_property(title)}")
    head = f"::{kind} {','.join(props)}" if props else f"::{kind}"
    return f"{head}::{_escape_data(message)}"


def github_annotations(
    result: GateResult, *, root: Path | None = None, limit: int = MAX_ANNOTATIONS
) -> list[str]:
    """Workflow command lines: input problems and failing findings as errors, new findings below
    the bar as warnings; at most ``limit``, then one notice line saying how many more.

    >>> from checker.gate.baseline import Baseline
    >>> from checker.gate.decide import GateBar, evaluate_gate
    >>> s1 = Side("AP", "ap", "news/ap.md", "On Wednesday.", 0, 13, value="2021-12-15", line=3)
    >>> s2 = Side("BI", "bi", "news/bi.md", "On Tuesday.", 0, 11, value="2021-12-14", line=7)
    >>> f = Finding("contradiction", "temporal", "high", 0.9, "", s1, s2, fingerprint="ab")
    >>> line = github_annotations(evaluate_gate([f], Baseline(), GateBar()))[0]
    >>> line.split("::")[1]
    'error file=news/ap.md,line=3,title=crossclaim temporal contradiction'
    """
    lines = [
        _annotation(
            "error",
            problem.message,
            file=relative_path(split_source(problem.source)[0], root),
            title="crossclaim: unreadable input",
        )
        for problem in result.problems
    ]
    for kind, findings in (("error", result.failing), ("warning", result.below_bar)):
        for f in findings:
            source, line = split_source(f.a.source, f.a.line)
            lines.append(
                _annotation(
                    kind,
                    finding_message(f),
                    file=relative_path(source, root),
                    line=line,
                    title=f"crossclaim {f.check} {f.verdict}",
                )
            )
    if len(lines) > limit:
        more = len(lines) - limit
        lines = lines[:limit] + [
            _annotation(
                "notice", f"{more} more crossclaim finding(s) not annotated; see the job summary."
            )
        ]
    return lines


# --- Markdown job summary -------------------------------------------------------------------


def md_escape(text: str) -> str:
    """Text safe inside a Markdown table cell or paragraph: HTML and Markdown syntax escaped.

    >>> md_escape("<script>|*x*")
    '&lt;script&gt;\\\\|\\\\*x\\\\*'
    """
    return _MD_SPECIAL.sub(r"\\\1", html.escape(_SPACE.sub(" ", text).strip(), quote=False))


def _finding_row(f: Finding, status: str) -> str:
    what = f"{md_escape(f.a.outlet)}: {md_escape(f.a.value or _one_line(f.a.text, 80))} vs "
    what += f"{md_escape(f.b.outlet)}: {md_escape(f.b.value or _one_line(f.b.text, 80))}"
    cells = [status, md_escape(f.check), f.verdict, f.severity, what, f"`{f.fingerprint}`"]
    return "| " + " | ".join(cells) + " |"


def _finding_detail(f: Finding) -> list[str]:
    return [
        f"#### {md_escape(f.check)} {f.verdict} ({f.severity}) `{f.fingerprint}`",
        "",
        f"- **{md_escape(f.a.outlet)}** ({md_escape(f.a.source)}, line {f.a.line}): "
        f"{md_escape(f.a.text)}",
        f"- **{md_escape(f.b.outlet)}** ({md_escape(f.b.source)}, line {f.b.line}): "
        f"{md_escape(f.b.text)}",
        "",
        md_escape(f.explanation),
        "",
    ]


def markdown_summary(result: GateResult) -> str:
    """A Markdown report for the CI job summary page: verdict, counts, then the new findings.

    >>> from checker.gate.baseline import Baseline
    >>> from checker.gate.decide import GateBar, evaluate_gate
    >>> markdown_summary(evaluate_gate([], Baseline(), GateBar())).splitlines()[0]
    '## crossclaim gate: ✅ passed: no new finding at or above the bar'
    """
    if result.input_error:
        headline = "\u26a0\ufe0f input error"
    elif result.failing:
        headline = f"\u274c failed: {len(result.failing)} new finding(s) at or above the bar"
    else:
        headline = "\u2705 passed: no new finding at or above the bar"
    dismissed = sum(1 for _, e in result.baselined if e.status == "dismissed")
    lines = [
        f"## crossclaim gate: {headline}",
        "",
        f"Bar: {result.bar.describe()}.",
        "",
        "| | count |",
        "|---|---|",
    ]
    if result.articles_read >= 0:
        lines.append(f"| articles read | {result.articles_read} |")
    lines += [
        f"| new, failing | {len(result.failing)} |",
        f"| new, below the bar | {len(result.below_bar)} |",
        f"| in the baseline (quiet) | {len(result.baselined)} ({dismissed} dismissed) |",
        f"| baseline entries not seen this run | {len(result.stale)} |",
        f"| unreadable inputs | {len(result.problems)} |",
        "",
    ]
    if result.problems:
        lines += ["### Unreadable inputs", ""]
        lines += [f"- {md_escape(str(p))}" for p in result.problems]
        lines.append("")
    new = result.new
    if new:
        shown = new[:MAX_SUMMARY_FINDINGS]
        failing = {id(f) for f in result.failing}
        lines += [
            "### New findings",
            "",
            "| status | check | verdict | severity | what differs | fingerprint |",
            "|---|---|---|---|---|---|",
        ]
        lines += [_finding_row(f, "fails" if id(f) in failing else "below bar") for f in shown]
        lines.append("")
        for f in shown:
            lines += _finding_detail(f)
        if len(new) > len(shown):
            lines += [f"\u2026 and {len(new) - len(shown)} more new finding(s).", ""]
        lines += [
            "To accept these findings, run `crossclaim baseline BUNDLE... --output BASELINE` and "
            "commit the file (edit `status`, `who` and `why` per entry).",
            "",
        ]
    return "\n".join(lines)
