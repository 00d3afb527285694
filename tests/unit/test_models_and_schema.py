import json

from publisher.content import contrast_on_white, load_project
from publisher.content.models import Article
from tests.conftest import CONTENT, ROOT, run_cli


def test_the_schema_is_general_not_the_seeds_shape():
    article = Article.model_validate({
        "title": "T", "question": "Q?", "key_messages": [{"id": "k", "text": "K"}],
        "sections": [{"id": f"s{i}", "heading": f"H{i}", "blocks": [
            {"kind": "callout", "id": f"c{i}", "style": "warning", "text": "careful"},
            {"kind": "list", "id": f"l{i}", "items": [{"id": f"i{i}-{n}", "text": "x"} for n in range(6)]},
        ]} for i in range(3)],
        "metadata": {"author": "a", "source": {"title": "t", "author": "a"}, "organisation": "o",
                     "published": "2025-01-01", "review": "2026-01-01", "version": "2", "audience": "x",
                     "disclaimer": "d"},
    })
    assert len(article.sections) == 3 and len(article.sections[0].blocks[1].items) == 6
    assert article.sections[0].blocks[1].style == "bulleted"
    assert article.metadata.references == []


def test_text_is_normalised():
    project = load_project(CONTENT)
    intro = project.articles["muscle-mass-loss-and-pain"].article.sections[0].blocks[0].text
    assert "\n" not in intro and "  " not in intro and not intro.endswith(" ")


def test_contrast():
    assert round(contrast_on_white("#000000"), 1) == 21.0
    assert round(contrast_on_white("#FFFFFF"), 1) == 1.0


def test_committed_json_schemas_are_current():
    for kind in ("article", "clinic"):
        result = run_cli("schema", kind)
        assert result.exit_code == 0
        committed = json.loads((ROOT / "schemas" / f"{kind}.schema.json").read_text())
        assert json.loads(result.stdout) == committed, f"run `make schemas` to refresh schemas/{kind}.schema.json"
    schema = json.loads(run_cli("schema").stdout)
    assert schema["properties"]["title"]["description"] == "The article's title."
    assert schema["additionalProperties"] is False


def test_validate_accepts_the_shipped_content():
    result = run_cli("validate", "--content", str(CONTENT))
    assert result.exit_code == 0
    assert result.stdout == "OK: 1 articles, 2 clinics.\n"


def test_text_collapses_line_breaks_but_keeps_deliberate_spaces():
    from publisher.content.models import KeyMessage
    assert KeyMessage(id="k", text=" Douleurs\u00a0?\n  Oui.\u3000好 ").text == "Douleurs\u00a0? Oui.\u3000好"
