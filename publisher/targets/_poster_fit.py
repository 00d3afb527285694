"""Fit content on one page: find the largest type size at which it all fits.

Laying out is the slow step, so the search lays out as few times as it can.
It starts at the smallest size, which also tells at once whether anything
fits at all, and measures the height left over. Content height grows about
as the square of the type size (more lines, each taller), so the size that
fills the page is near smallest × sqrt(page / content): the search tries
that next, then steps away from it, one step at a time and then in doubling
jumps, until the answer is bracketed, then bisects. Sizes lie on a grid of
`step` points, which keeps builds repeatable. The shipped posters take three
or four layouts; wrapped lines make height jump, which a smarter model of
height (tried: a power law through the latest two layouts) did not beat.
Every layout after the first is a trial that may stop at its second page
(`lay_out(size, max_pages=1)` returns None then): only the first must be
whole, to measure from or to say what overflows.
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
    fitting, overflowing = 0, round((largest - smallest) / step) + 1  # grid indexes; the top one is past `largest`
    probe, moves, bisecting, direction = _first_guess(best, smallest, step), 0, False, 0
    while overflowing - fitting > 1:
        probe = min(max(probe, fitting + 1), overflowing - 1)
        document = lay_out(smallest + probe * step, max_pages=1)
        outcome = 1 if fits(document) else -1
        if outcome > 0:
            fitting, best = probe, document
        else:
            overflowing = probe
        if not bisecting and direction in (0, outcome):
            # The guess is usually a step or two off: move 1, 1, then 2, 4, 8… steps the same way.
            direction, probe, moves = outcome, probe + outcome * 2 ** max(0, moves - 1), moves + 1
        else:
            bisecting, probe = True, (fitting + overflowing) // 2
    return smallest + fitting * step, best


def _first_guess(document: Document, size: float, step: float) -> int:
    page = page_height(document)
    used = max(page - spare_height(document), 1.0)
    return max(1, math.floor((size * math.sqrt(page / used) - size) / step))


def fits(document: Document | None) -> bool:
    """None is a trial layout that stopped at its second page."""
    return document is not None and len(document.pages) == 1


def page_height(document: Document) -> float:
    """Points of page height that content may fill on the first page."""
    return document.pages[0]._page_box.height * PT_PER_PX


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
