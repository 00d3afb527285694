"""Whatever a clinic types, validation answers with located errors, never a traceback."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from publisher.content.models import Article
from publisher.content.validate import validate
from publisher.content.yamlsource import load_yaml
from publisher.errors import ContentError
from tests.conftest import CONTENT, SEED
from tests.fuzz_edits import edited

SOURCE = (CONTENT / "articles" / SEED / "article.yaml").read_text(encoding="utf-8")
LINE = re.compile(r"^x\.yaml:\d+:\d+: \S.*: .+ — .+$")

yaml_scalars = st.one_of(st.text(max_size=30), st.integers(), st.booleans(), st.none(),
                         st.sampled_from(["2024-13-01", "yes", "1.0", "[a", "{x: 1}", "- item", "é\t", "&a *a"]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(line=st.integers(min_value=0, max_value=len(SOURCE.splitlines()) - 1), replacement=yaml_scalars,
       mode=st.sampled_from(["value", "line", "insert"]))
def test_any_edit_gives_located_errors_or_a_valid_article(tmp_path_factory, line, replacement, mode):
    lines = SOURCE.splitlines()
    lines = edited(lines, line, str(replacement), mode)
    path = tmp_path_factory.mktemp("fuzz") / "x.yaml"
    path.write_text("\n".join(lines), encoding="utf-8")
    try:
        doc = load_yaml(path, "x.yaml")
    except ContentError as exc:
        problems = exc.problems
    else:
        _, problems = validate(doc, Article)
    for problem in problems:
        assert LINE.match(str(problem)), str(problem)
