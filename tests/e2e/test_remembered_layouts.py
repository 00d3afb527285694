"""Layouts remembered per file (issue 17): a rebuild tries the last build's
density or type size first and proves it, so it lays out less, and every file
is byte for byte what a clean build makes, with the same choice, after edits
that grow and shrink the text, including a wrong or garbled remembered choice."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest

from publisher.build import Selection, build
from publisher.build.plan import plan
from publisher.build.execute import render_one
from publisher.content import load_project
from tests.conftest import CONTENT, SEED, TEMPLATES

pytestmark = pytest.mark.renders  # renders every file itself: see RENDER_CACHE in tests/conftest.py

TRANSLATIONS = f"articles/{SEED}/translations"


def _edit(content: Path, lang: str, unit: str, change) -> None:
    """Change the text of one unit of a translation (its fingerprint stays: the unit is still current)."""
    path = content / TRANSLATIONS / f"{lang}.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index('"', text.index("text: ", text.index(f"  {unit}:\n"))) + 1
    end = text.index('"\n', start)
    path.write_text(text[:start] + change(text[start:end]) + text[end:], encoding="utf-8")


def _build(content: Path, output: Path, selection: Selection, force: bool = False):
    report = build(load_project(content), selection, TEMPLATES, output, jobs=1, force=force)
    assert not report.failed, [str(p) for p in report.failed]
    return report


def _files(output: Path) -> dict[str, bytes]:
    return {p.relative_to(output).as_posix(): p.read_bytes() for p in sorted(output.rglob("*.pdf"))}


def _choices(output: Path) -> dict[str, dict]:
    state = json.loads((output / ".publisher-state.json").read_text(encoding="utf-8"))
    return {path: record.get("choice") for path, record in state.items()}


def _same_as_clean(content: Path, output: Path, clean: Path, selection: Selection) -> None:
    shutil.rmtree(clean, ignore_errors=True)
    _build(content, clean, selection, force=True)
    assert _files(output) == _files(clean)
    assert _choices(output) == _choices(clean)


SHORTER = ("intro-what.text", "intro-why.text", "prevention-intro.text", "strategy-exercise.text",
           "strategy-stretching.text", "strategy-weight.text", "strategy-conditions.text")
# A poster's tiles show the list items' headings.
LONGER = ("cause-joint-pain.heading", "cause-posture.heading", "cause-flexibility.heading", "cause-injury.heading",
          "strategy-stretching.heading", "strategy-weight.heading", "strategy-conditions.heading")


def _shorter(text: str) -> str:
    return text.split(". ")[0][:40]


def _longer(text: str) -> str:
    return f"{text} {text}"


@pytest.mark.parametrize("lang, fmt, unit, per_file, units, change", [
    # German needs a denser setting than the first on both papers (A4 'tight', Letter 'tightest'):
    # shortened, it takes a more generous one.
    ("de", "handout", "intro-what.text", 2, SHORTER, _shorter),
    # An Arabic poster searches its type size; its tiles show the causes and strategies:
    # lengthened, it takes smaller type.
    ("ar", "poster", "strategy-exercise.heading", 3, LONGER, _longer),
])
def test_a_remembered_rebuild_is_a_clean_build_with_fewer_layouts(tmp_path, lang, fmt, unit, per_file, units,
                                                                   change):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    selection = Selection(articles=(SEED,), langs=(lang,), formats=(fmt,), clinics=("default",))
    output, clean = tmp_path / "output", tmp_path / "clean"
    first = _build(content, output, selection)

    # One sentence more: every file is laid out at most `per_file` times, and is the clean build's.
    _edit(content, lang, unit, lambda text: text + (" Fangen Sie heute an." if lang == "de" else " يوميًا"))
    grown = _build(content, output, selection)
    assert sorted(grown.layouts) == sorted(first.layouts) and len(grown.layouts) == len(first.built)
    assert max(grown.layouts.values()) <= per_file, grown.layouts
    assert sum(grown.layouts.values()) < sum(first.layouts.values())
    _same_as_clean(content, output, clean, selection)

    # Much shorter or longer: the remembered choice is no longer what a clean build makes; the search finds it.
    before = _choices(output)
    for changed in units:
        _edit(content, lang, changed, change)
    _build(content, output, selection)
    assert _choices(output) != before
    _same_as_clean(content, output, clean, selection)


@pytest.mark.parametrize("lang, fmt, variant, wrong", [
    ("de", "handout", "a4", {"density": "tightest"}),  # fits, but a more generous one does too
    ("de", "handout", "letter", {"density": "tight"}),  # does not fit
    ("de", "handout", "letter", {"density": 7}),  # garbled: ignored
    ("ar", "poster", "a3", {"step": 0, "body_pt": 26.5}),  # fits, but a larger size does too
    ("ar", "poster", "a3", {"step": 1, "body_pt": 30.0}),  # fits, but an earlier step fits too
    ("ar", "poster", "a3", {"step": 0, "body_pt": 30.25}),  # off the grid: ignored
    ("ar", "poster", "a3", {"step": True, "body_pt": float("nan")}),  # garbled (the state file is JSON): ignored
])
def test_a_wrong_remembered_choice_changes_nothing(lang, fmt, variant, wrong):
    selection = Selection(articles=(SEED,), langs=(lang,), formats=(fmt,), clinics=("default",))
    task, job = next((t, j) for t, j in plan(load_project(CONTENT), selection, TEMPLATES).jobs if t.variant == variant)
    clean = render_one(task, job)
    misled = render_one(task, dataclasses.replace(job, hint=wrong))
    assert not clean.problems and not misled.problems
    assert (misled.data, misled.choice) == (clean.data, clean.choice)
    assert misled.choice != wrong
    # ... and the right one is proven with fewer layouts, to the same bytes.
    proven = render_one(task, dataclasses.replace(job, hint=clean.choice))
    assert (proven.data, proven.choice) == (clean.data, clean.choice)
    assert proven.layouts < clean.layouts
