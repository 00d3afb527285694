"""The templates folder is validated like content (issue 13).

Each case breaks a copy of the project's templates folder and runs it
through `validate --templates` and `build --templates`: both must refuse it
with the same located lines, never with "internal error" or a traceback.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from publisher.content.template_config import check_templates
from tests.conftest import SEED, TEMPLATES

SEE = "see the comments at the top of the file for what this field holds"


@pytest.fixture
def templates(project) -> Path:
    folder = project.root / "templates"
    shutil.copytree(TEMPLATES, folder)
    return folder


def edit(path: Path, old: str, new: str) -> int:
    """Replace `old` once; return the line the change is on."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    at = text.index(old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[:at].count("\n") + 1


def refused(project) -> list[str]:
    return project.refused_by_both("--templates", "templates")


def test_a_misspelt_key_in_the_handout_layout_is_located_with_a_suggestion(project, templates):
    line = edit(templates / "handout" / "layout.yaml", "max_pages:", "max_pagess:")
    assert refused(project) == [
        f"templates/handout/layout.yaml:{line}:1: max_pages: required field is missing — add `max_pages:` here"
        " (see the comments at the top of the file for what it holds)",
        f"templates/handout/layout.yaml:{line}:1: max_pagess: unknown field 'max_pagess' — did you mean 'max_pages'?",
        "Aborted: 2 errors in 1 file.",
    ]


def test_a_page_budget_that_is_not_a_number_is_located(project, templates):
    line = edit(templates / "handout" / "layout.yaml", "max_pages: 2", "max_pages: two")
    assert refused(project) == [
        f"templates/handout/layout.yaml:{line}:12: max_pages: expected a whole number, got 'two' — write a whole"
        " number, without quotes",
        "Aborted: 1 error in 1 file.",
    ]


def test_a_density_without_its_css_rule_is_located(project, templates):
    line = edit(templates / "handout" / "layout.yaml", "densities: [generous, roomy, comfortable, compact,",
                "densities: [generous, roomy, comfortable, compactt,")
    assert refused(project) == [
        f"templates/handout/layout.yaml:{line}:43: densities[3]: the density 'compactt' has no `.density-compactt`"
        " rule in templates/handout/handout.css — add the rule, or use one of: comfortable, compact, generous,"
        " roomy, tight, tightest",
        "Aborted: 1 error in 1 file.",
    ]


def test_poster_sheet_sizes_out_of_order(project, templates):
    sheets = templates / "poster" / "sheets.yaml"
    edit(sheets, "  body_min_pt: 24\n  body_max_pt: 40\na2:", "  body_min_pt: 48\n  body_max_pt: 40\na2:")
    name = project.line_of("name: A3", "../templates/poster/sheets.yaml")
    assert refused(project) == [
        f"templates/poster/sheets.yaml:{name}:3: a3: body_min_pt (48) is larger than body_max_pt (40)"
        " — make body_min_pt the smaller of the two",
        "Aborted: 1 error in 1 file.",
    ]


def test_a_poster_sheet_the_format_needs_is_missing(project, templates):
    sheets = templates / "poster" / "sheets.yaml"
    edit(sheets, "tabloid:", "tabloidd:")
    first = project.line_of("a3:", "../templates/poster/sheets.yaml")
    assert refused(project) == [
        f"templates/poster/sheets.yaml:{first}:1: (document): no sheet 'tabloid' is described; the poster is made"
        " in a3, a2, tabloid — add `tabloid:` with name, page, margin, body_min_pt and body_max_pt",
        "Aborted: 1 error in 1 file.",
    ]


def test_font_and_icon_catalogues_naming_missing_files_or_families(project, templates):
    fonts = templates / "fonts" / "fonts.yaml"
    face = edit(fonts, "- file: NotoSans-Bold.ttf", "- file: NotoSans-Black.ttf")
    stack = edit(fonts, "ar: [Noto Naskh Arabic, Noto Sans]", "ar: [Noto Naskh Arabik, Noto Sans]")
    icons = templates / "icons" / "icons.yaml"
    (templates / "icons" / "heart.svg").unlink()
    heart = edit(icons, "heart: A heart", "heart: A heart")
    assert refused(project) == [
        f"templates/fonts/fonts.yaml:{face}:15: families[0].faces[1].file: there is no NotoSans-Black.ttf in"
        " templates/fonts/ — put the font file there (tools/make_fonts.py makes it) or correct the name",
        f"templates/fonts/fonts.yaml:{stack}:8: stacks.ar[0]: no family 'Noto Naskh Arabik' is declared under"
        " `families` — use one of: Noto Sans, Noto Naskh Arabic, Noto Sans CJK SC",
        f"templates/icons/icons.yaml:{heart}:1: heart: there is no heart.svg beside the catalogue"
        " — draw the icon or remove its entry",
        "Aborted: 3 errors in 2 files.",
    ]


