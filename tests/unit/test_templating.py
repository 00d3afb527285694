from pathlib import Path

import pytest

from publisher.templating import css_string, environment, fill, split_label


def test_fill_replaces_only_named_placeholders():
    assert fill("Page {page} of {pages}", page=1, pages=2) == "Page 1 of 2"
    # a value that looks like a placeholder is inserted as it is, never re-read
    assert fill("By {author}", author="{pages} {0.__class__}") == "By {pages} {0.__class__}"
    with pytest.raises(KeyError):
        fill("Version {version}")


def test_split_label_and_css_string():
    assert split_label("Page {page} of {pages}", "page") == ["Page ", " of {pages}"]
    assert css_string('a"b</style>') == '"a\\22 b\\3c \\2f style\\3e "'
    assert css_string("صفحة 1") == '"صفحة 1"'


def test_content_is_escaped_and_never_compiled(tmp_path: Path):
    (tmp_path / "t.html.j2").write_text("<p>{{ text }}</p>")
    env = environment(tmp_path)
    out = env.get_template("t.html.j2").render(text="{{ 7*7 }} <script>x</script>")
    assert out == "<p>{{ 7*7 }} &lt;script&gt;x&lt;/script&gt;</p>"


def test_strict_undefined(tmp_path: Path):
    (tmp_path / "u.html.j2").write_text("{{ nothing }}")
    from jinja2 import UndefinedError
    with pytest.raises(UndefinedError):
        environment(tmp_path).get_template("u.html.j2").render()


def test_every_icon_has_translatable_alt_text():
    import yaml

    from tests.conftest import TEMPLATES
    icons = yaml.safe_load((TEMPLATES / "icons" / "icons.yaml").read_text())
    labels = yaml.safe_load((TEMPLATES / "labels" / "en.yaml").read_text())
    assert {f"icon_{name}": alt for name, alt in icons.items()} == {
        key: value for key, value in labels.items() if key.startswith("icon_")}
