"""Fit content on one page: find the largest type size at which it all fits.

Laying out is the slow step, so the search lays out as few times as it can.
It starts at the smallest size, which also tells at once whether anything
fits at all, and measures the height the content takes. Content height grows
about as the square of the type size (more lines, each taller), so the size
that fills the page is near smallest × sqrt(page / content): the search
tries that next. From then on each layout that fits is one more measurement,
and the next guess is where the line through the two latest fitting
measurements reaches the page's height: Arabic and Chinese posters grow more
slowly than the square, and the line follows them (stepping up from the
square model's guess took them eight layouts). Guesses round down to the
grid, because a layout that fits measures while one that overflows only
bounds. A guess past a size known to overflow gives way to bisection, and
one that the model cannot push past the last fit tries the next size up, so
the answer is always bracketed exactly: a size that fits, and the next one
up that does not or the largest allowed. Sizes lie on a grid of `step`
points, which keeps builds repeatable. Every layout after the first is a
trial that may stop at its second page (`lay_out(size, max_pages=1)`
returns None then): only the first must be whole, to measure from or to say
what overflows.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

PT_PER_PX = 0.75  # WeasyPrint measures in CSS pixels, 96 to the inch

Document = Any  # weasyprint.Document, imported lazily by _weasy


class DoesNotFit(Exception):
    """Even the smallest size needs a second page; `document` is that layout."""

    def __init__(self, document: Document):
        super().__init__("the content does not fit on one page")
        self.document = document


def largest_fitting(lay_out: Callable[..., Document | None], smallest: float, largest: float,
                    step: float) -> tuple[float, Document]:
    """The largest size on the grid smallest + k·step that fits one page, and its layout."""
    best = lay_out(smallest)
    if not fits(best):
        raise DoesNotFit(best)
    page = page_height(best)
    measured = [(0, used_height(best))]  # (grid index, content height) of the layouts that fit
    top = round((largest - smallest) / step)  # grid index of `largest`
    fitting, overflowing = 0, top + 1  # the bracket, as grid indexes
    stride = 1  # the least step up while nothing has overflowed
    edged = False  # whether the last probe was the bracket's edge, tried because the guess fell outside
    while overflowing - fitting > 1:
        guess = _guess(measured, page, smallest, step)
        if overflowing > top:
            probe = min(max(guess, fitting + stride), top)
        elif fitting < guess < overflowing:
            probe, edged = guess, False
        elif not edged and (guess >= overflowing or _rising(measured)):
            # The model points past an edge: the answer is likely next to it. Once; then halve.
            probe, edged = (overflowing - 1 if guess >= overflowing else fitting + 1), True
        else:
            probe = (fitting + overflowing) // 2
        document = lay_out(smallest + probe * step, max_pages=1)
        if fits(document):
            stalled, room_before = guess <= fitting, page - measured[-1][1]
            fitting, best = probe, document
            measured.append((probe, used_height(document)))
            # The model is failing (height flat across sizes, say) when it could not
            # look past the last fit, or a fit left three quarters of the room there
            # was: stride up in doubling steps until something overflows.
            stride = stride * 2 if stalled or page - measured[-1][1] > room_before * 3 / 4 else 1
        else:
            overflowing = probe
    return smallest + fitting * step, best


def _rising(measured: list[tuple[int, float]]) -> bool:
    """Whether the latest two fits differ in height, so the model has a slope to go by."""
    return len(measured) > 1 and measured[-1][1] > measured[-2][1]


def _guess(measured: list[tuple[int, float]], page: float, smallest: float, step: float) -> int:
    """The grid index at which the content is expected to fill the page, rounded down."""
    index, height = measured[-1]
    size = smallest + index * step
    if _rising(measured):
        before, below = measured[-2]
        target = size + (page - height) * (index - before) * step / (height - below)
    else:
        target = size * math.sqrt(page / max(height, 1.0))
    return math.floor((target - smallest) / step + 1e-9)


def fits(document: Document | None) -> bool:
    """None is a trial layout that stopped at its second page."""
    return document is not None and len(document.pages) == 1


def page_height(document: Document) -> float:
    """Points of page height that content may fill on the first page."""
    return document.pages[0]._page_box.height * PT_PER_PX


def used_height(document: Document) -> float:
    """Points of the first page's height that the content takes."""
    return page_height(document) - spare_height(document)


