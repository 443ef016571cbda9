from __future__ import annotations

from pathlib import Path

from checker.compare import differing_word_spans
from checker.findings import Side, canonical_sides, fingerprint
from claims.readers import line_of_offset
from claims.records import Article, Claim, Span


def side(outlet: str, text: str, value: str = "", source: str = "x.md") -> Side:
    return Side(outlet, outlet.lower(), source, text, 0, len(text), value=value)


def test_fingerprint_is_the_same_whichever_side_comes_first():
    a = side("Wire", "They tested negative on Wednesday.", "2021-12-15")
    b = side("BI", "They tested negative on Tuesday.", "2021-12-14")
    assert fingerprint("temporal", a, b) == fingerprint("temporal", b, a)


def test_fingerprint_ignores_file_names_and_whitespace():
    a = side("Wire", "They tested  negative on Wednesday.", "2021-12-15", source="one.md")
    a2 = side("Wire", "They tested negative on Wednesday.", "2021-12-15", source="renamed.md")
    b = side("BI", "They tested negative on Tuesday.", "2021-12-14")
    assert fingerprint("temporal", a, b) == fingerprint("temporal", a2, b)


def test_fingerprint_changes_with_the_check_or_the_values():
    a = side("Wire", "They tested negative on Wednesday.", "2021-12-15")
    b = side("BI", "They tested negative on Tuesday.", "2021-12-14")
    b2 = side("BI", "They tested negative on Tuesday.", "2021-12-13")
    assert fingerprint("temporal", a, b) != fingerprint("numeric", a, b)
    assert fingerprint("temporal", a, b) != fingerprint("temporal", a, b2)


def test_canonical_sides_orders_by_outlet():
    a, b = side("Zeta", "x"), side("Alpha", "y")
    first, second, swapped = canonical_sides(a, b)
    assert (first.outlet, second.outlet, swapped) == ("Alpha", "Zeta", True)


def test_differing_word_spans_point_into_the_article():
    text_a = "Intro. Blinken and senior staff tested negative on Tuesday."
    text_b = "Blinken and senior officials tested negative on Wednesday."
    sa = Span(7, len(text_a), text_a[7:])
    sb = Span(0, len(text_b), text_b)
    da, db = differing_word_spans(Claim("a", "a", "A", sa, sa), Claim("b", "b", "B", sb, sb))
    assert [text_a[s.start : s.end] for s in da] == ["staff", "Tuesday"]
    assert [text_b[s.start : s.end] for s in db] == ["officials", "Wednesday"]


def test_line_of_offset_counts_from_the_body_start():
    article = Article(id="x", outlet="X", text="a\nb\nc", source="x.md", line=6)
    assert [line_of_offset(article, o) for o in (0, 2, 4)] == [6, 7, 8]


def _nli_pair(similarity: float):
    from claims.records import CandidatePair

    text_a = "The bridge reopened to traffic on Monday."
    text_b = "The bridge stayed closed to traffic on Monday."
    sa, sb = Span(0, len(text_a), text_a), Span(0, len(text_b), text_b)
    a = Claim("a:0", "a", "A", sa, sa)
    b = Claim("b:0", "b", "B", sb, sb)
    articles = {
        "a": Article(id="a", outlet="A", text=text_a, source="a.md"),
        "b": Article(id="b", outlet="B", text=text_b, source="b.md"),
    }
    return a, b, articles, CandidatePair("a:0", "b:0", "c1", similarity)


def test_nli_only_finding_needs_a_confident_contradiction_both_ways():
    from checker.compare import PairNLI, nli_finding
    from checker.settings import Settings

    a, b, articles, pair = _nli_pair(0.9)
    sure = PairNLI((0.0, 0.01, 0.99), (0.0, 0.01, 0.99))
    one_way = PairNLI((0.0, 0.01, 0.99), (0.0, 0.95, 0.05))
    finding = nli_finding(a, b, articles, pair, sure, Settings())
    assert finding is not None and finding.check == "nli"
    assert {s["text"] for s in finding.a.spans + finding.b.spans} >= {"reopened", "stayed"}
    assert nli_finding(a, b, articles, pair, one_way, Settings()) is None


def test_nli_only_finding_is_not_raised_on_a_loosely_aligned_pair():
    from checker.compare import PairNLI, nli_finding
    from checker.settings import Settings

    a, b, articles, pair = _nli_pair(0.5)
    sure = PairNLI((0.0, 0.01, 0.99), (0.0, 0.01, 0.99))
    assert nli_finding(a, b, articles, pair, sure, Settings()) is None


def test_unknown_nli_policy_is_refused():
    import pytest

    from checker.settings import Settings

    with pytest.raises(ValueError, match="nli_policy"):
        Settings(nli_policy="sometimes")


def test_finding_lines_point_at_the_file_line_when_blank_lines_were_collapsed(tmp_path, models):
    """A sentence after runs of blank lines: the finding names its line in the file, as the
    reader counts it (SARIF, JUnit, annotations and the summary all use this line)."""
    from checker.pipeline import run_report
    from checker.settings import Settings

    front = "---\noutlet: {o}\npublished: 2023-03-07T11:00:00+00:00\ntitle: Minister quits\n---\n"
    body_a = (
        "The transport minister faced weeks of pressure.\n\n\n\n\n\n"
        "The transport minister resigned on Monday after weeks of pressure.\n"
    )
    body_b = "The transport minister resigned on Tuesday after weeks of pressure.\n"
    (tmp_path / "a.md").write_text(front.format(o="Outlet A") + body_a, encoding="utf-8")
    (tmp_path / "b.md").write_text(front.format(o="Outlet B") + body_b, encoding="utf-8")
    report = run_report([tmp_path], Settings(use_nli=False), models=models)
    hits = [f for f in report.findings if f.check == "temporal"]
    assert hits, [f.explanation for f in report.findings]
    for finding in hits:
        for side in (finding.a, finding.b):
            file_lines = (tmp_path / Path(side.source).name).read_text(encoding="utf-8")
            assert side.text in file_lines.splitlines()[side.line - 1]


def test_severity_and_verdict_ranks_come_from_one_definition():
    from checker.cli.gate import FailOn
    from checker.findings import SEVERITY_RANK, VERDICT_RANK
    from rules.base import SEVERITIES, Severity, Verdict

    assert list(SEVERITY_RANK) == list(SEVERITIES) == [s.value for s in Severity]
    assert SEVERITY_RANK["high"] > SEVERITY_RANK["medium"] > SEVERITY_RANK["low"]
    assert VERDICT_RANK["contradiction"] > VERDICT_RANK["divergence"]
    assert FailOn is Verdict


def test_nli_finding_severity_is_a_setting():
    from checker.compare import PairNLI, nli_finding
    from checker.settings import Settings
    from claims.records import CandidatePair

    text_a, text_b = "Talks ended on Tuesday.", "Talks resumed on Tuesday."
    a = Claim("a:0", "a", "A", Span(0, 23, text_a), Span(0, 23, text_a))
    b = Claim("b:0", "b", "B", Span(0, 25, text_b), Span(0, 25, text_b))
    articles = {
        "a": Article(id="a", outlet="A", text=text_a, source="a.md"),
        "b": Article(id="b", outlet="B", text=text_b, source="b.md"),
    }
    pair = CandidatePair(a="a:0", b="b:0", similarity=0.9, cluster_id="c1")
    nli = PairNLI((0.0, 0.01, 0.99), (0.0, 0.01, 0.99))
    for severity in ("low", "high"):
        finding = nli_finding(a, b, articles, pair, nli, Settings(nli_severity=severity))
        assert finding is not None and finding.severity == severity
