"""Start-up figures of the run path: how soon crossclaim answers, and how much it holds.

    .venv/bin/python benchmarks/startup.py                 # this tree only
    .venv/bin/python benchmarks/startup.py --previous 2aed829 --runs 3

Each figure is a whole process (wall seconds, peak resident memory of that process), the median
of ``--runs`` runs:

* ``--help``;
* ``import checker.cli.main`` (the import time of the run path);
* ``report`` on the Blinken bundle in a fresh process with an empty cache (cold: every model
  loads), and again with the cache that run left (warm);
* ``gate`` on the same bundle with a warm cache;
* the install size of the default environment (the files of every distribution the default
  install pulls, from ``importlib.metadata``, measured in this virtual environment).

With ``--previous REV`` the same commands run, in the same session and alternating with this
tree, on a ``git worktree`` of REV (through ``PYTHONPATH``), so both designs meet the same load.
The CPU flags are printed with the figures: they are this machine's, under whatever else runs.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "examples" / "blinken-2021-12"


@dataclass
class Design:
    """One tree to measure: where its code is and how its CLI is called."""

    name: str
    tree: Path
    cli_module: str  # the module holding the typer app
    figures: dict[str, list[tuple[float, int]]] = field(default_factory=dict)

    def python(self, code: str) -> list[str]:
        return [sys.executable, "-c", code]

    def cli(self, *args: str) -> list[str]:
        return self.python(f"import sys; from {self.cli_module} import app; app()") + list(args)


def run_measured(command: list[str], tree: Path, cwd: Path) -> tuple[float, int]:
    """Wall seconds and peak RSS (MB) of one child process."""
    env = {**os.environ, "PYTHONPATH": str(tree), "HF_HUB_OFFLINE": "1"}
    start = time.perf_counter()
    proc = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    stderr = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) not in (0, 1):  # gate exits 1 on findings
        raise RuntimeError(f"{' '.join(command[3:])} failed: {stderr.strip()[-400:]}")
    return wall, usage.ru_maxrss // 1024


def measure_once(design: Design, work: Path) -> None:
    """One run of every figure for ``design`` (each in a fresh process)."""
    cache = work / f"cache-{design.name}"
    shutil.rmtree(cache, ignore_errors=True)
    out = work / f"{design.name}.json"
    steps = {
        "--help": design.cli("--help"),
        "import checker.cli": design.python(f"import {design.cli_module}"),
        "report cold": design.cli(
            "report", str(BUNDLE), "-q", "-f", "json", "-o", str(out), "--cache-dir", str(cache)
        ),
        "report warm": design.cli(
            "report", str(BUNDLE), "-q", "-f", "json", "-o", str(out), "--cache-dir", str(cache)
        ),
        "gate warm": design.cli("gate", str(BUNDLE), "--cache-dir", str(cache)),
    }
    for name, command in steps.items():
        design.figures.setdefault(name, []).append(run_measured(command, design.tree, work))


def distribution_closure(name: str, extras: frozenset[str] = frozenset()) -> set[str]:
    """The distributions an install of ``name`` (with ``extras``) pulls, as installed here."""
    seen: set[str] = set()
    todo = [(name, extras)]
    while todo:
        dist_name, wanted = todo.pop()
        key = re.sub(r"[-_.]+", "-", dist_name).lower()
        if key in seen:
            continue
        try:
            dist = importlib.metadata.distribution(dist_name)
        except importlib.metadata.PackageNotFoundError:
            continue
        seen.add(key)
        for requirement in dist.requires or []:
            spec, _, marker = requirement.partition(";")
            extra = re.search(r"extra\s*==\s*['\"]([^'\"]+)['\"]", marker)
            if extra and extra.group(1) not in wanted:
                continue
            if "python_version" in marker and "<" in marker and "3.11" not in marker:
                continue
            match = re.match(r"\s*([A-Za-z0-9_.\-]+)", spec)
            if match:
                todo.append((match.group(1), frozenset()))
    return seen


def install_size_mb(names: set[str]) -> float:
    total = 0
    for name in names:
        dist = importlib.metadata.distribution(name)
        for file in dist.files or []:
            path = Path(dist.locate_file(file))
            if path.is_file():
                total += path.stat().st_size
    return total / 1e6


def cpu_flags() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return "unknown"
    flags = sorted(set(re.findall(r"\b(avx512_vnni|avx_vnni|avx512f|avx2)\b", text)))
    model = re.search(r"model name\s*:\s*(.+)", text)
    return f"{model.group(1) if model else 'cpu'}; {' '.join(flags) or 'no avx2'}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--previous", help="a git revision to measure alongside (e.g. 2aed829)")
    args = parser.parse_args()

    designs = [Design("this tree", ROOT, "checker.cli.main")]
    work = Path(tempfile.mkdtemp(prefix="crossclaim-startup-"))
    previous_tree = None
    if args.previous:
        previous_tree = work / "previous"
        subprocess.run(
            [
                "git",
                "-C",
                str(ROOT),
                "worktree",
                "add",
                "-q",
                "--detach",
                str(previous_tree),
                args.previous,
            ],
            check=True,
        )
        module = (
            "checker.cli.main"
            if (previous_tree / "checker" / "cli" / "main.py").is_file()
            else "checker.cli"
        )
        designs.append(Design(f"previous ({args.previous})", previous_tree, module))
    try:
        for _ in range(args.runs):
            for design in designs:  # alternate, so both meet the same load
                measure_once(design, work)
    finally:
        if previous_tree is not None:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(previous_tree)],
                check=False,
            )
        shutil.rmtree(work, ignore_errors=True)

    print(f"CPU: {cpu_flags()}; {os.cpu_count()} cores visible; median of {args.runs} runs")
    header = f"{'figure':<22}" + "".join(f"{d.name:>30}" for d in designs)
    print(header)
    for name in designs[0].figures:
        row = f"{name:<22}"
        for design in designs:
            runs = design.figures[name]
            wall = statistics.median(w for w, _ in runs)
            peak = statistics.median(m for _, m in runs)
            row += f"{f'{wall:.2f} s, {peak} MB':>30}"
        print(row)
    default = distribution_closure("crossclaim")
    print(
        f"default install (this venv's crossclaim requirements, no extras): {len(default)} "
        f"distributions, {install_size_mb(default):.0f} MB"
    )
    for heavy in ("torch", "transformers", "sentence-transformers"):
        key = heavy.lower()
        print(f"  {heavy} in the default install: {'yes' if key in default else 'no'}")


if __name__ == "__main__":
    main()
