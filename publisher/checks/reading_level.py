"""Reading level of the reader-facing text, by each language's own formula.

English: Flesch-Kincaid grade and SMOG; Spanish: Szigriszt-Pazos (the
INFLESZ scale); French: Kandel-Moles; German: Flesch-Amstad and the first
Wiener Sachtextformel; Arabic: OSMAN; Chinese: characters per sentence and
the share of uncommon words. The formulas are textstat's (see `_readability`).
A score past its limit is one finding, located at the text's longest
sentence, the first place to make plainer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from publisher.checks import _readability
from publisher.checks._prose import ProseGate, length, prose, unit_sentences
from publisher.checks.gate import ContentSubject, Finding, Score, register

# Each score's threshold key, and whether the limit is a ceiling (grades) or a floor (reading ease).
LIMITS = {
    "FK grade": ("max_fk_grade", "max"),
    "SMOG": ("max_smog", "max"),
    "Szigriszt-Pazos": ("min_szigriszt_pazos", "min"),
    "Kandel-Moles": ("min_kandel_moles", "min"),
    "Amstad": ("min_amstad", "min"),
    "WSTF": ("max_wstf", "max"),
    "OSMAN": ("min_osman", "min"),
    "chars/sentence": ("max_chars_per_sentence", "max"),
    "uncommon %": ("max_uncommon_percent", "max"),
}


@register
class ReadingLevel(ProseGate):
    id = "reading-level"
    severity = "error"
    summary = ("reading grade or ease of the reader-facing text, per language"
               " (FK, SMOG, INFLESZ, Kandel-Moles, Amstad, WSTF, OSMAN, Chinese sentence length)")

    def scores(self, subject: ContentSubject, thresholds: Mapping[str, Any]) -> Iterable[Score]:
        texts = [p.text for p in prose(subject.localized, own_language=True)]
        if not texts:  # nothing translated yet: the source language's scores cover what prints
            return
        measured = _readability.scores(texts, subject.localized.lang, thresholds["uncommon_zipf"])
        for name, value in measured.items():
            key, kind = LIMITS[name]
            limit = thresholds[key]
            value = round(value, 1)
            yield Score(name, value, limit, value <= limit if kind == "max" else value >= limit)

    def check(self, subject: ContentSubject, thresholds: Mapping[str, Any]) -> Iterable[Finding]:
        failed = [s for s in self.scores(subject, thresholds) if not s.passed]
        if not failed:
            return
        lang = subject.localized.lang
        own = prose(subject.localized, own_language=True)
        item, sentence = max(unit_sentences(own, lang), key=lambda found: length(found[1], lang))
        for score in failed:
            kind = LIMITS[score.name][1]
            yield self.finding(
                item.at.file, item.at.line, item.at.col,
                f"the text's {score.name} is {score.value:g}, {'above' if kind == 'max' else 'below'} the limit"
                f" of {score.limit:g}; its longest sentence: \"{sentence}\"",
                "use shorter sentences and everyday words (see the sentence-length and uncommon-words findings)",
                item.at.field, item.unit)
