"""``crossclaim batch --engine ray``: the same outputs as the local engine, from an actor pool.

Starts a local Ray cluster with 2 CPUs (two actors, each loading the models once). Skipped when
Ray is not installed (``pip install 'crossclaim[ray]'``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from batch_corpus import write_corpus
from test_make_feed import load_script
from typer.testing import CliRunner

from checker.cli.main import app

pytest.importorskip("ray", reason="Ray is not installed (pip install 'crossclaim[ray]')")

#: report fields that hold timings (they differ between any two runs).
TIMING_KEYS = ("seconds", "model_load_seconds")


@pytest.fixture(scope="module")
def feed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("feed")
    mf = load_script()
    spec = mf.FeedSpec(articles=16, max_outlets=4, fire_share=0.75, silent_share=0.25, seed=4)
    mf.generate(spec, folder, *write_corpus(folder / "corpus"))
    return folder / "articles"


def without_timings(report: dict[str, Any]) -> dict[str, Any]:
    stats = {k: v for k, v in report["stats"].items() if k not in TIMING_KEYS}
    return {**report, "stats": stats}


def test_ray_engine_writes_what_the_local_engine_writes(feed, tmp_path):
    runner = CliRunner()
    local, distributed = tmp_path / "local", tmp_path / "ray"
    done = runner.invoke(app, ["batch", str(feed), "--out", str(local), "-q"])
    assert done.exit_code == 0, done.output
    done = runner.invoke(
        app, ["batch", str(feed), "--out", str(distributed), "--engine", "ray", "--workers", "2"]
    )
    assert done.exit_code == 0, done.output

    for name in ("events.csv", "findings.csv", "articles.csv", "manifest.json"):
        assert (distributed / name).read_bytes() == (local / name).read_bytes(), name
    reports = sorted(p.name for p in (local / "reports").iterdir())
    assert reports and reports == sorted(p.name for p in (distributed / "reports").iterdir())
    for name in reports:
        mine = json.loads((local / "reports" / name).read_text(encoding="utf-8"))
        theirs = json.loads((distributed / "reports" / name).read_text(encoding="utf-8"))
        assert without_timings(theirs) == without_timings(mine), name

    summary = json.loads((distributed / "summary.json").read_text(encoding="utf-8"))
    assert summary["engine"] == "ray" and summary["workers"] == 2
    workers = summary["peak_rss_mib"]["workers"]
    assert len(workers) == 2
    assert sum(w["events"] for w in workers) == summary["counts"]["events_checked"] > 0
    assert summary["counts"]["findings"] > 0
