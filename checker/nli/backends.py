"""Natural language inference backends: the shipped int8 ONNX model, or any transformers model.

``load_nli`` returns an object with ``predict(pairs) -> np.ndarray`` of shape ``(n, 3)`` whose
columns are ALWAYS ``entailment, neutral, contradiction`` (mapped from the model config's
``id2label``), whatever order the model itself uses.

>>> model = load_nli()  # doctest: +SKIP
>>> pairs = [("He tested negative on Wednesday.", "He tested negative on Tuesday.")]
>>> probs = model.predict(pairs)  # doctest: +SKIP
>>> probs.shape, LABELS  # doctest: +SKIP
((1, 3), ('entailment', 'neutral', 'contradiction'))

The ONNX backends need only ``onnxruntime`` and ``tokenizers`` (no torch, no transformers); the
transformers backend loads ``AutoModelForSequenceClassification`` from a hub id or a directory.

Backends of an int8 export such as the shipped model (``load_nli(backend=...)``):

- ``onnx``: ``model.onnx`` as exported (int8 weights, activations rounded to 8 bits at run time);
- ``onnx-fp32`` (exact; the default's first fallback, see :data:`SHIPPED_DEFAULT_BACKEND`):
  ``model_fp32.onnx``, the exact fp32 graph of the same weights (the int8 weights dequantized
  once when the session is created; the file is a graph only and reads the weights from
  ``model.onnx``'s parts);
- ``hybrid``: int8 for every pair, then the pairs whose int8 answer is not clear-cut
  re-scored with ``onnx-fp32`` (:mod:`checker.nli.hybrid`);
- ``transformers``: fp32 torch rebuilt from the ONNX weights (needs the ``train`` extra).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np

from claims.onnx_model import ONNX_FILE, available_cores, onnx_model_files

if TYPE_CHECKING:
    from checker.nli.selfcheck import SelfCheck

log = logging.getLogger(__name__)

#: column order of every ``predict`` result.
LABELS: tuple[str, str, str] = ("entailment", "neutral", "contradiction")

_TOKENIZER_FILE = "tokenizer.json"
_CONFIG_FILE = "config.json"
_WEIGHT_SUFFIXES = (".safetensors", ".bin")
_WEIGHTS_MAP_FILE = "weights_map.json"

#: the exact fp32 graph beside an int8 export's model.onnx (``training.export_onnx``).
FP32_GRAPH_FILE = "model_fp32.onnx"
#: its metadata key holding ``model_sha256`` of the int8 files whose weights it reads.
FP32_SOURCE_KEY = "crossclaim.int8_sha256"


class NLIModelError(RuntimeError):
    """A model that cannot be loaded or used; the message is one line naming model and problem."""


@runtime_checkable
class NLIModel(Protocol):
    """What the pipeline needs from an NLI model."""

    model_id: str

    def predict(
        self, pairs: Sequence[tuple[str, str]], batch_size: int = 32, progress: bool = False
    ) -> np.ndarray: ...


def shipped_model_dir() -> Path:
    """The folder inside the package that holds the shipped model.

    >>> shipped_model_dir().name
    'shipped'
    """
    return Path(__file__).resolve().parent / "shipped"


def label_columns(id2label: Mapping[Any, str]) -> list[int]:
    """For each of ``LABELS``, the model output index that holds it (case-insensitive).

    >>> label_columns({0: "CONTRADICTION", 1: "Entailment", 2: "neutral"})
    [1, 2, 0]
    >>> label_columns({"0": "entailment", "1": "neutral", "2": "contradiction"})
    [0, 1, 2]
    """
    by_name: dict[str, int] = {}
    for key, name in id2label.items():
        by_name[str(name).strip().lower()] = int(key)
    missing = [label for label in LABELS if label not in by_name]
    if missing or len(id2label) != len(LABELS):
        items = sorted(id2label.items(), key=lambda kv: str(kv[0]))
        shown = ", ".join(f"{k}={v}" for k, v in items)
        raise NLIModelError(
            f"model labels ({shown}) are not entailment/neutral/contradiction; "
            "set id2label in the model's config.json"
        )
    return [by_name[label] for label in LABELS]


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax, numerically stable.

    >>> softmax(np.array([[0.0, 0.0]])).tolist()
    [[0.5, 0.5]]
    """
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


