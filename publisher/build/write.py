"""Writing one file atomically, and the manifest's name and merge.

A file goes to a temporary name beside its destination and is moved into
place with `os.replace`, which is atomic: a process killed at any moment
leaves the file either as it was or complete. A build writes its output
folder through `publisher.build.transaction`, which stages files the same way.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def merge_manifests(manifests: list[dict[str, Any]]) -> dict[str, Any]:
    """The manifest a single build of all the shards' files would have written."""
    artifacts: dict[str, dict] = {}
    fallbacks: dict[str, list] = {}
    awaiting: dict[str, list] = {}
    removed: set[str] = set()
    checks: dict[str, dict] = {}
    for manifest in manifests:
        for kind, found in manifest.get("checks", {}).items():
            checks.setdefault(kind, {}).update(found)
        for entry in manifest["artifacts"]:
            artifacts[entry["path"]] = entry
        fallbacks.update(manifest.get("fallbacks", {}))
        awaiting.update(manifest.get("awaiting_update", {}))
        removed.update(manifest.get("removed", []))
    merged = {
        "generator": manifests[0]["generator"],
        "artifacts": [artifacts[p] for p in sorted(artifacts)],
        "fallbacks": dict(sorted(fallbacks.items())),
        "awaiting_update": dict(sorted(awaiting.items())),
        "removed": sorted(removed - set(artifacts)),
    }
    if checks:
        checks["files"] = {p: found for p, found in checks.get("files", {}).items() if p in artifacts}
        merged["checks"] = {kind: dict(sorted(found.items())) for kind, found in checks.items()}
    return merged
