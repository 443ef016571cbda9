"""Alignment recall on real cross-outlet text: do gold pairs come out as candidate pairs?

Alignment decides which claim pairs the rule checks and the NLI model ever see, so a pair it
misses is a discrepancy no check can find. This script measures that on its own, apart from the
checks.

Gold pairs come from MRPC (built by eval/make_real_pairs.py, already split by story):

- ``paraphrase``: real paraphrase pairs (``runs/eval/real_paraphrases.jsonl``);
- ``injected``: real paraphrase pairs with one value changed on one side
  (``runs/eval/injected.jsonl``, ``expect: fire``, checks numeric, temporal, place and
  entity_role: the cases whose values differ, which alignment on raw text is most likely to
  drop; the negation edits change no value and are left out).

Each gold pair becomes a two-article bundle: each sentence is put at a random position among
10-20 distractor sentences (``--distractors``) drawn from other stories of the same split (MRPC
paraphrase sentences with another Web Date: every story of the split rule lies within one
date), one sentence a paragraph. Distractors come from a seeded sample of ``--pool`` sentences
per split, so that the embedder meets each one once and the run stays short.

The real path then runs: :func:`claims.extract.extract_article` (spaCy via
:func:`claims.nlp.load_nlp`, annotation included) and :func:`claims.align.align_claims` with the
shipped embedder (:func:`claims.embeddings.load_embedder`) and the pipeline's alignment
settings.

Reported per split and kind of pair, with masking off and on:

- ``recall``: gold pairs of which a claim of one sentence and a claim of the other form a
  candidate pair (a sentence that gives no claim counts as a miss; ``extracted`` says how many
  pairs had a claim on both sides);
- ``nli recall``: of those, the pairs that also reach NLI (rank 1 and raw cosine at least
  ``nli_min_similarity``);
- ``pairs/claim``: candidate pairs per aligned claim over the whole bundle (the cost: every
  candidate pair goes through the rule checks), and ``nli/claim``: the pairs that go to NLI;
- with ``--rules``, what the rule checks (``rules.registry.run_rules``, no NLI) then report:
  ``gold fired``, the gold pairs with a finding (on paraphrases a false alarm, on injected pairs
  a detection), and ``other alarms``, findings on candidate pairs that are not the gold pair
  (distractors are faithful sentences of unrelated stories: every such finding is false), per
  100 bundles.

``--sweep`` adds masked-similarity thresholds (``--thresholds``) to choose
``align_min_masked_similarity`` on dev; choose on dev only, report test once.

    python eval/alignment_recall.py                       # default: 100 pairs per split and kind
    python eval/alignment_recall.py --split dev --sweep --rules --limit 300   # choose on dev
    python eval/alignment_recall.py --limit 0             # every pair (slow: about an hour)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import random
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from checker.settings import Settings  # noqa: E402
from claims.align import align_claims  # noqa: E402
from claims.records import MIN_CLAIM_WORDS, Article, Claim  # noqa: E402

log = logging.getLogger("alignment_recall")

SEED = 12
#: the injected edits whose values differ between the two sides.
VALUE_CHECKS = ("numeric", "temporal", "place", "entity_role")
KINDS = ("paraphrase", "injected")
#: the pipeline's alignment defaults (``checker.settings.Settings``, their one home).
_DEFAULTS = Settings()
ALIGN_MIN_MASKED_SIMILARITY = _DEFAULTS.align_min_masked_similarity
ALIGN_MIN_SIMILARITY = _DEFAULTS.align_min_similarity
ALIGN_MIN_FUZZY = _DEFAULTS.align_min_fuzzy
ALIGN_TOP_K = _DEFAULTS.align_top_k
NLI_MIN_SIMILARITY = _DEFAULTS.nli_min_similarity


@dataclass(frozen=True)
class AlignConfig:
    """Alignment settings (``claims.align.AlignSettings``) for one measured configuration."""

    name: str
    align_on_masked_text: bool
    align_min_masked_similarity: float = ALIGN_MIN_MASKED_SIMILARITY
    align_min_similarity: float = ALIGN_MIN_SIMILARITY
    align_min_fuzzy: float = ALIGN_MIN_FUZZY
    align_top_k: int = ALIGN_TOP_K
    min_claim_words: int = MIN_CLAIM_WORDS


@dataclass(frozen=True)
class Case:
    id: str
    kind: str  # paraphrase | injected
    split: str
    detail: str  # the injected check, or "" for a paraphrase
    a: dict[str, Any]
    b: dict[str, Any]


@dataclass
class Bundle:
    case: Case
    claims: list[Claim]
    gold_a: set[str]  # claim ids made from the gold sentence of article a
    gold_b: set[str]


@dataclass
class Tally:
    cases: int = 0
    extracted: int = 0
    found: int = 0
    found_nli: int = 0
    claims: int = 0
    pairs: int = 0
    nli_pairs: int = 0
    gold_fired: int = 0  # gold pairs with a rule finding (--rules)
    other_alarms: int = 0  # rule findings on candidate pairs other than the gold pair (--rules)
    by_detail: dict[str, list[int]] = field(default_factory=dict)  # detail -> [cases, found]

    def row(self) -> dict[str, float]:
        n = max(1, self.cases)
        return {
            "pairs": self.cases,
            "extracted": self.extracted,
            "recall": self.found / n,
            "nli_recall": self.found_nli / n,
            "pairs_per_claim": self.pairs / max(1, self.claims),
            "nli_per_claim": self.nli_pairs / max(1, self.claims),
            "gold_fired": self.gold_fired / n,
            "other_alarms_per_100": 100 * self.other_alarms / n,
        }


class MemoEmbedder:
    """The shipped embedder with a memory of texts already encoded (distractors recur)."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self._memo: dict[str, np.ndarray] = {}

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        todo = sorted({t for t in texts if t not in self._memo})
        if todo:
            for text, vec in zip(todo, self._inner.encode(todo), strict=True):
                self._memo[text] = vec
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([self._memo[t] for t in texts])


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_cases(pairs_dir: Path) -> list[Case]:
    cases = [
        Case(r["id"], "paraphrase", r["split"], "", r["a"], r["b"])
        for r in read_jsonl(pairs_dir / "real_paraphrases.jsonl")
    ]
    cases += [
        Case(r["id"], "injected", r["split"], r["check"], r["a"], r["b"])
        for r in read_jsonl(pairs_dir / "injected.jsonl")
        if r["expect"] == "fire" and r["check"] in VALUE_CHECKS
    ]
    return cases


