"""The one-page fit search, on fake layouts whose height is a known function of the type size."""

from __future__ import annotations

import math

import pytest

from publisher.targets._poster_fit import DoesNotFit, cut_off, largest_fitting

PAGE = 1000.0  # CSS px of content height per page


class Element(dict):
    """Stands in for an lxml element: only `get("id")` is used."""


class Box:
    def __init__(self, height: float, children=(), element_id: str | None = None):
        self.height = height
        self.children = list(children)
        self.element = Element(id=element_id) if element_id else None

    def margin_height(self) -> float:
        return self.height


class Page:
    def __init__(self, root: Box):
        self._page_box = Box(PAGE, [root])


class Layout:
    """As many pages as `content` px need."""

    def __init__(self, content: float):
        count = max(1, math.ceil(content / PAGE))
        self.pages = [Page(Box(min(PAGE, content - n * PAGE))) for n in range(count)]


def search(height, smallest=24.0, largest=40.0, step=0.5):
    sizes = []

    def lay_out(size, max_pages=None):
        sizes.append(size)
        layout = Layout(height(size))
        return None if max_pages is not None and len(layout.pages) > max_pages else layout

    found, layout = largest_fitting(lay_out, smallest, largest, step)
    return found, layout, sizes


def brute_force(height, smallest=24.0, largest=40.0, step=0.5):
    grid = [smallest + k * step for k in range(round((largest - smallest) / step) + 1)]
    return max(size for size in grid if height(size) <= PAGE)


@pytest.mark.parametrize("height", [
    lambda s: 1.2 * s * s,  # text-like: grows as the square of the size
    lambda s: 36 * s,  # linear
    lambda s: 0.04 * s ** 3,  # steeper than the first guess assumes
    lambda s: 600 + 40 * math.floor(s / 3),  # steps, like lines wrapping
    lambda s: 900 + s,  # nearly full at the smallest size
])
def test_finds_the_largest_size_that_fits_in_few_layouts(height):
    found, layout, sizes = search(height)
    assert found == brute_force(height)
    assert len(layout.pages) == 1
    # Plain bisection takes 7 on this 33-size grid; galloping from a far-off first guess
    # (flat steps of height) costs a few more, a close guess (text-like height) far fewer.
    assert len(sizes) <= 10, sizes


def test_text_like_content_takes_three_or_four_layouts():
    *_, sizes = search(lambda s: 1.2 * s * s)
    assert len(sizes) <= 4, sizes


def test_everything_fitting_at_the_largest_size_stops_there():
    found, _, sizes = search(lambda s: 10 * s)
    assert found == 40 and sizes == [24, 40]


def test_nothing_fits_raises_with_the_smallest_layout():
    with pytest.raises(DoesNotFit) as caught:
        search(lambda s: 50 * s)
    assert len(caught.value.document.pages) == 2


def test_blame_goes_to_the_tallest_smallest_unit_past_page_one():
    class Doc:
        pages = [
            Page(Box(PAGE)),
            Page(Box(900, [Box(900, [Box(100, element_id="tile-a"), Box(500, element_id="tile-b"),
                                     Box(100, element_id="tile-c")], element_id="section"),
                           Box(200, element_id="footer")])),
        ]

    assert cut_off(Doc()) == ["tile-b", "footer", "tile-a", "tile-c"]


def test_height_growing_slower_than_the_square_is_followed_by_the_line_through_the_fits():
    # Arabic and Chinese posters: each point of type adds less height than the last.
    # Stepping up from the square model's first guess took eight layouts here.
    height = lambda s: 820 + 56 * (s - 24) - 1.5 * (s - 24) ** 2  # noqa: E731
    found, _, sizes = search(height)
    assert found == brute_force(height)
    assert len(sizes) <= 5, sizes
