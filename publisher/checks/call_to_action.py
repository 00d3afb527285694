"""At least one call to action (CDC Clear Communication Index, AHRQ PEMAT).

The content model has no field that marks a call to action, so this is a
heuristic: some sentence of the reader-facing text must start, or have a
clause that starts, with one of the language's `cues` (regular expressions:
"talk to", "haga", "parlez", "sprechen Sie", "فتحدث", "请"). Imperatives
cannot be told reliably from a word list in every language, so the gate
warns rather than stops the build.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from publisher.checks._prose import ProseGate, prose, sentences, unit_sentences, without_vowel_marks
from publisher.checks.gate import ContentSubject, Finding, Score, register

# Where the words of a call to action stand: the reader's text, not its headings or title.
ACTION_KINDS = frozenset({"key-message", "paragraph", "item", "callout"})


@register
class CallToAction(ProseGate):
    id = "call-to-action"
    severity = "warning"
    summary = "at least min_actions sentences that ask the reader to do something (a per-language cue list)"

    def check(self, subject: ContentSubject, thresholds: Mapping[str, Any]) -> Iterable[Finding]:
        found = self._actions(subject, thresholds)
        if len(found) >= thresholds["min_actions"]:
            return
        first = next(p for p in prose(subject.localized) if p.kind == "key-message")
        quoted = sentences(first.text, subject.localized.lang)[0]
        yield self.finding(
            first.at.file, first.at.line, first.at.col,
            f"{len(found)} call{'s' if len(found) != 1 else ''} to action, fewer than {thresholds['min_actions']}:"
            f" no sentence asks the reader to do something, not even the first key message: \"{quoted}\"",
            "say what the reader should do (\"Talk to your physiotherapist about …\"), best in a key message",
            first.at.field, first.unit)

    def scores(self, subject: ContentSubject, thresholds: Mapping[str, Any]) -> Iterable[Score]:
        count = len(self._actions(subject, thresholds))
        yield Score("calls to action", count, thresholds["min_actions"], count >= thresholds["min_actions"])

    def _actions(self, subject: ContentSubject, thresholds: Mapping[str, Any]) -> list[str]:
        cues = re.compile("|".join(f"(?:{c})" for c in thresholds["cues"]) or r"(?!)", re.IGNORECASE)
        lang = subject.localized.lang
        reader = [p for p in prose(subject.localized, own_language=True) if p.kind in ACTION_KINDS]
        return [s for _, s in unit_sentences(reader, lang)
                if not s.endswith(("?", "？", "؟")) and cues.search(without_vowel_marks(s))]
