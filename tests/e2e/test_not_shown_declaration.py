"""`templates/<format>/not-shown.yaml`: a mistake in it is a located refusal of
both `validate` and `build`, and what it lists leaves the fingerprint alone."""

from __future__ import annotations

import shutil

from publisher.targets.shown import EVERYTHING_SHOWN, load_not_shown, view
from tests.conftest import TEMPLATES

POSTER = "templates/poster/not-shown.yaml"


def with_templates(project, **files: str):
    shutil.copytree(TEMPLATES, project.root / "templates")
    for fmt, text in files.items():
        (project.root / "templates" / fmt / "not-shown.yaml").write_text(text, encoding="utf-8")


def test_misspelt_models_and_fields_are_refused_where_written_all_at_once(project):
    with_templates(project, poster="Paragraph: all\nSectoin: [notes]\nItem: [short, icn]\nMetadata: all\n",
                   deck="Clinic: [numerals]\nClinic: [address]\n")
    fields = "'all', 'id', 'heading', 'text', 'short' or 'icon'"
    assert project.refused_by_both("--templates", "templates") == [
        "templates/deck/not-shown.yaml:2:1: Clinic: duplicate key 'Clinic' (first given on line 1)"
        " — keep one of them and delete the other",
        f"{POSTER}:2:1: Sectoin: unknown field 'Sectoin' — did you mean 'Section'?",
        f"{POSTER}:3:15: Item[1]: expected one of {fields}, got 'icn' — use one of {fields}",
        f"{POSTER}:4:11: Metadata: expected a list, got 'all' — write each item on its own line starting with '- '",
        "Aborted: 4 errors in 2 files.",
    ]


def test_an_unknown_label_is_refused_with_the_closest_one(project):
    with_templates(project, deck="labels: [contact, deck_agnda]\n")
    assert project.refused_by_both("--templates", "templates") == [
        "templates/deck/not-shown.yaml:1:19: labels[1]: unknown label 'deck_agnda' — did you mean 'deck_agenda'?",
        "Aborted: 1 error in 1 file.",
    ]


def test_a_declaration_that_is_not_a_mapping_is_refused(project):
    with_templates(project, handout="- Item\n")
    assert project.refused_by_both("--templates", "templates") == [
        "templates/handout/not-shown.yaml:1:1: (document): expected a mapping of model names to fields"
        " — write `ModelName: [field, ...]` lines, such as `Section: [notes]`",
        "Aborted: 1 error in 1 file.",
    ]


def test_without_a_declaration_a_format_shows_everything(tmp_path):
    (tmp_path / "poster").mkdir()
    assert load_not_shown(tmp_path, "poster", ()) == EVERYTHING_SHOWN


def test_listed_fields_and_whole_entries_drop_out_of_the_view():
    from publisher.content import load_project
    from publisher.i18n.labels import load_labels
    from tests.conftest import FIXTURES

    article = load_project(FIXTURES / "hydration").articles["staying-hydrated"].article
    poster = view(article, load_not_shown(TEMPLATES, "poster", tuple(load_labels(TEMPLATES).source)))
    assert "key_messages" not in poster and "audience" in poster["metadata"]
    assert [b["kind"] for s in poster["sections"] for b in s["blocks"]] == ["list", "callout"]
    assert poster["sections"][1]["blocks"][0].keys() == {"kind", "style", "items", "poster"}
    assert view(article, EVERYTHING_SHOWN) == article.model_dump(mode="json")
