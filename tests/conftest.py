"""Shared fixtures: models are loaded once per test session (they take seconds)."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


@pytest.fixture(scope="session")
def nlp():
    from claims.nlp import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def embedder():
    from claims.embeddings import load_embedder

    return load_embedder()


@pytest.fixture(scope="session")
def models(nlp, embedder):
    """Pipeline models sharing the session's spaCy and embedder (NLI loaded on first use)."""
    from checker.pipeline import Models
    from checker.settings import Settings

    m = Models(Settings())
    m._nlp = nlp
    m._embedder = embedder
    return m
