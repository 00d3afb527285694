"""Build the shipped content's decks through the CLI and read them back."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
import zipfile

import pytest
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.oxml.ns import qn

from publisher.content import load_project
from tests.conftest import CONTENT, SEED, TEMPLATES, require_tool
from tests.deck_tools import all_runs, decks, measured_overflows, open_deck, pdf_pages, pdf_words, slide_title, to_pdf

DEFAULT_DECK = f"{SEED}/en/default/deck-16x9.pptx"
TITLES = [
    "Muscle mass loss: the hidden link to chronic pain and how to address it",
    "Agenda",
    "Today's question",
    "Muscle loss and pain",
    "How muscle loss leads to pain",
    "Preventing and managing pain",
    "In short",
    "Take-home messages",
    "Questions?",
    "Sources and disclaimer",
]
LAYOUTS = ["Title Slide", "Title and Content", "Statement"] + ["Title and Content"] * 5 + [
    "Closing", "Title and Content"]


@pytest.fixture(scope="module")
def seed_pdfs(seed_output, tmp_path_factory):
    require_tool("soffice", "pdfinfo", "pdftotext")
    return dict(zip(decks(seed_output), to_pdf(decks(seed_output), tmp_path_factory.mktemp("deck-pdf"))))


def test_every_clinic_gets_a_deck_in_the_manifest(seed_output):
    assert [p.relative_to(seed_output).as_posix() for p in decks(seed_output)] == [
        DEFAULT_DECK, f"{SEED}/en/riverside-physio/deck-16x9.pptx"]
    manifest = json.loads((seed_output / "manifest.json").read_text())
    entries = [a for a in manifest["artifacts"] if a["format"] == "deck" and a["lang"] == "en"
               and not a["path"].startswith("site/")]  # not the web sites' copies
    assert len(entries) == 2
    for entry in entries:
        prs = open_deck(seed_output / entry["path"])
        assert entry["variant"] == "16x9" and entry["lang"] == "en"
        assert entry["pages"] == len(prs.slides) == len(TITLES)
        assert (prs.slide_width, prs.slide_height) == (12192000, 6858000)  # 16:9


def test_slides_titles_and_layouts_in_order(seed_output):
    prs = open_deck(seed_output / DEFAULT_DECK)
    assert [slide_title(s) for s in prs.slides] == TITLES
    assert [s.slide_layout.name for s in prs.slides] == LAYOUTS
    for slide in prs.slides:
        assert slide.shapes.title.placeholder_format.idx == 0  # a real title placeholder, for screen readers


def test_slide_text_is_short_and_notes_carry_the_full_text(seed_output):
    prs = open_deck(seed_output / DEFAULT_DECK)
    slides = {slide_title(s): s for s in prs.slides}
    body = slides["How muscle loss leads to pain"].placeholders[1].text_frame.text
    # Short headings carry their explanation's first sentence where the slide has room (issue 12).
    assert body.splitlines() == ["Less muscle means less support, which can cause pain in four ways:",
                                 "Joint pain: With less muscle, your joints carry more of the load.",
                                 "Poor posture: Weak muscles cannot hold your body upright.",
                                 "Less flexibility: As muscles get weaker, you become less flexible.",
                                 "Higher risk of injury: Weak muscles are injured more easily."]
    notes = " ".join(s.notes_slide.notes_text_frame.text for s in prs.slides if s.has_notes_slide)
    article = load_project(CONTENT).articles[SEED].article
    for section in article.sections:
        for block in section.blocks:
            for text in [getattr(block, "text", None)] + [item.text for item in getattr(block, "items", [])]:
                if text:
                    assert text in notes, text
    assert "Joint pain: With less muscle, your joints carry more of the load." in notes
    assert "Ask the group which of these four they notice most in daily life." in notes  # a section's notes
    assert article.metadata.disclaimer in notes


def test_clinic_identity_contact_and_alt_text(seed_output):
    prs = open_deck(seed_output / f"{SEED}/en/riverside-physio/deck-16x9.pptx")
    first, closing = prs.slides[0], prs.slides[8]
    assert "Riverside Physiotherapy" in [s.text_frame.text for s in first.shapes if s.has_text_frame]
    contact = closing.placeholders[1].text_frame.text
    assert contact.splitlines() == ["Riverside Physiotherapy", "Phone: +44 20 7946 0000",
                                    "Web: riverside-physio.example.org"]
    for slide in prs.slides:
        for picture in (s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE):
            assert picture._element.find(".//" + qn("p:cNvPr")).get("descr") == \
                "Riverside Physiotherapy logo, a green wave"
    pictures = [s for slide in prs.slides for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pictures) == len(prs.slides)  # the logo, on every slide
    theme = [p for p in prs.part.package.iter_parts() if p.partname.endswith("theme1.xml")][0].blob.decode()
    assert 'name="Publisher"' in theme and "1B5E3B" in theme and "E6F2EB" in theme  # the clinic's colours


def test_every_run_has_language_and_typefaces(seed_output):
    for deck in decks(seed_output):
        count = 0
        for where, rpr in all_runs(open_deck(deck)):
            count += 1
            assert rpr.get("lang") == "en", where
            faces = {child.tag.split("}")[1]: child.get("typeface") for child in rpr}
            assert set(faces) >= {"latin", "ea", "cs"}, where
            assert all(faces[k].startswith(("+mj-", "+mn-")) for k in ("latin", "ea", "cs")), where
            assert rpr.find(qn("a:latin")) is not None
        assert count > 100


def test_no_text_overflows_and_sizes_respect_the_floors(seed_output):
    for deck in decks(seed_output):
        prs = open_deck(deck)
        assert measured_overflows(prs) == []
        for slide in prs.slides:
            for shape in slide.placeholders:
                sizes = {int(r.get("sz")) / 100 for r in shape._element.iter(qn("a:rPr"))}
                floor = 28 if shape.placeholder_format.idx == 0 else 20
                assert all(size >= floor for size in sizes), (slide_title(slide), shape.name, sizes)
        body_sizes = [int(r.get("sz")) / 100 for r in prs.slides[3].placeholders[1]._element.iter(qn("a:rPr"))]
        assert set(body_sizes) == {32}  # short bullets keep the layout's full size


def test_identical_bytes_fixed_zip_times_and_content_dates(seed_output, tmp_path):
    from tests.conftest import run_cli
    result = run_cli("build", "--content", str(CONTENT), "--output", str(tmp_path), "--format", "deck")
    assert result.exit_code == 0, result.output
    for deck in decks(seed_output):
        assert (tmp_path / deck.relative_to(seed_output)).read_bytes() == deck.read_bytes()
        with zipfile.ZipFile(deck) as archive:
            names = archive.namelist()
            assert names[:2] == ["[Content_Types].xml", "_rels/.rels"] and names[2:] == sorted(names[2:])
            assert {info.date_time for info in archive.infolist()} == {(2026, 11, 1, 0, 0, 0)}
        props = open_deck(deck).core_properties
        assert props.created == props.modified == dt.datetime(2026, 11, 1)
        assert props.title == TITLES[0] and props.language == "en" and props.revision == 1
        assert props.last_modified_by == "publisher"


def test_openxml_audit_finds_no_errors(seed_output):
    for deck in decks(seed_output):
        result = subprocess.run([sys.executable, "-m", "openxml_audit", "-o", "json", str(deck)],
                                capture_output=True, text=True)
        report = json.loads(result.stdout)
        report = report[0] if isinstance(report, list) else report
        assert report["error_count"] == 0, report["errors"]
        assert result.returncode == 0


def test_libreoffice_opens_every_deck_with_one_page_per_slide(seed_output, seed_pdfs):
    for deck, pdf in seed_pdfs.items():
        assert pdf_pages(pdf) == len(open_deck(deck).slides)


def test_rendered_text_stays_inside_its_boxes(seed_pdfs):
    """In LibreOffice's rendering, no word leaves the page or runs into the footer band."""
    for deck, pdf in seed_pdfs.items():
        prs = open_deck(deck)
        clinic = prs.slides[0].placeholders[13].text_frame.text.split()
        for slide, words in zip(prs.slides, pdf_words(pdf)):
            assert words, slide_title(slide)
            footer_top = 6.65 * 72  # the footer band's top (tools/make_deck_master.py)
            for x0, y0, x1, y1, word in words:
                assert 0 <= x0 and x1 <= 13.333 * 72 - 0.5 * 72 + 1 and y0 >= 0, (slide_title(slide), word)
                if slide.slide_layout.name in ("Title and Content", "Statement") and y1 > footer_top:
                    assert word in clinic, (slide_title(slide), word)


