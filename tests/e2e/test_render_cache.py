"""The render cache (`--cache DIR`): a file made once is copied, not rendered, by any
later build with the same fingerprint, into any output folder; anything else renders."""

from __future__ import annotations

import hashlib
import json
import re
import shutil

import pytest

from publisher.build import render_cache
from tests.conftest import CONTENT, TEMPLATES, run_cli

ONE = ("--format", "handout", "--clinic", "default")


def digests(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.startswith(".")}


def build(root, output, *args, langs=("en",)):
    result = run_cli("build", "--content", "content", "--templates", "templates", "--output", output,
                     "--cache", "cache", *ONE, *(f"--lang={lang}" for lang in langs), "--json", *args, cwd=root)
    assert result.stdout.strip().startswith("{"), result.output
    return result, json.loads(result.stdout)


@pytest.fixture(scope="module")
def cached(tmp_path_factory):
    """A project whose English and Spanish A4 and Letter handouts are in its cache."""
    root = tmp_path_factory.mktemp("cache")
    shutil.copytree(CONTENT, root / "content")
    shutil.copytree(TEMPLATES, root / "templates")
    result, summary = build(root, "first", langs=("en", "es"))
    assert (result.exit_code, summary["built"], summary["cached"]) == (0, 4, 0), result.output
    return root


@pytest.fixture
def project(cached, tmp_path, monkeypatch):
    monkeypatch.delenv("PUBLISHER_CACHE", raising=False)  # only the cache each test names
    root = tmp_path / "p"
    shutil.copytree(cached, root)
    return root


def test_another_output_folder_copies_every_file_from_the_cache(project):
    result, summary = build(project, "second", langs=("en", "es"))
    assert (result.exit_code, summary["built"], summary["cached"], summary["render_seconds"]) == (0, 4, 4, 0.0)
    assert digests(project / "second") == digests(project / "first")  # the manifest included


def test_force_renders_whatever_the_cache_holds(project):
    result, summary = build(project, "second", "--force")
    assert (result.exit_code, summary["built"], summary["cached"]) == (0, 2, 0)
    assert summary["render_seconds"] > 0


def test_a_tampered_entry_is_rendered_again_never_copied(project):
    for data in (project / "cache").rglob("*.bin"):
        data.write_bytes(data.read_bytes().replace(b"%%EOF", b"%%EOX"))
    result, summary = build(project, "second", langs=("en", "es"))
    assert (result.exit_code, summary["cached"]) == (0, 0)
    assert digests(project / "second") == digests(project / "first")


def test_an_edited_checkout_of_publisher_does_not_reuse_files(project, monkeypatch):
    monkeypatch.setattr(render_cache, "code_digest", lambda: "another checkout")
    result, summary = build(project, "second")
    assert (result.exit_code, summary["cached"]) == (0, 0)


def test_an_edit_renders_the_files_that_show_it_and_copies_the_others(project):
    article = project / "content" / "articles" / "muscle-mass-loss-and-pain" / "translations" / "de.yaml"
    assert article.is_file()
    result, summary = build(project, "second", langs=("en", "de"))
    assert (result.exit_code, summary["built"], summary["cached"]) == (0, 4, 2), result.output


def test_new_thresholds_check_the_cached_file_again_without_rendering_it(project):
    # A handout's body is 12.5 pt: a 13 pt floor fails it, from the same cached bytes.
    (project / "content" / "checks.yaml").write_text("type-size:\n  all:\n    min_pt:\n      handout: 13\n")
    result, summary = build(project, "second")
    assert result.exit_code == 1
    assert summary["cached"] == 2 and summary["render_seconds"] == 0.0
    assert "[type-size]" in result.stderr and "below the 13 pt that a handout allows" in result.stderr


def test_a_gate_error_found_once_is_found_again_from_the_cache(project):
    (project / "content" / "checks.yaml").write_text("type-size:\n  all:\n    min_pt:\n      handout: 13\n")
    first, _ = build(project, "second")
    again, summary = build(project, "third")
    assert (first.exit_code, again.exit_code, summary["cached"]) == (1, 1, 2)
    assert [line for line in again.stderr.splitlines() if "[type-size]" in line] == \
        [line for line in first.stderr.splitlines() if "[type-size]" in line] != []
    assert not (project / "third").exists() or not list((project / "third").rglob("*.pdf"))



def test_a_finding_from_the_cache_points_at_the_line_the_text_is_on_now(project):
    # A Spanish key message copied from the English fails `no-untranslated-text` at its line
    # in es.yaml; a comment added above it moves the line and changes no output file.
    es = project / "content" / "articles" / "muscle-mass-loss-and-pain" / "translations" / "es.yaml"
    es.write_text(es.read_text().replace(
        "Unos músculos más débiles dan menos apoyo a sus articulaciones, su espalda y su cuello.",
        "Weaker muscles give your joints, back and neck less support."))
    first, _ = build(project, "second", langs=("es",))
    es.write_text("# a comment\n" + es.read_text())
    again, summary = build(project, "third", langs=("es",))
    assert (first.exit_code, again.exit_code, summary["cached"]) == (1, 1, 2)
    before = [line for line in first.stderr.splitlines() if "[no-untranslated-text]" in line]
    after = [line for line in again.stderr.splitlines() if "[no-untranslated-text]" in line]
    assert len(before) == 2 and after == [
        re.sub(r"es\.yaml:(\d+):", lambda m: f"es.yaml:{int(m[1]) + 1}:", line) for line in before]


def test_content_gates_are_read_from_the_cache_and_run_again_after_an_edit(project, monkeypatch):
    from publisher.checks.gate import gates

    def validate():
        return run_cli("validate", "--content", "content", "--templates", "templates", "--cache", "cache",
                       cwd=project)

    assert validate().exit_code == 0  # the cache folder now holds what every content gate found

    def refuse(*args):
        raise AssertionError("the gate ran")
    monkeypatch.setattr(type(gates()["reading-level"]), "check", refuse)
    assert validate().exit_code == 0  # nothing changed: read, not run
    article = project / "content" / "articles" / "muscle-mass-loss-and-pain" / "article.yaml"
    article.write_text(article.read_text().replace("Muscles support and protect your bones",
                                                   "Muscles hold up and protect your bones"))
    result = validate()  # the English changed: the gates read it again
    assert result.exit_code == 1
    assert "[reading-level] the gate failed: AssertionError: the gate ran" in result.stderr
