"""Uncommon words, flagged unless the article explains them.

A word is uncommon when wordfreq gives it a Zipf frequency below
`below_zipf` in the article's language (3 is about once in a million
words). The article explains a word by introducing it the way plain-language
writing does: in a sentence that matches one of the language's
`explained_by` patterns ("also called", "auch … genannt", "也叫"), or in
parentheses, or right before them ("atrophy (muscle loss)"). Once explained
it is fine everywhere in the article. Each word is reported once, where it
first appears. Words with digits (units, doses) are left to numbers-check.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from publisher.checks._prose import Prose, ProseGate, base_lang, prose, unit_sentences, without_vowel_marks, words
from publisher.checks.gate import ContentSubject, Finding, Score, register

_PARENTHESES = re.compile(r"(\S+)\s*[(（]([^)）]*)[)）]")


@register
class UncommonWords(ProseGate):
    id = "uncommon-words"
    severity = "warning"
    summary = "words rarer than below_zipf (wordfreq) that the article does not explain"

    def check(self, subject: ContentSubject, thresholds: Mapping[str, Any]) -> Iterable[Finding]:
        limit = thresholds["below_zipf"]
        for item, sentence, word, zipf in _uncommon(subject, thresholds):
            yield self.finding(
                item.at.file, item.at.line, item.at.col,
                f"'{word}' is an uncommon word (Zipf {zipf:g}, below {limit:g}): \"{sentence}\"",
                "use an everyday word, or explain it once (\"also called …\", or in parentheses)",
                item.at.field, item.unit)

    def scores(self, subject: ContentSubject, thresholds: Mapping[str, Any]) -> Iterable[Score]:
        yield Score("uncommon words", len(_uncommon(subject, thresholds)))


def _uncommon(subject: ContentSubject, thresholds: Mapping[str, Any]) -> list[tuple[Prose, str, str, float]]:
    """Each unexplained uncommon word where it first appears: (string, sentence, word, Zipf)."""
    from wordfreq import zipf_frequency

    lang = subject.localized.lang
    found = list(unit_sentences(prose(subject.localized, own_language=True), lang))
    explained = _explained([s for _, s in found], lang, thresholds["explained_by"])
    seen: set[str] = set()
    uncommon = []
    for item, sentence in found:
        for word in words(sentence, lang):
            if word in seen or word in explained or any(c.isdigit() for c in word):
                continue
            seen.add(word)
            zipf = zipf_frequency(word, base_lang(lang))
            if zipf < thresholds["below_zipf"]:
                uncommon.append((item, sentence, word, zipf))
    return uncommon


def _explained(sentences: list[str], lang: str, patterns: list[str]) -> set[str]:
    """The words the article explains: in a sentence that introduces a term, or by parentheses."""
    cues = [re.compile(p, re.IGNORECASE) for p in patterns]
    explained: set[str] = set()
    for sentence in sentences:
        plain = without_vowel_marks(sentence)
        if any(cue.search(plain) for cue in cues):
            explained.update(words(sentence, lang))
        for before, inside in _PARENTHESES.findall(sentence):
            explained.update(words(before, lang) + words(inside, lang))
    return explained