def sample(cases: Sequence[Case], limit: int, seed: int) -> list[Case]:
    """At most ``limit`` cases per split and kind (0: all), seeded, in a stable order."""
    out: list[Case] = []
    for split in sorted({c.split for c in cases}):
        for kind in KINDS:
            group = sorted((c for c in cases if c.split == split and c.kind == kind), key=_id)
            if limit and len(group) > limit:
                group = random.Random(f"{seed}:{split}:{kind}").sample(group, limit)
            out += sorted(group, key=_id)
    return out


def _id(case: Case) -> str:
    return case.id


def distractor_pool(
    cases: Iterable[Case], size: int, seed: int
) -> dict[str, list[tuple[str, str]]]:
    """(text, date) of ``size`` distinct sentences of the paraphrase pairs per split (seeded;
    0: all of them)."""
    pool: dict[str, dict[str, str]] = {}
    for c in cases:
        if c.kind != "paraphrase":
            continue
        for side in (c.a, c.b):
            if side.get("published"):  # undated sentences cannot be told from the gold story
                pool.setdefault(c.split, {})[side["text"]] = side["published"][:10]
    out = {}
    for split, texts in pool.items():
        items = sorted(texts.items())
        if size and len(items) > size:
            items = sorted(random.Random(f"{seed}:pool:{split}").sample(items, size))
        out[split] = items
    return out


