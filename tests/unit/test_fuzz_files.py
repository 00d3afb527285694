"""Whatever lands in a file a clinic edits (article, translation, clinic
profile), loading the project answers with located errors or a project,
never another exception: odd Unicode written raw or as escapes (lone
surrogates, noncharacters, bidi controls, NUL), deep and wide structures,
broken UTF-8 (issue 13, item 1)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from publisher.content import load_project
from publisher.errors import ContentError
from tests.conftest import CONTENT, SEED, run_cli

LOCATED = re.compile(r"^content/\S+:\d+:\d+: \S.*: .+ — .+$", re.S)
KINDS = {
    "article": f"articles/{SEED}/article.yaml",
    "translation": f"articles/{SEED}/translations/ar.yaml",
    "clinic": "clinics/riverside-physio.yaml",
}
ODD = ["\x00", "\x0b", "\x1b", "\x7f", "\x85", "\ufeff", "\u2028", "\ufffe", "\ufdd0", "\U0001fffe", "\u202e",
       "\u2066", "\u200f", "\u061c", "\t", "é", "中", "ع", "\U0001F600", "&", "*", "!", "%", ":", "#", "'"]
ESCAPES = st.one_of(
    st.integers(0, 0xFF).map(lambda c: f"\\x{c:02x}"),
    st.integers(0, 0xFFFF).map(lambda c: f"\\u{c:04x}"),  # lone surrogates included
    st.sampled_from([0x1FFFE, 0x10FFFF, 0x110000, 0x1F600]).map(lambda c: f"\\U{c:08x}"),
    st.sampled_from(["\\N", "\\_", "\\L", "\\P", "\\0", "\\e", "\\z"]))

raw_text = st.text(alphabet=st.one_of(st.characters(blacklist_categories=("Cs",)), st.sampled_from(ODD)), max_size=25)
quoted = st.lists(st.one_of(raw_text.filter(lambda t: '"' not in t and "\\" not in t), ESCAPES),
                  max_size=4).map(lambda parts: '"' + "".join(parts) + '"')
flow = st.recursive(st.sampled_from(["a", "1", '"x"', "null", "[]", "{}"]),
                    lambda inner: st.one_of(
                        st.lists(inner, max_size=3).map(lambda xs: "[" + ", ".join(xs) + "]"),
                        st.lists(inner, max_size=3).map(
                            lambda xs: "{" + ", ".join(f"k{i}: {x}" for i, x in enumerate(xs)) + "}")),
                    max_leaves=12)
deep = st.tuples(st.integers(1, 3000), st.sampled_from(["[", "{a: ", "- ", "  a:\n"])).map(lambda t: t[1] * t[0])
wide = st.tuples(st.integers(900, 1200), st.sampled_from(["a, ", "- a\n", "? a\n"])).map(
    lambda t: "[" + t[1] * t[0] + "]" if t[1] == "a, " else "\n" + t[1] * t[0])
long = st.integers(4_990, 5_010).map(lambda n: "x" * n)
replacement = st.one_of(raw_text, quoted, flow, deep, wide, long,
                        st.sampled_from(["&a [x]", "*a", "&a x\nb: *a", "---", "...", "? [a]", "<<: {a: 1}",
                                         "!!binary aGk=", "2024-13-01", "lang: qq", "lang: zz-Zzzz", "text: |"]))


@pytest.fixture(scope="module")
def playground(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("fuzz-files")
    shutil.copytree(CONTENT, root / "content")
    return root


def load_outcome(content: Path) -> list[str]:
    try:
        load_project(content)
    except ContentError as exc:
        return [str(problem) for problem in exc.problems]
    return []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(kind=st.sampled_from(sorted(KINDS)), line=st.integers(0, 200), new=replacement,
       mode=st.sampled_from(["value", "line", "insert", "bytes"]), junk=st.binary(max_size=12))
def test_any_edit_to_any_content_file_gives_a_project_or_located_errors(playground, monkeypatch, kind, line, new,
                                                                       mode, junk):
    path = playground / "content" / KINDS[kind]
    original = (CONTENT / KINDS[kind]).read_bytes()
    lines = original.decode("utf-8").splitlines()
    at = line % len(lines)
    if mode == "value" and ":" in lines[at]:
        lines[at] = lines[at].split(":", 1)[0] + ": " + new
    elif mode == "insert":
        lines.insert(at, new)
    else:
        lines[at] = new
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    if mode == "bytes":
        data = data[: len(data) * at // len(lines)] + junk + data[len(data) * at // len(lines):]
    path.write_bytes(data)
    monkeypatch.chdir(playground)
    try:
        problems = load_outcome(Path("content"))
    finally:
        path.write_bytes(original)
    for problem in problems:
        assert LOCATED.match(problem), problem
        problem.encode("utf-8")  # printable: no lone surrogate reaches a message


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(kind=st.sampled_from(sorted(KINDS)), line=st.integers(0, 200), new=st.one_of(raw_text, quoted))
def test_odd_text_that_loads_is_checked_by_validate_with_located_errors(playground, kind, line, new):
    # Text that loads goes on to the language, glyph and layout checks of `validate`.
    path = playground / "content" / KINDS[kind]
    original = (CONTENT / KINDS[kind]).read_bytes()
    lines = original.decode("utf-8").splitlines()
    at = line % len(lines)
    if ":" in lines[at] and not lines[at].lstrip().startswith("#"):
        lines[at] = lines[at].split(":", 1)[0] + ": " + new
    path.write_bytes("\n".join(lines).encode("utf-8"))
    try:
        result = run_cli("validate", "--content", "content", cwd=playground)
    finally:
        path.write_bytes(original)
    assert result.exit_code in (0, 1), result.output
    for problem in result.stderr.strip().splitlines()[:-1] if result.exit_code else []:
        assert LOCATED.match(problem), problem
