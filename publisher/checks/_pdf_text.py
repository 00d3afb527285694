"""A rendered PDF's text as a reader meets it: glyphs, lines and paragraphs.

The typography gates measure what was printed, not what a stylesheet asked
for, so they read the PDF back with pdfplumber (pdfminer underneath). A
glyph's size is its font size through the whole text and page matrix, so a
CSS `transform: scale(.5)` on 20 pt text reads as 10 pt. Paragraphs come from
the PDF's structure tree (WeasyPrint writes a tagged PDF): a paragraph is the
nearest block-level element (P, H1, LBody, Lbl, TD …) above a glyph's marked
content, so a paragraph that runs on to the next page stays one paragraph.
Lines are the glyphs of one paragraph, on one page, that share a baseline.
Glyphs outside the structure tree (artifacts) still count for size and style.
"""

from __future__ import annotations

import functools
import io
import unicodedata
from dataclasses import dataclass

import pdfplumber
from pdfplumber.structure import PDFStructElement, PDFStructTree

# Standard structure types that sit inside a paragraph (ISO 32000-1, 14.8.4).
INLINE_TYPES = frozenset({"Span", "NonStruct", "Link", "Quote", "Reference", "BibEntry", "Code", "Annot",
                          "Ruby", "RB", "RT", "RP", "Warichu", "WT", "WP", "Em", "Strong", "Sub", "Figure",
                          "Formula", "Form"})
BASELINE_SHARE = 0.3  # glyphs whose baselines differ by more than this share of their size are on other lines


@dataclass(frozen=True)
class Glyph:
    text: str
    page: int  # 1-based
    x0: float
    x1: float
    baseline: float
    size: float  # points, after every matrix
    font: str  # the PDF's font name, subset tag removed


@dataclass(frozen=True)
class Line:
    page: int
    glyphs: tuple[Glyph, ...]  # left to right as drawn on the page (visual order, also for Arabic)

    @property
    def text(self) -> str:
        """The line as read: glyphs drawn right to left (Arabic) are turned back to reading order."""
        drawn = self.drawn
        return _reading_order(drawn) if _right_to_left(drawn) else drawn

    @property
    def drawn(self) -> str:
        return "".join(g.text for g in self.glyphs)


@dataclass(frozen=True)
class Block:
    """A paragraph-level structure element: what a reader takes as one paragraph, heading or list item."""

    tag: str
    lines: tuple[Line, ...]

    @property
    def text(self) -> str:
        return " ".join(line.text.strip() for line in self.lines)


@dataclass(frozen=True)
class PdfText:
    pages: int
    glyphs: tuple[Glyph, ...]  # every drawn character, tagged or not
    lines: tuple[Line, ...]  # every glyph, in lines, page by page (header and footer included)
    blocks: tuple[Block, ...]  # tagged paragraphs in reading order


@functools.lru_cache(maxsize=4)
def read_pdf(data: bytes) -> PdfText:
    """Every gate of one file reads it once."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        owner = _block_of_marked_content(pdf)
        glyphs: list[Glyph] = []
        keyed: dict[int, list[Glyph]] = {}
        order: list[tuple[int, str]] = []
        for page in pdf.pages:
            for char in page.chars:
                glyph = Glyph(char["text"], page.page_number, char["x0"], char["x1"], char["matrix"][5],
                              round(char["size"], 2), char["fontname"].split("+", 1)[-1])
                glyphs.append(glyph)
                block = owner.get((page.page_number, char.get("mcid")))
                if block is not None:
                    if block[0] not in keyed:
                        order.append(block)
                    keyed.setdefault(block[0], []).append(glyph)
        blocks = tuple(Block(tag, _lines(keyed[index])) for index, tag in sorted(order))
        return PdfText(len(pdf.pages), tuple(glyphs), _lines(glyphs, split_at_gaps=True), blocks)


def _block_of_marked_content(pdf) -> dict[tuple[int, int], tuple[int, str]]:
    """(page, MCID) -> (the paragraph's number in reading order, its structure type)."""
    owner: dict[tuple[int, int], tuple[int, str]] = {}
    count = 0

    def walk(element: PDFStructElement, block: tuple[int, str] | None) -> None:
        nonlocal count
        if element.type not in INLINE_TYPES and (element.mcids or _has_inline_child(element)):
            block = (count, element.type)
            count += 1
        for mcid in element.mcids:
            if block is not None and element.page_number is not None:
                owner[(element.page_number, mcid)] = block
        for child in element.children:
            walk(child, block)

    for root in PDFStructTree(pdf):
        walk(root, None)
    return owner


def _has_inline_child(element: PDFStructElement) -> bool:
    return any(child.type in INLINE_TYPES for child in element.children)


def _lines(glyphs: list[Glyph], split_at_gaps: bool = False) -> tuple[Line, ...]:
    """Glyphs drawn one after another on one baseline, left to right; with `split_at_gaps`, a gap
    wider than the type's size starts another line (a running footer's date and page number)."""
    lines: list[list[Glyph]] = []
    for glyph in glyphs:
        current = lines[-1] if lines else None
        if current and current[0].page == glyph.page and \
                abs(current[0].baseline - glyph.baseline) <= BASELINE_SHARE * max(glyph.size, current[0].size):
            current.append(glyph)
        else:
            lines.append([glyph])
    result = []
    for line in lines:
        line.sort(key=lambda g: g.x0)
        pieces = [[line[0]]]
        for glyph in line[1:]:
            if split_at_gaps and glyph.x0 - pieces[-1][-1].x1 > max(glyph.size, pieces[-1][-1].size):
                pieces.append([])
            pieces[-1].append(glyph)
        result += [Line(piece[0].page, tuple(piece)) for piece in pieces]
    return tuple(result)


def _right_to_left(text: str) -> bool:
    strong = [unicodedata.bidirectional(ch) for ch in text if unicodedata.bidirectional(ch) in ("L", "R", "AL")]
    return bool(strong) and sum(1 for kind in strong if kind != "L") > len(strong) / 2


# Drawn left to right, a right-to-left line reads backwards except its runs of
# digits and Latin letters (with the stops and signs between them), which stay.
_KEEP = frozenset({"L", "EN", "AN"})
_JOINERS = frozenset({"CS", "ES", "ET"})


def _reading_order(drawn: str) -> str:
    text = drawn[::-1]
    kinds = [unicodedata.bidirectional(ch) for ch in text]
    keep = [kind in _KEEP for kind in kinds]
    for i, kind in enumerate(kinds):
        if kind in _JOINERS and 0 < i < len(text) - 1 and kinds[i - 1] in _KEEP and kinds[i + 1] in _KEEP:
            keep[i] = True
    out, i = [], 0
    while i < len(text):
        j = i
        while j < len(text) and keep[j] == keep[i]:
            j += 1
        out.append(text[i:j][::-1] if keep[i] else text[i:j])
        i = j
    return "".join(out)


def quote(text: str, limit: int = 60) -> str:
    """A line or paragraph as a message quotes it: one line, cut at a word when long."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return f"'{text}'"
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return f"'{cut}…'"
