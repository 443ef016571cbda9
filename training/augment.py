"""Extra unlabelled pairs for distillation, made from the training pairs themselves.

The teacher can label any pair, so the student can learn from more inputs than the labelled
sets hold. Three kinds, all from training sources only (held-out sets are never touched):

- ``reversed``: hypothesis as premise and premise as hypothesis;
- ``sibling``: two hypotheses written for the same premise, one as the premise of the other;
- ``swapped``: the hypothesis with one content word replaced by a near neighbour in the
  student's input embeddings (TinyBERT's word-replacement augmentation).

None has a gold label (a reversed entailment may be neutral), so they carry the label
``unlabeled`` and train only through the teacher's probabilities.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence

import numpy as np

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


def word_neighbours(
    vocab: Sequence[str], vectors: np.ndarray, words: Sequence[str], k: int
) -> dict[str, list[str]]:
    """The ``k`` nearest whole words (cosine over ``vectors``) of each of ``words``.

    ``vocab`` and ``vectors`` are an encoder's WordPiece vocabulary and input embeddings; only
    alphabetic whole words of three or more letters are candidates (no ``##`` pieces), and
    inflections are skipped (a neighbour sharing its first four letters with the word), so that
    "kick" gets "punt", not "kicked".

    >>> vocab = ["man", "woman", "dog", "cat", "##s"]
    >>> vectors = np.array([[1, 0.1], [1, 0.2], [0, 1], [0.1, 1], [1, 1]], dtype=np.float32)
    >>> word_neighbours(vocab, vectors, ["man", "dog", "zebra"], k=1)
    {'man': ['woman'], 'dog': ['cat']}
    """
    index = {w: i for i, w in enumerate(vocab)}
    candidates = [i for i, w in enumerate(vocab) if w.isalpha() and len(w) >= 3]
    unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-8)
    pool = unit[candidates]
    wanted = [w for w in dict.fromkeys(words) if w in index]
    out: dict[str, list[str]] = {}
    for start in range(0, len(wanted), 1024):
        chunk = wanted[start : start + 1024]
        scores = unit[[index[w] for w in chunk]] @ pool.T
        for word, row in zip(chunk, scores, strict=True):
            order = np.argsort(-row)[: 4 * k]
            found = (vocab[candidates[j]] for j in order)
            out[word] = [w for w in found if not same_stem(w, word)][:k]
    return out


def same_stem(a: str, b: str) -> bool:
    """Whether two words are one word's inflections, by a shared start of four letters.

    >>> same_stem("kick", "kicked"), same_stem("tested", "test"), same_stem("man", "woman")
    (True, True, False)
    """
    n = min(4, len(a), len(b))
    return a[:n] == b[:n]


def content_words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, lower-cased word) of each alphabetic non-stop word of three or more letters.

    >>> content_words("A man is not riding a red bike.")
    [(2, 5, 'man'), (13, 19, 'riding'), (22, 25, 'red'), (26, 30, 'bike')]
    """
    from spacy.lang.en.stop_words import STOP_WORDS

    return [
        (m.start(), m.end(), m.group().lower())
        for m in re.finditer(r"[A-Za-z]+", text)
        if len(m.group()) >= 3 and m.group().lower() not in STOP_WORDS
    ]


def swapped_pairs(
    examples: Sequence[Example],
    neighbours: dict[str, list[str]],
    per_hypothesis: int,
    seed: int,
) -> list[Example]:
    """Premise with its hypothesis after one content word is swapped for a near neighbour.

    The word-replacement augmentation of TinyBERT (Jiao et al., 2020): small, plausible edits
    whose effect (often a contradiction, sometimes none) only the teacher can say, so the pairs
    carry no gold label. Capitalised words keep their capital.

    >>> rows = [Example("A man rides a bike.", "A man rides.", "entailment")]
    >>> [e.hypothesis for e in swapped_pairs(rows, {"man": ["woman"]}, 1, seed=0)]
    ['A woman rides.']
    """
    rng = random.Random(seed)
    out: list[Example] = []
    for e in examples:
        spots = [s for s in content_words(e.hypothesis) if neighbours.get(s[2])]
        for start, end, word in rng.sample(spots, min(per_hypothesis, len(spots))):
            new = rng.choice(neighbours[word])
            if e.hypothesis[start].isupper():
                new = new.capitalize()
            hypothesis = e.hypothesis[:start] + new + e.hypothesis[end:]
            out.append(Example(e.premise, hypothesis, UNLABELED, "swapped"))
    return out
