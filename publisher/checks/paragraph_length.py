"""paragraph-length (warning): no paragraph longer than clear-print guidance's 7 lines.

A paragraph is a block of the PDF's structure tree (P, list item body,
heading …), so one that runs on to the next page counts as one. The finding
points at the article's text when the paragraph's opening words are found
in one of the printed strings (`facts["texts"]`, TextAt), else at the
article's file: the fix is in the content.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from publisher.checks import _where
from publisher.checks._pdf_text import quote, read_pdf
from publisher.checks.gate import Finding, Gate, OutputSubject, Score, register

OPENING_WORDS = 4  # enough to tell paragraphs apart, few enough to stay on the first line


@register
class ParagraphLength(Gate):
    id = "paragraph-length"
    severity = "warning"
    reads = "output"
    formats = ("handout", "large-print", "poster")
    summary = "paragraphs of at most 7 lines"

    def check(self, subject: OutputSubject, thresholds: Mapping[str, Any]) -> Iterable[Finding]:
        limit = int(thresholds["max_lines"])
        for block in read_pdf(subject.data).blocks:
            if len(block.lines) > limit:
                file, row, col, field = self._source(subject, block.text)
                yield self.finding(
                    file, row, col,
                    f"{subject.path}, page {block.lines[0].page}: a paragraph of {len(block.lines)} lines (more"
                    f" than {limit}): {quote(block.text)}",
                    "split it into shorter paragraphs, or make it a list", field)

    def scores(self, subject: OutputSubject, thresholds: Mapping[str, Any]) -> Iterable[Score]:
        limit = int(thresholds["max_lines"])
        longest = max((len(block.lines) for block in read_pdf(subject.data).blocks), default=0)
        return (Score("max lines/para", longest, limit, longest <= limit),)

    def _source(self, subject: OutputSubject, text: str) -> tuple[str, int, int, str]:
        opening = " ".join(text.split()[:OPENING_WORDS])
        for item in subject.facts.get("texts", ()):
            if hasattr(item, "line") and opening and opening in " ".join(item.text.split()):
                return item.file, item.line, item.col, item.field
        return (*_where.article(subject), "")
