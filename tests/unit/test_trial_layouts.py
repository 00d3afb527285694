"""Trial layouts that stop at the first page too many, and python-pptx's compiled XPath."""

from __future__ import annotations

import logging
import threading

from lxml import etree

from publisher.targets import _pptx_xpath
from publisher.targets._page_limit import page_limit
from publisher.targets._weasy import lay_out
from tests.conftest import TEMPLATES

# Three A6 pages of text, each page forced, so the page count does not hang on fonts.
THREE_PAGES = """<!DOCTYPE html><html lang="en"><head><style>
@page { size: A6; margin: 10mm; @bottom-center { content: "page " counter(page) " of " counter(pages); } }
p { break-after: page; }
</style></head><body><p>One</p><p>Two</p><p>Three</p></body></html>"""


def test_a_trial_past_its_limit_stops_before_the_extra_page_and_returns_none():
    # None only comes from the stop, which hangs on WeasyPrint's progress message
    # for a new page: if an upgrade rewords it, this test says so.
    assert lay_out(THREE_PAGES, TEMPLATES, "test", max_pages=2) is None
    assert len(lay_out(THREE_PAGES, TEMPLATES, "test", max_pages=3).pages) == 3
    assert len(lay_out(THREE_PAGES, TEMPLATES, "test").pages) == 3


def test_weasyprint_progress_records_are_dropped_not_printed():
    seen: list[logging.LogRecord] = []

    class Recorder(logging.Handler):
        def emit(self, record):
            seen.append(record)

    handler = Recorder()
    logger = logging.getLogger("weasyprint.progress")
    logger.addHandler(handler)
    try:
        assert lay_out(THREE_PAGES, TEMPLATES, "test", max_pages=1) is None
        assert len(lay_out(THREE_PAGES, TEMPLATES, "test").pages) == 3
    finally:
        logger.removeHandler(handler)
    assert seen == []


def test_a_limit_holds_in_its_own_thread_only():
    results = {}

    def unlimited():
        results["other"] = len(lay_out(THREE_PAGES, TEMPLATES, "test").pages)

    with page_limit(1):
        thread = threading.Thread(target=unlimited)
        thread.start()
        thread.join()
        results["here"] = lay_out(THREE_PAGES, TEMPLATES, "test")
    assert results == {"other": 3, "here": None}
    assert len(lay_out(THREE_PAGES, TEMPLATES, "test").pages) == 3  # and it ends with its block


def test_compiled_xpath_finds_what_lxml_finds():
    from pptx import Presentation

    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[1])
    tree = slide.shapes._spTree
    for expression in ("./p:sp", ".//a:t", "./p:sp/p:nvSpPr/p:nvPr/p:ph/@type", "count(./p:sp)"):
        uncompiled = _pptx_xpath._uncompiled(tree, expression)
        assert tree.xpath(expression) == uncompiled, expression
    assert isinstance(_pptx_xpath._compiled("./p:sp"), etree.XPath)
    assert _pptx_xpath._compiled.cache_info().hits > 0
