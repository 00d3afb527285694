"""Write: the only stage that touches the output folder.

Every file goes to a temporary name beside its destination and is moved into
place with `os.replace`, which is atomic: a build killed at any moment leaves
each file either as it was or complete. The manifest is written last.
"""

from __future__ import annotations

import json
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


def remove_stale_temporaries(output_dir: Path) -> None:
    """Delete temporary files that a killed build left behind."""
    if output_dir.is_dir():
        for path in output_dir.rglob(".*.tmp"):
            path.unlink(missing_ok=True)


def read_manifest(output_dir: Path) -> dict[str, Any]:
    try:
        data = json.loads((output_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"artifacts": []}
    return data if isinstance(data.get("artifacts"), list) else {"artifacts": []}


def write_manifest(output_dir: Path, manifest: dict[str, Any]) -> None:
    text = json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
    write_atomic(output_dir / MANIFEST, text.encode("utf-8"))


def merge_manifests(manifests: list[dict[str, Any]]) -> dict[str, Any]:
    """The manifest a single build of all the shards' files would have written."""
    artifacts: dict[str, dict] = {}
    fallbacks: dict[str, list] = {}
    removed: set[str] = set()
    for manifest in manifests:
        for entry in manifest["artifacts"]:
            artifacts[entry["path"]] = entry
        fallbacks.update(manifest.get("fallbacks", {}))
        removed.update(manifest.get("removed", []))
    return {
        "generator": manifests[0]["generator"],
        "artifacts": [artifacts[p] for p in sorted(artifacts)],
        "fallbacks": dict(sorted(fallbacks.items())),
        "removed": sorted(removed - set(artifacts)),
    }
