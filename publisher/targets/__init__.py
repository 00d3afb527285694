"""Output formats: one small module per format behind one interface.

A target declares its name, file suffix, variants and the template files it
reads, and renders one (localized article, clinic, variant) to bytes. The
build stage plans, fingerprints and writes; a target never touches `output/`.
"""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from publisher.content import ClinicSource
from publisher.i18n import LocalizedArticle


@dataclass(frozen=True)
class RenderOptions:
    """Build options that change a file's bytes; a target reads those it lists in `options_read`."""

    bleed: str | None = None  # a CSS length such as "3mm": bleed and crop marks for a print shop


@dataclass(frozen=True)
class RenderJob:
    localized: LocalizedArticle
    clinic: ClinicSource
    variant: str
    templates_dir: Path
    source_date: str  # ISO date written into the file's metadata
    options: RenderOptions = RenderOptions()


@dataclass(frozen=True)
class Rendered:
    data: bytes
    pages: int


class Target(ABC):
    name: ClassVar[str]
    suffix: ClassVar[str]
    variants: ClassVar[tuple[str, ...]]
    options_read: ClassVar[tuple[str, ...]] = ()  # RenderOptions fields that change this target's bytes

    # Folders under templates/ this target reads; wording (labels/) and fonts
    # are fingerprinted per language by the build instead.
    template_dirs: ClassVar[tuple[str, ...]] = ("{name}", "shared")

    def template_files(self, templates_dir: Path) -> list[Path]:
        """Every template file this target may read: a change to one rebuilds it, and only it."""
        folders = [templates_dir / d.format(name=self.name) for d in self.template_dirs]
        return sorted(p for folder in folders if folder.is_dir() for p in folder.rglob("*") if p.is_file())

    # Content fields this format never shows (at any depth): an edit to one
    # of them does not rebuild it. Declared beside the templates that decide.
    unused_fields: ClassVar[frozenset[str]] = frozenset()

    def content_view(self, article: dict) -> dict:
        """The part of an article (as plain data) that can change this format's file."""
        return _without(article, self.unused_fields)

    @abstractmethod
    def render(self, job: RenderJob) -> Rendered: ...


def _without(data, fields: frozenset[str]):
    if isinstance(data, dict):
        return {k: _without(v, fields) for k, v in data.items() if k not in fields}
    if isinstance(data, list):
        return [_without(v, fields) for v in data]
    return data


_MODULES = ("handout", "deck", "poster")
REGISTRY: dict[str, Target] = {}


def register(cls: type[Target]) -> type[Target]:
    if cls.name in REGISTRY:
        raise RuntimeError(f"two targets are named {cls.name!r}")
    REGISTRY[cls.name] = cls()
    return cls


def targets() -> dict[str, Target]:
    for module in _MODULES:
        importlib.import_module(f"publisher.targets.{module}")
    return REGISTRY
