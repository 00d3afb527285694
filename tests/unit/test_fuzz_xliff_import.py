"""Whatever an XLIFF file holds, `publisher i18n import` either writes
translation files that then load, or refuses with lines located in the file
and writes nothing; never a traceback (issue 16, item 4)."""

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

LOCATED = re.compile(r"^(import/\S+\.xlf):\d+:\d+: \S.*: .+ — .+$")
ODD = ["\x00", "\x0b", "\x85", "\ufffe", "\u202e", "é", "中", "ع", "{", "}", "&", "<", ">", '"', "'", "\n"]
REFERENCES = ["]]>", "&amp;", "&#x0B;", "&#1;", "&lol;", "&#xD800;", "&#x202E;"]
text = st.lists(st.one_of(st.text(alphabet=st.one_of(st.characters(blacklist_categories=("Cs",)), st.sampled_from(ODD)),
                                  max_size=8), st.sampled_from(REFERENCES)), max_size=4).map("".join)
piece = st.one_of(text, st.sampled_from([
    '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>', '<!ENTITY a "aaaa">', "<?pi x?>", "<!-- c -->",
    "<![CDATA[x]]>", '<pc id="1">', "</pc>", '<ph id="2"/>', "<mrk id='m'>x</mrk>", "</target>", "<target>",
    '<segment state="final">', '<segment state="reviewed">', '<segment state="initial" subState="x:y">',
    "</segment><segment>", '<unit id="nope">', '<unit id="title">', '<file id="labels">', "</file>",
    '<mda:metadata><mda:metaGroup category="publisher-review"><mda:meta type="reviewer">A. B.</mda:meta>'
    '<mda:meta type="reviewed">2026-02-30</mda:meta></mda:metaGroup></mda:metadata>',
    'trgLang="ar"', 'version="1.2"', "x" * 6000, "{page}", "{pagse}"]))


@pytest.fixture(scope="module")
def playground(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("fuzz-xliff")
    shutil.copytree(CONTENT, root / "content")
    shutil.copytree(TEMPLATES, root / "templates")
    result = run_cli("i18n", "export", "--content", "content", "--templates", "templates", "--output", "i18n",
                     "--format", "xliff", "--lang", "fr", "--lang", "pt", cwd=root)
    assert result.exit_code == 0, result.output
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for folder in ("content", "templates/labels") for p in sorted((root / folder).rglob("*")) if p.is_file()}


def restore(root: Path, files: dict[str, bytes]) -> None:
    for folder in ("content", "templates/labels"):
        for path in (root / folder).rglob("*"):
            if path.is_file() and path.relative_to(root).as_posix() not in files:
                path.unlink()
    for name, data in files.items():
        (root / name).write_bytes(data)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(base=st.sampled_from(["fr", "pt"]), name=st.sampled_from(["fr", "pt", "pt", "en", "qq"]),
       at=st.integers(0, 10**6), new=piece, mode=st.sampled_from(["insert", "replace", "bytes"]),
       junk=st.binary(max_size=8))
def test_any_xliff_file_is_imported_whole_or_refused_at_its_lines(playground, base, name, at, new, mode, junk):
    data = (playground / "i18n" / f"{base}.xlf").read_bytes()
    at %= len(data)
    if mode == "bytes":
        data = data[:at] + junk + data[at:]
    else:
        cut = data.rfind(b">", 0, at) + 1  # between two tags, or inside a text
        data = data[:cut] + new.encode("utf-8", "surrogatepass") + data[cut + (len(new) if mode == "replace" else 0):]
    path = playground / "import" / f"{name}.xlf"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    before = snapshot(playground)
    load_labels.cache_clear()
    try:
        result = run_cli("i18n", "import", "--content", "content", "--templates", "templates", f"import/{name}.xlf",
                         cwd=playground)
        load_labels.cache_clear()
        if result.exit_code == 0:
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
        path.unlink()
