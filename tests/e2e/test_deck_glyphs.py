"""The Chinese and Arabic decks render without missing glyphs in LibreOffice (issue 12).

A .pptx names its fonts; it cannot usefully carry them (PowerPoint's embedded
fonts are not read by LibreOffice 7.x, and a CJK font is tens of megabytes),
so a machine set up from the README must have fonts for these scripts. This
converts the decks the way a LibreOffice user opens them and looks at what
was drawn: LibreOffice draws a character no installed font has with the
fallback font's .notdef glyph (an empty box) while the PDF's text layer
still says the right character, so extracting text cannot tell. Each
embedded TrueType subset is read with fontTools instead, and every visible
character drawn with a copy of its font's .notdef is a missing glyph.
"""

from __future__ import annotations

import io
import logging
import os
import re
import subprocess
import unicodedata

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from tests.conftest import CONTENT, SEED, TEMPLATES, require_tool, run_cli
from tests.deck_tools import open_deck, slide_title, to_pdf

INSTALL = "apt-get install fonts-noto-cjk; Arabic needs fonts-dejavu-core"


def _to_unicode(stream: bytes) -> dict[int, str]:
    """A simple font's ToUnicode CMap: character code → text."""
    text = stream.decode("latin-1")
    found: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for code, uni in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            found[int(code, 16)] = bytes.fromhex(uni).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for first, last, uni in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            start = int(uni, 16)
            for offset, code in enumerate(range(int(first, 16), int(last, 16) + 1)):
                found[code] = chr(start + offset)
    return found


def _outline(glyph) -> tuple:
    return (glyph.numberOfContours, list(getattr(glyph, "coordinates", []) or []),
            list(getattr(glyph, "endPtsOfContours", []) or []))


def missing_glyphs(pdf) -> dict[str, set[str]]:
    """Per embedded TrueType font, the visible characters drawn as its .notdef box."""
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    missing: dict[str, set[str]] = {}
    seen = set()
    for page in PdfReader(str(pdf)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            name = str(font["/BaseFont"])
            descriptor = font.get("/FontDescriptor")
            program = descriptor.get_object().get("/FontFile2") if descriptor else None
            if name in seen or program is None or "/ToUnicode" not in font:
                continue
            seen.add(name)
            tt = TTFont(io.BytesIO(program.get_object().get_data()))
            cmap = {code: glyph for table in tt["cmap"].tables for code, glyph in table.cmap.items()}
            glyf = tt["glyf"]
            notdef = _outline(glyf[".notdef"])
            for code, text in _to_unicode(font["/ToUnicode"].get_object().get_data()).items():
                visible = [c for c in text if not c.isspace() and unicodedata.category(c)[0] not in "CZ"]
                glyph = cmap.get(code)
                if visible and (glyph is None or glyph == ".notdef" or _outline(glyf[glyph]) == notdef):
                    missing.setdefault(name.split("+")[-1], set()).update(visible)
    return missing


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    require_tool("soffice", "pdftotext")
    out = tmp_path_factory.mktemp("deck-glyphs")
    decks = []
    for lang in ("zh-Hans", "ar"):
        result = run_cli("build", "--content", str(CONTENT), "--output", str(out), "--format", "deck",
                         "--lang", lang, "--clinic", "default")
        assert result.exit_code == 0, result.output
        decks.append(out / SEED / lang / "default" / "deck-16x9.pptx")
    return {lang: (deck, to_pdf([deck], out / f"pdf-{lang}")[0]) for lang, deck in zip(("zh-Hans", "ar"), decks)}


@pytest.mark.parametrize("lang", ["zh-Hans", "ar"])
def test_libreoffice_draws_every_character_of_the_deck(converted, lang):
    deck, pdf = converted[lang]
    missing = missing_glyphs(pdf)
    assert not missing, (f"LibreOffice drew boxes for {missing} in the {lang} deck: "
                         f"install the fonts the README names ({INSTALL})")
    title = slide_title(open_deck(deck).slides[0])
    text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    if lang == "zh-Hans":  # Arabic comes out of pdftotext in visual order
        assert re.sub(r"\s", "", title) in re.sub(r"\s", "", text)


def test_a_box_drawn_for_a_missing_character_is_caught(tmp_path):
    """Planted: the Chinese deck converted with no CJK font at all (fontconfig sees only
    the deck's own measuring fonts) must be reported."""
    require_tool("soffice")
    fonts = tmp_path / "fonts.conf"
    fonts.write_text(f'<?xml version="1.0"?><fontconfig><dir>{TEMPLATES / "deck" / "fonts"}</dir>'
                     f'<cachedir>{tmp_path / "cache"}</cachedir></fontconfig>', encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("build", "--content", str(CONTENT), "--output", str(out), "--format", "deck",
                     "--lang", "zh-Hans", "--clinic", "default")
    assert result.exit_code == 0, result.output
    deck = out / SEED / "zh-Hans" / "default" / "deck-16x9.pptx"
    profile = (tmp_path / "lo-profile").resolve().as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path / "pdf"), str(deck)], check=True, capture_output=True, timeout=180,
                   env={**os.environ, "FONTCONFIG_FILE": str(fonts)})
    missing = missing_glyphs(tmp_path / "pdf" / "deck-16x9.pdf")
    assert "肌" in set().union(*missing.values())
