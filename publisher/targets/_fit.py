"""Make text fit a box: measure, wrap, shrink to a floor, then continue.

A deck cannot embed fonts, so its text is measured with open fonts that have
the same advance widths and line metrics as the typefaces it names (Carlito
for Calibri, Liberation Sans for Arial). Widths are summed word by word
without kerning, which only ever overestimates, and a safety margin absorbs
the small differences between PowerPoint's and LibreOffice's line breaking.
Everything is in points.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont
from PIL import ImageFont

WIDTH_SLACK = 0.95  # use 95 % of the width: renderers break lines a little differently
HEIGHT_SLACK = 0.97
MIN_LINE_RATIO = 1.2  # PowerPoint's single spacing is at least 1.2 × the size


class Unmeasurable(ValueError):
    """A character that no measuring font covers."""

    def __init__(self, char: str):
        self.char = char
        super().__init__(char)


@dataclass(frozen=True)
class Face:
    path: Path
    # False for a font that only fills in glyphs the named typeface lacks:
    # renderers space lines by the named typeface, not by its fallback.
    sets_line: bool = True

    # The font caches below are keyed by the path as a string: measuring looks
    # them up for every word, and comparing Path objects costs more than that.

    def ems(self, text: str) -> float:
        """The text's advance width in ems (multiples of the font size)."""
        font, units = _pillow(str(self.path))
        return font.getlength(text) / units

    def covers(self, char: str) -> bool:
        return ord(char) in _cmap(str(self.path))

    def chars(self) -> frozenset[str]:
        """Every character the font draws."""
        return _chars(str(self.path))

    @property
    def line_ratio(self) -> float:
        return _line_ratio(str(self.path))


@lru_cache(maxsize=32)
def _pillow(path: str) -> tuple[ImageFont.FreeTypeFont, int]:
    # At one pixel per font unit, Pillow's whole-pixel advances are the font's
    # exact ones. The basic layout needs no system library, so every machine
    # measures alike.
    with TTFont(path, lazy=True) as font:
        units = font["head"].unitsPerEm
    return ImageFont.truetype(path, units, layout_engine=ImageFont.Layout.BASIC), units


@lru_cache(maxsize=32)
def _cmap(path: str) -> frozenset[int]:
    with TTFont(path, lazy=True) as font:
        return frozenset(font["cmap"].getBestCmap())


@lru_cache(maxsize=32)
def _chars(path: str) -> frozenset[str]:
    return frozenset(map(chr, _cmap(path)))


@lru_cache(maxsize=32)
def _line_ratio(path: str) -> float:
    with TTFont(path, lazy=True) as font:
        upm, hhea, os2 = font["head"].unitsPerEm, font["hhea"], font["OS/2"]
        return max(MIN_LINE_RATIO, (hhea.ascent - hhea.descent + hhea.lineGap) / upm,
                   (os2.usWinAscent + os2.usWinDescent) / upm)


@dataclass(frozen=True, eq=False)
class Faces:
    """The measuring fonts of one typeface role, first one that covers a character wins."""

    regular: tuple[Face, ...]
    bold: tuple[Face, ...]

    # Faces key the cache of measured words: compare them by their files' paths
    # as strings, worked out once, rather than field by field on every lookup.
    @cached_property
    def _key(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return tuple(str(f.path) for f in self.regular), tuple(str(f.path) for f in self.bold)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Faces) and self._key == other._key

    def __hash__(self) -> int:
        return hash(self._key)

    @property
    def line_ratio(self) -> float:
        return max(face.line_ratio for face in self.regular + self.bold if face.sets_line)

    def width(self, text: str, bold: bool, size: float) -> float:
        return _ems(self, text, bold) * size


# Spaces some metric fonts lack (Carlito has no U+00A0), with the space whose
# width they have by convention.
SAME_WIDTH = str.maketrans({"\u00a0": " ", "\u2007": "0", "\u2060": ""})


@lru_cache(maxsize=65536)
def _ems(faces: Faces, text: str, bold: bool) -> float:
    chain = faces.bold if bold else faces.regular
    text = text.translate(SAME_WIDTH)
    if chain[0].chars().issuperset(text):
        # The usual case: the first font draws it all, marks included, so the
        # loop below would make one run of it; measure that run at once.
        return 0.0 + chain[0].ems(text) if text else 0.0
    total, run, run_face = 0.0, "", None
    for char in text:
        if unicodedata.category(char) in ("Mn", "Cf"):
            face = run_face or chain[0]  # marks and format characters ride on their base
        else:
            face = next((f for f in chain if f.covers(char)), None)
            if face is None:
                raise Unmeasurable(char)
        if face is not run_face and run:
            total += run_face.ems(run)
            run = ""
        run, run_face = run + char, face
    if run:
        total += run_face.ems(run)
    return total


