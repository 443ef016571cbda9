"""``crossclaim eval PAIRS``: precision and recall of each rule check on a labelled pair set."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:  # rules.scoring imports spaCy: only when the command runs
    from rules.scoring import CheckScores


def scores_table(scores: dict[str, CheckScores], title: str) -> Table:
    """A rich table with one row per check."""
    table = Table(title=title)
    for column in ("check", "TP", "FP", "FN", "TN", "precision", "recall", "F1"):
        table.add_column(column, justify="left" if column == "check" else "right")
    for name, s in scores.items():
        table.add_row(
            name,
            str(s.tp),
            str(s.fp),
            str(s.fn),
            str(s.tn),
            f"{s.precision:.2f}",
            f"{s.recall:.2f}",
            f"{s.f1:.2f}",
        )
    return table


def eval_command(
    pairs: Annotated[
        Path, typer.Argument(help="labelled pairs (.jsonl), e.g. eval/rule_pairs.jsonl")
    ],
    rules: Annotated[
        Path | None, typer.Option("--rules", help="rules file (default: the packaged one)")
    ] = None,
    split: Annotated[
        str | None, typer.Option("--split", help="score only this split: dev or test")
    ] = None,
    errors: Annotated[
        bool, typer.Option("--errors", help="list the pairs each check got wrong")
    ] = False,
) -> None:
    """Print precision, recall and F1 per rule check on a labelled pair set."""
    from rules.registry import load_rule_configs
    from rules.scoring import SPLITS, score_pair_file

    console = Console()
    err = Console(stderr=True)
    if split is not None and split not in SPLITS:
        err.print(f"error: --split must be one of {', '.join(SPLITS)}", markup=False)
        raise typer.Exit(2)
    try:
        configs = load_rule_configs(rules)
        scores = score_pair_file(pairs, configs, split=split)
    except ValueError as exc:
        err.print(f"error: {exc}", markup=False)
        raise typer.Exit(1) from None
    title = f"{pairs} ({split or 'all'} split)"
    console.print(scores_table(scores, title))
    if errors:
        for name, s in scores.items():
            if s.errors:
                console.print(f"{name}: {', '.join(s.errors)}", markup=False)


def register(app: typer.Typer) -> None:
    """Add the ``eval`` command to the crossclaim app."""
    app.command("eval")(eval_command)
