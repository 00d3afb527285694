"""What the last build left: the manifest, and per file the components of its
fingerprint with the size and time it was written at. From these the next
build decides what is current, and can say which input changed."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from publisher.build.plan import Task
from publisher.build.write import read_manifest

STATE = ".publisher-state.json"


@dataclass
class Previous:
    manifest: dict[str, Any]
    state: dict[str, dict[str, Any]]

    @cached_property  # asked once per planned file: build the index once, not once per file
    def entries(self) -> dict[str, dict[str, Any]]:
        return {e["path"]: e for e in self.manifest["artifacts"] if isinstance(e, dict) and "path" in e}


def load_previous(output_dir: Path) -> Previous:
    try:
        state = json.loads((output_dir / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        state = {}
    return Previous(read_manifest(output_dir), state if isinstance(state, dict) else {})


def why_build(task: Task, previous: Previous, output_dir: Path, force: bool) -> str | None:
    """Why the task's file must be made, or None when it is current."""
    if force:
        return "forced"
    entry = previous.entries.get(task.path)
    if entry is None:
        return "new"
    file = output_dir / task.path
    if not file.is_file():
        return "output missing"
    if entry.get("inputs") != task.inputs:
        old = previous.state.get(task.path, {}).get("components", {})
        changed = [kind for kind, digest in task.components if old.get(kind) != digest]
        return "changed: " + ", ".join(changed or ["inputs"])
    record = previous.state.get(task.path, {})
    stat = file.stat()
    if (record.get("size"), record.get("mtime_ns")) == (stat.st_size, stat.st_mtime_ns):
        return None  # untouched since we wrote it: no need to read it
    if hashlib.sha256(file.read_bytes()).hexdigest() != entry.get("sha256"):
        return "output altered"
    return None


def state_record(task: Task, path: Path) -> dict[str, Any]:
    stat = path.stat()
    return {"components": dict(task.components), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
