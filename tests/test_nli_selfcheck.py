"""The NLI self-check on load: canary pairs against stored fp32 answers, and the fallback.

A tiny model is exported here (its ``model_info.json`` gets the canary reference from torch);
copies of it are then broken in two ways: the ONNX graph alone (what a broken int8 kernel on one
CPU looks like: the torch backend, rebuilt from the same weights, still answers right), and the
weights themselves (no backend can pass).
"""

from __future__ import annotations

import json
import logging
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from checker.cli.main import app
from checker.nli.backends import NLIModelError, load_nli, shipped_model_dir
from checker.nli.selfcheck import CANARY_PAIRS, DEFAULT_TOLERANCE, read_reference

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tiny_nli_model import build_tiny_nli_model  # noqa: E402

ID2LABEL = {0: "entailment", 1: "neutral", 2: "contradiction"}


@pytest.fixture(scope="module")
def tiny_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from training.export_onnx import export_model

    pairs = [(p, h) for p, h, _ in CANARY_PAIRS]
    # a large classifier scale: far-from-uniform answers, so a constant output is caught
    source = build_tiny_nli_model(
        tmp_path_factory.mktemp("tiny_src"), ID2LABEL, pairs, classifier_scale=2000.0
    )
    out = tmp_path_factory.mktemp("tiny_export") / "nli_model"
    export_model(source, out, quantize=False)
    return out


def _copy(folder: Path, tmp_path: Path) -> Path:
    target = tmp_path / "model"
    shutil.copytree(folder, target)
    return target


def _zero_the_logits(model_dir: Path) -> None:
    """Rewrite model.onnx so that it answers the same for every input (a broken kernel)."""
    import onnx
    from onnx import helper

    path = model_dir / "model.onnx"
    model = onnx.load(str(path))
    for node in model.graph.node:
        for index, name in enumerate(node.output):
            if name == "logits":
                node.output[index] = "logits_raw"
    zero = helper.make_tensor("zero_scale", onnx.TensorProto.FLOAT, [], [0.0])
    model.graph.initializer.append(zero)
    model.graph.node.append(helper.make_node("Mul", ["logits_raw", "zero_scale"], ["logits"]))
    onnx.save(model, str(path))


def _scramble_the_weights(model_dir: Path) -> None:
    """Shuffle every large weight tensor in model.onnx: both backends read these."""
    import onnx
    from onnx import numpy_helper

    path = model_dir / "model.onnx"
    model = onnx.load(str(path))
    rng = np.random.default_rng(0)
    for index, tensor in enumerate(model.graph.initializer):
        array = numpy_helper.to_array(tensor)
        if array.dtype == np.float32 and array.size >= 64:
            shuffled = rng.permutation(array.ravel()).reshape(array.shape) * 3.0
            model.graph.initializer[index].CopyFrom(
                numpy_helper.from_array(shuffled.astype(np.float32), tensor.name)
            )
    onnx.save(model, str(path))


def test_export_stores_canary_pairs_with_their_fp32_answers(tiny_export: Path) -> None:
    reference = read_reference(tiny_export)
    assert reference is not None
    assert len(reference.pairs) == len(CANARY_PAIRS)
    assert reference.probabilities.shape == (len(CANARY_PAIRS), 3)
    np.testing.assert_allclose(reference.probabilities.sum(axis=1), 1.0, atol=1e-4)
    assert reference.tolerance == DEFAULT_TOLERANCE
    assert "torch" in reference.backend


def test_a_sound_model_passes_its_self_check_on_the_onnx_backend(tiny_export: Path) -> None:
    model = load_nli(str(tiny_export))
    assert model.backend == "onnx"
    assert model.self_check is not None and model.self_check.passed
    assert model.self_check.max_diff is not None and model.self_check.max_diff < 1e-3