def make_article(
    aid: str, side: dict[str, Any], others: Sequence[str], rng: random.Random
) -> tuple[Article, int, int]:
    """An article of ``others`` with the gold sentence at a random place; its span in the text."""
    paragraphs = list(others)
    at = rng.randrange(len(paragraphs) + 1)
    paragraphs.insert(at, side["text"])
    start = sum(len(p) + 2 for p in paragraphs[:at])
    published = dt.datetime.fromisoformat(side["published"]) if side.get("published") else None
    article = Article(
        id=aid,
        outlet=side.get("outlet") or aid,
        text="\n\n".join(paragraphs),
        source=f"{aid}.md",
        published=published,
    )
    return article, start, start + len(side["text"])


def build_bundle(
    case: Case,
    pool: Sequence[tuple[str, str]],
    distractors: tuple[int, int],
    seed: int,
    nlp: Any,
) -> Bundle:
    from claims.extract import extract_article

    rng = random.Random(f"{seed}:{case.id}")
    gold_dates = {(side.get("published") or "")[:10] for side in (case.a, case.b)}
    gold_texts = {case.a["text"], case.b["text"]}
    usable = [t for t, d in pool if d not in gold_dates and t not in gold_texts]
    claims: list[Claim] = []
    gold: list[set[str]] = []
    for aid, side in (("a", case.a), ("b", case.b)):
        others = rng.sample(usable, rng.randint(*distractors))
        article, start, end = make_article(aid, side, others, rng)
        found = extract_article(article, nlp, MIN_CLAIM_WORDS).claims
        claims += found
        gold.append({c.id for c in found if c.sentence.start < end and start < c.sentence.end})
    return Bundle(case, claims, gold[0], gold[1])


def measure(
    bundles: Sequence[Bundle], config: AlignConfig, embedder: Any, rules: Any = None
) -> dict[str, Tally]:
    """Tallies per ``split/kind`` for one configuration (``rules``: rule configs to run)."""
    if rules is not None:
        from rules.registry import run_rules
    tallies: dict[str, Tally] = {}
    for bundle in bundles:
        case = bundle.case
        tally = tallies.setdefault(f"{case.split}/{case.kind}", Tally())
        result = align_claims(bundle.claims, embedder, config)
        tally.cases += 1
        tally.extracted += bool(bundle.gold_a and bundle.gold_b)
        tally.claims += result.aligned_claims
        tally.pairs += len(result.pairs)
        nli = [p for p in result.pairs if p.rank == 1 and p.similarity >= NLI_MIN_SIMILARITY]
        tally.nli_pairs += len(nli)
        hit = any(_is_gold(p.a, p.b, bundle) for p in result.pairs)
        tally.found += hit
        tally.found_nli += any(_is_gold(p.a, p.b, bundle) for p in nli)
        if rules is not None:
            by_id = {c.id: c for c in bundle.claims}
            gold_fired = False
            for p in result.pairs:
                hits = run_rules(by_id[p.a], by_id[p.b], rules)
                if _is_gold(p.a, p.b, bundle):
                    gold_fired |= bool(hits)
                else:
                    tally.other_alarms += len(hits)
            tally.gold_fired += gold_fired
        counts = tally.by_detail.setdefault(case.detail or "paraphrase", [0, 0])
        counts[0] += 1
        counts[1] += hit
    return tallies


def _is_gold(x: str, y: str, bundle: Bundle) -> bool:
    return (x in bundle.gold_a and y in bundle.gold_b) or (
        x in bundle.gold_b and y in bundle.gold_a
    )


def configs(sweep: bool, thresholds: Sequence[float]) -> list[AlignConfig]:
    out = [
        AlignConfig("raw", align_on_masked_text=False),
        AlignConfig("masked", align_on_masked_text=True),
    ]
    if sweep:
        out += [
            AlignConfig(f"masked@{t:.2f}", True, align_min_masked_similarity=t)
            for t in thresholds
            if abs(t - ALIGN_MIN_MASKED_SIMILARITY) > 1e-9
        ]
    return out


