"""Decks of other shapes (issue 12): logos of any aspect ratio, continuation only
when needed, short items with their explanations, warning boxes, lines that
never leave a word alone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from PIL import Image
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.oxml.ns import qn

from publisher.targets._deck_slides import WARNING_FILL, WARNING_INK
from publisher.targets._fit import NBSP, WIDTH_SLACK, Face, Faces, Fitter, Para, Span, Spacing, glue_last, \
    last_line_alone
from tests.conftest import CONTENT, FIXTURES, SEED, TEMPLATES, run_cli
from tests.deck_tools import CALIBRI, EMU_PER_PT, measured_overflows, open_deck, slide_title

SHAPES = FIXTURES / "deck-shapes"
ARTICLE = "short-items"
EMU_PER_INCH = 914400
LABELS = {lang: yaml.safe_load((TEMPLATES / "labels" / f"{lang}.yaml").read_text(encoding="utf-8"))
          for lang in ("en", "ar")}


def label(lang: str, key: str) -> str:
    value = LABELS[lang][key] if lang == "en" else LABELS[lang]["units"][key]
    return value["text"] if isinstance(value, dict) else value


def build(content: Path, out: Path, *args: str) -> Path:
    result = run_cli("build", "--content", str(content), "--output", str(out), "--format", "deck", *args)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def fixture_decks(tmp_path_factory) -> dict[str, object]:
    out = build(SHAPES, tmp_path_factory.mktemp("deck-shapes"))
    return {lang: open_deck(out / ARTICLE / lang / "test-clinic" / "deck-16x9.pptx") for lang in ("en", "ar")}


@pytest.fixture(scope="module")
def seed_deck(tmp_path_factory):
    """The shipped article's English deck alone: the whole seed build is more than these tests need."""
    out = build(CONTENT, tmp_path_factory.mktemp("seed-deck"), "--lang", "en", "--clinic", "default")
    return open_deck(out / SEED / "en" / "default" / "deck-16x9.pptx")


def slide_named(prs, title: str):
    return next(s for s in prs.slides if slide_title(s) == title)


# -- logos -----------------------------------------------------------------

def _logo(path: Path, ratio: float) -> None:
    if path.suffix == ".svg":
        w, h = 300, round(300 / ratio)
        path.write_text(f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}">'
                        f'<rect width="{w}" height="{h}" fill="#123456"/></svg>', encoding="utf-8")
    else:
        w, h = (400, round(400 / ratio)) if ratio >= 1 else (round(400 * ratio), 400)
        Image.new("RGB", (w, h), "#123456").save(path)


@pytest.mark.parametrize("ratio, suffix", [(4.0, ".png"), (3.0, ".png"), (3.0, ".svg"), (1.0, ".png"),
                                           (1 / 3, ".png"), (1 / 3, ".svg")])
def test_logos_keep_their_aspect_ratio_and_wide_ones_stay_legible(ratio, suffix, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SHAPES, content)
    clinic = content / "clinics" / "test-clinic.yaml"
    _logo(content / "clinics" / f"logo{suffix}", ratio)
    clinic.write_text(clinic.read_text().replace("logo: test-logo.svg", f"logo: logo{suffix}"))
    prs = open_deck(build(content, tmp_path / "out", "--lang", "en") / ARTICLE / "en" / "test-clinic" / "deck-16x9.pptx")
    for number, slide in enumerate(prs.slides, 1):
        logos = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE and s.name == "Logo"]
        assert len(logos) == 1, f"slide {number}"
        logo = logos[0]
        slot = next(p for p in slide.slide_layout.placeholders if p.name == "Logo")
        assert logo.width / logo.height == pytest.approx(ratio, rel=0.02), f"slide {number}: aspect ratio kept"
        # Inside its slot, never overflowing it, and as large as the slot allows.
        assert slot.left <= logo.left and logo.left + logo.width <= slot.left + slot.width + 1, f"slide {number}"
        assert slot.top <= logo.top and logo.top + logo.height <= slot.top + slot.height + 1, f"slide {number}"
        assert logo.width >= slot.width - 2 or logo.height >= slot.height - 2, f"slide {number}: fills the slot"
        if ratio >= 3 and slot.height < EMU_PER_INCH:  # the footer: a wordmark stays readable
            assert logo.width >= 1.6 * EMU_PER_INCH and logo.height >= 0.5 * EMU_PER_INCH, f"slide {number}"
        footer = next((s for s in slide.placeholders if s.name == "Footer"), None)
        if footer is not None:
            assert footer.left + footer.width <= logo.left, f"slide {number}: the logo is clear of the clinic name"


