"""The exact fp32 ONNX path of the shipped model, the hybrid path, and the fp32 graph rewrite.

The shipped ``model_fp32.onnx`` is a graph only: it reads the int8 weights from the model's
parts and onnxruntime dequantizes them at load, so it must answer as the fp32 torch model
rebuilt from the same weights does (``training.dequantize``). The hybrid keeps int8 answers
for clear-cut pairs and re-scores the rest in exact fp32. A tiny int8 export checks that the
rewrite is general (``training.export_onnx.fp32_graph``).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from checker.cli import nli as cli_nli
from checker.nli.backends import (
    FP32_GRAPH_FILE,
    FP32_SOURCE_KEY,
    SHIPPED_DEFAULT_BACKEND,
    NLIModelError,
    known_model_id,
    load_nli,
    shipped_model_dir,
)
from checker.nli.hybrid import RESCORE_BELOW_TOP_PROBABILITY, HybridNLIModel, needs_exact
from checker.nli.selfcheck import canary_pairs, read_reference

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tiny_nli_model import build_tiny_nli_model  # noqa: E402

pytestmark = pytest.mark.skipif(
    not (shipped_model_dir() / FP32_GRAPH_FILE).is_file(), reason="no shipped fp32 graph"
)

#: the issue's bound: every probability within this of the fp32 answer.
WITHIN_FP32 = 0.02


@pytest.fixture(scope="module")
def exact() -> object:
    return load_nli("shipped", backend="onnx-fp32")


@pytest.fixture(scope="module")
def hybrid() -> HybridNLIModel:
    model = load_nli("shipped", backend="hybrid")
    assert isinstance(model, HybridNLIModel)
    return model


def _stored_fp32() -> np.ndarray:
    reference = read_reference(shipped_model_dir())
    assert reference is not None
    assert list(reference.pairs) == canary_pairs()
    return reference.probabilities


def test_exact_path_matches_fp32_torch_on_the_canary_pairs(exact: object) -> None:
    pytest.importorskip("torch")
    from checker.nli.backends import TransformersNLIModel

    torch_fp32 = TransformersNLIModel(str(shipped_model_dir())).predict(canary_pairs())
    probs = exact.predict(canary_pairs())  # type: ignore[attr-defined]
    np.testing.assert_allclose(probs, torch_fp32, atol=1e-4, rtol=0)


def test_exact_path_matches_the_stored_fp32_reference(exact: object) -> None:
    probs = exact.predict(canary_pairs())  # type: ignore[attr-defined]
    np.testing.assert_allclose(probs, _stored_fp32(), atol=1e-4, rtol=0)
    assert exact.self_check is not None and exact.self_check.max_diff < 1e-4  # type: ignore[attr-defined]


def test_hybrid_stays_within_002_of_the_stored_fp32_answers(hybrid: HybridNLIModel) -> None:
    probs = hybrid.predict(canary_pairs())
    assert float(np.abs(probs - _stored_fp32()).max()) <= WITHIN_FP32


def test_hybrid_rescores_a_pair_forced_below_the_margin(hybrid: HybridNLIModel) -> None:
    pairs = canary_pairs()[:2]
    int8 = hybrid.int8.predict(pairs)
    exact = hybrid.exact.predict(pairs)
    margin = hybrid.rescore_below
    try:
        hybrid.rescore_below = 0.0  # nothing is unclear: the int8 answers come back
        before = hybrid.rescored
        np.testing.assert_allclose(hybrid.predict(pairs), int8, atol=1e-6)
        assert hybrid.rescored == before and hybrid.last_rescored == 0
        # a margin just above the first pair's int8 top probability forces that pair alone
        first, second = int8.max(axis=1)
        hybrid.rescore_below = float(first) + 1e-6
        expected = int(second < hybrid.rescore_below) + 1
        probs = hybrid.predict(pairs)
        assert hybrid.rescored == before + expected and hybrid.last_rescored == expected
        np.testing.assert_allclose(probs[0], exact[0], atol=1e-6)
    finally:
        hybrid.rescore_below = margin


def test_needs_exact_flags_rows_whose_top_probability_is_below_the_margin() -> None:
    probs = np.array([[0.995, 0.003, 0.002], [0.7, 0.2, 0.1], [0.2, 0.2, 0.6]])
    assert needs_exact(probs, 0.99).tolist() == [False, True, True]
    assert needs_exact(probs, 0.0).tolist() == [False, False, False]
    assert needs_exact(np.zeros((0, 3)), 0.99).shape == (0,)
    assert 0.5 < RESCORE_BELOW_TOP_PROBABILITY <= 1.0


def test_default_path_and_model_ids_name_the_numeric_path() -> None:
    model = load_nli()
    assert model.backend == SHIPPED_DEFAULT_BACKEND  # type: ignore[attr-defined]
    assert model.model_id == known_model_id("shipped")
    base = known_model_id("shipped", backend="onnx")
    assert base is not None and base.startswith("shipped:") and len(base) == len("shipped:") + 12
    assert known_model_id("shipped", backend="onnx-fp32") == f"{base}:fp32"
    assert known_model_id("shipped", backend="hybrid", rescore_below=0.9) == f"{base}:hybrid<0.9"


def test_default_path_imports_neither_torch_nor_transformers() -> None:
    code = (
        "import sys; from checker.nli.backends import load_nli; "
        "m = load_nli(); m.predict([('It rained.', 'It was dry.')]); "
        "print(m.backend, sorted(x for x in ('torch', 'transformers', 'onnx') if x in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=180
    )
    assert done.stdout.strip() == f"{SHIPPED_DEFAULT_BACKEND} []"


def test_fp32_graph_made_for_other_weights_is_refused(tmp_path: Path) -> None:
    onnx = pytest.importorskip("onnx")
    folder = tmp_path / "shipped"
    folder.mkdir()
    for path in shipped_model_dir().iterdir():
        if path.is_file() and path.name != FP32_GRAPH_FILE:
            # a copy: onnxruntime refuses external data behind a symlink that leaves the
            # folder, and onnx.load refuses a file with several hard links (the shipped one)
            shutil.copyfile(path, folder / path.name)
    graph = onnx.load(str(shipped_model_dir() / FP32_GRAPH_FILE), load_external_data=False)
    for entry in graph.metadata_props:
        if entry.key == FP32_SOURCE_KEY:
            entry.value = "0" * 64
    onnx.save(graph, str(folder / FP32_GRAPH_FILE))
    with pytest.raises(NLIModelError, match="made for other int8 weights") as caught:
        load_nli(str(folder), backend="onnx-fp32")
    assert "\n" not in str(caught.value)


def test_cli_predict_says_which_path_ran_and_what_was_rescored(tmp_path: Path) -> None:
    root = typer.Typer()

    @root.callback()
    def main() -> None:
        """test root"""

    cli_nli.register(root)
    src = tmp_path / "pairs.jsonl"
    rows = [{"premise": p, "hypothesis": h} for p, h in canary_pairs()[:4]]
    src.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    out = tmp_path / "preds.jsonl"
    runner = CliRunner()
    default = runner.invoke(
        root, ["nli", "predict", "-i", str(src), "-o", str(out), "--backend", "onnx-fp32"]
    )
    assert default.exit_code == 0, default.output
    assert "exact fp32 onnx" in default.output
    written = np.array([list(json.loads(line).values()) for line in out.read_text().splitlines()])
    np.testing.assert_allclose(written, _stored_fp32()[:4], atol=1e-4)
    result = runner.invoke(
        root, ["nli", "predict", "-i", str(src), "-o", str(out), "--backend", "hybrid"]
    )
    assert result.exit_code == 0, result.output
    assert "hybrid: int8 onnx;" in result.output and "of 4 pairs re-scored in exact fp32" in (
        result.output
    )


def test_rewrite_of_a_tiny_int8_export_matches_torch(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    from checker.nli.backends import TransformersNLIModel
    from training.export_onnx import export_model

    pairs = canary_pairs()
    source = build_tiny_nli_model(
        tmp_path / "src", {0: "entailment", 1: "neutral", 2: "contradiction"}, pairs
    )
    out = tmp_path / "export"
    info = export_model(source, out, quantize=True)
    assert (out / FP32_GRAPH_FILE).is_file() and info["fp32_graph"]["file"] == FP32_GRAPH_FILE
    # the fp32 reference of an int8 export: its own weights dequantized, rebuilt in torch
    torch_fp32 = TransformersNLIModel(str(out)).predict(pairs)
    exact = load_nli(str(out), backend="onnx-fp32")
    np.testing.assert_allclose(exact.predict(pairs), torch_fp32, atol=1e-4, rtol=0)
    # the export's canary reference is that dequantized model too
    assert exact.self_check is not None and exact.self_check.max_diff < 1e-4  # type: ignore[attr-defined]
    assert (
        "dequantized"
        in json.loads((out / "model_info.json").read_text())["self_check"]["reference_backend"]
    )
    int8 = load_nli(str(out), backend="onnx", self_check=False).predict(pairs)
    assert float(np.abs(int8 - torch_fp32).max()) > 1e-3  # int8 itself is not exact
