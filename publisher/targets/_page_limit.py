"""Stop a WeasyPrint layout as soon as it starts a page past a limit.

Fitting content to a page budget lays the same HTML out at several
densities or type sizes, and most trials that fail fail by a page or less.
WeasyPrint lays out every page before it adds the running headers and
footers (the margin boxes), and it has no option to stop early; it does
announce each page it starts on its progress logger. A filter on that logger
raises when a page past the limit starts, which abandons the layout before
the extra page and before any margin box: about a third of a failed trial's
cost. The limit is per thread (a Dask worker renders in several threads).

If WeasyPrint ever words the announcement differently, nothing stops early
and every trial runs to the end: slower, never different.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

PAGE_STARTED = "Step 5 - Creating layout - Page %d"  # weasyprint/layout/page.py, make_all_pages

_limits = threading.local()
_installed = False
_install_lock = threading.Lock()


class TooManyPages(Exception):
    """The layout started page `number`, past the limit."""

    def __init__(self, number: int):
        super().__init__(f"the layout started page {number}")
        self.number = number


@contextmanager
def page_limit(max_pages: int | None) -> Iterator[None]:
    """Within this block, a layout in this thread raises TooManyPages on starting page max_pages + 1."""
    if max_pages is None:
        yield
        return
    _install()
    previous = getattr(_limits, "max_pages", None)
    _limits.max_pages = max_pages
    try:
        yield
    finally:
        _limits.max_pages = previous


def _install() -> None:
    global _installed
    with _install_lock:
        if _installed:
            return
        from weasyprint.logger import PROGRESS_LOGGER

        # The logger must let INFO records through to reach the filter, which
        # then drops them: publisher shows its own progress, never WeasyPrint's.
        PROGRESS_LOGGER.addFilter(_check)
        PROGRESS_LOGGER.setLevel(logging.INFO)
        _installed = True


def _check(record: logging.LogRecord) -> bool:
    limit = getattr(_limits, "max_pages", None)
    if limit is not None and record.msg == PAGE_STARTED and record.args and record.args[0] > limit:
        raise TooManyPages(record.args[0])
    return False
