"""XLIFF 2.0 beside PO (issue 16, item 4): export with ids, notes, states and
review metadata; a round trip through translate-toolkit's XLIFF 2 parser is
lossless; import reads the same translations as PO, byte for byte, and
refuses a hostile or broken file at its lines, all at once, writing nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lxml import etree
from translate.storage.xliff2 import Xliff2File

from publisher.i18n.exchange import MAX_EXCHANGE_BYTES
from tests.conftest import CONTENT, SEED, TEMPLATES, run_cli

NS = {"x": "urn:oasis:names:tc:xliff:document:2.0", "mda": "urn:oasis:names:tc:xliff:metadata:2.0"}
CLI = ("--content", "content", "--templates", "templates")


@pytest.fixture
def root(tmp_path) -> Path:
    """The shipped content and its templates folder (an import writes the template wording there)."""
    shutil.copytree(CONTENT, tmp_path / "content")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    return tmp_path


def export(root: Path, lang: str, fmt: str = "xliff") -> Path:
    result = run_cli("i18n", "export", *CLI, "--output", "x", "--format", fmt, "--lang", lang, cwd=root)
    assert result.exit_code == 0, result.output
    return root / "x" / f"{lang}.{'xlf' if fmt == 'xliff' else 'po'}"


def yaml_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.yaml"))}


def unit(tree, file: str, unit_id: str):
    return tree.find(f"x:file[@id='{file}']/x:unit[@id='{unit_id}']", NS)


def test_a_new_language_exports_every_unit_empty_with_notes_on_place_and_length(root):
    result = run_cli("i18n", "export", *CLI, "--output", "x", "--format", "xliff", "--lang", "pt", cwd=root)
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("note: 'pt' is a new language: every unit is empty. Its name (português) and"
                                    " direction (left to right) come from CLDR; its text is drawn with Noto Sans")
    tree = etree.parse(str(root / "x" / "pt.xlf")).getroot()
    assert (tree.get("version"), tree.get("srcLang"), tree.get("trgLang")) == ("2.0", "en", "pt")
    segments = tree.findall(".//x:segment", NS)
    assert len(segments) == 126 and {s.get("state") for s in segments} == {"initial"}
    assert tree.findall(".//x:target", NS) == []
    title = unit(tree, SEED, "title")
    assert [(n.get("category"), n.text) for n in title.iterfind("x:notes/x:note", NS)] == [
        ("where", "title (article.yaml line 9): The article's title."),
        ("length", "a slide title in decks; the build refuses a title that does not fit its slide at 28 pt"
                   " (`title_min` in templates/deck/outline.yaml.j2)")]
    tile = unit(tree, SEED, "cause-joint-pain.heading")
    assert unit(tree, SEED, "cause-joint-pain.text").find("x:notes/x:note[@category='length']", NS) is None
    assert [n.text for n in tile.iterfind("x:notes/x:note", NS)][1] == (
        "a tile on posters; a tile text of 22 characters or more takes a row of its own"
        " (`wide_from` in templates/poster/fit.yaml)")
    label = unit(tree, "labels", "page_x_of_y")
    assert [n.text for n in label.iterfind("x:notes/x:note", NS)] == [
        "template wording `page_x_of_y` (templates/labels/en.yaml line 4); printed by the handout templates",
        "Keep {page}, {pages} as written: the build puts a value there"]
    # The PO file of a new language says the same beside each message.
    po = export(root, "pt", "po").read_text(encoding="utf-8")
    assert ("#. Where: title (article.yaml line 9): The article's title.\n#. Length: a slide title in decks;"
            in po)


def test_a_stale_unit_is_initial_needs_review_with_its_last_translation(root):
    article = root / "content" / "articles" / SEED / "article.yaml"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("Can loss of muscle mass cause pain?", "Can losing muscle cause pain?"),
                       encoding="utf-8")
    tree = etree.parse(str(export(root, "fr"))).getroot()
    segment = unit(tree, SEED, "question").find("x:segment", NS)
    assert (segment.get("state"), segment.get("subState")) == ("initial", "publisher:needs-review")
    assert segment.findtext("x:source", namespaces=NS) == "Can losing muscle cause pain?"
    assert segment.findtext("x:target", namespaces=NS) == "La perte de masse musculaire peut-elle causer des douleurs\u00a0?"
    assert unit(tree, SEED, "title").find("x:segment", NS).get("state") == "translated"
    # Imported unchanged, it stays stale: no file changes.
    before = yaml_files(root)
    result = run_cli("i18n", "import", *CLI, "x/fr.xlf", cwd=root)
    assert result.exit_code == 0 and result.output == "x/fr.xlf: nothing changed\n"
    assert yaml_files(root) == before


def test_round_trip_through_translate_toolkit_is_lossless(root):
    path = export(root, "ar")
    store = Xliff2File.parsefile(str(path))
    units = [(u.getid(), u.source, u.target, u.isfuzzy(), u.isapproved()) for u in store.units]
    assert len(units) == 126 and sum(1 for u in units if u[2]) == 126
    saved = bytes(store)
    assert saved == path.read_bytes()  # nothing lost, nothing reordered
    again = Xliff2File.parsestring(saved)
    assert [(u.getid(), u.source, u.target, u.isfuzzy(), u.isapproved()) for u in again.units] == units
    before = yaml_files(root)
    result = run_cli("i18n", "import", *CLI, "x/ar.xlf", cwd=root)
    assert result.exit_code == 0 and result.output == "x/ar.xlf: nothing changed\n"
    assert yaml_files(root) == before


def test_a_translation_tools_edits_come_back_with_their_states(root):
    path = export(root, "pt")
    store = Xliff2File.parsefile(str(path))
    for u in store.units:
        if u.getid() == "phone":
            u.target = "Telefone"
            u.marktranslated()
        if u.getid() == "question":
            u.target = "A perda de massa muscular pode causar dor?"
            u.marktranslated()
    path.write_bytes(bytes(store))
    result = run_cli("i18n", "import", *CLI, "x/pt.xlf", cwd=root)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"created {(root / 'content' / 'articles' / SEED / 'translations' / 'pt.yaml').as_posix()}",
        f"created {(root / 'templates' / 'labels' / 'pt.yaml').resolve().as_posix()}"]
    labels = (root / "templates" / "labels" / "pt.yaml").read_text(encoding="utf-8")
    assert labels.endswith("lang: pt\nunits:\n  phone:\n    text: Telefone\n    fingerprint: 63dceb8800b2dd4a\n"
                           "    status: draft\n    source: Phone\n")


def test_po_and_xliff_of_the_same_translations_write_the_same_files(root, tmp_path_factory):
    po_root = tmp_path_factory.mktemp("po-twin")
    shutil.copytree(root, po_root, dirs_exist_ok=True)
    xlf = export(root, "pt")
    tree = etree.parse(str(xlf))
    for segment in tree.iterfind(".//x:segment", NS):
        etree.SubElement(segment, f"{{{NS['x']}}}target").text = "«" + segment.findtext("x:source", namespaces=NS) + "»"
        segment.set("state", "translated")
    tree.write(str(xlf), encoding="UTF-8", xml_declaration=True)
    po = export(po_root, "pt", "po")
    text = po.read_text(encoding="utf-8")
    from babel.messages.pofile import read_po, write_po
    import io
    catalog = read_po(io.StringIO(text))
    for message in catalog:
        if message.id:
            message.string = "«" + message.id + "»"
    out = io.BytesIO()
    write_po(out, catalog, width=0)
    po.write_bytes(out.getvalue())
    assert run_cli("i18n", "import", *CLI, "x/pt.xlf", cwd=root).exit_code == 0
    assert run_cli("i18n", "import", *CLI, "x/pt.po", cwd=po_root).exit_code == 0
    made = {k: v for k, v in yaml_files(root).items() if k.endswith("/pt.yaml")}
    assert len(made) == 2 and made == {k: v for k, v in yaml_files(po_root).items() if k.endswith("/pt.yaml")}


HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n'
        '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="pt">\n')


def refused(root: Path, text: str | bytes, name: str = "pt.xlf") -> list[str]:
    path = root / "x" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    before = yaml_files(root)
    result = run_cli("i18n", "import", *CLI, f"x/{name}", cwd=root)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert yaml_files(root) == before, "a refused import wrote"
    return result.stderr.strip().splitlines()


def test_external_entities_and_entity_expansion_are_refused_before_parsing(root):
    xxe = ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE xliff [<!ENTITY leak SYSTEM "file:///etc/passwd">]>\n'
           + HEAD.split("\n", 1)[1] + '<file id="labels"><unit id="phone"><segment state="translated">'
           '<source>Phone</source><target>&leak;</target></segment></unit></file></xliff>\n')
    assert refused(root, xxe) == [
        "x/pt.xlf:2:1: (XLIFF): a <!DOCTYPE> declaration is not allowed (entities can read files or expand"
        " without end) — delete the DOCTYPE; XLIFF 2 needs none",
        "Aborted: 1 error in 1 file."]
    laughs = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
              + "".join(f' <!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">\n'
                        for i in range(1, 10)) + ']>\n<lolz>&lol9;</lolz>\n')
    assert refused(root, laughs)[0].startswith("x/pt.xlf:2:1: (XLIFF): a <!DOCTYPE> declaration is not allowed")


def test_a_file_larger_than_the_limit_is_refused_unread(root):
    path = root / "x" / "pt.xlf"
    path.parent.mkdir()
    with path.open("wb") as handle:
        handle.truncate(MAX_EXCHANGE_BYTES + 1)  # sparse: costs no disk and is never read
    result = run_cli("i18n", "import", *CLI, "x/pt.xlf", cwd=root)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "x/pt.xlf:1:1: (file): the file is 33,554,433 bytes, more than the limit of 33,554,432 — export one"
        " language at a time, for fewer articles",
        "Aborted: 1 error in 1 file."]


def test_wrong_language_unknown_ids_markup_and_broken_units_are_refused_all_at_once(root):
    text = (HEAD.replace('trgLang="pt"', 'trgLang="fr"')
            + '  <file id="labels">\n'
            '    <unit id="phone"><segment state="translated"><source>Phone</source>'
            '<target>Tel<pc id="1">efone</pc></target></segment></unit>\n'
            '    <unit id="nope"><segment state="translated"><source>x</source><target>y</target></segment></unit>\n'
            '    <unit id="page_x_of_y"><segment state="translated"><source>Page {page} of {pages}</source>'
            '<target>Página {page}</target></segment></unit>\n'
            '    <unit id="contact"><segment state="final"><source>Contact</source><target>Contacto</target>'
            '</segment></unit>\n'
            '    <unit id="about"><segment state="done"><source>About</source><target>Sobre</target></segment></unit>\n'
            '    <unit id="email"><segment><source>E-mail</source></segment><segment><source>x</source></segment>'
            '</unit>\n'
            '  </file>\n  <file id="another-article"/>\n</xliff>\n')
    assert refused(root, text) == [
        "x/pt.xlf:2:1: trgLang: the target language is 'fr' but the file is named for 'pt' — name the file"
        " fr.xlf, or export pt.xlf again",
        "x/pt.xlf:4:1: labels:phone: <pc> inside <target>: inline markup is not kept — write plain text;"
        " formatting comes from the templates",
        "x/pt.xlf:5:1: labels:nope: no unit 'nope' in the template wording — keep the unit ids of the export;"
        " export again after the source changed",
        "x/pt.xlf:6:1: labels:page_x_of_y: placeholders {page}, {pages} expected, found {page} — keep every"
        " {name} of the English text, untranslated",
        "x/pt.xlf:7:1: labels:contact: state 'final' needs the reviewer and the review date — add"
        ' <mda:metaGroup category="publisher-review"> with <mda:meta type="reviewer"> and'
        ' <mda:meta type="reviewed"> (YYYY-MM-DD) to the unit, or set state="translated"',
        "x/pt.xlf:8:1: labels:about: unknown state 'done' — use initial, translated, reviewed or final",
        "x/pt.xlf:9:1: labels:email: the unit has 2 segments, not 1 — join the unit's segments in your"
        " translation tool: a unit is printed as one text",
        "x/pt.xlf:11:1: file: no article 'another-article' in this project — translate the files of this"
        " project's export only",
        "Aborted: 8 errors in 1 file."]


def test_unreadable_files_are_refused_at_their_line_and_column(root):
    assert refused(root, HEAD + '  <file id="labels">\n    <unit id="phone"><segment><source>Phone</target>\n') == [
        "x/pt.xlf:4:53: (XLIFF): cannot read the XLIFF file: Opening and ending tag mismatch: source line 4 and"
        " target — open and save it again in your translation tool, or export it again",
        "Aborted: 1 error in 1 file."]
    assert refused(root, (HEAD + "<file id='labels'/></xliff>").encode("utf-8").replace(b"srcLang", b"\xe9rc")) == [
        "x/pt.xlf:2:68: (XLIFF): the file is not UTF-8 — save it as UTF-8 in your translation tool",
        "Aborted: 1 error in 1 file."]
    assert refused(root, HEAD.replace("2.0\" srcLang", "1.2\" srcLang") + "</xliff>") == [
        "x/pt.xlf:2:1: (XLIFF): XLIFF version '1.2' is not read here — save it as XLIFF 2.0 or 2.1 in your"
        " translation tool",
        "Aborted: 1 error in 1 file."]
    assert refused(root, HEAD + "</xliff>", name="en.xlf") == [
        "x/en.xlf:1:1: (file name): 'en' is a source language — import translations into other languages only;"
        " edit the source files instead",
        "Aborted: 1 error in 1 file."]


def test_a_stale_units_previous_source_travels_in_po_and_xliff(root):
    """Import records the English a new translation was made from; when it changes, the
    PO file shows it as `#| msgid` and the XLIFF file as a `previous-source` note."""
    path = export(root, "fr", "po")
    text = path.read_text(encoding="utf-8")
    old = "La perte de masse musculaire peut-elle causer des douleurs\u00a0?"
    assert f'msgstr "{old}"' in text
    path.write_text(text.replace(f'msgstr "{old}"', 'msgstr "La fonte musculaire peut-elle faire mal ?"'),
                    encoding="utf-8")
    assert run_cli("i18n", "import", *CLI, "x/fr.po", cwd=root).exit_code == 0
    translation = (root / "content" / "articles" / SEED / "translations" / "fr.yaml").read_text(encoding="utf-8")
    assert ('  question:\n    text: "La fonte musculaire peut-elle faire mal ?"\n    fingerprint: 87b90a7bdcaa4899\n'
            '    status: draft\n    source: "Can loss of muscle mass cause pain?"\n') in translation
    article = root / "content" / "articles" / SEED / "article.yaml"
    article.write_text(article.read_text(encoding="utf-8").replace(
        "Can loss of muscle mass cause pain?", "Can losing muscle cause pain?"), encoding="utf-8")
    po = export(root, "fr", "po").read_text(encoding="utf-8")
    assert ('#, fuzzy\n#| msgid "Can loss of muscle mass cause pain?"\n'
            f'msgctxt "{SEED}:question"\nmsgid "Can losing muscle cause pain?"\n') in po
    tree = etree.parse(str(export(root, "fr"))).getroot()
    assert unit(tree, SEED, "question").findtext("x:notes/x:note[@category='previous-source']", namespaces=NS) \
        == "Can loss of muscle mass cause pain?"
    # A unit translated before sources were recorded has none to show.
    assert unit(tree, SEED, "title").find("x:notes/x:note[@category='previous-source']", NS) is None
