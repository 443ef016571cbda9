"""Start-up stays light: the CLI module imports no model library until a command needs one."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("torch", "spacy", "thinc", "transformers", "sentence_transformers", "onnxruntime")


def test_importing_the_cli_loads_no_model_library() -> None:
    code = (
        "import json, sys; import checker.cli.main; "
        f"print(json.dumps(sorted(m for m in {list(HEAVY)!r} if m in sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
