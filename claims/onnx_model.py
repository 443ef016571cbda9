"""What the ONNX Runtime models (the sentence embedder here, the NLI model in ``checker.nli``)
share: how an export's files are laid out, and how many threads to run it with."""

from __future__ import annotations

import os
from pathlib import Path

ONNX_FILE = "model.onnx"
#: external-data files of a split export: ``model.onnx.part0``, ``model.onnx.part1``, ...
ONNX_PART_PREFIX = "model.onnx.part"


def onnx_model_files(model_dir: Path) -> list[Path]:
    """``model.onnx`` then its external-data parts (``model.onnx.part0``, ...) in part order.

    A large export keeps its weights in parts so that no file goes over the repository's size
    limit; onnxruntime and ``onnx.load`` read them from the model's folder.

    >>> onnx_model_files(Path("/no/such/dir"))
    [PosixPath('/no/such/dir/model.onnx')]
    """
    model_dir = Path(model_dir)
    parts = []
    if model_dir.is_dir():
        for path in model_dir.glob(ONNX_PART_PREFIX + "*"):
            suffix = path.name[len(ONNX_PART_PREFIX) :]
            if suffix.isdigit():
                parts.append((int(suffix), path))
    return [model_dir / ONNX_FILE, *(path for _, path in sorted(parts))]


def available_cores() -> int:
    """CPU cores this process may run on (ONNX Runtime's intra-op threads by default).

    >>> available_cores() >= 1
    True
    """
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)
