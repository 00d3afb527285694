"""What a new language takes from data, said when its first file is exported.

A language needs no declaration: its own name (the web pages' language list)
and its direction come from CLDR, and its fonts are the stack that
templates/fonts/fonts.yaml gives it (`default` unless one names it). The one
thing a translator may have to add is a font for a script the project's
fonts do not draw; CLDR's own text in the language (its name, its months and
days, which the leaflets print in their dates) shows that before any
translation is written, and the build's glyph gate refuses it after.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fontTools import unicodedata as ucd

from publisher.fonts import load_fonts
from publisher.i18n import babel_locale


@dataclass(frozen=True)
class NewLanguage:
    lang: str
    name: str  # in the language itself
    direction: str  # "ltr" or "rtl"
    fonts: tuple[str, ...]  # the families that will draw it
    missing: str  # characters of the language's CLDR text that no such family draws, in order
    script: str | None  # the script of the first missing character, as Unicode names it

    def note(self) -> str:
        direction = "right to left" if self.direction == "rtl" else "left to right"
        text = (f"note: '{self.lang}' is a new language: every unit is empty. Its name ({self.name}) and direction"
                f" ({direction}) come from CLDR; its text is drawn with {', '.join(self.fonts)}"
                " (templates/fonts/fonts.yaml).")
        if self.missing:
            text += (f" Those fonts do not draw its {self.script} letters ({' '.join(self.missing[:5])}…): add a"
                     f" font that does (such as Noto Sans {self.script}) to templates/fonts/fonts.yaml with a stack"
                     f" for '{self.lang}' and run `make fonts`, or the build refuses its text at each line.")
        return text + " `publisher i18n import` writes its translation and template wording files."


def new_language(lang: str, templates_dir: Path) -> NewLanguage:
    locale = babel_locale(lang)
    fonts = load_fonts(templates_dir / "fonts")
    sample = "".join([locale.get_display_name(locale) or "", *locale.months["format"]["wide"].values(),
                      *locale.days["format"]["wide"].values()])
    covered = fonts.covers(lang)
    missing = "".join(dict.fromkeys(c for c in sample if not c.isspace() and ord(c) not in covered))
    script = ucd.script_name(ucd.script(missing[0])) if missing else None
    return NewLanguage(lang, locale.get_display_name(locale) or lang, locale.text_direction, fonts.stack(lang),
                       missing, script)
