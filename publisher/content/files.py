"""Which files in the content folder may be read: regular files inside it.

A link can point anywhere, and a named pipe blocks whoever opens it, so
every folder and file the loader is about to read is checked first with
`lstat`/`stat` alone, nothing opened: a link that leads out of the content
folder, a pipe, a device, or a folder where a file should be is refused with
its path, and its target is never read (nor echoed in a message).
"""

from __future__ import annotations

import fnmatch
import os
import stat
from pathlib import Path

from publisher.errors import Problem

__all__ = ["in_subfolders", "kind_of", "listing", "problem_with"]


def kind_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def problem_with(path: Path, root: Path, shown: str, *, folder: bool = False) -> Problem | None:
    """Why `path` cannot be read as a file (or, with `folder`, listed as a
    folder) of the project whose resolved folder is `root`, if it cannot."""
    noun, field = ("folder", "(folder)") if folder else ("file", "(file)")
    is_link = False
    try:
        is_link = stat.S_ISLNK(os.lstat(path).st_mode)
        real = Path(os.path.realpath(path))
        if is_link and not real.is_relative_to(root):
            return Problem(shown, 1, 1, field, f"is a link to a {noun} outside the content folder",
                           f"copy the {noun} into {_shown(root)} instead of linking to it")
        mode = os.stat(real).st_mode
    except FileNotFoundError:
        return Problem(shown, 1, 1, field, "is a link to nothing" if is_link else f"the {noun} does not exist",
                       f"replace it with the {noun} itself")
    except OSError as exc:  # a loop of links, a folder without permission
        return Problem(shown, 1, 1, field, f"cannot be read ({exc.strerror})", "check the file's permissions")
    wanted = stat.S_ISDIR(mode) if folder else stat.S_ISREG(mode)
    if not wanted:
        what = "a file" if stat.S_ISREG(mode) else kind_of(mode)
        return Problem(shown, 1, 1, field, f"is {what}, not a {noun}", f"replace it with the {noun} itself")
    return None


def listing(folder: Path, pattern: str, root: Path, shown, problems: list[Problem], *,
            folders: bool = False) -> list[Path]:
    """The entries of `folder` whose names match `pattern`, sorted, each a
    regular file (or, with `folders`, a folder) inside `root`; the others are
    reported. A folder that is missing holds nothing; one that is itself a
    link out of the project, or not a folder, is reported."""
    if not os.path.lexists(folder):
        return []
    trouble = problem_with(folder, root, shown(folder), folder=True)
    if trouble is not None:
        problems.append(trouble)
        return []
    found = []
    for name in sorted(os.listdir(folder)):
        if not fnmatch.fnmatchcase(name, pattern):
            continue
        path = folder / name
        if folders and not _looks_like_folder(path):
            continue  # a stray file next to the article folders is not an article
        trouble = problem_with(path, root, shown(path), folder=folders)
        if trouble is None:
            found.append(path)
        else:
            problems.append(trouble)
    return found


def in_subfolders(folder: Path, pattern: str, name: str, root: Path, shown, problems: list[Problem]) -> list[Path]:
    """`<folder>/<sub>/<name>` for every sub-folder matching `pattern` (as
    `articles/*/article.yaml`), folders and files checked alike."""
    found = []
    for sub in listing(folder, pattern, root, shown, problems, folders=True):
        path = sub / name
        if not os.path.lexists(path):
            continue
        trouble = problem_with(path, root, shown(path))
        if trouble is None:
            found.append(path)
        else:
            problems.append(trouble)
    return found


def _looks_like_folder(path: Path) -> bool:
    """A folder, or a link (checked later): anything else is skipped like any other stray file."""
    mode = os.lstat(path).st_mode
    return stat.S_ISDIR(mode) or stat.S_ISLNK(mode)


def _shown(root: Path) -> str:
    rel = os.path.relpath(root)
    return Path(rel if not rel.startswith("..") else root).as_posix()
