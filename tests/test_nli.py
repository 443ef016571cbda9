"""NLI backends, exercised offline on a tiny randomly initialised BERT built here.

The tiny model stores its labels in a scrambled order, so these tests check that ``predict``
always returns entailment, neutral, contradiction columns whatever the model's id2label says.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

from checker.nli.backends import (
    LABELS,
    NLIModel,
    NLIModelError,
    OnnxNLIModel,
    TransformersNLIModel,
    label_columns,
    length_batches,
    load_nli,
    model_sha256,
    onnx_model_files,
    shipped_model_dir,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tiny_nli_model import build_tiny_nli_model  # noqa: E402

SCRAMBLED = {0: "CONTRADICTION", 1: "Entailment", 2: "neutral"}
PAIRS = [
    ("Blinken tested negative on Wednesday in Kuala Lumpur.", "Blinken tested negative."),
    ("The trip was cut short.", "The trip was not cut short."),
    ("A man plays.", "Someone plays a long and complicated game of chess in the park today."),
    ("Price said the case was confirmed on Wednesday.", "The case was confirmed on Tuesday."),
    ("x", "y"),
]


@pytest.fixture(scope="module")
def tiny_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_nli_model(tmp_path_factory.mktemp("tiny_nli"), SCRAMBLED, PAIRS)


@pytest.fixture(scope="module")
def tiny_onnx_dir(tiny_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from training.export_onnx import export_model

    out = tmp_path_factory.mktemp("tiny_onnx") / "nli_model"
    export_model(tiny_dir, out, check_pairs=PAIRS, quantize=False)
    return out


def _raw_logit_probs(model_dir: Path, pairs: list[tuple[str, str]]) -> np.ndarray:
    """Probabilities in the model's own (scrambled) column order, one pair at a time."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(model_dir))
    model = AutoModelForSequenceClassification.from_pretrained(str(model_dir)).eval()
    rows = []
    with torch.inference_mode():
        for p, h in pairs:
            rows.append(torch.softmax(model(**tok(p, h, return_tensors="pt")).logits, -1)[0])
    return torch.stack(rows).numpy()


def test_label_columns_maps_case_insensitive_names_to_fixed_order() -> None:
    assert label_columns(SCRAMBLED) == [1, 2, 0]


@pytest.mark.parametrize(
    "id2label",
    [
        {0: "LABEL_0", 1: "LABEL_1", 2: "LABEL_2"},
        {0: "entailment", 1: "not_entailment"},
        {0: "entailment", 1: "neutral", 2: "contradiction", 3: "other"},
    ],
)
def test_label_columns_rejects_models_without_the_three_nli_labels(id2label: dict) -> None:
    with pytest.raises(NLIModelError, match="not entailment/neutral/contradiction"):
        label_columns(id2label)


def test_length_batches_cover_every_index_once_longest_first() -> None:
    batches = list(length_batches([5, 1, 9, 3, 7], 2))
    assert batches == [[2, 4], [0, 3], [1]]
    assert sorted(i for b in batches for i in b) == [0, 1, 2, 3, 4]


def test_transformers_backend_returns_columns_in_label_order(tiny_dir: Path) -> None:
    model = load_nli(str(tiny_dir))
    assert isinstance(model, TransformersNLIModel)
    assert isinstance(model, NLIModel)
    probs = model.predict(PAIRS, batch_size=2)
    raw = _raw_logit_probs(tiny_dir, PAIRS)
    # raw columns are contradiction, entailment, neutral
    np.testing.assert_allclose(probs, raw[:, [1, 2, 0]], atol=1e-4)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-5)


def test_batching_does_not_change_results_or_order(tiny_dir: Path) -> None:
    model = load_nli(str(tiny_dir))
    one_by_one = np.vstack([model.predict([pair]) for pair in PAIRS])
    np.testing.assert_allclose(model.predict(PAIRS, batch_size=3), one_by_one, atol=1e-4)
    reversed_probs = model.predict(PAIRS[::-1], batch_size=4)
    np.testing.assert_allclose(reversed_probs[::-1], one_by_one, atol=1e-4)


def test_onnx_backend_matches_transformers_on_same_weights(
    tiny_dir: Path, tiny_onnx_dir: Path
) -> None:
    onnx_model = load_nli(str(tiny_onnx_dir), backend="onnx")
    assert isinstance(onnx_model, OnnxNLIModel)
    reference = load_nli(str(tiny_dir)).predict(PAIRS)
    np.testing.assert_allclose(onnx_model.predict(PAIRS, batch_size=2), reference, atol=1e-4)
    info = json.loads((tiny_onnx_dir / "model_info.json").read_text())
    assert info["onnx_vs_torch"]["label_agreement"] == 1.0


