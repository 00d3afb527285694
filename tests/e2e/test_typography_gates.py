"""Typography gates on built files (issue 15, item 3): the shipped article passes
them in every language, and each gate catches a planted defect with its exact message.

The gates are called directly on OutputSubjects made from built files, with
their documented thresholds for the file's language (tests/typo_tools.py).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pptx.oxml.ns import qn

from tests.conftest import CONTENT, SEED
from tests.typo_tools import build, edit, findings, printed, refused, subject, template_copy, thresholds, written_in

LANGS = ("en", "es", "fr", "de", "zh-Hans", "ar")
PDFS = ("handout-a4.pdf", "handout-letter.pdf", "poster-a3.pdf", "poster-a2.pdf", "poster-tabloid.pdf")
ERROR_GATES = ("type-size", "no-italic", "no-justify", "no-stray-hyphen")
FILE = f"{SEED}/en/default"


@pytest.fixture(scope="module")
def shipped(tmp_path_factory) -> Path:
    """The shipped article in every language and format, for the default clinic."""
    out = tmp_path_factory.mktemp("typo-shipped")
    build(CONTENT, out)
    return out


def _built(tmp_path: Path, templates: Path, *args: str) -> Path:
    out = tmp_path / "out"
    build(CONTENT, out, "--templates", str(templates), "--lang", "en", *args)
    return out


# --- the shipped article passes -----------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_shipped_pdfs_pass_every_error_gate(shipped, lang):
    texts = printed(CONTENT, lang)
    for name in PDFS:
        subj = subject(shipped, lang, name, texts=texts)
        for gate in ERROR_GATES + ("paragraph-length",):
            assert findings(gate, subj) == [], f"{lang} {name} {gate}"


@pytest.mark.parametrize("lang", LANGS)
def test_shipped_decks_pass(shipped, lang):
    subj = subject(shipped, lang, "deck-16x9.pptx", written_in=written_in(CONTENT))
    for gate in ("deck-structure", "type-size", "no-italic"):
        assert findings(gate, subj) == [], f"{lang} {gate}"


def test_smallest_type_measured_per_format(shipped):
    """The smallest glyph of each file, read back: what the README promises, in every language."""
    from publisher.checks.gate import gates

    gate = gates()["type-size"]
    for lang in LANGS:
        for name, floor in (("handout-a4.pdf", 12), ("handout-letter.pdf", 12), ("poster-a3.pdf", 18),
                            ("poster-tabloid.pdf", 18), ("poster-a2.pdf", 25.5), ("deck-16x9.pptx", 20)):
            subj = subject(shipped, lang, name)
            (score,) = gate.scores(subj, thresholds("type-size", lang))
            assert score.passed and score.limit == floor and score.value >= floor, (lang, name, score)


# --- type-size ----------------------------------------------------------------------------------

FOOTERS = {
    "en": "Version 1.0 · Review date: November 1, 2028",
    "ar": "الإصدار 1.0 · تاريخ المراجعة: 1 نوفمبر 2028",
    "zh-Hans": "版本：1.0 · 审核日期：2028年11月1日",
}


def test_type_size_catches_a_footer_at_10pt(tmp_path):
    """The issue's planted failure: the footer set at 10 pt through a template change, caught
    in every script (Arabic quoted in reading order, its digits left to right)."""
    templates = template_copy(tmp_path)
    css = templates / "handout" / "handout.css"
    edit(css, "border-top: 1pt solid var(--primary);\n  font-size: 12pt;",
         "border-top: 1pt solid var(--primary);\n  font-size: 10pt;")
    out = tmp_path / "out"
    build(CONTENT, out, "--templates", str(templates), "--lang", *FOOTERS, "--format", "handout")
    line = next(n for n, text in enumerate(css.read_text().splitlines(), 1) if "font-size: 10pt" in text)
    for lang, footer in FOOTERS.items():
        where = f"{css.as_posix()}:{line}:3: [type-size] {SEED}/{lang}/default/handout-a4.pdf"
        assert findings("type-size", subject(out, lang, "handout-a4.pdf", templates_dir=templates)) == [
            f"{where}, page {page}: text set at 10 pt, below the 12 pt that a handout allows: '{footer}' — set it"
            f" at 12 pt or larger in {css.as_posix()}" for page in (1, 2)], lang
    # `publisher build` runs the gate on each file before writing: it refuses, located, and writes nothing.
    lines = refused(CONTENT, tmp_path / "refused", "--templates", str(templates), "--lang", "en", "--format",
                    "handout")
    where = f"{css.as_posix()}:{line}:3: [type-size] "
    assert lines and all(found.startswith(where) for found in lines), lines
    assert any("text set at 10 pt, below the 12 pt that a handout allows" in found for found in lines), lines


def test_type_size_reads_the_matrix_not_the_font_size(tmp_path):
    """20 pt type shrunk to half by a transform is 10 pt on paper."""
    templates = template_copy(tmp_path)
    edit(templates / "handout" / "handout.css", ".question { font-size: 15pt;",
         ".question { transform: scale(0.5); font-size: 20pt;")
    out = _built(tmp_path, templates, "--format", "handout")
    found = findings("type-size", subject(out, "en", "handout-a4.pdf", templates_dir=templates))
    assert len(found) == 1
    assert re.search(r"page 1: text set at 10 pt, below the 12 pt that a handout allows: 'Can loss of muscle"
                     r" mass cause pain\?'", found[0]), found


def test_type_size_poster_floor_comes_from_the_sheet(tmp_path):
    templates = template_copy(tmp_path)
    poster_css = templates / "poster" / "poster.css"
    edit(poster_css, ".hero .question { margin-top: 0.35rem; font-size: 1.25rem;",
         ".hero .question { margin-top: 0.35rem; font-size: 0.5rem;")
    out = _built(tmp_path, templates, "--format", "poster")
    found = findings("type-size", subject(out, "en", "poster-a3.pdf", templates_dir=templates))
    assert len(found) == 1
    assert found[0].startswith(f"{poster_css.as_posix()}:1:1: [type-size] {FILE}/poster-a3.pdf, page 1: text set at ")
    assert " pt, below the 18 pt floor of a A3 poster (0.75 × its smallest body size, 24 pt): 'Can loss of" \
           " muscle mass cause pain?' — set it at 18 pt or larger in " in found[0], found


def test_type_size_catches_small_slide_text(shipped):
    subj = subject(shipped, "en", "deck-16x9.pptx")
    footer = next(s for s in _deck(subj.data).slides[1].shapes if s.name == "Footer")
    assert footer.text_frame.paragraphs[0].runs[0].font.size.pt == 20
    data = _edit_deck(subj.data, lambda prs: next(s for s in prs.slides[1].shapes if s.name == "Footer")
                      .text_frame.paragraphs[0].runs[0]._r.find(qn("a:rPr")).set("sz", "1600"))
    found = findings("type-size", subject_with(subj, data))
    assert found == [f"content/articles/{SEED}/article.yaml:1:1: [type-size] {FILE}/deck-16x9.pptx, slide 2"
                     " (Footer): text set at 16 pt, below the 20 pt a slide's text allows: 'Your Health Clinic' —"
                     " shorten the text so it fits at 20 pt, or give the slide master's placeholder a size of 20 pt"
                     " or more"]


# --- no-italic ----------------------------------------------------------------------------------

def test_no_italic_catches_an_italic_span(tmp_path):
    templates = template_copy(tmp_path)
    css = templates / "handout" / "handout.css"
    edit(css, "em, i { font-style: normal; font-weight: 700; }",
         "em, i { font-style: normal; font-weight: 700; }\n.question { font-style: italic; }")
    out = _built(tmp_path, templates, "--format", "handout")
    line = next(n for n, text in enumerate(css.read_text().splitlines(), 1) if "font-style: italic" in text)
    assert findings("no-italic", subject(out, "en", "handout-a4.pdf", templates_dir=templates)) == [
        f"{css.as_posix()}:{line}:13: [no-italic] {FILE}/handout-a4.pdf, page 1: italic text (font"
        " Publisher-Noto-Sans-Bold-Oblique): 'Can loss of muscle mass cause pain?' — set it upright (font-style:"
        f" normal; bold for emphasis) in {css.as_posix()}"]


def test_no_italic_catches_an_italic_run_on_a_slide(shipped):
    subj = subject(shipped, "en", "deck-16x9.pptx")
    data = _edit_deck(subj.data, lambda prs: prs.slides[3].shapes.title.text_frame.paragraphs[0].runs[0]
                      ._r.find(qn("a:rPr")).set("i", "1"))
    assert findings("no-italic", subject_with(subj, data)) == [
        f"content/articles/{SEED}/article.yaml:1:1: [no-italic] {FILE}/deck-16x9.pptx, slide 4 (Title): italic"
        " text: 'Muscle loss and pain' — set it upright in the slide master or the clinic's deck template (bold"
        " for emphasis)"]


# --- no-justify ---------------------------------------------------------------------------------

def test_no_justify_catches_justified_paragraphs(tmp_path):
    templates = template_copy(tmp_path)
    css = templates / "handout" / "handout.css"
    edit(css, "p { margin: 0 0 var(--gap);", "p { text-align: justify; margin: 0 0 var(--gap);")
    out = _built(tmp_path, templates, "--format", "handout")
    found = findings("no-justify", subject(out, "en", "handout-a4.pdf", templates_dir=templates))
    line = next(n for n, text in enumerate(css.read_text().splitlines(), 1) if "justify" in text)
    assert found, "a justified handout passed"
    assert found[0].startswith(
        f"{css.as_posix()}:{line}:5: [no-justify] {FILE}/handout-a4.pdf, page 1: a justified paragraph (1 of its 2"
        " lines have word spaces stretched, up to "), found[0]
    assert found[0].endswith(
        " pt): 'Loss of muscle mass is also called muscle atrophy. It is…' — align it to the start of the line"
        f" (text-align: start) in {css.as_posix()}"), found[0]
    # Lists and headings were left ragged: only paragraphs of two lines or more are named.
    assert all("a justified paragraph" in f for f in found) and len(found) >= 5, found


# --- no-stray-hyphen ----------------------------------------------------------------------------

def test_no_stray_hyphen_catches_hyphenation_the_text_did_not_ask_for(tmp_path):
    templates = template_copy(tmp_path)
    css = templates / "handout" / "handout.css"
    edit(css, "  hyphens: manual;\n}", "  hyphens: auto;\n}")
    out = tmp_path / "out"
    build(CONTENT, out, "--templates", str(templates), "--lang", "de", "--format", "handout")
    found = findings("no-stray-hyphen", subject(out, "de", "handout-a4.pdf", templates_dir=templates,
                                                texts=printed(CONTENT, "de")))
    line = next(n for n, text in enumerate(css.read_text().splitlines(), 1) if "hyphens: auto" in text)
    assert found, "a hyphenated handout passed"
    assert all(f.startswith(f"{css.as_posix()}:{line}:3: [no-stray-hyphen] {SEED}/de/default/handout-a4.pdf, page ")
               and " the line ends in a hyphen the text does not have, breaking '" in f
               and f.endswith(f" — turn automatic hyphenation off (hyphens: manual) in {css.as_posix()}, or shorten"
                              " the word") for f in found), found


def test_no_stray_hyphen_poster_exception_is_a_threshold(shipped, tmp_path):
    """A poster hyphenates only a word too wide for its tile even at the tile's smallest size: the
    shipped German posters have no break at all. A template that hyphenates every tile is allowed
    by the poster's threshold (words of 12 letters or more) only: without it each break is named."""
    from publisher.checks.gate import gates

    gate = gates()["no-stray-hyphen"]
    strict = {**thresholds("no-stray-hyphen", "de"), "hyphenated_word_min_letters": {}}
    texts = printed(CONTENT, "de")
    for name in ("poster-a3.pdf", "poster-a2.pdf", "poster-tabloid.pdf"):
        assert list(gate.check(subject(shipped, "de", name, texts=texts), strict)) == [], name
    templates = template_copy(tmp_path)
    css = templates / "poster" / "poster.css"
    edit(css, "line-height: 1.12; overflow-wrap: normal; }",
         "line-height: 1.12; hyphens: auto; hyphenate-limit-chars: 12 5 5; }")
    out = tmp_path / "out"
    build(CONTENT, out, "--templates", str(templates), "--lang", "de", "--format", "poster")
    subj = subject(out, "de", "poster-a3.pdf", texts=texts, templates_dir=templates)
    assert list(gate.check(subj, thresholds("no-stray-hyphen", "de"))) == []
    found = [str(f) for f in gate.check(subj, strict)]
    assert found, "hyphenating every tile breaks some German word"
    for line in found:
        assert re.fullmatch(rf"{re.escape(css.as_posix())}:\d+:\d+: \[no-stray-hyphen\] {SEED}/de/default/poster-a3\.pdf,"
                            r" page 1: the line ends in a hyphen the text does not have, breaking '\w{12,}' as"
                            r" '\w+-' \+ '\w+': '.*‐' — turn automatic hyphenation off \(hyphens: manual\) in"
                            rf" {re.escape(css.as_posix())}, or shorten the word", line), line


