"""No word alone on the last line of a poster's headline, question or warning
(issue 12, item 5), measured on the laid-out sheets of every language."""

from __future__ import annotations

import shutil

import pytest

import publisher.targets.poster as poster_module
from publisher.build.plan import Selection, plan
from publisher.content import load_project
from tests.conftest import CONTENT, FIXTURES, TEMPLATES
from tests.e2e.test_handout_type_and_breaks import _last_lines, _stranded

pytestmark = pytest.mark.renders  # renders every file itself: see RENDER_CACHE in tests/conftest.py


def _posters(content, monkeypatch, **selection):
    captured = []
    original = poster_module.write_pdf
    monkeypatch.setattr(poster_module, "write_pdf", lambda document: captured.append(document) or original(document))
    planned = plan(load_project(content), Selection(formats=("poster",), **selection), TEMPLATES)
    for task, job in planned.jobs:
        if task.variant == "a3":
            poster_module.Poster().render(job)
            yield task, captured.pop()


def _titled(element) -> bool:
    classes = set(element.get("class", "").split())
    return element.tag == "h1" or bool(classes & {"question", "warning-band", "warning-text"})


def _project(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    shutil.copytree(FIXTURES / "articles" / "common-worries", content / "articles" / "common-worries")
    return content


def test_no_word_alone_at_the_end_of_poster_headlines_questions_and_warnings(tmp_path, monkeypatch):
    content = _project(tmp_path)
    stranded = [(task.path, line) for task, document in _posters(content, monkeypatch, clinics=("default",))
                for line in _last_lines(document, _titled) if _stranded(line)]
    assert stranded == []


def test_the_poster_check_can_fail(tmp_path, monkeypatch):
    """Without keep_end, some headline, question or warning strands a word."""
    from publisher import templating

    monkeypatch.setattr(templating.line_breaks, "keep_end", lambda text: text)
    templating.environment.cache_clear()
    try:
        content = _project(tmp_path)
        stranded = [(task.path, line) for task, document in _posters(content, monkeypatch, clinics=("default",))
                    for line in _last_lines(document, _titled) if _stranded(line)]
    finally:
        templating.environment.cache_clear()
    assert stranded
