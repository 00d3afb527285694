"""The incremental build issue 13 found stale, end to end: after editing the
audience, posters (which write it into their PDF metadata) are rebuilt and
equal a clean build."""

from __future__ import annotations

import hashlib
import json
import shutil

import pytest

from tests.conftest import CONTENT, SEED, run_cli

pytestmark = pytest.mark.renders  # renders every file itself: see RENDER_CACHE in tests/conftest.py

SELECTION = ("--article", SEED, "--lang", "en", "--clinic", "default")


def build(root, output="output", *extra):
    result = run_cli("build", "--content", "content", "--output", output, *SELECTION, "--json", *extra, cwd=root)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def digests(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.startswith(".")}


def test_editing_the_audience_rebuilds_the_posters_to_what_a_clean_build_gives(tmp_path):
    shutil.copytree(CONTENT, tmp_path / "content")
    build(tmp_path, "output", "--format", "poster")
    article = tmp_path / "content" / "articles" / SEED / "article.yaml"
    text = article.read_text(encoding="utf-8")
    assert "audience: Adults with" in text
    article.write_text(text.replace("audience: Adults with", "audience: Older adults with"), encoding="utf-8")
    summary = build(tmp_path, "output", "--format", "poster")
    assert sorted(summary["built_paths"]) == [f"{SEED}/en/default/poster-{size}.pdf" for size in ("a2", "a3", "tabloid")]
    build(tmp_path, "clean", "--format", "poster")
    assert digests(tmp_path / "output") == digests(tmp_path / "clean")
