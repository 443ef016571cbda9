"""``crossclaim nli``: run the NLI model over pairs from a file, or measure it on labelled pairs.

    crossclaim nli predict --input pairs.jsonl --output preds.jsonl
    crossclaim nli evaluate --input labelled.jsonl [--input other.jsonl]
    crossclaim nli check        # CPU features, backend chosen, self-check, speed on this machine

The shipped model runs the ``hybrid`` path by default (int8 ONNX; pairs whose int8 answer is not
clear-cut re-scored in exact fp32 ONNX); ``predict`` and ``check`` say which path ran and how
many pairs were re-scored. ``--backend`` picks another (``onnx``: int8 only, ``onnx-fp32``:
exact fp32 only, ``transformers``: fp32 torch).

Input lines are JSON objects ``{"premise": ..., "hypothesis": ...}`` (``evaluate`` also needs
``"label"``: entailment, neutral or contradiction). Blank lines are skipped. A malformed line is
reported as ``FILE:LINE: problem`` and nothing is written (the output must line up with the input).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import numpy as np
import typer
from rich.console import Console

from checker.atomic import output_mode
from checker.cli.options import EXIT_INPUT_ERROR
from checker.nli.backends import LABELS, NLIModelError, describe_path, load_nli
from checker.nli.hybrid import HybridNLIModel

nli_app = typer.Typer(
    help="Natural language inference: predict and evaluate.", no_args_is_help=True
)


@dataclass(frozen=True)
class PairLine:
    line: int
    premise: str
    hypothesis: str
    label: str | None = None


class PairFileError(ValueError):
    """Problems in a pairs file; ``problems`` holds one ``FILE:LINE: problem`` string each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems[0] if problems else "bad pairs file")
        self.problems = problems


def read_pairs(path: Path, need_label: bool = False, max_problems: int = 20) -> list[PairLine]:
    """Read a JSONL pairs file, collecting every malformed line.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "pairs.jsonl"
    >>> _ = p.write_text('{"premise": "a", "hypothesis": "b"}\\n\\n', encoding="utf-8")
    >>> read_pairs(p)
    [PairLine(line=1, premise='a', hypothesis='b', label=None)]
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PairFileError([f"{path}: cannot read ({exc.strerror or exc})"]) from exc
    if b"\x00" in raw[:4096]:
        raise PairFileError([f"{path}: binary file, expected JSON lines"])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PairFileError([f"{path}: not UTF-8 text (byte {exc.start})"]) from exc
    pairs: list[PairLine] = []
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        problem, pair = _parse_line(line, number, need_label)
        if problem:
            problems.append(f"{path}:{number}: {problem}")
            if len(problems) >= max_problems:
                problems.append(f"{path}: stopped after {max_problems} malformed lines")
                break
        elif pair is not None:
            pairs.append(pair)
    if problems:
        raise PairFileError(problems)
    if not pairs:
        raise PairFileError([f"{path}: no pairs (empty file)"])
    return pairs


def _parse_line(line: str, number: int, need_label: bool) -> tuple[str, PairLine | None]:
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        return f"not valid JSON ({exc.msg})", None
    if not isinstance(row, dict):
        return "expected a JSON object with premise and hypothesis", None
    for key in ("premise", "hypothesis"):
        if not isinstance(row.get(key), str):
            return f'"{key}" missing or not a string', None
    label = row.get("label")
    if need_label:
        if not isinstance(label, str) or label.strip().lower() not in LABELS:
            return f'"label" must be one of {", ".join(LABELS)}', None
        label = label.strip().lower()
    return "", PairLine(number, row["premise"], row["hypothesis"], label)


def write_predictions(path: Path, probs: np.ndarray) -> None:
    """Write one ``{"entailment": p, "neutral": p, "contradiction": p}`` line per row (atomic)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = output_mode(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=str(path.parent))
    try:
        os.chmod(tmp, mode)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            for row in probs:
                record = {label: round(float(p), 6) for label, p in zip(LABELS, row, strict=True)}
                handle.write(json.dumps(record) + "\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def nli_metrics(probs: np.ndarray, labels: Sequence[str]) -> dict[str, float]:
    """3-way accuracy and contradiction precision/recall (predicted label = argmax).

    >>> p = np.array([[0.8, 0.1, 0.1], [0.1, 0.1, 0.8], [0.1, 0.2, 0.7]])
    >>> nli_metrics(p, ["entailment", "contradiction", "neutral"])
    {'pairs': 3, 'accuracy': 0.6667, 'contradiction_precision': 0.5, 'contradiction_recall': 1.0}
    """
    gold = np.array([LABELS.index(label) for label in labels])
    pred = np.asarray(probs).argmax(axis=1)
    c = LABELS.index("contradiction")
    predicted_c = pred == c
    gold_c = gold == c
    tp = int(np.sum(predicted_c & gold_c))
    return {
        "pairs": len(gold),
        "accuracy": round(float(np.mean(pred == gold)), 4) if len(gold) else 0.0,
        "contradiction_precision": round(tp / max(1, int(predicted_c.sum())), 4),
        "contradiction_recall": round(tp / max(1, int(gold_c.sum())), 4),
    }


def _load(model: str, backend: str, max_length: int):  # noqa: ANN202
    try:
        return load_nli(model, backend=backend, max_length=max_length)
    except NLIModelError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_INPUT_ERROR) from None


