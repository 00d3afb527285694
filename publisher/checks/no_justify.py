"""no-justify: paragraphs set flush left (flush right in Arabic), never justified.

Measured on the PDF rather than read from the stylesheet, so that any rule,
inline style or default that justifies text is caught: each word space's
drawn width (where the next glyph starts) is compared with the space glyph's
own advance. A ragged line's spaces are exactly the font's; a justified
line's are all stretched alike, so a line counts as justified when every
space on it is stretched. Chinese lines without spaces cannot be stretched
this way by WeasyPrint, and are not measured.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from publisher.checks import _where
from publisher.checks._pdf_text import Line, quote, read_pdf
from publisher.checks.gate import Finding, Gate, OutputSubject, register

SPACES = frozenset({" ", "\u00a0"})


def stretch(line: Line) -> float | None:
    """How much wider than the font's the narrowest word space on the line is, in points (None: no space)."""
    gaps = [after.x0 - glyph.x1 for glyph, after in zip(line.glyphs, line.glyphs[1:]) if glyph.text in SPACES
            and after.text not in SPACES]
    return min(gaps) if gaps else None


@register
class NoJustify(Gate):
    id = "no-justify"
    severity = "error"
    reads = "output"
    formats = ("handout", "large-print", "poster")
    summary = "no justified paragraph (word spaces stretched), measured on the PDF"

    def check(self, subject: OutputSubject, thresholds: Mapping[str, Any]) -> Iterable[Finding]:
        share = float(thresholds["stretch_share"])
        file, row, col = _where.stylesheet(subject, r"text-align:\s*justify")
        for block in read_pdf(subject.data).blocks:
            stretched = [(line, extra) for line in block.lines[:-1]
                         if (extra := stretch(line)) is not None and extra > share * line.glyphs[0].size]
            if stretched:
                line, extra = max(stretched, key=lambda item: item[1])
                yield self.finding(
                    file, row, col,
                    f"{subject.path}, page {block.lines[0].page}: a justified paragraph ({len(stretched)} of its"
                    f" {len(block.lines)} lines have word spaces stretched, up to {extra:.1f} pt):"
                    f" {quote(block.text)}",
                    f"align it to the start of the line (text-align: start) in {file}")
