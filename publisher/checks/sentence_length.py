"""Long sentences, flagged one by one, quoted.

A sentence is measured in words (wordfreq's tokenizer), in Chinese in
characters (punctuation left out). Over `warn_over` is a warning, over
`error_over` an error: the gate's findings carry their own severity.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from publisher.checks._prose import CHARACTER_LANGS, ProseGate, base_lang, length, prose, unit_sentences
from publisher.checks.gate import ContentSubject, Finding, Score, register


@register
class SentenceLength(ProseGate):
    id = "sentence-length"
    severity = "error"
    summary = "sentences over warn_over words are warnings, over error_over errors (Chinese: characters)"

    def check(self, subject: ContentSubject, thresholds: Mapping[str, Any]) -> Iterable[Finding]:
        lang = subject.localized.lang
        warn, error = thresholds["warn_over"], thresholds["error_over"]
        unit = "characters" if base_lang(lang) in CHARACTER_LANGS else "words"
        for item, sentence in unit_sentences(prose(subject.localized, own_language=True), lang):
            size = length(sentence, lang)
            if size <= warn:
                continue
            limit = error if size > error else warn
            finding = self.finding(
                item.at.file, item.at.line, item.at.col,
                f"a sentence of {size} {unit}, more than {limit}: \"{sentence}\"",
                f"split it into sentences of at most {warn} {unit}, one idea each", item.at.field, item.unit)
            yield finding if size > error else replace(finding, severity="warning")

    def scores(self, subject: ContentSubject, thresholds: Mapping[str, Any]) -> Iterable[Score]:
        lang = subject.localized.lang
        own = prose(subject.localized, own_language=True)
        longest = max((length(s, lang) for _, s in unit_sentences(own, lang)), default=0)
        yield Score("longest sentence", longest, thresholds["error_over"], longest <= thresholds["error_over"])
