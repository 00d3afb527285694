"""Starting a language from the CLI (issue 16, item 3): `i18n export --lang pt`
→ fill the PO → `i18n import` → `build` gives Portuguese files with Portuguese
template wording and no hand-written YAML; the same translations through XLIFF
build the same bytes; a script the project's fonts lack is refused."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from lxml import etree

from tests.conftest import CONTENT, SEED, TEMPLATES, require_tool, run_cli

CLI = ("--content", "content", "--templates", "templates")
BUILD = ("build", *CLI, "--output", "out", "--lang", "pt", "--format", "handout", "--clinic", "default",
         "--article", SEED)
HANDOUT = f"out/{SEED}/pt/default/handout-a4.pdf"
# Real Portuguese for the wording a reader meets first; every other message is
# a marked copy of the English (vowels accented), so the flow is visible in the PDF.
PORTUGUESE = {
    "labels:key_messages": "Mensagens principais",
    "labels:about": "Sobre este folheto",
    "labels:page_x_of_y": "Página {page} de {pages}",
    "labels:unreviewed": "Esta tradução ainda não foi verificada por um profissional de saúde.",
    f"{SEED}:title": "Perda de massa muscular: a ligação oculta à dor crónica e como tratá-la",
    f"{SEED}:question": "A perda de massa muscular pode causar dor?",
}


def translated(context: str, source: str) -> str:
    if context in PORTUGUESE:
        return PORTUGUESE[context]
    return "".join(part if part.startswith("{") else part.translate(str.maketrans("aeiouAEIOU", "áéíóúÁÉÍÓÚ"))
                   for part in re.split(r"(\{[a-z_]+\})", source))


def fresh(root: Path) -> Path:
    shutil.copytree(CONTENT, root / "content")
    shutil.copytree(TEMPLATES, root / "templates")
    return root


@pytest.fixture(scope="module")
def by_po(tmp_path_factory) -> tuple[Path, list[str]]:
    root = fresh(tmp_path_factory.mktemp("pt-po"))
    result = run_cli("i18n", "export", *CLI, "--output", "po", "--lang", "pt", cwd=root)
    assert result.exit_code == 0, result.output
    catalog = read_po(io.BytesIO((root / "po" / "pt.po").read_bytes()))
    assert all(not m.string for m in catalog if m.id)
    for message in catalog:
        if message.id:
            message.string = translated(message.context, message.id)
    out = io.BytesIO()
    write_po(out, catalog, width=0)
    (root / "po" / "pt.po").write_bytes(out.getvalue())
    result = run_cli("i18n", "import", *CLI, "po/pt.po", cwd=root)
    assert result.exit_code == 0, result.output
    imported = result.stdout.splitlines()
    assert run_cli(*BUILD, cwd=root).exit_code == 0
    return root, imported


def test_import_creates_the_translation_and_the_wording_files(by_po):
    root, imported = by_po
    article = root / "content" / "articles" / SEED / "translations" / "pt.yaml"
    labels = (root / "templates" / "labels" / "pt.yaml").resolve()
    assert imported == [f"created {article.as_posix()}", f"created {labels.as_posix()}"]
    assert article.read_text(encoding="utf-8").splitlines()[0] == (
        f"# Translation of the article in articles/{SEED}/article.yaml into Portuguese (pt).")
    assert '  about:\n    text: "Sobre este folheto"\n' in labels.read_text(encoding="utf-8")


def test_the_portuguese_handout_carries_portuguese_wording(by_po):
    require_tool("pdftotext")
    root, _ = by_po
    text = subprocess.run(["pdftotext", str(root / HANDOUT), "-"], capture_output=True, text=True, check=True).stdout
    for wording in ("Perda de massa muscular", "Mensagens principais", "Sobre este folheto", "Página 1 de 2",
                    "Esta tradução ainda não foi verificada", "Lósíng músclé"):
        assert wording in text
    assert "Key messages" not in text and "About this leaflet" not in text


def test_the_same_translations_through_xliff_build_the_same_bytes(by_po, tmp_path_factory):
    po_root, _ = by_po
    root = fresh(tmp_path_factory.mktemp("pt-xliff"))
    assert run_cli("i18n", "export", *CLI, "--output", "xl", "--format", "xliff", "--lang", "pt",
                   cwd=root).exit_code == 0
    ns = "urn:oasis:names:tc:xliff:document:2.0"
    tree = etree.parse(str(root / "xl" / "pt.xlf"))
    for file in tree.getroot():
        for unit in file:
            segment = unit.find(f"{{{ns}}}segment")
            source = segment.findtext(f"{{{ns}}}source")
            etree.SubElement(segment, f"{{{ns}}}target").text = translated(f"{file.get('id')}:{unit.get('id')}",
                                                                            source)
            segment.set("state", "translated")
    tree.write(str(root / "xl" / "pt.xlf"), encoding="UTF-8", xml_declaration=True)
    assert run_cli("i18n", "import", *CLI, "xl/pt.xlf", cwd=root).exit_code == 0
    assert run_cli(*BUILD, cwd=root).exit_code == 0
    for name in (f"content/articles/{SEED}/translations/pt.yaml", "templates/labels/pt.yaml", HANDOUT,
                 HANDOUT.replace("a4", "letter")):
        assert (root / name).read_bytes() == (po_root / name).read_bytes(), name


def test_a_script_the_fonts_do_not_cover_is_refused_by_the_glyph_gate(tmp_path):
    root = fresh(tmp_path)
    result = run_cli("i18n", "export", *CLI, "--output", "po", "--lang", "th", cwd=root)
    assert result.exit_code == 0
    # The export says so first, from CLDR's own Thai (the language's name, its months and days).
    assert result.stderr == (
        "note: 'th' is a new language: every unit is empty. Its name (ไทย) and direction (left to right) come from"
        " CLDR; its text is drawn with Noto Sans (templates/fonts/fonts.yaml). Those fonts do not draw its Thai"
        " letters (ไ ท ย ม ก…): add a font that does (such as Noto Sans Thai) to templates/fonts/fonts.yaml with a"
        " stack for 'th' and run `make fonts`, or the build refuses its text at each line. `publisher i18n import`"
        " writes its translation and template wording files.\n")
    catalog = read_po(io.BytesIO((root / "po" / "th.po").read_bytes()))
    catalog.get("Can loss of muscle mass cause pain?", context=f"{SEED}:question").string = "ปวดไหม"
    out = io.BytesIO()
    write_po(out, catalog, width=0)
    (root / "po" / "th.po").write_bytes(out.getvalue())
    assert run_cli("i18n", "import", *CLI, "po/th.po", cwd=root).exit_code == 0
    result = run_cli("build", *CLI, "--output", "out", "--lang", "th", "--format", "handout", "--clinic", "default",
                     cwd=root)
    assert result.exit_code == 1
    # wordfreq may warn through logging that it has no Thai tokenizer: keep the build's own lines.
    lines = [line for line in result.stderr.strip().splitlines() if line.startswith(("content/", "Aborted"))]
    where = f"content/articles/{SEED}/translations/th.yaml:10:11: [glyph-coverage] units.question.text"
    assert lines == [
        f"{where}: the character '{char}' (U+{ord(char):04X} THAI CHARACTER {name}) cannot be printed in 'th':"
        " no font covers it (Noto Sans) — replace it with a common character, or add a font that draws Thai"
        " (such as Noto Sans Thai) to templates/fonts/fonts.yaml and run `make fonts`"
        for char, name in (("ด", "DO DEK"), ("ป", "PO PLA"), ("ม", "MO MA"), ("ว", "WO WAEN"), ("ห", "HO HIP"),
                           ("ไ", "SARA AI MAIMALAI"))] + ["Aborted: 6 errors in 1 file."]
    assert not (root / "out" / SEED).exists()


def test_importing_a_few_units_of_a_new_language_says_what_its_readers_get(tmp_path):
    root = fresh(tmp_path)
    assert run_cli("i18n", "export", *CLI, "--output", "po", "--lang", "pt", cwd=root).exit_code == 0
    catalog = read_po(io.BytesIO((root / "po" / "pt.po").read_bytes()))
    catalog.get("Can loss of muscle mass cause pain?", context=f"{SEED}:question").string = PORTUGUESE[f"{SEED}:question"]
    out = io.BytesIO()
    write_po(out, catalog, width=0)
    (root / "po" / "pt.po").write_bytes(out.getvalue())
    result = run_cli("i18n", "import", *CLI, "po/pt.po", cwd=root)
    assert result.exit_code == 0
    assert result.stderr == (
        "note: 'pt' has 125 of 126 units untranslated; `publisher build` now makes 'pt' files, and under the"
        " translation policy 'mark' their readers get each of those units in English, marked (`publisher i18n"
        " status` lists them; content/translation-policy.yaml sets the policy)\n")
    # Template wording alone makes no leaflet: the import says so.
    catalog = read_po(io.BytesIO((root / "po" / "pt.po").read_bytes()))
    for message in catalog:
        message.string = "Telefone" if message.context == "labels:phone" else ""
    out = io.BytesIO()
    write_po(out, catalog, width=0)
    (root / "po" / "it.po").write_bytes(out.getvalue().replace(b"Language: pt", b"Language: it"))
    result = run_cli("i18n", "import", *CLI, "po/it.po", cwd=root)
    assert result.exit_code == 0
    assert result.stderr == ("note: no article has a 'it' translation yet, so `publisher build` makes no 'it' files:"
                             " translate an article's units too\n")