# -- continuation ----------------------------------------------------------

def test_the_arabic_agenda_is_one_slide_when_it_fits(tmp_path):
    prs = open_deck(build(CONTENT, tmp_path, "--lang", "ar", "--clinic", "default")
                    / SEED / "ar" / "default" / "deck-16x9.pptx")
    titles = [slide_title(s) for s in prs.slides]
    agenda = label("ar", "deck_agenda")
    assert titles[1] == agenda and titles[2] == label("ar", "deck_question"), titles
    assert len(prs.slides[1].placeholders[1].text_frame.paragraphs) == 7
    assert measured_overflows(prs, _arabic_faces()) == []


def _arabic_faces() -> Faces:
    deck, fonts = TEMPLATES / "deck" / "fonts", TEMPLATES / "fonts"
    return Faces((Face(deck / "LiberationSans-Regular.ttf"), Face(fonts / "NotoNaskhArabic-Regular.ttf", False)),
                 (Face(deck / "LiberationSans-Bold.ttf"), Face(fonts / "NotoNaskhArabic-Bold.ttf", False)))


def test_a_truly_long_agenda_still_continues(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SHAPES, content)
    shutil.rmtree(content / "articles" / ARTICLE / "translations")
    path = content / "articles" / ARTICLE / "article.yaml"
    article = yaml.safe_load(path.read_text())
    for n in range(1, 11):
        article["sections"].append({"id": f"extra-{n}", "heading": f"Extra section number {n} of many",
                                    "blocks": [{"kind": "paragraph", "id": f"extra-text-{n}", "text": f"Text {n}."}]})
    path.write_text(yaml.safe_dump(article, sort_keys=False, allow_unicode=True))
    prs = open_deck(build(content, tmp_path / "out", "--lang", "en") / ARTICLE / "en" / "test-clinic" / "deck-16x9.pptx")
    titles = [slide_title(s) for s in prs.slides]
    assert titles[1] == "Agenda" and titles[2].startswith("Agenda (continued"), titles


# -- short items -----------------------------------------------------------

def test_one_word_items_show_their_explanations(fixture_decks):
    body = slide_named(fixture_decks["en"], "Four kinds of activity").placeholders[1].text_frame
    assert body.text.splitlines() == ["Walking: Builds stamina and is easy to start.",
                                      "Swimming: Gentle on painful joints.",
                                      "Dancing: Good for balance and mood.",
                                      "Gardening: Keeps you bending and lifting."]
    runs = body.paragraphs[0].runs
    assert runs[0].text == "Walking:" and runs[0].font.bold and not runs[1].font.bold


def test_explanations_never_add_a_slide(seed_deck):
    prs = seed_deck
    body = slide_named(prs, "Preventing and managing pain").placeholders[1].text_frame.text
    assert "Exercise regularly" in body.splitlines()  # the explanations would need a second slide
    assert not any(slide_title(s).startswith("Preventing and managing pain (") for s in prs.slides)


# -- warnings --------------------------------------------------------------

def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _warning(slide):
    boxes = [s for s in slide.shapes if s.name == "Warning"]
    icons = [s for s in slide.shapes if s.name == "Warning icon"]
    assert len(boxes) == len(icons) == 1
    return boxes[0], icons[0]


