from publisher.checks.glyphs import check_glyphs
from publisher.fonts import load_fonts
from publisher.i18n import TextAt
from tests.conftest import TEMPLATES


def test_font_stack_falls_back_from_region_to_language_to_default():
    fonts = load_fonts(TEMPLATES / "fonts")
    assert fonts.stack("en") == ("Noto Sans",)
    assert fonts.stack("pt-BR") == fonts.stack("default")
    assert {face.weight for face in fonts.faces_for("en")} == {400, 700}


def test_latin_greek_cyrillic_and_punctuation_are_covered():
    covered = load_fonts(TEMPLATES / "fonts").covers("en")
    for ch in "Aé ñ ß Œ ğ ž α Ж – — “ ” ‘ ’ • … € № ½\u00a0":
        assert ord(ch) in covered, ch


def test_uncovered_characters_are_named_once_per_field():
    covered = frozenset(map(ord, "abc "))
    texts = [TextAt("f.yaml", 3, 9, "title", "abc ✈✈ 中"), TextAt("f.yaml", 4, 9, "question", "a\u200db")]
    problems = check_glyphs(texts, covered, "en", ("Noto Sans",))
    assert [str(p) for p in problems] == [
        "f.yaml:3:9: title: the character '✈' (U+2708 AIRPLANE) cannot be printed in 'en': no font covers it"
        " (Noto Sans) — replace it with a common character, or add a font that covers it in templates/fonts/fonts.yaml",
        "f.yaml:3:9: title: the character '中' (U+4E2D CJK UNIFIED IDEOGRAPH-4E2D) cannot be printed in 'en':"
        " no font covers it (Noto Sans) — replace it with a common character, or add a font that draws Han"
        " (such as Noto Sans CJK) to templates/fonts/fonts.yaml and run `make fonts`",
    ]
