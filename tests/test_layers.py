"""The layers: ``claims`` and ``rules`` import nothing from ``checker`` (they are the lower layers
the pipeline is built from), and ``claims`` imports nothing from ``rules``."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {"claims": ("checker", "rules", "training"), "rules": ("checker", "training")}


def imported_modules(path: Path) -> list[str]:
    """Every module a file imports, at any depth (inside functions too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_lower_layers_import_nothing_from_the_layers_above(package: str) -> None:
    files = sorted((ROOT / package).rglob("*.py"))
    assert files, f"no Python files under {package}/"
    offending = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in files
        for name in imported_modules(path)
        if name.split(".")[0] in FORBIDDEN[package]
    ]
    assert offending == []


def test_the_import_parser_sees_imports_inside_functions(tmp_path: Path) -> None:
    source = tmp_path / "m.py"
    source.write_text("def f():\n    from checker.settings import Settings\n", encoding="utf-8")
    assert imported_modules(source) == ["checker.settings"]


#: the rooms of ``checker/`` and what each may import from the others (``top`` is the pipeline,
#: comparison, findings, report, cache and settings at ``checker/``'s top level).
ROOMS: dict[str, set[str]] = {
    "nli": set(),
    "top": {"nli"},
    "render": {"top"},
    "gate": {"top"},
    "workspace": {"top", "nli", "gate"},
    "batch": {"top", "nli", "workspace"},
    "cli": {"top", "nli", "render", "gate", "workspace", "batch"},
}


def room_of(module: str) -> str:
    """``checker.gate.decide`` -> ``gate``; ``checker.pipeline`` -> ``top``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 2 and parts[1] in ROOMS else "top"


def checker_modules() -> dict[str, Path]:
    modules = {}
    for path in sorted((ROOT / "checker").rglob("*.py")):
        dotted = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        modules[dotted.removesuffix(".__init__")] = path
    return modules


def test_each_room_of_checker_imports_only_the_rooms_below_it() -> None:
    modules = checker_modules()
    assert {room_of(m) for m in modules} == set(ROOMS)
    offending = [
        f"{module} ({room_of(module)}) imports {name}"
        for module, path in modules.items()
        for name in imported_modules(path)
        if name.startswith("checker.")
        and room_of(name) != room_of(module)
        and room_of(name) not in ROOMS[room_of(module)]
    ]
    assert offending == []


def import_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One cycle of ``graph`` (module -> modules it imports), or [] when it has none.

    >>> import_cycle({"a": {"b"}, "b": {"a"}})
    ['a', 'b', 'a']
    """
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return []

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return []


def test_no_import_cycle_between_modules_of_checker_claims_and_rules() -> None:
    graph: dict[str, set[str]] = {}
    for package in ("claims", "rules", "checker"):
        for path in sorted((ROOT / package).rglob("*.py")):
            module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(
                ".__init__"
            )
            graph[module] = {
                name
                for name in imported_modules(path)
                if name.split(".")[0] in ("claims", "rules", "checker") and name != module
            }
    assert len(graph) > 50
    assert import_cycle(graph) == []


def test_the_cycle_finder_finds_a_cycle_and_accepts_a_chain() -> None:
    assert import_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) == []
    assert import_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
