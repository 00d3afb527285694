"""Decks for a clinic at the schema's limits: an 80-character name, a 4:1 and a 1:3 logo.

The footer of every content slide holds the whole name at 20 pt or more (on
two lines where one is too short), beside the logo and clear of it, mirrored
in Arabic; no other text of the deck overflows its box for it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.oxml.ns import qn

from publisher.content.models import Clinic
from publisher.targets._fit import HEIGHT_SLACK, NBSP, Face, Faces, Fitter, Para, Span
from tests.conftest import FIXTURES, TEMPLATES, require_tool, run_cli
from tests.deck_tools import CALIBRI, EMU_PER_PT, measured_overflows, open_deck, pdf_words, to_pdf

CLINICS = ("at-limits-wide", "at-limits-tall")
ARTICLES = sorted(p.name for p in (FIXTURES / "articles").iterdir() if (p / "article.yaml").is_file())
NAME_LIMIT = Clinic.model_json_schema()["properties"]["name"]["maxLength"]
DECK, FONTS = TEMPLATES / "deck" / "fonts", TEMPLATES / "fonts"
CARLITO = (Face(DECK / "Carlito-Regular.ttf"),), (Face(DECK / "Carlito-Bold.ttf"),)
# The fonts the build measures each language with (templates/deck/fonts.yaml).
FACES = {
    "en": CALIBRI,
    "ar": Faces(CARLITO[0] + (Face(DECK / "LiberationSans-Regular.ttf"),
                              Face(FONTS / "NotoNaskhArabic-Regular.ttf", False)),
                CARLITO[1] + (Face(DECK / "LiberationSans-Bold.ttf"), Face(FONTS / "NotoNaskhArabic-Bold.ttf", False))),
    "zh-Hans": Faces(CARLITO[0] + (Face(FONTS / "NotoSansCJKsc-Regular.otf"),),
                     CARLITO[1] + (Face(FONTS / "NotoSansCJKsc-Bold.otf"),)),
}
FOOTED = ("Title and Content", "Statement")  # the layouts with the clinic's name in a footer


def languages(article: str) -> list[str]:
    folder = FIXTURES / "articles" / article
    return ["en"] + sorted(p.stem for p in (folder / "translations").glob("*.yaml"))


def clinic_name(clinic: str) -> str:
    return yaml.safe_load((FIXTURES / "clinics" / f"{clinic}.yaml").read_text(encoding="utf-8"))["name"]


DECKS = [(article, lang, clinic) for article in ARTICLES for lang in languages(article) for clinic in CLINICS]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("long-clinic")
    result = run_cli("build", "--content", str(FIXTURES), "--output", str(out), "--format", "deck",
                     "--clinic", *CLINICS)
    assert result.exit_code == 0, result.output
    return out


def overflows(prs, lang: str) -> list[str]:
    """Boxes whose text measures taller than the box, but for the closing slide's: its contact lines
    are kept whole where they can be, so the build measures them unbroken while this measure breaks
    them at spaces; LibreOffice's rendering of it is checked below instead."""
    closing = tuple(f"slide {n} " for n, s in enumerate(prs.slides, 1) if s.slide_layout.name == "Closing")
    return [o for o in measured_overflows(prs, FACES[lang]) if not o.startswith(closing)]


def deck_path(out: Path, article: str, lang: str, clinic: str) -> Path:
    return out / article / lang / clinic / "deck-16x9.pptx"


def test_the_fixture_clinics_are_at_the_limit():
    assert {len(clinic_name(c)) for c in CLINICS} == {NAME_LIMIT}
    assert {a: languages(a) for a in ARTICLES}["common-worries"] == ["en", "ar", "zh-Hans"]


def test_every_fixture_article_builds_its_deck_in_every_language(built):
    assert sorted(p.relative_to(built).as_posix() for p in built.glob("*/*/*/deck-*.pptx")) == sorted(
        deck_path(built, *d).relative_to(built).as_posix() for d in DECKS)


@pytest.mark.parametrize("article, lang, clinic", DECKS)
def test_the_footer_holds_the_whole_name_at_20_pt_beside_the_logo(built, article, lang, clinic):
    prs = open_deck(deck_path(built, article, lang, clinic))
    name = clinic_name(clinic)
    footed = [s for s in prs.slides if s.slide_layout.name in FOOTED]
    assert footed
    for number, slide in enumerate(prs.slides, 1):
        if slide not in footed:
            continue
        footer = next((s for s in slide.placeholders if s.name == "Footer"), None)
        assert footer is not None, f"slide {number}: a footer"
        assert footer.text_frame.text.replace(NBSP, " ") == name, f"slide {number}: the whole name"
        sizes = {r.get("sz") for r in footer._element.iter(qn("a:rPr"))}
        assert sizes and all(int(s) >= 2000 for s in sizes), f"slide {number}: {sizes}"
        logo, = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE and s.name == "Logo"]
        # Beside the name, on the slide's far side: the right in English, the left in Arabic.
        if lang == "ar":
            assert logo.left + logo.width <= footer.left, f"slide {number}: logo clear of the name"
        else:
            assert footer.left + footer.width <= logo.left, f"slide {number}: logo clear of the name"
        band = next(s for s in slide.slide_layout.shapes if s.name == "Footer band")
        assert band.top <= footer.top and footer.top + footer.height <= band.top + band.height
        assert band.top <= logo.top and logo.top + logo.height <= band.top + band.height
    assert overflows(prs, lang) == []


