"""Issue 16: what a reader of a translation gets where a unit is missing or stale,
as the translation policy says (mark, previous, block), and `i18n confirm`."""

from __future__ import annotations

import re

from jinja2 import DictLoader

from publisher.content import load_project
from publisher.i18n import localize
from publisher.i18n.labels import load_labels
from publisher.targets._pptx_xml import segments
from publisher.templating import environment
from tests.conftest import SEED, TEMPLATES

OLD = "Loss of muscle mass is also called muscle atrophy."
NEW = "Loss of muscle mass is also known as muscle atrophy."
NEW_TEXT = ("Loss of muscle mass is also known as muscle atrophy. It is common in people who have not been active"
            " for a long time, in older age, and with some medical conditions.")
ARABIC = "يُسمّى فقدان الكتلة العضلية أيضًا ضمور العضلات."
AR_FILE = f"articles/{SEED}/translations/ar.yaml"


def _localized(project, lang="ar"):
    loaded = load_project(project.content)
    return localize(loaded.articles[SEED], lang, load_labels(TEMPLATES), loaded.policy_for(SEED, lang))


def test_mark_shows_the_new_source_text_tagged_with_its_language(project):
    project.edit_article(OLD, NEW)
    loc = _localized(project)
    assert loc.policy == "mark"
    assert loc.fallbacks == ("intro-what.text",)
    assert loc.awaiting == ()
    assert loc.marked == ((NEW_TEXT, "en"),)
    assert loc.article.sections[0].blocks[0].text == NEW_TEXT
    assert not loc.blocked


def test_previous_keeps_the_last_translation_and_records_it_as_awaiting_update(project):
    project.write("translation-policy.yaml", "languages:\n  ar: previous\n")
    project.edit_article(OLD, NEW)
    loc = _localized(project)
    assert (loc.policy, loc.fallbacks, loc.awaiting, loc.marked) == ("previous", (), ("intro-what.text",), ())
    assert loc.article.sections[0].blocks[0].text.startswith(ARABIC)
    assert _localized(project, "de").policy == "mark"  # the project's default for the other languages


def test_previous_still_marks_a_unit_that_was_never_translated(project):
    project.write("translation-policy.yaml", "policy: previous\n")
    path = project.content / AR_FILE
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"  intro-why\.text:\n(    .*\n){3}", "", text), encoding="utf-8")
    loc = _localized(project)
    assert (loc.fallbacks, loc.awaiting) == (("intro-why.text",), ())


def test_the_translation_file_overrides_the_project_and_block_holds_the_language_back(project):
    project.write("translation-policy.yaml", "policy: previous\n")
    path = project.content / AR_FILE
    path.write_text(path.read_text(encoding="utf-8").replace("lang: ar\n", "lang: ar\npolicy: block\n"),
                    encoding="utf-8")
    assert not _localized(project).blocked  # nothing stale yet: built as usual
    project.edit_article(OLD, NEW)
    loc = _localized(project)
    assert loc.policy == "block" and loc.blocked


def test_an_untranslated_short_heading_gives_way_to_the_translated_heading(project):
    """The Spanish poster showed the English `short:` although the Spanish `heading:` existed."""
    path = project.content / f"articles/{SEED}/translations/es.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"  how-it-leads-to-pain\.short:\n(    .*\n){3}", "", text), encoding="utf-8")
    loc = _localized(project, "es")
    section = loc.article.sections[1]
    assert section.short is None
    assert section.heading == "Cómo la pérdida de masa muscular causa dolor"
    assert "how-it-leads-to-pain.short" not in loc.fallbacks and loc.fallbacks == ()
    assert loc.marked == ()


def test_a_short_heading_stays_marked_when_its_heading_is_not_translated_either(project):
    project.edit_article("heading: How muscle loss leads to pain", "heading: How losing muscle leads to pain")
    project.edit_article("short: How muscle loss can lead to pain", "short: How losing muscle can lead to pain")
    loc = _localized(project, "es")
    assert set(loc.fallbacks) == {"how-it-leads-to-pain.heading", "how-it-leads-to-pain.short"}
    assert loc.article.sections[1].short == "How losing muscle can lead to pain"


def test_the_policy_files_are_validated_with_located_errors(project):
    project.write("translation-policy.yaml", "policy: sometimes\nlanguages:\n  de: never\n")
    path = project.content / AR_FILE
    path.write_text(path.read_text(encoding="utf-8").replace("lang: ar\n", "lang: ar\npolicy: blok\n"),
                    encoding="utf-8")
    assert project.refused_by_both() == [
        f"content/{AR_FILE}:8:9: policy: expected one of 'mark', 'previous' or 'block', got 'blok'"
        " — use one of 'mark', 'previous' or 'block'",
        "content/translation-policy.yaml:1:9: policy: expected one of 'mark', 'previous' or 'block', got"
        " 'sometimes' — use one of 'mark', 'previous' or 'block'",
        "content/translation-policy.yaml:3:7: languages.de: expected one of 'mark', 'previous' or 'block',"
        " got 'never' — use one of 'mark', 'previous' or 'block'",
        "Aborted: 3 errors in 2 files.",
    ]