def spare_height(document: Document) -> float:
    """Points of empty page left below the content of the first page."""
    page = document.pages[0]._page_box
    root = page.children[0]
    return max(0.0, (page.height - root.margin_height()) * PT_PER_PX)


def cut_off(document: Document) -> list[str]:
    """Ids of the elements to blame for a second page, most to blame first.

    The candidates are the smallest units with an id (elements holding no
    other element with an id, such as a poster's tiles) that reach past the
    first page, tallest first: one oversized item comes first itself, and
    when everything is just too long, units of equal height keep page order.
    """
    heights: dict[str, float] = {}
    holders: set[str] = set()
    for page in document.pages[1:]:
        _measure(page._page_box, None, heights, holders)
    units = [name for name in heights if name not in holders]
    return sorted(units, key=lambda name: -heights[name])


def last_on_first_page(document: Document) -> list[str]:
    """Ids of the smallest units with an id on the first page, last first.

    When all that reaches past the page is a block the template always has (the
    poster's footer), the content above it pushed it there: the last of that
    content is the next thing to blame.
    """
    heights: dict[str, float] = {}
    holders: set[str] = set()
    _measure(document.pages[0]._page_box, None, heights, holders)
    return [name for name in reversed(heights) if name not in holders]


def _measure(box: Any, parent: str | None, heights: dict[str, float], holders: set[str]) -> None:
    element = getattr(box, "element", None)
    name = element.get("id") if element is not None else None
    if name and name != parent:
        # Anonymous boxes share their element; count each element's box once per page.
        heights[name] = heights.get(name, 0.0) + box.margin_height()
        if parent:
            holders.add(parent)
        parent = name
    for child in getattr(box, "children", ()):
        _measure(child, parent, heights, holders)


def part_heights(document: Document) -> dict[str, float]:
    """Height in points of every element with an id, summed over the pages it takes."""
    heights: dict[str, float] = {}
    for page in document.pages:
        _measure(page._page_box, None, heights, set())
    return {name: height * PT_PER_PX for name, height in heights.items()}


def words_too_wide(document: Document, class_name: str, slack_px: float = 0.5) -> list[str]:
    """Ids of the elements holding a box of `class_name` whose text sticks out of it.

    The box's text must be set with `overflow-wrap: normal`, so that a word too
    wide for its box is left whole and overflows instead of being cut: then the
    overflow is a measure of the rendered word, in any script and either direction.
    """
    found: list[str] = []
    for page in document.pages:
        _too_wide(page._page_box, None, class_name, slack_px, found)
    return list(dict.fromkeys(found))


def _too_wide(box: Any, holder: str | None, class_name: str, slack_px: float, found: list[str]) -> None:
    element = getattr(box, "element", None)
    if element is not None and element.get("id"):
        holder = element.get("id")
    if element is not None and class_name in (element.get("class") or "").split() and holder:
        left = box.content_box_x()
        right = left + box.width
        if any(x < left - slack_px or x + width > right + slack_px for x, width in _text_extents(box)):
            found.append(holder)
        return
    for child in getattr(box, "children", ()):
        _too_wide(child, holder, class_name, slack_px, found)


def _text_extents(box: Any):
    from weasyprint.formatting_structure.boxes import TextBox  # loaded already: `box` is WeasyPrint's

    for child in getattr(box, "children", ()):
        if isinstance(child, TextBox):
            yield child.position_x, child.width
        else:
            yield from _text_extents(child)
