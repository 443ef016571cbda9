"""Average the weights of fine-tuned checkpoints of one architecture (a uniform "model soup").

    python -m training.average --model runs/minilm_kd2 --model runs/minilm_kd3 --out runs/soup

Checkpoints along one training run (or runs from a common start) sit in one basin, so their mean
often scores at least as well as either (Wortsman et al., 2022, "Model soups"). The tokenizer and
config are copied from the first model; ``training_info.json`` records the averaged folders.
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

CHECKPOINT = "model.safetensors"
COPIED = ("config.json", "tokenizer.json", "tokenizer_config.json", "vocab.txt")


def average_tensors(checkpoints: Sequence[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """The element-wise mean of each named tensor; the names and shapes must agree.

    >>> a = {"w": np.array([1.0, 2.0], dtype=np.float32)}
    >>> b = {"w": np.array([3.0, 6.0], dtype=np.float32)}
    >>> average_tensors([a, b])["w"].tolist()
    [2.0, 4.0]
    """
    names = set(checkpoints[0])
    for other in checkpoints[1:]:
        if set(other) != names:
            raise ValueError(f"checkpoints differ in tensors: {sorted(names ^ set(other))[:5]}")
    out = {}
    for name in checkpoints[0]:
        stack = np.stack([c[name].astype(np.float64) for c in checkpoints])
        out[name] = stack.mean(axis=0).astype(checkpoints[0][name].dtype)
    return out


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, action="append", required=True, help="repeat")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    from safetensors.numpy import load_file, save_file

    tensors = average_tensors([load_file(str(m / CHECKPOINT)) for m in args.model])
    tmp = args.out.with_name(args.out.name + ".tmp")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    save_file(tensors, str(tmp / CHECKPOINT), metadata={"format": "pt"})
    for name in COPIED:
        if (args.model[0] / name).exists():
            shutil.copy2(args.model[0] / name, tmp / name)
    info = {"averaged": [str(m) for m in args.model], "method": "uniform weight average"}
    for m in args.model:
        record = m / "training_info.json"
        if record.exists():
            info[str(m)] = json.loads(record.read_text(encoding="utf-8"))
    (tmp / "training_info.json").write_text(json.dumps(info, indent=2), encoding="utf-8")
    if args.out.exists():
        shutil.rmtree(args.out)
    tmp.rename(args.out)
    log.info("averaged %d checkpoints into %s", len(args.model), args.out)


if __name__ == "__main__":
    main()
