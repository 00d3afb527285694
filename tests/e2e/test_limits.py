"""Hostile or odd content files: refused at their line, fast, in bounded
memory, by `validate` and `build` alike (issue 13, item 1)."""

from __future__ import annotations

import time
import tracemalloc

import pytest

from publisher.content import limits
from tests.conftest import SEED, _warm_language_data

ART = f"content/articles/{SEED}/article.yaml"
FR = f"content/articles/{SEED}/translations/fr.yaml"
SPLIT = "a content file this big is not a leaflet: split the article, or remove what was pasted in by mistake"
DEEP = "nested more than 16 levels deep — check the indentation and the brackets: content needs only a few levels"
CHAR_HINT = ("delete it (in quotes it may be written as an escape such as \\x0b, \\x00 or \\ud800);"
             " no handout, poster or deck can print it")


def refused_fast(project) -> list[str]:
    """The lines both commands print, with the Python memory they needed at most."""
    _warm_language_data()  # loaded once per process whatever the input: not work the file caused
    tracemalloc.start()
    try:
        started = time.process_time()
        lines = project.refused_by_both()
        seconds = time.process_time() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # Two commands, traced by tracemalloc (which slows Python down), on a shared machine.
    assert seconds < 4, f"validate and build took {seconds:.1f} s"
    assert peak < 40 * 2**20, f"peak memory {peak / 2**20:.0f} MB"
    return lines


def write_article(project, text: str) -> None:
    project.article_path.write_text(text, encoding="utf-8")


