"""Gate results in the formats CI systems read: JUnit XML, SARIF 2.1.0, GitHub workflow
annotations, and a Markdown job summary.

Every format takes a :class:`~checker.gate.decide.GateResult` and has one entry per finding: a
finding that groups near-identical ones (an outlet's bullet and body, ``Finding.also_at``) is one
test case, one SARIF result (its other places among the related locations) and one annotation, each
saying where else it stands. Article text is untrusted: XML
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
import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from checker.findings import Finding, Place, Side
from checker.gate.decide import GateResult

SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
FINGERPRINT_KEY = "crossclaimFingerprint/v1"
#: the documentation's address when the installed package's metadata names none (the
#: ``Documentation`` entry of ``[project.urls]`` in pyproject.toml says the same); a check's
#: SARIF ``helpUri`` is ``<this>/rules.md#<check>``.
DOCS_URL = "https://github.com/crossclaim/crossclaim/blob/main/docs"
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
    return f"{head}: {finding_detail(finding)}"


def finding_detail(finding: Finding) -> str:
    """What each outlet says, where else it says it (a grouped finding's other places), then
    the explanation (:func:`finding_message` less its head).

    >>> s1 = Side("BI", "bi", "news/bi.md", "On Tuesday.", 0, 11, value="2021-12-14")
    >>> s2 = Side("AP", "ap", "news/ap.md", "On Wednesday.", 0, 13, value="2021-12-15")
    >>> f = Finding("contradiction", "temporal", "high", 0.9, "", s1, s2,
    ...             also_at=[Place("a", "BI", "news/bi.md", 13, "body", "On Tuesday.", "f2")])
    >>> finding_detail(f)
    'BI: “2021-12-14” vs AP: “2021-12-15”; also at bi.md:13 (body).'
    """
    explanation = _one_line(finding.explanation, 2 * QUOTE_CHARS)
    tail = f" {explanation}" if explanation else ""
    also = ", ".join(place_label(p) for p in finding.places())
    also = f"; also at {also}" if also else ""
    return f"{_side_phrase(finding.a)} vs {_side_phrase(finding.b)}{also}.{tail}"


def place_label(place: Place) -> str:
    """A grouped finding's other place, short: ``file:line (kind)`` (the file's name only).

    >>> place_label(Place("a", "BI", "news/ingested.jsonl:3", 1, "bullet", "t", "f2"))
    'ingested.jsonl:3 (bullet)'
    """
    source, line = split_source(place.path, place.line)
    name = PurePosixPath(source.replace("\\", "/")).name or source
    return f"{name}:{line} ({place.kind or 'body'})" if line >= 1 else f"{name} ({place.kind})"


def side_location(side: Side, root: Path | None = None) -> tuple[str, int]:
    """A side's file (relative to ``root``, POSIX) and line (0: not known)."""
    source, line = split_source(side.source, side.line)
    return relative_path(source, root), line


def finding_location(finding: Finding, root: Path | None = None) -> str:
    """``path:line`` of the finding's first sentence, as a terminal line starts with it: a path
    that begins with anything but a letter, digit, ``.``, ``/`` or ``_`` gets ``./`` before it,
    so no file name can start a line that CI reads as a workflow command.

    >>> s = Side("A", "a", "::error::x.md", "t", 0, 1, line=3)
    >>> finding_location(Finding("contradiction", "temporal", "high", 0.9, "", s, s))
    './::error::x.md:3'
    """
    path, line = side_location(finding.a, root)
    if path and not (path[0].isalnum() or path[0] in "./_"):
        path = "./" + path
    return f"{path}:{line}" if line >= 1 else path


# --- events, for JUnit's test suites ----------------------------------------------------------


@dataclass(frozen=True)
class EventRun:
    """One event the gate checked: its bundle folder (as shown, relative to the root) or store
    event id, and how long its check took."""

    name: str
    seconds: float = 0.0


def event_of(source: str, events: Sequence[EventRun], root: Path | None = None) -> str:
    """The event a source file belongs to: the longest event folder that holds it, else the
    file's own folder.

    >>> event_of("news/a/ap.md", [EventRun("news"), EventRun("news/a")])
    'news/a'
    >>> event_of("elsewhere/bi.md", [EventRun("news/a")]), event_of("bi.md", [])
    ('elsewhere', '.')
    """
    path = relative_path(split_source(source)[0], root)
    best = ""
    for event in events:
        name = event.name.rstrip("/")
        if (path == name or path.startswith(name + "/")) and len(name) > len(best):
            best = name
    return best or str(PurePosixPath(path).parent)


