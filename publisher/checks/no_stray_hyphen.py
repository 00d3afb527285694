"""no-stray-hyphen: no line ends in a hyphen that the printed text did not contain.

Each line of a paragraph (but its last) that ends in a hyphen is joined to
the next line's first word, and the word is looked up, with its hyphen, in
the strings the file prints (`facts["texts"]`: the localized article's
texts, its labels and the clinic's, as strings or TextAt). "self-" + "care"
is fine when the text says "self-care"; "mus-" + "cle" is a hyphen the
layout added. A format listed in `hyphenated_word_min_letters` may break a
word of at least that many letters (posters, 12: the README's exception).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from publisher.checks import _where
from publisher.checks._pdf_text import quote, read_pdf
from publisher.checks.gate import Finding, Gate, OutputSubject, register
from publisher.i18n.pseudo import is_pseudo

# Hyphen-minus, hyphen, soft hyphen as drawn, non-breaking hyphen: one mark for comparing.
HYPHENS = "-\u2010\u00ad\u2011"
_HYPHEN = re.compile(f"[{HYPHENS}]")


def _plain(text: str) -> str:
    return " ".join(_HYPHEN.sub("-", text).split())


@register
class NoStrayHyphen(Gate):
    id = "no-stray-hyphen"
    severity = "error"
    reads = "output"
    formats = ("handout", "large-print", "poster")
    summary = "no line ends in a hyphen the text did not contain (posters: words of 12+ letters may break)"

    def applies_to(self, subject: Any) -> bool:
        # A pseudo-locale's file prints wording transformed after the texts are gathered: it tests
        # layout, and its words are not a language's to hyphenate.
        return super().applies_to(subject) and not is_pseudo(subject.lang)

    def check(self, subject: OutputSubject, thresholds: Mapping[str, Any]) -> Iterable[Finding]:
        if "texts" not in subject.facts:
            raise RuntimeError("no-stray-hyphen reads the printed strings: pass them as facts['texts']")
        printed = "\n".join(_plain(getattr(t, "text", t)) for t in subject.facts["texts"])
        allowed_from = (thresholds.get("hyphenated_word_min_letters") or {}).get(subject.format)
        file, row, col = _where.stylesheet(subject, r"hyphens:\s*auto")
        for block in read_pdf(subject.data).blocks:
            for line, following in zip(block.lines, block.lines[1:]):
                text, after = line.text.rstrip(), following.text.split()
                words = text.split()
                if not words or not after or text[-1] not in HYPHENS or len(words[-1]) < 2:
                    continue  # a dash set apart by spaces ends a phrase, not a word
                before = _plain(words[-1])
                if before + after[0] in printed:
                    continue
                letters = sum(ch.isalpha() for ch in before + after[0])
                if allowed_from is not None and letters >= allowed_from:
                    continue
                word = before[:-1] + after[0]
                allowed = (f"; a {subject.format} may break only words of {allowed_from} letters or more"
                           if allowed_from is not None else "")
                yield self.finding(
                    file, row, col,
                    f"{subject.path}, page {line.page}: the line ends in a hyphen the text does not have,"
                    f" breaking '{word}' as '{before}' + '{after[0]}'{allowed}: {quote(text)}",
                    f"turn automatic hyphenation off (hyphens: manual) in {file}, or shorten the word")
