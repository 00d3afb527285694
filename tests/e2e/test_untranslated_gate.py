"""no-untranslated-text (issue 16, item 1): a translated file prints no source-language text
that the manifest does not record as a fallback, except declared names.

Planted: a Spanish translation copied from the English (a key message, the poster's
headline), a label left in English in templates/labels/es.yaml; each is caught in the
file that prints it, named at its line in the translation file to fix. A marked fallback
(`mark` policy, recorded in the manifest) and a declared name pass. The gate is called on
the facts a build hands it (`output_subject`), and once through `publisher build`.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from publisher.checks._pdf_text import read_pdf
from publisher.checks.gate import gates
from tests.conftest import CONTENT, ROOT, SEED, run_cli
from tests.typo_tools import edit, template_copy, thresholds

GATE = "no-untranslated-text"
ES = f"content/articles/{SEED}/translations/es.yaml"
ES_LABELS = "templates/labels/es.yaml"
SUPPORT = "Weaker muscles give your joints, back and neck less support."
ORGANISATION = "Publisher patient-education project"


def _line(path: Path, needle: str) -> int:
    return next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in text)


def _subjects(content: Path, templates: Path, lang: str, *formats: str, variants: tuple = ()) -> dict:
    """Each file of the selection rendered (of `variants`, when given), as the build hands it to the gates."""
    from publisher.build.plan import Selection, plan
    from publisher.checks.run import output_subject
    from publisher.content import load_project
    from publisher.targets import RenderJob, targets

    selection = Selection((SEED,), (lang,), formats, ("default",))
    found = {}
    for task, job in plan(load_project(content), selection, templates).jobs:
        if isinstance(job, RenderJob) and (not variants or task.variant in variants):
            rendered = targets()[task.format].render(job)
            found[task.path.rsplit("/", 1)[-1]] = output_subject(task, job, rendered.data, rendered.pages)
    return found


def _findings(subject) -> list[str]:
    gate = gates()[GATE]
    assert gate.applies_to(subject)
    return [str(f) for f in gate.check(subject, thresholds(GATE, subject.lang))]


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    """Spanish with a key message and the poster headline copied from the English, the organisation's
    name kept in English and declared a name, and the "Key messages" label left in English."""
    root = tmp_path_factory.mktemp("untranslated")
    content = root / "content"
    shutil.copytree(CONTENT, content)
    es = content / "articles" / SEED / "translations" / "es.yaml"
    edit(es, "Unos músculos más débiles dan menos apoyo a sus articulaciones, su espalda y su cuello.", SUPPORT)
    edit(es, "Músculos fuertes, menos dolor", "Strong muscles, less pain")
    edit(es, "el proyecto de educación para pacientes Publisher", ORGANISATION)
    article = content / "articles" / SEED / "article.yaml"
    article.write_text(article.read_text(encoding="utf-8") + f"names:\n  - {ORGANISATION}\n", encoding="utf-8")
    templates = template_copy(root)
    edit(templates / "labels" / "es.yaml", '"Mensajes clave"', '"Key messages"')
    old = Path.cwd()
    os.chdir(root)  # files are named as a build run in the project's folder names them
    try:
        subjects = _subjects(Path("content"), Path("templates"), "es", "handout", "deck", "poster", "web",
                             variants=("a4", "16x9", "a3", "page"))
    finally:
        os.chdir(old)
    return root, subjects


def _expected(root: Path, file: str, needle: str, path: str, where: str, unit: str, quoted: str,
              name_hint: bool = True) -> str:
    """A finding as the gate words it: at the unit's text in the translation file to fix."""
    line = _line(root / file, needle)
    hint = (f"translate it in {file}; to show the source text until it is translated, delete the unit there"
            f" (the translation policy then says what prints, and the manifest records it)")
    if name_hint:
        hint += (f"; if it is a name every language prints as written, list it under `names:` in"
                 f" content/articles/{SEED}/article.yaml")
    return (f"{file}:{line}:11: [{GATE}] {path}{where}: the translation of '{unit}' is in the source language:"
            f" {quoted} — {hint}")


