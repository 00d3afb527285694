"""Issue 16: one English sentence edited, and what the Arabic files show under each policy.

`mark`: the English text, tagged `en` in the PDF's structure and the deck's runs,
with the marker in Arabic beside it and a notice on the first page; `previous`:
the last Arabic text, recorded in the manifest as awaiting update; `block`:
no Arabic file touched, and the build says so (an error with `--strict`).
"""

from __future__ import annotations

import json
import subprocess

from pptx import Presentation
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from tests.conftest import SEED, require_tool

OLD = "Loss of muscle mass is also called muscle atrophy."
NEW = "Loss of muscle mass is also known as muscle atrophy."
NEW_TEXT = (NEW + " It is common in people who have not been active for a long time, in older age, and with some"
            " medical conditions.")
MARKER = "ويجري تحديث ترجمته"  # from the Arabic marker, as pdftotext gives it back (without its vowel marks)
NOTICE = "بعض أجزاء هذه النشرة"
ARABIC = "ضمور العضلات"
AR = f"output/{SEED}/ar/default"
ONE = ("--lang", "ar", "--clinic", "default")


def _text(path) -> str:
    require_tool("pdftotext")
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _langs(path) -> list[tuple[str, str]]:
    """(structure type, /Lang) of every structure element that names its own language."""
    found = []

    def walk(node):
        node = node.get_object() if isinstance(node, IndirectObject) else node
        if isinstance(node, DictionaryObject):
            if "/Lang" in node:
                found.append((str(node.get("/S")), str(node["/Lang"])))
            if "/K" in node:
                walk(node["/K"])
        elif isinstance(node, ArrayObject):
            for kid in node:
                walk(kid)

    walk(PdfReader(path).trailer["/Root"]["/StructTreeRoot"])
    return found


def test_mark_shows_the_english_text_marked_in_arabic_and_tagged_en(project):
    project.edit_article(OLD, NEW)
    built = project.cli("build", *ONE, "--format", "handout", "deck")
    assert built.exit_code == 0, built.output
    assert (f"note: {SEED} in 'ar' shows 1 unit(s) in the source language (translation missing or stale):"
            " intro-what.text") in built.stderr
    handout = project.root / AR / "handout-a4.pdf"
    text = " ".join(_text(handout).split())
    assert NEW in text and MARKER in text and NOTICE in text
    assert text.index(NOTICE) < text.index(NEW) < text.index(MARKER)  # notice first; the marker beside the text
    # The English passage is its own structure element in English (it breaks over lines: one per line).
    assert set(_langs(handout)) == {("/Span", "en")}
    manifest = json.loads((project.root / "output" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["fallbacks"][f"{SEED}/ar/default/handout-a4.pdf"] == ["intro-what.text"]
    assert manifest["awaiting_update"] == {}
    # In the deck, the English paragraph (in the speaker notes) is a run tagged English, the rest Arabic.
    deck = Presentation(project.root / AR / "deck-16x9.pptx")
    runs = [(r.text, r._r.rPr.get("lang")) for s in deck.slides for p in s.notes_slide.notes_text_frame.paragraphs
            for r in p.runs]
    # The clinic's name is a proper name written in English: tagged so too.
    assert {text for text, lang in runs if lang == "en"} == {NEW_TEXT, "Your Health Clinic"}
    assert {lang for _, lang in runs} == {"en", "ar-SA"}


def test_previous_keeps_the_arabic_text_and_the_manifest_says_it_awaits_an_update(project):
    project.write("translation-policy.yaml", "languages:\n  ar: previous\n")
    project.edit_article(OLD, NEW)
    built = project.cli("build", *ONE, "--format", "handout")
    assert built.exit_code == 0, built.output
    assert (f"note: {SEED} in 'ar' keeps the previous translation of 1 changed unit(s), awaiting update"
            " (translation policy 'previous'): intro-what.text") in built.stderr
    text = _text(project.root / AR / "handout-a4.pdf")
    assert "Loss of muscle" not in text and ARABIC in text and MARKER not in text
    manifest = json.loads((project.root / "output" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["awaiting_update"] == {f"{SEED}/ar/default/handout-{v}.pdf": ["intro-what.text"]
                                           for v in ("a4", "letter")}
    assert manifest["fallbacks"] == {}


def test_block_leaves_every_arabic_file_as_it_was_and_says_so(project):
    first = project.cli("build", *ONE)
    assert first.exit_code == 0, first.output
    folder = project.root / AR
    before = {p.name: p.read_bytes() for p in sorted(folder.iterdir())}
    manifest_before = json.loads((project.root / "output" / "manifest.json").read_text(encoding="utf-8"))
    assert len(before) == 8  # two handouts, two in large print, three posters, a deck
    project.write("translation-policy.yaml", "languages:\n  ar: block\n")
    project.edit_article(OLD, NEW)
    built = project.cli("build", *ONE)
    assert built.exit_code == 0, built.output
    assert built.stderr.splitlines() == [
        f"warning: {SEED} in 'ar' not built: 1 unit(s) missing or stale and the translation policy is 'block'"
        " (intro-what.text); its previous files are left as they were — translate them, or"
        " `publisher i18n confirm` an edit that kept the meaning"]
    assert {p.name: p.read_bytes() for p in sorted(folder.iterdir())} == before
    manifest = json.loads((project.root / "output" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["artifacts"] == manifest_before["artifacts"]
    strict = project.cli("build", *ONE, "--strict")
    assert strict.exit_code == 1
    assert strict.stderr.splitlines() == [
        f"content/articles/{SEED}/translations/ar.yaml:42:11: units.intro-what.text: stale in 'ar': the source"
        " text changed after it was translated; the translation policy 'block' holds the language back"
        " — translate the new text, then `publisher i18n import` records it",
        "Aborted: 1 error in 1 file."]
    assert {p.name: p.read_bytes() for p in sorted(folder.iterdir())} == before
    # Confirming the edit (the meaning is the same) lets the language build again.
    assert project.cli("i18n", "confirm", "intro-what.text", "--lang", "ar").exit_code == 0
    again = project.cli("build", *ONE, "--strict")
    assert again.exit_code == 0 and "warning" not in again.stderr


def test_approving_removes_the_draft_notice_and_an_english_edit_brings_it_back(project):
    draft = "لم يراجع أخصائي رعاية صحية هذه الترجمة بعد"
    signed = "راجع هذه الترجمة"
    path = project.content / f"articles/{SEED}/translations/ar.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "lang: ar\n", 'lang: ar\nreview:\n  status: approved\n  reviewer_role: "أخصائية علاج طبيعي مسجَّلة"\n'
        "  date: 2026-11-20\n", 1), encoding="utf-8")
    assert project.cli("build", *ONE, "--format", "handout").exit_code == 0
    text = " ".join(_text(project.root / AR / "handout-a4.pdf").split())
    assert draft not in text and signed in text and "أخصائية علاج طبيعي" in text
    project.edit_article(OLD, NEW)
    assert project.cli("build", *ONE, "--format", "handout").exit_code == 0
    text = " ".join(_text(project.root / AR / "handout-a4.pdf").split())
    assert draft in text and signed not in text
