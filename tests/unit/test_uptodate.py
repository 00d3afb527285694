"""The digest of a build's inputs: what counts, what does not."""

from __future__ import annotations

from publisher.build import uptodate


def _tree(root, files):
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def _digest(tmp_path, asked=None, output="output"):
    return uptodate.read_inputs(tmp_path / "content", tmp_path / "templates", tmp_path / output,
                                asked or uptodate.request()).digest


def test_the_digest_follows_content_names_and_roots_not_places_or_times(tmp_path):
    _tree(tmp_path, {"content/articles/a/article.yaml": "x: 1\n", "templates/handout/t.css": "p {}\n"})
    first = _digest(tmp_path)
    assert _digest(tmp_path) == first
    (tmp_path / "content/articles/a/article.yaml").touch()  # a new time, the same bytes
    assert _digest(tmp_path) == first
    (tmp_path / "content/articles/a/article.yaml").write_text("x: 2\n")
    assert _digest(tmp_path) != first
    (tmp_path / "content/articles/a/article.yaml").write_text("x: 1\n")
    assert _digest(tmp_path) == first
    (tmp_path / "content/articles/a/article.yaml").rename(tmp_path / "content/articles/a/other.yaml")
    assert _digest(tmp_path) != first


def test_a_file_moved_between_content_and_templates_counts(tmp_path):
    _tree(tmp_path, {"content/x.css": "p {}\n", "templates/keep": ""})
    before = _digest(tmp_path)
    (tmp_path / "content/x.css").rename(tmp_path / "templates/x.css")
    assert _digest(tmp_path) != before


def test_an_output_folder_inside_the_content_folder_is_not_an_input(tmp_path):
    _tree(tmp_path, {"content/articles/a/article.yaml": "x: 1\n", "templates/t.css": ""})
    before = _digest(tmp_path, output="content/out")
    _tree(tmp_path, {"content/out/a/en/default/handout-a4.pdf": "%PDF"})
    assert _digest(tmp_path, output="content/out") == before


def test_the_command_and_source_date_epoch_count(tmp_path, monkeypatch):
    _tree(tmp_path, {"content/a.yaml": "", "templates/t.css": ""})
    plain = _digest(tmp_path)
    assert _digest(tmp_path, uptodate.request(langs=["en"])) != plain
    assert _digest(tmp_path, uptodate.request(bleed="3mm")) != plain
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    assert _digest(tmp_path) != plain


def test_no_record_or_a_foreign_one_means_check_everything(tmp_path):
    inputs = uptodate.Inputs("0" * 64)
    assert uptodate.nothing_changed(tmp_path, inputs) is None
    (tmp_path / uptodate.SNAPSHOT).write_text('{"inputs": "' + "0" * 64 + '", "files": 3}')
    assert uptodate.nothing_changed(tmp_path, inputs) is None


def test_the_system_text_libraries_count(tmp_path, monkeypatch):
    from publisher.build import system_libraries

    names = [name for name, _ in system_libraries.versions()]
    assert names == ["pango", "harfbuzz", "harfbuzz-subset", "fontconfig"]
    before = uptodate.read_inputs(tmp_path, tmp_path, tmp_path / "out", uptodate.request())
    monkeypatch.setattr(system_libraries, "versions", lambda: (("pango", "99.0"),))
    assert uptodate.read_inputs(tmp_path, tmp_path, tmp_path / "out", uptodate.request()) != before
