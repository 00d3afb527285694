"""Refuse text that the project's fonts cannot draw.

A character outside every font of a language's stack would otherwise be
drawn by whatever font the machine has, or as an empty box: neither is
acceptable on a leaflet, and the first breaks byte-identical builds.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from publisher.errors import Problem
from publisher.i18n import TextAt

# Control and format characters (ZWJ, bidi marks) are not drawn as glyphs.
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf"})


def check_glyphs(texts: Iterable[TextAt], covered: frozenset[int], lang: str,
                 families: tuple[str, ...]) -> list[Problem]:
    problems = []
    for item in texts:
        missing = sorted({ch for ch in item.text
                          if ord(ch) not in covered and unicodedata.category(ch) not in INVISIBLE_CATEGORIES})
        for ch in missing:
            name = unicodedata.name(ch, "unnamed character")
            problems.append(Problem(
                item.file, item.line, item.col, item.field,
                f"the character '{ch}' (U+{ord(ch):04X} {name}) cannot be printed in '{lang}':"
                f" no font covers it ({', '.join(families)})",
                "replace it with a common character, or add a font that covers it in templates/fonts/fonts.yaml"))
    return problems
