"""What the last build left: the manifest, and per file the components of its
fingerprint with the digest, size and time it was written at. From these the
next build decides what is current, and can say which input changed.

Nothing read here is believed as it is: the two files may come from a CI
cache, a merge, an older version, a build of other content or a hand. A
path must be one a build could have written (relative, plain names, no `..`)
before anything is decided about it, and an entry is trusted only while the
file matches it: by its size and time as this build's state recorded them
with the same digest, or else by reading the file.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from publisher.build.plan import Task
from publisher.build.write import MANIFEST

STATE = ".publisher-state.json"


@dataclass
class Previous:
    entries: dict[str, dict[str, Any]]  # path -> manifest entry, paths checked
    state: dict[str, dict[str, Any]]
    fallbacks: dict[str, list[str]]
    notes: list[str] = field(default_factory=list)  # what was found wrong and ignored
    checks: dict[str, Any] = field(default_factory=dict)  # the manifest's `checks`, as it was read
    awaiting: dict[str, list[str]] = field(default_factory=dict)  # the manifest's `awaiting_update`


def safe_path(path: Any) -> bool:
    """Whether `path` names a file below the output folder in the form a build writes it."""
    if not isinstance(path, str) or not path or "\\" in path or "\0" in path:
        return False
    return all(part not in ("", ".", "..") for part in path.split("/"))


def plain_file(root: Path, path: str) -> bool:
    """Whether `root/path` is a regular file reached through real folders only (no link on the way)."""
    if not safe_path(path):
        return False
    here = root
    parts = path.split("/")
    try:
        for part in parts[:-1]:
            here = here / part
            if not stat.S_ISDIR(os.lstat(here).st_mode):
                return False
        return stat.S_ISREG(os.lstat(here / parts[-1]).st_mode)
    except OSError:
        return False


def load_previous(output_dir: Path) -> Previous:
    notes: list[str] = []
    manifest = _read(output_dir / MANIFEST, notes)
    artifacts = manifest.get("artifacts") if isinstance(manifest, dict) else None
    if manifest is not None and not isinstance(artifacts, list):
        notes.append(f"{(output_dir / MANIFEST).as_posix()} is not a manifest publisher wrote; ignored"
                     " (every file is checked against its content again)")
        artifacts = []
    entries: dict[str, dict[str, Any]] = {}
    for entry in artifacts or []:
        path = entry.get("path") if isinstance(entry, dict) else None
        if safe_path(path) and isinstance(entry.get("sha256"), str):
            entries[path] = entry
        else:
            notes.append(f"{(output_dir / MANIFEST).as_posix()}: ignored the entry {str(path)[:200]!r}:"
                         " not a file inside the output folder")
    fallbacks, awaiting = (_units_by_path(manifest, key, entries) for key in ("fallbacks", "awaiting_update"))
    state = _read(output_dir / STATE, notes)
    if state is not None and not isinstance(state, dict):
        notes.append(f"{(output_dir / STATE).as_posix()} is not a state publisher wrote; ignored")
    state = {p: r for p, r in state.items() if safe_path(p) and isinstance(r, dict)} if isinstance(state, dict) else {}
    checks = manifest.get("checks") if isinstance(manifest, dict) else None
    return Previous(entries, state, fallbacks, notes, checks if isinstance(checks, dict) else {}, awaiting)


def _units_by_path(manifest: Any, key: str, entries: dict[str, Any]) -> dict[str, list[str]]:
    found = manifest.get(key) if isinstance(manifest, dict) else None
    return {p: list(u) for p, u in found.items() if p in entries and isinstance(u, list)} \
        if isinstance(found, dict) else {}


def _read(path: Path, notes: list[str]) -> Any:
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):  # a link could make the build read any file
            notes.append(f"{path.as_posix()} is not a regular file; ignored (every file is checked against its"
                         " content again)")
            return None
        return json.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        notes.append(f"{path.as_posix()} cannot be read ({type(exc).__name__}); ignored"
                     " (every file is checked against its content again)")
        return None


def matches(entry: dict[str, Any], record: dict[str, Any], root: Path, path: str) -> bool:
    """Whether the file at `path` is the one `entry` describes."""
    if not plain_file(root, path):
        return False
    info = os.stat(root / path)
    if info.st_size != entry.get("bytes"):
        return False
    if (record.get("size"), record.get("mtime_ns"), record.get("sha256")) == (
            info.st_size, info.st_mtime_ns, entry.get("sha256")):
        return True  # untouched since a build wrote it with this digest: no need to read it
    return hashlib.sha256((root / path).read_bytes()).hexdigest() == entry.get("sha256")


def why_build(task: Task, previous: Previous, output_dir: Path, force: bool) -> str | None:
    """Why the task's file must be made, or None when it is current."""
    if force:
        return "forced"
    for path in task.paths:
        copy = "" if path == task.path else f" (the copy at {path})"
        entry = previous.entries.get(path)
        if entry is None:
            return "new" + copy
        if not plain_file(output_dir, path):
            return "output missing" + copy
        if entry.get("inputs") != task.inputs:
            old = previous.state.get(path, {}).get("components", {})
            old = old if isinstance(old, dict) else {}
            changed = [kind for kind, digest in task.components if old.get(kind) != digest]
            return "changed: " + ", ".join(changed or ["inputs"]) + copy
        if not matches(entry, previous.state.get(path, {}), output_dir, path):
            return "output altered" + copy
    return None


def state_record(task: Task, sha256: str, size: int, mtime_ns: int) -> dict[str, Any]:
    return {"components": dict(task.components), "sha256": sha256, "size": size, "mtime_ns": mtime_ns}