def test_content_is_never_template_code(project):
    project.edit_article("heading: Joint pain", 'heading: "Joint {{ 7 * 7 }} {% if 1 %}pain{% endif %} <b>&</b> \\"q\\""')
    result = project.cli("build", "--clinic", "default", "--format", "deck")
    assert result.exit_code == 0, result.output
    prs = open_deck(project.root / "output" / DEFAULT_DECK)
    body = prs.slides[4].placeholders[1].text_frame.text
    # The heading leads its explanation's first sentence (issue 12), still as written.
    assert 'Joint {{ 7 * 7 }} {% if 1 %}pain{% endif %} <b>&</b> "q":' in [line.split(" With")[0]
                                                                           for line in body.splitlines()]


def test_a_heading_too_long_for_any_title_size_points_at_the_heading(project):
    long = " ".join(["Preventing"] * 40)
    project.edit_article("heading: In short", f"heading: {long}")
    project.waive("reading-level", "sentence-length")
    result = project.cli("build", "--clinic", "default", "--format", "deck")
    assert result.exit_code == 1
    line = project.line_of(long)
    assert [x for x in result.stderr.splitlines() if not x.startswith(("[", "note: "))] == [
        f"{project.article_file}:{line}:14: sections[3].heading: the text for 'Title' on the slide '{long}'"
        " does not fit even at 28 pt — write a shorter `slide_title` for the slides",
        "Aborted: 1 error in 1 file.",
    ]
    assert not (project.root / "output").exists()


