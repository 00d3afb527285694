"""Every kind of bad input gets one located, actionable line, exit code 1,
and leaves the output folder exactly as it was."""

from __future__ import annotations

import hashlib

import pytest

from tests.conftest import SEED

ART = f"content/articles/{SEED}/article.yaml"


class _Refused:
    """What `validate` printed, once `build` was seen to print the same."""

    def __init__(self, lines: list[str]):
        self.exit_code = 1
        self.stderr = self.output = "\n".join(lines) + "\n"


def validate_and_build(project) -> _Refused:
    """Every bad input here is refused alike by `validate` and `build` (issue 13)."""
    return _Refused(project.refused_by_both())


def errors(result) -> list[str]:
    return result.stderr.strip().splitlines()


def test_misspelled_field_names_file_line_and_suggestion(project):
    project.edit_article("title: ", "titel: ")
    line = project.line_of("titel:")
    result = validate_and_build(project)
    assert result.exit_code == 1
    assert errors(result) == [
        f"{ART}:{project.line_of('lang: en')}:1: title: required field is missing — add `title:` here (see `publisher schema` for what it holds)",
        f"{ART}:{line}:1: titel: unknown field 'titel' — did you mean 'title'?",
        "Aborted: 2 errors in 1 file.",
    ]


def test_wrong_types_bad_dates_and_all_errors_at_once(project):
    project.edit_article("question: Can loss of muscle mass cause pain?", "question: 42")
    project.edit_article("published: 2026-11-01", "published: 2026-02-30")
    project.edit_article('version: "1.0"', "version: 1.0")
    project.edit_article("references: []", "references: several")
    result = validate_and_build(project)
    assert result.exit_code == 1
    q, pub, ver = project.line_of("question: 42"), project.line_of("published:"), project.line_of("version:")
    refs = project.line_of("references: several")
    assert errors(result) == [
        f"{ART}:{q}:11: question: expected text, got the number 42 — put the text in quotes",
        f"{ART}:{pub}:14: metadata.published: expected a date as YYYY-MM-DD, got '2026-02-30'"
        " — write a real calendar date such as 2025-03-31",
        f"{ART}:{ver}:12: metadata.version: expected text, got the number 1.0 — put the text in quotes",
        f"{ART}:{refs}:15: metadata.references: expected a list, got 'several'"
        " — write each item on its own line starting with '- '",
        "Aborted: 4 errors in 1 file.",
    ]


def test_duplicate_keys_are_errors_not_silently_overwritten(project):
    project.edit_article("question: Can", "question: First question?\nquestion: Can")
    result = validate_and_build(project)
    first = project.line_of("question: First")
    assert errors(result) == [
        f"{ART}:{first + 1}:1: question: duplicate key 'question' (first given on line {first})"
        " — keep one of them and delete the other",
        "Aborted: 1 error in 1 file.",
    ]


def test_duplicate_ids_are_reported_with_both_lines(project):
    project.edit_article("id: cause-posture", "id: cause-joint-pain")
    result = validate_and_build(project)
    lines = [n for n, text in enumerate(project.article_path.read_text().splitlines(), 1)
             if "id: cause-joint-pain" in text]
    assert result.exit_code == 1
    assert errors(result)[0] == (
        f"{ART}:{lines[1]}:17: sections[1].blocks[1].items[1].id: duplicate id 'cause-joint-pain'"
        f" (first used on line {lines[0]}) — give each section, block and item its own id")
    # The translations still name the old id: each language says so, at its own line.
    orphans = [e for e in errors(result) if "no unit 'cause-posture.heading' in the source" in e]
    assert len(orphans) == 5


def test_unknown_block_kind_and_bad_id(project):
    project.edit_article("      - kind: paragraph\n        id: intro-what", "      - kind: paragraf\n        id: Intro_What")
    result = validate_and_build(project)
    line = project.line_of("kind: paragraf")
    assert errors(result) == [
        f"{ART}:{line}:15: sections[0].blocks[0].kind: unknown block kind 'paragraf'"
        " — use `kind:` with one of 'paragraph', 'list', 'callout'",
        "Aborted: 1 error in 1 file.",
    ]


def test_malformed_yaml(project):
    project.edit_article("question: Can loss of muscle mass cause pain?", "question: [unclosed")
    result = validate_and_build(project)
    assert result.exit_code == 1
    (message, summary) = errors(result)
    assert message.startswith(f"{ART}:")
    assert ": (yaml): cannot read YAML: " in message
    assert " — " in message
    assert summary == "Aborted: 1 error in 1 file."


def test_tabs_in_yaml_get_an_indentation_hint(project):
    project.edit_article("  - id: km-support", "\t- id: km-support")
    result = validate_and_build(project)
    assert "indent with spaces, not tabs" in result.stderr


def test_review_date_before_publication(project):
    project.edit_article("review: 2028-11-01", "review: 2020-01-01")
    result = validate_and_build(project)
    line = project.line_of("  author: Publisher editorial")
    assert errors(result) == [
        f"{ART}:{line}:3: metadata: the review date 2020-01-01 is not after the publication date 2026-11-01"
        " — set `review` to a later date, usually within three years",
        "Aborted: 1 error in 1 file.",
    ]


