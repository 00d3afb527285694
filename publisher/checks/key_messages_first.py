"""Key messages present, few, and first (CDC Clear Communication Index, AHRQ PEMAT).

The content model gives the key messages a field of their own, and the
handout template prints them right after the title and the question, before
any section: "first" holds by construction for every article. What content
can still get wrong is how many there are: one main message at least, and
few enough that they stay the main ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from publisher.checks._prose import ProseGate, prose, sentences
from publisher.checks.gate import ContentSubject, Finding, Score, register


@register
class KeyMessagesFirst(ProseGate):
    id = "key-messages-first"
    severity = "error"
    summary = "between min_messages (1) and max_messages (5) key messages, printed before the sections"

    def check(self, subject: ContentSubject, thresholds: Mapping[str, Any]) -> Iterable[Finding]:
        lang = subject.localized.lang
        messages = [p for p in prose(subject.localized) if p.kind == "key-message"]
        low, high = thresholds["min_messages"], thresholds["max_messages"]
        if len(messages) > high:
            over = messages[high]
            yield self.finding(
                over.at.file, over.at.line, over.at.col,
                f"{len(messages)} key messages, more than {high}; message {high + 1} reads:"
                f" \"{sentences(over.text, lang)[0]}\"",
                f"keep the {high} that matter most and move the rest into a section", over.at.field, over.unit)
        elif len(messages) < low:
            first = messages[0]
            yield self.finding(
                first.at.file, first.at.line, first.at.col,
                f"{len(messages)} key message{'s' if len(messages) != 1 else ''}, fewer than {low}:"
                f" \"{sentences(first.text, lang)[0]}\"",
                "add the take-home messages a reader should remember", first.at.field, first.unit)

    def scores(self, subject: ContentSubject, thresholds: Mapping[str, Any]) -> Iterable[Score]:
        count = sum(1 for p in prose(subject.localized) if p.kind == "key-message")
        yield Score("key messages", count, thresholds["max_messages"],
                    thresholds["min_messages"] <= count <= thresholds["max_messages"])
