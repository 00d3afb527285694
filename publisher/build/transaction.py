"""The build's hold on its output folder: one object from lock to manifest.

Every change a build makes to its output folder goes through a `Transaction`,
as every change a Lektor build makes goes through its build program's
transaction:

- It holds an exclusive lock on the folder itself (`flock`), so a second
  build into the same folder waits for the first and never interleaves with
  it, whatever path either was given.
- It first removes the temporary files a killed build left (every temporary
  the build makes in the folder is named `.NAME….tmp`).
- Each rendered file is staged under a temporary name beside its
  destination. Nothing already there changes until every file to commit, the
  manifest and the state included, is staged: a full disk, a read-only folder
  or a file where a folder must go stops the build before it has changed
  anything, and the staged files are removed.
- Commit is renames only: the files, then the state, then the manifest.
- It writes only below the folder, through no symbolic link, and removes an
  obsolete file only at a path a build could have made, read from a manifest
  it has checked (`state.load_previous`).
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import re
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from publisher.build import uptodate
from publisher.build.state import STATE, Previous, load_previous, plain_file
from publisher.build.write import MANIFEST
from publisher.errors import Problem, PublisherError

TEMPORARY = re.compile(r"\..+\.tmp")  # what `_temporary` and `uptodate.record` name their files



# The lock belongs to the open folder descriptor, which a forked render worker
# inherits: a worker that outlived a killed build would hold the folder locked
# for good. Children close their copies at once; only the build holds the lock.
_HELD: set[int] = set()


def _close_inherited_locks() -> None:
    for fd in list(_HELD):
        try:
            os.close(fd)
        except OSError:
            pass
    _HELD.clear()


os.register_at_fork(after_in_child=_close_inherited_locks)

@dataclass(frozen=True, order=True)
class OutputProblem(Problem):
    """A file system failure at a path in the output folder: no line or column to give."""

    def __str__(self) -> str:
        return f"{self.file}: {self.message} — {self.hint}"


class WriteError(PublisherError):
    """The output folder cannot take the build's files; nothing in it was changed."""


def write_error(path: Path, exc: OSError) -> WriteError:
    shown = path.as_posix()
    code = exc.errno
    if code in (errno.ENOSPC, errno.EDQUOT):
        what, hint = "no space left on the disk", "free some space or choose another --output, then build again"
    elif code in (errno.EROFS, errno.EACCES, errno.EPERM):
        what = "the folder is read-only" if code == errno.EROFS else "permission denied"
        hint = "make the output folder writable or choose another --output"
    elif code in (errno.EEXIST, errno.ENOTDIR):
        what, hint = "a file is where a folder must go", "move or remove that file, then build again"
    elif code == errno.ELOOP:
        what, hint = "a symbolic link is where a folder must go (a build writes only inside its output folder)", \
            "replace the link with a folder, or remove it"
    else:
        what, hint = f"cannot write: {exc.strerror or exc}", "check the output folder, then build again"
    return WriteError([OutputProblem(shown, 0, 0, "(output)", what + "; nothing in the output folder was changed",
                                     hint)])


@dataclass
class Staged:
    temp: Path
    sha256: str
    size: int
    mtime_ns: int


