"""No list longer than a reader can take in at once (CDC Clear Communication Index)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from publisher.checks._prose import ProseGate, prose, sentences
from publisher.checks.gate import ContentSubject, Finding, register


@register
class ListLength(ProseGate):
    id = "list-length"
    severity = "error"
    summary = "no list or box of items longer than max_items (7)"

    def check(self, subject: ContentSubject, thresholds: Mapping[str, Any]) -> Iterable[Finding]:
        limit = thresholds["max_items"]
        lang = subject.localized.lang
        texts = {p.unit: p for p in prose(subject.localized) if p.kind == "item"}
        for section in subject.localized.article.sections:
            for block in section.blocks:
                items = getattr(block, "items", None) or []
                if len(items) <= limit:
                    continue
                # Located at the first item over the limit: what to move or cut.
                first_over = texts[items[limit].id]
                quoted = sentences(first_over.text, lang)[0]
                yield self.finding(
                    first_over.at.file, first_over.at.line, first_over.at.col,
                    f"the {'list' if block.kind == 'list' else 'box'} '{block.id}' has {len(items)} items,"
                    f" more than {limit}; item {limit + 1} reads: \"{quoted}\"",
                    f"split it into lists of at most {limit} under their own headings, or keep the {limit}"
                    " that matter most", first_over.at.field, block.id)