@pytest.mark.parametrize("lang", sorted(FACES))
def test_the_master_footer_holds_two_lines_at_20_pt(lang):
    """A name at the schema's limit wraps onto two lines, and two lines of 20 pt fit the footer."""
    from pptx import Presentation

    prs = Presentation(str(TEMPLATES / "deck" / "master.pptx"))
    for layout in prs.slide_layouts:
        footer = next((p for p in layout.placeholders if p.name == "Footer"), None)
        if footer is None:
            continue
        pr = footer._element.find(f"{qn('p:txBody')}/{qn('a:bodyPr')}")
        width = (footer.width - int(pr.get("lIns")) - int(pr.get("rIns"))) / EMU_PER_PT
        height = (footer.height - int(pr.get("tIns")) - int(pr.get("bIns"))) / EMU_PER_PT
        fitter = Fitter(FACES[lang])
        assert fitter.height([Para((Span("x" * 10),))], 20, width) * 2 <= height * HEIGHT_SLACK, layout.name
        name = Para((Span(clinic_name("at-limits-wide"), bold=True),))
        assert len(fitter.lines(name, 20, width)) <= 2, layout.name


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_libreoffice_shows_the_whole_name_in_the_footer_band(built, lang, tmp_path):
    require_tool("soffice", "pdftotext")
    deck = deck_path(built, "common-worries", lang, "at-limits-wide")
    prs = open_deck(deck)
    name = clinic_name("at-limits-wide").split()
    pdf, = to_pdf([deck], tmp_path)
    width, height = prs.slide_width / EMU_PER_PT, prs.slide_height / EMU_PER_PT
    pages = pdf_words(pdf)
    assert len(pages) == len(prs.slides)
    for number, (slide, words) in enumerate(zip(prs.slides, pages), 1):
        assert words and all(0 <= x0 and x1 <= width and 0 <= y0 and y1 <= height for x0, y0, x1, y1, _ in words)
        if slide.slide_layout.name not in FOOTED:
            continue
        band = next(s for s in slide.slide_layout.shapes if s.name == "Footer band").top / EMU_PER_PT
        footer = next(s for s in slide.placeholders if s.name == "Footer")
        logo = next(s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE and s.name == "Logo")
        left, right = footer.left / EMU_PER_PT, (footer.left + footer.width) / EMU_PER_PT
        logo_left, logo_right = logo.left / EMU_PER_PT, (logo.left + logo.width) / EMU_PER_PT
        shown = [w for w in words if w[1] >= band]
        assert sorted(w[4] for w in shown) == sorted(name), f"slide {number}"
        for x0, y0, x1, y1, word in shown:
            assert left <= x0 and x1 <= right, (number, word)
            assert x1 <= logo_left or x0 >= logo_right, (number, word)


def _with_name(tmp_path: Path, name: str) -> Path:
    """A copy of the fixtures whose wide-logo clinic has another name."""
    shutil.copytree(FIXTURES, tmp_path / "content")
    clinic = tmp_path / "content" / "clinics" / "at-limits-wide.yaml"
    text = clinic.read_text(encoding="utf-8")
    clinic.write_text(text.replace(f"name: {clinic_name('at-limits-wide')}\n", f"name: {name}\n"), encoding="utf-8")
    return clinic


def test_a_name_at_the_limit_in_capitals_fits_too(tmp_path):
    name = clinic_name("at-limits-wide").upper()
    _with_name(tmp_path, name)
    result = run_cli("build", "--content", "content", "--output", "output", "--format", "deck",
                     "--clinic", "at-limits-wide", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    for lang in languages("common-worries"):
        prs = open_deck(deck_path(tmp_path / "output", "common-worries", lang, "at-limits-wide"))
        footers = [s for slide in prs.slides for s in slide.placeholders if s.name == "Footer"]
        assert footers and {f.text_frame.text.replace(NBSP, " ") for f in footers} == {name}
        assert overflows(prs, lang) == []


def test_a_name_too_wide_for_its_slots_is_refused_at_the_clinic_file(tmp_path):
    """Eighty characters of the widest letter fit no slot of the master: the error names the clinic's
    `name`, not the outline."""
    name = " ".join(["WWWWWWWWW"] * 8)
    clinic = _with_name(tmp_path, name)
    result = run_cli("build", "--content", "content", "--output", "output", "--format", "deck",
                     "--clinic", "at-limits-wide", "--article", "no-icons", cwd=tmp_path)
    assert result.exit_code == 1
    line = next(n for n, text in enumerate(clinic.read_text(encoding="utf-8").splitlines(), 1)
                if text.startswith("name:"))
    assert [x for x in result.stderr.splitlines() if not x.startswith(("[", "note: "))] == [
        f"content/clinics/at-limits-wide.yaml:{line}:7: name: the text for 'Clinic' on the slide"
        " 'Sleeping well with a long-term illness' does not fit even at 24 pt — shorten the clinic's `name`,"
        " or give the deck template's 'Clinic' placeholder room for more lines",
        "Aborted: 1 error in 1 file.",
    ]
    assert not list((tmp_path / "output").glob("*/*/*/deck-*.pptx"))
