"""Build: plan every target, check it, render what changed, then write.

The package's names are imported on first use (PEP 562), so that
`publisher.build.uptodate` can answer "nothing changed" without importing
the content model or any renderer.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "BuildReport": "report", "Shard": "shard", "build": "run",
    "RenderOptions": "run", "Selection": "plan", "Task": "plan", "source_date": "plan",
}  # not `plan`: the submodule of that name would shadow the function
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'publisher.build' has no attribute {name!r}")
    return getattr(importlib.import_module(f"publisher.build.{_EXPORTS[name]}"), name)
