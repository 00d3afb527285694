"""Where a typography finding points: the template that set it, else the article.

An output gate sees a built file, but a user fixes a stylesheet or an
article. Findings about how text is set (size, slant, alignment, hyphens,
measure) point at the format's stylesheet, at the declaration that set the
measured value when one can be found, else at its first line; findings about
what the text says (a paragraph too long, a slide's title) point at the
article's file. The templates folder is the one the build used
(`facts["templates_dir"]`), else the project's own.
"""

from __future__ import annotations

import re
from pathlib import Path

PROJECT_TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"


def templates_dir(subject) -> Path:
    return Path(subject.facts.get("templates_dir") or PROJECT_TEMPLATES)


def stylesheet(subject, pattern: str | None = None) -> tuple[str, int, int]:
    """The format's stylesheet, at the first line matching `pattern` (a regex), else line 1."""
    folder = templates_dir(subject)
    path = folder / subject.format / f"{subject.format}.css"
    shown = _shown(folder, path, Path(subject.facts.get("cwd") or Path.cwd()))
    if pattern is not None and path.is_file():
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            found = re.search(pattern, text)
            if found:
                return shown, number, found.start() + 1
    return shown, 1, 1


def article(subject) -> tuple[str, int, int]:
    return subject.source_file, 1, 1


def _shown(folder: Path, path: Path, cwd: Path) -> str:
    """`templates/…` for the project's templates (as the README names them), else the path
    relative to the build's working directory when inside it, else as given."""
    if folder.resolve() == PROJECT_TEMPLATES:
        return "templates/" + path.relative_to(folder).as_posix()
    try:
        return path.resolve().relative_to(cwd.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
