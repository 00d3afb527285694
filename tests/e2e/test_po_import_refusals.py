"""A translator's PO file is checked like content before anything is
written: each problem named at its line in the PO file (issue 13, item 6)."""

from __future__ import annotations

import shutil

import pytest

from tests.conftest import TEMPLATES, run_cli


@pytest.fixture
def exported(project):
    """The project with its own copy of the label wording, and fr.po exported from it."""
    shutil.copytree(TEMPLATES / "labels", project.root / "templates" / "labels")
    result = run_cli("i18n", "export", "--content", "content", "--templates", "templates", "--output", "po",
                     "--lang", "fr", cwd=project.root)
    assert result.exit_code == 0, result.output
    return project


def po_lines(project, name: str = "fr") -> list[str]:
    return (project.root / "po" / f"{name}.po").read_text(encoding="utf-8").split("\n")


def import_refused(project, lines: list[str], name: str = "fr") -> list[str]:
    (project.root / "po" / f"{name}.po").write_text("\n".join(lines), encoding="utf-8")
    before = {p: p.read_bytes() for p in sorted(project.root.rglob("*.yaml"))}
    result = run_cli("i18n", "import", "--content", "content", "--templates", "templates", f"po/{name}.po",
                     cwd=project.root)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert {p: p.read_bytes() for p in sorted(project.root.rglob("*.yaml"))} == before, "a refused import wrote"
    return result.stderr.strip().splitlines()


def message_at(lines: list[str], context: str) -> int:
    """The 0-based index of the msgid line of the message with this msgctxt."""
    return lines.index(f'msgctxt "{context}"') + 1


def test_bad_review_date_and_approval_without_reviewer_are_refused_at_their_lines(exported):
    lines = po_lines(exported)
    title = message_at(lines, "muscle-mass-loss-and-pain:title")
    question = message_at(lines, "muscle-mass-loss-and-pain:question")
    lines[title - 3] = "# status: reviewed\n# reviewer: A. Clinician\n# reviewed: 2026-02-30"
    lines[question - 3] = "# status: approved"
    # Two lines were added above the question: its msgid moved down by two.
    assert import_refused(exported, lines) == [
        f"po/fr.po:{title + 3}:1: muscle-mass-loss-and-pain:title: the `# reviewed:` date is not a date as"
        " YYYY-MM-DD — write a real calendar date such as 2025-03-31",
        f"po/fr.po:{question + 3}:1: muscle-mass-loss-and-pain:question: status 'approved' needs `reviewer` and"
        " `reviewed` — name the clinician and the date, or set `status: draft`",
        "Aborted: 2 errors in 1 file."]


def test_control_characters_long_text_and_broken_placeholders_are_refused(exported):
    lines = po_lines(exported)
    title = message_at(lines, "muscle-mass-loss-and-pain:title")
    headline = message_at(lines, "muscle-mass-loss-and-pain:poster_headline")
    page = message_at(lines, "labels:page_x_of_y")
    lines[title + 1] = 'msgstr "Perte\x0b de masse"'
    lines[headline + 1] = 'msgstr "' + "x" * 5001 + '"'
    lines[page + 1] = 'msgstr "Page {page} sur {pagse}"'
    assert import_refused(exported, lines) == [
        f"po/fr.po:{title + 1}:1: muscle-mass-loss-and-pain:title: the invisible control character U+000B is not"
        " allowed — delete it; no handout, poster or deck can print it",
        f"po/fr.po:{headline + 1}:1: muscle-mass-loss-and-pain:poster_headline: the translation is 5,001"
        " characters long, more than the limit of 5,000 — shorten it, as the source text is short",
        f"po/fr.po:{page + 1}:1: labels:page_x_of_y: placeholders {{page}}, {{pages}} expected, found {{page}},"
        " {pagse} — keep every {name} of the English text, untranslated",
        "Aborted: 3 errors in 1 file."]


def test_a_po_file_for_an_unknown_or_the_source_language_is_refused(exported):
    lines = po_lines(exported)
    assert import_refused(exported, lines, "qq") == [
        "po/qq.po:1:1: (file name): the file is named for 'qq': 'qq' is not a language publisher has locale data"
        " for — name it <lang>.po, like fr.po or zh-Hans.po",
        "Aborted: 1 error in 1 file."]
    assert import_refused(exported, lines, "en") == [
        "po/en.po:1:1: (file name): 'en' is a source language — import translations into other languages only;"
        " edit the source files instead",
        "Aborted: 1 error in 1 file."]


def test_a_po_file_that_is_not_po_is_refused_at_its_line(exported):
    lines = po_lines(exported)
    lines.insert(30, "this is not PO")
    assert import_refused(exported, lines) == [
        "po/fr.po:31:1: (PO): cannot read the PO file: Unknown or misformatted keyword"
        " — open and save it again in Poedit, or export it again",
        "Aborted: 1 error in 1 file."]
