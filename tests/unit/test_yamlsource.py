import pytest

from publisher.content.yamlsource import display_path, load_yaml
from publisher.errors import ContentError


def load(tmp_path, text):
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    return load_yaml(path, "x.yaml")


def test_positions_of_values_and_keys(tmp_path):
    doc = load(tmp_path, "a: 1\nlist:\n  - b: two\n    c: three\n")
    assert doc.data == {"a": 1, "list": [{"b": "two", "c": "three"}]}
    assert doc.source.values[("list", 0, "c")] == (4, 8)
    assert doc.source.keys[("list", 0, "c")] == (4, 5)
    assert doc.source.locate(("list", 0, "missing")) == (3, 5)  # nearest existing ancestor


def test_impossible_date_stays_text_for_the_validator(tmp_path):
    assert load(tmp_path, "d: 2024-13-01\ne: 2024-02-03\n").data["d"] == "2024-13-01"


def test_duplicate_keys_at_any_depth(tmp_path):
    with pytest.raises(ContentError) as info:
        load(tmp_path, "a:\n  b: 1\n  b: 2\n")
    assert str(info.value) == "x.yaml:3:3: a.b: duplicate key 'b' (first given on line 2) — keep one of them and delete the other"


@pytest.mark.parametrize("text, message", [
    ("", "x.yaml:1:1: (document): the file is empty — fill it in; `publisher schema` lists the fields"),
    ("a: 1\n---\nb: 2\n", "x.yaml:2:1: (yaml): cannot read YAML: but found another document"
                          " — keep one document per file (remove the extra '---')"),
    ("a: b: c\n", "x.yaml:1:5: (yaml): cannot read YAML: mapping values are not allowed here"
                  " — put text that contains ': ' in quotes"),
    ("? [a, b]\n: 1\n", "x.yaml:1:3: (document): a key must be a plain name, got [] — write keys as simple words such as `title:`"),
])
def test_unreadable_files(tmp_path, text, message):
    with pytest.raises(ContentError) as info:
        load(tmp_path, text)
    assert str(info.value).startswith(message.split(" got ")[0])


def test_control_characters(tmp_path):
    with pytest.raises(ContentError) as info:
        load(tmp_path, "a: 1\nb: x\x1fy\n")
    assert str(info.value) == ("x.yaml:2:5: (yaml): the invisible control character U+001F is not allowed"
                               " — delete it (it often comes from copying text out of another program)")


def test_not_utf8(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_bytes(b"title: caf\xe9\n")
    with pytest.raises(ContentError) as info:
        load_yaml(path, "x.yaml")
    assert "not UTF-8 text" in str(info.value)


def test_display_path():
    assert display_path(("sections", 2, "blocks", 0, "text")) == "sections[2].blocks[0].text"
    assert display_path(()) == "(document)"