def test_missing_logo_file(project):
    (project.content / "clinics" / "default-logo.svg").unlink()
    result = validate_and_build(project)
    line = project.line_of("logo:", "clinics/default.yaml")
    assert errors(result) == [
        f"content/clinics/default.yaml:{line}:7: logo: the logo file 'default-logo.svg' does not exist"
        " — put the file in content/clinics/ or correct the name",
        "Aborted: 1 error in 1 file.",
    ]


def test_logo_outside_the_project_is_refused(project, tmp_path):
    outside = tmp_path / "elsewhere.svg"
    outside.write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (project.content / "clinics" / "sneaky.svg").symlink_to(outside)
    text = (project.content / "clinics" / "default.yaml").read_text()
    (project.content / "clinics" / "default.yaml").write_text(text.replace("default-logo.svg", "sneaky.svg"))
    result = validate_and_build(project)
    assert "logo: the logo 'sneaky.svg' is outside the clinics folder" in result.stderr
    assert result.exit_code == 1


def test_unreadably_light_brand_colour(project):
    text = (project.content / "clinics" / "default.yaml").read_text()
    (project.content / "clinics" / "default.yaml").write_text(text.replace("#1F4E79", "#FFD700"))
    result = validate_and_build(project)
    line = project.line_of("primary:", "clinics/default.yaml")
    assert errors(result) == [
        f"content/clinics/default.yaml:{line}:12: [colour-contrast] colours.primary: #FFD700 is too light to read on white paper"
        " (contrast 1.4:1, at least 4.5:1 needed) — choose a darker shade of the brand colour",
        "Aborted: 1 error in 1 file.",
    ]


def test_a_character_no_font_covers_names_file_field_and_character(project):
    project.edit_article("heading: Joint pain", "heading: Joint pain ✈")
    result = project.cli("build")
    line = project.line_of("Joint pain ✈")
    assert result.exit_code == 1
    # The edit makes every translation of the heading stale, so all languages print it.
    assert errors(result) == [
        f"{ART}:{line}:22: [glyph-coverage] sections[1].blocks[1].items[0].heading: the character '✈' (U+2708 AIRPLANE)"
        " cannot be printed in 'en', 'ar', 'de', 'es', 'fr', 'zh-Hans': no font covers it"
        " (Noto Naskh Arabic, Noto Sans, Noto Sans CJK SC)"
        " — replace it with a common character, or add a font that covers it in templates/fonts/fonts.yaml",
        "Aborted: 1 error in 1 file.",
    ]
    assert not (project.root / "output").exists()


def test_errors_in_several_files_are_all_reported(project):
    project.edit_article("titles", "titles") if False else project.edit_article("title: ", "titel: ")
    (project.content / "clinics" / "default-logo.svg").unlink()
    result = project.cli("build")
    assert result.exit_code == 1
    assert errors(result)[-1] == "Aborted: 3 errors in 2 files."


def _digests(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("breakage", ["yaml", "glyph", "logo"])
def test_failed_build_leaves_earlier_outputs_untouched(project, breakage):
    assert project.cli("build", "--lang", "en", "--lang", "ar").exit_code == 0
    before = _digests(project.root / "output")
    if breakage == "yaml":
        project.edit_article("question:", "question: : :")
    elif breakage == "glyph":
        project.edit_article("heading: Stretch", "heading: Stretch ☃")
    else:
        (project.content / "clinics" / "riverside-physio-logo.png").write_bytes(b"not a png")
    result = project.cli("build", "--lang", "en", "--lang", "ar")
    assert result.exit_code == 1
    assert _digests(project.root / "output") == before


def test_template_syntax_in_content_comes_out_literally(project):
    project.edit_article("heading: Joint pain", 'heading: "Joint {{ 7 * 7 }} {% if 1 %}pain{% endif %} <b>x</b>"')
    result = project.cli("build", "--clinic", "default", "--format", "handout", "--lang", "en")
    assert result.exit_code == 0, result.output
    from pypdf import PdfReader
    text = "".join(page.extract_text() for page in PdfReader(
        project.root / f"output/{SEED}/en/default/handout-a4.pdf").pages)
    assert "Joint {{ 7 * 7 }} {% if 1 %}pain{% endif %} <b>x</b>" in text
    assert "Joint 49" not in text


def test_unknown_selection_is_a_usage_error(project):
    result = project.cli("build", "--article", "no-such-article")
    assert result.exit_code == 2
    assert "--article: unknown 'no-such-article'; choose from muscle-mass-loss-and-pain" in result.stderr


def test_empty_content_folder(tmp_path):
    from tests.conftest import run_cli
    (tmp_path / "content").mkdir()
    result = run_cli("validate", "--content", "content", cwd=tmp_path)
    assert result.exit_code == 1
    assert errors(result) == [
        "content/articles:1:1: (folder): no */article.yaml files found"
        " — check --content (now content) points at the content folder",
        "content/clinics:1:1: (folder): no *.yaml files found — check --content (now content) points at the content folder",
        "Aborted: 2 errors in 2 files.",
    ]