def test_no_stray_hyphen_keeps_a_hyphen_the_text_has(shipped):
    """'patient-education' breaks after its own hyphen on the letter handouts: not a stray hyphen."""
    subj = subject(shipped, "en", "handout-letter.pdf", texts=printed(CONTENT, "en"))
    assert findings("no-stray-hyphen", subj) == []
    without = tuple(t for t in subj.facts["texts"] if "patient-education" not in t.text)
    found = findings("no-stray-hyphen", subject(shipped, "en", "handout-letter.pdf", texts=without))
    assert [f.split(": [no-stray-hyphen] ")[1].split(": 'Adapted")[0] for f in found] == [
        f"{FILE}/handout-letter.pdf, page 2: the line ends in a hyphen the text does not have, breaking"
        " 'patienteducation' as 'patient-' + 'education'"]


# --- line-length and paragraph-length (warnings) ----------------------------------------------------

def test_line_length_passes_posters_and_warns_on_the_handout_measure(shipped):
    for lang in ("en", "de", "zh-Hans", "ar"):
        assert findings("line-length", subject(shipped, lang, "poster-a3.pdf")) == [], lang
    found = findings("line-length", subject(shipped, "en", "handout-a4.pdf"))
    assert found == [
        f"templates/handout/handout.css:4:1: [line-length] {FILE}/handout-a4.pdf, page 1: 14 of 38 lines are"
        " longer than 70 characters, the longest 83: 'Muscle loss may not cause pain by itself. But it can add a…' —"
        " narrow the text column or raise the type size in templates/handout/handout.css",
        f"templates/handout/handout.css:4:1: [line-length] {FILE}/handout-a4.pdf, page 2: 16 of 33 lines are"
        " longer than 70 characters, the longest 88: 'Pain and How to Address It” by liuqiyue. Written for:…' —"
        " narrow the text column or raise the type size in templates/handout/handout.css"]