def test_exported_folder_without_torch_weights_loads_onnx_by_default(tiny_onnx_dir: Path) -> None:
    assert isinstance(load_nli(str(tiny_onnx_dir)), OnnxNLIModel)


def test_transformers_backend_runs_the_exported_onnx_weights(
    tiny_dir: Path, tiny_onnx_dir: Path
) -> None:
    rebuilt = load_nli(str(tiny_onnx_dir), backend="transformers")
    assert isinstance(rebuilt, TransformersNLIModel)
    reference = load_nli(str(tiny_dir)).predict(PAIRS)
    np.testing.assert_allclose(rebuilt.predict(PAIRS), reference, atol=1e-4)


def test_int8_weights_rebuilt_for_torch_stay_within_quantization_error(
    tiny_dir: Path, tmp_path: Path
) -> None:
    import torch
    from transformers import AutoModelForSequenceClassification

    from checker.nli.backends import torch_model_from_onnx
    from training.export_onnx import export_model

    out = tmp_path / "int8"
    export_model(tiny_dir, out, quantize=True)
    original = AutoModelForSequenceClassification.from_pretrained(str(tiny_dir)).state_dict()
    rebuilt = torch_model_from_onnx(out).state_dict()
    for name, value in original.items():
        if not torch.is_floating_point(value):
            continue
        # one step of the 7-bit weights (reduce_range) over the tensor's range
        bound = float(value.max() - value.min()) / 127 + 1e-6
        assert float((rebuilt[name] - value).abs().max()) <= bound, name


