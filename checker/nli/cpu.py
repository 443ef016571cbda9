"""The CPU features that can change a model's answers or speed, read from /proc/cpuinfo.

int8 matrix kernels differ by instruction set: VNNI (``avx512_vnni``, ``avx_vnni``) adds u8 x s8
products straight into int32; without it, AVX2 and AVX-512 kernels pass through a saturating
int16. Every speed or accuracy figure this project prints names these features.

>>> relevant_features({"fpu", "avx2", "avx512f", "sse4_2"})
['avx2', 'avx512f']
"""

from __future__ import annotations

import platform
from collections.abc import Iterable
from pathlib import Path

#: flags that matter for onnxruntime's and torch's CPU kernels, in the order they are shown.
RELEVANT_FLAGS = (
    "avx2",
    "fma",
    "avx512f",
    "avx512bw",
    "avx512_vnni",
    "avx_vnni",
    "avx512_bf16",
    "amx_int8",
    "amx_bf16",
)

#: flags whose presence gives the VNNI int8 kernels.
VNNI_FLAGS = ("avx512_vnni", "avx_vnni")


def cpu_flags(cpuinfo: Path = Path("/proc/cpuinfo")) -> set[str]:
    """Every flag of the first processor in ``cpuinfo`` (empty where there is no such file)."""
    try:
        text = cpuinfo.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return set()
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip() in ("flags", "Features"):
            return set(value.split())
    return set()


def relevant_features(flags: Iterable[str]) -> list[str]:
    """The flags of :data:`RELEVANT_FLAGS` present in ``flags``, in that order."""
    present = set(flags)
    return [flag for flag in RELEVANT_FLAGS if flag in present]


def model_name(cpuinfo: Path = Path("/proc/cpuinfo")) -> str:
    """The processor's model name, or the platform's word for it."""
    try:
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "model name":
                return value.strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def cpu_summary(cpuinfo: Path = Path("/proc/cpuinfo")) -> str:
    """One line: model name, the relevant flags and whether int8 has VNNI kernels.

    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "cpuinfo"
    >>> _ = p.write_text("model name : Test CPU\\nflags : fpu avx2 fma\\n", encoding="utf-8")
    >>> cpu_summary(p)
    'Test CPU; avx2 fma; no VNNI'
    """
    flags = cpu_flags(cpuinfo)
    features = " ".join(relevant_features(flags)) or "none of " + "/".join(RELEVANT_FLAGS[:3])
    vnni = "VNNI" if any(f in flags for f in VNNI_FLAGS) else "no VNNI"
    return f"{model_name(cpuinfo)}; {features}; {vnni}"
