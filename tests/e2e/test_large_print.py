"""The large-print handout (issue 15, item 5), read back from its PDFs.

What large-print guidance asks for (ACB, APH, RNIB) is measured on the
files, not on the stylesheet: the smallest body text, the running header
and footer, the line spacing, an inch of clear paper on every side, lines no
wider than six inches, no italics, the clinic's name and phone on every
page, no heading last on a page, no list item split across two pages.

The PDF's running header and footer are told from the body by the boxes
drawn around them: the page's topmost box (the header, ruled below) and
its lowest (the footer, ruled above); the page number sits below the
footer's rule.
"""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter, defaultdict
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader
from weasyprint.formatting_structure import boxes

import publisher.targets.handout as handout_module
from publisher.build.plan import Selection, plan
from publisher.content import load_project
from publisher.targets import targets
from tests.conftest import CONTENT, FIXTURES, SEED, TEMPLATES, run_cli

LANGS = ("en", "ar", "zh-Hans")
CLINIC = "riverside-physio"
NAME, PHONE = "Riverside Physiotherapy", "+44 20 7946 0000"
# Body sizes in pt: Noto Naskh Arabic is set 1.17 times larger than Latin to
# look as large (templates/large-print/large-print.css says why).
BODY = {"en": 18.0, "ar": 21.0, "zh-Hans": 18.0}
HEADINGS = {"en": (20.0, 22.0), "ar": (23.0, 26.0), "zh-Hans": (20.0, 22.0)}
RUNNING_MIN = 14.0  # the header and the footer
INCH = 72.0
PAPER = {"a4": (595.28, 841.89), "letter": (612.0, 792.0)}
SLACK = 0.05  # pt: sizes are written with five decimals


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("large-print")
    result = run_cli("build", "--content", str(CONTENT), "--output", str(out), "--format", "large-print",
                     "--lang", *LANGS, "--clinic", CLINIC)
    assert result.exit_code == 0, result.output
    return out


def _files(out: Path, lang: str = "*") -> list[Path]:
    return sorted(out.glob(f"*/{lang}/*/large-print-*.pdf"))


def _regions(page) -> dict[str, list[dict]]:
    """The page's printed characters, as header, body and footer."""
    frames = sorted(page.rects, key=lambda r: r["top"])
    header_bottom, footer_top = frames[0]["bottom"], frames[-1]["top"]
    found: dict[str, list[dict]] = {"header": [], "body": [], "footer": []}
    for char in page.chars:
        if not char["text"].strip():
            continue
        region = ("header" if char["bottom"] <= header_bottom + 1 else
                  "footer" if char["top"] >= footer_top - 1 else "body")
        found[region].append(char)
    return found


def _lines(chars: list[dict]) -> list[list[dict]]:
    """Characters grouped into lines, top of the page first: a character whose
    baseline is within a third of its size of the line's joins it (Arabic
    marks sit a little above or below their letter's baseline)."""
    lines: list[list[dict]] = []
    for char in sorted(chars, key=lambda c: -c["matrix"][5]):
        if lines and lines[-1][0]["matrix"][5] - char["matrix"][5] < char["size"] / 3:
            lines[-1].append(char)
        else:
            lines.append([char])
    return [sorted(line, key=lambda c: c["x0"]) for line in lines]


def _baseline(line: list[dict]) -> float:
    """The baseline most of the line's characters sit on."""
    return Counter(round(c["matrix"][5], 1) for c in line).most_common(1)[0][0]


def _measured(pdf: Path) -> list[dict[str, list[dict]]]:
    with pdfplumber.open(pdf) as doc:
        return [_regions(page) | {"size": (page.width, page.height)} for page in doc.pages]


def _smallest(pages, region: str) -> float:
    return min(char["size"] for page in pages for char in page[region])


def _flat(chars: list[dict]) -> str:
    return re.sub(r"\s+", "", "".join(c["text"] for line in _lines(chars) for c in line))


def test_built_by_default_beside_the_handout_with_its_own_name_in_the_manifest(tmp_path):
    result = run_cli("build", "--content", str(CONTENT), "--output", str(tmp_path), "--lang", "en",
                     "--clinic", "default", "--dry-run")
    assert result.exit_code == 0, result.output
    would = sorted(line.split()[2].rsplit("/", 1)[1] for line in result.output.splitlines()
                   if line.startswith("would render ") and not line.split()[2].startswith("site/"))
    assert would == ["deck-16x9.pptx", "handout-a4.pdf", "handout-letter.pdf", "large-print-a4.pdf",
                     "large-print-letter.pdf", "poster-a2.pdf", "poster-a3.pdf", "poster-tabloid.pdf"]


