"""Output formats: one small module per format behind one interface.

A target declares its name, file suffix, variants and the template files it
reads, and renders one (localized article, clinic, variant) to bytes. The
build stage plans, fingerprints and writes; a target never touches `output/`.
"""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from publisher.content import ClinicSource
from publisher.content.models import Clinic
from publisher.i18n import LocalizedArticle

if TYPE_CHECKING:
    from publisher.targets.shown import NotShown


@dataclass(frozen=True)
class RenderOptions:
    """Build options that change a file's bytes; a target reads those it lists in `options_read`."""

    bleed: str | None = None  # a CSS length such as "3mm": bleed and crop marks for a print shop


SITE = "site"  # output/site/<clinic>/ is the folder a clinic copies to the root of its web server


@dataclass(frozen=True)
class Site:
    """What a page of a clinic's web site links to, decided when the build is planned (and so
    part of the page's fingerprint): the site's shared files, and the article's languages."""

    assets: tuple[tuple[str, str], ...]  # (role, path relative to the site folder)
    languages: tuple[str, ...]  # every language the article has: the switcher links to each


@dataclass(frozen=True)
class RenderJob:
    localized: LocalizedArticle
    clinic: ClinicSource
    variant: str
    templates_dir: Path
    source_date: str  # ISO date written into the file's metadata
    options: RenderOptions = RenderOptions()
    # What this file's last build chose (`Rendered.choice`), for a target that
    # searches for a fitting layout to try first (`publisher.build.remember`).
    # Not an input: a target proves the choice again or searches afresh, so the
    # bytes never depend on it; it is left out of comparisons for that reason.
    hint: dict | None = field(default=None, compare=False)
    site: Site | None = None  # for a web page only


@dataclass(frozen=True)
class SiteFile:
    """A file every page of a clinic's site shares (stylesheet, font, logo, icon). Its name holds
    a digest of its bytes, so a browser never keeps an old copy, and pages name it by that."""

    role: str  # what a page calls it: "stylesheet", "logo", ...
    path: str  # relative to the site folder
    data: bytes


@dataclass(frozen=True)
class FileJob:
    """A file whose bytes are known when the build is planned (a site's shared file): the build
    writes, fingerprints and records it like any other, and renders nothing."""

    data: bytes


@dataclass(frozen=True)
class Derived:
    """A file a format makes from another format's file of the same article, language and clinic
    (a gallery's picture of a handout's first page): planned with that file, rendered after it."""

    path: str  # relative to the output folder
    variant: str
    settings: tuple  # what, besides the source file's bytes, its bytes depend on (JSON values)


@dataclass(frozen=True)
class DerivedJob:
    """Render a `Derived` file from its source's bytes, which the build hands over once the
    source is made (or read from the output folder when the source was already current)."""

    source: str  # the path of the file it is made from, relative to the output folder
    settings: tuple
    data: bytes | None = None


@dataclass(frozen=True)
class Index:
    """A page listing many files of a build (a site's gallery). Its `context` is everything it
    shows, as JSON values: the build fingerprints exactly that, so the page is made again when,
    and only when, something it shows changed."""

    path: str  # relative to the output folder
    clinic: str  # "" for a page across clinics
    variant: str
    template: str
    context: dict


@dataclass(frozen=True)
class IndexJob:
    template: str
    context: dict
    templates_dir: Path


@dataclass(frozen=True)
class Listed:
    """One article in one language for one clinic, as the format shows it: what an index lists."""

    localized: LocalizedArticle
    clinic: ClinicSource  # as that language prints it (`ClinicSource.for_language`)


@dataclass(frozen=True)
class Rendered:
    data: bytes
    pages: int
    choice: dict | None = None  # what a searching target chose, as JSON values: the next build's `hint`


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

    def path(self, article: str, lang: str, clinic: ClinicSource, variant: str) -> str:
        """Where the file goes, relative to the output folder (POSIX)."""
        return f"{article}/{lang}/{clinic.id}/{self.name}-{variant}{self.suffix}"

    def copy_paths(self, article: str, lang: str, clinic: ClinicSource, path: str) -> list[str]:
        """Where this format wants a copy of another format's file (at `path`), when both are built."""
        return []

    def site_files(self, templates_dir: Path, clinic: ClinicSource) -> list[SiteFile]:
        """Files shared by every file of this format for one clinic, written once per build."""
        return []

    def derived(self, source: "Target", variant: str, article: str, lang: str,
                clinic: ClinicSource) -> list[Derived]:
        """Files this format makes from `source`'s file in `variant`, when both formats are built."""
        return []

    def render_derived(self, job: DerivedJob) -> Rendered:
        raise NotImplementedError(f"{self.name} makes no file from another file")

    def index_paths(self, clinic: str | None) -> list[str]:
        """Where this format's indexes of a clinic's files go (`None`: those across clinics)."""
        return []

    def indexes(self, templates_dir: Path, listed: dict[str, list[Listed]], clinics: dict[str, ClinicSource],
                assets: dict[str, dict[str, str]], across_clinics: bool) -> list[Index]:
        """Pages listing every article and language of each clinic in `listed` (and, when
        `across_clinics`, one of all of them). Asked only of a build that plans everything they list."""
        return []

    def render_index(self, job: IndexJob) -> Rendered:
        raise NotImplementedError(f"{self.name} makes no index")

    def not_shown(self, templates_dir: Path, label_keys: tuple[str, ...]) -> "NotShown":
        """The content and labels this format never shows, declared beside its templates (see `shown`)."""
        from publisher.targets.shown import load_not_shown

        return load_not_shown(templates_dir, self.name, label_keys)

    @abstractmethod
    def render(self, job: RenderJob) -> Rendered: ...


def numerals(clinic: Clinic, lang: str) -> str:
    """The digits a file in `lang` prints: the clinic's choice only where the text itself is Arabic."""
    return clinic.numerals if lang.split("-")[0] == "ar" and lang != "ar-XB" else "latn"


_MODULES = ("handout", "large_print", "deck", "poster", "web")
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
