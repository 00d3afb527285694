"""A render cache that outlives an output folder: files kept by their fingerprint.

An incremental build skips a file whose fingerprint is unchanged in its own
output folder. With a cache folder (`publisher build --cache DIR`, or the
`PUBLISHER_CACHE` environment variable), a file that any build made before
with the same fingerprint — into another output folder, in a CI job's
previous run on a clean clone, on another shard — is taken from the cache
instead of rendered again, like ccache for a compiler.

This is sound for the reason incremental builds are: whatever a file shows is
in its fingerprint (`Task.inputs`, proven by the property tests). The key adds
what a fingerprint leaves out because it cannot change between two builds of
one installation: publisher's own source code, so an edited checkout never
reuses files an older one made. The output gates' findings are kept beside the
file, keyed by everything they depend on beyond its bytes (the gates and their
thresholds, and how findings name files), so a cached file is checked again
only when those change. An entry whose bytes do not match its record is
ignored, never written into an output folder.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from publisher.checks.gate import Finding, Score

@dataclasses.dataclass
class Cached:
    data: bytes
    pages: int
    choice: dict | None
    checked: tuple[list[Finding], list[tuple[str, Score]]] | None  # None: the gates must run again


class RenderCache:
    def __init__(self, folder: Path):
        self.folder = folder

    def _paths(self, task) -> tuple[Path, Path]:
        key = _sha(json.dumps([code_digest(), task.inputs, task.format, task.variant]))
        base = self.folder / key[:2] / key
        return base.with_suffix(".bin"), base.with_suffix(".json")

    def get(self, task, checks_key: str | None) -> Cached | None:
        data_path, record_path = self._paths(task)
        try:
            record = json.loads(record_path.read_text(encoding="utf-8"))
            data = data_path.read_bytes()
        except (OSError, ValueError):
            return None
        if not isinstance(record, dict) or record.get("sha256") != hashlib.sha256(data).hexdigest():
            return None  # torn or tampered: render again
        checked = (record.get("checked") or {}).get(checks_key) if checks_key else None
        return Cached(data, record.get("pages", 0), record.get("choice"), _checked_from(checked))

    def put(self, task, data: bytes, pages: int, choice: dict | None, checks_key: str | None,
            checked: tuple | None) -> None:
        """Keep a file and its findings; a cache that cannot be written only costs renders."""
        data_path, record_path = self._paths(task)
        try:
            old = json.loads(record_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            old = {}
        digest = hashlib.sha256(data).hexdigest()
        found = old.get("checked") if isinstance(old, dict) and old.get("sha256") == digest else None
        found = dict(found) if isinstance(found, dict) else {}
        if checks_key and checked is not None:
            found[checks_key] = _checked_json(checked)
        record = {"sha256": digest, "pages": pages, "choice": choice, "checked": found}
        try:
            data_path.parent.mkdir(parents=True, exist_ok=True)
            if not (data_path.is_file() and old.get("sha256") == digest):
                _write(data_path, data)
            _write(record_path, json.dumps(record, sort_keys=True).encode("utf-8"))
        except OSError:
            pass


def checks_key(checks, job) -> str | None:
    """What a file's output-gate findings depend on beyond its bytes and fingerprint."""
    if checks is None or not hasattr(job, "localized"):
        return None
    from publisher.checks import _where

    thresholds = dataclasses.asdict(checks.thresholds)
    # Findings name the article as loaded, the templates folder as `_where` shows it, and the
    # line of each text in its file: a comment added above a unit moves it, not the output.
    templates = Path(job.templates_dir)
    lines = _sha(repr((job.localized.texts, getattr(job.localized, "sources", ()))))
    where = [job.localized.source_file, _where._shown(templates, templates, Path(checks.cwd)), lines]
    return _sha(json.dumps([checks.gate_ids, thresholds, where], sort_keys=True, default=str))


@functools.cache
def code_digest() -> str:
    """publisher's own source files: an edited checkout makes other files than its version says."""
    root = Path(__file__).resolve().parent.parent
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".yaml", ".json") and "__pycache__" not in path.parts:
            h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def _checked_json(checked: tuple) -> dict[str, Any]:
    found, scores = checked
    return {"findings": [dataclasses.asdict(f) for f in found],
            "scores": [[gate, dataclasses.asdict(s)] for gate, s in scores]}


def _checked_from(record: Any) -> tuple | None:
    if not isinstance(record, dict):
        return None
    try:
        return ([Finding(**f) for f in record["findings"]],
                [(gate, Score(**s)) for gate, s in record["scores"]])
    except (KeyError, TypeError, ValueError):
        return None


def _write(path: Path, data: bytes) -> None:
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
