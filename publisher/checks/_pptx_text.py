"""A built deck's slides read back as PowerPoint shows them: shapes, runs, sizes.

A run's size is its own `sz`, else what it inherits, in PowerPoint's order:
the shape's list styles, the layout's placeholder, the master's placeholder,
the master's text styles (title, body or other), else 18 pt (the OOXML
default). Only what is on the slides is read; speaker notes are not shown.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Iterator
from dataclasses import dataclass

from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE, PP_PLACEHOLDER
from pptx.oxml.ns import qn

TITLE_TYPES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE, PP_PLACEHOLDER.VERTICAL_TITLE)
DEFAULT_SIZE_PT = 18.0


@dataclass(frozen=True)
class Run:
    slide: int
    shape: str
    title: bool  # in the slide's title placeholder
    text: str
    size: float
    lang: str | None
    italic: bool


@functools.lru_cache(maxsize=2)
def open_deck(data: bytes):
    """Every gate of one deck reads it once; gates only read it."""
    return Presentation(io.BytesIO(data))


@functools.lru_cache(maxsize=2)
def deck_runs(data: bytes) -> tuple[Run, ...]:
    return tuple(runs(open_deck(data)))


def shapes(container) -> Iterator:
    """Every shape of a slide, groups opened, in the order of the shape tree (the reading order)."""
    for shape in container.shapes:
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
            yield from shapes(shape)
        else:
            yield shape


def is_title(shape) -> bool:
    return shape.is_placeholder and shape.placeholder_format.type in TITLE_TYPES


def runs(prs) -> Iterator[Run]:
    for number, slide in enumerate(prs.slides, 1):
        for shape in shapes(slide):
            if not shape.has_text_frame:
                continue
            title = is_title(shape)
            for paragraph in shape.text_frame.paragraphs:
                level = paragraph.level
                for run in paragraph.runs:
                    rpr = run._r.find(qn("a:rPr"))
                    size = _own_size(rpr) or _inherited_size(slide, shape, level, title)
                    yield Run(number, shape.name, title, run.text, size,
                              rpr.get("lang") if rpr is not None else None,
                              rpr is not None and rpr.get("i") in ("1", "true"))


def _own_size(element) -> float | None:
    return int(element.get("sz")) / 100 if element is not None and element.get("sz") else None


def _level_size(list_style, level: int) -> float | None:
    if list_style is None:
        return None
    return _own_size(list_style.find(f"{qn(f'a:lvl{level + 1}pPr')}/{qn('a:defRPr')}"))


def _inherited_size(slide, shape, level: int, title: bool) -> float:
    chain = [shape]
    if shape.is_placeholder:
        idx, kind = shape.placeholder_format.idx, shape.placeholder_format.type
        layout = _matching(slide.slide_layout.placeholders, idx, kind)
        master = _matching(slide.slide_layout.slide_master.placeholders, idx, kind)
        chain += [p for p in (layout, master) if p is not None]
    for owner in chain:
        body = owner._element.find(f".//{qn('p:txBody')}")
        size = _level_size(body.find(qn("a:lstStyle")) if body is not None else None, level)
        if size:
            return size
    styles = slide.slide_layout.slide_master._element.find(qn("p:txStyles"))
    if styles is not None:
        kind = "p:titleStyle" if title else "p:bodyStyle" if shape.is_placeholder else "p:otherStyle"
        size = _level_size(styles.find(qn(kind)), level)
        if size:
            return size
    return DEFAULT_SIZE_PT


def _matching(placeholders, idx: int, kind):
    for placeholder in placeholders:
        if placeholder.placeholder_format.idx == idx:
            return placeholder
    for placeholder in placeholders:
        if placeholder.placeholder_format.type == kind:
            return placeholder
    return None
