"""Syndicated copies: articles of different outlets that share one url stay separate articles
in the review store (identity is outlet plus url), so none of their findings vanish."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from example_paths import EXAMPLES
from sqlalchemy import text

from checker.pipeline import Models, check_articles
from checker.settings import Settings
from checker.workspace.ingest import ingest_paths, pipeline_check
from checker.workspace.store import (
    IDENTITY_SCHEME,
    article_versions,
    connect,
    identity_key,
    latest_articles,
    list_findings,
    save_articles,
)
from claims.readers import read_bundle
from claims.records import Article

SHARED_URL = "https://wire.example/2021/12/15/blinken-ends-asia-trip"


def test_identity_is_outlet_plus_url() -> None:
    a = Article(id="a", outlet="Reuters", text="t", source="a.md", url=SHARED_URL)
    b = Article(id="b", outlet="CBS News", text="t", source="b.md", url=SHARED_URL)
    assert identity_key(a) != identity_key(b)
    same = Article(id="c", outlet=" reuters ", text="u", source="c.md", url=SHARED_URL + " ")
    assert identity_key(a) == identity_key(same)


def test_same_url_from_two_outlets_is_two_articles_and_same_outlet_is_a_version(engine) -> None:
    a = Article(id="a", outlet="Reuters", text="One.", source="a.md", url=SHARED_URL)
    b = Article(id="b", outlet="CBS News", text="Two.", source="b.md", url=SHARED_URL)
    first = save_articles(engine, [a, b])
    assert len(first.added) == 2 and not first.versioned
    changed = Article(
        id="a", outlet="Reuters", text="One, corrected.", source="a.md", url=SHARED_URL
    )
    second = save_articles(engine, [changed])
    assert len(second.versioned) == 1
    assert [v.version for v in article_versions(engine, identity_key(changed))] == [1, 2]
    assert len(latest_articles(engine)) == 2


def test_a_store_with_url_only_identities_is_migrated(tmp_path: Path) -> None:
    """Rows written by the url-only scheme (two outlets made versions of one article) become two
    articles again, each latest, when the store is opened."""
    db = f"sqlite:///{tmp_path / 'old.db'}"
    engine = connect(db)
    a = Article(id="a", outlet="Reuters", text="One.", source="a.md", url=SHARED_URL)
    b = Article(id="b", outlet="CBS News", text="Two.", source="b.md", url=SHARED_URL)
    save_articles(engine, [a, b])
    with engine.begin() as conn:  # rewrite the rows as the old scheme left them
        conn.execute(text("UPDATE articles SET identity = :i"), {"i": f"url:{SHARED_URL}"})
        conn.execute(text("UPDATE articles SET version = 1, latest = 0 WHERE outlet = 'Reuters'"))
        conn.execute(text("UPDATE articles SET version = 2, latest = 1 WHERE outlet = 'CBS News'"))
        conn.execute(text("DELETE FROM store_meta"))
    engine.dispose()
    engine = connect(db)
    latest = latest_articles(engine)
    assert sorted(s.article.outlet for s in latest) == ["CBS News", "Reuters"]
    assert all(s.version == 1 for s in latest)
    with engine.connect() as conn:
        scheme = conn.execute(text("SELECT value FROM store_meta")).scalar_one()
    assert scheme == IDENTITY_SCHEME
    engine.dispose()


@pytest.fixture(scope="module")
def syndicated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The four Blinken articles, all carrying one shared url (as a wire story run by four
    outlets would)."""
    folder = tmp_path_factory.mktemp("syndicated")
    for source in sorted((EXAMPLES / "blinken-2021-12").glob("*.md")):
        if source.name == "README.md":
            continue
        raw = source.read_text(encoding="utf-8")
        raw = re.sub(r"(?m)^url: .*$", f"url: {SHARED_URL}", raw, count=1)
        (folder / source.name).write_text(raw, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def rule_models(models) -> Models:  # noqa: ANN001 - the session fixture of tests/conftest.py
    loaded = Models(Settings(use_nli=False))
    loaded._nlp, loaded._embedder = models._nlp, models._embedder
    return loaded


def test_syndicated_copies_keep_their_findings_in_the_store(
    syndicated: Path, rule_models: Models, tmp_path: Path
) -> None:
    settings = Settings(use_nli=False)
    articles, problems = read_bundle([syndicated])
    assert len(articles) == 4 and not problems
    assert len({a.url for a in articles}) == 1
    direct = check_articles(articles, [], settings, models=rule_models)
    # the audit: 2 findings in a report, 0 in the store (now one finding: Business Insider's
    # bullet and body are grouped, the body listed in its ``also_at``)
    assert len(direct.findings) >= 1 and direct.stats["grouped_findings"] >= 1

    db = f"sqlite:///{tmp_path / 'review.db'}"
    result = ingest_paths(
        db,
        [syndicated],
        settings,
        check=pipeline_check(settings, rule_models),
        embedder_factory=lambda: rule_models.embedder,
        nlp_factory=lambda: rule_models.nlp,
    )
    assert result.added == 4 and result.versioned == 0
    engine = connect(db)
    assert len(latest_articles(engine)) == 4
    stored = {s.fingerprint for s in list_findings(engine)}
    engine.dispose()
    assert stored == {f.fingerprint for f in direct.findings}
