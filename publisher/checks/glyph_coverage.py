"""Every printed character has a glyph in the project's fonts for its language.

The article's text and the clinics' text (printed on every page) are checked
in each language the article is built in; a place whose character fails in
several languages is one finding naming them all (`combine`), so a new
character in the source text is reported once, not once per language.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from publisher.checks.gate import ContentSubject, Finding, Gate, register
from publisher.checks.glyphs import GlyphCheck, glyph_problem
from publisher.i18n import TextAt, clinic_texts


@functools.lru_cache(maxsize=32)
def _fonts(templates: Path, lang: str) -> tuple[frozenset[int], tuple[str, ...]]:
    """The characters a language's fonts cover (whole fonts' character maps) and the stack's names."""
    from publisher.fonts import load_fonts

    fonts = load_fonts(templates / "fonts")
    return fonts.covers(lang), fonts.stack(lang)


@register
class GlyphCoverage(Gate):
    id = "glyph-coverage"
    severity = "error"
    reads = "content"
    reads_templates = True
    summary = "every character the article and its clinics print has a glyph in the language's fonts"

    def __init__(self) -> None:
        # What each finding of the current run is about, for `combine`.
        self._about: dict[Finding, tuple[TextAt, str, dict[str, tuple[str, ...]]]] = {}

    def check(self, subject: ContentSubject, thresholds: Mapping[str, Any]) -> Iterable[Finding]:
        lang = subject.localized.lang
        covered, families = _fonts(subject.templates, lang)
        glyphs = GlyphCheck()
        glyphs.check(subject.localized.texts, covered, lang, families)
        for clinic in subject.clinics:
            glyphs.check(clinic_texts(clinic), covered, lang, families)
        findings = []
        for item, ch, langs in glyphs.missing():
            finding = self._finding(item, ch, langs)
            self._about[finding] = (item, ch, langs)
            findings.append(finding)
        return findings

    def combine(self, findings: list[Finding]) -> list[Finding]:
        merged: dict[tuple[TextAt, str], dict[str, tuple[str, ...]]] = {}
        alone = []
        for finding in findings:
            about = self._about.get(finding)
            if about is None:
                alone.append(finding)
            else:
                merged.setdefault(about[:2], {}).update(about[2])
        self._about.clear()
        return alone + [self._finding(item, ch, langs) for (item, ch), langs in merged.items()]

    def _finding(self, item: TextAt, ch: str, langs: dict[str, tuple[str, ...]]) -> Finding:
        problem = glyph_problem(item, ch, langs)
        return self.finding(problem.file, problem.line, problem.col, f"{problem.field}: {problem.message}",
                            problem.hint, field=problem.field)
