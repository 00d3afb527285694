"""A clinic's own PowerPoint template, and what the deck does for other scripts."""

from __future__ import annotations

import dataclasses
import io

from lxml import etree
from pptx import Presentation
from pptx.oxml.ns import qn

from publisher.build.plan import Selection, plan
from publisher.content import load_project
from publisher.targets.deck import Deck
from tests.conftest import SEED, TEMPLATES
from tests.deck_tools import Face, Faces, measured_overflows, open_deck, slide_title

FONTS = TEMPLATES / "deck" / "fonts"
ARIAL = Faces((Face(FONTS / "LiberationSans-Regular.ttf"),), (Face(FONTS / "LiberationSans-Bold.ttf"),))
A = "http://schemas.openxmlformats.org/drawingml/2006/main"


def corporate_template(path, *, rename: dict[str, str] | None = None) -> None:
    """The project's master turned into a 'corporate' one: Arial, its own colours, a sample slide."""
    prs = Presentation(str(TEMPLATES / "deck" / "master.pptx"))
    for layout in prs.slide_layouts:
        if rename and layout.name in rename:
            layout._element.cSld.set("name", rename[layout.name])
    theme = next(r.target_part for r in prs.slide_master.part.rels.values() if r.reltype.endswith("/theme"))
    root = etree.fromstring(theme.blob)
    for latin in root.iterfind(".//{%s}fontScheme/*/{%s}latin" % (A, A)):
        latin.set("typeface", "Arial")
    root.find(".//{%s}accent1/{%s}srgbClr" % (A, A)).set("val", "8B0000")
    theme._blob = etree.tostring(root)
    sample = prs.slides.add_slide(prs.slide_layouts[1])
    sample.shapes.title.text = "Sample slide from the corporate template"
    prs.save(str(path))


def use_template(project, name: str = "corporate.pptx") -> int:
    clinic = project.content / "clinics" / "default.yaml"
    clinic.write_text(clinic.read_text() + f"deck_template: {name}\n")
    return project.line_of("deck_template:", "clinics/default.yaml")


def errors(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if not line.startswith(("[", "note: "))]


def test_a_clinic_template_gives_the_same_deck_in_its_look(project):
    corporate_template(project.content / "clinics" / "corporate.pptx")
    use_template(project)
    result = project.cli("build", "--clinic", "default", "--format", "deck")
    assert result.exit_code == 0, result.output
    prs = open_deck(project.root / "output" / SEED / "en" / "default" / "deck-16x9.pptx")
    titles = [slide_title(s) for s in prs.slides]
    assert len(titles) == 10 and titles[1] == "Agenda"
    assert "Sample slide from the corporate template" not in titles
    theme = next(p for p in prs.part.package.iter_parts() if p.partname.endswith("theme1.xml")).blob.decode()
    assert 'typeface="Arial"' in theme and "8B0000" in theme  # its fonts and colours, not the clinic's
    assert measured_overflows(prs, ARIAL) == []  # measured as Arial (Liberation Sans)


def test_a_template_without_a_layout_gets_an_error_naming_it(project):
    corporate_template(project.content / "clinics" / "corporate.pptx", rename={"Statement": "Big Statement"})
    line = use_template(project)
    result = project.cli("build", "--clinic", "default", "--format", "deck")
    assert result.exit_code == 1
    assert errors(result) == [
        f"content/clinics/default.yaml:{line}:16: deck_template: the deck template 'corporate.pptx' has no"
        " slide layout named 'Statement' — add a layout named 'Statement' in PowerPoint's Slide Master view"
        " (layouts it has: Big Statement, Closing, Title Slide, Title and Content)",
        "Aborted: 1 error in 1 file.",
    ]
    assert not (project.root / "output").exists()


def test_a_template_without_a_placeholder_gets_an_error_naming_it(project):
    path = project.content / "clinics" / "corporate.pptx"
    corporate_template(path)
    prs = Presentation(str(path))
    closing = next(layout for layout in prs.slide_layouts if layout.name == "Closing")
    next(ph for ph in closing.placeholders if ph.name == "Logo").name = "Picture 5"
    prs.save(str(path))
    line = use_template(project)
    result = project.cli("build", "--clinic", "default", "--format", "deck")
    assert errors(result) == [
        f"content/clinics/default.yaml:{line}:16: deck_template: the slide layout 'Closing' of 'corporate.pptx'"
        " has no placeholder named 'Logo' — name a placeholder 'Logo' in PowerPoint's Slide Master view"
        " (placeholders it has: Body, Picture 5, Title)",
        "Aborted: 1 error in 1 file.",
    ]


def test_a_template_font_with_no_measuring_font_is_an_error(project):
    path = project.content / "clinics" / "corporate.pptx"
    corporate_template(path)
    data = path.read_bytes()
    prs = Presentation(io.BytesIO(data))
    theme = next(r.target_part for r in prs.slide_master.part.rels.values() if r.reltype.endswith("/theme"))
    theme._blob = theme.blob.replace(b'typeface="Arial"', b'typeface="Comic Sans MS"')
    prs.save(str(path))
    line = use_template(project)
    result = project.cli("build", "--clinic", "default", "--format", "deck")
    assert errors(result)[0] == (
        f"content/clinics/default.yaml:{line}:16: deck_template: the deck's title font 'Comic Sans MS' has no"
        " font to measure its text with — add 'Comic Sans MS' under `metrics:` in templates/deck/fonts.yaml"
        " with an open font of the same widths")


def test_a_missing_template_file_is_a_content_error(project):
    line = use_template(project, "nowhere.pptx")
    result = project.cli("validate")
    assert errors(result) == [
        f"content/clinics/default.yaml:{line}:16: deck_template: the deck template file 'nowhere.pptx' does not"
        " exist — put the file in content/clinics/ or correct the name",
        "Aborted: 1 error in 1 file.",
    ]


def test_right_to_left_languages_get_rtl_paragraphs(project):
    """The languages issue only supplies text: direction comes from the locale."""
    loaded = load_project(project.content)
    planned = plan(loaded, Selection(clinics=("default",), formats=("deck",), langs=("ar",)), TEMPLATES)
    assert not planned.problems
    (_, job), = planned.jobs
    assert job.localized.direction == "rtl"
    prs = Presentation(io.BytesIO(Deck().render(job).data))
    paragraphs = [p for slide in prs.slides for p in slide._element.iter(qn("a:pPr"))]
    assert paragraphs and all(p.get("rtl") == "1" and p.get("algn") == "r" for p in paragraphs)
    # Office's tag for Arabic (templates/deck/fonts.yaml), on every run but the clinic's name and
    # address, which are written in English and tagged so (a screen reader switches voice)
    clinic = job.clinic.clinic
    for slide in prs.slides:
        for run in slide._element.iter(qn("a:r")):
            text = "".join(t.text or "" for t in run.iter(qn("a:t"))).strip()
            lang = run.find(qn("a:rPr")).get("lang")
            assert lang == "ar-SA" or (lang == "en" and text and any(
                text in known for known in (clinic.name, *clinic.address))), (lang, text)