def test_files_manifest_paper_and_tags(built):
    manifest = json.loads((built / "manifest.json").read_text())
    entries = {entry["path"]: entry for entry in manifest["artifacts"]}
    assert sorted(entries) == sorted(f"{SEED}/{lang}/{CLINIC}/large-print-{variant}.pdf"
                                     for lang in LANGS for variant in ("a4", "letter"))
    for path, entry in entries.items():
        assert (entry["format"], entry["variant"]) == ("large-print", path.rsplit("-", 1)[1].removesuffix(".pdf"))
        reader = PdfReader(built / path)
        assert entry["pages"] == len(reader.pages)
        for page in reader.pages:
            size = (float(page.mediabox.width), float(page.mediabox.height))
            assert tuple(round(v, 1) for v in size) == tuple(round(v, 1) for v in PAPER[entry["variant"]])
        root = reader.trailer["/Root"]
        assert root["/Lang"] == entry["lang"]
        assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root
        assert b'pdfuaid:part="1"' in root["/Metadata"].get_object().get_data()
    # The two editions carry different fingerprints: a change to one's layout is not the other's.
    handout = plan(load_project(CONTENT), Selection(langs=("en",), clinics=(CLINIC,),
                                                    formats=("handout", "large-print")), TEMPLATES)
    inputs = {(task.format, task.variant): task.inputs for task, _ in handout.jobs}
    assert inputs[("handout", "a4")] != inputs[("large-print", "a4")]


@pytest.mark.parametrize("lang", LANGS)
def test_type_is_large_in_body_header_and_footer(built, lang):
    for pdf in _files(built, lang):
        pages = _measured(pdf)
        assert _smallest(pages, "body") >= BODY[lang] - SLACK, pdf
        assert _smallest(pages, "header") >= RUNNING_MIN - SLACK, pdf
        assert _smallest(pages, "footer") >= RUNNING_MIN - SLACK, pdf
        fonts = {char["fontname"] for page in pages for region in ("header", "body", "footer")
                 for char in page[region]}
        assert not [f for f in fonts if re.search("italic|oblique", f, re.I)], fonts
        # Headings: larger than the body, bold, within 20-22 pt (scaled for Arabic).
        low, high = HEADINGS[lang]
        larger = {round(c["size"], 1) for page in pages for c in page["body"] if c["size"] > BODY[lang] + SLACK}
        assert larger and all(low - SLACK <= size <= high + SLACK for size in larger), (pdf, larger)
        assert all("Bold" in c["fontname"] for page in pages for c in page["body"]
                   if c["size"] > BODY[lang] + SLACK and c["text"].strip() not in "•·")


@pytest.mark.parametrize("lang", LANGS)
def test_line_spacing_margins_and_measure(built, lang):
    for pdf in _files(built, lang):
        for number, page in enumerate(_measured(pdf), 1):
            width, height = page["size"]
            chars = page["header"] + page["body"] + page["footer"]
            # An inch of clear paper on every side, the running header and footer included.
            edge = min(min(c["x0"], width - c["x1"], c["top"], height - c["bottom"]) for c in chars)
            assert edge >= INCH - 0.5, (pdf, number, edge / INCH)
            # No line wider than six inches.
            widest = max(line[-1]["x1"] - line[0]["x0"] for line in _lines(chars))
            assert widest <= 6 * INCH + 0.5, (pdf, number, widest / INCH)
            # Leading: consecutive lines of body text at least 1.25 times the size apart.
            body = _lines(page["body"])
            for upper, lower in zip(body, body[1:]):
                size = max(c["size"] for c in upper + lower)
                if all(abs(c["size"] - BODY[lang]) < SLACK for c in upper + lower):
                    assert _baseline(upper) - _baseline(lower) >= 1.25 * size - SLACK, (pdf, number)


@pytest.mark.parametrize("lang", LANGS)
def test_the_clinic_name_and_phone_are_on_every_page(built, lang):
    for pdf in _files(built, lang):
        for number, page in enumerate(_measured(pdf), 1):
            header = _flat(page["header"])
            assert NAME.replace(" ", "") in header and PHONE.replace(" ", "") in header, (pdf, number, header)


def _last_body_line(page) -> list[dict]:
    return _lines(page["body"])[-1]


@pytest.mark.parametrize("lang", LANGS)
def test_no_heading_ends_a_page_and_the_page_count_is_reasonable(built, lang):
    counts = {}
    for pdf in _files(built, lang):
        pages = _measured(pdf)
        counts[pdf.name] = len(pages)
        for number, page in enumerate(pages[:-1], 1):
            line = _last_body_line(page)
            assert max(c["size"] for c in line) <= BODY[lang] + SLACK, (
                pdf, number, "".join(c["text"] for c in line))
    # The two-page handout at 18 pt or more: more pages, but not without end.
    assert all(3 <= n <= 10 for n in counts.values()), counts
    assert abs(counts["large-print-a4.pdf"] - counts["large-print-letter.pdf"]) <= 1, counts


def test_the_heading_check_can_fail(built):
    """A page cut after the first heading of the English handout is caught by the measure above."""
    pages = _measured(_files(built, "en")[0])
    first = pages[1]
    heading = next(i for i, line in enumerate(_lines(first["body"])) if line[0]["size"] > BODY["en"] + SLACK)
    cut = {"body": [c for line in _lines(first["body"])[:heading + 1] for c in line]}
    assert max(c["size"] for c in _last_body_line(cut)) > BODY["en"] + SLACK


