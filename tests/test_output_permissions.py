"""Output files follow the user's umask (a temporary file alone would leave them 0o600)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from checker.atomic import write_text_atomic


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_file_gets_the_umask_mode_not_0600(tmp_path: Path) -> None:
    code = (
        "import os, sys; from pathlib import Path; from checker.atomic import write_text_atomic\n"
        "os.umask(0o022); write_text_atomic(Path(sys.argv[1]), 'x')\n"
        "os.umask(0o077); write_text_atomic(Path(sys.argv[2]), 'x')\n"
    )
    shared, private = tmp_path / "shared.json", tmp_path / "private.json"
    subprocess.run([sys.executable, "-c", code, str(shared), str(private)], check=True)
    assert mode_of(shared) == 0o644
    assert mode_of(private) == 0o600


def test_replacing_a_file_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    target.write_text("old", encoding="utf-8")
    os.chmod(target, 0o640)
    write_text_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert mode_of(target) == 0o640
