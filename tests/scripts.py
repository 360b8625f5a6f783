"""The repository's scripts that are no package (under bench/ and tools/), loaded as modules
the way they run: from their path, once per test process, under their own name (dataclasses
and pickling look a module up by its name)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]


def script(relative: str) -> ModuleType:
    """The script at `relative` (to the repository's root), e.g. "bench/resolve_bench.py"."""
    path = ROOT / relative
    found = sys.modules.get(path.stem)
    if found is not None and getattr(found, "__file__", None) == str(path):
        return found
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    return module