def _render(source: str, marked=(), labels=None) -> str:
    env = environment(TEMPLATES).overlay(loader=DictLoader({"t.html.j2": source}))
    loc = type("Loc", (), {"marked": tuple(marked)})()
    labels = labels or {"fallback_marker": "Bitte fragen Sie nach."}
    return env.get_template("t.html.j2").render(loc=loc, labels=labels)


def test_source_text_in_a_translation_carries_its_language_and_the_marker():
    marked = [("Muscle <loss>.", "en")]
    expected = ('<span class="source-text" lang="en">\u2066Muscle &lt;loss&gt;.\u200e\u2069</span>'
                ' <span class="fallback-mark" role="note">Bitte fragen Sie nach.</span>')
    assert _render("{{ 'Muscle <loss>.' | marked }}", marked) == expected
    assert _render("{{ 'Muskel' | marked }}", marked) == "Muskel"  # translated text: as it was
    assert _render("{{ '{a} und {b}' | bidi_fill(a='Muscle <loss>.', b='Muskel') }}", marked) == (
        expected + " und \u2068Muskel\u2069")
    kept = _render("{{ 'Muscle loss is common.' | keep_end }}", [("Muscle loss is common.", "en")])
    assert kept.startswith('<span class="source-text" lang="en">\u2066Muscle loss <span class="keep">is common.')
    assert _render("{{ 'x' | marked }}", [("x", "ar")]).startswith('<span class="source-text" lang="ar">\u2067x\u200f')


def test_deck_runs_of_source_text_take_its_language():
    foreign = (("Muscle loss.", "en"),)
    assert segments("مقدمة Muscle loss. خاتمة", foreign) == [("مقدمة ", None), ("Muscle loss.", "en"), (" خاتمة", None)]
    assert segments("Muscle loss.", foreign) == [("Muscle loss.", "en")]
    assert segments("لا شيء", foreign) == [("لا شيء", None)]


def test_status_says_what_readers_get_for_each_policy(project):
    project.edit_article(OLD, NEW)
    project.write("translation-policy.yaml", "languages:\n  ar: previous\n  de: block\n")
    result = project.cli("i18n", "status")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["article", "lang", "units", "translated", "stale", "missing", "approved", "policy",
                                "review"]
    assert lines[1].split() == [SEED, "ar", "52", "51", "(98%)", "1", "0", "0", "(0%)", "previous", "-"]
    assert lines[-5:] == [
        f"{SEED} in 'ar': stale, previous translation kept, awaiting update (policy previous): intro-what.text",
        f"{SEED} in 'de': not built (policy block) until these are translated: intro-what.text",
        f"{SEED} in 'es': stale, shown in the source language, marked for the reader (policy mark): intro-what.text",
        f"{SEED} in 'fr': stale, shown in the source language, marked for the reader (policy mark): intro-what.text",
        f"{SEED} in 'zh-Hans': stale, shown in the source language, marked for the reader (policy mark):"
        " intro-what.text",
    ]


def test_confirm_records_the_new_fingerprint_and_nothing_else(project):
    before = {p.name: p.read_text(encoding="utf-8") for p in (project.content / f"articles/{SEED}/translations").iterdir()}
    project.edit_article(OLD, NEW)
    result = project.cli("i18n", "confirm", "intro-what.text", "--lang", "ar")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == f"confirmed intro-what.text of {SEED} in ar"
    after = (project.content / AR_FILE).read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(before["ar.yaml"].splitlines(), after.splitlines()) if a != b]
    assert changed == [("    fingerprint: c5fd4696bb83e53b", "    fingerprint: 3c1b662aab448325")]
    assert _localized(project).fallbacks == ()
    assert _localized(project, "de").fallbacks == ("intro-what.text",)
    result = project.cli("i18n", "confirm", "intro-what.text")
    assert result.stdout.splitlines()[0] == f"confirmed intro-what.text of {SEED} in de, es, fr, zh-Hans"
    again = project.cli("i18n", "confirm", "intro-what.text")
    assert again.stdout == f"intro-what.text of {SEED}: nothing to confirm (no translation of it is stale)\n"


def test_confirm_refuses_a_unit_that_does_not_exist(project):
    result = project.cli("i18n", "confirm", "intro-wat.text")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: no unit 'intro-wat.text' in any article or the template wording — did you mean 'intro-what.text'?")
