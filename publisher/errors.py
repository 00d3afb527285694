"""Problems a user can act on, and the exceptions that carry them.

Every stage reports what is wrong with the user's files as `Problem`s, all
of them at once, so one build tells a clinic everything it has to fix. The
CLI prints them and exits 1; anything else that escapes is a bug.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    file: str  # project-relative POSIX path, as the user sees it
    line: int
    col: int
    field: str
    message: str
    hint: str
    finding: bool = False  # a quality gate's finding: `field` is `[gate-id]`, printed as `publisher check` does

    def __str__(self) -> str:
        field = f"{self.field} " if self.finding else f"{self.field}: "
        return f"{self.file}:{self.line}:{self.col}: {field}{self.message} — {self.hint}"


class PublisherError(Exception):
    """A failure caused by the user's input; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))

    def summary(self) -> str:
        files = len({p.file for p in self.problems})
        noun = "error" if len(self.problems) == 1 else "errors"
        where = "file" if files == 1 else "files"
        return f"Aborted: {len(self.problems)} {noun} in {files} {where}."


class ContentError(PublisherError):
    """Content or configuration files are malformed or inconsistent."""


class RenderError(PublisherError):
    """Valid content that cannot be rendered (a missing glyph, an overflow)."""