def _sizes(paragraph) -> set[float]:
    return {run.font.size.pt for run in paragraph.runs}


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_warning_is_a_dark_red_box_with_its_icon_and_its_title_apart(fixture_decks, lang):
    prs = fixture_decks[lang]
    slide = prs.slides[4]  # the section that is only a warning
    assert slide_title(slide) == ("In an emergency" if lang == "en" else "في حالة الطوارئ")
    box, icon = _warning(slide)
    assert box.shape_type == MSO_SHAPE_TYPE.AUTO_SHAPE
    assert str(box.fill.fore_color.rgb) == WARNING_FILL
    lighter, darker = sorted((_luminance(WARNING_INK), _luminance(WARNING_FILL)), reverse=True)
    assert (lighter + 0.05) / (darker + 0.05) >= 4.5
    title, text = box.text_frame.paragraphs
    assert title.text.replace(NBSP, " ") == ("Call an emergency number at once" if lang == "en"
                                             else "اتصل برقم الطوارئ فورًا")
    assert all(run.font.bold for p in (title, text) for run in p.runs)
    assert min(_sizes(title)) > max(_sizes(text)) >= 20  # the title larger; the text never below the floor
    for rpr in box._element.iter(qn("a:rPr")):
        assert rpr.find(f"{qn('a:solidFill')}/{qn('a:srgbClr')}").get("val") == WARNING_INK
    assert icon.shape_type == MSO_SHAPE_TYPE.PICTURE
    assert icon._element.find(".//" + qn("p:cNvPr")).get("descr") == label(lang, "icon_warning")
    # The icon sits inside the box at the start of the line: left in English, right in Arabic.
    assert box.left <= icon.left and icon.left + icon.width <= box.left + box.width
    middle = box.left + box.width / 2
    assert (icon.left < middle) if lang == "en" else (icon.left > middle)
    assert (title._p.find(qn("a:pPr")).get("rtl") == "1") == (lang == "ar")
    assert not slide.placeholders or all(p.name != "Body" for p in slide.placeholders)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_warning_that_fits_sits_below_the_text_at_least_as_large(fixture_decks, lang):
    slide = fixture_decks[lang].slides[5]
    box, _ = _warning(slide)
    body = next(p for p in slide.placeholders if p.name == "Body")
    footer_top = next(p for p in slide.placeholders if p.name == "Footer").top
    assert body.top + body.height <= box.top and box.top + box.height <= footer_top
    body_size = {r.font.size.pt for p in body.text_frame.paragraphs for r in p.runs}.pop()
    assert min(_sizes(box.text_frame.paragraphs[1])) >= body_size
    assert [p.text.replace(NBSP, " ") for p in box.text_frame.paragraphs][1:] == (
        ["sharp or sudden pain", "dizziness"] if lang == "en" else ["ألم حاد أو مفاجئ", "دوخة"])
    notes = slide.notes_slide.notes_text_frame.text
    assert ("Stop if it hurts" if lang == "en" else "توقف إذا شعرت بألم") in notes


def test_warning_text_fits_its_box(fixture_decks):
    faces = CALIBRI
    for slide in list(fixture_decks["en"].slides)[4:6]:
        box, _ = _warning(slide)
        body_pr = box.text_frame._txBody.find(qn("a:bodyPr"))
        insets = [int(body_pr.get(k)) for k in ("lIns", "tIns", "rIns", "bIns")]
        width = (box.width - insets[0] - insets[2]) / EMU_PER_PT
        fitter = Fitter(faces, Spacing(line=1.0))
        used = 0.0
        for i, p in enumerate(box.text_frame.paragraphs):
            size = _sizes(p).pop()
            margin = int(p._p.find(qn("a:pPr")).get("marL")) / EMU_PER_PT
            used += fitter.height([Para((Span(p.text, bold=True),), margin=margin)], size, width)
            used += 0.4 * size if i else 0
        assert used <= (box.height - insets[1] - insets[3]) / EMU_PER_PT


def test_a_long_warning_gets_a_slide_of_its_own_and_one_too_long_is_refused(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SHAPES, content)
    path = content / "articles" / ARTICLE / "article.yaml"
    source = path.read_text()
    long_text = "Stop and sit down if you feel your heart racing or pounding. " * 4
    path.write_text(source.replace("          - id: stop-dizzy\n            text: dizziness",
                                   f"          - id: stop-dizzy\n            text: {long_text}"))
    prs = open_deck(build(content, tmp_path / "out", "--lang", "en") / ARTICLE / "en" / "test-clinic" / "deck-16x9.pptx")
    first, second = slide_named(prs, "Safety tips"), slide_named(prs, "Safety tips (continued)")
    assert not [s for s in first.shapes if s.name == "Warning"]
    box, _ = _warning(second)
    assert long_text.split()[0] in box.text_frame.text

    path.write_text(source.replace("          - id: stop-dizzy\n            text: dizziness",
                                   f"          - id: stop-dizzy\n            text: {long_text * 6}"))
    result = run_cli("build", "--content", str(content), "--output", str(tmp_path / "out2"),
                     "--format", "deck", "--lang", "en")
    assert result.exit_code == 1
    line = next(n for n, text in enumerate(source.splitlines(), 1) if "title: Stop if it hurts" in text)
    assert (f"articles/{ARTICLE}/article.yaml:{line}:16: sections[2].blocks[1].title: the warning on the slide"
            " 'Safety tips' does not fit on a slide of its own even at 20 pt; a warning is never cut or split"
            " — split it into two warnings, or move its details into a list after it") in result.output
    assert "Traceback" not in result.output


