"""docs/python-api.md stays true: its Python cells, run in order in one namespace from the
repository's root, print exactly the output blocks under them."""

from __future__ import annotations

import contextlib
import io
import re

import pytest
from example_paths import ROOT

DOC = ROOT / "docs" / "python-api.md"
BLOCK = re.compile(r"```(python|text)\n(.*?)\n```", re.DOTALL)

pytestmark = pytest.mark.slow  # runs the real pipeline (models load once per session)


def cells() -> list[tuple[str, str | None]]:
    """(code, expected output or None) for each Python cell of the walkthrough."""
    blocks = BLOCK.findall(DOC.read_text(encoding="utf-8"))
    out: list[tuple[str, str | None]] = []
    for kind, body in blocks:
        if kind == "python":
            out.append((body, None))
        else:
            assert out and out[-1][1] is None, "an output block follows its code cell"
            out[-1] = (out[-1][0], body)
    return out


def test_the_walkthrough_has_code_cells_with_output() -> None:
    found = cells()
    assert len(found) >= 8
    assert sum(expected is not None for _, expected in found) >= 8
    assert 'check(["examples/blinken-2021-12/"])' in found[0][0]


def test_the_walkthroughs_cells_print_what_it_shows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    namespace: dict[str, object] = {}
    for number, (code, expected) in enumerate(cells(), start=1):
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(code, f"<docs/python-api.md cell {number}>", "exec"), namespace)
        assert printed.getvalue().rstrip("\n") == (expected or ""), f"cell {number}"
