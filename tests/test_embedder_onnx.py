"""The shipped ONNX sentence embedder: canaries, similarity, fallback, cheap id, file sizes."""

from __future__ import annotations

import hashlib
import json
import logging
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

import claims.embeddings as emb

ROOT = Path(__file__).resolve().parents[1]
MAX_FILE_BYTES = 45 * 10**6  # the repository refuses files over 45 MB


@pytest.fixture(scope="module")
def onnx_embedder():
    return emb.OnnxSentenceEmbedder()


def test_shipped_embedder_matches_its_canaries(onnx_embedder):
    canaries = emb.read_canaries(emb.shipped_onnx_dir())
    assert len(canaries.texts) >= 16
    vectors = onnx_embedder.encode(list(canaries.texts))
    cosines = np.sum(vectors * canaries.vectors, axis=1)
    assert cosines.min() >= 1 - canaries.tolerance
    result = emb.self_check(onnx_embedder, canaries)
    assert result.passed, result.summary()


def test_load_embedder_default_is_onnx_and_checked():
    loaded = emb.build_embedder()
    assert loaded.backend == "onnx"
    assert loaded.model_id == emb.shipped_embedder_id()
    assert loaded.self_check is not None and loaded.self_check.passed


def test_encode_gives_unit_float32_rows_in_input_order(onnx_embedder):
    texts = ["Short.", "A much longer sentence about the minister's visit to Jakarta. " * 8, ""]
    together = onnx_embedder.encode(texts)
    assert together.shape == (3, emb.DIMENSION) and together.dtype == np.float32
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    alone = np.vstack([onnx_embedder.encode([t]) for t in texts])
    assert np.allclose(together, alone, atol=1e-5)
    assert onnx_embedder.encode([]).shape == (0, emb.DIMENSION)
    with pytest.raises(TypeError):
        onnx_embedder.encode([None])  # type: ignore[list-item]


def test_paraphrase_is_closer_than_unrelated_sentence(onnx_embedder):
    a, b, c = onnx_embedder.encode(
        [
            "Blinken and senior staff tested negative on Tuesday.",
            "The secretary of state and his top aides had negative test results on Tuesday.",
            "Heavy rain flooded several roads in the north of the country.",
        ]
    )
    assert float(a @ b) > float(a @ c) + 0.3


_real_read_canaries = emb.read_canaries


def _perturbed(model_dir: Path) -> emb.Canaries:
    real = _real_read_canaries(model_dir)
    rng = np.random.default_rng(0)
    noisy = real.vectors + rng.normal(0, 0.2, real.vectors.shape).astype(np.float32)
    noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
    return replace(real, vectors=noisy)


class _StubSentenceEmbedder:
    """Stands in for the torch fallback, so the test needs no torch."""

    backend = "sentence-transformers"
    self_check = None
    model_id = "st-embed:stub"

    def __init__(self, model: str = "shipped") -> None:
        self.model = model

    def encode(self, texts):
        return np.zeros((len(texts), emb.DIMENSION), dtype=np.float32)


def test_failed_self_check_falls_back_with_one_warning(monkeypatch, caplog):
    monkeypatch.setattr(emb, "read_canaries", _perturbed)
    monkeypatch.setattr(emb, "SentenceEmbedder", _StubSentenceEmbedder)
    with caplog.at_level(logging.WARNING, logger="claims.embeddings"):
        loaded = emb.build_embedder("shipped")
    assert isinstance(loaded, _StubSentenceEmbedder) and loaded.model == "shipped"
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1
    message = warnings[0].getMessage()
    assert "onnx embedder self-check FAILED" in message and "sentence-transformers" in message


def test_failed_self_check_without_fallback_raises(monkeypatch):
    monkeypatch.setattr(emb, "read_canaries", _perturbed)

    def no_torch(model: str = "shipped") -> None:
        raise ImportError("No module named 'sentence_transformers'")

    monkeypatch.setattr(emb, "SentenceEmbedder", no_torch)
    with pytest.raises(emb.EmbedderError, match="no backend works.*self-check FAILED"):
        emb.build_embedder("shipped")
    with pytest.raises(emb.EmbedderError, match="onnx embedder self-check FAILED"):
        emb.build_embedder("shipped", backend="onnx")


def test_unchecked_load_skips_the_canaries(monkeypatch):
    monkeypatch.setattr(emb, "read_canaries", _perturbed)
    assert emb.build_embedder("shipped", check=False).backend == "onnx"


def test_shipped_embedder_id_loads_no_runtime():
    code = (
        "import sys; from claims.embeddings import shipped_embedder_id; "
        "print(shipped_embedder_id()); "
        "print(sorted(m for m in ('onnxruntime', 'torch', 'tokenizers', 'transformers', "
        "'sentence_transformers') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    ident, loaded = done.stdout.strip().splitlines()
    assert ident.startswith("shipped-embed:") and len(ident.split(":")[1]) == 12
    assert loaded == "[]"


def test_model_files_are_small_and_match_model_info():
    folder = emb.shipped_onnx_dir()
    for path in folder.iterdir():
        assert path.stat().st_size < MAX_FILE_BYTES, path.name
    info = json.loads((folder / "model_info.json").read_text(encoding="utf-8"))
    files = emb.onnx_model_files(folder)
    assert info["onnx_files"] == [p.name for p in files]
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.read_bytes())
    assert info["sha256"] == digest.hexdigest()
    assert emb.shipped_embedder_id() == f"shipped-embed:{digest.hexdigest()[:12]}"
    assert info["max_seq_length"] == 256
    assert info["source"]["licence"] == "Apache-2.0"


def test_truncated_model_file_is_refused(tmp_path):
    folder = tmp_path / "embedder_model"
    folder.mkdir()
    for path in emb.shipped_onnx_dir().iterdir():
        (folder / path.name).symlink_to(path)
    last = emb.onnx_model_files(folder)[-1]
    last.unlink()
    last.write_bytes(b"\0" * 10)
    with pytest.raises(emb.EmbedderError, match="model_info.json says"):
        emb.OnnxSentenceEmbedder(folder)
