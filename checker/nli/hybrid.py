"""The hybrid NLI path: int8 for every pair, exact fp32 for the pairs whose answer is not clear-cut.

The shipped model's int8 graph rounds activations to 8 bits at run time. Its probabilities
differ from the fp32 model's (the same weights, dequantized) by about 0.02 on average, but by up
to 0.38 on borderline pairs. How far a probability moves when the logits move is bounded by the
softmax's slope: ``|dp_i| <= 2 * max|dlogit| * p_i * (1 - p_i)``, and for an answer whose top
probability is at least 0.5 the largest ``p_i * (1 - p_i)`` is the top label's. So a pair whose
int8 top probability is high cannot be far from its fp32 answer, and only the others need the
(about twice as slow on a VNNI CPU) fp32 graph. :class:`HybridNLIModel` runs int8 on every
pair and re-scores the pairs below :data:`RESCORE_BELOW_TOP_PROBABILITY` with the exact fp32
graph, loading that graph the first time a pair needs it. For the shipped model the margin
that keeps every pair within 0.02 re-scores most pairs (see the constant), so ``hybrid`` is
a backend to ask for (``--backend hybrid``), not the default.

>>> import numpy as np
>>> needs_exact(np.array([[0.99, 0.005, 0.005], [0.6, 0.3, 0.1]]), 0.9).tolist()
[False, True]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

if TYPE_CHECKING:
    from checker.nli.selfcheck import SelfCheck


class OnnxNLIModel(Protocol):
    """What the hybrid needs of each of its two ONNX models (``checker.nli.backends.
    OnnxNLIModel``, named here without importing backends, which imports this module)."""

    model_id: str
    max_length: int

    def predict(
        self, pairs: Sequence[tuple[str, str]], batch_size: int = 32, progress: bool = False
    ) -> np.ndarray: ...


#: The hybrid's margin: a pair whose int8 top probability is below this is re-scored with the
#: exact fp32 graph (``load_nli(rescore_below=...)`` overrides it; 0 keeps every int8 answer,
#: above 1 re-scores every pair).
#:
#: Chosen on a dev split, then measured on a disjoint test split, for the shipped model
#: (``8bfe3078e656``, batch 32, ``benchmarks/nli_quantization.py --hybrid``): 13,007 held-out
#: pairs (SNLI test, counterfactual SNLI test, the MNLI-genre pairs kept out of training, the
#: pipeline's labelled news pairs of ``eval/rule_pairs*.jsonl`` in both directions), dev = the
#: pairs whose premise's sha256 starts with an even byte (6,455), test = the rest (6,552). The
#: rule: the smallest margin on a 0.005 grid that leaves no dev pair further than 0.02 from its
#: fp32 answer. The largest int8 top probability among the 2,163 dev pairs off by more than 0.02
#: is 0.9859, so 0.985 fails (a dev pair stays 0.037 off) and 0.99 is the choice. On the test
#: split 0.99 re-scores 92.0% of pairs and every probability ends within 0.0033 of fp32 (dev:
#: 92.2%, 0.0095). The model's answers are rarely that sure (mean top probability 0.88 on SNLI
#: test), so the hybrid costs more than running the fp32 graph on every pair, and it is not the
#: shipped model's default (``checker.nli.backends.SHIPPED_DEFAULT_BACKEND``).
RESCORE_BELOW_TOP_PROBABILITY = 0.99


def needs_exact(probabilities: np.ndarray, rescore_below: float) -> np.ndarray:
    """Rows whose top probability is below ``rescore_below``: their int8 answer is not clear-cut."""
    probabilities = np.asarray(probabilities)
    if not len(probabilities):
        return np.zeros(0, dtype=bool)
    return probabilities.max(axis=1) < rescore_below


class HybridNLIModel:
    """int8 ONNX for every pair; pairs with an unclear answer re-scored by the exact fp32 graph.

    ``exact_factory`` builds the exact fp32 model; it is called once, the first time a pair is
    below the margin. ``scored`` and ``rescored`` count the pairs predicted and re-scored since
    load (``last_rescored``: in the latest ``predict`` call).
    """

    backend: str = "hybrid"
    #: set by :func:`checker.nli.backends.load_nli` once the canary pairs have run
    self_check: SelfCheck | None = None

    def __init__(
        self,
        int8: OnnxNLIModel,
        exact_factory: Callable[[], OnnxNLIModel],
        rescore_below: float | None = None,
        model_id: str | None = None,
    ) -> None:
        self.int8 = int8
        self._exact_factory = exact_factory
        self._exact: OnnxNLIModel | None = None
        self.rescore_below = (
            RESCORE_BELOW_TOP_PROBABILITY if rescore_below is None else float(rescore_below)
        )
        self.model_id = model_id or int8.model_id
        self.max_length = int8.max_length
        self.scored = 0
        self.rescored = 0
        self.last_rescored = 0

    @property
    def checked_model(self) -> OnnxNLIModel:
        """What the self-check runs: the int8 model, whose answers the hybrid keeps for
        clear-cut pairs (a broken int8 kernel must not hide behind the re-scoring)."""
        return self.int8

    @property
    def exact(self) -> OnnxNLIModel:
        """The exact fp32 model, loaded on first use."""
        if self._exact is None:
            self._exact = self._exact_factory()
        return self._exact

    def predict(
        self, pairs: Sequence[tuple[str, str]], batch_size: int = 32, progress: bool = False
    ) -> np.ndarray:
        """Probabilities ``(n, 3)`` in ``LABELS`` order: int8, re-scored in fp32 where unclear."""
        probs = self.int8.predict(pairs, batch_size=batch_size, progress=progress)
        unclear = np.flatnonzero(needs_exact(probs, self.rescore_below))
        if len(unclear):
            subset = [pairs[int(i)] for i in unclear]
            probs[unclear] = self.exact.predict(subset, batch_size=batch_size, progress=progress)
        self.scored += len(pairs)
        self.rescored += len(unclear)
        self.last_rescored = len(unclear)
        return probs

    def describe(self) -> str:
        """One line: the path and how many pairs were re-scored so far.

        >>> class Stub:
        ...     model_id, max_length = "m", 128
        >>> HybridNLIModel(Stub(), lambda: Stub(), 0.9).describe()  # type: ignore[arg-type]
        'hybrid: int8 onnx; 0 of 0 pairs re-scored in exact fp32 (int8 top probability < 0.9)'
        """
        return (
            f"hybrid: int8 onnx; {self.rescored} of {self.scored} pairs re-scored in exact fp32 "
            f"(int8 top probability < {self.rescore_below:g})"
        )

    def stats(self) -> dict[str, Any]:
        """JSON-ready counters for a report's stats."""
        return {
            "path": "hybrid",
            "pairs": self.scored,
            "rescored": self.rescored,
            "rescore_below": self.rescore_below,
        }