def _read_or_exit(path: Path, need_label: bool) -> list[PairLine]:
    try:
        return read_pairs(path, need_label=need_label)
    except PairFileError as exc:
        for problem in exc.problems:
            typer.echo(f"error: {problem}", err=True)
        raise typer.Exit(EXIT_INPUT_ERROR) from None


MODEL_HELP = '"shipped", a local model directory or a hub id'
BACKEND_HELP = "auto, hybrid, onnx (int8 as exported), onnx-fp32 (exact) or transformers"


@nli_app.command("predict")
def predict_command(
    input: Annotated[Path, typer.Option("--input", "-i", help="JSONL with premise and hypothesis")],
    output: Annotated[Path, typer.Option("--output", "-o", help="JSONL of label probabilities")],
    model: Annotated[str, typer.Option("--model", help=MODEL_HELP)] = "shipped",
    backend: Annotated[str, typer.Option("--backend", help=BACKEND_HELP)] = "auto",
    batch_size: Annotated[int, typer.Option("--batch-size", min=1)] = 32,
    max_length: Annotated[int, typer.Option("--max-length", min=8)] = 128,
    progress: Annotated[bool, typer.Option("--progress/--no-progress")] = True,
) -> None:
    """Write entailment/neutral/contradiction probabilities for each input pair, in order."""
    pairs = _read_or_exit(input, need_label=False)
    nli = _load(model, backend, max_length)
    probs = nli.predict(
        [(p.premise, p.hypothesis) for p in pairs],
        batch_size=batch_size,
        progress=progress and sys.stderr.isatty(),
    )
    write_predictions(output, probs)
    typer.echo(f"{len(pairs)} pairs -> {output}; {describe_path(nli)}", err=True)


@nli_app.command("evaluate")
def evaluate_command(
    inputs: Annotated[
        list[Path], typer.Option("--input", "-i", help="JSONL with a label; repeatable")
    ],
    model: Annotated[str, typer.Option("--model", help=MODEL_HELP)] = "shipped",
    backend: Annotated[str, typer.Option("--backend", help=BACKEND_HELP)] = "auto",
    batch_size: Annotated[int, typer.Option("--batch-size", min=1)] = 32,
    max_length: Annotated[int, typer.Option("--max-length", min=8)] = 128,
    limit: Annotated[
        int, typer.Option("--limit", min=0, help="use the first N pairs of each file")
    ] = 0,
) -> None:
    """Print 3-way accuracy and contradiction precision/recall for each labelled file."""
    sets = {path: _read_or_exit(path, need_label=True) for path in inputs}
    nli = _load(model, backend, max_length)
    out = Console()
    out.print(f"model: {nli.model_id}", markup=False, highlight=False)
    out.print(f"{'set':40} {'pairs':>6} {'acc':>6} {'C-prec':>7} {'C-rec':>6}", highlight=False)
    for path, pairs in sets.items():
        chosen = pairs[:limit] if limit else pairs
        probs = nli.predict([(p.premise, p.hypothesis) for p in chosen], batch_size=batch_size)
        m = nli_metrics(probs, [p.label or "" for p in chosen])
        out.print(
            f"{path.name[:40]:40} {m['pairs']:>6} {m['accuracy']:>6.3f} "
            f"{m['contradiction_precision']:>7.3f} {m['contradiction_recall']:>6.3f}",
            markup=False,
            highlight=False,
        )
    out.print(f"path: {describe_path(nli)}", markup=False, highlight=False)


#: pairs timed by ``nli check``: the canary pairs (short news sentences, SNLI-like length),
#: repeated; enough for a steady figure in a few seconds on 2 cores.
CHECK_SPEED_PAIRS = 256


@nli_app.command("check")
def check_command(
    model: Annotated[str, typer.Option("--model", help=MODEL_HELP)] = "shipped",
    backend: Annotated[str, typer.Option("--backend", help=BACKEND_HELP)] = "auto",
    pairs: Annotated[
        int, typer.Option("--pairs", min=0, help="pairs timed for the speed figure (0: none)")
    ] = CHECK_SPEED_PAIRS,
) -> None:
    """Check the NLI model on this machine: CPU features, backend, self-check and speed.

    Exits 0 when a backend passed its self-check, 2 when none did.
    """
    import time

    import onnxruntime

    from checker.nli.backends import BACKEND_NAMES, available_cores
    from checker.nli.cpu import cpu_summary
    from checker.nli.selfcheck import canary_pairs

    out = Console()

    def line(label: str, value: object) -> None:
        out.print(f"{label:14} {value}", markup=False, highlight=False)

    line("cpu", cpu_summary())
    line("cores", available_cores())
    line("onnxruntime", onnxruntime.__version__)
    nli = _load(model, backend, 128)
    line("model", nli.model_id)
    line("backend", BACKEND_NAMES.get(nli.backend, nli.backend))
    check = nli.self_check
    line("self-check", check.summary() if check else "not run")
    if pairs:
        sample = (canary_pairs() * (pairs // len(canary_pairs()) + 1))[:pairs]
        nli.predict(sample[:32])
        started = time.perf_counter()
        nli.predict(sample)
        seconds = time.perf_counter() - started
        rescored = ""
        if isinstance(nli, HybridNLIModel):
            rescored = f"; {nli.last_rescored} of them re-scored in exact fp32"
        line("speed", f"{pairs / seconds:.1f} pairs/s ({pairs} short pairs, batch 32{rescored})")
    line("path", describe_path(nli))


def register(app: typer.Typer) -> None:
    """Add the ``nli`` group (``predict``, ``evaluate``, ``check``) to the crossclaim app."""
    app.add_typer(nli_app, name="nli")
