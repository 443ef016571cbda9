"""Rebuild a trainable fp32 torch folder from an exported int8 ONNX model (the shipped one).

    python -m training.dequantize --model checker/nli/shipped --out runs/shipped_fp32

The int8 weights are dequantized (``checker.nli.backends.torch_model_from_onnx``) and saved with the
tokenizer and config as a transformers folder, so that the model can be re-exported with another
quantization (``python -m training.export_onnx --model runs/shipped_fp32``) or trained further
when the original fp32 checkpoint is not at hand. The provenance in the model's
``model_info.json`` is carried over as ``training_info.json``, with a note of the rebuild.
"""

from __future__ import annotations

import argparse
import json
import logging
from collections.abc import Sequence
from pathlib import Path

log = logging.getLogger(__name__)


def dequantize(model_dir: Path, out_dir: Path) -> Path:
    """Write the fp32 torch model rebuilt from ``model_dir``'s ONNX weights to ``out_dir``."""
    from transformers import AutoTokenizer

    from checker.nli.backends import torch_model_from_onnx

    model = torch_model_from_onnx(model_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(out_dir))
    AutoTokenizer.from_pretrained(str(model_dir)).save_pretrained(str(out_dir))
    info_path = model_dir / "model_info.json"
    info = json.loads(info_path.read_text(encoding="utf-8")) if info_path.is_file() else {}
    training = dict(info.get("training") or {})
    training["rebuilt_from"] = {
        "onnx_sha256": info.get("sha256"),
        "quantization": info.get("quantization"),
        "how": "int8 weights dequantized to fp32 (training.dequantize)",
    }
    (out_dir / "training_info.json").write_text(json.dumps(training, indent=2), encoding="utf-8")
    return out_dir


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=Path("checker/nli/shipped"))
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    log.info("fp32 model written to %s", dequantize(args.model, args.out))


if __name__ == "__main__":
    main()
