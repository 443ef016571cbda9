"""The Python API (checker/api.py): ``check`` on an example bundle gives the report the CLI
gives, with its flat tables."""

from __future__ import annotations

from pathlib import Path

import pytest
from example_paths import EXAMPLES

from checker.api import check, check_articles, models_for
from checker.report import Report
from checker.settings import Settings
from checker.tables import CLAIM_COLUMNS, FINDING_COLUMNS

pytestmark = pytest.mark.slow  # loads the real models (a few seconds)

BLINKEN = EXAMPLES / "blinken-2021-12"


@pytest.fixture(scope="module")
def report() -> Report:
    return check([str(BLINKEN) + "/"])


def test_check_finds_the_blinken_tuesday_wednesday_contradiction(report: Report) -> None:
    assert isinstance(report, Report)
    assert report.stats["articles"] == 4 and not report.problems
    headline = report.sorted_findings()[0]
    assert (headline.verdict, headline.check) == ("contradiction", "temporal")
    assert {headline.a.outlet, headline.b.outlet} == {"Business Insider", "Wire story"}
    assert {headline.a.value, headline.b.value} == {"2021-12-14", "2021-12-15"}
    assert report.stats["contradictions"] >= 1


def test_findings_frame_of_the_api_report(report: Report) -> None:
    frame = report.findings_frame()
    assert list(frame.columns) == list(FINDING_COLUMNS)
    assert len(frame) == len(report.findings)
    first = frame.iloc[0]
    assert (first["verdict"], first["check"]) == ("contradiction", "temporal")
    assert {first["a_words"], first["b_words"]} == {"Tuesday", "Wednesday"}
    assert first["nli_contradiction_ba"] > 0.5  # the NLI model agrees


def test_claims_frame_of_the_api_report_has_every_line(report: Report) -> None:
    claims = report.claims_frame()
    assert list(claims.columns) == list(CLAIM_COLUMNS)
    assert len(claims) == sum(len(c.claims) for c in report.clusters) > 10
    assert claims["line"].notna().all()
    for row in claims.itertuples():
        if row.kind != "title":
            line = Path(row.path).read_text(encoding="utf-8").splitlines()[row.line - 1]
            assert row.text.split()[0] in line


def test_check_takes_one_path_reuses_models_and_lists_unreadable_files(tmp_path: Path) -> None:
    assert models_for(Settings(use_nli=False)) is models_for(Settings(use_nli=False))
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    rules_only = check(BLINKEN, nli=False)
    assert rules_only.stats["nli_model"] is None
    assert rules_only.sorted_findings()[0].check == "temporal"
    report = check([BLINKEN / "wire.md", tmp_path / "broken.json"], nli=False)
    assert [p.source for p in report.problems] == [str(tmp_path / "broken.json")]
    assert report.findings == [] and len(report.documents) == 1


def test_check_articles_takes_articles_in_memory() -> None:
    from claims.readers import read_bundle

    articles, _ = read_bundle([BLINKEN])
    report = check_articles(articles, nli=False)
    assert any({f.a.value, f.b.value} == {"2021-12-14", "2021-12-15"} for f in report.findings)
