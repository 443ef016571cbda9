"""Baseline files: round trip, merging that keeps people's edits, bad files, atomic writes, and
dismissed findings that stay quiet when a bundle is renamed, re-ordered or re-ingested."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from gate_report_factory import BLINKEN, blinken_report, copy_bundle

from checker.gate.baseline import (
    SCHEMA,
    Baseline,
    BaselineError,
    entry_for,
    load_baseline,
    merge_baseline,
    write_baseline,
)
from checker.gate.decide import GateBar, evaluate_gate
from claims.readers import read_bundle

WHEN = "2021-12-16T09:00:00Z"


def test_written_baseline_reads_back_with_every_field(tmp_path: Path) -> None:
    report = blinken_report()
    baseline, added = merge_baseline(
        Baseline(), report.findings, who="desk", when=WHEN, why="checked by phone"
    )
    path = tmp_path / "baseline.json"
    write_baseline(path, baseline)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["schema"] == SCHEMA and added == 2
    assert set(data["accepted"][0]) == {
        "fingerprint", "check", "verdict", "a_outlet", "b_outlet", "a_text", "b_text",
        "status", "who", "when", "why",
    }  # fmt: skip
    assert load_baseline(path) == baseline


def test_merge_keeps_a_persons_edits_and_adds_only_new_findings() -> None:
    first, second = blinken_report().findings
    edited = entry_for(first, who="ana", when=WHEN, why="AP corrected later", status="dismissed")
    merged, added = merge_baseline(
        Baseline([edited]), [first, second], who="bot", when="2022-01-01T00:00:00Z", why=""
    )
    assert added == 1
    assert merged.accepted[0] == edited
    assert merged.accepted[1].fingerprint == second.fingerprint
    assert merged.accepted[1].who == "bot" and merged.accepted[1].status == "accepted"


def test_merge_with_prune_drops_entries_no_longer_found() -> None:
    first, second = blinken_report().findings
    old = Baseline(
        [
            entry_for(first, who="a", when=WHEN, why=""),
            entry_for(second, who="a", when=WHEN, why=""),
        ]
    )
    kept, _ = merge_baseline(old, [second], who="b", when=WHEN, why="")
    pruned, _ = merge_baseline(old, [second], who="b", when=WHEN, why="", prune=True)
    assert len(kept.accepted) == 2
    assert [e.fingerprint for e in pruned.accepted] == [second.fingerprint]


def test_dismissed_finding_stays_quiet_after_files_are_renamed_and_reordered(
    tmp_path: Path,
) -> None:
    first = copy_bundle(tmp_path / "run1")
    report = blinken_report([first])
    headline = report.sorted_findings()[0]
    path = tmp_path / "baseline.json"
    write_baseline(
        path, Baseline([entry_for(headline, who="ed", when=WHEN, why="", status="dismissed")])
    )

    # the same articles, re-ingested under other names, so the reader sees them in another order
    renamed = {"wire.md": "a-wire.md", "business-insider.md": "z-bi.md", "cbs-news.md": "m-cbs.md"}
    second = copy_bundle(tmp_path / "run2", rename=renamed)
    again = blinken_report([second])
    names_before = [Path(d.source).name for d in report.documents]
    names_after = [Path(d.source).name for d in again.documents]
    assert [d.outlet for d in report.documents] != [d.outlet for d in again.documents]
    assert names_before != names_after

    result = evaluate_gate(again.findings, load_baseline(path), GateBar("divergence"))
    assert headline.fingerprint in {f.fingerprint for f, _ in result.baselined}
    assert all(f.check != "temporal" for f in result.new)
    assert result.baselined[0][1].status == "dismissed"


def test_dismissed_finding_stays_quiet_when_reingested_as_jsonl(tmp_path: Path) -> None:
    articles, _ = read_bundle([BLINKEN])
    jsonl = tmp_path / "ingested.jsonl"
    lines = [
        json.dumps(
            {
                "outlet": a.outlet,
                "title": a.title,
                "published": a.published.isoformat(),
                "text": a.text,
            }
        )
        for a in reversed(articles)
    ]
    jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    headline = blinken_report().sorted_findings()[0]
    baseline = Baseline([entry_for(headline, who="ed", when=WHEN, why="", status="dismissed")])
    again = blinken_report([jsonl])
    assert {d.source.rsplit(":", 1)[0] for d in again.documents} == {str(jsonl)}
    result = evaluate_gate(again.findings, baseline, GateBar())
    assert result.failing == [] and len(result.baselined) == 1


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"{not json", "not valid JSON (line 1, column 2)"),
        (b"  \n", "baseline is empty"),
        (b"\xff\xfe\x00binary", "not UTF-8 text"),
        (b'{"schema": "other/v1", "accepted": []}', "not a crossclaim baseline"),
        (b'{"schema": "crossclaim.baseline/v1", "accepted": {}}', "'accepted' must be a list"),
        (
            b'{"schema": "crossclaim.baseline/v1", "accepted": [{"fingerprint": "x"}]}',
            "accepted[0]: missing field(s) check, verdict",
        ),
        (
            json.dumps(
                {
                    "schema": SCHEMA,
                    "accepted": [
                        dict.fromkeys(
                            [
                                "fingerprint",
                                "check",
                                "verdict",
                                "a_outlet",
                                "b_outlet",
                                "a_text",
                                "b_text",
                            ],
                            "x",
                        )
                        | {"status": "ignored"}
                    ],
                }
            ).encode(),
            "status must be one of accepted, dismissed, not 'ignored'",
        ),
    ],
)
def test_a_bad_baseline_file_gives_one_line_naming_the_file(
    tmp_path: Path, content: bytes, problem: str
) -> None:
    path = tmp_path / "baseline.json"
    path.write_bytes(content)
    with pytest.raises(BaselineError) as caught:
        load_baseline(path)
    message = str(caught.value)
    assert message.startswith(str(path)) and problem in message and "\n" not in message


def test_a_huge_baseline_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import checker.gate.baseline

    monkeypatch.setattr(checker.gate.baseline, "MAX_BASELINE_BYTES", 10)
    path = tmp_path / "baseline.json"
    write_baseline(path, Baseline())
    with pytest.raises(BaselineError, match="larger than 10 bytes"):
        load_baseline(path)


def test_a_missing_baseline_file_is_a_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(BaselineError, match="cannot read baseline"):
        load_baseline(tmp_path / "nope.json")


def test_a_failed_write_leaves_the_old_baseline_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "baseline.json"
    write_baseline(path, Baseline())
    before = path.read_bytes()

    def crash(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        write_baseline(
            path, Baseline([entry_for(blinken_report().findings[0], who="", when="", why="")])
        )
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["baseline.json"]
