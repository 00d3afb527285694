"""Same inputs, same bytes; writes are atomic; content and templates cannot
reach outside the project."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from publisher.build.write import write_atomic
from tests.conftest import CONTENT, ROOT, SEED, TEMPLATES, run_cli

pytestmark = pytest.mark.renders  # renders every file itself: see RENDER_CACHE in tests/conftest.py


def digests(folder):
    """Every output file's digest; the hidden build state (file times) is a cache, not an output."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.startswith(".")}


def test_two_builds_in_different_places_give_identical_bytes(seed_output, tmp_path):
    # A second copy of the whole project somewhere else: no path may leak into the files.
    shutil.copytree(CONTENT, tmp_path / "elsewhere" / "content")
    shutil.copytree(TEMPLATES, tmp_path / "elsewhere" / "templates")
    # One clinic (the one with a logo and its own colours): every format and language, half the renders.
    result = run_cli("build", "--content", "content", "--templates", "templates", "--output", "out",
                     "--clinic", "riverside-physio", cwd=tmp_path / "elsewhere")
    assert result.exit_code == 0, result.output
    here, there = digests(tmp_path / "elsewhere" / "out"), digests(seed_output)
    del here["manifest.json"]
    assert len(here) > 60 and here == {path: there[path] for path in here}


def test_the_manifest_is_the_same_whichever_folder_the_build_starts_in(tmp_path):
    # Findings name files relative to where the user stands; the manifest names them
    # relative to the project, or a build started elsewhere (or on a Dask worker) differs.
    project = tmp_path / "project"
    shutil.copytree(CONTENT, project / "content")
    shutil.copytree(TEMPLATES, project / "templates")
    (project / "sub").mkdir()
    one = ("--format", "handout", "--lang", "de", "--clinic", "default")
    here = run_cli("build", "--content", "content", "--templates", "templates", "--output", "a", *one, cwd=project)
    there = run_cli("build", "--content", "../content", "--templates", "../templates", "--output", "../b", *one,
                    cwd=project / "sub")
    assert (here.exit_code, there.exit_code) == (0, 0), here.output + there.output
    manifest = (project / "a" / "manifest.json").read_text()
    assert '"file": "content/articles/' in manifest and '"file": "templates/handout/handout.css"' in manifest
    assert manifest == (project / "b" / "manifest.json").read_text()


def test_source_date_epoch_sets_the_modification_date(tmp_path, monkeypatch):
    from pypdf import PdfReader
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    result = run_cli("build", "--content", str(CONTENT), "--output", str(tmp_path), "--clinic", "default",
                     "--lang", "en")
    assert result.exit_code == 0
    meta = PdfReader(tmp_path / f"{SEED}/en/default/handout-a4.pdf").metadata
    assert meta["/ModDate"].startswith("D:20260101")
    assert meta["/CreationDate"].startswith("D:20261101")  # the content's publication date


def test_atomic_write_keeps_the_old_file_when_interrupted(tmp_path, monkeypatch):
    target = tmp_path / "a" / "file.pdf"
    write_atomic(target, b"old complete version")

    def crash(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"new version")
    assert target.read_bytes() == b"old complete version"
    assert [p.name for p in target.parent.iterdir()] == ["file.pdf"]


def test_killed_build_leaves_only_complete_files(tmp_path, seed_output):
    """Kill real builds at several moments: each file is absent, old, or new, never partial."""
    selection = ["--lang", "en", "--lang", "ar", "--clinic", "default"]
    reference = tmp_path / "reference"
    assert run_cli("build", "--content", str(CONTENT), "--output", str(reference), *selection).exit_code == 0
    good = digests(reference)
    out = tmp_path / "out"
    for delay in (0.6, 1.0, 1.4, 1.8, 2.2):
        proc = subprocess.Popen([sys.executable, "-m", "publisher", "build", "--content", str(CONTENT),
                                 "--output", str(out), *selection], cwd=ROOT, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        for name, digest in digests(out).items():
            if name.endswith(".tmp"):
                continue  # a kill can leave a temporary file; the next build removes it
            if name != "manifest.json":
                assert digest == good[name], name
    assert run_cli("build", "--content", str(CONTENT), "--output", str(out), *selection).exit_code == 0
    assert digests(out) == good


def _templates_with(tmp_path, html: str):
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    path = templates / "handout" / "handout.html.j2"
    path.write_text(path.read_text().replace("<main>", "<main>" + html, 1))
    return templates


@pytest.mark.parametrize("html, refused", [
    ('<img src="file:///etc/hostname" alt="x">', "refused to read /etc/hostname: it is outside the templates folder"),
    ('<img src="../../content/clinics/default-logo.svg" alt="x">', "it is outside the templates folder"),
    ('<img src="http://127.0.0.1:9/x.png" alt="x">',
     "refused to fetch http://127.0.0.1:9/x.png: templates may not use the network"),
    ('<link rel="stylesheet" href="https://example.org/x.css">', "templates may not use the network"),
])
def test_renderer_reads_nothing_outside_the_templates(tmp_path, html, refused):
    templates = _templates_with(tmp_path, html)
    result = run_cli("build", "--content", str(CONTENT), "--templates", str(templates),
                     "--output", str(tmp_path / "out"), "--clinic", "default", "--lang", "en")
    assert result.exit_code == 1
    assert refused in result.stderr
    assert not (tmp_path / "out").exists()


def test_templates_are_sandboxed(tmp_path):
    templates = _templates_with(tmp_path, "{{ article.__class__.__mro__ }}")
    result = run_cli("build", "--content", str(CONTENT), "--templates", str(templates),
                     "--output", str(tmp_path / "out"), "--clinic", "default", "--lang", "en")
    assert result.exit_code == 1
    line = next(n for n, text in enumerate((templates / "handout/handout.html.j2").read_text().splitlines(), 1)
                if "__mro__" in text)
    problem = next(text for text in result.stderr.splitlines() if "(template)" in text)
    assert problem.startswith(f"templates/handout/handout.html.j2:{line}:1: (template): template error: ")
    assert "__class__" in problem
