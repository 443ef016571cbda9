"""The NLI self-check: canary pairs run when a model loads, compared with stored answers.

A model can load and still be wrong: dynamically quantized int8 weights computed with U8S8
kernels saturate on x86-64 CPUs without VNNI, and the shipped model then gave the same answer
for every pair. So every NLI model is checked when it loads:

- a model whose ``model_info.json`` holds a ``self_check`` section (every export writes one) is
  run on those canary pairs and its probabilities compared with the reference probabilities that
  the export computed in fp32 torch; the check fails when any probability is further than the
  stored tolerance from its reference;
- a model without one (a hub model, a folder of torch weights) is run on :data:`CANARY_PAIRS`; the
  check fails when it gives (almost) the same answer for every pair, the symptom of a broken
  kernel. Its label accuracy on the canaries is reported, not enforced.

>>> result = SelfCheck(passed=True, pairs=24, max_diff=0.012, tolerance=0.1, labels_right=24)
>>> result.summary()
'passed (24 canary pairs, max diff 0.012 <= 0.1, 24/24 labels)'
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

#: labels in the column order of every ``predict`` result (as ``checker.nli.backends.LABELS``).
_LABELS = ("entailment", "neutral", "contradiction")

#: the file an export writes beside the model; its ``self_check`` section holds the reference.
MODEL_INFO_FILE = "model_info.json"

#: largest allowed |p_model - p_reference| on any canary probability, for a model that stores
#: reference answers. Measured on the shipped model: int8 ONNX (reduce_range) against its fp32
#: torch reference differs by at most about 0.03 on these pairs, the broken U8S8 kernel of a CPU
#: without VNNI by about 0.9; 0.10 passes rounding and fails a broken kernel with a wide margin.
DEFAULT_TOLERANCE = 0.10

#: a model without reference answers fails when, over all canary pairs, no probability column
#: varies by more than this: the same answer for every pair (the constant-output failure).
MIN_SPREAD = 0.05

#: the canary pairs are at most 30 tokens long (MPNet's tokenizer); a model truncating inputs
#: shorter than this cannot reproduce the reference, so its self-check is skipped (with a warning).
MIN_CHECKED_LENGTH = 48

#: News-like canary pairs with the expected label, 8 of each: clear-cut, so that any working
#: NLI model answers them alike. Written for this check, not taken from an evaluation set.
CANARY_PAIRS: tuple[tuple[str, str, str], ...] = (
    (
        "Blinken and senior officials tested negative on Wednesday in Kuala Lumpur.",
        "Blinken and senior officials tested negative.",
        "entailment",
    ),
    (
        "Police arrested two men near the central station on Saturday night.",
        "Two men were arrested near the station.",
        "entailment",
    ),
    (
        "The minister resigned on Monday after weeks of pressure over the budget.",
        "The minister resigned.",
        "entailment",
    ),
    (
        "More than 300 people were evacuated from the flooded village, officials said.",
        "People were evacuated from the village.",
        "entailment",
    ),
    (
        "The company reported a profit of $2 billion for the third quarter.",
        "The company made a profit in the third quarter.",
        "entailment",
    ),
    (
        "A man is playing a guitar on stage in front of a large crowd.",
        "A man is playing an instrument.",
        "entailment",
    ),
    (
        "The president signed the bill into law at the White House on Friday.",
        "The bill was signed into law.",
        "entailment",
    ),
    (
        "Firefighters put out the blaze at the factory after six hours.",
        "The blaze at the factory was put out.",
        "entailment",
    ),
    (
        "The minister resigned on Monday.",
        "The minister resigned because of a health problem.",
        "neutral",
    ),
    (
        "Police arrested two men near the station.",
        "The two men had been wanted for robbery in another city.",
        "neutral",
    ),
    (
        "The summit opened in Jakarta on Tuesday.",
        "The summit was the largest ever held in the region.",
        "neutral",
    ),
    (
        "A reporter travelling with the delegation tested positive for the virus.",
        "The reporter works for a newspaper in New York.",
        "neutral",
    ),
    (
        "The company opened a new factory in Ohio.",
        "The factory will employ 2,000 people by next year.",
        "neutral",
    ),
    (
        "A woman is walking her dog in the park.",
        "The woman is on her way to meet a friend.",
        "neutral",
    ),
    (
        "The storm hit the coast on Sunday.",
        "Forecasters had warned of the storm a week earlier.",
        "neutral",
    ),
    (
        "The team won the final in front of 80,000 fans.",
        "The team's coach plans to retire next season.",
        "neutral",
    ),
    (
        "Blinken and senior officials tested negative on Wednesday in Kuala Lumpur.",
        "Blinken and senior officials tested negative on Tuesday in Kuala Lumpur.",
        "contradiction",
    ),
    (
        "The minister resigned on Monday.",
        "The minister did not resign.",
        "contradiction",
    ),
    (
        "A man is playing a guitar on stage.",
        "Nobody is playing anything.",
        "contradiction",
    ),
    (
        "Police arrested two men near the station.",
        "Police arrested five women near the station.",
        "contradiction",
    ),
    (
        "The summit opened in Jakarta on Tuesday.",
        "The summit opened in Bangkok on Tuesday.",
        "contradiction",
    ),
    (
        "The company reported a profit for the third quarter.",
        "The company reported a loss for the third quarter.",
        "contradiction",
    ),
    (
        "The hostages were released unharmed on Friday.",
        "The hostages were killed on Friday.",
        "contradiction",
    ),
    (
        "The bridge reopened to traffic this morning.",
        "The bridge remains closed to traffic.",
        "contradiction",
    ),
)


@dataclass(frozen=True)
class SelfCheck:
    """The outcome of running the canary pairs through a loaded model.

    ``max_diff`` is ``None`` for a model without reference answers; ``reason`` says why a
    failed check failed.
    """

    passed: bool
    pairs: int
    max_diff: float | None
    tolerance: float | None
    labels_right: int
    reason: str = ""

    def summary(self) -> str:
        """One line for logs and the report's stats.

        >>> SelfCheck(False, 24, 0.93, 0.1, 8, "probabilities drift").summary()
        'FAILED: probabilities drift (24 canary pairs, max diff 0.93 > 0.1, 8/24 labels)'
        """
        detail = f"{self.pairs} canary pairs"
        if self.max_diff is not None:
            sign = "<=" if self.max_diff <= (self.tolerance or 0.0) else ">"
            detail += f", max diff {self.max_diff:.3g} {sign} {self.tolerance:g}"
        detail += f", {self.labels_right}/{self.pairs} labels"
        if self.passed:
            return f"passed ({detail})"
        return f"FAILED: {self.reason} ({detail})"

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form for the report's stats."""
        return {
            "passed": self.passed,
            "pairs": self.pairs,
            "max_diff": None if self.max_diff is None else round(self.max_diff, 4),
            "tolerance": self.tolerance,
            "labels_right": self.labels_right,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class CanaryReference:
    """Canary pairs with the probabilities a trusted backend gave them."""

    pairs: tuple[tuple[str, str], ...]
    labels: tuple[str, ...]
    probabilities: np.ndarray  # (n, 3) in entailment, neutral, contradiction order
    tolerance: float
    backend: str = ""

    def as_dict(self) -> dict[str, Any]:
        """The ``self_check`` section of model_info.json."""
        return {
            "pairs": [[p, h, label] for (p, h), label in zip(self.pairs, self.labels, strict=True)],
            "reference": [[round(float(v), 6) for v in row] for row in self.probabilities],
            "tolerance": self.tolerance,
            "reference_backend": self.backend,
        }


def canary_pairs() -> list[tuple[str, str]]:
    """The (premise, hypothesis) pairs of :data:`CANARY_PAIRS`.

    >>> len(canary_pairs())
    24
    """
    return [(p, h) for p, h, _ in CANARY_PAIRS]


def make_reference(
    probabilities: np.ndarray, backend: str, tolerance: float = DEFAULT_TOLERANCE
) -> CanaryReference:
    """A reference from a trusted backend's probabilities on :data:`CANARY_PAIRS`."""
    probabilities = np.asarray(probabilities, dtype=np.float64)
    if probabilities.shape != (len(CANARY_PAIRS), len(_LABELS)):
        raise ValueError(f"expected {len(CANARY_PAIRS)}x3 probabilities, got {probabilities.shape}")
    return CanaryReference(
        pairs=tuple(canary_pairs()),
        labels=tuple(label for _, _, label in CANARY_PAIRS),
        probabilities=probabilities,
        tolerance=tolerance,
        backend=backend,
    )


class SelfCheckFileError(ValueError):
    """A model_info.json whose ``self_check`` section is malformed."""


def read_reference(model_dir: Path) -> CanaryReference | None:
    """The reference stored in ``model_dir/model_info.json``, or None when there is none.

    Raises :class:`SelfCheckFileError` (one line) when the section exists but is malformed.

    >>> read_reference(Path("/no/such/dir")) is None
    True
    """
    path = Path(model_dir) / MODEL_INFO_FILE
    if not path.is_file():
        return None
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SelfCheckFileError(f"{path}: unreadable ({exc})") from exc
    section = info.get("self_check") if isinstance(info, dict) else None
    if section is None:
        return None
    try:
        rows = section["pairs"]
        pairs = tuple((str(p), str(h)) for p, h, _ in rows)
        labels = tuple(str(label) for _, _, label in rows)
        probabilities = np.asarray(section["reference"], dtype=np.float64)
        tolerance = float(section["tolerance"])
    except (KeyError, TypeError, ValueError) as exc:
        raise SelfCheckFileError(f"{path}: malformed self_check section ({exc})") from exc
    if probabilities.shape != (len(pairs), len(_LABELS)) or not pairs:
        raise SelfCheckFileError(f"{path}: self_check reference does not match its pairs")
    return CanaryReference(
        pairs, labels, probabilities, tolerance, str(section.get("reference_backend", ""))
    )


def compare_with_reference(probabilities: np.ndarray, reference: CanaryReference) -> SelfCheck:
    """Judge a model's canary probabilities against the reference.

    >>> ref = make_reference(np.tile([0.8, 0.1, 0.1], (24, 1)), "test")
    >>> compare_with_reference(np.tile([0.75, 0.15, 0.1], (24, 1)), ref).passed
    True
    >>> compare_with_reference(np.tile([0.1, 0.8, 0.1], (24, 1)), ref).summary()[:28]
    'FAILED: probabilities drift '
    """
    probabilities = np.asarray(probabilities, dtype=np.float64)
    diff = float(np.abs(probabilities - reference.probabilities).max())
    right = _labels_right(probabilities, reference.labels)
    passed = diff <= reference.tolerance
    reason = "" if passed else "probabilities drift from the fp32 reference"
    return SelfCheck(passed, len(reference.pairs), diff, reference.tolerance, right, reason)


def judge_without_reference(probabilities: np.ndarray) -> SelfCheck:
    """Judge a model that stores no reference: fail only on the same answer for every pair.

    >>> judge_without_reference(np.tile([0.09, 0.87, 0.04], (24, 1))).passed
    False
    """
    probabilities = np.asarray(probabilities, dtype=np.float64)
    spread = float((probabilities.max(axis=0) - probabilities.min(axis=0)).max())
    right = _labels_right(probabilities, tuple(label for _, _, label in CANARY_PAIRS))
    if spread < MIN_SPREAD:
        reason = f"the same answer for every canary pair (spread {spread:.3g} < {MIN_SPREAD})"
        return SelfCheck(False, len(probabilities), None, None, right, reason)
    return SelfCheck(True, len(probabilities), None, None, right)


def run_self_check(model: Any, model_dir: Path | None) -> SelfCheck:
    """Run the canaries through ``model`` (anything with ``predict``) and judge the answers.

    ``model_dir`` is where the model's model_info.json would be (None for a hub model).
    """
    reference = read_reference(model_dir) if model_dir is not None else None
    if reference is not None:
        return compare_with_reference(model.predict(list(reference.pairs)), reference)
    return judge_without_reference(model.predict(canary_pairs()))


def _labels_right(probabilities: np.ndarray, labels: Sequence[str]) -> int:
    predicted = [_LABELS[i] for i in probabilities.argmax(axis=1)]
    return sum(p == gold for p, gold in zip(predicted, labels, strict=True))
