"""How recall and false alarms change with the share of cross-outlet pairs sent to the NLI model.

The pipeline asks the NLI model only about aligned pairs at least ``nli_min_similarity`` alike
(cosine of the claims' embeddings). Lowering that cut sends more pairs to the model (slower) and
may find more discrepancies the rules miss. For each cut this prints:

- ``share``: NLI pairs / cross-outlet pairs of the Blinken bundle (``crossclaim report`` stats;
  the target is at most 1 in 20) and whether its headline contradiction is still reported;
- on real cross-outlet pairs (``eval/make_real_pairs.py``: injected discrepancies, must flag; real
  faithful paraphrases, must not), the share of pairs flagged by rules alone, by NLI alone (pair
  cosine >= cut and contradiction score >= ``nli_contradiction_threshold`` with ``nli_policy``),
  and by either, as the pipeline reports them.

    python benchmarks/nli_share_recall.py [--pairs-dir runs/eval] [--split dev] [--sample 400]

Needs the pair files (``python eval/make_real_pairs.py --mrpc ../shared/data/paraphrase/mrpc
--out runs/eval``). Each pair is scored as one claim per side (``rules.scoring.claims_from_text``;
pairs whose sides are not one claim each are skipped and counted).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import numpy as np  # noqa: E402

from checker.compare import pair_score  # noqa: E402
from checker.nli.backends import load_nli  # noqa: E402
from checker.nli.cpu import cpu_summary  # noqa: E402
from checker.nli.input_text import nli_text  # noqa: E402
from checker.pipeline import load_models, run_report  # noqa: E402
from checker.settings import Settings  # noqa: E402
from claims.embeddings import load_embedder  # noqa: E402
from claims.nlp import load_nlp  # noqa: E402
from rules.registry import load_rule_configs, run_rules  # noqa: E402
from rules.scoring import claims_from_text, load_pairs  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CUTS = (0.5, 0.6, 0.7, 0.8, 0.9)
SEED = 11


def bundle_shares(cuts: tuple[float, ...]) -> list[tuple[float, float, bool]]:
    """(cut, NLI share of cross-outlet pairs, headline found) on the Blinken bundle."""
    base = Settings()
    models = load_models(base)
    out = []
    for cut in cuts:
        settings = base.with_overrides(nli_min_similarity=cut)
        models.settings = settings
        report = run_report([ROOT / "examples" / "blinken-2021-12"], settings, models=models)
        stats = report.stats
        share = stats["nli_pairs"] / max(1, stats["cross_outlet_pairs"])
        headline = any(
            f.check == "temporal" and f.verdict == "contradiction" for f in report.findings
        )
        out.append((cut, share, headline))
    return out


def sample(path: Path, split: str, expect: str, n: int) -> list:
    pairs = [p for p in load_pairs(path) if p.split == split and p.expect == expect]
    random.Random(SEED).shuffle(pairs)
    return pairs[:n]


def score_pairs(pairs: list, settings: Settings) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Per pair: rules fired (bool), cosine, NLI contradiction score; and pairs skipped."""
    nlp = load_nlp()
    configs = load_rule_configs()
    embedder = load_embedder()
    nli = load_nli(settings.nli_model, settings.nli_backend)
    fired, texts, shown, skipped = [], [], [], 0
    for p in pairs:
        a = claims_from_text(p.a.text, p.a.outlet, p.a.published, nlp, f"{p.id}-a")
        b = claims_from_text(p.b.text, p.b.outlet, p.b.published, nlp, f"{p.id}-b")
        if len(a) != 1 or len(b) != 1:
            skipped += 1
            continue
        fired.append(bool(run_rules(a[0], b[0], configs)))
        texts.append((a[0].text, b[0].text))
        shown.append((nli_text(a[0]), nli_text(b[0])))
    vectors = embedder.encode([t for pair in texts for t in pair])
    vectors = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    cosine = np.sum(vectors[0::2] * vectors[1::2], axis=1)
    both_ways = [x for a, b in shown for x in ((a, b), (b, a))]
    probs = nli.predict(both_ways, batch_size=settings.nli_batch_size)
    score = np.array(
        [
            pair_score(tuple(probs[2 * i]), tuple(probs[2 * i + 1]), settings.nli_policy)
            for i in range(len(shown))
        ]
    )
    return np.array(fired), cosine, score, skipped


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs-dir", type=Path, default=ROOT / "runs" / "eval")
    parser.add_argument("--split", default="dev")
    parser.add_argument("--sample", type=int, default=400)
    parser.add_argument("--json", type=Path, help="also write the table here")
    args = parser.parse_args()
    settings = Settings()
    print(f"cpu: {cpu_summary()}; split {args.split}; {args.sample} pairs per set; seed {SEED}")
    started = time.perf_counter()
    shares = bundle_shares(CUTS)
    fires = sample(args.pairs_dir / "injected.jsonl", args.split, "fire", args.sample)
    faithful = sample(args.pairs_dir / "real_paraphrases.jsonl", args.split, "silent", args.sample)
    f_rules, f_cos, f_nli, f_skip = score_pairs(fires, settings)
    p_rules, p_cos, p_nli, p_skip = score_pairs(faithful, settings)
    print(
        f"injected discrepancies: {len(f_rules)} scored ({f_skip} not one claim a side); "
        f"faithful paraphrases: {len(p_rules)} scored ({p_skip} skipped); "
        f"NLI cut-off {settings.nli_contradiction_threshold} policy {settings.nli_policy}"
    )
    header = (
        f"{'cut':>5}{'NLI share':>11}{'headline':>10}{'R rules':>9}{'R NLI':>7}{'R both':>8}"
        f"{'FA rules':>10}{'FA NLI':>8}{'FA both':>9}"
    )
    print(header)
    rows = []
    threshold = settings.nli_contradiction_threshold
    for cut, share, headline in shares:
        f_model = (f_cos >= cut) & (f_nli >= threshold)
        p_model = (p_cos >= cut) & (p_nli >= threshold)
        row = {
            "cut": cut,
            "nli_share": round(share, 4),
            "headline": headline,
            "recall_rules": float(f_rules.mean()),
            "recall_nli": float(f_model.mean()),
            "recall_either": float((f_rules | f_model).mean()),
            "false_alarms_rules": float(p_rules.mean()),
            "false_alarms_nli": float(p_model.mean()),
            "false_alarms_either": float((p_rules | p_model).mean()),
        }
        rows.append(row)
        print(
            f"{cut:>5.2f}{share:>11.3f}{'yes' if headline else 'NO':>10}"
            f"{row['recall_rules']:>9.3f}{row['recall_nli']:>7.3f}{row['recall_either']:>8.3f}"
            f"{row['false_alarms_rules']:>10.3f}{row['false_alarms_nli']:>8.3f}"
            f"{row['false_alarms_either']:>9.3f}"
        )
    print(f"({time.perf_counter() - started:.0f} s)")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
