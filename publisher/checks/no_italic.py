"""no-italic: no slanted run in a PDF, read from the fonts the glyphs are drawn with.

A font with a real italic face is named "…-Italic" in the PDF; when a family
has none, WeasyPrint slants the upright face and names it "…-Oblique": both
are caught, wherever the text is (body, heading, header or footer). On a
slide, a run marked italic (`i="1"`) is caught.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from publisher.checks import _where
from publisher.checks._pdf_text import Line, quote, read_pdf
from publisher.checks._pptx_text import deck_runs
from publisher.checks.gate import Finding, Gate, OutputSubject, register


@register
class NoItalic(Gate):
    id = "no-italic"
    severity = "error"
    reads = "output"
    formats = ("handout", "large-print", "poster", "deck")
    summary = "no italic or oblique text (PDF fonts, deck runs)"

    def check(self, subject: OutputSubject, thresholds: Mapping[str, Any]) -> Iterable[Finding]:
        if subject.format == "deck":
            yield from self._deck(subject)
            return
        words = [word.lower() for word in thresholds["slanted_font_words"]]
        file, row, col = _where.stylesheet(subject, r"font-style:\s*(italic|oblique)")
        for line in read_pdf(subject.data).lines:
            slanted = [i for i, g in enumerate(line.glyphs)
                       if g.text.strip() and any(word in g.font.lower() for word in words)]
            if slanted:
                run = line.glyphs[slanted[0]:slanted[-1] + 1]  # with the spaces between, whatever their font
                text = Line(line.page, run).text
                yield self.finding(
                    file, row, col,
                    f"{subject.path}, page {line.page}: italic text (font {run[0].font}): {quote(text)}",
                    f"set it upright (font-style: normal; bold for emphasis) in {file}")

    def _deck(self, subject: OutputSubject) -> Iterable[Finding]:
        file, row, col = _where.article(subject)
        for run in deck_runs(subject.data):
            if run.italic and run.text.strip():
                yield self.finding(
                    file, row, col,
                    f"{subject.path}, slide {run.slide} ({run.shape}): italic text: {quote(run.text)}",
                    "set it upright in the slide master or the clinic's deck template (bold for emphasis)")