@dataclass
class Transaction:
    """Use as a context manager: leaving it without `commit` rolls back."""

    root: Path
    on_wait: Callable[[str], None] = lambda message: print(message, file=sys.stderr, flush=True)
    previous: Previous = field(init=False)
    staged: dict[str, Staged] = field(init=False, default_factory=dict)
    notes: list[str] = field(init=False, default_factory=list)
    _fd: int | None = field(init=False, default=None)
    _made: list[Path] = field(init=False, default_factory=list)  # folders this build created, in order
    _committed: bool = field(init=False, default=False)

    def __enter__(self) -> "Transaction":
        try:
            self._make_root()
            self._lock()
            self._remove_temporaries()
        except OSError as exc:
            self._release()
            raise write_error(Path(exc.filename or self.root), exc) from None
        except BaseException:
            self._release()
            raise
        self.previous = load_previous(self.root)
        self.notes += self.previous.notes
        return self

    def __exit__(self, kind, exc, tb) -> None:
        try:
            if not self._committed:
                self.rollback()
        finally:
            self._release()

    # -- the lock -----------------------------------------------------------

    def _lock(self) -> None:
        while True:
            fd = os.open(self.root, os.O_RDONLY | os.O_DIRECTORY)
            try:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    self.on_wait(f"waiting: another build is writing to {self.root.as_posix()}; this one starts"
                                 " when it has finished")
                    fcntl.flock(fd, fcntl.LOCK_EX)
                held = os.fstat(fd)
                try:
                    now = os.stat(self.root)
                except FileNotFoundError:
                    now = None
            except BaseException:
                os.close(fd)
                raise
            if now is not None and (now.st_dev, now.st_ino) == (held.st_dev, held.st_ino):
                self._fd = fd
                _HELD.add(fd)
                return
            # The build we waited for made the folder, failed and removed it: lock the folder that is there now.
            os.close(fd)
            self._make_root()

    def _release(self) -> None:
        if self._fd is not None:
            _HELD.discard(self._fd)
            os.close(self._fd)  # closing the last descriptor releases the lock
            self._fd = None

    # -- staging ------------------------------------------------------------

    def stage(self, path: str, data: bytes) -> Staged:
        """Write `data` under a temporary name beside `path`; nothing existing changes."""
        destination = self.root / path
        try:
            if not self.staged:
                # Before the first temporary: a build killed from here on must
                # not let the next one find "nothing changed" and skip the clean-up.
                uptodate.forget(self.root)
            self._make_dirs(destination.parent)
            staged = self._temporary(destination, data)
        except OSError as exc:
            self.rollback()
            raise write_error(Path(exc.filename or destination), exc) from None
        old = self.staged.pop(path, None)
        if old:
            old.temp.unlink(missing_ok=True)
        self.staged[path] = staged
        return staged

    def unstage(self, paths: Iterable[str]) -> None:
        """Forget these staged files: what is at their paths stays as it was."""
        for path in paths:
            staged = self.staged.pop(path, None)
            if staged:
                staged.temp.unlink(missing_ok=True)

    def _temporary(self, destination: Path, data: bytes) -> Staged:
        try:
            fd, name = tempfile.mkstemp(prefix=f".{destination.name}.", suffix=".tmp", dir=destination.parent)
        except OSError as exc:  # named by the file the user will look for, not by the temporary's name
            raise OSError(exc.errno, exc.strerror, str(destination)) from None
        temp = Path(name)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.chmod(temp, 0o644)
            info = temp.stat()  # a rename keeps the time: the state can record it now
        except BaseException as exc:
            temp.unlink(missing_ok=True)
            if isinstance(exc, OSError):
                raise OSError(exc.errno, exc.strerror, str(destination)) from None
            raise
        return Staged(temp, hashlib.sha256(data).hexdigest(), info.st_size, info.st_mtime_ns)

    def _make_root(self) -> None:
        """Make the output folder and its missing parents; it may itself be a link (to a larger disk, say)."""
        missing, here = [], self.root
        while not os.path.lexists(here) and here != here.parent:
            missing.append(here)
            here = here.parent
        if not here.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(here))
        for new in reversed(missing):
            os.mkdir(new)
            self._made.append(new)

    def _make_dirs(self, folder: Path) -> None:
        """Make `folder` below the output folder, refusing a file or a symbolic link on the way."""
        here = self.root
        for part in folder.relative_to(self.root).parts:
            here = here / part
            try:
                info = os.lstat(here)
            except FileNotFoundError:
                os.mkdir(here)
                self._made.append(here)
                continue
            if stat.S_ISLNK(info.st_mode):
                raise OSError(errno.ELOOP, "a symbolic link", str(here))
            if not stat.S_ISDIR(info.st_mode):
                raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(here))

    def _remove_temporaries(self) -> None:
        """Delete temporary files that a killed build left behind."""
        for folder, dirs, files in os.walk(self.root):  # never follows a link out of the folder
            for name in files:
                path = Path(folder, name)
                if TEMPORARY.fullmatch(name) and stat.S_ISREG(os.lstat(path).st_mode):
                    path.unlink(missing_ok=True)

    # -- commit and roll back -------------------------------------------------

    def commit(self, manifest: dict[str, Any], state: dict[str, Any], obsolete: list[str]) -> list[str]:
        """Stage the manifest and state, then move everything into place; returns the paths removed."""
        manifest_text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
        state_text = json.dumps(state, indent=1)
        try:
            records = [self._temporary(self.root / STATE, state_text.encode("utf-8")),
                       self._temporary(self.root / MANIFEST, manifest_text.encode("utf-8"))]
        except OSError as exc:
            self.rollback()
            raise write_error(Path(exc.filename or self.root / MANIFEST), exc) from None
        self._committed = True  # from here on only renames and removals: no full disk can stop them half-way
        uptodate.forget(self.root)  # a build that stops half-way leaves no "nothing changed" to trust
        for path, staged in sorted(self.staged.items()):
            os.replace(staged.temp, self.root / path)
        self.staged.clear()
        removed = [path for path in obsolete if self._remove(path)]
        os.replace(records[0].temp, self.root / STATE)
        os.replace(records[1].temp, self.root / MANIFEST)
        return removed

    def _remove(self, path: str) -> bool:
        """Remove an obsolete file, if it is one a build made: a plain file reached through no link."""
        if not plain_file(self.root, path):
            if os.path.lexists(self.root / path):
                self.notes.append(f"{(self.root / path).as_posix()} was not removed: it is not a file a build made"
                                  " (a link, a folder, or behind a link)")
            return False
        (self.root / path).unlink()
        folder = (self.root / path).parent
        while folder != self.root and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
        return True

    def rollback(self) -> None:
        """Remove what was staged and the folders made for it: the output folder stays as it was."""
        for staged in self.staged.values():
            staged.temp.unlink(missing_ok=True)
        self.staged.clear()
        for folder in reversed(self._made):
            try:
                folder.rmdir()
            except OSError:
                pass  # not empty: something else lives there now
        self._made.clear()
