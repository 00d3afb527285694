"""Up to date: answer "nothing changed" without loading the content.

Deciding file by file whether a catalogue is current means reading and
validating every YAML file and planning every target: seconds for a few
thousand files, and most CI runs change nothing. So a successful build also
records one digest of every byte it could have read (each file under the
content and templates folders, the command's selection and options, the
installed libraries and SOURCE_DATE_EPOCH) with the size and modification
time of every file it left in the output folder. When all of these still
match, the next identical build is a no-op and says so without importing the
content model or a renderer; the smallest difference falls back to the full
check, which decides file by file. Inputs are compared by content, not by
time stamp, so an edit within the same clock tick is not missed (git's
"racy clean" problem); outputs are ours and compared by size and time, as
the full check does too.

This module imports nothing heavier than the standard library.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from publisher import __version__
from publisher.build import system_libraries

SNAPSHOT = ".publisher-uptodate.json"
_MANIFEST = "manifest.json"  # as publisher.build.write names them; that module is not imported here
_STATE = ".publisher-state.json"
_SKIP_DIRS = {".git", "__pycache__"}
_HASH_AT_MOST = 16 * 2**20  # bytes; the largest file the templates ship, a font, is 3 MB


@dataclass(frozen=True)
class Inputs:
    """Everything a build could read, digested before it reads any of it."""

    digest: str


@dataclass(frozen=True)
class Current:
    """What the last build recorded, when nothing has changed since."""

    paths: list[str]  # the selection's files, all current
    fallbacks: list[tuple[str, str, list[str]]]  # (article, lang, units shown in the source language)


def request(articles=(), langs=(), formats=(), clinics=(), bleed: str | None = None, shard=None) -> dict[str, Any]:
    """The part of a build command that decides which files it makes and how."""
    return {"articles": sorted(articles), "langs": sorted(langs), "formats": sorted(formats),
            "clinics": sorted(clinics), "bleed": bleed, "shard": str(shard) if shard else None}


def read_inputs(content_dir: Path, templates_dir: Path, output_dir: Path, asked: dict[str, Any]) -> Inputs:
    digest = hashlib.sha256()
    digest.update(json.dumps({
        "publisher": __version__,
        "request": asked,
        "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH", ""),
        "environment": _environment(),
    }, sort_keys=True).encode("utf-8"))
    outside = output_dir.resolve()
    # Where the folders are does not matter, only what is in them: a copy of
    # the project built elsewhere gives the same bytes.
    for label, root in (("content", content_dir.resolve()), ("templates", templates_dir.resolve())):
        for entry in _entries(root, outside):
            name = os.path.relpath(entry.path, root).replace(os.sep, "/")
            digest.update(f"\n{label}/{name}\0".encode("utf-8", "surrogateescape"))
            digest.update(_fingerprint(entry))
    return Inputs(digest.hexdigest())


def _fingerprint(entry: os.DirEntry) -> bytes:
    """A file's content; for a link, where it points and what that is, from
    `stat` alone: a link may lead out of the project (where nothing is
    opened; the build refuses what it would read there) or to a pipe, which
    would block whoever opens it. The files a link inside the project
    points to are digested where they are."""
    if entry.is_file(follow_symlinks=False):
        info = entry.stat(follow_symlinks=False)
        if info.st_size > _HASH_AT_MOST:
            # Far larger than anything a build accepts (the loader refuses it): its size and time are
            # enough to notice a change, and hashing gigabytes would delay that refusal by seconds.
            return f"large {info.st_size} {info.st_mtime_ns}".encode()
        with open(entry.path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").digest()  # in chunks: a huge file costs no memory
    if entry.is_symlink():
        try:
            target = os.stat(entry.path)
            seen = f"{target.st_mode:o} {target.st_size} {target.st_mtime_ns}"
        except OSError:
            seen = "dangling"
        return f"link {os.readlink(entry.path)} {seen}".encode("utf-8", "surrogateescape")
    return f"special {entry.stat(follow_symlinks=False).st_mode:o}".encode()  # a pipe, a device: never opened


def nothing_changed(output_dir: Path, inputs: Inputs) -> Current | None:
    """The last build's record, if its inputs and every output are exactly as it left them."""
    try:
        record = json.loads((output_dir / SNAPSHOT).read_text(encoding="utf-8"))
        if record["inputs"] != inputs.digest:
            return None
        for name, size, mtime_ns in [*record["files"], *record["records"]]:
            stat = os.stat(output_dir / name)
            if (stat.st_size, stat.st_mtime_ns) != (size, mtime_ns):
                return None
        return Current([name for name, _, _ in record["files"]],
                       [(a, lang, list(units)) for a, lang, units in record["fallbacks"]])
    except (OSError, ValueError, KeyError, TypeError):
        return None  # missing, unreadable or from another version: the full check decides


def record(output_dir: Path, inputs: Inputs, paths: list[str],
           fallbacks: dict[tuple[str, str], tuple[str, ...]]) -> None:
    """Remember a successful build: written last, after the manifest and the state."""
    def stats(names: list[str]) -> list[list]:
        return [[name, (st := os.stat(output_dir / name)).st_size, st.st_mtime_ns] for name in names]

    data = {"inputs": inputs.digest, "files": stats(sorted(paths)), "records": stats([_MANIFEST, _STATE]),
            "fallbacks": [[a, lang, list(units)] for (a, lang), units in sorted(fallbacks.items())]}
    temp = output_dir / f".{SNAPSHOT}.tmp"
    temp.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
    os.replace(temp, output_dir / SNAPSHOT)


def forget(output_dir: Path) -> None:
    """Before a build changes anything: a build that stops half-way leaves no record to trust."""
    (output_dir / SNAPSHOT).unlink(missing_ok=True)


def _entries(root: Path, outside: Path):
    """Every entry under `root` but folders, in a stable order, without
    following links into folders (one could lead out of the project, or
    back up into itself), except the output folder if it lies inside."""
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError):
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            if entry.name not in _SKIP_DIRS and Path(entry.path) != outside:
                yield from _entries(Path(entry.path), outside)
        else:
            yield entry


def _environment() -> list[list[Any]]:
    """The Python, the folders its libraries are installed in, by modification
    time, and the versions of the system's text libraries.

    Installing, upgrading or removing a package changes its folder's listing,
    and so its time: then the full check runs, and its fingerprints hold the
    libraries' versions. Cheaper than asking every package for its version.
    """
    folders = []
    for entry in sys.path:
        if not entry.endswith(("site-packages", "dist-packages")):
            continue  # the current folder, say, changes for reasons of its own
        try:
            if os.path.isdir(entry):
                folders.append([entry, os.stat(entry).st_mtime_ns])
        except OSError:
            continue
    return [[sys.version], [list(v) for v in system_libraries.versions()], *folders]