def test_an_icon_without_alt_text_is_located(project, templates):
    alt = edit(templates / "icons" / "icons.yaml", "info: The letter i in a circle", 'info: "  "')
    assert refused(project) == [
        f"templates/icons/icons.yaml:{alt}:7: info: the text is empty — write the text",
        "Aborted: 1 error in 1 file.",
    ]


def test_deck_fonts_with_a_bad_theme_reference_and_a_missing_metric_file(project, templates):
    deck = templates / "deck" / "fonts.yaml"
    ref = edit(deck, 'body: {latin: "+mn-lt", ea: "+mn-ea", cs: "+mn-cs"}',
               'body: {latin: "+mx-lt", ea: "+mn-ea", cs: "+mn-cs"}')
    metric = edit(deck, "bold: Carlito-Bold.ttf", "bold: ../Carlito-Bold.ttf")
    assert refused(project) == [
        f"templates/deck/fonts.yaml:{ref}:19: typefaces.default.body.latin: '+mx-lt' is not a theme font reference"
        " — use +mj-lt, +mj-ea, +mj-cs (headings) or +mn-lt, +mn-ea, +mn-cs (body), or a font's name",
        f"templates/deck/fonts.yaml:{metric}:11: metrics.Calibri.bold: expected a file name without a folder, got"
        " '../Carlito-Bold.ttf' — write only the name of a file in the folder this file describes",
        "Aborted: 2 errors in 1 file.",
    ]


def test_a_label_that_is_not_text_is_located(project, templates):
    line = edit(templates / "labels" / "en.yaml", "key_messages: Key messages", "key_messages: [Key, messages]")
    assert refused(project) == [
        f"templates/labels/en.yaml:{line}:15: key_messages: expected text, got a list — put the text in quotes",
        "Aborted: 1 error in 1 file.",
    ]


def test_jinja_syntax_errors_unknown_filters_and_missing_templates_are_located(project, templates):
    poster = templates / "poster" / "poster.html.j2"
    syntax = edit(poster, "{% macro tiles(shown) %}", "{% macro tiles((shown) %}")
    handout = templates / "handout" / "handout.html.j2"
    include = edit(handout, '{% from "shared/blocks.html.j2" import', '{% from "shared/block.html.j2" import')
    flt = edit(handout, '| css_string }}', '| css_strin }}')
    assert refused(project) == [
        f"templates/handout/handout.html.j2:{include}:1: (template): template error: the template"
        " 'shared/block.html.j2' does not exist — name a template that exists under the templates folder",
        f"templates/handout/handout.html.j2:{flt}:1: (template): template error: no filter named 'css_strin'"
        " — close every {{ }}, {% %} and {% block %} you open, and use only the filters publisher defines",
        f"templates/poster/poster.html.j2:{syntax}:1: (template): template error: expected token 'name', got '('"
        " — close every {{ }}, {% %} and {% block %} you open, and use only the filters publisher defines",
        "Aborted: 3 errors in 2 files.",
    ]


def test_a_misspelt_name_in_a_template_is_found_before_rendering(project, templates):
    line = edit(templates / "handout" / "handout.html.j2", "{% block html_class %}density-{{ density }}",
                "{% block html_class %}density-{{ densty }}")
    assert refused(project) == [
        f"templates/handout/handout.html.j2:{line}:1: (template): template error: 'densty' is undefined"
        " — did you mean 'density'?",
        "Aborted: 1 error in 1 file.",
    ]


def test_a_misspelt_attribute_comes_back_from_the_render_located(project, templates):
    line = edit(templates / "handout" / "handout.html.j2", "{% block html_class %}density-{{ density }}",
                "{% block html_class %}density-{{ density }}{{ meta.verison }}")
    assert project.cli("validate", "--templates", "templates").exit_code == 0  # attributes are known only at render
    result = project.cli("build", "--templates", "templates", "--format", "handout", "--lang", "en",
                         "--clinic", "default")
    assert result.exit_code == 1
    lines = [x for x in result.stderr.splitlines() if x.startswith(("templates/", "Aborted"))]
    assert lines == [
        f"templates/handout/handout.html.j2:{line}:1: (template): template error: 'publisher.content.models.Metadata"
        " object' has no attribute 'verison' — check the spelling against the values the format hands its template"
        " (publisher/targets/), or give it a default with `| default(...)`",
        "Aborted: 1 error in 1 file.",
    ]
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert not (project.root / "output" / SEED).exists()