def test_two_sections_with_one_heading_are_refused(project):
    project.edit_article("heading: In short", "heading: Muscle loss and pain")
    result = project.cli("build", "--clinic", "default", "--format", "deck")
    assert result.exit_code == 1
    assert re.search(r"sections\[3\]\.heading: 2 slides have the title 'Muscle loss and pain' — give this"
                     r" section a `slide_title` of its own", result.stderr)


@pytest.mark.parametrize("lang", ["ar", "de", "es", "fr", "zh-Hans"])
def test_a_draft_translation_says_so_on_the_first_slide(seed_output, lang):
    import yaml

    labels = TEMPLATES / "labels" / f"{lang}.yaml"
    notice = yaml.safe_load(labels.read_text(encoding="utf-8"))["units"]["unreviewed"]["text"]
    first = open_deck(seed_output / f"{SEED}/{lang}/default/deck-16x9.pptx").slides[0]
    assert notice in [p.text for s in first.shapes if s.has_text_frame for p in s.text_frame.paragraphs]
    assert notice in first.notes_slide.notes_text_frame.text
    english = open_deck(seed_output / DEFAULT_DECK).slides[0]
    assert "clinician" not in " ".join(s.text_frame.text for s in english.shapes if s.has_text_frame)


def test_an_arabic_deck_is_laid_out_right_to_left(seed_output):
    """The project's master is mirrored: title rule under the start of the title, logo at the
    far end of the footer; phone and web address keep their left-to-right order."""
    for lang, logo_on_left in (("en", False), ("ar", True)):
        prs = open_deck(seed_output / f"{SEED}/{lang}/riverside-physio/deck-16x9.pptx")
        middle = prs.slide_width // 2
        content = [s for s in prs.slides if s.slide_layout.name == "Title and Content"]
        logos = [p for s in content for p in s.shapes if p.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert logos and all((p.left + p.width < middle) == logo_on_left for p in logos), lang
        rule, = [s for s in content[0].slide_layout.shapes if s.name == "Title rule"]
        assert (rule.left + rule.width < middle) != logo_on_left, lang
    closing = [s for s in prs.slides if s.slide_layout.name == "Closing"][0]
    contact = closing.placeholders[1].text_frame.text
    assert "\u200e+44 20 7946 0000\u200e" in contact and "\u200eriverside-physio.example.org\u200e" in contact


def test_every_slide_has_speaker_notes(seed_output):
    for deck in decks(seed_output, "*"):
        for number, slide in enumerate(open_deck(deck).slides, 1):
            assert slide.has_notes_slide and slide.notes_slide.notes_text_frame.text.strip(), (deck, number)
