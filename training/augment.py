"""Extra unlabelled pairs for distillation, made from the training pairs themselves.

The teacher can label any pair, so the student can learn from more inputs than the labelled
sets hold. Two kinds, both from training sources only (held-out sets are never touched):

- ``reversed``: hypothesis as premise and premise as hypothesis;
- ``sibling``: two hypotheses written for the same premise, one as the premise of the other.

Neither has a gold label (a reversed entailment may be neutral), so they carry the label
``unlabeled`` and train only through the teacher's probabilities.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from training.data import Example

UNLABELED = "unlabeled"


def derived_pairs(examples: Sequence[Example], limit: int, seed: int) -> list[Example]:
    """Up to ``limit`` reversed and sibling pairs (half each when both are plentiful).

    >>> rows = [Example("P", "h1", "entailment"), Example("P", "h2", "contradiction")]
    >>> sorted(f"{e.group}: {e.premise} > {e.hypothesis}" for e in derived_pairs(rows, 10, seed=0))
    ['reversed: h1 > P', 'reversed: h2 > P', 'sibling: h1 > h2', 'sibling: h2 > h1']
    """
    rng = random.Random(seed)
    by_premise: dict[str, list[str]] = {}
    for e in examples:
        by_premise.setdefault(e.premise, []).append(e.hypothesis)
    reversed_pairs = [Example(e.hypothesis, e.premise, UNLABELED, "reversed") for e in examples]
    siblings = [
        Example(a, b, UNLABELED, "sibling")
        for hypotheses in by_premise.values()
        for a in hypotheses
        for b in hypotheses
        if a != b
    ]
    rng.shuffle(reversed_pairs)
    rng.shuffle(siblings)
    half = limit // 2
    take_siblings = min(len(siblings), max(half, limit - len(reversed_pairs)))
    take_reversed = min(len(reversed_pairs), limit - take_siblings)
    return reversed_pairs[:take_reversed] + siblings[:take_siblings]