def test_a_broken_onnx_graph_falls_back_to_torch_with_one_warning(
    tiny_export: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    broken = _copy(tiny_export, tmp_path)
    _zero_the_logits(broken)
    with caplog.at_level(logging.WARNING, logger="checker.nli.backends"):
        model = load_nli(str(broken))
    assert model.backend == "transformers"
    assert model.self_check is not None and model.self_check.passed
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and "\n" not in warnings[0]
    assert "self-check FAILED" in warnings[0] and "fp32 torch" in warnings[0]


def test_a_broken_backend_asked_for_by_name_is_refused(tiny_export: Path, tmp_path: Path) -> None:
    broken = _copy(tiny_export, tmp_path)
    _zero_the_logits(broken)
    with pytest.raises(NLIModelError, match="no backend passed") as caught:
        load_nli(str(broken), backend="onnx")
    assert "\n" not in str(caught.value)


def test_broken_weights_fail_every_backend_and_stop(tiny_export: Path, tmp_path: Path) -> None:
    broken = _copy(tiny_export, tmp_path)
    _scramble_the_weights(broken)
    with pytest.raises(NLIModelError, match="no backend passed") as caught:
        load_nli(str(broken))
    message = str(caught.value)
    assert "onnx" in message and "torch" in message and "\n" not in message


def test_self_check_can_be_skipped_for_tools_that_measure_broken_models(
    tiny_export: Path, tmp_path: Path
) -> None:
    broken = _copy(tiny_export, tmp_path)
    _zero_the_logits(broken)
    model = load_nli(str(broken), backend="onnx", self_check=False)
    assert model.self_check is None
    probs = model.predict([(p, h) for p, h, _ in CANARY_PAIRS[:3]])
    assert np.allclose(probs, 1 / 3)


def test_a_malformed_self_check_section_is_a_one_line_error(
    tiny_export: Path, tmp_path: Path
) -> None:
    broken = _copy(tiny_export, tmp_path)
    info_path = broken / "model_info.json"
    info = json.loads(info_path.read_text(encoding="utf-8"))
    info["self_check"]["reference"] = [[0.5, 0.5]]
    info_path.write_text(json.dumps(info), encoding="utf-8")
    with pytest.raises(NLIModelError, match="self_check reference does not match"):
        load_nli(str(broken))


def test_nli_check_command_prints_cpu_backend_self_check_and_speed(tiny_export: Path) -> None:
    result = CliRunner().invoke(app, ["nli", "check", "--model", str(tiny_export), "--pairs", "8"])
    assert result.exit_code == 0, result.output
    assert "cpu" in result.output and ("VNNI" in result.output)
    assert "onnx (onnxruntime)" in result.output
    assert "self-check     passed" in result.output
    assert "pairs/s" in result.output


def test_nli_check_command_exits_2_when_no_backend_passes(
    tiny_export: Path, tmp_path: Path
) -> None:
    broken = _copy(tiny_export, tmp_path)
    _scramble_the_weights(broken)
    result = CliRunner().invoke(app, ["nli", "check", "--model", str(broken), "--pairs", "0"])
    assert result.exit_code == 2
    assert "no backend passed" in result.output


def test_shipped_int8_weights_use_seven_bits_so_no_cpu_saturates() -> None:
    """Full-range int8 weights saturate U8S8 kernels without VNNI; |w| <= 64 keeps u8*w pair sums
    (2 x 255 x 64 = 32,640) inside int16 on every CPU."""
    import onnx
    from onnx import numpy_helper

    model = onnx.load(str(shipped_model_dir() / "model.onnx"), load_external_data=True)
    quantized = [
        numpy_helper.to_array(t)
        for t in model.graph.initializer
        if t.name.endswith("_quantized") and t.data_type == onnx.TensorProto.INT8
    ]
    assert len(quantized) >= 36  # 6 layers x (4 attention + 2 feed-forward) matrices
    assert all(int(np.abs(q.astype(np.int16)).max()) <= 64 for q in quantized)


def test_shipped_model_stores_a_reference_and_passes_it_on_onnx() -> None:
    assert read_reference(shipped_model_dir()) is not None
    model = load_nli("shipped", backend="onnx")
    assert model.self_check is not None and model.self_check.passed
    assert model.self_check.labels_right == len(CANARY_PAIRS)


#: the accuracy floor for the shipped model through the default backend on held-out SNLI pairs:
#: it scores about 0.85 there; a broken kernel that answers the same for every pair scores 0.33.
SHIPPED_MIN_ACCURACY = 0.80


def test_shipped_model_through_the_default_backend_is_accurate_on_held_out_pairs() -> None:
    """300 SNLI test pairs (a fixed seeded sample, read from ../shared) through ``load_nli()``."""
    import random

    from training import data as nli_data

    if not (nli_data.SHARED_NLI / "esnli_snli_devtest").is_dir():
        pytest.skip("../shared/data/nli is not beside this checkout")
    examples = nli_data.snli("test")
    random.Random(11).shuffle(examples)
    sample = examples[:300]
    model = load_nli()
    probs = model.predict([(e.premise, e.hypothesis) for e in sample])
    predicted = [("entailment", "neutral", "contradiction")[i] for i in probs.argmax(axis=1)]
    accuracy = float(np.mean([p == e.label for p, e in zip(predicted, sample, strict=True)]))
    assert accuracy >= SHIPPED_MIN_ACCURACY, f"{model.backend}: accuracy {accuracy:.3f}"