@dataclass(frozen=True)
class Span:
    text: str
    bold: bool = False


@dataclass(frozen=True)
class Para:
    spans: tuple[Span, ...]
    margin: float = 0.0  # where the text column starts, from the box's inner edge
    key: int = 0  # which source paragraph this is (or is part of)
    part: int = 0  # 0 for a paragraph's start, 1, 2, ... for what a split carried over


@dataclass(frozen=True)
class Box:
    width: float  # inside the insets
    height: float


@dataclass(frozen=True)
class Spacing:
    line: float = 1.0  # line spacing, as a multiple of single
    before: float = 0.0  # space before each paragraph but a box's first, as a multiple of the size


@dataclass(frozen=True)
class Page:
    paras: tuple[Para, ...]
    size: int


@dataclass(frozen=True)
class _Word:
    text: str
    bold: bool
    space: bool  # a space follows, where the line may break


_CJK = re.compile(r"[\u2E80-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF\uFF00-\uFFEF]")
# East Asian text breaks between any two characters, except before closing
# punctuation (renderers keep "人。" together) and across a word joiner
# (U+2060), which `glue_last` puts between the last two characters.
_CLOSING = "。，、！？：；）」』”’》〉"
_CJK_UNIT = re.compile(f"[{_CLOSING}\u2060]+|.(?:\u2060.|[{_CLOSING}])*")
NBSP, WJ = "\u00a0", "\u2060"


def glue_last(text: str) -> str:
    """The text with its last two words (or East Asian characters) joined, so that
    a renderer cannot leave the last one alone on a line."""
    body = text.rstrip()
    tail = text[len(body):]
    space = body.rfind(" ")
    if space > 0 and body[:space].strip() and not _CJK.search(body[space + 1:]):
        return body[:space] + NBSP + body[space + 1:] + tail
    units = _CJK_UNIT.findall(body)
    if len(units) >= 2 and _CJK.search(units[-1]) and _CJK.search(units[-2]):
        cut = len(body) - len(units[-1])
        return body[:cut] + WJ + body[cut:] + tail
    return text


def last_line_alone(lines: list[list["_Word"]]) -> bool:
    """More than one line, and the last holds one word or one East Asian character."""
    return (len(lines) > 1 and len(lines[-1]) == 1 and len(lines[-2]) > 1
            and NBSP not in lines[-1][0].text and WJ not in lines[-1][0].text)  # glued ones are two


def _words(para: Para) -> list[_Word]:
    words: list[_Word] = []
    for span in para.spans:
        parts = span.text.split(" ")
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            pieces = _CJK_UNIT.findall(part) if _CJK.search(part) else [part]
            for j, piece in enumerate(pieces):
                if piece:
                    words.append(_Word(piece, span.bold, not last and j == len(pieces) - 1))
            if not last and not part and words:
                words[-1] = replace(words[-1], space=True)
    return words


