"""The web pages' fonts are the PDFs' fonts: each WOFF2 copy holds the same characters and glyphs as its subset."""

from __future__ import annotations

from fontTools.ttLib import TTFont

from publisher.fonts import load_fonts
from tests.conftest import TEMPLATES


def test_each_web_font_is_a_woff2_copy_of_the_pdf_subset():
    faces = load_fonts(TEMPLATES / "fonts").faces
    assert len(faces) == 6
    for face in faces:
        web = TEMPLATES / "web" / "fonts" / f"{face.path.stem}.woff2"
        with TTFont(web) as copy, TTFont(face.path) as subset:
            assert copy.flavor == "woff2", web
            assert copy.getBestCmap() == subset.getBestCmap(), web
            assert copy.getGlyphOrder() == subset.getGlyphOrder(), web
