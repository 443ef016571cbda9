"""spaCy loads without torch (claims/torchless.py), and torch stays importable afterwards."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def run_python(code: str) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_loading_spacy_through_claims_does_not_import_torch() -> None:
    result = run_python(
        "import json, sys\n"
        "from claims.nlp import load_nlp\n"
        "doc = load_nlp()('Blinken tested negative on Tuesday in Kuala Lumpur.')\n"
        "ents = [e.text for e in doc.ents]\n"
        "torch_before = 'torch' in sys.modules\n"
        "import torch\n"
        "print(json.dumps({'ents': ents, 'torch_before': torch_before,"
        " 'torch_after': torch.__name__}))"
    )
    assert result["torch_before"] is False
    assert "Kuala Lumpur" in result["ents"]  # the pipeline works without torch
    assert result["torch_after"] == "torch"  # hidden only while thinc was imported


def test_thinc_sees_torch_when_torch_was_imported_first() -> None:
    pytest.importorskip("torch")
    result = run_python(
        "import json, torch, claims, thinc.compat\n"
        "print(json.dumps({'has_torch': bool(thinc.compat.has_torch)}))"
    )
    assert result == {"has_torch": True}
