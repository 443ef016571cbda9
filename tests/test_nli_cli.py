"""``crossclaim nli predict`` / ``evaluate`` on a tiny model built offline (see test_nli.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from checker.cli import nli as cli_nli
from checker.cli.nli import PairFileError, nli_metrics, read_pairs
from checker.nli.backends import load_nli

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_nli import PAIRS, SCRAMBLED  # noqa: E402
from tiny_nli_model import build_tiny_nli_model  # noqa: E402


@pytest.fixture(scope="module")
def tiny_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_nli_model(tmp_path_factory.mktemp("tiny_cli"), SCRAMBLED, PAIRS)


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    root = typer.Typer()

    @root.callback()
    def main() -> None:
        """test root"""

    cli_nli.register(root)
    return root


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_predict_writes_one_probability_line_per_pair_in_order(
    app: typer.Typer, tiny_dir: Path, tmp_path: Path
) -> None:
    src = _write(
        tmp_path / "pairs.jsonl",
        [json.dumps({"premise": p, "hypothesis": h}) for p, h in PAIRS],
    )
    out = tmp_path / "preds.jsonl"
    result = CliRunner().invoke(
        app,
        ["nli", "predict", "-i", str(src), "-o", str(out), "--model", str(tiny_dir)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == len(PAIRS)
    assert all(list(r) == ["entailment", "neutral", "contradiction"] for r in rows)
    expected = load_nli(str(tiny_dir)).predict(PAIRS)
    got = np.array([[r["entailment"], r["neutral"], r["contradiction"]] for r in rows])
    np.testing.assert_allclose(got, expected, atol=1e-4)


def test_malformed_line_is_reported_with_its_number_and_nothing_written(
    app: typer.Typer, tiny_dir: Path, tmp_path: Path
) -> None:
    src = _write(
        tmp_path / "bad.jsonl",
        [
            json.dumps({"premise": "a", "hypothesis": "b"}),
            "{not json",
            json.dumps({"premise": "a"}),
            json.dumps({"premise": "a", "hypothesis": "b"}),
        ],
    )
    out = tmp_path / "preds.jsonl"
    result = CliRunner().invoke(
        app, ["nli", "predict", "-i", str(src), "-o", str(out), "--model", str(tiny_dir)]
    )
    assert result.exit_code == 2
    assert f"{src}:2: not valid JSON" in result.output
    assert f'{src}:3: "hypothesis" missing' in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_missing_model_directory_is_one_line_error(app: typer.Typer, tmp_path: Path) -> None:
    src = _write(tmp_path / "p.jsonl", [json.dumps({"premise": "a", "hypothesis": "b"})])
    result = CliRunner().invoke(
        app,
        ["nli", "predict", "-i", str(src), "-o", str(tmp_path / "o"), "--model", "/no/model"],
    )
    assert result.exit_code == 2
    assert "directory not found: /no/model" in result.output


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "no pairs"),
        (b"\x00\x01\x02binary", "binary file"),
        (b'{"premise": "caf\xe9", "hypothesis": "x"}\n', "not UTF-8"),
        (b"[1, 2]\n", "expected a JSON object"),
    ],
)
def test_bad_input_files_give_a_clear_error_naming_the_file(
    tmp_path: Path, content: bytes, problem: str
) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(content)
    with pytest.raises(PairFileError) as info:
        read_pairs(path)
    assert str(path) in info.value.problems[0]
    assert problem in info.value.problems[0]


def test_missing_input_file_is_reported(app: typer.Typer, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["nli", "predict", "-i", str(tmp_path / "nope.jsonl"), "-o", str(tmp_path / "o")]
    )
    assert result.exit_code == 2
    assert "nope.jsonl: cannot read" in result.output


def test_evaluate_prints_accuracy_and_contradiction_scores_per_file(
    app: typer.Typer, tiny_dir: Path, tmp_path: Path
) -> None:
    labels = ["entailment", "contradiction", "neutral", "contradiction", "neutral"]
    src = _write(
        tmp_path / "gold.jsonl",
        [
            json.dumps({"premise": p, "hypothesis": h, "label": lab})
            for (p, h), lab in zip(PAIRS, labels, strict=True)
        ],
    )
    result = CliRunner().invoke(
        app, ["nli", "evaluate", "-i", str(src), "--model", str(tiny_dir)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    expected = nli_metrics(load_nli(str(tiny_dir)).predict(PAIRS), labels)
    line = next(x for x in result.output.splitlines() if x.startswith("gold.jsonl"))
    assert line.split()[1:3] == [str(len(PAIRS)), f"{expected['accuracy']:.3f}"]


def test_evaluate_requires_known_labels(app: typer.Typer, tiny_dir: Path, tmp_path: Path) -> None:
    src = _write(
        tmp_path / "gold.jsonl", [json.dumps({"premise": "a", "hypothesis": "b", "label": "yes"})]
    )
    result = CliRunner().invoke(app, ["nli", "evaluate", "-i", str(src), "--model", str(tiny_dir)])
    assert result.exit_code == 2
    assert ':1: "label" must be one of' in result.output


def test_nli_metrics_counts_contradiction_precision_and_recall() -> None:
    probs = np.array([[0.1, 0.1, 0.8], [0.1, 0.1, 0.8], [0.8, 0.1, 0.1], [0.1, 0.1, 0.8]])
    metrics = nli_metrics(probs, ["contradiction", "neutral", "contradiction", "contradiction"])
    assert metrics["contradiction_precision"] == pytest.approx(2 / 3, abs=1e-4)
    assert metrics["contradiction_recall"] == pytest.approx(2 / 3, abs=1e-4)
    assert metrics["accuracy"] == 0.5