def _laid_out(content: Path, monkeypatch, templates: Path = TEMPLATES, **selection):
    """Each large-print file the selection asks for, as (task, WeasyPrint document)."""
    captured = []
    original = handout_module.write_pdf

    def keep(document):
        captured.append(document)
        return original(document)

    monkeypatch.setattr(handout_module, "write_pdf", keep)
    planned = plan(load_project(content), Selection(formats=("large-print",), **selection), templates)
    found = []
    for task, job in planned.jobs:
        targets()["large-print"].render(job)
        found.append((task, captured.pop()))
    return found


def _split_items(document) -> list[str]:
    """The list items whose boxes lie on more than one page."""
    pages_of: dict[int, set[int]] = defaultdict(set)
    text: dict[int, str] = {}
    for number, page in enumerate(document.pages):
        for box in page._page_box.descendants():
            if isinstance(box, boxes.BlockBox) and box.element is not None and box.element_tag == "li":
                pages_of[id(box.element)].add(number)
                text[id(box.element)] = box.element.get("id") or ""
    return [text[key] for key, pages in pages_of.items() if len(pages) > 1]


def test_no_list_item_is_split_across_pages(monkeypatch):
    """The seed, and the fixture with the longest lists and most warnings, in three scripts."""
    content = FIXTURES / "articles"
    results = _laid_out(CONTENT, monkeypatch, langs=LANGS, clinics=("default",))
    results += _laid_out(content.parent, monkeypatch, articles=("long-lists-many-warnings",), clinics=("test-clinic",))
    assert len(results) >= 8
    assert [(task.path, _split_items(doc)) for task, doc in results if _split_items(doc)] == []


def test_the_split_check_can_fail(tmp_path, monkeypatch):
    """Without `break-inside: avoid`, a list item runs over a page break in the seed."""
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    css = templates / "large-print" / "large-print.css"
    css.write_text(css.read_text().replace("break-inside: avoid;", "break-inside: auto;"))
    results = _laid_out(CONTENT, monkeypatch, templates, langs=LANGS, clinics=("default",))
    assert any(_split_items(doc) for _, doc in results)


def test_a_warning_past_page_one_is_pointed_to_and_stays_prominent(monkeypatch):
    """At 18 pt the short fixture's warning falls on a later page: page 1 says which."""
    [(task, document), *_] = _laid_out(FIXTURES / "hydration", monkeypatch, langs=("en",))
    page = next(n for n, p in enumerate(document.pages, 1) if "warning-signs" in p.anchors)
    assert page > 1
    pointer = next(b for b in document.pages[0]._page_box.descendants()
                   if isinstance(b, boxes.BlockBox) and b.element is not None
                   and "warning-pointer" in b.element.get("class", ""))
    said = re.sub(r"[\u2066-\u2069]", "", " ".join(t.text for t in pointer.descendants()
                                                   if isinstance(t, boxes.TextBox)))
    assert re.sub(r"\s+", " ", said) == (f"Important warning on page {page}:"
                                         " Call your clinic or an emergency number if you have")
    # The warning itself: its icon, a bold title larger than the body, bold items at body size or more.
    texts = [b for b in document.pages[page - 1]._page_box.descendants() if isinstance(b, boxes.TextBox)]
    title = next(b for b in texts if "Call your clinic or an emergency" in b.text)
    item = next(b for b in texts if "confusion or fainting" in b.text)
    px = 4 / 3  # WeasyPrint's sizes are in CSS pixels
    assert title.style["font_size"] >= 20 * px - 0.01 and title.style["font_weight"] >= 700
    assert item.style["font_size"] >= 18 * px - 0.01 and item.style["font_weight"] >= 700


def test_a_clinic_at_the_schemas_limits_keeps_its_inch_and_its_name_on_every_page(tmp_path):
    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    shutil.copytree(CONTENT / "articles" / SEED, content / "articles" / SEED)
    (content / "clinics").mkdir()
    for name in ("at-limits-wide.yaml", "wide-logo.svg"):
        shutil.copy2(FIXTURES / "clinics" / name, content / "clinics" / name)
    out = tmp_path / "out"
    result = run_cli("build", "--content", str(content), "--output", str(out), "--format", "large-print",
                     "--lang", "en", "ar")
    assert result.exit_code == 0, result.output
    name = "Saint Bartholomew-Montgomery Community Musculoskeletal Rehabilitation Centre, NW"
    for pdf in _files(out):
        for number, page in enumerate(_measured(pdf), 1):
            width, height = page["size"]
            chars = page["header"] + page["body"] + page["footer"]
            assert min(min(c["x0"], width - c["x1"], c["top"], height - c["bottom"]) for c in chars) >= INCH - 0.5
            assert name.replace(" ", "") in _flat(page["header"]), (pdf, number)
            assert _smallest([page], "header") >= RUNNING_MIN - SLACK
