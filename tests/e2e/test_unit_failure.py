"""One failure never blocks the catalogue (issue 12, item 7): the unit of
success is one article in one language for one clinic; a unit is written
whole or not at all, and every other unit is written."""

from __future__ import annotations

import hashlib
import json
import shutil

import pytest

from publisher.errors import Problem, RenderError
from tests.conftest import CONTENT, SEED, run_cli

pytestmark = pytest.mark.renders  # renders every file itself: see RENDER_CACHE in tests/conftest.py

SELECTION = ["--lang", "en", "--format", "deck", "--format", "handout", "--jobs", "1"]  # 2 units of 3 files
FAILING = "riverside-physio"
ARTICLE = f"content/articles/{SEED}/article.yaml"


def digests(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.startswith(".")}


def build(root, output, *args):
    return run_cli("build", "--content", "content", "--output", str(output), *SELECTION, *args, cwd=root)


@pytest.fixture
def edited(tmp_path):
    """A project built once from the shipped content, then edited so that every file must change."""
    root = tmp_path / "project"
    shutil.copytree(CONTENT, root / "content")
    assert build(root, root / "output").exit_code == 0
    article = root / "content/articles" / SEED / "article.yaml"
    article.write_text(article.read_text().replace("Muscles support and protect", "Muscles hold and protect"))
    return root


def fail_one_file(monkeypatch, clinic: str = FAILING, variant: str = "letter"):
    """The letter handout of one clinic cannot be made, as a poster that cannot fit cannot."""
    from publisher.targets import targets

    kind = type(targets()["handout"])
    real = kind.render

    def render(self, job):
        if job.clinic.id == clinic and job.variant == variant:
            raise RenderError([Problem(ARTICLE, 12, 5, "sections[0].heading",
                                       f"the letter handout for clinic '{job.clinic.id}' does not fit",
                                       "shorten the heading")])
        return real(self, job)
    monkeypatch.setattr(kind, "render", render)


def test_a_unit_that_fails_keeps_its_old_files_and_every_other_unit_is_written(edited, tmp_path, monkeypatch):
    out = edited / "output"
    old = digests(out)
    clean = tmp_path / "clean"
    assert build(edited, clean).exit_code == 0  # what the edited content gives
    new = digests(clean)
    assert all(old[path] != new[path] for path in new if "/deck-" in path or "/handout-" in path)

    fail_one_file(monkeypatch)
    result = build(edited, out)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    after = digests(out)
    ours = f"{SEED}/en/{FAILING}/"
    for path in after:
        if path.startswith(ours):
            assert after[path] == old[path], path  # the failed unit: its previous files, all of them
        elif path != "manifest.json":
            assert after[path] == new[path], path  # every other unit: as a clean build writes it
    assert sorted(p for p in after if p.startswith(f"{SEED}/en/default/")) == sorted(
        p for p in new if p.startswith(f"{SEED}/en/default/"))

    manifest = json.loads((out / "manifest.json").read_text())
    for entry in manifest["artifacts"]:
        data = (out / entry["path"]).read_bytes()
        assert (hashlib.sha256(data).hexdigest(), len(data)) == (entry["sha256"], entry["bytes"])
    assert len(manifest["artifacts"]) == 6  # the failed unit keeps its previous entries

    assert result.stdout.splitlines()[-2:] == [
        f"failed: {SEED} in 'en' for clinic '{FAILING}': handout-letter.pdf ({ARTICLE}:12) — nothing of this unit"
        " written; 2 other file(s) of it rendered but held back; its previous files are kept",
        result.stdout.splitlines()[-1]]
    assert result.stdout.splitlines()[-1].startswith("Built 3, skipped 0, removed 0, failed 1 in ")
    assert result.stderr.splitlines()[-2:] == [
        f"{ARTICLE}:12:5: sections[0].heading: the letter handout for clinic '{FAILING}' does not fit"
        " — shorten the heading",
        "Failed: 1 error; 1 of the selection's units (article × language × clinic) not written, every other"
        " unit written."]

    # Fixed, the next build makes the unit that failed, and only it.
    monkeypatch.undo()
    result = build(edited, out, "--json")
    assert result.exit_code == 0, result.output
    assert sorted(json.loads(result.stdout)["built_paths"]) == sorted(p for p in new if p.startswith(ours))
    assert digests(out) == new


def test_when_every_unit_fails_nothing_is_written(edited, monkeypatch):
    out = edited / "output"
    def files():  # all but the "nothing changed" record, which a build drops before it stages a file
        return {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and p.name != ".publisher-uptodate.json"}
    before = files()
    fail_one_file(monkeypatch, clinic="default")
    fail_one_file(monkeypatch, clinic=FAILING)
    result = build(edited, out, "--json")
    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    assert (summary["built"], summary["failed"], summary["held_back"]) == (0, 2, 4)
    assert len(summary["failed_units"]) == 2
    assert result.stderr.splitlines()[-1] == "Aborted: 2 errors in 1 file."
    assert files() == before
