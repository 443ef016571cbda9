"""Export a fine-tuned sequence-classification model to ONNX (fp32, then dynamic int8).

    python -m training.export_onnx --model runs/minilm --out checker/nli/shipped

writes ``model.onnx`` (int8; its weights go to ``model.onnx.part0``, ``.part1``, ... when it
would be larger than ``MAX_FILE_BYTES``), ``tokenizer.json``, ``config.json``,
``weights_map.json`` (which ONNX tensor holds each torch parameter, so the transformers backend
runs the same weights) and ``model_info.json`` (sha256, provenance, ONNX-vs-torch agreement on
held-out pairs, and the ``self_check`` canary pairs with their fp32 torch probabilities, which
``checker.nli.selfcheck`` compares with on every load) into ``--out``. The fp32 graph is discarded
unless ``--keep-fp32`` names a folder.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import tempfile
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from checker.nli.selfcheck import CanaryReference

log = logging.getLogger(__name__)

#: opset understood by every onnxruntime >= 1.18.
ONNX_OPSET = 17

#: largest file an export writes. The repository refuses committed files over 45 MB, so a larger
#: model keeps its weights as ONNX external data in parts of at most this size.
MAX_FILE_BYTES = 40 * 2**20

#: tensors smaller than this stay inside model.onnx (scales, zero points, biases, norms).
EXTERNAL_TENSOR_MIN_BYTES = 1024

#: part offsets are multiples of this, so onnxruntime can memory-map each tensor.
EXTERNAL_DATA_ALIGNMENT = 4096


def export_fp32(model_dir: Path, onnx_path: Path) -> None:
    """Trace the model to an ONNX graph with dynamic batch and sequence axes."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
    model = AutoModelForSequenceClassification.from_pretrained(str(model_dir)).eval()
    sample = tokenizer(["A premise."], ["A hypothesis."], return_tensors="pt")
    names = [n for n in ("input_ids", "attention_mask", "token_type_ids") if n in sample]
    axes = {name: {0: "batch", 1: "sequence"} for name in names}
    axes["logits"] = {0: "batch"}

    class Wrapper(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.inner = model

        def forward(self, *args: torch.Tensor) -> torch.Tensor:
            return self.inner(**dict(zip(names, args, strict=True))).logits

    with torch.inference_mode(), warnings.catch_warnings():
        # the tracer warns about Python branches on shapes; the export test checks that
        # different batch sizes and lengths still match torch
        warnings.simplefilter("ignore")
        torch.onnx.export(
            Wrapper(),
            tuple(sample[n] for n in names),
            str(onnx_path),
            input_names=names,
            output_names=["logits"],
            dynamic_axes=axes,
            opset_version=ONNX_OPSET,
            dynamo=False,
        )


def quantize_int8(fp32_path: Path, int8_path: Path) -> None:
    """Dynamic int8 quantisation: 7-bit int8 weights per output channel, activations at run time.

    ``reduce_range=True`` keeps every weight in [-64, 63]. onnxruntime's U8S8 kernels on x86-64
    CPUs without VNNI (AVX2, AVX-512 without VNNI) add two u8 x s8 products into a saturating
    int16; with full-range weights that sum overflows and the shipped model answered the same for
    every pair on such CPUs. With 7-bit weights the sum fits, so the integer products are exact
    on every x86-64 CPU and VNNI CPUs keep their fast U8S8 kernel (onnxruntime's quantization
    documentation gives this remedy). Candidates measured against the fp32 torch answers on the
    same pairs (``benchmarks/nli_quantization.py``; MODEL_CARD.md has the table): full-range
    U8S8 was wrong on 2 of 3 pairs on an AVX2-only CPU; reduce_range and U8U8 both agree with fp32
    on 98% of SNLI/MNLI labels everywhere.
    """
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(
        str(fp32_path),
        str(int8_path),
        weight_type=QuantType.QInt8,
        per_channel=True,
        reduce_range=True,
    )


#: how model_info.json describes the quantization that ``quantize_int8`` applies.
QUANTIZATION = "dynamic, int8 weights per channel, reduce_range (7-bit weights)"


def split_external_data(onnx_path: Path, max_file_bytes: int = MAX_FILE_BYTES) -> list[Path]:
    """Move the weights of ``onnx_path`` into parts ``<name>.part0``, ... of <= max_file_bytes.

    Does nothing (returns ``[]``) when the file already fits. Tensors are packed largest first
    into the first part with room (first-fit decreasing), each at an aligned offset; the graph
    file keeps only small tensors. Raises ValueError if one tensor, or the graph left, cannot fit.
    """
    import onnx
    from onnx.external_data_helper import set_external_data

    onnx_path = Path(onnx_path)
    if onnx_path.stat().st_size <= max_file_bytes:
        return []
    model = onnx.load(str(onnx_path), load_external_data=False)
    movable = [t for t in model.graph.initializer if len(t.raw_data) >= EXTERNAL_TENSOR_MIN_BYTES]
    movable.sort(key=lambda t: (-len(t.raw_data), t.name))
    parts: list[bytearray] = []
    for tensor in movable:
        size = len(tensor.raw_data)
        if size > max_file_bytes:
            raise ValueError(f"{onnx_path}: tensor {tensor.name} alone is {size} bytes")
        index = next(
            (i for i, p in enumerate(parts) if _aligned(len(p)) + size <= max_file_bytes),
            len(parts),
        )
        if index == len(parts):
            parts.append(bytearray())
        part = parts[index]
        part.extend(b"\0" * (_aligned(len(part)) - len(part)))
        set_external_data(
            tensor, location=f"{onnx_path.name}.part{index}", offset=len(part), length=size
        )
        part.extend(tensor.raw_data)
        tensor.ClearField("raw_data")
        tensor.data_location = onnx.TensorProto.EXTERNAL
    paths = []
    for index, part in enumerate(parts):
        path = onnx_path.with_name(f"{onnx_path.name}.part{index}")
        path.write_bytes(bytes(part))
        paths.append(path)
    onnx.save_model(model, str(onnx_path))
    if onnx_path.stat().st_size > max_file_bytes:
        raise ValueError(f"{onnx_path}: the graph without its large tensors is still too big")
    return paths


def _aligned(offset: int) -> int:
    """``offset`` rounded up to a multiple of EXTERNAL_DATA_ALIGNMENT.

    >>> _aligned(0), _aligned(1), _aligned(4096)
    (0, 4096, 4096)
    """
    return -(-offset // EXTERNAL_DATA_ALIGNMENT) * EXTERNAL_DATA_ALIGNMENT


def torch_probabilities(model_dir: Path, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
    """Probabilities in LABELS order from the torch model, for agreement checks."""
    from checker.nli.backends import TransformersNLIModel

    return TransformersNLIModel(str(model_dir)).predict(pairs)


def canary_reference(model_dir: Path) -> CanaryReference:
    """The canary pairs' probabilities from the fp32 torch model: the self-check's reference."""
    from checker.nli.selfcheck import canary_pairs, make_reference

    return make_reference(
        torch_probabilities(model_dir, canary_pairs()), backend="fp32 torch (transformers)"
    )


def export_model(
    model_dir: Path,
    out_dir: Path,
    check_pairs: Sequence[tuple[str, str]] = (),
    provenance: dict[str, Any] | None = None,
    keep_fp32: Path | None = None,
    quantize: bool = True,
    max_file_bytes: int = MAX_FILE_BYTES,
) -> dict[str, Any]:
    """Export ``model_dir`` into ``out_dir`` (replaced atomically); returns model_info.

    ``check_pairs`` are run through both torch and ONNX; their label agreement and the largest
    probability difference go into model_info.json.
    """
    from transformers import AutoTokenizer

    from checker.nli.backends import OnnxNLIModel, model_sha256, onnx_model_files
    from checker.nli.cpu import cpu_summary
    from checker.nli.selfcheck import compare_with_reference

    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".nli_export_", dir=out_dir.parent))
    try:
        with tempfile.TemporaryDirectory() as tmp:
            fp32 = Path(tmp) / "model_fp32.onnx"
            export_fp32(model_dir, fp32)
            if quantize:
                quantize_int8(fp32, staging / "model.onnx")
            else:
                shutil.copyfile(fp32, staging / "model.onnx")
            split_external_data(staging / "model.onnx", max_file_bytes)
            mapping = weights_map(model_dir, fp32)
            (staging / "weights_map.json").write_text(json.dumps(mapping), encoding="utf-8")
            if keep_fp32 is not None:
                keep_fp32.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(fp32, keep_fp32 / "model.onnx")
        tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
        tokenizer.save_pretrained(str(staging))
        for extra in ("vocab.txt", "special_tokens_map.json", "tokenizer_config.json"):
            # tokenizer.json is all the ONNX backend needs; the rest let transformers load it too
            if not (staging / extra).exists() and (model_dir / extra).exists():
                shutil.copyfile(model_dir / extra, staging / extra)
        config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
        (staging / "config.json").write_text(json.dumps(config, indent=2), encoding="utf-8")
        onnx_files = onnx_model_files(staging)
        info: dict[str, Any] = {
            "sha256": model_sha256(staging),
            "onnx_bytes": sum(p.stat().st_size for p in onnx_files),
            "onnx_files": [p.name for p in onnx_files],
            "quantization": QUANTIZATION if quantize else "none (fp32)",
            "opset": ONNX_OPSET,
            "labels": ["entailment", "neutral", "contradiction"],
            **(provenance or {}),
        }
        reference = canary_reference(model_dir)
        info["self_check"] = reference.as_dict()
        at_export = compare_with_reference(
            OnnxNLIModel(staging).predict(list(reference.pairs)), reference
        )
        info["self_check_at_export"] = {**at_export.as_dict(), "cpu": cpu_summary()}
        if not at_export.passed:
            log.warning("exported model fails its self-check on this CPU: %s", at_export.summary())
        if check_pairs:
            onnx_probs = OnnxNLIModel(staging).predict(check_pairs)
            torch_probs = torch_probabilities(model_dir, check_pairs)
            agree = float(np.mean(onnx_probs.argmax(1) == torch_probs.argmax(1)))
            info["onnx_vs_torch"] = {
                "pairs": len(check_pairs),
                "label_agreement": round(agree, 4),
                "max_abs_prob_diff": round(float(np.abs(onnx_probs - torch_probs).max()), 4),
            }
        (staging / "model_info.json").write_text(json.dumps(info, indent=2), encoding="utf-8")
        backup = out_dir.with_name(out_dir.name + ".old")
        if out_dir.exists():
            if backup.exists():
                shutil.rmtree(backup)
            os.replace(out_dir, backup)
        staging.chmod(0o755)  # mkdtemp makes it private; package data must be readable
        os.replace(staging, out_dir)
        if backup.exists():
            shutil.rmtree(backup)
        return info
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, required=True, help="fine-tuned model folder")
    parser.add_argument("--out", type=Path, default=Path("checker/nli/shipped"))
    parser.add_argument("--check-pairs", type=Path, help="jsonl with premise/hypothesis to compare")
    parser.add_argument("--check-limit", type=int, default=200)
    parser.add_argument("--keep-fp32", type=Path, help="also keep the fp32 ONNX graph here")
    parser.add_argument("--no-quantize", action="store_true")
    parser.add_argument(
        "--max-file-mb", type=float, default=MAX_FILE_BYTES / 2**20, help="largest file written"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    pairs: list[tuple[str, str]] = []
    if args.check_pairs:
        with args.check_pairs.open(encoding="utf-8") as handle:
            for line in handle:
                row = json.loads(line)
                pairs.append((row["premise"], row["hypothesis"]))
                if len(pairs) >= args.check_limit:
                    break
    provenance_path = args.model / "training_info.json"
    provenance = (
        {"training": json.loads(provenance_path.read_text(encoding="utf-8"))}
        if provenance_path.exists()
        else {}
    )
    info = export_model(
        args.model,
        args.out,
        pairs,
        provenance,
        keep_fp32=args.keep_fp32,
        quantize=not args.no_quantize,
        max_file_bytes=int(args.max_file_mb * 2**20),
    )
    log.info("exported to %s: %s", args.out, json.dumps(info.get("onnx_vs_torch", {})))


def onnx_tensors(graph_model: Any) -> dict[str, np.ndarray]:
    """Every initializer and Constant-node tensor of an ONNX model, by name."""
    from onnx import numpy_helper

    tensors = {t.name: numpy_helper.to_array(t) for t in graph_model.graph.initializer}
    for node in graph_model.graph.node:
        if node.op_type == "Constant":
            for attr in node.attribute:
                if attr.name == "value":
                    tensors[node.output[0]] = numpy_helper.to_array(attr.t)
    return tensors


def weights_map(model_dir: Path, fp32_onnx: Path) -> dict[str, list]:
    """Which ONNX tensor holds each torch parameter: ``{param: [tensor_name, transposed]}``.

    Found by value (the exporter renames and transposes MatMul weights and merges equal
    tensors), so the transformers backend can rebuild the torch model from the shipped ONNX file.
    """
    import onnx
    from transformers import AutoModelForSequenceClassification

    model = AutoModelForSequenceClassification.from_pretrained(str(model_dir))
    by_bytes: dict[tuple, str] = {}
    for name, array in onnx_tensors(onnx.load(str(fp32_onnx))).items():
        if array.dtype == np.float32:
            by_bytes.setdefault((array.shape, array.tobytes()), name)
    mapping: dict[str, list] = {}
    for name, param in model.state_dict().items():
        array = param.detach().numpy().astype(np.float32)
        key = (array.shape, np.ascontiguousarray(array).tobytes())
        key_t = (array.T.shape, np.ascontiguousarray(array.T).tobytes())
        if key in by_bytes:
            mapping[name] = [by_bytes[key], False]
        elif array.ndim == 2 and key_t in by_bytes:
            mapping[name] = [by_bytes[key_t], True]
    return mapping


if __name__ == "__main__":
    main()
