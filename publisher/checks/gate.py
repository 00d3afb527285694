"""The one shape of a quality gate.

A gate is one small unit of the checks stage: an id, a severity, what it
reads (the localized content of one article in one language, or one built
file), and a `check` that returns findings. Thresholds come from the
documented defaults (`publisher/checks/thresholds/<gate-id>.yaml`: a mapping
`all:` for every language, and a language tag for that language's values,
which win), which a content folder may override in its `checks.yaml` (the
same shape under each gate's id); both are resolved per language before a
gate sees them, so a gate reads `thresholds["max_grade"]` and never
knows where the number came from. Waivers are the runner's business, not the
gate's: a gate reports everything it finds.

Content gates run in `validate` and before anything is rendered; output gates
run on each rendered file before anything is written; clinic gates read each
clinic profile once (findings there are the clinic's to fix, not an article's
to waive). A new gate is one new
module that defines a subclass and decorates it with `@register`.
"""

from __future__ import annotations

import importlib
import pkgutil
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Literal

from publisher.errors import Problem

Severity = Literal["error", "warning"]
Reads = Literal["content", "output", "clinic"]


@dataclass(frozen=True, order=True)
class Finding:
    """One thing a gate found, located in the file a user would edit to fix it."""

    file: str  # project-relative POSIX path, as the user sees it
    line: int
    col: int
    gate: str  # the gate's id
    severity: Severity
    message: str  # what is wrong; quote the sentence or name the element
    hint: str  # how to fix it (or how to waive it)
    field: str = ""  # the content field, as in Problem ("sections[2].blocks[0].items[7]")
    unit: str = ""  # the content unit's id (section, block or item) the finding is about, for unit waivers

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: [{self.gate}] {self.message} — {self.hint}"

    def problem(self) -> Problem:
        """The finding as the build's usual error, for stages that abort on errors."""
        return Problem(self.file, self.line, self.col, f"[{self.gate}]", self.message, self.hint, finding=True)


@dataclass(frozen=True)
class ContentSubject:
    """What a content gate reads: one article in one language, as it will be printed."""

    localized: Any  # publisher.i18n.LocalizedArticle; locate findings through its `texts` (TextAt)
    templates: Path | None = None  # the templates folder, for gates that need the fonts or wording
    clinics: tuple[Any, ...] = ()  # the selected clinics (ClinicSource): their text prints beside the article's


@dataclass(frozen=True)
class ClinicSubject:
    """What a clinic gate reads: one clinic profile, whatever the language.

    Its findings are located in the clinic's file; articles cannot waive them.
    """

    clinic: Any  # publisher.content.ClinicSource


@dataclass(frozen=True)
class OutputSubject:
    """What an output gate reads: one rendered file, before it is written."""

    path: str  # where it will be written, relative to output/ ("<article>/<lang>/<clinic>/handout-a4.pdf")
    format: str  # target name: handout, poster, deck, …
    variant: str
    lang: str
    article: str
    clinic: str
    data: bytes
    source_file: str  # the article's YAML, to locate findings that have no better place
    facts: Mapping[str, Any] = field(default_factory=dict)  # what the target knows (pages, body_pt, …)


@dataclass(frozen=True)
class Score:
    """A measured value a gate reports in the per-article × language table, pass or not."""

    name: str  # column name, short: "FK grade", "Amstad", "min pt"
    value: float
    limit: float | None = None
    passed: bool = True


class Gate(ABC):
    id: ClassVar[str]  # kebab-case, stable: users write it in waivers ("reading-level")
    severity: ClassVar[Severity]
    reads: ClassVar[Reads]
    formats: ClassVar[tuple[str, ...]] = ()  # output gates: the target names they read; empty = all
    # Output gates run in the render workers, forked from the build; a gate whose library keeps
    # threads of its own (a Rust thread pool) would hang in a child forked after it first ran,
    # so it says False and runs in the build's own process instead.
    fork_safe: ClassVar[bool] = True
    # Content gates: whether it reads the templates folder (`ContentSubject.templates`). A content
    # gate that does not, and keeps no state across a run (`combine`), is a function of the
    # localized article and its clinics, so a build with a cache folder keeps what it found.
    reads_templates: ClassVar[bool] = False
    summary: ClassVar[str]  # one line for `publisher check --list` and the README

    @abstractmethod
    def check(self, subject: Any, thresholds: Mapping[str, Any]) -> Iterable[Finding]:
        """Everything this gate finds in one subject (ContentSubject or OutputSubject)."""

    def scores(self, subject: Any, thresholds: Mapping[str, Any]) -> Iterable[Score]:
        """Values for the report's table; most gates have none."""
        return ()

    def combine(self, findings: list[Finding]) -> list[Finding]:
        """This gate's findings over every article-language of a run, for a gate that reports a place
        once however many languages print it (such as a character no font has); by default as they are."""
        return findings

    def applies_to(self, subject: Any) -> bool:
        if self.reads == "output":
            return isinstance(subject, OutputSubject) and (not self.formats or subject.format in self.formats)
        if self.reads == "clinic":
            return isinstance(subject, ClinicSubject)
        return isinstance(subject, ContentSubject)

    def finding(self, file: str, line: int, col: int, message: str, hint: str, field: str = "",
                unit: str = "") -> Finding:
        return Finding(file, line, col, self.id, self.severity, message, hint, field, unit)


REGISTRY: dict[str, Gate] = {}


def register(cls: type[Gate]) -> type[Gate]:
    if cls.id in REGISTRY:
        raise RuntimeError(f"two gates are named {cls.id!r}")
    REGISTRY[cls.id] = cls()
    return cls


# Modules of publisher/checks/ that are not gates.
_NOT_GATES = frozenset({"gate", "glyphs", "icons", "check", "config", "report", "run", "waivers", "remembered"})


def gates() -> dict[str, Gate]:
    """Every gate, found by importing each module of the package: a new gate is a new file."""
    import publisher.checks as package

    for module in sorted(m.name for m in pkgutil.iter_modules(package.__path__)):
        if module not in _NOT_GATES and not module.startswith("_"):
            importlib.import_module(f"publisher.checks.{module}")
    return dict(sorted(REGISTRY.items()))