def model_sha256(model_dir: Path) -> str:
    """Hex sha256 of the bytes of ``model.onnx`` followed by each of its parts, in order.

    For an unsplit export this is the sha256 of ``model.onnx`` itself, so model ids of
    single-file models do not change.
    """
    digest = hashlib.sha256()
    for path in onnx_model_files(model_dir):
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    return digest.hexdigest()


def length_batches(lengths: Sequence[int], batch_size: int) -> Iterator[list[int]]:
    """Indices grouped into batches of similar length (longest first), covering every index once.

    >>> list(length_batches([3, 10, 1, 7], 2))
    [[1, 3], [0, 2]]
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    order = sorted(range(len(lengths)), key=lambda i: (-lengths[i], i))
    for start in range(0, len(order), batch_size):
        yield order[start : start + batch_size]


def _check_pairs(pairs: Sequence[tuple[str, str]]) -> None:
    for index, pair in enumerate(pairs):
        if len(pair) != 2 or not all(isinstance(part, str) for part in pair):
            raise ValueError(f"pair {index} is not a (premise, hypothesis) tuple of two strings")


class OnnxNLIModel:
    """An exported model run by onnxruntime; tokenised with ``tokenizers`` from tokenizer.json.

    ``exact=True`` runs ``model_fp32.onnx`` (the exact fp32 graph of an int8 export) instead of
    ``model.onnx``; it must have been made from the int8 files in the same folder.
    """

    backend: str = "onnx"
    #: set by :func:`load_nli` once the canary pairs have run
    self_check: SelfCheck | None = None

    def __init__(
        self,
        model_dir: Path,
        max_length: int = 128,
        model_id: str | None = None,
        threads: int | None = None,
        exact: bool = False,
        sha256: str | None = None,
    ) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        model_dir = Path(model_dir)
        onnx_path = model_dir / (FP32_GRAPH_FILE if exact else ONNX_FILE)
        for required in (onnx_path, model_dir / _TOKENIZER_FILE, model_dir / _CONFIG_FILE):
            if not required.is_file():
                raise NLIModelError(f"{model_dir}: NLI model folder lacks {required.name}")
        try:
            config = json.loads((model_dir / _CONFIG_FILE).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise NLIModelError(f"{model_dir / _CONFIG_FILE}: unreadable config ({exc})") from exc
        self.columns = label_columns(config.get("id2label") or {})
        self.max_length = max_length
        if exact or model_id is None:
            sha256 = sha256 or model_sha256(model_dir)
        self.model_id = model_id or f"onnx:{model_dir}:{sha256[:12] if sha256 else ''}"
        self._tokenizer = Tokenizer.from_file(str(model_dir / _TOKENIZER_FILE))
        self._tokenizer.enable_truncation(max_length=max_length, strategy="longest_first")
        self._tokenizer.no_padding()
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or available_cores()
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        if exact:
            # fold each DequantizeLinear of a constant weight into an fp32 tensor at load
            # (onnxruntime otherwise keeps Q/DQ nodes for its quantized kernels)
            options.add_session_config_entry("session.disable_quant_qdq", "1")
        try:
            self._session = ort.InferenceSession(
                str(onnx_path), sess_options=options, providers=["CPUExecutionProvider"]
            )
        except Exception as exc:  # onnxruntime raises its own exception types
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise NLIModelError(f"{onnx_path}: onnxruntime cannot load it ({first})") from exc
        if exact:
            meta = self._session.get_modelmeta().custom_metadata_map
            if meta.get(FP32_SOURCE_KEY) != sha256:
                raise NLIModelError(
                    f"{onnx_path}: made for other int8 weights than {ONNX_FILE} beside it "
                    f"(remake it: python -m training.export_onnx --fp32-graph {model_dir})"
                )
        self._inputs = {node.name for node in self._session.get_inputs()}
        pad_id = self._tokenizer.token_to_id("[PAD]")
        if pad_id is None:
            pad_id = self._tokenizer.token_to_id("<pad>")
        self._pad_id = 0 if pad_id is None else pad_id

    def _logits(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch([(p, h) for p, h in pairs])
        width = max(len(e.ids) for e in encodings)
        ids = np.full((len(encodings), width), self._pad_id, dtype=np.int64)
        mask = np.zeros((len(encodings), width), dtype=np.int64)
        types = np.zeros((len(encodings), width), dtype=np.int64)
        for row, enc in enumerate(encodings):
            n = len(enc.ids)
            ids[row, :n] = enc.ids
            mask[row, :n] = 1
            types[row, :n] = enc.type_ids
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        return self._session.run(None, {k: v for k, v in feed.items() if k in self._inputs})[0]

    def predict(
        self, pairs: Sequence[tuple[str, str]], batch_size: int = 32, progress: bool = False
    ) -> np.ndarray:
        """Probabilities ``(n, 3)`` in ``LABELS`` order for (premise, hypothesis) pairs."""
        return _predict_batched(self, pairs, batch_size, progress)


class TransformersNLIModel:
    """Any ``AutoModelForSequenceClassification`` with entailment/neutral/contradiction labels."""

    backend: str = "transformers"
    #: set by :func:`load_nli` once the canary pairs have run
    self_check: SelfCheck | None = None

    def __init__(
        self, name_or_dir: str, max_length: int = 128, model_id: str | None = None
    ) -> None:
        try:
            import torch
            from transformers import AutoModelForSequenceClassification, AutoTokenizer
        except ImportError as exc:
            message = (
                f"the transformers backend needs torch and transformers ({exc}); install the "
                f"extra: {TRAIN_EXTRA_INSTALL}"
            )
            raise NLIModelError(message) from exc
        offline = os.environ.get("HF_HUB_OFFLINE", "") not in ("", "0")
        directory = Path(name_or_dir)
        try:
            self._tokenizer = AutoTokenizer.from_pretrained(name_or_dir, local_files_only=offline)
            if directory.is_dir() and (directory / _WEIGHTS_MAP_FILE).is_file():
                self._model = torch_model_from_onnx(directory)
            else:
                self._model = AutoModelForSequenceClassification.from_pretrained(
                    name_or_dir, local_files_only=offline
                )
        except (OSError, ValueError, KeyError) as exc:
            where = "not in the local hub cache (HF_HUB_OFFLINE is set)" if offline else str(exc)
            first_line = where.strip().splitlines()[0] if where.strip() else type(exc).__name__
            raise NLIModelError(f"cannot load NLI model {name_or_dir!r}: {first_line}") from exc
        self._model.eval()
        self._torch = torch
        self.columns = label_columns(self._model.config.id2label)
        self.max_length = max_length
        self.model_id = model_id or str(name_or_dir)

    def _logits(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        batch = self._tokenizer(
            [p for p, _ in pairs],
            [h for _, h in pairs],
            truncation=True,
            max_length=self.max_length,
            padding=True,
            return_tensors="pt",
        )
        with self._torch.inference_mode():
            logits = self._model(**batch).logits
        return logits.float().numpy()

    def predict(
        self, pairs: Sequence[tuple[str, str]], batch_size: int = 32, progress: bool = False
    ) -> np.ndarray:
        """Probabilities ``(n, 3)`` in ``LABELS`` order for (premise, hypothesis) pairs."""
        return _predict_batched(self, pairs, batch_size, progress)


def _predict_batched(
    model: OnnxNLIModel | TransformersNLIModel,
    pairs: Sequence[tuple[str, str]],
    batch_size: int,
    progress: bool,
) -> np.ndarray:
    """Run ``model._logits`` over length-sorted batches and return probabilities in input order."""
    from rich.console import Console
    from rich.progress import Progress

    _check_pairs(pairs)
    out = np.zeros((len(pairs), len(LABELS)), dtype=np.float32)
    if not pairs:
        return out
    lengths = [len(p) + len(h) for p, h in pairs]
    with Progress(disable=not progress, transient=True, console=Console(stderr=True)) as bar:
        task = bar.add_task("NLI", total=len(pairs))
        for indices in length_batches(lengths, batch_size):
            logits = np.asarray(model._logits([pairs[i] for i in indices]), dtype=np.float32)
            out[indices] = softmax(logits)[:, model.columns]
            bar.advance(task, len(indices))
    return out


#: how a user gets the torch backends (hub models, the fallback of the shipped model).
TRAIN_EXTRA_INSTALL = "pip install torch==2.13.0 'crossclaim[train]'"


def known_model_id(
    model: str, backend: str = "auto", rescore_below: float | None = None
) -> str | None:
    """The id a loaded ``model`` will report, when it is known without loading it: the shipped
    model's comes from its files' hash and the path ``backend`` runs (:func:`path_model_id`).
    ``None`` for other models (a cache lookup then loads the model first). Lets a run whose NLI
    results are all cached skip loading the model. (A run whose backend fell back reports
    another id once loaded.)

    >>> known_model_id("shipped").startswith("shipped:")
    True
    >>> known_model_id("some/hub-model") is None
    True
    """
    if model != "shipped":
        return None
    directory = shipped_model_dir()
    if not (directory / ONNX_FILE).is_file():
        return None
    chosen = _shipped_auto_backend(directory) if backend == "auto" else backend
    return path_model_id(f"shipped:{model_sha256(directory)[:12]}", chosen, rescore_below)


def _shipped_auto_backend(directory: Path) -> str:
    """:data:`SHIPPED_DEFAULT_BACKEND`, or int8 where an older install lacks the fp32 graph."""
    if SHIPPED_DEFAULT_BACKEND in ("onnx-fp32", "hybrid"):
        if not (directory / FP32_GRAPH_FILE).is_file():
            return "onnx"
    return SHIPPED_DEFAULT_BACKEND


def _looks_like_path(model: str) -> bool:
    return model.startswith(("/", "./", "../", "~")) or os.sep + os.sep in model


#: how the report and ``crossclaim nli check`` name each backend.
BACKEND_NAMES = {
    "hybrid": "hybrid: int8 onnx, unclear pairs re-scored in exact fp32 onnx (onnxruntime)",
    "onnx": "onnx (onnxruntime)",
    "onnx-fp32": "exact fp32 onnx (onnxruntime)",
    "transformers": "fp32 torch (transformers)",
}

#: the values ``load_nli(backend=...)`` accepts.
BACKENDS = ("auto", "hybrid", "onnx", "onnx-fp32", "transformers")


@dataclass(frozen=True)
class _Candidate:
    """One way to load a model: its backend, how to build it and where its model_info.json is."""

    backend: str
    build: Callable[[], Any]
    model_dir: Path | None


def path_model_id(base: str, backend: str, rescore_below: float | None = None) -> str:
    """The model id of one numeric path through an export whose int8 files give ``base``.

    The int8 graph keeps the id it always had; the exact fp32 paths (``onnx-fp32``, and the
    shipped model's ``transformers``, equal to 1e-6) and the hybrid get their own, so that
    cached scores of one path are never served as another's (int8 differs from fp32 by up to
    0.5 on borderline pairs).

    >>> path_model_id("shipped:8bfe3078e656", "onnx")
    'shipped:8bfe3078e656'
    >>> path_model_id("shipped:8bfe3078e656", "onnx-fp32")
    'shipped:8bfe3078e656:fp32'
    >>> path_model_id("shipped:8bfe3078e656", "hybrid", 0.99)
    'shipped:8bfe3078e656:hybrid<0.99'
    """
    if backend == "onnx":
        return base
    if backend in ("onnx-fp32", "transformers"):
        return f"{base}:fp32"
    if backend == "hybrid":
        from checker.nli.hybrid import RESCORE_BELOW_TOP_PROBABILITY

        tau = RESCORE_BELOW_TOP_PROBABILITY if rescore_below is None else rescore_below
        return f"{base}:hybrid<{tau:g}"
    raise ValueError(f"no path model id for backend {backend!r}")


def _onnx_candidates(
    directory: Path,
    max_length: int,
    threads: int | None,
    base_id: str | None,
    sha256: str | None,
    rescore_below: float | None,
) -> tuple[_Candidate, _Candidate, _Candidate]:
    """The int8 (``onnx``), exact fp32 (``onnx-fp32``) and ``hybrid`` candidates of a folder.

    ``base_id``: the int8 graph's model id (``None``: ``onnx:<folder>:<sha256[:12]>``).
    """
    from checker.nli.hybrid import HybridNLIModel

    known: dict[str, str] = {}

    def digest() -> str:
        if "sha256" not in known:
            known["sha256"] = sha256 or model_sha256(directory)
        return known["sha256"]

    def model_id(backend: str) -> str:
        base = base_id or f"onnx:{directory}:{digest()[:12]}"
        return path_model_id(base, backend, rescore_below)

    def int8() -> OnnxNLIModel:
        return OnnxNLIModel(
            directory, max_length, model_id=model_id("onnx"), threads=threads, sha256=digest()
        )

    def exact() -> OnnxNLIModel:
        if not (directory / FP32_GRAPH_FILE).is_file():
            raise NLIModelError(
                f"{directory}: no {FP32_GRAPH_FILE} (make it: python -m training.export_onnx "
                f"--fp32-graph {directory})"
            )
        return OnnxNLIModel(
            directory,
            max_length,
            model_id=model_id("onnx-fp32"),
            threads=threads,
            exact=True,
            sha256=digest(),
        )

    def hybrid() -> HybridNLIModel:
        if not (directory / FP32_GRAPH_FILE).is_file():
            exact()  # the same one-line error
        return HybridNLIModel(int8(), exact, rescore_below, model_id=model_id("hybrid"))

    return (
        _Candidate("onnx", int8, directory),
        _Candidate("onnx-fp32", exact, directory),
        _Candidate("hybrid", hybrid, directory),
    )


#: The shipped model's default path (``load_nli(backend="auto")``, so ``Settings.nli_backend``
#: "auto"): ``"onnx"``, the 7-bit int8 graph, whose integer arithmetic is exact on every x86-64
#: CPU. ``"onnx-fp32"`` (the exact fp32 graph over the same weights, within 1e-5 of fp32 torch)
#: is the first fallback and a choice (``--nli-backend onnx-fp32``). Why int8 stays the default:
#: the pipeline's NLI cut-off (``Settings.nli_contradiction_threshold`` 0.98) was chosen on int8
#: answers, and at that cut exact fp32 raised NLI false alarms on real paraphrases from 1.7% to
#: 3.0% (benchmarks/nli_share_recall.py, dev, 300 pairs) while finding 0.185 of injected
#: discrepancies against 0.151: switching needs the cut re-chosen on dev first. int8 is about
#: twice as fast; it is within 0.02 of fp32 on 67% of held-out pairs, not on every pair (up to
#: 0.56 off on borderline pairs), and the hybrid (``"hybrid"``) needs its margin at 0.99 to stay
#: within 0.02, where it re-scores 92% of pairs and costs more than fp32 alone. MODEL_CARD.md
#: has the figures.
SHIPPED_DEFAULT_BACKEND = "onnx"


def _candidates(
    model: str,
    backend: str,
    max_length: int,
    threads: int | None,
    rescore_below: float | None = None,
) -> list[_Candidate]:
    """The backends to try for ``model``, in order; later ones are fallbacks."""
    if model == "shipped":
        directory = shipped_model_dir()
        if not (directory / ONNX_FILE).is_file():
            raise NLIModelError(
                f"shipped NLI model missing: {directory / ONNX_FILE} (reinstall crossclaim)"
            )
        sha256 = model_sha256(directory)
        base = f"shipped:{sha256[:12]}"
        onnx, exact, hybrid = _onnx_candidates(
            directory, max_length, threads, base, sha256, rescore_below
        )
        torch_id = path_model_id(base, "transformers")
        torch = _Candidate(
            "transformers",
            lambda: TransformersNLIModel(str(directory), max_length=max_length, model_id=torch_id),
            directory,
        )
        by_name = {"hybrid": hybrid, "onnx": onnx, "onnx-fp32": exact, "transformers": torch}
        if backend != "auto":
            return [by_name[backend]]
        default = _shipped_auto_backend(directory)
        chain = [by_name[default]]
        if default != "onnx-fp32" and (directory / FP32_GRAPH_FILE).is_file():
            chain.append(exact)
        if default != "transformers":
            chain.append(torch)
        return chain
    path = Path(model).expanduser()
    if path.is_dir():
        has_weights = any(p.suffix in _WEIGHT_SUFFIXES for p in path.iterdir())
        has_onnx = (path / ONNX_FILE).is_file()
        onnx, exact, hybrid = _onnx_candidates(path, max_length, threads, None, None, rescore_below)
        torch = _Candidate(
            "transformers", lambda: TransformersNLIModel(str(path), max_length=max_length), path
        )
        if backend in ("onnx", "onnx-fp32", "hybrid"):
            return [{"onnx": onnx, "onnx-fp32": exact, "hybrid": hybrid}[backend]]
        if backend == "auto" and has_onnx and not has_weights:
            fallbacks = [exact] if (path / FP32_GRAPH_FILE).is_file() else []
            if (path / _WEIGHTS_MAP_FILE).is_file():
                fallbacks.append(torch)
            return [onnx, *fallbacks]
        return [torch]
    if path.exists():
        raise NLIModelError(f"NLI model path is not a directory: {model}")
    if _looks_like_path(model):
        raise NLIModelError(f"NLI model directory not found: {model}")
    if backend in ("onnx", "onnx-fp32", "hybrid"):
        raise NLIModelError(f"the {backend} backend needs a local directory, not hub id {model!r}")
    return [
        _Candidate("transformers", lambda: TransformersNLIModel(model, max_length=max_length), None)
    ]


def load_nli(
    model: str = "shipped",
    backend: str = "auto",
    max_length: int = 128,
    threads: int | None = None,
    self_check: bool = True,
    rescore_below: float | None = None,
) -> NLIModel:
    """Load an NLI model: ``"shipped"``, a local directory or a hub id, and check it.

    ``backend``: ``"auto"`` (the shipped model: :data:`SHIPPED_DEFAULT_BACKEND`; a directory
    holding only ``model.onnx``: ``onnx``; transformers otherwise), ``"hybrid"``, ``"onnx"``,
    ``"onnx-fp32"`` or ``"transformers"`` (the module docstring says what each runs).
    ``threads``: ONNX Runtime intra-op threads (default: every core this process may use);
    torch keeps its own.
    ``rescore_below``: the hybrid's margin (default
    :data:`checker.nli.hybrid.RESCORE_BELOW_TOP_PROBABILITY`).

    With ``self_check`` (the default) the model runs its canary pairs once loaded
    (:mod:`checker.nli.selfcheck`; the hybrid checks its int8 model, whose answers it keeps for
    clear-cut pairs). When a backend fails the check, ``"auto"`` says so in one warning and
    falls back to the next backend (the shipped model: exact fp32 ONNX where the default is
    another path, then fp32 torch, from the same weights); when no backend passes, or the one
    asked for fails, :class:`NLIModelError` is raised: a model that gives wrong answers is never
    used silently. The model returned carries ``backend`` and ``self_check`` (a
    :class:`checker.nli.selfcheck.SelfCheck`, or None).

    >>> load_nli("/no/such/dir")
    Traceback (most recent call last):
    ...
    checker.nli.backends.NLIModelError: NLI model directory not found: /no/such/dir
    """
    from checker.nli.cpu import cpu_summary
    from checker.nli.selfcheck import MIN_CHECKED_LENGTH, SelfCheckFileError, run_self_check

    if backend not in BACKENDS:
        known = ", ".join(BACKENDS[:-1]) + f" or {BACKENDS[-1]}"
        raise NLIModelError(f"unknown NLI backend {backend!r}: use {known}")
    candidates = _candidates(model, backend, max_length, threads, rescore_below)
    failures: list[str] = []
    for index, candidate in enumerate(candidates):
        name = BACKEND_NAMES[candidate.backend]
        try:
            loaded = candidate.build()
        except NLIModelError as exc:
            if index == 0 and len(candidates) == 1:
                raise
            failures.append(f"{name}: {exc}")
            continue
        loaded.backend = candidate.backend
        loaded.self_check = None
        if not self_check:
            return loaded
        if max_length < MIN_CHECKED_LENGTH:
            log.warning(
                "NLI model %s: self-check skipped: max_length %d truncates its canary pairs "
                "(needs %d)",
                model,
                max_length,
                MIN_CHECKED_LENGTH,
            )
            return loaded
        try:
            result = run_self_check(getattr(loaded, "checked_model", loaded), candidate.model_dir)
        except SelfCheckFileError as exc:
            raise NLIModelError(str(exc)) from exc
        loaded.self_check = result
        if result.passed:
            if failures:
                log.warning(
                    "NLI model %s: %s; using %s instead (self-check %s)",
                    model,
                    "; ".join(failures),
                    name,
                    result.summary(),
                )
            return loaded
        failures.append(f"{name} self-check {result.summary()} on this CPU ({cpu_summary()})")
    raise NLIModelError(f"NLI model {model}: no backend passed: " + "; ".join(failures))


def onnx_weight(
    tensors: Mapping[str, np.ndarray], name: str, axes: Mapping[str, int] | None = None
) -> tuple[np.ndarray, bool]:
    """The float value of ONNX tensor ``name``, dequantized if the int8 export replaced it.

    Returns (array, transposed): the quantizer stores some weights transposed
    (``<name>_Transposed_quantized``). Per-channel scales apply along ``axes[<quantized name>]``
    (from the DequantizeLinear node), else along the last axis (MatMul output channels).
    """
    if name in tensors:
        return tensors[name].astype(np.float32), False
    for suffix, transposed in (("", False), ("_Transposed", True)):
        q = tensors.get(f"{name}{suffix}_quantized")
        if q is None:
            continue
        scale = tensors[f"{name}{suffix}_scale"].astype(np.float32)
        zero = tensors[f"{name}{suffix}_zero_point"].astype(np.float32)
        if scale.ndim == 1 and q.ndim == 2:
            axis = (axes or {}).get(f"{name}{suffix}_quantized", q.ndim - 1) % q.ndim
            shape = [1, 1]
            shape[axis] = -1
            scale, zero = scale.reshape(shape), zero.reshape(shape)
        return (q.astype(np.float32) - zero) * scale, transposed
    raise KeyError(name)


def torch_model_from_onnx(model_dir: Path) -> Any:
    """Rebuild the torch model from an exported folder's model.onnx (int8 weights dequantized).

    Needs the ``onnx`` package; ``weights_map.json`` (written by the export) says which ONNX
    tensor holds each parameter.
    """
    try:
        import onnx
        from onnx import numpy_helper
    except ImportError as exc:
        message = (
            f"{model_dir}: running the ONNX weights under torch needs the onnx package; "
            f"install the extra: {TRAIN_EXTRA_INSTALL}"
        )
        raise NLIModelError(message) from exc
    import torch
    from transformers import AutoConfig, AutoModelForSequenceClassification

    mapping = json.loads((model_dir / _WEIGHTS_MAP_FILE).read_text(encoding="utf-8"))
    graph = onnx.load(str(model_dir / ONNX_FILE)).graph
    tensors = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    axes: dict[str, int] = {}
    for node in graph.node:
        if node.op_type == "Constant":
            for attr in node.attribute:
                if attr.name == "value":
                    tensors[node.output[0]] = numpy_helper.to_array(attr.t)
        elif node.op_type == "DequantizeLinear":
            for attr in node.attribute:
                if attr.name == "axis":
                    axes[node.input[0]] = attr.i
    config = AutoConfig.from_pretrained(str(model_dir))
    model = AutoModelForSequenceClassification.from_config(config)
    state = {}
    for param_name, (tensor_name, transposed) in mapping.items():
        try:
            array, stored_transposed = onnx_weight(tensors, tensor_name, axes)
        except KeyError as exc:
            raise NLIModelError(f"{model_dir}: model.onnx lacks tensor {tensor_name}") from exc
        if transposed != stored_transposed:
            array = array.T
        state[param_name] = torch.from_numpy(np.ascontiguousarray(array))
    missing = [n for n, _ in model.named_parameters() if n not in state]
    if missing:
        raise NLIModelError(f"{model_dir}: weights_map.json lacks {len(missing)} parameters")
    model.load_state_dict(state, strict=False)
    return model


def describe_path(model: Any) -> str:
    """One line naming the path a loaded NLI model ran (and, for the hybrid, what it re-scored).

    >>> class M:
    ...     backend = "onnx-fp32"
    >>> describe_path(M())
    'exact fp32 onnx (onnxruntime): every pair in fp32, none re-scored'
    """
    from checker.nli.hybrid import HybridNLIModel

    if isinstance(model, HybridNLIModel):
        return model.describe()
    backend = str(getattr(model, "backend", ""))
    return BACKEND_NAMES.get(backend, backend) + _PATH_NOTES.get(backend, "")


_PATH_NOTES = {
    "onnx": ": as exported (int8 for the shipped model), none re-scored",
    "onnx-fp32": ": every pair in fp32, none re-scored",
    "transformers": ": every pair in fp32, none re-scored",
}
