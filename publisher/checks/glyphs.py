"""Refuse text that the project's fonts cannot draw (the `glyph-coverage` gate's measure).

A character outside every font of a language's stack would otherwise be
drawn by whatever font the machine has, or as an empty box: neither is
acceptable on a leaflet, and the first breaks byte-identical builds.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from fontTools import unicodedata as ucd

from publisher.errors import Problem
from publisher.i18n import TextAt

# Control and format characters (ZWJ, bidi marks) are not drawn as glyphs.
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf"})


class GlyphCheck:
    """Collects uncovered characters over many languages, reports each place once."""

    def __init__(self) -> None:
        self._missing: dict[tuple[TextAt, str], dict[str, tuple[str, ...]]] = defaultdict(dict)

    def check(self, texts: Iterable[TextAt], covered: frozenset[int], lang: str, families: tuple[str, ...]) -> None:
        for item in texts:
            for ch in sorted(set(item.text)):
                if ord(ch) not in covered and unicodedata.category(ch) not in INVISIBLE_CATEGORIES:
                    self._missing[(item, ch)][lang] = families

    def missing(self) -> list[tuple[TextAt, str, dict[str, tuple[str, ...]]]]:
        """Each place and character, with the languages (and their fonts) it cannot be printed in."""
        return [(item, ch, langs) for (item, ch), langs in self._missing.items()]

    def problems(self) -> list[Problem]:
        return [glyph_problem(item, ch, langs) for item, ch, langs in self.missing()]


def glyph_problem(item: TextAt, ch: str, langs: dict[str, tuple[str, ...]]) -> Problem:
    name = unicodedata.name(ch, "unnamed character")
    fonts = sorted({family for families in langs.values() for family in families})
    script = ucd.script_name(ucd.script(ch))
    if script in _SHARED_SCRIPTS:  # a symbol or a mark: no one font family is the answer
        hint = "replace it with a common character, or add a font that covers it in templates/fonts/fonts.yaml"
    else:  # a letter of a script no font here draws: a language's whole alphabet is missing
        hint = (f"replace it with a common character, or add a font that draws {script} (such as"
                f" {_FAMILY.get(script, f'Noto Sans {script}')}) to templates/fonts/fonts.yaml and run `make fonts`")
    return Problem(
        item.file, item.line, item.col, item.field,
        f"the character '{ch}' (U+{ord(ch):04X} {name}) cannot be printed in"
        f" {', '.join(repr(lang) for lang in langs)}: no font covers it ({', '.join(fonts)})", hint)


_SHARED_SCRIPTS = frozenset({"Common", "Inherited", "Unknown"})
# Scripts whose Noto family is not named "Noto Sans <script>".
_FAMILY = {"Han": "Noto Sans CJK", "Hiragana": "Noto Sans CJK", "Katakana": "Noto Sans CJK",
           "Hangul": "Noto Sans CJK", "Bopomofo": "Noto Sans CJK"}


def check_glyphs(texts: Iterable[TextAt], covered: frozenset[int], lang: str,
                 families: tuple[str, ...]) -> list[Problem]:
    check = GlyphCheck()
    check.check(texts, covered, lang, families)
    return check.problems()
