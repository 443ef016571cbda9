"""How often the counterfactual probe (checker/probe.py) names the slot of an injected discrepancy.

On the injected pairs of ``eval/make_real_pairs.py`` (a real MRPC paraphrase pair with one value
of one side changed: a time, a number, a place, a person's title, or a negation inserted) the
discrepancy's slot is known from the row's ``check``: temporal -> time, numeric -> number,
place -> place, entity_role -> title; negation has no value slot, so the right answer there is
"no single value explains it". Of the pairs the NLI model flags (contradiction score >=
``nli_contradiction_threshold`` with ``nli_policy``), this counts per check how often the probe
names the injected slot, names another, or names none; once over every flagged pair and once
over those the pipeline would report as NLI-only findings (no rule fired, cosine >=
``nli_min_similarity``). Then the same on real faithful paraphrases the model flags (false
alarms: a named slot there is wrong), and the counts at other margins.

    python benchmarks/nli_probe.py [--pairs-dir runs/eval] [--split dev]

Needs the pair files (``python eval/make_real_pairs.py --mrpc ../shared/data/paraphrase/mrpc
--out runs/eval``). Each pair is scored as one claim per side (``rules.scoring.claims_from_text``;
pairs whose sides are not one claim each are skipped and counted).
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import numpy as np  # noqa: E402

from checker.compare import Probe, SlotSwap, pair_score  # noqa: E402
from checker.nli.backends import load_nli  # noqa: E402
from checker.nli.cpu import cpu_summary  # noqa: E402
from checker.nli.input_text import nli_text  # noqa: E402
from checker.probe import LoadedNLI, probe_pairs  # noqa: E402
from checker.settings import Settings  # noqa: E402
from claims.embeddings import load_embedder  # noqa: E402
from claims.nlp import load_nlp  # noqa: E402
from rules.registry import load_rule_configs, run_rules  # noqa: E402
from rules.scoring import claims_from_text, load_pairs  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
#: the slot (type token of claims.masking) each injected check changes; negation changes none.
EXPECTED = {
    "temporal": {"[DATE]", "[TIME]"},
    "numeric": {"[NUM]"},
    "place": {"[PLACE]"},
    "entity_role": {"[TITLE]"},
    "negation": set(),
}
MARGINS = (0.05, 0.1, 0.2, 0.3, 0.5, 0.7)
#: the note of each injected row ("b: 'Miami' -> 'Columbus' (GPE)"), by id (main fills it).
NOTES: dict[str, str] = {}


def flagged_pairs(pairs: list, settings: Settings, nlp, nli, embedder) -> tuple[list, int]:
    """(pair, claim a, claim b, score, rules fired, cosine) of pairs the model flags; skipped."""
    configs = load_rule_configs()
    rows, skipped = [], 0
    for p in pairs:
        ca = claims_from_text(p.a.text, p.a.outlet, p.a.published, nlp, f"{p.id}-a")
        cb = claims_from_text(p.b.text, p.b.outlet, p.b.published, nlp, f"{p.id}-b")
        if len(ca) != 1 or len(cb) != 1:
            skipped += 1
            continue
        rows.append((p, ca[0], cb[0]))
    shown = [(nli_text(a), nli_text(b)) for _, a, b in rows]
    probs = nli.predict(
        [x for ta, tb in shown for x in ((ta, tb), (tb, ta))], batch_size=settings.nli_batch_size
    )
    vectors = embedder.encode([t for _, a, b in rows for t in (a.text, b.text)])
    vectors = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    cosine = np.sum(vectors[0::2] * vectors[1::2], axis=1)
    out = []
    for i, (p, a, b) in enumerate(rows):
        score = pair_score(tuple(probs[2 * i]), tuple(probs[2 * i + 1]), settings.nli_policy)
        if score >= settings.nli_contradiction_threshold:
            fired = bool(run_rules(a, b, configs))
            out.append((p, a, b, score, fired, float(cosine[i])))
    return out, skipped


#: "b: 'Miami' -> 'Columbus' (GPE)": the edited side and the text written in.
_NOTE = re.compile(r"^([ab]): '.*?' -> '(.*?)'")


def outcome(check: str, probe: Probe, note: str = "") -> str:
    """right | inside | wrong | none for one probe. ``right``: the injected slot is named (for
    negation: nothing is named); ``inside``: a value of another kind is named that holds the
    injected text on the edited side ('Columbus lawyer' as a title for a place swap to
    'Columbus'), so the marked span is right though the kind is not."""
    expected = EXPECTED[check]
    if not probe.named:
        return "right" if not expected else "none"
    best = probe.named[0]
    if best.slot in expected:
        return "right"
    edited = _NOTE.match(note)
    if expected and edited and edited.group(2).strip():
        span = best.a_value if edited.group(1) == "a" else best.b_value
        if edited.group(2).strip().lower() in span.text.lower():
            return "inside"
    return "wrong"


def renamed(probe: Probe, below: float) -> Probe:
    """The probe as it would read with a slot named below ``below``."""
    named: dict[str, SlotSwap] = {}
    for swap in sorted(probe.swaps, key=lambda s: s.score):
        if swap.score < below:
            named.setdefault(swap.slot, swap)
    return replace(probe, named=tuple(named.values()))


def table(rows: list, probes: list[Probe], title: str) -> dict:
    """Print and return right/wrong/none per check."""
    counts: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for (p, *_), probe in zip(rows, probes, strict=True):
        said = outcome(p.check, probe, NOTES.get(p.id, ""))
        counts[p.check][said] += 1
        counts["all"][said] += 1
        if EXPECTED[p.check]:
            counts["value slots"][said] += 1
    print(f"\n{title}")
    print(
        f"{'check':>12}{'flagged':>9}{'right':>7}{'inside':>8}{'wrong':>7}{'none':>6}{'share':>7}"
    )
    result = {}
    for check in [*EXPECTED, "value slots", "all"]:
        c = counts.get(check, collections.Counter())
        n = sum(c.values())
        share = c["right"] / n if n else 0.0
        result[check] = {"flagged": n, **c, "share_right": round(share, 3)}
        print(
            f"{check:>12}{n:>9}{c['right']:>7}{c['inside']:>8}{c['wrong']:>7}{c['none']:>6}"
            f"{share:>7.2f}"
        )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs-dir", type=Path, default=ROOT / "runs" / "eval")
    parser.add_argument("--split", default="dev")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    settings = Settings()
    started = time.perf_counter()
    nlp, embedder = load_nlp(), load_embedder()
    nli = load_nli(settings.nli_model, settings.nli_backend, settings.nli_max_length)
    print(f"cpu: {cpu_summary()}; split {args.split}; model {nli.model_id}")
    with (args.pairs_dir / "injected.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                row = json.loads(line)
                NOTES[row["id"]] = row.get("note", "")
    fires = [
        p
        for p in load_pairs(args.pairs_dir / "injected.jsonl")
        if p.split == args.split and p.expect == "fire"
    ]
    rows, skipped = flagged_pairs(fires, settings, nlp, nli, embedder)
    print(
        f"injected: {len(fires)} pairs, {skipped} not one claim a side, {len(rows)} flagged by "
        f"NLI (threshold {settings.nli_contradiction_threshold}, policy {settings.nli_policy})"
    )
    probes, calls = probe_pairs([(a, b) for _, a, b, *_ in rows], LoadedNLI(nli), settings)
    print(f"probe: {calls} text pairs scored ({calls / max(1, len(rows)):.1f} per flagged pair)")
    figures = {
        "flagged": table(rows, probes, f"all NLI-flagged (margin {settings.nli_probe_margin})")
    }
    only = [i for i, r in enumerate(rows) if not r[4] and r[5] >= settings.nli_min_similarity]
    figures["nli_only"] = table(
        [rows[i] for i in only],
        [probes[i] for i in only],
        "NLI-only findings (rules silent, close)",
    )
    for margin in MARGINS:
        below = settings.nli_contradiction_threshold - margin
        figures[f"margin_{margin}"] = table(
            rows, [renamed(p, below) for p in probes], f"all NLI-flagged at margin {margin}"
        )
    faithful = [
        p
        for p in load_pairs(args.pairs_dir / "real_paraphrases.jsonl")
        if p.split == args.split and p.expect == "silent"
    ]
    frows, fskipped = flagged_pairs(faithful, settings, nlp, nli, embedder)
    fprobes, _ = probe_pairs([(a, b) for _, a, b, *_ in frows], LoadedNLI(nli), settings)
    named = collections.Counter(p.named[0].slot if p.named else "none" for p in fprobes)
    print(
        f"\nfaithful paraphrases: {len(faithful)} pairs, {fskipped} skipped, {len(frows)} flagged "
        f"(false alarms); probe names: {dict(named)}"
    )
    figures["faithful_flagged"] = {"flagged": len(frows), "named": dict(named)}
    print(f"({time.perf_counter() - started:.0f} s)")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
