"""no-untranslated-text: a translated file prints no source-language text that no fallback records.

A patient who gets a Spanish leaflet may not read English: English text in it
is either a recorded fallback (a unit the translation lacks, shown under the
translation policy, marked where it stands and listed in the manifest), a
name printed as written (the clinic's name and address; the article's
declared `names:`), or a mistake: a translation copied from the English, a
label left in English in `templates/labels/<lang>.yaml`, a template that
prints the source's text instead of the translation's.

No language detection: the gate knows every unit's source text (the
article's and the template wording's, `facts["sources"]`) and looks for it in
the file's text as read back (PDF: the tagged paragraphs and the untagged
header and footer lines; deck: each shape's text and the speaker notes; web
page: the page's text). A unit is looked for clause by clause (split at
sentence and clause stops, placeholders and names) so that one English
sentence left in a translated paragraph is found; a clause of fewer than
`min_words` words is not looked for, as short words are shared between
languages ("Version", "Web", "OK"). Text is compared as words: case,
punctuation, invisible direction marks and the hyphens of a line break are
ignored, so a clause matches however the layout broke it. The recorded
fallbacks and the clinic's name and address (`facts["written_in"]`) and the
declared names (`facts["names"]`) are blanked out of the file's text before
looking. A translation identical to its source counts: it is
source-language text the manifest does not record (declare a name that
every language prints as written in the article's `names:`).
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from publisher.checks._pdf_text import quote
from publisher.checks.gate import Finding, Gate, OutputSubject, register

_HYPHEN_BREAK = re.compile(r"[-\u2010\u2011\u00ad]\s*")  # "self-care", and "mus-" + "cle" at a line's end
_APOSTROPHE = re.compile(r"['\u2019\u02bc]")  # "don't" and "don’t" are one word
_NOT_WORD = re.compile(r"[\W_]+")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
# Where a clause ends: a sentence's or clause's stop followed by a space, a dash set apart, brackets, quotes.
_CLAUSE = re.compile(r"(?<=[.!?:;,])\s+|\s[\u2013\u2014]\s|[()\[\]\"\u201c\u201d\u00ab\u00bb]")
_GAP = "|"  # what stands between two pieces of a file's text, and for what was blanked out


def words(text: str) -> str:
    """Text as compared: lower-case words separated by one space, nothing else."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")  # direction isolates and marks
    text = _HYPHEN_BREAK.sub("", _APOSTROPHE.sub("", text))
    return " ".join(_NOT_WORD.sub(" ", text).split())


@register
class NoUntranslatedText(Gate):
    id = "no-untranslated-text"
    severity = "error"
    reads = "output"
    formats = ("handout", "large-print", "poster", "deck", "web")
    summary = "a translated file prints no source-language text but recorded fallbacks and declared names"

    def applies_to(self, subject: Any) -> bool:
        # `sources` is empty for the source language and the pseudo-locales: nothing is translated there.
        return super().applies_to(subject) and bool(subject.facts.get("sources"))

    def check(self, subject: OutputSubject, thresholds: Mapping[str, Any]) -> Iterable[Finding]:
        sources = subject.facts["sources"]
        # Text the file prints in another language on purpose: the recorded fallbacks (`marked`), the
        # clinic's name and address, and the article's declared names.
        other = tuple(text for text, _ in subject.facts.get("written_in", ())) + tuple(subject.facts.get("names", ()))
        fallbacks = {source.text for source in sources if source.shown is None}
        names = tuple(text for text in other if text not in fallbacks)
        pieces = _pieces(subject)
        hay, starts = _haystack([_blank(words(text), other, thresholds["min_words"]) for _, text in pieces])
        found: dict[str, tuple[Any, list[str], list[str]]] = {}  # unit -> (source, clauses, where)
        for clause, key, having in _clauses(sources, names, thresholds["min_words"]):
            at = hay.find(f" {key} ")
            while at >= 0:
                where = pieces[bisect.bisect_right(starts, at) - 1][0]
                culprit = _culprit(having, key)
                _, clauses, places = found.setdefault(culprit.unit, (culprit, [], []))
                if clause not in clauses:
                    clauses.append(clause)
                if where not in places:
                    places.append(where)
                at = hay.find(f" {key} ", at + len(key) + 1)
        for source, clauses, places in found.values():
            yield self._finding(subject, source, clauses, places)

    def _finding(self, subject: OutputSubject, source, clauses: list[str], places: list[str]) -> Finding:
        at, text = source.at, " ".join(clauses)
        where = ", ".join(p for p in places if p)
        head = f"{subject.path}{', ' + where if where else ''}"
        if _has(source.shown, words(clauses[0])):
            message = f"{head}: the translation of '{source.unit}' is in the source language: {quote(text)}"
            hint = (f"translate it in {at.file}; to show the source text until it is translated, delete the unit"
                    f" there (the translation policy then says what prints, and the manifest records it)")
            if not source.unit.startswith("labels:"):
                hint += f"; if it is a name every language prints as written, list it under `names:` in" \
                        f" {subject.source_file}"
        else:
            message = f"{head}: '{source.unit}' prints in the source language although it is translated: {quote(text)}"
            hint = f"make the template print the translation ({at.file}), not the source's text"
        return self.finding(at.file, at.line, at.col, message, hint, at.field,
                            "" if source.unit.startswith("labels:") else source.unit.rsplit(".", 1)[0])


