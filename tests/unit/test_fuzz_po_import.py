"""Whatever a translator's PO file holds, `publisher i18n import` either
writes translation files that then load, or refuses with lines located in
the PO file and writes nothing; never a traceback (issue 13, items 1 and 6)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from publisher.content import load_project
from publisher.i18n.labels import load_labels
from tests.conftest import CONTENT, TEMPLATES, run_cli

LOCATED = re.compile(r"^(import/\S+\.po):\d+:\d+: \S.*: .+ — .+$")
ODD = ["\x00", "\x0b", "\x1b", "\x85", "\ufffe", "\ufdd0", "\u202e", "\u200f", "\t", "é", "中", "ع", "{", "}",
       "\\", '"', "#", ":", "\n"]
text = st.text(alphabet=st.one_of(st.characters(blacklist_categories=("Cs",)), st.sampled_from(ODD)), max_size=30)
escaped = st.sampled_from(['\\x0b', '\\x00', '\\ud800', '\\u202e', '\\"', '\\n', '\\t', '\\', '\\q'])
msgstr = st.lists(st.one_of(text.map(lambda t: t.replace("\\", "").replace('"', "")), escaped),
                  max_size=4).map(lambda parts: f'msgstr "{"".join(parts)}"')
comment = st.sampled_from(["# status: reviewed", "# status: approved", "# status: nonsense", "# reviewer: ",
                           "# reviewer: Dr \u202eX", "# reviewed: 2026-02-30", "# reviewed: tomorrow",
                           "# reviewed: 2025-01-01", "#, fuzzy", "#, python-format", "# reviewer: A. Clinician"])
line = st.one_of(msgstr, comment, text, st.sampled_from([
    'msgctxt "labels:nothing"', 'msgctxt "muscle-mass-loss-and-pain:title"', 'msgid ""', 'msgstr[0] "x"',
    'msgid_plural "x"', 'msgstr "{clinic} {year}"', '"Language: qq\\n"',
    '"Content-Type: text/plain; charset=latin-1\\n"', 'msgstr "' + "x" * 6000 + '"']))


@pytest.fixture(scope="module")
def playground(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("fuzz-po")
    shutil.copytree(CONTENT, root / "content")
    shutil.copytree(TEMPLATES / "labels", root / "templates" / "labels")
    result = run_cli("i18n", "export", "--content", "content", "--templates", "templates", "--output", "i18n",
                     "--lang", "fr", cwd=root)
    assert result.exit_code == 0, result.output
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for folder in ("content", "templates") for p in sorted((root / folder).rglob("*")) if p.is_file()}


def restore(root: Path, files: dict[str, bytes]) -> None:
    for folder in ("content", "templates"):
        for path in (root / folder).rglob("*"):
            if path.is_file() and path.relative_to(root).as_posix() not in files:
                path.unlink()
    for name, data in files.items():
        (root / name).write_bytes(data)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(lang=st.sampled_from(["fr", "fr", "ar", "de", "en", "qq", "zz-Zzzz", "xx-YY"]), at=st.integers(0, 400),
       new=line, mode=st.sampled_from(["replace", "insert", "bytes"]), junk=st.binary(max_size=8))
def test_any_po_file_is_imported_whole_or_refused_at_its_lines(playground, lang, at, new, mode, junk):
    source = (playground / "i18n" / "fr.po").read_bytes()
    lines = source.decode("utf-8").split("\n")
    at %= len(lines)
    if mode == "insert":
        lines.insert(at, new)
    else:
        lines[at] = new
    data = "\n".join(lines).encode("utf-8")
    if mode == "bytes":
        data = data[: len(data) * at // len(lines)] + junk + data[len(data) * at // len(lines):]
    po = playground / "import" / f"{lang}.po"
    po.parent.mkdir(exist_ok=True)
    po.write_bytes(data)
    before = snapshot(playground)
    load_labels.cache_clear()
    try:
        result = run_cli("i18n", "import", "--content", "content", "--templates", "templates", f"import/{lang}.po",
                         cwd=playground)
        load_labels.cache_clear()
        if result.exit_code == 0:
            # What was written loads again: nothing a later build would refuse got in.
            load_project(playground / "content")
            load_labels(playground / "templates")
        else:
            assert result.exit_code == 1, result.output
            errors = result.stderr.strip().splitlines()
            assert errors[-1].startswith("Aborted: "), errors
            for problem in errors[:-1]:
                assert LOCATED.match(problem), problem
            assert snapshot(playground) == before, "a refused import wrote files"
    finally:
        restore(playground, before)
        po.unlink()