def test_paragraph_length_names_the_article_text(project, tmp_path):
    ending = "you prevent and manage these problems."
    project.edit_article(ending, " ".join([ending] + ["Muscle loss may not cause pain directly."] * 30))
    out = tmp_path / "out"
    build(project.content, out, "--lang", "en", "--format", "handout")
    line = project.line_of("id: intro-why") + 1  # the paragraph's `text: >`, where its text is written
    found = findings("paragraph-length", subject(out, "en", "handout-a4.pdf", texts=printed(project.content, "en")))
    assert found == [
        f"{project.article_path.as_posix()}:{line}:15: [paragraph-length] {FILE}/handout-a4.pdf, page 1: a"
        " paragraph of 18 lines (more than 7): 'Muscle loss may not cause pain by itself. But it can add a…' —"
        " split it into shorter paragraphs, or make it a list"]


# --- deck-structure -----------------------------------------------------------------------------

def _deck(data: bytes):
    from pptx import Presentation

    return Presentation(io.BytesIO(data))


def _edit_deck(data: bytes, change) -> bytes:
    prs = _deck(data)
    change(prs)
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


def subject_with(subj, data: bytes):
    from dataclasses import replace

    return replace(subj, data=data)


DECK = f"content/articles/{SEED}/article.yaml:1:1: [deck-structure] {FILE}/deck-16x9.pptx"


