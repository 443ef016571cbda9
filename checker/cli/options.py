"""What several commands share: logging set-up, settings from files and flags, the input to check.

>>> from checker.settings import Settings
>>> read_input(None, Settings())
Traceback (most recent call last):
...
ValueError: give a bundle (folders or files) or --db FILE --event ID
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from checker.settings import Settings
from claims.records import Article, InputProblem

if TYPE_CHECKING:
    from checker.cache import SqliteCache

EXIT_OK = 0
EXIT_INPUT_ERROR = 2

#: where ``report`` and ``gate`` keep claims, embeddings and NLI results between runs
#: (``--cache-dir``; ``--no-cache`` neither reads nor writes it).
DEFAULT_CACHE_DIR = Path(".crossclaim-cache")
#: the environment variable that overrides that default (a flag overrides both).
CACHE_DIR_ENV = "CROSSCLAIM_CACHE_DIR"


def configure_logging(verbose: bool, quiet: bool) -> None:
    """Log to stderr: INFO with --verbose, errors only with --quiet, else warnings."""
    level = logging.INFO if verbose else logging.ERROR if quiet else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", force=True)
    # third-party libraries are chatty at INFO/WARNING about things users cannot act on
    for noisy in ("sentence_transformers", "transformers", "trafilatura", "htmldate", "urllib3"):
        logging.getLogger(noisy).setLevel(max(level, logging.ERROR))
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def build_settings(
    settings_file: Path | None,
    rules: Path | None,
    no_nli: bool,
    nli_model: str | None,
    nli_backend: str | None,
) -> Settings:
    """Settings from the configuration file (``checker/cli/config.py``), an optional settings
    file and the command line's overrides; a bad configuration file exits 2 with one line."""
    from checker.cli.config import config_or_exit

    run = config_or_exit(
        {"rules": rules, "settings": settings_file},
        {
            "use_nli": ("--no-nli", False if no_nli else None),
            "nli_model": ("--nli-model", nli_model),
            "nli_backend": ("--nli-backend", nli_backend),
        },
    )
    return run.settings


def read_input(
    paths: Sequence[Path] | None,
    settings: Settings,
    *,
    db: str | None = None,
    event: str | None = None,
) -> tuple[list[Article], list[InputProblem]]:
    """The articles to check: a bundle's files, or an event of the review store.

    Raises ValueError (one line) when neither or both are given.
    """
    if event:
        if not db:
            raise ValueError("--event needs --db FILE (the store the event lives in)")
        if paths:
            raise ValueError("give either a bundle or --db/--event, not both")
        from checker.workspace.store import articles_for_event, database_url

        return articles_for_event(database_url(db), event), []
    if not paths:
        raise ValueError("give a bundle (folders or files) or --db FILE --event ID")
    from claims.readers import read_bundle

    return read_bundle([Path(p) for p in paths], settings.max_file_bytes, settings.read_limits())


def open_run_cache(cache_dir: Path, no_cache: bool) -> SqliteCache | None:
    """The cache a command reads and writes, or ``None`` with ``--no-cache``. A cache that
    cannot be opened (a read-only folder, a full disk) is one warning line, never a failure."""
    if no_cache:
        return None
    from checker.cache import open_cache

    try:
        return open_cache(cache_dir)
    except OSError as exc:
        typer.echo(
            f"warning: {cache_dir}: cannot use the cache ({exc.strerror or exc}); "
            "running without it",
            err=True,
        )
        return None