@pytest.fixture(scope="module")
def split_onnx_dir(
    tiny_dir: Path, tiny_onnx_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    from training.export_onnx import export_model

    out = tmp_path_factory.mktemp("split_onnx") / "nli_model"
    limit = (tiny_onnx_dir / "model.onnx").stat().st_size // 2
    export_model(tiny_dir, out, quantize=False, max_file_bytes=limit)
    return out


def test_export_over_the_file_limit_is_split_into_parts_under_it(
    tiny_onnx_dir: Path, split_onnx_dir: Path
) -> None:
    limit = (tiny_onnx_dir / "model.onnx").stat().st_size // 2
    files = onnx_model_files(split_onnx_dir)
    assert [p.name for p in files[:3]] == ["model.onnx", "model.onnx.part0", "model.onnx.part1"]
    assert all(p.stat().st_size <= limit for p in files)
    info = json.loads((split_onnx_dir / "model_info.json").read_text(encoding="utf-8"))
    assert info["onnx_files"] == [p.name for p in files]
    assert info["sha256"] == model_sha256(split_onnx_dir)


def test_split_export_predicts_like_the_single_file_on_both_backends(
    tiny_dir: Path, tiny_onnx_dir: Path, split_onnx_dir: Path
) -> None:
    single = load_nli(str(tiny_onnx_dir), backend="onnx").predict(PAIRS)
    np.testing.assert_allclose(
        load_nli(str(split_onnx_dir), backend="onnx").predict(PAIRS), single, atol=1e-6
    )
    reference = load_nli(str(tiny_dir)).predict(PAIRS)
    rebuilt = load_nli(str(split_onnx_dir), backend="transformers").predict(PAIRS)
    np.testing.assert_allclose(rebuilt, reference, atol=1e-4)


def test_model_id_of_a_split_export_changes_with_any_part(
    split_onnx_dir: Path, tmp_path: Path
) -> None:
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(split_onnx_dir, copy)
    assert model_sha256(copy) == model_sha256(split_onnx_dir)
    part = copy / "model.onnx.part1"
    data = bytearray(part.read_bytes())
    data[-1] ^= 0xFF
    part.write_bytes(bytes(data))
    assert model_sha256(copy) != model_sha256(split_onnx_dir)


def test_split_export_with_a_missing_part_is_a_one_line_error(
    split_onnx_dir: Path, tmp_path: Path
) -> None:
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(split_onnx_dir, copy)
    (copy / "model.onnx.part0").unlink()
    with pytest.raises(NLIModelError) as info:
        load_nli(str(copy), backend="onnx")
    assert "\n" not in str(info.value)


def test_onnx_backend_imports_neither_torch_nor_transformers(tiny_onnx_dir: Path) -> None:
    import subprocess

    code = (
        "import sys; from checker.nli.backends import load_nli; "
        f"m = load_nli({str(tiny_onnx_dir)!r}, backend='onnx'); m.predict([('a b', 'c')]); "
        "print(sorted(x for x in ('torch', 'transformers') if x in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "[]"


def test_long_inputs_are_truncated_to_max_length(tiny_onnx_dir: Path) -> None:
    model = load_nli(str(tiny_onnx_dir), backend="onnx", max_length=16)
    long_premise = " ".join(["Blinken tested negative on Wednesday."] * 200)
    probs = model.predict([(long_premise, "Blinken tested negative.")])
    assert probs.shape == (1, 3)


def test_onnx_model_id_changes_with_the_weights(tiny_onnx_dir: Path) -> None:
    first = load_nli(str(tiny_onnx_dir), backend="onnx").model_id
    assert first == load_nli(str(tiny_onnx_dir), backend="onnx").model_id
    assert len(first.rsplit(":", 1)[1]) == 12


def test_empty_input_gives_empty_array(tiny_onnx_dir: Path) -> None:
    assert load_nli(str(tiny_onnx_dir), backend="onnx").predict([]).shape == (0, 3)


def test_model_with_generic_labels_is_refused_with_one_line_error(tmp_path: Path) -> None:
    directory = build_tiny_nli_model(
        tmp_path / "generic", {0: "LABEL_0", 1: "LABEL_1", 2: "LABEL_2"}, PAIRS
    )
    with pytest.raises(NLIModelError) as info:
        load_nli(str(directory))
    assert "\n" not in str(info.value)


def test_missing_directory_is_a_one_line_error() -> None:
    with pytest.raises(NLIModelError, match="directory not found: /no/such/model"):
        load_nli("/no/such/model")


def test_onnx_folder_without_tokenizer_names_the_missing_file(tmp_path: Path) -> None:
    (tmp_path / "model.onnx").write_bytes(b"not a model")
    with pytest.raises(NLIModelError, match="lacks tokenizer.json"):
        load_nli(str(tmp_path), backend="onnx")


def test_corrupt_onnx_file_is_a_one_line_error(tiny_onnx_dir: Path, tmp_path: Path) -> None:
    for name in ("tokenizer.json", "config.json"):
        (tmp_path / name).write_bytes((tiny_onnx_dir / name).read_bytes())
    (tmp_path / "model.onnx").write_bytes(b"\x00garbage")
    with pytest.raises(NLIModelError, match="onnxruntime cannot load it"):
        load_nli(str(tmp_path), backend="onnx")


def test_uncached_hub_id_offline_is_a_one_line_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(NLIModelError) as info:
        load_nli("crossclaim-test/no-such-model-xyz")
    assert "no-such-model-xyz" in str(info.value)
    assert "\n" not in str(info.value)


def test_unknown_backend_is_refused() -> None:
    with pytest.raises(NLIModelError, match="unknown NLI backend"):
        load_nli("shipped", backend="tensorflow")


def test_predict_rejects_pairs_that_are_not_two_strings(tiny_onnx_dir: Path) -> None:
    model = load_nli(str(tiny_onnx_dir), backend="onnx")
    with pytest.raises(ValueError, match="pair 1"):
        model.predict([("a", "b"), ("only one",)])  # type: ignore[list-item]


def test_no_shipped_model_file_is_over_the_repository_limit() -> None:
    from training.export_onnx import MAX_FILE_BYTES

    files = list(shipped_model_dir().iterdir())
    assert files
    assert all(p.stat().st_size <= MAX_FILE_BYTES for p in files if p.is_file())


@pytest.mark.skipif(
    not (shipped_model_dir() / "model.onnx").is_file(), reason="shipped model not exported yet"
)
def test_shipped_model_flags_weekday_swap_as_contradiction() -> None:
    model = load_nli()
    assert model.model_id.startswith("shipped:")
    probs = model.predict(
        [
            (
                "Blinken and senior officials had tested negative on Wednesday in Kuala Lumpur.",
                "Blinken and senior officials had tested negative on Tuesday in Kuala Lumpur.",
            ),
            (
                "Blinken and senior officials had tested negative on Wednesday in Kuala Lumpur.",
                "Blinken and senior officials tested negative in Kuala Lumpur.",
            ),
        ]
    )
    assert probs[0].argmax() == LABELS.index("contradiction")
    assert probs[1].argmax() == LABELS.index("entailment")
