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