HOSTILE = {
    "nesting 100,000 brackets deep": (
        "title: " + "[" * 100_000,
        f"{ART}:1:23: (yaml): {DEEP}"),
    "nesting 60,000 dashes deep": (
        "- " * 60_000 + "x",
        f"{ART}:1:33: (yaml): {DEEP}"),
    "billion laughs": (
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
        + "".join(f"{n}: &{n} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n"
                  for p, n in zip("abcdefgh", "bcdefghi")),
        f"{ART}:1:4: a: anchors and aliases (&name, *name) are not allowed"
        " — write the text out in full; if it starts with & or *, put it in quotes"),
    "a list of a million items": (
        "- a\n" * 1_000_000,
        f"{ART}:1:1: (file): the file is 4,000,000 bytes, more than the limit of 131,072 — {SPLIT}"),
    "a paragraph of 5 MB": (
        "title: " + "word " * 1_000_000,
        f"{ART}:1:1: (file): the file is 5,000,007 bytes, more than the limit of 131,072 — {SPLIT}"),
    "a list of 1,001 items": (
        "key_messages:\n" + "  - x\n" * 1001,
        f"{ART}:1002:5: key_messages[1000]: more than 1,000 items here"
        " — split the list or the article into smaller ones"),
    "a mapping of 1,001 keys": (
        "".join(f"k{i}: v\n" for i in range(1001)),
        f"{ART}:1001:1: (yaml): more than 1,000 keys here — split the list or the article into smaller ones"),
    "a text of 5,001 characters": (
        "title: " + "x" * 5001,
        f"{ART}:1:8: title: the text is 5,001 characters long, more than the limit of 5,000"
        " — split it into shorter paragraphs or items"),
    "5,001 values": (
        "".join("- [" + "a," * 999 + "a]\n" for _ in range(6)),
        f"{ART}:5:1992: [4][994]: more than 5,000 values in one file — split the article into smaller ones"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_article_is_refused_at_its_line_fast_and_in_bounded_memory(project, case):
    text, line = HOSTILE[case]
    write_article(project, text)
    assert refused_fast(project) == [line, "Aborted: 1 error in 1 file."]


def test_a_50_mb_file_is_refused_by_its_size_before_it_is_read(project):
    with project.article_path.open("wb") as handle:
        handle.truncate(50 * 2**20)  # sparse: 50 MB as stat sees it, without writing them
    assert refused_fast(project) == [
        f"{ART}:1:1: (file): the file is 52,428,800 bytes, more than the limit of 131,072 — {SPLIT}",
        "Aborted: 1 error in 1 file."]


def test_an_article_with_more_units_than_the_limit_is_refused_at_the_first_one_over(project):
    messages = "".join(f"  - id: m{i}\n    text: Message {i}.\n" for i in range(limits.MAX_UNITS + 5))
    project.edit_article("key_messages:\n", "key_messages:\n" + messages)
    over = project.line_of(f"text: Message {limits.MAX_UNITS - 3}.")  # title, question and headline come first
    assert refused_fast(project) == [
        f"{ART}:{over}:11: key_messages[{limits.MAX_UNITS - 3}].text: the article has"
        f" {limits.MAX_UNITS + 5 + 52:,} texts to translate, more than the limit of {limits.MAX_UNITS}"
        " — split it into several articles: a handout is a few pages",
        "Aborted: 1 error in 1 file."]


@pytest.mark.parametrize("escape, what", [
    ("\\x0b", "the invisible control character U+000B"),
    ("\\x1b", "the invisible control character U+001B"),
    ("\\x00", "the invisible control character U+0000"),
    ("\\x85", "the invisible control character U+0085"),
    ("\\ud800", "a lone surrogate U+D800 (half of a character)"),
    ("\\udfff", "a lone surrogate U+DFFF (half of a character)"),
    ("\\ufffe", "the noncharacter U+FFFE"),
    ("\\ufdd0", "the noncharacter U+FDD0"),
    ("\\U0010FFFF", "the noncharacter U+10FFFF"),
])
def test_escaped_characters_no_output_can_carry_are_refused_where_written(project, escape, what):
    project.edit_article("question: Can loss", f'question: "Can{escape} loss')
    project.edit_article("cause pain?\n", 'cause pain?"\n')
    line = project.line_of("question:")
    assert refused_fast(project) == [f"{ART}:{line}:11: question: {what} is not allowed — {CHAR_HINT}",
                                     "Aborted: 1 error in 1 file."]


def test_a_raw_noncharacter_is_refused_too(project):
    project.edit_article("question: Can loss", "question: Can\ufdef loss")
    line = project.line_of("question:")
    assert project.refused_by_both() == [
        f"{ART}:{line}:11: question: the noncharacter U+FDEF is not allowed — {CHAR_HINT}",
        "Aborted: 1 error in 1 file."]


def test_an_escaped_control_character_in_a_translation_is_refused_at_its_line(project):
    path = project.content / "articles" / SEED / "translations" / "fr.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('text: "Perte de masse', 'text: "Perte\\x0b de masse', 1), encoding="utf-8")
    line = project.line_of("Perte\\x0b", f"articles/{SEED}/translations/fr.yaml")
    assert project.refused_by_both() == [
        f"{FR}:{line}:11: units.title.text: the invisible control character U+000B is not allowed — {CHAR_HINT}",
        "Aborted: 1 error in 1 file."]


def test_a_translation_in_a_language_babel_does_not_know_is_refused_at_lang(project):
    source = project.content / "articles" / SEED / "translations" / "fr.yaml"
    text = source.read_text(encoding="utf-8").replace("lang: fr", "lang: qq")
    project.write(f"articles/{SEED}/translations/qq.yaml", text)
    line = project.line_of("lang: qq", f"articles/{SEED}/translations/qq.yaml")
    assert project.refused_by_both() == [
        f"content/articles/{SEED}/translations/qq.yaml:{line}:7: lang: 'qq' is not a language publisher has"
        " locale data for — use a BCP 47 tag such as `es`, `fr`, `de`, `zh-Hans` or `ar`",
        "Aborted: 1 error in 1 file."]


CLINIC = "content/clinics/default.yaml"
BIDI_HINT = "delete it; the direction of Arabic or Hebrew text is set automatically"


@pytest.mark.parametrize("old, new, column, field, code", [
    ('phone: "+1 555 0100"', 'phone: "+1 555 \u202e0010"', 8, "phone", "202E"),
    ("name: Your Health Clinic", "name: Your \u2067Health\u2069 Clinic", 7, "name", "2067"),
    ("  - Springfield", "  - Spring\u200ffield", 5, "address[1]", "200F"),
    ("website: https://clinic.example.org", "website: https://clinic.\u202eexample.org", 10, "website", "202E"),
    ("email: reception@clinic.example.org", "email: reception@clinic\u061c.example.org", 8, "email", "061C"),
    ("logo_alt: Your Health Clinic logo", "logo_alt: Your Health Clinic \u202alogo", 11, "logo_alt", "202A"),
])
def test_bidi_controls_are_refused_where_they_could_disguise_a_clinic_detail(project, old, new, column, field, code):
    path = project.content / "clinics" / "default.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    line = project.line_of(new.split(":")[0] if ":" in new else new, "clinics/default.yaml")
    assert project.refused_by_both() == [
        f"{CLINIC}:{line}:{column}: {field}: the invisible direction mark U+{code} is not allowed here, where it can"
        f" make the text print in another order than it is stored — {BIDI_HINT}",
        "Aborted: 1 error in 1 file."]


def test_bidi_marks_stay_allowed_in_translated_text(project):
    # An Arabic translation may need a right-to-left mark beside digits; only clinic details refuse them.
    path = project.content / "articles" / SEED / "translations" / "ar.yaml"
    text = path.read_text(encoding="utf-8")
    marker = 'text: "'
    assert marker in text
    path.write_text(text.replace(marker, marker + "\u200f", 1), encoding="utf-8")
    assert project.cli("validate").exit_code == 0


def test_a_5_gb_file_costs_the_build_no_more_than_a_small_one(project):
    # The build's digest of the content folder must not read it all before the loader refuses it.
    with project.article_path.open("wb") as handle:
        handle.truncate(5 * 2**30)
    assert refused_fast(project) == [
        f"{ART}:1:1: (file): the file is 5,368,709,120 bytes, more than the limit of 131,072 — {SPLIT}",
        "Aborted: 1 error in 1 file."]
