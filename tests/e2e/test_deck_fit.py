"""Text always fits: 40 % longer than English (as translations often are), and
words too long for any line, measured and then rendered by LibreOffice."""

from __future__ import annotations

import shutil

import pytest
from pptx.oxml.ns import qn

from tests.conftest import SEED, TEMPLATES, require_tool
from tests.deck_tools import lengthen_yaml, measured_overflows, open_deck, pdf_pages, pdf_words, slide_title, to_pdf

DECK = f"output/{SEED}/en/default/deck-16x9.pptx"
LONG_WORD = "Hippopotomonstrosesquippedaliophobia" * 4  # 144 letters, no place to break


def _check(deck_path, tmp_path):
    prs = open_deck(deck_path)
    assert measured_overflows(prs) == []
    titles = [slide_title(s) for s in prs.slides]
    assert all(titles) and len(set(titles)) == len(titles), titles
    for slide in prs.slides:
        for shape in slide.placeholders:
            floor = 28 if shape.placeholder_format.idx == 0 else 20
            assert all(int(r.get("sz")) >= floor * 100 for r in shape._element.iter(qn("a:rPr")))
    require_tool("soffice", "pdfinfo", "pdftotext")
    (pdf,) = to_pdf([deck_path], tmp_path / "pdf")
    assert pdf_pages(pdf) == len(prs.slides)
    for slide, words in zip(prs.slides, pdf_words(pdf)):
        for x0, y0, x1, y1, word in words:
            assert x0 >= 0 and y0 >= 0 and x1 <= 13.333 * 72 - 0.5 * 72 + 1, (slide_title(slide), word, x1)
    return prs


@pytest.fixture
def longer(project, tmp_path):
    """The seed article, the clinic and the template wording, every text 40 % longer."""
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    lengthen_yaml(project.article_path)
    lengthen_yaml(project.content / "clinics" / "default.yaml", {"name", "phone", "logo_alt"})
    lengthen_yaml(templates / "labels" / "en.yaml", keys=None)
    return templates


def test_text_40_percent_longer_still_fits(project, longer, tmp_path):
    result = project.cli("build", "--templates", str(longer), "--clinic", "default", "--format", "deck", "--lang", "en")
    assert result.exit_code == 0, result.output
    prs = _check(project.root / DECK, tmp_path)
    sizes = {int(r.get("sz")) // 100 for s in prs.slides for r in s.placeholders[1]._element.iter(qn("a:rPr"))
             if s.slide_layout.name == "Title and Content"}
    assert min(sizes) < 32  # something had to shrink to fit


def test_a_long_list_continues_on_numbered_continuation_slides(project, tmp_path):
    items = "".join(f"""
          - id: extra-{n}
            heading: Extra strategy number {n} with a longer heading
            text: Extra text {n}.""" for n in range(1, 15))
    project.edit_article("            heading: Make a pain plan", "            heading: Make a pain plan" + "\n"
                         "            text: Talk to a professional." + items + "\n          - id: last-one")
    project.waive("list-length")
    result = project.cli("build", "--clinic", "default", "--format", "deck", "--lang", "en")
    assert result.exit_code == 0, result.output
    prs = _check(project.root / DECK, tmp_path)
    titles = [slide_title(s) for s in prs.slides]
    first = titles.index("Preventing and managing pain")
    assert titles[first + 1:first + 3] == ["Preventing and managing pain (continued, 2 of 3)",
                                           "Preventing and managing pain (continued, 3 of 3)"]
    starts = []
    for slide in list(prs.slides)[first:first + 3]:
        numbers = slide.placeholders[1]._element.findall(".//" + qn("a:buAutoNum"))
        assert len({n.get("startAt") for n in numbers}) == 1  # one run per slide, numbered on from its start
        starts.append((int(numbers[0].get("startAt")), len(numbers)))
    assert starts[0][0] == 1 and starts[1][0] == 1 + starts[0][1] and starts[2][0] == starts[1][0] + starts[1][1]
    notes = prs.slides[first + 2].notes_slide.notes_text_frame.text
    assert "Extra text 14." in notes and "Extra text 1." not in notes  # notes follow their bullets


def test_words_longer_than_a_line_are_broken_not_overflowing(project, tmp_path):
    project.edit_article("heading: In short", f"heading: Short {LONG_WORD[:60]}")
    project.edit_article("text: Knowing the link helps you prevent and manage pain",
                         f"text: Knowing {LONG_WORD} helps")
    project.edit_article("      Weaker muscles give your joints, back and neck less support.",
                         f"      Weaker {LONG_WORD}{LONG_WORD} support.")
    project.waive("reading-level", "sentence-length")
    result = project.cli("build", "--clinic", "default", "--format", "deck", "--lang", "en")
    assert result.exit_code == 0, result.output
    prs = _check(project.root / DECK, tmp_path)
    text = " ".join(s.placeholders[1].text_frame.text.replace("\n", "") for s in list(prs.slides)[3:4])
    assert LONG_WORD in text  # broken only on screen, never in the text