def _support(root: Path, name: str, where: str) -> str:
    return _expected(root, ES, "km-support.text:", f"{SEED}/es/default/{name}", where, "km-support.text",
                     "'Weaker muscles give your joints, back and neck less support.'") \
        .replace(f"{ES}:{_line(root / ES, 'km-support.text:')}:", f"{ES}:{_line(root / ES, 'km-support.text:') + 1}:")


def _label(root: Path, path: str, where: str) -> str:
    found = _expected(root, ES_LABELS, "  key_messages:", path, where, "labels:key_messages", "'Key messages'",
                      name_hint=False)
    line = _line(root / ES_LABELS, "  key_messages:")
    return found.replace(f"{ES_LABELS}:{line}:", f"{ES_LABELS}:{line + 1}:")


def test_copied_key_message_and_english_label_caught_in_the_handout(planted):
    root, subjects = planted
    assert _findings(subjects["handout-a4.pdf"]) == [
        _support(root, "handout-a4.pdf", ", page 1"),
        _label(root, f"{SEED}/es/default/handout-a4.pdf", ", page 1"),
    ]


def test_copied_key_message_caught_on_the_slide_and_in_the_notes(planted):
    root, subjects = planted
    assert _findings(subjects["deck-16x9.pptx"]) == [_support(root, "deck-16x9.pptx", ", slide 8, slide 8 notes")]


def test_copied_poster_headline_caught(planted):
    root, subjects = planted
    assert _findings(subjects["poster-a3.pdf"]) == [_expected(
        root, ES, "Strong muscles, less pain", f"{SEED}/es/default/poster-a3.pdf", ", page 1", "poster_headline",
        "'Strong muscles, less pain'")]


def test_web_page_caught(planted):
    root, subjects = planted
    page = f"site/default/es/{SEED}/index.html"
    assert _findings(subjects["index.html"]) == [
        _support(root, "", "").replace(f"{SEED}/es/default/: ", f"{page}: "),
        _label(root, page, ""),
    ]


def test_a_declared_name_passes_and_the_same_text_undeclared_is_caught(planted):
    """The organisation's name is kept in English in the Spanish translation: declared under
    `names:`, it passes (above); without the declaration it is untranslated text."""
    root, subjects = planted
    handout = subjects["handout-a4.pdf"]
    undeclared = replace(handout, facts={**handout.facts, "names": ()})
    organisation = _expected(root, ES, ORGANISATION, f"{SEED}/es/default/handout-a4.pdf", ", page 2",
                             "metadata.organisation", f"'{ORGANISATION}'")
    assert organisation in _findings(undeclared)
    assert organisation not in _findings(handout)


def test_publisher_build_refuses_the_copied_translation(planted):
    """Through the build's own runner (the render workers): refused, located, nothing written."""
    root, _ = planted
    result = run_cli("build", "--content", "content", "--templates", "templates", "--output", "output",
                     "--clinic", "default", "--lang", "es", "--format", "web", cwd=root)
    assert result.exit_code == 1, result.output
    assert not (root / "output").exists() or not any((root / "output").rglob("*.html"))
    page = f"site/default/es/{SEED}/index.html"
    lines = [line for line in result.stderr.splitlines() if f"[{GATE}]" in line]
    assert lines == [_support(root, "", "").replace(f"{SEED}/es/default/: ", f"{page}: "),
                     _label(root, page, "")]


# --- names: declared, and checked ----------------------------------------------------------------

def test_a_name_the_text_does_not_hold_is_refused(project):
    text = project.article_path.read_text(encoding="utf-8")
    project.article_path.write_text(text + "names:\n  - Publisher patient-education project\n  - Tai Chi Club\n"
                                    "  - Publisher patient-education project\n", encoding="utf-8")
    line = project.line_of("  - Tai Chi Club")
    assert project.refused_by_both() == [
        f"{project.article_file}:{line}:5: names[1]: 'Tai Chi Club' is not in the article's text — write the name"
        f" exactly as the text has it, or remove it",
        f"{project.article_file}:{line + 1}:5: names[2]: 'Publisher patient-education project' is declared twice"
        f" (first on line {line - 1}) — keep one",
        "Aborted: 2 errors in 1 file.",
    ]


