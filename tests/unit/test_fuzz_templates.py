"""Whatever a designer types into the templates folder's YAML, the answer is located errors or OK."""

from __future__ import annotations

import re
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from publisher.content import template_config
from publisher.errors import ContentError
from publisher.i18n.labels import load_labels
from tests.conftest import TEMPLATES
from tests.fuzz_edits import edited

KINDS = sorted(template_config.FILES) + [template_config.LABELS, "labels/de.yaml"]
SOURCES = {kind: (TEMPLATES / kind).read_text(encoding="utf-8") for kind in KINDS}
yaml_scalars = st.one_of(st.text(max_size=30), st.integers(), st.booleans(), st.none(), st.floats(allow_nan=True),
                         st.sampled_from(["[a", "{x: 1}", "- item", "é\t", "&a *a", "../x.ttf", "+mx-lt", "~",
                                          "[]", "{}", "-1", "1e999", "\ud800", "\u202e", "\ufdd0"]))


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    path = tmp_path_factory.mktemp("fuzz-templates") / "templates"
    shutil.copytree(TEMPLATES, path)
    return path


def problems_of(folder, kind: str) -> list:
    if kind.startswith("labels/"):
        try:
            load_labels.__wrapped__(folder)  # not the cached answer: the file changes every example
        except ContentError as exc:
            return exc.problems
        return []
    return template_config.check_file(folder, kind)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(KINDS), data=st.data(), replacement=yaml_scalars,
       mode=st.sampled_from(["value", "line", "insert"]))
def test_any_edit_gives_located_errors_or_ok(folder, kind, data, replacement, mode):
    lines = SOURCES[kind].splitlines()
    line = data.draw(st.integers(min_value=0, max_value=len(lines) - 1))
    lines = edited(lines, line, str(replacement), mode)
    path = folder / kind
    path.write_text("\n".join(lines), encoding="utf-8", errors="surrogatepass")
    try:
        problems = problems_of(folder, kind)
    finally:
        path.write_text(SOURCES[kind], encoding="utf-8")
    located = re.compile(r"^\S*templates/" + re.escape(kind.split("/")[0]) + r"/\S+:\d+:\d+: \S.*: .+ — .+$",
                         re.DOTALL)
    for problem in problems:
        assert located.match(str(problem)), str(problem)
