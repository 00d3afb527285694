"""Percentages and fractions, flagged for a words-or-picture check.

Readers with low numeracy misread "30 %" and "1/3"; the CDC Clear
Communication Index asks that numbers be explained ("3 in 10 people") or
shown in a picture. Whether a number is explained cannot be read from the
text, so each one is a warning to look at: percent and fraction signs in
any script, and each language's words for them (`number_words`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from publisher.checks._prose import ProseGate, prose, unit_sentences
from publisher.checks.gate import ContentSubject, Finding, Score, register

# Percent signs (Latin, Arabic, full-width), digit/digit, and the fraction characters (½, ⅓ …).
SIGNS = r"\d+(?:[.,٫]\d+)?\s*[%٪％]|\d+\s*[/⁄]\s*\d+|[¼½¾⅐-⅞]"


@register
class NumbersCheck(ProseGate):
    id = "numbers-check"
    severity = "warning"
    summary = "percentages and fractions, to be said in words (\"3 in 10\") or shown in a picture"

    def check(self, subject: ContentSubject, thresholds: Mapping[str, Any]) -> Iterable[Finding]:
        numbers = re.compile("|".join([SIGNS, *thresholds["number_words"]]), re.IGNORECASE)
        lang = subject.localized.lang
        for item, sentence in unit_sentences(prose(subject.localized, own_language=True), lang):
            for match in numbers.finditer(sentence):
                yield self.finding(
                    item.at.file, item.at.line, item.at.col,
                    f"the number \"{match.group().strip()}\" needs a words-or-picture check: \"{sentence}\"",
                    "say it in words a reader can picture (\"3 in 10 people\") or show it in a picture;"
                    " waive the gate for this unit once it is",
                    item.at.field, item.unit)

    def scores(self, subject: ContentSubject, thresholds: Mapping[str, Any]) -> Iterable[Score]:
        yield Score("numbers", sum(1 for _ in self.check(subject, thresholds)))
