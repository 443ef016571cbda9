"""spaCy without torch: keep thinc from importing torch when crossclaim loads spaCy.

thinc (spaCy's machine-learning library) imports torch at start-up whenever torch is installed,
only to offer torch-backed layers. crossclaim's spaCy pipeline (the small English model) never
uses them, and importing torch costs seconds and hundreds of MB on every run. So, unless torch is
already imported, :func:`import_thinc_without_torch` arranges that thinc's own import sees no
torch (thinc then runs its numpy ops, as it does where torch is not installed). Torch stays
importable for everything else: it is hidden only while thinc's package is being executed.

It is called once from ``claims/__init__.py`` and costs nothing until spaCy is imported.

>>> import sys
>>> finder = ThincWithoutTorch()
>>> finder.find_spec("numpy", None) is None  # any other module is left to the normal finders
True
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import sys
from collections.abc import Sequence
from types import ModuleType


class _HideTorchWhileLoading(importlib.abc.Loader):
    """Runs the real loader of ``thinc`` with ``torch`` marked as not importable."""

    def __init__(self, loader: importlib.abc.Loader) -> None:
        self._loader = loader

    def __getattr__(self, name: str) -> object:  # get_resource_reader, is_package, ...
        return getattr(self._loader, name)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self._loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        hidden = "torch" not in sys.modules
        if hidden:
            sys.modules["torch"] = None  # type: ignore[assignment]  # `import torch` -> ImportError
        try:
            self._loader.exec_module(module)
        finally:
            if hidden and sys.modules.get("torch", ModuleType("x")) is None:
                del sys.modules["torch"]


class ThincWithoutTorch(importlib.abc.MetaPathFinder):
    """A meta path finder that answers only for the top-level ``thinc`` package."""

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != "thinc" or "torch" in sys.modules:
            return None
        sys.meta_path.remove(self)  # find the real spec, once; the hook is not needed after
        spec = importlib.util.find_spec("thinc")
        if spec is None or spec.loader is None:
            return spec
        spec.loader = _HideTorchWhileLoading(spec.loader)
        return spec


def import_thinc_without_torch() -> None:
    """Install the finder (once) unless thinc or torch is already imported."""
    if "thinc" in sys.modules or "torch" in sys.modules:
        return
    if any(isinstance(finder, ThincWithoutTorch) for finder in sys.meta_path):
        return
    sys.meta_path.insert(0, ThincWithoutTorch())
