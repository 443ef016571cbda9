"""Export a fine-tuned sequence-classification model to ONNX (fp32, then dynamic int8).

    python -m training.export_onnx --model runs/minilm --out checker/nli/shipped

writes ``model.onnx`` (int8; its weights go to ``model.onnx.part0``, ``.part1``, ... when it
would be larger than ``MAX_FILE_BYTES``), ``tokenizer.json``, ``config.json``,
``weights_map.json`` (which ONNX tensor holds each torch parameter, so the transformers backend
runs the same weights) and ``model_info.json`` (sha256, provenance, ONNX-vs-torch agreement on
held-out pairs, and the ``self_check`` canary pairs with their fp32 torch probabilities, which
``checker.nli.selfcheck`` compares with on every load) into ``--out``. An int8 export also gets
``model_fp32.onnx`` (:func:`write_fp32_graph`): the exact fp32 graph of the same weights, which
reads the int8 weights from the same files and dequantizes them when onnxruntime loads it, so it
adds no weight bytes (the ``onnx-fp32`` and ``hybrid`` backends run it). The traced fp32 graph
is discarded unless ``--keep-fp32`` names a folder.

    python -m training.export_onnx --fp32-graph checker/nli/shipped [--refresh-reference]

adds ``model_fp32.onnx`` to an existing int8 export (``--refresh-reference`` also rewrites the
self-check's canary reference with the fp32 torch answers of the weights as they are in that
folder, dequantized).
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

from claims.onnx_model import onnx_model_files

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


class Fp32GraphError(ValueError):
    """An int8 graph whose quantized matrix products are not in the form this rewrite knows."""


def fp32_graph(int8_model: Any, source_sha256: str) -> Any:
    """The exact fp32 graph of a dynamically quantized ONNX model (an ``onnx.ModelProto``).

    Every chain ``DynamicQuantizeLinear(a) -> MatMulInteger(a_q, w_q) -> Cast -> Mul(scales)``
    becomes ``MatMul(a, DequantizeLinear(w_q, w_scale, w_zero_point, axis=1))``: the same
    dequantized weights as the fp32 torch model that ``training.dequantize`` rebuilds, without
    the run-time 8-bit rounding of activations. The weights stay the int8 initializers (with
    their external-data references, so a split export's parts are shared, not copied);
    onnxruntime folds each DequantizeLinear of a constant into an fp32 tensor once, when the
    session is created with ``session.disable_quant_qdq`` (``checker.nli.backends``). The graph's
    metadata records ``source_sha256`` (``model_sha256`` of the int8 files) so that a graph is
    never run against other weights. Raises :class:`Fp32GraphError` when a MatMulInteger is not
    in that form (nothing is guessed).
    """
    import onnx
    from onnx import helper

    from checker.nli.backends import FP32_SOURCE_KEY

    model = onnx.ModelProto()
    model.CopyFrom(int8_model)
    graph = model.graph
    initializers = {t.name for t in graph.initializer}
    producer = {out: node for node in graph.node for out in node.output}
    consumers: dict[str, list[Any]] = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)

    def only_consumer(name: str, op_type: str) -> Any:
        found = consumers.get(name, [])
        if len(found) != 1 or found[0].op_type != op_type:
            raise Fp32GraphError(f"{name}: expected one {op_type} after it")
        return found[0]

    replaced: dict[int, list[Any]] = {}
    dropped: set[int] = set()
    rewritten = 0
    for node in graph.node:
        if node.op_type != "MatMulInteger":
            continue
        if len(node.input) != 4:
            raise Fp32GraphError(f"{node.name}: MatMulInteger without both zero points")
        a_q, w_q, _a_zero, w_zero = node.input
        quantize = producer.get(a_q)
        if quantize is None or quantize.op_type != "DynamicQuantizeLinear":
            raise Fp32GraphError(f"{node.name}: its input is not DynamicQuantizeLinear's output")
        if w_q not in initializers or w_zero not in initializers:
            raise Fp32GraphError(f"{node.name}: its weights are not a constant")
        cast = only_consumer(node.output[0], "Cast")
        rescale = only_consumer(cast.output[0], "Mul")
        scales = next(name for name in rescale.input if name != cast.output[0])
        scales_mul = producer.get(scales)
        if scales_mul is None or scales_mul.op_type != "Mul":
            raise Fp32GraphError(f"{node.name}: no product of activation and weight scales")
        w_scale = [name for name in scales_mul.input if name != quantize.output[1]]
        if len(w_scale) != 1 or w_scale[0] not in initializers:
            raise Fp32GraphError(f"{node.name}: the weight scale is not a constant")
        weight = f"{w_q}_dequantized_fp32"
        replaced[id(rescale)] = [
            helper.make_node(
                "DequantizeLinear",
                [w_q, w_scale[0], w_zero],
                [weight],
                name=f"{node.name}_fp32_weight",
                axis=1,
            ),
            helper.make_node(
                "MatMul", [quantize.input[0], weight], [rescale.output[0]], name=f"{node.name}_fp32"
            ),
        ]
        dropped.update({id(node), id(cast)})
        rewritten += 1
    if not rewritten:
        raise Fp32GraphError("no MatMulInteger: the graph is not dynamically quantized")
    nodes = [
        n for node in graph.node if id(node) not in dropped for n in replaced.get(id(node), [node])
    ]
    # the activation quantizers and scale products now feed nothing: drop them, repeatedly
    outputs = {o.name for o in graph.output}
    while True:
        used = {name for node in nodes for name in node.input} | outputs
        kept = [n for n in nodes if any(o in used for o in n.output)]
        if len(kept) == len(nodes):
            break
        nodes = kept
    del graph.node[:]
    graph.node.extend(nodes)
    used = {name for node in nodes for name in node.input}
    unused = [t for t in graph.initializer if t.name not in used]
    for tensor in unused:
        graph.initializer.remove(tensor)
    del model.metadata_props[:]
    for key, value in (
        (FP32_SOURCE_KEY, source_sha256),
        ("crossclaim.matmuls_rewritten", str(rewritten)),
    ):
        entry = model.metadata_props.add()
        entry.key, entry.value = key, value
    return model


def write_fp32_graph(model_dir: Path) -> Path:
    """Write ``model_fp32.onnx`` beside an int8 export's ``model.onnx`` (see :func:`fp32_graph`).

    The int8 weights are not loaded or copied: the new graph points at the same external-data
    parts (an unsplit export's weights are copied into it, so keep large exports split).
    """
    import onnx

    from checker.nli.backends import FP32_GRAPH_FILE, model_sha256

    model_dir = Path(model_dir)
    split = len(onnx_model_files(model_dir)) > 1
    int8 = onnx.load(str(model_dir / "model.onnx"), load_external_data=not split)
    graph = fp32_graph(int8, model_sha256(model_dir))
    out = model_dir / FP32_GRAPH_FILE
    tmp = out.with_name(out.name + ".tmp")
    onnx.save_model(graph, str(tmp))
    onnx.checker.check_model(str(tmp))  # by path: external data is looked up beside it
    os.replace(tmp, out)
    return out


def fp32_graph_info(model_dir: Path) -> dict[str, Any]:
    """What model_info.json records about ``model_fp32.onnx``."""
    from checker.nli.backends import FP32_GRAPH_FILE, model_sha256

    path = Path(model_dir) / FP32_GRAPH_FILE
    return {
        "file": FP32_GRAPH_FILE,
        "bytes": path.stat().st_size,
        "int8_sha256": model_sha256(Path(model_dir)),
        "how": "int8 graph with each DynamicQuantizeLinear/MatMulInteger chain replaced by "
        "MatMul of the fp32 activations and the dequantized weights (training.export_onnx); "
        "reads the weights from the int8 files",
    }


def refresh_reference(model_dir: Path) -> dict[str, Any]:
    """Rewrite model_info.json's canary reference with the fp32 torch answers of the weights in
    ``model_dir`` (dequantized); returns the new ``self_check`` section."""
    model_dir = Path(model_dir)
    path = model_dir / "model_info.json"
    info = json.loads(path.read_text(encoding="utf-8"))
    previous = info.get("self_check", {}).get("reference_backend", "")
    reference = canary_reference(model_dir)
    section = reference.as_dict()
    info["self_check"] = section
    info.setdefault("notes", []).append(
        "self_check reference recomputed from the shipped weights dequantized "
        f"(was: {previous or 'unknown'}, from the weights before the 7-bit re-export)"
    )
    path.write_text(json.dumps(info, indent=2), encoding="utf-8")
    return section


def torch_probabilities(model_dir: Path, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
    """Probabilities in LABELS order from the torch model, for agreement checks."""
    from checker.nli.backends import TransformersNLIModel

    return TransformersNLIModel(str(model_dir)).predict(pairs)


#: how model_info.json names a reference computed from an int8 export's own weights.
DEQUANTIZED_REFERENCE = (
    "fp32 torch (transformers), these ONNX weights dequantized (training.dequantize)"
)


def canary_reference(model_dir: Path) -> CanaryReference:
    """The canary pairs' probabilities from the fp32 torch model: the self-check's reference.

    ``model_dir`` may be an int8 export (with ``weights_map.json``): the reference is then the
    fp32 model of its weights dequantized, which the exact fp32 graph reproduces.
    """
    from checker.nli.selfcheck import canary_pairs, make_reference

    exported = (Path(model_dir) / "weights_map.json").is_file()
    return make_reference(
        torch_probabilities(model_dir, canary_pairs()),
        backend=DEQUANTIZED_REFERENCE if exported else "fp32 torch (transformers)",
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

    from checker.nli.backends import OnnxNLIModel, model_sha256
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
            if quantize:
                write_fp32_graph(staging)
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
        if quantize:
            info["fp32_graph"] = fp32_graph_info(staging)
        # an int8 export's reference is its own weights in fp32 (what the exact graph answers)
        reference = canary_reference(staging if quantize else model_dir)
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
    parser.add_argument("--model", type=Path, help="fine-tuned model folder")
    parser.add_argument("--out", type=Path, default=Path("checker/nli/shipped"))
    parser.add_argument("--check-pairs", type=Path, help="jsonl with premise/hypothesis to compare")
    parser.add_argument("--check-limit", type=int, default=200)
    parser.add_argument("--keep-fp32", type=Path, help="also keep the fp32 ONNX graph here")
    parser.add_argument("--no-quantize", action="store_true")
    parser.add_argument(
        "--max-file-mb", type=float, default=MAX_FILE_BYTES / 2**20, help="largest file written"
    )
    parser.add_argument(
        "--fp32-graph", type=Path, help="only add model_fp32.onnx to this int8 export folder"
    )
    parser.add_argument(
        "--refresh-reference",
        action="store_true",
        help="with --fp32-graph: recompute the canary reference from the folder's weights",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    if args.fp32_graph:
        log.info("wrote %s", write_fp32_graph(args.fp32_graph))
        info_path = args.fp32_graph / "model_info.json"
        if info_path.is_file():
            info = json.loads(info_path.read_text(encoding="utf-8"))
            info["fp32_graph"] = fp32_graph_info(args.fp32_graph)
            info_path.write_text(json.dumps(info, indent=2), encoding="utf-8")
        if args.refresh_reference:
            refresh_reference(args.fp32_graph)
            log.info("canary reference recomputed in %s", args.fp32_graph / "model_info.json")
        return
    if args.model is None:
        parser.error("--model is required (or --fp32-graph)")
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
