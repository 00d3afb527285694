"""Handout type that uses the space, warnings that stand out, and clean line
breaks, measured on the laid-out pages (issue 12, items 2, 4 and 5).

The layout is read back from WeasyPrint's boxes, the same pages the PDF is
written from: which density was chosen, where each warning fell, and what
each title, question, heading and warning has on its last line.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

import pytest
from weasyprint.formatting_structure import boxes

import publisher.targets.handout as handout_module
from publisher.build.plan import Selection, plan
from publisher.content import load_project
from tests.conftest import CONTENT, FIXTURES, ROOT

pytestmark = pytest.mark.renders  # renders every file itself: see RENDER_CACHE in tests/conftest.py

TEMPLATES = ROOT / "templates"
HYDRATION = FIXTURES / "hydration"


def _laid_out(content: Path, monkeypatch, **selection):
    """Render every handout the selection asks for; (task, document, pdf bytes) each."""
    captured = []
    original = handout_module.write_pdf

    def keep(document):
        data = original(document)
        captured.append((document, data))
        return data

    monkeypatch.setattr(handout_module, "write_pdf", keep)
    planned = plan(load_project(content), Selection(formats=("handout",), **selection), TEMPLATES)
    out = []
    for task, job in planned.jobs:
        handout_module.Handout().render(job)
        document, data = captured.pop()
        out.append((task, document, data))
    return out


def _density(document) -> str:
    html = document.pages[0]._page_box.children[0]
    return next(c for c in html.element.get("class", "").split() if c.startswith("density-"))


def _last_lines(document, selector) -> list[str]:
    """The text on the last line of each element `selector(element)` accepts
    that takes more than one line."""
    found = []
    for page in document.pages:
        for box in page._page_box.descendants():
            if isinstance(box, boxes.BlockBox) and box.element is not None and selector(box.element) \
                    and box.element_tag != "img":
                lines = [b for b in box.descendants() if isinstance(b, boxes.LineBox)]
                if len(lines) > 1:
                    text = "".join(t.text for t in lines[-1].descendants() if isinstance(t, boxes.TextBox))
                    found.append(text.strip())
    return found


def _stranded(line: str) -> bool:
    """One word alone (or one Chinese character with its punctuation)."""
    bare = re.sub(r"[\s\u2066-\u2069\u200e\u200f]+", " ", line).strip()
    letters = [c for c in bare if not unicodedata.category(c).startswith(("P", "Z"))]
    if letters and all(unicodedata.east_asian_width(c) in ("W", "F") for c in letters):
        return len(letters) < 2
    return len(bare.split()) < 2


def _titled(element) -> bool:
    classes = element.get("class", "").split()
    return element.tag in ("h1", "h2") or "question" in classes or "callout-title" in classes \
        or "callout-text" in classes


def test_the_handout_takes_the_largest_type_that_fits(monkeypatch):
    """A short article gets the 14 pt body; the seed article, which does not fit
    two pages at 14 pt, gets the most generous setting that does."""
    [(_, short, _), *_] = _laid_out(HYDRATION, monkeypatch, langs=("en",))
    assert _density(short) == "density-generous"
    (_, seed, _), *_ = _laid_out(CONTENT, monkeypatch, langs=("en",), clinics=("default",))
    assert _density(seed) != "density-generous" and len(seed.pages) == 2


def test_no_single_word_alone_on_the_last_line_of_titles_and_warnings(monkeypatch):
    stranded = []
    for task, document, _ in _laid_out(CONTENT, monkeypatch, clinics=("riverside-physio",)):
        stranded += [(task.path, line) for line in _last_lines(document, _titled) if _stranded(line)]
    for task, document, _ in _laid_out(HYDRATION, monkeypatch):
        stranded += [(task.path, line) for line in _last_lines(document, _titled) if _stranded(line)]
    assert stranded == []


def test_the_stranding_check_can_fail(monkeypatch):
    """Without the filter, the seed's titles and headings strand words in some
    language and paper: the measurement above would catch it."""
    from publisher import templating

    monkeypatch.setattr(templating.line_breaks, "keep_end", lambda text: text)
    templating.environment.cache_clear()
    try:
        stranded = [(task.path, line) for task, document, _ in _laid_out(CONTENT, monkeypatch,
                                                                         clinics=("riverside-physio",))
                    for line in _last_lines(document, _titled) if _stranded(line)]
    finally:
        templating.environment.cache_clear()
    assert stranded


def test_a_warning_on_the_back_gets_a_pointer_on_the_front(tmp_path, monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(HYDRATION, content)
    article = next((content / "articles").glob("*/article.yaml"))
    text = article.read_text(encoding="utf-8")
    # Push the warning to page 2 with a long paragraph in the first section.
    filler = " ".join(["Your body loses water through sweat, breath and urine."] * 40)
    text = text.replace("drink too little without noticing.", "drink too little without noticing. " + filler)
    article.write_text(text, encoding="utf-8")
    (task, document, data), *_ = _laid_out(content, monkeypatch, langs=("en",))
    pages = [i for i, page in enumerate(document.pages, 1) if "warning-signs" in page.anchors]
    assert pages == [2]
    pointer = next(b for b in document.pages[0]._page_box.descendants()
                   if isinstance(b, boxes.BlockBox) and b.element is not None
                   and "warning-pointer" in b.element.get("class", ""))
    text = " ".join(t.text for t in pointer.descendants() if isinstance(t, boxes.TextBox))
    text = re.sub(r"[\u2066-\u2069]", "", re.sub(r"\s+", " ", text))
    assert text == "Important warning on page 2: Call your clinic or an emergency number if you have"
    # Text, not a link: WeasyPrint would leave the link's annotation outside the structure tree,
    # which fails PDF/UA (the pdf-ua gate); the page number leads the reader.
    from io import BytesIO

    from pypdf import PdfReader

    annotations = PdfReader(BytesIO(data)).pages[0].get("/Annots") or []
    assert not any(a.get_object().get("/Subtype") == "/Link" for a in annotations)


def test_warning_text_is_bold_and_larger_than_the_body(monkeypatch):
    (task, document, data), *_ = _laid_out(HYDRATION, monkeypatch, langs=("en",))
    texts = [b for b in document.pages[0]._page_box.descendants() if isinstance(b, boxes.TextBox)]

    def style(needle):
        box = next(b for b in texts if needle in b.text)
        return box.style["font_size"], box.style["font_weight"]

    body = style("Your body loses water")
    title = style("Call your clinic or an emergency")
    item = style("confusion or fainting")
    assert body[1] < 700
    assert title[0] >= body[0] + 2 and title[1] >= 700
    assert item[0] >= body[0] and item[1] >= 700


def _long_clinic_project(tmp_path) -> Path:
    """The seed article with the two clinics at the schema's limits: the
    longest name, phone, address and e-mail, and a 4:1 and a 1:3 logo."""
    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    shutil.copytree(CONTENT / "articles" / "muscle-mass-loss-and-pain",
                    content / "articles" / "muscle-mass-loss-and-pain")
    (content / "clinics").mkdir()
    for name in ("at-limits-wide.yaml", "wide-logo.svg", "at-limits-tall.yaml", "tall-logo.svg"):
        shutil.copy2(FIXTURES / "clinics" / name, content / "clinics" / name)
    return content


def _margin_overflow(document) -> list[tuple[int, str]]:
    overflowing = []
    for number, page in enumerate(document.pages, 1):
        for box in page._page_box.children:
            if getattr(box, "at_keyword", "").startswith(("@top", "@bottom")) and box.children:
                if sum(c.margin_height() for c in box.children) > box.height + 0.5:
                    overflowing.append((number, box.at_keyword))
    return overflowing


def test_a_clinic_with_a_long_name_and_address_gets_the_margins_it_needs(tmp_path, monkeypatch):
    """Nothing of the header or footer is cut off, and the longest translation
    still fits its two pages beside it."""
    content = _long_clinic_project(tmp_path)
    results = _laid_out(content, monkeypatch, langs=("de", "ar", "zh-Hans"))
    assert len(results) == 12
    for task, document, _ in results:
        assert len(document.pages) == 2, task.path
        assert _margin_overflow(document) == [], task.path


def test_the_margin_check_can_fail(tmp_path, monkeypatch):
    """Without the measured margins, the long clinic's header overflows on every page."""
    monkeypatch.setattr(handout_module, "_margins", lambda document, stylesheet, edge_mm=0: {})
    content = _long_clinic_project(tmp_path)
    (task, document, _), *_ = _laid_out(content, monkeypatch, langs=("en",), clinics=("at-limits-wide",))
    assert _margin_overflow(document) == [(1, "@top-left"), (2, "@top-left")]