def test_the_shipped_templates_pass_quickly():
    started = time.process_time()
    assert check_templates(TEMPLATES) == []
    assert time.process_time() - started < 1.0


def test_an_undefined_name_in_the_deck_outline_is_located(project, templates):
    line = edit(templates / "deck" / "outline.yaml.j2", "labels.deck_agenda", "labels.deck_agenda ~ agendaa")
    macro = edit(templates / "shared" / "blocks.html.j2", "{{ item.text | marked }}", "{{ item.text | marked }}{{ numeralz }}")
    assert refused(project) == [
        f"templates/deck/outline.yaml.j2:{line}:1: (template): template error: 'agendaa' is undefined"
        " — check the spelling against the values the format hands its template (publisher/targets/),"
        " or give it a default with `| default(...)`",
        f"templates/shared/blocks.html.j2:{macro}:1: (template): template error: 'numeralz' is undefined"
        " — did you mean 'numerals'?",
        "Aborted: 2 errors in 2 files.",
    ]


def test_a_label_placeholder_no_template_fills_is_located_in_the_wording(project, templates):
    line = edit(templates / "labels" / "en.yaml", 'version: "Version {version}"', 'version: "Version {versoin}"')
    lines = refused(project)
    assert f"templates/labels/en.yaml:{line}:10: version: {{versoin}} is not a placeholder the templates fill in" \
           " here (they give: {version}) — use only those names, in braces, and the same in every translation" in lines
    assert lines[-1] == "Aborted: 6 errors in 6 files."  # and one in each of the five translations


def test_a_label_missing_its_value_at_render_is_a_located_template_error(tmp_path):
    from jinja2 import TemplateError

    from publisher.templating import environment, template_problem

    (tmp_path / "t.html.j2").write_text("<p>\n{{ 'Page {page} of {pagse}' | fill(page=1, pages=2) }}</p>")
    try:
        environment(tmp_path).get_template("t.html.j2").render()
    except TemplateError as exc:
        problem = template_problem(exc, tmp_path, "t.html.j2").problems[0]
    assert (problem.line, problem.field) == (2, "(template)")
    assert problem.message == ("template error: the label 'Page {page} of {pagse}' has a placeholder {pagse}"
                               " that is given no value here")


def test_a_template_nested_too_deep_is_refused_not_a_recursion_error(project, templates):
    fonts = templates / "shared" / "fonts.css.j2"
    lines = fonts.read_text().count("\n")
    fonts.write_text(fonts.read_text() + "{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}\n"
                     + "{% if true %}" * 70 + "{% endif %}" * 70 + "\n")
    assert refused(project) == [
        "templates/shared/fonts.css.j2:1:1: (template): template error: the template nests more than 60 levels deep"
        " (brackets, tags and expressions inside one another) — fix the template; content is never template code",
        "Aborted: 1 error in 1 file.",
    ]
    fonts.write_text(fonts.read_text().split("{{ (")[0] + "{% if true %}" * 70 + "{% endif %}" * 70 + "\n")
    assert refused(project)[0].startswith(f"templates/shared/fonts.css.j2:{lines + 1}:1: (template): template error:"
                                          " the template nests more than 60 levels deep")


def test_a_missing_format_template_is_refused_before_rendering(project, templates):
    (templates / "poster" / "poster.html.j2").unlink()
    assert refused(project) == [
        "templates/poster/poster.html.j2:1:1: (template): template error: the template 'poster/poster.html.j2' does"
        " not exist; the format renders it — name a template that exists under the templates folder",
        "Aborted: 1 error in 1 file.",
    ]


def test_a_misspelt_poster_shortening_step_is_located(project, templates):
    line = edit(templates / "poster" / "fit.yaml", "  - {compact_footer: true}\n", "  - {compact_foter: true}\n")
    assert refused(project) == [
        f"templates/poster/fit.yaml:{line}:6: steps[0].compact_foter: unknown field 'compact_foter'"
        " — did you mean 'compact_footer'?",
        "Aborted: 1 error in 1 file.",
    ]