# -- line breaks -----------------------------------------------------------

def test_glue_last_joins_the_last_two_words_or_characters():
    assert glue_last("Can loss of muscle mass cause pain?") == "Can loss of muscle mass cause\u00a0pain?"
    assert glue_last("Agenda") == "Agenda"
    assert glue_last("肌肉流失会引起疼痛吗？") == "肌肉流失会引起疼痛\u2060吗？"
    assert glue_last("صعوبة في التنفس") == "صعوبة في\u00a0التنفس"


def test_no_title_ends_on_a_word_alone_and_contact_lines_stay_whole(seed_deck, fixture_decks):
    prs = seed_deck
    fitter = Fitter(CALIBRI, Spacing(line=1.0))
    for number, slide in enumerate(list(prs.slides) + list(fixture_decks["en"].slides), 1):
        for shape in slide.placeholders:
            if shape.name not in ("Title", "Statement", "Subtitle") or not shape.text_frame.text.strip():
                continue
            body_pr = shape.text_frame._txBody.find(qn("a:bodyPr"))
            width = (shape.width - int(body_pr.get("lIns")) - int(body_pr.get("rIns"))) / EMU_PER_PT
            for p in shape.text_frame.paragraphs:
                para = Para((Span(p.text, bold=shape.name != "Subtitle"),))
                size = _sizes(p).pop()
                for w in (width, width / WIDTH_SLACK):
                    assert not last_line_alone(fitter.lines(para, size, w)), f"{number} {shape.name}: {p.text}"
    statement = slide_named(prs, "Today's question").placeholders[1]
    assert statement.text_frame.text.endswith("cause\u00a0pain?")
    # Planted: written with a plain space, the question would end on "pain?" alone.
    body_pr = statement.text_frame._txBody.find(qn("a:bodyPr"))
    width = (statement.width - int(body_pr.get("lIns")) - int(body_pr.get("rIns"))) / EMU_PER_PT
    plain = Para((Span(statement.text_frame.text.replace("\u00a0", " "), bold=True),))
    assert last_line_alone(fitter.lines(plain, _sizes(statement.text_frame.paragraphs[0]).pop(), width))
    # Contact lines are given a size at which each fits on one line, written as they are.
    contact = slide_named(prs, "Questions?").placeholders[1]
    body_pr = contact.text_frame._txBody.find(qn("a:bodyPr"))
    width = (contact.width - int(body_pr.get("lIns")) - int(body_pr.get("rIns"))) / EMU_PER_PT
    lines = contact.text_frame.paragraphs[1:]
    assert [p.text for p in lines][0] == "Phone: +1 555 0100"
    for p in lines:
        assert len(fitter.lines(Para((Span(p.text),)), _sizes(p).pop(), width)) == 1, p.text
    # Planted: the fixture clinic's long e-mail address would wrap at the layout's 32 pt.
    contact = slide_named(fixture_decks["en"], "Questions?").placeholders[1]
    email = contact.text_frame.paragraphs[-1]
    assert email.text == "E-mail: enquiries@test-street-surgery.example.org"
    assert len(fitter.lines(Para((Span(email.text),)), 32, width)) > 1
    assert len(fitter.lines(Para((Span(email.text),)), _sizes(email).pop(), width)) == 1
    assert measured_overflows(prs) == []


def test_decks_with_warning_boxes_are_valid_open_xml(tmp_path):
    import json
    import subprocess
    import sys

    out = build(SHAPES, tmp_path)
    for deck in sorted(out.glob(f"{ARTICLE}/*/test-clinic/deck-16x9.pptx")):
        result = subprocess.run([sys.executable, "-m", "openxml_audit", "-o", "json", str(deck)],
                                capture_output=True, text=True)
        report = json.loads(result.stdout)
        report = report[0] if isinstance(report, list) else report
        assert report["error_count"] == 0, report["errors"]