# --- a recorded fallback passes --------------------------------------------------------------------

OLD = "Loss of muscle mass is also called muscle atrophy."
NEW = "Loss of muscle mass is also known as muscle atrophy."


def test_a_marked_fallback_passes_and_would_fail_unrecorded(project):
    """Under `mark`, an edited English sentence prints in the Arabic files, recorded in the manifest:
    the build and `publisher check` pass the page, the gate passes the handout and the deck. Had the
    build not recorded it (the translation's text printed as the English), the gate finds it."""
    project.edit_article(OLD, NEW)
    built = project.cli("build", "--lang", "ar", "--clinic", "default", "--format", "web")
    assert built.exit_code == 0, built.output
    manifest = json.loads((project.root / "output" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["fallbacks"][f"site/default/ar/{SEED}/index.html"] == ["intro-what.text"]
    checked = project.cli("check", "--gate", GATE, "--output", "output")
    assert checked.exit_code == 0, checked.output
    # The web page tags the English passage with its language, as the PDF and the deck do.
    page = (project.root / "output" / "site" / "default" / "ar" / SEED / "index.html").read_text(encoding="utf-8")
    assert f'<span class="source-text" lang="en">\u2066{NEW}' in page

    old = Path.cwd()
    os.chdir(project.root)
    try:
        subjects = _subjects(Path("content"), ROOT / "templates", "ar", "handout", "deck", variants=("a4", "16x9"))
    finally:
        os.chdir(old)
    handout = subjects["handout-a4.pdf"]
    assert NEW in " ".join(block.text for block in read_pdf(handout.data).blocks)
    for name in ("handout-a4.pdf", "deck-16x9.pptx"):
        assert _findings(subjects[name]) == [], name
    unrecorded = tuple(replace(s, shown="(a translation)") if s.unit == "intro-what.text" else s
                       for s in handout.facts["sources"])
    found = _findings(replace(handout, facts={**handout.facts, "sources": unrecorded, "written_in": ()}))
    line = _line(project.root / ES.replace("es.yaml", "ar.yaml"), "intro-what.text:") + 1
    assert found == [
        f"content/articles/{SEED}/translations/ar.yaml:{line}:11: [{GATE}] {SEED}/ar/default/handout-a4.pdf,"
        f" page 1: 'intro-what.text' prints in the source language although it is translated: '{NEW} It"
        f" is…' — make the template print the translation (content/articles/{SEED}/translations/ar.yaml),"
        f" not the source's text"]


def test_a_label_without_translation_is_a_recorded_fallback_and_passes(tmp_path):
    """The same English label, missing from es.yaml rather than copied into it: the build
    records it as a fallback (`labels:key_messages`), so the gate lets it print."""
    templates = template_copy(tmp_path)
    edit(templates / "labels" / "es.yaml", '  key_messages:\n    text: "Mensajes clave"\n'
         '    fingerprint: 688e8e97f03da9ed\n    status: draft\n', "")
    handout = _subjects(CONTENT, templates, "es", "handout", variants=("a4",))["handout-a4.pdf"]
    assert "Key messages" in [block.text for block in read_pdf(handout.data).blocks]
    assert ("labels:key_messages", None) in [(s.unit, s.shown) for s in handout.facts["sources"]]
    assert _findings(handout) == []


def test_an_edited_first_sentence_printed_with_its_marker_inside_passes(project):
    """`make bench`'s edit found this: the Arabic handout prints the edited English paragraph with
    the marker that says so inside its last line, so the fallback is not one run of text; it is
    blanked clause by clause, and nothing of it is taken for another unit left in English."""
    project.edit_article("Loss of muscle mass is also called", "In fact, loss of muscle mass is also called")
    built = project.cli("build", "--lang", "ar", "--clinic", "default", "--format", "handout")
    assert built.exit_code == 0, built.output
    assert "shows 1 unit(s) in the source language (translation missing or stale): intro-what.text" in built.stderr
