"""Cost of one event against its number of outlets: all-pairs against consensus comparison.

For each size N (outlets; default 4, 16, 64, 128) it generates ``--events`` events of exactly N
outlets with ``eval/make_feed.py``'s :func:`make_event` (MRPC paraphrase sentences as the facts,
one planted contradiction from ``runs/eval/injected.jsonl`` per event, its edited side given by
``max(1, N // 16)`` outlets so that several outlets repeat one wrong value; seeds 1..E at every
size, so each size tells the same facts with the same planted edit), checks each event in both
comparison modes (``Settings.comparison``: ``all_pairs``, ``consensus``) with the NLI model on and
no cache, and prints per size and mode, averaged per event: rule calls, NLI pairs (claim pairs
scored), NLI model calls (distinct text pairs), findings, the recall of the planted rows and
seconds. Then it fits ``count = c * N ** k`` (least squares on logs) for each counter and mode.

Recall: the answer key has one row per (edited outlet, other outlet). A row is found when a
finding joins the two outlets with both planted sentences: directly (its two sides), or, for a
consensus finding, when one side is the edited outlet's sentence (or an outlet the finding lists
as giving the same value) and the other side is the consensus representative's sentence given by
the other outlet or by one the finding lists as agreeing with the consensus. "same check" also
needs the planted check.

    python benchmarks/consensus_scaling.py                      # about 4-5 minutes on 2 cores
    python benchmarks/consensus_scaling.py --sizes 4 16 64 --events 2 --all-pairs-max 64

``--all-pairs-max`` skips the all-pairs runs above that size (its cost grows with N²: about 47 s
per 128-outlet event here against 10 s for consensus, 9 of which are claim extraction).
Figures depend on the machine and its load: say which when quoting them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.batch import fit_exponent, load_make_feed  # noqa: E402

MODES = ("all_pairs", "consensus")
#: the planted check of event seed s is PLANTED[(s - 1) % 5] (every typed check in turn).
PLANTED = ("negation", "numeric", "temporal", "place", "entity_role")
COUNTERS = ("rule_calls", "nli_pairs", "nli_model_calls", "findings")


def _norm(text: str) -> str:
    return " ".join(str(text).split()).lower()


def same_sentence(side: str, planted: str) -> bool:
    """Whether a finding's side is the planted sentence (one holds the other: a claim may be
    part of the sentence).

    >>> same_sentence("Talks ended.", "Talks ended.  ")
    True
    """
    a, b = _norm(side), _norm(planted)
    return bool(a) and (a in b or b in a)


def finding_joins(finding: dict[str, Any]) -> list[tuple[set[str], str, set[str], str]]:
    """The (outlets, sentence, outlets, sentence) a finding stands for: its two sides, each with
    the outlets its consensus field lists on that side."""
    a, b = finding["a"], finding["b"]
    info = finding.get("consensus")
    if not info:
        return [({a["outlet"]}, a["text"], {b["outlet"]}, b["text"])]
    rep = info["representative"]["claim_id"]
    cons, dep = (a, b) if a["claim_id"] == rep else (b, a)
    with_cons = {cons["outlet"], *info["agree_with_consensus"]}
    with_dep = {dep["outlet"], *info["agree_with_this"]}
    return [(with_dep, dep["text"], with_cons, cons["text"])]


def recall(findings: list[dict[str, Any]], key: list[dict[str, Any]]) -> dict[str, Any]:
    """Planted rows found (any check / the planted check), and which (row numbers)."""
    joins = [(f["check"], j) for f in findings for j in finding_joins(f)]
    found = same = 0
    rows: list[int] = []
    for number, row in enumerate(key):
        ea, sa = row["a"]["outlet"], row["a"]["sentence"]
        eb, sb = row["b"]["outlet"], row["b"]["sentence"]
        checks = {
            check
            for check, (o1, t1, o2, t2) in joins
            if (ea in o1 and eb in o2 and same_sentence(t1, sa) and same_sentence(t2, sb))
            or (ea in o2 and eb in o1 and same_sentence(t2, sa) and same_sentence(t1, sb))
        }
        found += bool(checks)
        if checks:
            rows.append(number)
        same += row["check"] in checks
    return {"rows": len(key), "found": found, "found_same_check": same, "which": rows}


def run(args: argparse.Namespace) -> dict[str, Any]:
    from checker.pipeline import load_models, run_report
    from checker.settings import Settings

    mf = load_make_feed()
    corpus = mf.read_corpus(args.mrpc, args.injected)
    if not corpus.injected:
        raise SystemExit(f"no planted discrepancies: {args.injected} is missing")
    models = load_models(Settings())
    models.preload()
    rows: list[dict[str, Any]] = []
    for size in args.sizes:
        editors = max(1, size // 16)
        per_mode: dict[str, list[dict[str, Any]]] = {m: [] for m in MODES}
        for seed in range(1, args.events + 1):
            check = PLANTED[(seed - 1) % len(PLANTED)]
            members, key = mf.make_event(size, corpus, seed=seed, editors=editors, check=check)
            folder = args.out / f"event-{size}-{seed}"
            if folder.exists():
                shutil.rmtree(folder)
            folder.mkdir(parents=True)
            for article in members:
                (folder / article.file).write_text(article.markdown(), encoding="utf-8")
            for mode in MODES:
                if mode == "all_pairs" and size > args.all_pairs_max:
                    continue
                settings = Settings(comparison=mode, use_nli=not args.no_nli)
                t0 = time.perf_counter()
                report = run_report([folder], settings, models=models)
                wall = time.perf_counter() - t0
                data = report.to_dict()
                stats = report.stats
                seconds = stats["seconds"]
                per_mode[mode].append(
                    {
                        "claims": stats["claims"],
                        "rule_calls": stats["rule_calls"],
                        "nli_pairs": stats["nli_pairs"],
                        "nli_model_calls": stats["nli_model_calls"],
                        "findings": stats["findings"],
                        "recall": recall(data["findings"], key),
                        "compare_seconds": seconds["align"] + seconds["nli"] + seconds["rules"],
                        "seconds": wall,
                        "planted": key[0]["check"] if key else "",
                    }
                )
                print(
                    f"N={size} seed={seed} {mode}: "
                    + json.dumps(
                        {k: per_mode[mode][-1][k] for k in COUNTERS}
                        | {k: v for k, v in per_mode[mode][-1]["recall"].items() if k != "which"}
                    ),
                    file=sys.stderr,
                    flush=True,
                )
            done = {m: per_mode[m][-1] for m in MODES if len(per_mode[m]) == seed}
            if len(done) == len(MODES):
                for mode, other in zip(MODES, reversed(MODES), strict=True):
                    found = set(done[mode]["recall"]["which"])
                    done[mode]["missed_vs_other"] = len(set(done[other]["recall"]["which"]) - found)
        for mode in MODES:
            runs = per_mode[mode]
            if not runs:
                continue
            rows.append(
                {
                    "outlets": size,
                    "mode": mode,
                    "events": len(runs),
                    "editors": editors,
                    "planted": [r["planted"] for r in runs],
                    "claims": statistics.mean(r["claims"] for r in runs),
                    **{c: statistics.mean(r[c] for r in runs) for c in COUNTERS},
                    "recall_rows": sum(r["recall"]["rows"] for r in runs),
                    "recall_found": sum(r["recall"]["found"] for r in runs),
                    "recall_same_check": sum(r["recall"]["found_same_check"] for r in runs),
                    # rows the other mode found and this one did not (the recall comparison)
                    "missed_vs_other": sum(r.get("missed_vs_other", 0) for r in runs),
                    "compare_seconds": statistics.mean(r["compare_seconds"] for r in runs),
                    "seconds": statistics.mean(r["seconds"] for r in runs),
                }
            )
    exponents: dict[str, dict[str, float | None]] = {}
    for mode in MODES:
        mine = [r for r in rows if r["mode"] == mode]
        ns = [r["outlets"] for r in mine]
        exponents[mode] = {
            c: fit_exponent(ns, [r[c] for r in mine]) for c in (*COUNTERS, "compare_seconds")
        }
    return {"rows": rows, "exponents": exponents, "args": {**vars(args), "out": str(args.out)}}


class WordHashEmbedder:
    """A stand-in embedder for the alignment-cost part: the normalised sum of a fixed random
    vector per lower-cased word, so paraphrases (shared words) are close. The real embedder's
    cost is per text and the same in both modes; this measures what comes after it."""

    def __init__(self, dim: int = 384) -> None:
        self.dim = dim
        self.words: dict[str, Any] = {}

    def encode(self, texts: Any) -> Any:
        import zlib

        import numpy as np

        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in str(text).lower().split():
                if word not in self.words:
                    rng = np.random.default_rng(zlib.crc32(word.encode("utf-8")))
                    self.words[word] = rng.normal(size=self.dim).astype(np.float32)
                out[i] += self.words[word]
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)


def alignment_cost(sizes: list[int], mrpc: Path, outlets: int = 128) -> dict[str, Any]:
    """Seconds of all-pairs alignment (``claims.align.align_claims``: one cdist per pair of
    articles) against neighbour alignment (``checker.consensus.align_by_neighbours``: one index)
    on ``n`` distinct MRPC sentences spread over ``outlets`` articles (both sentences of a pair
    in different articles), with :class:`WordHashEmbedder`."""
    import csv

    from checker.consensus import align_by_neighbours
    from checker.settings import Settings
    from claims.align import align_claims
    from claims.records import Claim, Span

    with (mrpc / "msr_paraphrase_train.txt").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    sentences: list[str] = []
    seen: set[str] = set()
    for pair in rows:
        for text in (pair["#1 String"].strip(), pair["#2 String"].strip()):
            if text not in seen:
                seen.add(text)
                sentences.append(text)
    settings = Settings()
    out: list[dict[str, Any]] = []
    for n in sizes:
        claims = []
        for i, text in enumerate(sentences[:n]):
            span = Span(0, len(text), text)
            article = f"a{i % outlets:03d}"
            claims.append(Claim(f"{article}:{i}", article, f"O{i % outlets}", span, span))
        row: dict[str, Any] = {"texts": len(claims), "outlets": outlets}
        for name in ("all_pairs", "consensus"):
            embedder = WordHashEmbedder()
            embedder.encode(sentences[:n])  # word vectors made once, outside the timing
            t0 = time.perf_counter()
            if name == "all_pairs":
                pairs = align_claims(claims, embedder, settings)
                clusters, links = len(pairs.clusters), len(pairs.pairs)
            else:
                neighbours = align_by_neighbours(claims, embedder, settings)
                clusters, links = len(neighbours.clusters), neighbours.edges
            row[f"{name}_seconds"] = round(time.perf_counter() - t0, 3)
            row[f"{name}_clusters"] = clusters
            row[f"{name}_links"] = links
        out.append(row)
        print(f"alignment n={n}: {json.dumps(row)}", file=sys.stderr, flush=True)
    ns = [r["texts"] for r in out]
    return {
        "rows": out,
        "exponents": {
            m: fit_exponent(ns, [r[f"{m}_seconds"] for r in out])
            for m in ("all_pairs", "consensus")
        },
    }


def show(results: dict[str, Any]) -> None:
    print(
        f"\n{'N':>4} {'mode':<10} {'events':>6} {'claims':>7} {'rule calls':>10} "
        f"{'NLI pairs':>9} {'NLI calls':>9} {'findings':>8} {'recall any':>14} "
        f"{'recall same':>14} {'missed':>6} {'compare s':>9} {'total s':>8}"
    )
    for r in results["rows"]:
        rows = r["recall_rows"]
        any_ = f"{r['recall_found']}/{rows}={r['recall_found'] / max(1, rows):.2f}"
        same = f"{r['recall_same_check']}/{rows}={r['recall_same_check'] / max(1, rows):.2f}"
        print(
            f"{r['outlets']:>4} {r['mode']:<10} {r['events']:>6} {r['claims']:>7.1f} "
            f"{r['rule_calls']:>10.1f} {r['nli_pairs']:>9.1f} {r['nli_model_calls']:>9.1f} "
            f"{r['findings']:>8.1f} {any_:>14} {same:>14} {r['missed_vs_other']:>6} "
            f"{r['compare_seconds']:>9.2f} "
            f"{r['seconds']:>8.2f}"
        )
    print("\nfitted exponent k of count = c * N^k (per event, least squares on logs):")
    print(f"{'mode':<10} " + " ".join(f"{c:>16}" for c in (*COUNTERS, "compare_seconds")))
    for mode, ks in results["exponents"].items():
        cells = " ".join(f"{'-' if k is None else f'{k:.2f}':>16}" for k in ks.values())
        print(f"{mode:<10} {cells}")
    cost = results.get("alignment")
    if cost:
        print(
            f"\nalignment alone, distinct texts over {cost['rows'][0]['outlets']} outlets "
            "(word-hash embedder)"
        )
        print(
            f"{'texts':>6} {'all-pairs s':>11} {'pairs kept':>10} {'clusters':>8} "
            f"{'neighbours s':>12} {'links kept':>10} {'clusters':>8}"
        )
        for r in cost["rows"]:
            print(
                f"{r['texts']:>6} {r['all_pairs_seconds']:>11.2f} {r['all_pairs_links']:>10} "
                f"{r['all_pairs_clusters']:>8} {r['consensus_seconds']:>12.2f} "
                f"{r['consensus_links']:>10} {r['consensus_clusters']:>8}"
            )
        print("exponent k of seconds = c * texts^k:", json.dumps(cost["exponents"]))


def main(argv: list[str] | None = None) -> int:
    mf = load_make_feed()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[4, 16, 64, 128])
    parser.add_argument("--events", type=int, default=5, help="events per size (seeds 1..E)")
    parser.add_argument(
        "--index-sizes",
        type=int,
        nargs="*",
        default=[500, 1000, 2000, 4000],
        help="distinct claim texts for the alignment-cost part (none: skip it)",
    )
    parser.add_argument(
        "--all-pairs-max",
        type=int,
        default=128,
        help="skip all-pairs runs of more outlets than this (they grow with N²)",
    )
    parser.add_argument("--no-nli", action="store_true")
    parser.add_argument("--mrpc", type=Path, default=mf.DEFAULT_MRPC)
    parser.add_argument("--injected", type=Path, default=mf.DEFAULT_INJECTED)
    parser.add_argument("--out", type=Path, default=ROOT / "runs" / "bench-consensus")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    args.out.mkdir(parents=True, exist_ok=True)
    results = run(args)
    if args.index_sizes:
        results["alignment"] = alignment_cost(args.index_sizes, args.mrpc)
    (args.out / "results.json").write_text(json.dumps(results, indent=2, default=str) + "\n")
    show(results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
