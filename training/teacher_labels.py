"""Label the student's training pairs with a fine-tuned teacher's probabilities (distillation).

    nice -n 5 nohup .venv/bin/python -m training.teacher_labels --teacher runs/mpnet_teacher2 \\
        --out runs/data/soft_labels.jsonl --mnli-binary --news-limit 18000 > runs/soft.log 2>&1 &

Writes one JSON line per pair: ``premise``, ``hypothesis``, gold ``label`` (three-way, or
``not_entailment`` for the two-way MNLI pairs), ``group``, ``source`` and ``teacher`` (the
teacher's entailment, neutral and contradiction probabilities). ``training.train --soft-labels``
reads the file. The teacher runs once per pair through ``checker.nli.backends.TransformersNLIModel``
(length-sorted batches, columns mapped by the model's labels) under bf16 autocast, so the
student's epochs cost no teacher passes. The file is written to a temporary name and renamed.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import time
from collections.abc import Sequence
from pathlib import Path

from checker.nli.backends import TransformersNLIModel
from training.augment import content_words, derived_pairs, swapped_pairs, word_neighbours
from training.train import resolve_base, training_sources

log = logging.getLogger(__name__)


NLI_SOURCES = ("snli_dev", "cad_snli_train", "mnli_taxinli_train", "mnli_dev_binary")


def labelled_pairs(path: Path) -> set[tuple[str, str]]:
    """The (premise, hypothesis) pairs already in a soft-label file."""
    with path.open(encoding="utf-8") as handle:
        rows = (json.loads(line) for line in handle if line.strip())
        return {(row["premise"], row["hypothesis"]) for row in rows}


def student_word_neighbours(examples: Sequence, base: str, k: int = 8) -> dict[str, list[str]]:
    """Near neighbours of the hypotheses' content words in the encoder's input embeddings."""
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    folder = resolve_base(base)
    vocab_map = Tokenizer.from_file(str(folder / "tokenizer.json")).get_vocab()
    vocab = [""] * len(vocab_map)
    for word, i in vocab_map.items():
        vocab[i] = word
    tensors = load_file(str(folder / "model.safetensors"))
    name = next(k for k in tensors if k.endswith("word_embeddings.weight"))
    words = [w for e in examples for _, _, w in content_words(e.hypothesis)]
    return word_neighbours(vocab, tensors[name][: len(vocab)], words, k)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teacher", type=Path, required=True, help="fine-tuned model folder")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--news-train", type=Path, default=Path("runs/data/news_train.jsonl"))
    parser.add_argument("--news-limit", type=int, default=18000)
    parser.add_argument("--mnli-binary", action="store_true")
    parser.add_argument(
        "--derived-limit",
        type=int,
        default=0,
        help="also label up to N reversed and sibling pairs of the SNLI and MNLI training pairs",
    )
    parser.add_argument(
        "--derived-only",
        action="store_true",
        help="label only the derived pairs (to add to a file already made without them)",
    )
    parser.add_argument(
        "--neighbours-of",
        default="minilm",
        help="encoder whose input embeddings pick the swapped words ('minilm' or a folder)",
    )
    parser.add_argument(
        "--swapped-per-hypothesis",
        type=int,
        default=0,
        help="also label N word-swapped variants of each SNLI/MNLI training hypothesis",
    )
    parser.add_argument(
        "--skip-labelled",
        type=Path,
        action="append",
        default=[],
        help="leave out pairs already in this soft-label file (to extend it without repeats)",
    )
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--max-length", type=int, default=128)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")

    import torch

    torch.set_num_threads(args.threads)
    sources = training_sources(args.news_train, args.news_limit, args.seed, None, args.mnli_binary)
    if args.derived_limit:
        # two thirds from MNLI: its genres are the ones the small student lacks most
        mnli = sources["mnli_taxinli_train"] + sources.get("mnli_dev_binary", [])
        snli = sources["snli_dev"] + sources["cad_snli_train"]
        mnli_derived = derived_pairs(mnli, args.derived_limit * 2 // 3, args.seed)
        snli_limit = args.derived_limit - len(mnli_derived)
        derived = mnli_derived + derived_pairs(snli, snli_limit, args.seed)
    else:
        derived = []
    if args.swapped_per_hypothesis:
        originals = [e for name in NLI_SOURCES for e in sources.get(name, [])]
        neighbours = student_word_neighbours(originals, args.neighbours_of)
        derived += swapped_pairs(originals, neighbours, args.swapped_per_hypothesis, args.seed)
    if args.derived_only:
        sources = {}
    if derived:
        sources["derived_unlabeled"] = derived
    done = {pair for path in args.skip_labelled for pair in labelled_pairs(path)}
    sources = {
        name: [e for e in rows if (e.premise, e.hypothesis) not in done]
        for name, rows in sources.items()
    }
    rows = [(name, e) for name, examples in sources.items() for e in examples]
    log.info("labelling %d pairs: %s", len(rows), {k: len(v) for k, v in sources.items()})
    # the pipeline's own batching and label-column mapping; autocast makes the forward bf16
    teacher = TransformersNLIModel(str(args.teacher), max_length=args.max_length)
    started = time.time()
    with torch.autocast("cpu", dtype=torch.bfloat16):
        pairs = [(e.premise, e.hypothesis) for _, e in rows]
        probs = teacher.predict(pairs, batch_size=args.batch_size, progress=True).tolist()
    tmp = args.out.with_name(args.out.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        for (name, e), p in zip(rows, probs, strict=True):
            record = {
                "premise": e.premise,
                "hypothesis": e.hypothesis,
                "label": e.label,
                "group": e.group,
                "source": name,
                "teacher": [round(x, 5) for x in p],
            }
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    os.replace(tmp, args.out)
    log.info("wrote %s (%d pairs, %.0f s)", args.out, len(rows), time.time() - started)


if __name__ == "__main__":
    main()