class Fitter:
    def __init__(self, faces: Faces, spacing: Spacing = Spacing()):
        self.faces = faces
        self.spacing = spacing
        # Searching sizes and filling pages measure the same paragraphs again and
        # again: keep each one's words with their widths in ems (a width at any
        # size is ems × size, the same product `Faces.width` computes), and each
        # wrapping already worked out.
        self._measured: dict[Para, list[tuple[_Word, float]]] = {}
        self._wrapped: dict[tuple[Para, float, float], list[list[_Word]]] = {}

    def line_height(self, size: float) -> float:
        return size * self.faces.line_ratio * self.spacing.line

    def _break_long(self, word: _Word, size: float, width: float) -> list[_Word]:
        """Cut a word wider than the line into pieces, as renderers do."""
        pieces, current = [], ""
        for char in word.text:
            if current and self.faces.width(current + char, word.bold, size) > width:
                pieces.append(_Word(current, word.bold, False))
                current = ""
            current += char
        pieces.append(_Word(current, word.bold, word.space))
        return pieces

    def _measure(self, para: Para) -> list[tuple[_Word, float]]:
        """The paragraph's words and their widths in ems, measured once."""
        found = self._measured.get(para)
        if found is None:
            found = self._measured[para] = [(w, _ems(self.faces, w.text, w.bold)) for w in _words(para)]
        return found

    def lines(self, para: Para, size: float, width: float) -> list[list[_Word]]:
        """The paragraph's lines; the lists are shared between calls, so never change them."""
        key = (para, size, width)
        found = self._wrapped.get(key)
        if found is None:
            found = self._wrapped[key] = self._wrap(para, size, width)
        return found

    def _wrap(self, para: Para, size: float, width: float) -> list[list[_Word]]:
        avail = width * WIDTH_SLACK - para.margin
        if avail <= size:
            return [[w] for w in _words(para)] or [[]]
        lines: list[list[_Word]] = [[]]
        used = 0.0
        for word, ems in self._measure(para):
            w = ems * size
            pieces = self._break_long(word, size, avail) if w > avail else [word]
            for piece in pieces:
                if piece is not word:
                    w = self.faces.width(piece.text, piece.bold, size)
                gap = self.faces.width(" ", piece.bold, size) if lines[-1] and lines[-1][-1].space else 0.0
                if lines[-1] and used + gap + w > avail:
                    lines.append([])
                    used, gap = 0.0, 0.0
                lines[-1].append(piece)
                used += gap + w
        return lines

    def height(self, paras: tuple[Para, ...] | list[Para], size: float, width: float) -> float:
        total = sum(len(self.lines(p, size, width)) for p in paras) * self.line_height(size)
        return total + max(0, len(paras) - 1) * self.spacing.before * size

    def fits(self, paras, size: float, box: Box) -> bool:
        return self.height(paras, size, box.width) <= box.height * HEIGHT_SLACK

    def largest(self, paras, box: Box, sizes: range) -> int | None:
        """The largest size at which all of the text fits with no word cut in two
        (an e-mail address, a phone number kept whole), else at which it fits at all, or None."""
        first = None
        for size in sizes:
            if self.fits(paras, size, box):
                if not self._cut(paras, size, box.width):
                    return size
                first = size if first is None else first
        return first

    def _cut(self, paras, size: float, width: float) -> bool:
        return any(ems * size > width * WIDTH_SLACK - p.margin for p in paras for _, ems in self._measure(p))

    def paginate(self, paras: list[Para], box: Box, sizes: range) -> list[Page]:
        """Shrink down to the smallest size; past that, continue on more boxes.

        With continuation, the size is the largest that needs no more boxes
        than the smallest size does, so text stays as large as it can.
        """
        size = self.largest(paras, box, sizes)
        if size is not None:
            return [Page(tuple(paras), size)]
        needed = len(self._fill(paras, box, sizes[-1]))
        for size in sizes:
            pages = self._fill(paras, box, size)
            if len(pages) == needed:
                return pages
        raise AssertionError("unreachable: the smallest size always paginates")

    def _fill(self, paras: list[Para], box: Box, size: int) -> list[Page]:
        pages: list[list[Para]] = [[]]
        queue = list(paras)
        while queue:
            para = queue.pop(0)
            if self.fits(pages[-1] + [para], size, box):
                pages[-1].append(para)
                continue
            if pages[-1] and self.fits([para], size, box):
                pages.append([para])
                continue
            head, tail = self._split(para, pages[-1], size, box)
            if head is None:
                pages.append([])
                queue.insert(0, para)
                continue
            pages[-1].append(head)
            pages.append([])
            queue.insert(0, tail)
        return [Page(tuple(page), size) for page in pages if page]

    def _split(self, para: Para, page: list[Para], size: int, box: Box) -> tuple[Para | None, Para | None]:
        """Cut a paragraph after as many lines as the page still holds."""
        used = self.height(page, size, box.width) + (self.spacing.before * size if page else 0.0)
        room = int((box.height * HEIGHT_SLACK - used) // self.line_height(size))
        lines = self.lines(para, size, box.width)
        if room < 1 or (page and room < 2):
            if not page:
                raise ValueError(f"a single line at {size} pt is taller than the box")
            return None, None  # start it on a fresh page rather than leave one line behind
        head_words = [w for line in lines[:room] for w in line]
        tail_words = [w for line in lines[room:] for w in line]
        return (replace(para, spans=_spans(head_words)),
                replace(para, spans=_spans(tail_words), part=para.part + 1))


def _spans(words: list[_Word]) -> tuple[Span, ...]:
    spans: list[Span] = []
    for i, word in enumerate(words):
        text = word.text + (" " if word.space and i < len(words) - 1 else "")
        if spans and spans[-1].bold == word.bold:
            spans[-1] = Span(spans[-1].text + text, word.bold)
        else:
            spans.append(Span(text, word.bold))
    return tuple(spans)
