"""line-length (warning): lines no longer than clear-print guidance's measure.

Counted on each line of the PDF's paragraphs (header and footer are not
paragraphs), characters and spaces alike, except in Chinese, where spaces
are not counted. One finding per page that has long lines: the measure is
the stylesheet's (page width, margins, type size), not one paragraph's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from publisher.checks import _where
from publisher.checks._pdf_text import Line, quote, read_pdf
from publisher.checks.gate import Finding, Gate, OutputSubject, Score, register


def characters(line: Line, lang: str) -> int:
    text = line.text.strip()
    return len("".join(text.split())) if lang.startswith("zh") else len(text)


@register
class LineLength(Gate):
    id = "line-length"
    severity = "warning"
    reads = "output"
    formats = ("handout", "large-print", "poster")
    summary = "lines of about 70 characters at most (Chinese 35)"

    def check(self, subject: OutputSubject, thresholds: Mapping[str, Any]) -> Iterable[Finding]:
        limit = int(thresholds["max_chars"])
        file, row, col = _where.stylesheet(subject, r"@page")
        lines = [line for block in read_pdf(subject.data).blocks for line in block.lines]
        for page in sorted({line.page for line in lines}):
            on_page = [line for line in lines if line.page == page]
            long = [line for line in on_page if characters(line, subject.lang) > limit]
            if long:
                longest = max(long, key=lambda line: characters(line, subject.lang))
                yield self.finding(
                    file, row, col,
                    f"{subject.path}, page {page}: {len(long)} of {len(on_page)} lines are longer than {limit}"
                    f" characters, the longest {characters(longest, subject.lang)}: {quote(longest.text)}",
                    f"narrow the text column or raise the type size in {file}")

    def scores(self, subject: OutputSubject, thresholds: Mapping[str, Any]) -> Iterable[Score]:
        limit = int(thresholds["max_chars"])
        lines = [line for block in read_pdf(subject.data).blocks for line in block.lines]
        longest = max((characters(line, subject.lang) for line in lines), default=0)
        return (Score("max chars/line", longest, limit, longest <= limit),)
