"""The NLI data sets: which ones train the shipped model, which ones only evaluate it.

Training may only use data whose licence allows shipping derived weights (see each folder's
README under ``../shared/data/nli``):

| set | licence | role |
|---|---|---|
| e-SNLI / SNLI dev | CC BY-SA 4.0 (MIT repo) | train |
| SNLI test | CC BY-SA 4.0 | eval |
| counterfactual SNLI train / test | Apache-2.0 | train / eval |
| MNLI train rows of TaxiNLI | C-UDA 1.0 (allows releasing models) | 80% train, 20% eval by genre |
| MNLI dev binarised (DocNLI), held-out premises removed | MNLI terms | train, two-way (*) |
| generated news pairs (seed scrape, FEVER claims) | CC BY-SA 3.0 / project | train |
| generated news pairs (FNC-1 bodies) | research use | eval only, held out by story |
| RTE dev, Breaking NLI, ClaimDiff, SICK | research / CC BY-SA / NC | eval only |

(*) its README offers it for training; ``training.train --mnli-binary`` adds it with a two-way
loss (``nli_loss``).

Every loader returns ``list[Example]`` with labels in ``entailment, neutral, contradiction`` (or
``not_entailment`` for two-way sets).

>>> train, held = split_by_key(["a1", "a2", "b1", "b2"], key=lambda x: x[0], held_out=0.5, seed=0)
>>> sorted(x[0] for x in held)
['a', 'b']
"""

from __future__ import annotations

import csv
import io
import json
import random
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

SHARED_NLI = Path(__file__).resolve().parents[2] / "shared" / "data" / "nli"
LABELS = ("entailment", "neutral", "contradiction")
T = TypeVar("T")


@dataclass(frozen=True)
class Example:
    premise: str
    hypothesis: str
    label: str  # entailment | neutral | contradiction | not_entailment
    group: str = ""  # genre, story id or edit kind, for per-group figures


def _norm_label(label: str) -> str:
    label = label.strip().lower()
    return {"entailed": "entailment", "not-entailed": "not_entailment"}.get(label, label)


def snli(split: str, root: Path = SHARED_NLI) -> list[Example]:
    """SNLI dev or test from the e-SNLI line-aligned files."""
    folder = root / "esnli_snli_devtest"
    s1 = (folder / f"s1.{split}").read_text(encoding="utf-8").splitlines()
    s2 = (folder / f"s2.{split}").read_text(encoding="utf-8").splitlines()
    labels = (folder / f"labels.{split}").read_text(encoding="utf-8").splitlines()
    return [
        Example(p.strip(), h.strip(), _norm_label(lab))
        for p, h, lab in zip(s1, s2, labels, strict=True)
        if _norm_label(lab) in LABELS
    ]


def counterfactual_snli(split: str, root: Path = SHARED_NLI) -> list[Example]:
    path = root / "snli_counterfactual_cad" / "all_combined" / f"{split}.tsv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [
            Example(r["sentence1"], r["sentence2"], _norm_label(r["gold_label"]))
            for r in rows
            if _norm_label(r["gold_label"]) in LABELS
        ]


def split_by_key(
    items: Sequence[T], key: Callable[[T], str], held_out: float, seed: int
) -> tuple[list[T], list[T]]:
    """Split into (train, held out), stratified by ``key``, deterministic for a seed."""
    rng = random.Random(seed)
    groups: dict[str, list[T]] = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    train: list[T] = []
    test: list[T] = []
    for name in sorted(groups):
        members = list(groups[name])
        rng.shuffle(members)
        cut = round(len(members) * held_out)
        test.extend(members[:cut])
        train.extend(members[cut:])
    return train, test


def mnli_taxinli(root: Path = SHARED_NLI, held_out: float = 0.2, seed: int = 7) -> tuple:
    """MNLI train rows (3-way, with genre): (train, held-out) split stratified by genre."""
    path = root / "mnli_binary_minus_heldout" / "mnli_train_3way_taxinli.tsv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        examples = [
            Example(r["premise"], r["hypothesis"], _norm_label(r["label"]), r["genre"])
            for r in rows
            if _norm_label(r["label"]) in LABELS
        ]
    return split_by_key(examples, key=lambda e: e.group, held_out=held_out, seed=seed)


def mnli_dev_binary(root: Path = SHARED_NLI) -> list[Example]:
    path = root / "mnli_binary_minus_heldout" / "pairs.tsv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [Example(r["premise"], r["hypothesis"], _norm_label(r["label"])) for r in rows]


def rte_dev(root: Path = SHARED_NLI) -> list[Example]:
    path = root / "rte_glue" / "dev.tsv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [
            Example(
                r["sentence1"],
                r["sentence2"],
                "entailment" if r["label"].strip() == "0" else "not_entailment",
            )
            for r in rows
        ]


def breaking_nli(root: Path = SHARED_NLI) -> list[Example]:
    with zipfile.ZipFile(root / "breaking_nli" / "breaking_nli_dataset.zip") as archive:
        name = next(n for n in archive.namelist() if n.endswith(".jsonl"))
        lines = archive.read(name).decode("utf-8").splitlines()
    out = []
    for line in lines:
        if not line.strip():
            continue
        row = json.loads(line)
        label = _norm_label(row["gold_label"])
        if label in LABELS:
            out.append(Example(row["sentence1"], row["sentence2"], label, row.get("category", "")))
    return out


def claimdiff(root: Path = SHARED_NLI) -> list[Example]:
    """ClaimDiff test (strengthen and weaken tasks): label "different" where relation is 1.

    Cross-outlet claim pairs on one topic; relation 1 means one claim strengthens or weakens the
    other. Scored 2-way: does the model predict contradiction where the annotators saw a difference.
    """
    out = []
    for task, name in (("S", "strength"), ("W", "weak")):
        path = root / "claimdiff" / f"ClaimDiff-{task}" / f"ClaimDiff-{name}-test.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        rows = data if isinstance(data, list) else data.get("data", [])
        for row in rows:
            label = "different" if int(row["relation"]) else "same"
            out.append(Example(row["claim_a"], row["claim_b"], label, f"claimdiff-{task}"))
    return out


def news_pairs(path: Path) -> list[Example]:
    """Generated news pairs written by ``training.generate_news_pairs``."""
    out = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            out.append(Example(row["premise"], row["hypothesis"], row["label"], row["edit"]))
    return out


def load_zip_jsonl(path: Path, member: str) -> list[dict]:
    with zipfile.ZipFile(path) as archive:
        return [json.loads(x) for x in io.TextIOWrapper(archive.open(member), encoding="utf-8")]