def test_deck_structure_catches_an_untitled_slide_and_a_repeated_title(shipped):
    subj = subject(shipped, "en", "deck-16x9.pptx")

    def change(prs):
        prs.slides[2].shapes.title.text_frame.paragraphs[0].runs[0].text = ""
        prs.slides[4].shapes.title.text_frame.paragraphs[0].runs[0].text = "Muscle loss and pain"

    assert findings("deck-structure", subject_with(subj, _edit_deck(subj.data, change))) == [
        f"{DECK}, slide 3: the slide has no title — give the slide a title: a layout with a title placeholder, and"
        " a title for it in templates/deck/outline.yaml.j2",
        f"{DECK}, slide 5: the title 'Muscle loss and pain' is also the title of slide 4 — give each slide a title"
        " of its own; a slide that goes on from another says so (the deck_continued label)"]


def test_deck_structure_catches_a_picture_without_descr_and_a_run_without_lang(shipped):
    subj = subject(shipped, "en", "deck-16x9.pptx")

    def change(prs):
        logo = next(s for s in prs.slides[1].shapes if s.name == "Logo")
        logo._element.find(f".//{qn('p:cNvPr')}").set("descr", "")
        del prs.slides[3].shapes.title.text_frame.paragraphs[0].runs[0]._r.find(qn("a:rPr")).attrib["lang"]
        prs.slides[5].shapes.title.text_frame.paragraphs[0].runs[0]._r.find(qn("a:rPr")).set("lang", "fr-FR")

    assert findings("deck-structure", subject_with(subj, _edit_deck(subj.data, change))) == [
        f"{DECK}, slide 2: the picture 'Logo' has no alternative text — describe it: the clinic's logo_alt, or the"
        " icon's alt in templates/icons/icons.yaml",
        f"{DECK}, slide 4: a run is not tagged with its language: 'Muscle loss and pain' — tag it lang=\"en\""
        " (a:rPr lang): the deck writer tags every run",
        f"{DECK}, slide 6: a run is tagged 'fr-FR', not the deck's language 'en': 'Preventing and managing pain' —"
        " tag it with the deck's language, as the deck writer does for every run"]


def test_deck_structure_catches_a_title_after_another_shape(shipped):
    subj = subject(shipped, "en", "deck-16x9.pptx")

    def change(prs):
        tree = prs.slides[6].shapes._spTree
        title = prs.slides[6].shapes.title._element
        tree.remove(title)
        tree.append(title)

    assert findings("deck-structure", subject_with(subj, _edit_deck(subj.data, change))) == [
        f"{DECK}, slide 7: the title 'In short' is not first in reading order (after 'Body') — put the title"
        " placeholder first in the layout's shape tree (Selection Pane: bottom of the list) in"
        " templates/deck/master.pptx or the clinic's deck template"]