def table(results: dict[str, dict[str, Tally]], rules: bool) -> str:
    head = (
        f"{'split/kind':<18}{'config':<14}{'pairs':>6}{'extr.':>6}{'recall':>8}"
        f"{'nli rec.':>9}{'pairs/claim':>12}{'nli/claim':>10}"
    )
    if rules:
        head += f"{'gold fired':>11}{'other alarms':>13}"
    lines = [head, "-" * len(head)]
    groups = sorted({g for tallies in results.values() for g in tallies})
    for group in groups:
        for name, tallies in results.items():
            if group not in tallies:
                continue
            r = tallies[group].row()
            line = (
                f"{group:<18}{name:<14}{r['pairs']:>6}{r['extracted']:>6}{r['recall']:>8.3f}"
                f"{r['nli_recall']:>9.3f}{r['pairs_per_claim']:>12.3f}{r['nli_per_claim']:>10.3f}"
            )
            if rules:
                line += f"{r['gold_fired']:>11.3f}{r['other_alarms_per_100']:>13.1f}"
            lines.append(line)
    return "\n".join(lines)


def detail_table(results: dict[str, dict[str, Tally]]) -> str:
    """Recall per injected check (both splits' groups listed separately)."""
    lines = [f"{'split/kind':<18}{'check':<13}" + "".join(f"{n:>14}" for n in results)]
    first = next(iter(results.values()))
    for group in sorted(first):
        for detail in sorted(first[group].by_detail):
            cells = []
            for tallies in results.values():
                n, hit = tallies[group].by_detail[detail]
                cells.append(f"{hit:>5}/{n:<4}{hit / max(1, n):>5.2f}")
            lines.append(f"{group:<18}{detail:<13}" + "".join(f"{c:>14}" for c in cells))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=Path, default=ROOT / "runs" / "eval")
    parser.add_argument(
        "--limit", type=int, default=100, help="pairs per split and kind (0: all); seeded"
    )
    parser.add_argument(
        "--pool", type=int, default=400, help="distractor sentences per split (0: all); seeded"
    )
    parser.add_argument("--rules", action="store_true", help="also run the rule checks")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--split", choices=["dev", "test", "both"], default="both")
    parser.add_argument(
        "--distractors", type=int, nargs=2, default=(10, 20), metavar=("MIN", "MAX")
    )
    parser.add_argument("--sweep", action="store_true", help="also try --thresholds (masked)")
    parser.add_argument(
        "--thresholds", type=float, nargs="+", default=[0.60, 0.65, 0.70, 0.75, 0.80]
    )
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")

    from claims.embeddings import load_embedder
    from claims.nlp import load_nlp

    started = time.perf_counter()
    cases = load_cases(args.pairs)
    pool = distractor_pool(cases, args.pool, args.seed)
    if args.split != "both":
        cases = [c for c in cases if c.split == args.split]
    chosen = sample(cases, args.limit, args.seed)
    nlp = load_nlp()
    embedder = MemoEmbedder(load_embedder())
    bundles = [
        build_bundle(c, pool[c.split], tuple(args.distractors), args.seed, nlp) for c in chosen
    ]
    t_extract = time.perf_counter() - started
    rules = None
    if args.rules:
        from rules.registry import load_rule_configs

        rules = load_rule_configs()
    results = {
        cfg.name: measure(bundles, cfg, embedder, rules)
        for cfg in configs(args.sweep, args.thresholds)
    }
    print(table(results, args.rules))
    print()
    print(detail_table(results))
    elapsed = time.perf_counter() - started
    print(
        f"\n{len(bundles)} bundles, {sum(len(b.claims) for b in bundles)} claims; "
        f"extraction {t_extract:.0f} s, total {elapsed:.0f} s "
        f"(limit {args.limit}, pool {args.pool}, seed {args.seed})"
    )
    if args.json:
        payload = {
            "limit": args.limit,
            "seed": args.seed,
            "distractors": list(args.distractors),
            "pool": args.pool,
            "results": {
                name: {group: t.row() for group, t in tallies.items()}
                for name, tallies in results.items()
            },
        }
        args.json.write_text(json.dumps(payload, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
