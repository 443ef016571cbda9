"""Event grouping figures: title+lead cosine and shared entities, same-story vs different-story.

Reads the example bundles (two stories) and, when present, the unrelated headline+blurb items
scraped with the Blinken seed (../shared/seeds). Prints, for every pair of articles, whether the
two are the same story, their cosine, shared entities and whether
``checker.workspace.events.linked`` links them; then the range of each group. Used to choose
``EventSettings`` (see its docstring).

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/event_grouping.py
"""

from __future__ import annotations

import itertools
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checker.workspace.events import EventSettings, compute_features, group_features, linked  # noqa: E402
from claims.embeddings import load_embedder  # noqa: E402
from claims.nlp import load_nlp  # noqa: E402
from claims.readers import read_bundle  # noqa: E402
from claims.records import Article  # noqa: E402

SEED = ROOT.parent / "shared" / "seeds" / "blinken-asia-trip-scrape.txt"


def seed_unrelated() -> list[Article]:
    """Headline + blurb items of other stories listed under the Yahoo copy in the seed."""
    if not SEED.is_file():
        return []
    lines = [ln.strip() for ln in SEED.read_text(encoding="utf-8").splitlines()]
    start = lines.index("Recommended Stories") + 1
    items = [ln for ln in lines[start : start + 60] if ln]
    articles = []
    for n, (head, blurb) in enumerate(zip(items[::2], items[1::2], strict=False)):
        if len(blurb) < 40:
            continue
        articles.append(
            Article(id=f"other{n}", outlet=f"other{n}", text=blurb, source="seed", title=head)
        )
    return articles


def main() -> None:
    settings = EventSettings()
    stories = {}
    articles: list[Article] = []
    for folder in sorted((ROOT / "examples").iterdir()):
        found, _ = read_bundle([folder])
        for a in found:
            stories[a.id] = folder.name
        articles.extend(found)
    for a in seed_unrelated():
        stories[a.id] = a.id
        articles.append(a)
    embedder, nlp = load_embedder(), load_nlp()
    t0 = time.perf_counter()
    feats = compute_features(articles, embedder, nlp, settings)
    t_feat = time.perf_counter() - t0
    same, other = [], []
    for x, y in itertools.combinations(feats, 2):
        cos = float(np.dot(x.vector, y.vector))
        shared = len(x.entities & y.entities)
        is_same = stories[x.key] == stories[y.key]
        (same if is_same else other).append((cos, shared))
        if is_same or cos >= 0.3:
            print(
                f"{'SAME ' if is_same else 'other'} cos={cos:.3f} shared={shared} "
                f"linked={linked(x, y, settings)}  {x.key} / {y.key}"
            )
    print(
        f"same-story pairs: {len(same)}, cosine {min(c for c, _ in same):.3f}-"
        f"{max(c for c, _ in same):.3f}, shared entities {min(s for _, s in same)}-"
        f"{max(s for _, s in same)}"
    )
    print(
        f"different-story pairs: {len(other)}, cosine {min(c for c, _ in other):.3f}-"
        f"{max(c for c, _ in other):.3f}, shared entities {min(s for _, s in other)}-"
        f"{max(s for _, s in other)}"
    )
    events = group_features(feats, settings)
    print(
        f"{len(articles)} articles -> {len(events)} events; sizes "
        f"{[len(e.article_ids) for e in events]}; features {t_feat:.2f}s"
    )


if __name__ == "__main__":
    main()
