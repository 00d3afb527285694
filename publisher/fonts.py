"""The project's own fonts: which files exist, which characters they cover.

`templates/fonts/fonts.yaml` declares the families and, per language, the
stack of families that may draw its text. PDF templates turn the faces into
@font-face rules; the coverage check refuses text that the stack cannot draw,
so a missing glyph is a build error, never a box on a patient's handout.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont

from publisher.content import template_config


def css_family(family: str) -> str:
    """The name a page declares a family under: one no installed font has.

    Under its own name ("Noto Sans") fontconfig may prefer a copy the machine
    has installed over the project's file, and the PDF would then depend on
    the machine. Letters and spaces only: PDF font names are made from it.
    """
    return f"Publisher {family}"


@dataclass(frozen=True)
class FontFace:
    family: str
    weight: int
    path: Path


@dataclass(frozen=True)
class FontSet:
    faces: tuple[FontFace, ...]
    stacks: dict[str, tuple[str, ...]]

    def stack(self, lang: str) -> tuple[str, ...]:
        """The family stack for a BCP 47 tag, trying `zh-Hans`, then `zh`."""
        parts = lang.split("-")
        for end in range(len(parts), 0, -1):
            key = "-".join(parts[:end])
            if key in self.stacks:
                return self.stacks[key]
        return self.stacks["default"]

    def faces_for(self, lang: str) -> list[FontFace]:
        families = self.stack(lang)
        return [face for face in self.faces if face.family in families]

    def covers(self, lang: str) -> frozenset[int]:
        """Code points that some family in the language's stack can draw."""
        covered: set[int] = set()
        for face in self.faces_for(lang):
            covered |= _cmap(face.path)
        return frozenset(covered)

    def files(self) -> list[Path]:
        return sorted({face.path for face in self.faces} | {self.faces[0].path.parent / "fonts.yaml"})

    def files_for(self, lang: str) -> list[Path]:
        """The font files a document in `lang` may use, and the declaration."""
        return sorted({face.path for face in self.faces_for(lang)} | {self.faces[0].path.parent / "fonts.yaml"})


@lru_cache(maxsize=32)
def _cmap(path: Path) -> frozenset[int]:
    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


@lru_cache(maxsize=4)
def load_fonts(fonts_dir: Path) -> FontSet:
    spec = template_config.load(fonts_dir.parent, template_config.FONTS, template_config.FontsFile)
    faces = tuple(FontFace(family.name, face.weight, fonts_dir / face.file)
                  for family in spec.families for face in family.faces)
    stacks = {lang: tuple(names) for lang, names in spec.stacks.items()}
    return FontSet(faces, stacks)