# --- JUnit XML ------------------------------------------------------------------------------


def _xml_text(text: str) -> str:
    return _XML_FORBIDDEN.sub("\ufffd", text)


def _finding_details(finding: Finding) -> str:
    lines = [
        f"fingerprint: {finding.fingerprint}",
        f"{finding.a.outlet} ({finding.a.source}:{finding.a.line}): {finding.a.text}",
        f"{finding.b.outlet} ({finding.b.source}:{finding.b.line}): {finding.b.text}",
        *(
            f"also at {p.path}:{p.line} ({p.kind}, fingerprint {p.fingerprint}): "
            f"{p.outlet}: {p.text}"
            for p in finding.places()
        ),
        f"explanation: {finding.explanation}",
    ]
    return "\n".join(lines)


def case_name(finding: Finding) -> str:
    """A test case's name: the fingerprint (unique in a run) and a short label.

    >>> s1, s2 = Side("AP", "ap", "ap.md", "t", 0, 1), Side("BI", "bi", "bi.md", "t", 0, 1)
    >>> case_name(Finding("contradiction", "temporal", "high", 0.9, "", s1, s2, fingerprint="ab"))
    'ab temporal contradiction: AP vs BI'
    """
    label = f"{finding.check} {finding.verdict}: {finding.a.outlet} vs {finding.b.outlet}"
    return f"{finding.fingerprint} {_one_line(label, 120)}"


def junit_xml(
    result: GateResult, *, root: Path | None = None, events: Sequence[EventRun] = ()
) -> str:
    """JUnit XML: one test suite per event, one test case per finding; failing ones fail,
    baselined ones are skipped.

    New findings below the bar pass (with details in ``system-out``); unreadable inputs are
    errors. Each case is named by its finding's fingerprint and a short label, and carries the
    ``file`` and ``line`` of its first sentence; each suite has its event's ``time``. An event
    with nothing to report, or a run with no event at all, has one passing test case.

    >>> from checker.gate.baseline import Baseline
    >>> from checker.gate.decide import GateBar, evaluate_gate
    >>> '<testcase classname="crossclaim.gate" name="no new findings"' in junit_xml(
    ...     evaluate_gate([], Baseline(), GateBar()))
    True
    """
    suites: dict[str, ET.Element] = {}
    counts: dict[str, dict[str, int]] = {}
    seconds = {e.name.rstrip("/"): e.seconds for e in events}

    def suite(name: str) -> ET.Element:
        if name not in suites:
            suites[name] = ET.Element("testsuite", name=_xml_text(name))
            counts[name] = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        return suites[name]

    for run in events:
        suite(run.name.rstrip("/"))
    used: set[str] = set()

    def case(event: str, classname: str, name: str, file: str = "", line: int = 0) -> ET.Element:
        unique, number = name, 2
        while unique in used:
            unique, number = f"{name} ({number})", number + 1
        used.add(unique)
        counts[event]["tests"] += 1
        attrs = {"classname": classname, "name": _xml_text(unique)}
        if file:
            attrs["file"] = _xml_text(file)
        if line >= 1:
            attrs["line"] = str(line)
        attrs["time"] = "0"
        return ET.SubElement(suite(event), "testcase", attrs)

    def finding_case(finding: Finding) -> tuple[str, ET.Element]:
        event = event_of(finding.a.source, events, root)
        suite(event)
        file, line = side_location(finding.a, root)
        return event, case(event, f"crossclaim.{finding.check}", case_name(finding), file, line)

    for problem in result.problems:
        event = event_of(problem.source, events, root)
        suite(event)
        file = relative_path(split_source(problem.source)[0], root)
        node = case(event, "crossclaim.input", f"unreadable {problem.source}", file)
        err = ET.SubElement(node, "error", type="input", message=_xml_text(problem.message))
        err.text = _xml_text(str(problem))
        counts[event]["errors"] += 1
    for finding in result.failing:
        event, node = finding_case(finding)
        fail = ET.SubElement(
            node, "failure", type=finding.verdict, message=_xml_text(finding_message(finding))
        )
        fail.text = _xml_text(_finding_details(finding))
        counts[event]["failures"] += 1
    for finding in result.below_bar:
        _, node = finding_case(finding)
        out = ET.SubElement(node, "system-out")
        out.text = _xml_text(
            f"below the bar ({result.bar.describe()})\n{_finding_details(finding)}"
        )
    for finding, entry in result.baselined:
        event, node = finding_case(finding)
        reason = f"{entry.status} by {entry.who or 'unknown'}" + (
            f": {entry.why}" if entry.why else ""
        )
        ET.SubElement(node, "skipped", message=_xml_text(reason))
        counts[event]["skipped"] += 1
    if not suites:
        suite("crossclaim gate")
    for name in suites:
        if counts[name]["tests"] == 0:
            case(
                name,
                "crossclaim.gate",
                "no new findings" if len(suites) == 1 else f"no new findings in {name}",
            )
    totals = {
        k: sum(c[k] for c in counts.values()) for k in ("tests", "failures", "errors", "skipped")
    }
    total_time = sum(seconds.values())
    root_node = ET.Element(
        "testsuites",
        {
            "name": "crossclaim",
            **{k: str(v) for k, v in totals.items()},
            "time": f"{total_time:.3f}",
        },
    )
    for name, node in suites.items():
        for key, value in counts[name].items():
            node.set(key, str(value))
        node.set("time", f"{seconds.get(name, 0.0):.3f}")
        root_node.append(node)
    ET.indent(root_node)
    return ET.tostring(root_node, encoding="unicode", xml_declaration=True) + "\n"


