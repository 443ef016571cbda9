"""Training tools: weight averaging, layer dropping, and a student's agreement with its teacher."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tiny_nli_model import build_tiny_nli_model  # noqa: E402

from training.average import average_tensors, main  # noqa: E402
from training.evaluate import teacher_agreement  # noqa: E402
from training.train import keep_bottom_layers  # noqa: E402


def test_average_tensors_is_the_elementwise_mean_in_the_original_dtype() -> None:
    a = {"w": np.array([[1.0, 2.0]], dtype=np.float32), "b": np.array([0.0], dtype=np.float32)}
    b = {"w": np.array([[3.0, 4.0]], dtype=np.float32), "b": np.array([1.0], dtype=np.float32)}
    out = average_tensors([a, b])
    assert out["w"].tolist() == [[2.0, 3.0]] and out["b"].tolist() == [0.5]
    assert out["w"].dtype == np.float32


def test_average_tensors_refuses_checkpoints_of_different_shapes_of_model() -> None:
    with pytest.raises(ValueError, match="differ in tensors"):
        average_tensors([{"w": np.zeros(2)}, {"v": np.zeros(2)}])


def test_averaged_folder_loads_and_holds_the_mean_weights(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    import shutil

    from safetensors.numpy import load_file, save_file

    pairs = [("A man sleeps.", "A woman runs.")]
    first = build_tiny_nli_model(
        tmp_path / "a", {0: "entailment", 1: "neutral", 2: "contradiction"}, pairs
    )
    second = Path(shutil.copytree(first, tmp_path / "b"))
    moved = {k: v + 0.5 for k, v in load_file(str(second / "model.safetensors")).items()}
    save_file(moved, str(second / "model.safetensors"), metadata={"format": "pt"})
    main(["--model", str(first), "--model", str(second), "--out", str(tmp_path / "soup")])
    soup = load_file(str(tmp_path / "soup" / "model.safetensors"))
    one, two = (
        load_file(str(first / "model.safetensors")),
        load_file(str(second / "model.safetensors")),
    )
    name = "classifier.weight"
    assert not np.allclose(one[name], two[name])
    assert np.allclose(soup[name], (one[name] + two[name]) / 2, atol=1e-6)
    from transformers import AutoModelForSequenceClassification

    model = AutoModelForSequenceClassification.from_pretrained(str(tmp_path / "soup"))
    assert model.config.num_labels == 3
    assert (tmp_path / "soup" / "tokenizer.json").exists()


def test_teacher_agreement_counts_where_the_student_follows_the_teacher() -> None:
    gold = np.array([0, 1, 2, 2])
    figures = teacher_agreement(np.array([0, 1, 1, 2]), np.array([0, 1, 2, 2]), gold)
    assert figures == {
        "teacher_accuracy": 1.0,
        "agreement": 0.75,
        "right_where_teacher_right": 0.75,
    }


def test_keep_bottom_layers_gives_a_shallower_model_that_still_classifies(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    labels = {0: "entailment", 1: "neutral", 2: "contradiction"}
    folder = build_tiny_nli_model(tmp_path / "m", labels, [("A man sleeps.", "A man runs.")])
    model = AutoModelForSequenceClassification.from_pretrained(str(folder))
    first_layer = model.bert.encoder.layer[0]
    keep_bottom_layers(model, 1)
    assert len(model.bert.encoder.layer) == 1 and model.config.num_hidden_layers == 1
    assert model.bert.encoder.layer[0] is first_layer
    encoded = AutoTokenizer.from_pretrained(str(folder))(
        "A man sleeps.", "A man runs.", return_tensors="pt"
    )
    with torch.no_grad():
        assert model(**encoded).logits.shape == (1, 3)
    with pytest.raises(ValueError, match="keep-layers"):
        keep_bottom_layers(model, 5)