def _culprit(sources: tuple, key: str):
    """Of the units that have a clause, the one whose translation has it too (copied), else the first."""
    return next((s for s in sources if _has(s.shown, key)), sources[0])


def _has(text: str | None, key: str) -> bool:
    """Whether `text` holds the words `key`, as words."""
    return text is not None and f" {key} " in f" {words(text)} "


@functools.lru_cache(maxsize=8)
def _clauses(sources: tuple, names: tuple[str, ...], min_words: int) -> tuple[tuple[str, str, tuple], ...]:
    """(clause as written, as compared, the units that have it) for every clause of a translated unit
    with at least `min_words` words. A fallback's own text is expected in the file: not looked for."""
    cut = re.compile("|".join([_PLACEHOLDER.pattern] + [re.escape(n) for n in sorted(set(names), key=len,
                                                                                       reverse=True) if n]))
    by_key: dict[str, tuple[str, list]] = {}
    for source in sources:
        if source.shown is None:
            continue
        for part in cut.split(source.text):
            for clause in _CLAUSE.split(part):
                key = words(clause)
                if len(key.split()) >= min_words:
                    entry = by_key.setdefault(key, (clause.strip(), []))
                    if source not in entry[1]:
                        entry[1].append(source)
    return tuple((clause, key, tuple(units)) for key, (clause, units) in by_key.items())


def _blank(text: str, names: tuple[str, ...], min_words: int) -> str:
    """The text with what may be in the source language blanked out: the recorded fallbacks and names,
    and each piece of a label's text between its placeholders. A piece shorter than a clause looked for
    could never be taken for one, and blanking it ("for", "of") would hide clauses that hold it."""
    padded = f" {text} "
    # Clause by clause, as clauses are looked for: a fallback's text is not always printed in one run
    # (the marker that says it is in the source language may sit inside its last line).
    for name in names:
        for part in _PLACEHOLDER.split(name):
            for clause in (part, *_CLAUSE.split(part)):
                key = words(clause)
                while len(key.split()) >= min_words and f" {key} " in padded:
                    padded = padded.replace(f" {key} ", f" {_GAP} ")
    return padded.strip()


def _haystack(texts: list[str]) -> tuple[str, list[int]]:
    """The pieces joined, each between gaps so that no clause matches across two; and where each starts."""
    starts, out, at = [], [], 0
    for text in texts:
        piece = f" {_GAP} {text}"
        starts.append(at)
        out.append(piece)
        at += len(piece)
    return "".join(out) + f" {_GAP} ", starts


def _pieces(subject: OutputSubject) -> list[tuple[str, str]]:
    """(where, text) of every piece of text the file shows, in reading order."""
    if subject.format == "deck":
        return _deck_pieces(subject.data)
    if subject.format == "web":
        return _web_pieces(subject.data)
    return _pdf_pieces(subject.data)


def _pdf_pieces(data: bytes) -> list[tuple[str, str]]:
    from publisher.checks._pdf_text import read_pdf

    text = read_pdf(data)  # cached: every gate of a file reads it once
    tagged = {id(glyph) for block in text.blocks for line in block.lines for glyph in line.glyphs}
    pieces = [(f"page {block.lines[0].page}", block.text) for block in text.blocks if block.lines]
    # The running header and footer are artifacts, outside the structure tree: read them line by line.
    pieces += [(f"page {line.page}", line.text) for line in text.lines
               if not all(id(glyph) in tagged for glyph in line.glyphs)]
    return pieces


def _deck_pieces(data: bytes) -> list[tuple[str, str]]:
    from publisher.checks._pptx_text import open_deck, shapes

    pieces = []
    for number, slide in enumerate(open_deck(data).slides, 1):
        pieces += [(f"slide {number}", shape.text_frame.text) for shape in shapes(slide) if shape.has_text_frame]
        if slide.has_notes_slide:
            pieces.append((f"slide {number} notes", slide.notes_slide.notes_text_frame.text))
    return pieces


def _web_pieces(data: bytes) -> list[tuple[str, str]]:
    import lxml.html

    root = lxml.html.document_fromstring(data)
    for element in root.iter("script", "style"):
        element.drop_tree()
    return [("", root.text_content())]