# --- SARIF 2.1.0 ----------------------------------------------------------------------------


def rule_id(check: str) -> str:
    """The SARIF rule id of a check: ``crossclaim/<check>``.

    >>> rule_id("temporal")
    'crossclaim/temporal'
    """
    return f"crossclaim/{check}"


def documentation(doc: str | None) -> str:
    """A module docstring as prose: doctest examples (``>>>`` and their output) left out.

    >>> documentation("Fires on x.\\n\\n>>> f()\\n[]\\n\\nIgnores y.\\n")
    'Fires on x.\\n\\nIgnores y.'
    """
    out: list[str] = []
    in_example = False
    for line in textwrap.dedent(doc or "").splitlines():
        stripped = line.strip()
        if stripped.startswith(">>>"):
            in_example = True
            continue
        if in_example:
            if not stripped:
                in_example = False
            continue
        out.append(line.rstrip())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip()


def check_documentation(check: str) -> str:
    """What a check fires on and what it leaves alone: its rule module's docstring (the NLI
    comparator's for ``nli``); '' for a check this version does not know."""
    import inspect

    if check == "nli":
        import checker.compare

        return documentation(checker.compare.__doc__)
    from rules.registry import RULES

    rule = RULES.get(check)
    module = inspect.getmodule(rule) if rule is not None else None
    return documentation(module.__doc__ if module is not None else "")


def docs_uri(check: str) -> str:
    """Where a check is documented on the web (``docs/rules.md#<check>``): from the installed
    package's project URLs (``Documentation``, else a GitHub ``Repository``/``Source``/
    ``Homepage``), else :data:`DOCS_URL`.

    >>> docs_uri("temporal").endswith("/rules.md#temporal")
    True
    """
    try:
        urls = metadata.metadata("crossclaim").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        urls = []
    named = {}
    for entry in urls:
        label, _, url = entry.partition(",")
        named[label.strip().lower()] = url.strip().rstrip("/")
    if named.get("documentation", "").startswith(("https://", "http://")):
        return f"{named['documentation']}/rules.md#{quote(check)}"
    for label in ("repository", "source", "homepage"):
        if named.get(label, "").startswith("https://github.com/"):
            return f"{named[label]}/blob/main/docs/rules.md#{quote(check)}"
    return f"{DOCS_URL}/rules.md#{quote(check)}"


def _sarif_rule(check: str) -> dict[str, Any]:
    text = check_documentation(check)
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    first = " ".join(paragraphs[0].split()) if paragraphs else ""
    rule: dict[str, Any] = {
        "id": rule_id(check),
        "name": check,
        "shortDescription": {"text": f"Outlets disagree ({check} check)"},
        "fullDescription": {
            "text": first
            or f"Two outlets' reports of the same fact differ; found by crossclaim's {check} check."
        },
        "defaultConfiguration": {"level": "error"},
        "help": {
            "text": text or f"crossclaim's {check} check.",
            "markdown": text or f"crossclaim's `{check}` check.",
        },
    }
    rule["helpUri"] = docs_uri(check)
    return rule


#: source files whose article text is the file's own text, line for line (markdown and plain
#: text); other formats (HTML, JSON) are extracted, so a column in the text is none in the file.
_VERBATIM_SUFFIXES = (".md", ".markdown", ".txt")


