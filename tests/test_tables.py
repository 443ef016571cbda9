"""Flat tables (checker/tables.py): findings and claims frames, CSV and Parquet files that read
back with pandas, and the ``--csv``/``--parquet`` options of ``crossclaim report``."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from example_paths import EXAMPLES
from gate_report_factory import ROOT, blinken_report
from typer.testing import CliRunner

from checker.cli.main import app
from checker.report import ClusterInfo
from checker.tables import (
    CLAIM_COLUMNS,
    FINDING_COLUMNS,
    TableError,
    findings_frame,
    write_table,
)

#: article text that a naive CSV writer breaks: commas, both quote kinds, a newline, a formula.
AWKWARD = "Price said, \"we regret it\" \u2014 'deeply',\nthen left; 3,000 staff stayed."


@pytest.fixture(scope="module")
def report():
    return blinken_report()


@pytest.fixture
def awkward_report(report):
    """The Blinken report with an article sentence full of CSV metacharacters on one side."""
    first, *rest = report.findings
    awkward = replace(first, a=replace(first.a, text=AWKWARD))
    return replace(report, findings=[awkward, *rest])


def plain(value) -> bool:
    return value is None or isinstance(value, str | int | float) or pd.isna(value)


def test_findings_frame_has_one_row_per_finding_and_plain_cells(report) -> None:
    frame = report.findings_frame()
    assert list(frame.columns) == list(FINDING_COLUMNS)
    assert len(frame) == len(report.findings) == 2
    assert frame["fingerprint"].tolist() == [f.fingerprint for f in report.sorted_findings()]
    for column in ("a_outlet", "a_title", "a_path", "a_line", "a_text", "b_outlet", "b_text"):
        assert column in frame.columns
    for column in ("check", "verdict", "confidence", "fingerprint", "evidence"):
        assert column in frame.columns
    # no JSON (dicts, lists) in any cell
    assert all(plain(v) for v in frame.to_numpy().ravel())
    assert not any(
        isinstance(v, str) and v.startswith(("{", "[")) for v in frame.to_numpy().ravel()
    )
    headline = frame.iloc[0]
    assert (headline["verdict"], headline["check"]) == ("contradiction", "temporal")
    assert {headline["a_words"], headline["b_words"]} == {"Wednesday", "Tuesday"}
    assert {headline["a_outlet"], headline["b_outlet"]} == {"Wire story", "Business Insider"}
    assert headline["a_title"] and headline["a_path"].endswith(".md")
    assert "2021-12-15" in headline["evidence"] and "2021-12-14" in headline["evidence"]
    line = (
        (ROOT / headline["a_path"]).read_text(encoding="utf-8").splitlines()[headline["a_line"] - 1]
    )
    assert headline["a_words"] in line


def test_an_empty_report_gives_empty_frames_with_every_column(report) -> None:
    empty = replace(report, findings=[], clusters=[])
    assert list(empty.findings_frame().columns) == list(FINDING_COLUMNS)
    assert list(empty.claims_frame().columns) == list(CLAIM_COLUMNS)
    assert empty.findings_frame().empty and empty.claims_frame().empty


def test_claims_frame_lists_cluster_claims_with_path_and_line(report) -> None:
    finding = report.findings[0]
    cluster = ClusterInfo(
        "c1",
        [
            {
                "id": side.claim_id,
                "outlet": side.outlet,
                "text": side.text,
                "start": side.start,
                "end": side.end,
                "kind": side.kind,
            }
            for side in (finding.a, finding.b)
        ]
        + [{"id": "wire:0", "outlet": "Wire story", "text": "x", "start": 0, "end": 1, "line": 7}],
    )
    frame = replace(report, clusters=[cluster]).claims_frame()
    assert list(frame.columns) == list(CLAIM_COLUMNS)
    assert len(frame) == 3
    assert frame["line"].tolist()[:2] == [finding.a.line, finding.b.line]
    assert frame["line"].tolist()[2] == 7  # a line the run recorded wins
    assert frame["path"].tolist()[0] == finding.a.source
    assert frame["cluster"].unique().tolist() == ["c1"]


def test_csv_round_trip_keeps_commas_quotes_and_newlines(awkward_report, tmp_path: Path) -> None:
    out = tmp_path / "findings.csv"
    assert write_table(awkward_report.findings_frame(), out) == 2
    back = pd.read_csv(out, keep_default_na=False)
    assert list(back.columns) == list(FINDING_COLUMNS)
    assert len(back) == 2
    texts = set(back["a_text"]) | set(back["b_text"])
    assert AWKWARD in texts
    assert back["fingerprint"].tolist() == awkward_report.findings_frame()["fingerprint"].tolist()


def test_csv_defuses_formulas_but_parquet_keeps_values(report, tmp_path: Path) -> None:
    first = report.findings[0]
    formula = replace(first, a=replace(first.a, text='=HYPERLINK("http://x")'))
    frame = replace(report, findings=[formula]).findings_frame()
    write_table(frame, tmp_path / "f.csv")
    assert pd.read_csv(tmp_path / "f.csv")["a_text"][0] == '\'=HYPERLINK("http://x")'
    pytest.importorskip("pyarrow")
    write_table(frame, tmp_path / "f.parquet")
    assert pd.read_parquet(tmp_path / "f.parquet")["a_text"][0] == '=HYPERLINK("http://x")'


def test_parquet_round_trip_is_exact(awkward_report, tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    frame = awkward_report.findings_frame()
    out = tmp_path / "findings.parquet"
    assert write_table(frame, out) == 2
    back = pd.read_parquet(out)
    pd.testing.assert_frame_equal(back, frame, check_dtype=False)
    assert AWKWARD in set(back["a_text"])
    assert back["a_line"].dtype.name == "Int64"


def test_tables_are_written_atomically_with_the_users_umask(report, tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    folder = tmp_path / "out"
    folder.mkdir()
    old = os.umask(0o027)
    try:
        for name in ("f.csv", "f.parquet"):
            (folder / name).write_text("old", encoding="utf-8")
            os.chmod(folder / name, 0o640)
            write_table(report.findings_frame(), folder / name)
        write_table(report.findings_frame(), folder / "new.parquet")
    finally:
        os.umask(old)
    assert sorted(p.name for p in folder.iterdir()) == ["f.csv", "f.parquet", "new.parquet"]
    assert (folder / "f.parquet").stat().st_mode & 0o777 == 0o640
    assert (folder / "new.parquet").stat().st_mode & 0o777 == 0o640
    assert len(pd.read_parquet(folder / "f.parquet")) == 2


def test_parquet_without_pyarrow_is_a_one_line_error(
    report, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow -> ImportError
    with pytest.raises(TableError, match="needs pyarrow"):
        write_table(findings_frame(report), tmp_path / "f.parquet")
    assert not (tmp_path / "f.parquet").exists()
    result = CliRunner().invoke(
        app,
        ["report", str(EXAMPLES / "blinken-2021-12"), "--parquet", str(tmp_path / "f.parquet")],
    )
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error: --parquet: Parquet output needs pyarrow: pip install pyarrow"
    )
    assert not (tmp_path / "f.parquet").exists()


def test_report_command_writes_csv_and_parquet_tables(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    csv_out, parquet_out, json_out = (
        tmp_path / "tables" / "findings.csv",
        tmp_path / "findings.parquet",
        tmp_path / "report.json",
    )
    args = ["report", str(EXAMPLES / "blinken-2021-12"), "-f", "json", "-o", str(json_out)]
    result = CliRunner().invoke(
        app, [*args, "--csv", str(csv_out), "--parquet", str(parquet_out), "--no-nli"]
    )
    assert result.exit_code == 0, result.output
    # Business Insider's bullet and body are one finding (the body "also at" it)
    assert f"{csv_out}: 1 findings row(s)" in result.stderr
    findings = json.loads(json_out.read_text(encoding="utf-8"))["findings"]
    from_csv = pd.read_csv(csv_out, keep_default_na=False)
    from_parquet = pd.read_parquet(parquet_out)
    for frame in (from_csv, from_parquet):
        assert list(frame.columns) == list(FINDING_COLUMNS)
        assert frame["fingerprint"].tolist() == [f["fingerprint"] for f in findings]
        assert frame["a_text"].tolist() == [f["a"]["text"] for f in findings]
        assert int(frame["a_line"].iloc[0]) == findings[0]["a"]["line"]
        assert frame["also_at"].tolist() == [
            "; ".join(f"{p['path']}:{p['line']} ({p['kind']})" for p in f["also_at"])
            for f in findings
        ]
        assert frame["also_at"].iloc[0].endswith("business-insider.md:13 (body)")
        assert frame["grouped_fingerprints"].tolist() == ["d168d8a74e4aef76"]


def test_report_command_writes_the_claims_table(tmp_path: Path) -> None:
    out = tmp_path / "claims.csv"
    result = CliRunner().invoke(
        app,
        [
            "report",
            str(EXAMPLES / "blinken-2021-12"),
            "--no-nli",
            "--quiet",
            "--csv",
            str(out),
            "--table",
            "claims",
        ],
    )
    assert result.exit_code == 0, result.output
    claims = pd.read_csv(out, keep_default_na=False)
    assert list(claims.columns) == list(CLAIM_COLUMNS)
    assert len(claims) > 10
    assert set(claims["outlet"]) == {"Wire story", "Business Insider", "CBS News", "Reuters"}
    assert set(claims["kind"]) <= {"title", "bullet", "body"}
    for row in claims.itertuples():
        if row.kind == "title":
            assert row.line == 1
            continue
        line = Path(row.path).read_text(encoding="utf-8").splitlines()[row.line - 1]
        assert row.text.split()[0] in line
