"""The fixture articles of four shapes build as handouts and decks for every
clinic, the two at the schema's limits included, in every language they have
(issue 12; their posters are tested in test_poster_adapt.py)."""

from __future__ import annotations

import json
import shutil

from pptx import Presentation
from pypdf import PdfReader

from tests.conftest import CONTENT, FIXTURES, run_cli


def test_every_fixture_article_builds_handouts_and_decks_for_every_clinic(tmp_path):
    out = tmp_path / "out"
    result = run_cli("build", "--content", str(FIXTURES), "--output", str(out), "--format", "handout", "deck")
    assert result.exit_code == 0, result.output
    artifacts = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["artifacts"]
    articles = {a["article"] for a in artifacts}
    clinics = {a["clinic"] for a in artifacts}
    assert articles == {"callout-only-section", "common-worries", "long-lists-many-warnings", "no-icons"}
    assert clinics == {"at-limits-tall", "at-limits-wide", "test-clinic"}
    assert {a["lang"] for a in artifacts if a["article"] == "common-worries"} == {"en", "ar", "zh-Hans"}
    for entry in artifacts:
        path = out / entry["path"]
        if entry["format"] == "handout":
            assert 1 <= len(PdfReader(path).pages) <= 2, entry["path"]
        else:
            assert len(Presentation(path).slides) == entry["pages"] >= 5, entry["path"]


def test_the_shipped_article_builds_in_every_format_and_language_for_the_clinics_at_the_limits(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT / "articles", content / "articles")
    (content / "clinics").mkdir()
    for name in ("at-limits-wide.yaml", "wide-logo.svg", "at-limits-tall.yaml", "tall-logo.svg"):
        shutil.copy2(FIXTURES / "clinics" / name, content / "clinics" / name)
    out = tmp_path / "out"
    result = run_cli("build", "--content", str(content), "--output", str(out))
    assert result.exit_code == 0, result.output
    artifacts = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["artifacts"]
    # languages × clinics × (2 handouts, 2 in large print, 3 posters, 1 deck, 1 web page, the site's
    # copies of the first eight, and the galleries' pictures of the A4 handout and the A3 poster)
    assert len([e for e in artifacts if e["article"]]) == 6 * 2 * 19
    for entry in artifacts:
        if entry["format"] == "poster":
            assert entry["pages"] == 1, entry["path"]
        elif entry["format"] == "handout":
            assert entry["pages"] <= 2, entry["path"]