def _region(side: Side, line: int, text: str | None) -> dict[str, Any]:
    """``startLine``, and the first differing span's columns when they can be known: the
    article's text is given, the file holds it verbatim, and the span lies on the sentence's
    first line (SARIF columns are 1-based, ``endColumn`` just past the span)."""
    region: dict[str, Any] = {"startLine": line}
    if text is None or side.kind == "title" or not side.spans:
        return region
    if not side.source.lower().endswith(_VERBATIM_SUFFIXES):
        return region
    span = min(side.spans, key=lambda s: s["start"])
    start, end = int(span["start"]), int(span["end"])
    if not 0 <= side.start <= start < end <= len(text) or "\n" in text[side.start : end]:
        return region
    line_start = text.rfind("\n", 0, start) + 1
    region["startColumn"] = start - line_start + 1
    region["endColumn"] = end - line_start + 1
    return region


def _location(
    side: Side, root: Path | None, texts: Mapping[str, str], location_id: int | None = None
) -> dict[str, Any]:
    source, line = split_source(side.source, side.line)
    physical: dict[str, Any] = {
        "artifactLocation": {"uri": relative_uri(source, root), "uriBaseId": "%SRCROOT%"}
    }
    if line >= 1:
        physical["region"] = _region(side, line, texts.get(side.source))
    out: dict[str, Any] = {"physicalLocation": physical, "message": {"text": _side_phrase(side)}}
    if location_id is not None:
        out = {"id": location_id, **out}
    return out


def _sarif_result(
    finding: Finding,
    level: str,
    state: str,
    root: Path | None,
    rule_index: int,
    texts: Mapping[str, str],
) -> dict[str, Any]:
    # the other outlet's sentence: where the finding's other half stands; then the other places
    # of near-identical findings grouped under this one
    related = [_location(finding.b, root, texts, location_id=1)]
    for number, place in enumerate(finding.places(), start=2):
        item = _location(place.as_side(), root, texts, location_id=number)
        item["message"] = {
            "text": f"also at ({place.kind or 'body'}): {_side_phrase(place.as_side())}"
        }
        related.append(item)
    out: dict[str, Any] = {
        "ruleId": rule_id(finding.check),
        "ruleIndex": rule_index,
        "kind": "fail",
        "level": level,
        "message": {"text": finding_message(finding)},
        "locations": [_location(finding.a, root, texts)],
        "relatedLocations": related,
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
    grouped = finding.fingerprints()[1:]
    if grouped:  # baselines and reviews written before grouping name these
        out["properties"]["groupedFingerprints"] = grouped
    return out


def sarif_log(
    result: GateResult, *, root: Path | None = None, texts: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """A SARIF 2.1.0 log: one rule per check, one result per finding (baselined ones suppressed).

    Levels: failing findings ``error``, new findings below the bar ``warning``, baselined ones
    ``note`` with ``baselineState`` ``unchanged`` and an external suppression carrying the
    baseline's status and reason. A result's location is its first sentence's line in its
    article file (relative to ``root``); the other outlet's sentence is its related location.
    With the articles' ``texts`` (by source), regions also have the columns of the first
    differing words. Each rule carries the check's documentation as ``help`` and its address on
    the web as ``helpUri`` (:func:`docs_uri`).

    >>> from checker.gate.baseline import Baseline
    >>> from checker.gate.decide import GateBar, evaluate_gate
    >>> log = sarif_log(evaluate_gate([], Baseline(), GateBar()))
    >>> log["version"], log["runs"][0]["tool"]["driver"]["name"], log["runs"][0]["results"]
    ('2.1.0', 'crossclaim', [])
    """
    texts = texts or {}
    all_findings = [*result.failing, *result.below_bar, *(f for f, _ in result.baselined)]
    checks = sorted({f.check for f in all_findings})
    index = {check: i for i, check in enumerate(checks)}
    rules = [_sarif_rule(check) for check in checks]
    results = [
        _sarif_result(f, "error", "new", root, index[f.check], texts) for f in result.failing
    ]
    results += [
        _sarif_result(f, "warning", "new", root, index[f.check], texts) for f in result.below_bar
    ]
    for finding, entry in result.baselined:
        item = _sarif_result(finding, "note", "unchanged", root, index[finding.check], texts)
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


def sarif_json(
    result: GateResult, *, root: Path | None = None, texts: Mapping[str, str] | None = None
) -> str:
    """:func:`sarif_log` as indented JSON text."""
    return (
        json.dumps(sarif_log(result, root=root, texts=texts), indent=2, ensure_ascii=False) + "\n"
    )


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
        *(
            f"- also at {md_escape(p.path)}, line {p.line} ({md_escape(p.kind or 'body')}; "
            f"`{md_escape(p.fingerprint)}`): {md_escape(p.text)}"
            for p in f.places()
        ),
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
