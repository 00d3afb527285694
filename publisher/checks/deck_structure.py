"""deck-structure: every slide titled, uniquely, first; every run in its language; every picture described.

Read from the built .pptx as PowerPoint and screen readers read it:
- a title placeholder with text on every slide;
- titles unique as shown (spaces and case ignored): a slide that goes on from
  another is unique already, because the deck marks it "(continued)" or
  "(continued, 2 of 3)" in the language's own words;
- the title first in the slide's shape tree, which is the reading order;
- every run tagged with the deck's language (`a:rPr lang`, as Office spells it:
  the same primary language, so zh-CN for zh-Hans and ar-SA for ar), on the
  slides and, with `notes_tagged`, in the speaker notes;
- every picture with alternative text (`descr`).
Text size is `type-size`'s business.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.oxml.ns import qn

from publisher.checks import _where
from publisher.checks._pdf_text import quote
from publisher.checks._pptx_text import is_title, open_deck, shapes
from publisher.checks.gate import Finding, Gate, OutputSubject, register


@register
class DeckStructure(Gate):
    id = "deck-structure"
    severity = "error"
    reads = "output"
    formats = ("deck",)
    summary = "slides titled, uniquely, title first; runs tagged with their language; pictures described"

    def check(self, subject: OutputSubject, thresholds: Mapping[str, Any]) -> Iterable[Finding]:
        file, row, col = _where.article(subject)
        prs = open_deck(subject.data)
        seen: dict[str, int] = {}
        for number, slide in enumerate(prs.slides, 1):
            where = f"{subject.path}, slide {number}"
            on_slide = list(shapes(slide))
            titles = [s for s in on_slide if is_title(s) and s.text_frame.text.strip()]
            if not titles:
                yield self.finding(file, row, col, f"{where}: the slide has no title",
                                   "give the slide a title: a layout with a title placeholder, and a title for it"
                                   " in templates/deck/outline.yaml.j2")
            else:
                title = " ".join(titles[0].text_frame.text.split())
                key = title.casefold()
                if key in seen:
                    yield self.finding(file, row, col,
                                       f"{where}: the title {quote(title)} is also the title of slide {seen[key]}",
                                       "give each slide a title of its own; a slide that goes on from another"
                                       " says so (the deck_continued label)")
                seen.setdefault(key, number)
                if on_slide[0] is not titles[0]:
                    yield self.finding(file, row, col,
                                       f"{where}: the title {quote(title)} is not first in reading order (after"
                                       f" '{on_slide[0].name}')",
                                       "put the title placeholder first in the layout's shape tree (Selection"
                                       " Pane: bottom of the list) in templates/deck/master.pptx or the clinic's"
                                       " deck template")
            for shape in on_slide:
                if shape.shape_type == MSO_SHAPE_TYPE.PICTURE or shape._element.tag == qn("p:pic"):
                    descr = shape._element.find(f".//{qn('p:cNvPr')}").get("descr", "")
                    if not descr.strip():
                        yield self.finding(file, row, col,
                                           f"{where}: the picture '{shape.name}' has no alternative text",
                                           "describe it: the clinic's logo_alt, or the icon's alt in"
                                           " templates/icons/icons.yaml")
            parts = [("", slide._element)]
            if thresholds["notes_tagged"] and slide.has_notes_slide:
                parts.append((" notes", slide.notes_slide._element))
            for part, element in parts:
                yield from self._languages(subject, f"{where}{part}", element, file, row, col)

    def _languages(self, subject: OutputSubject, where: str, element, file: str, row: int,
                   col: int) -> Iterable[Finding]:
        primary = subject.lang.split("-")[0].lower()
        for run in element.iter(qn("a:r")):
            text = "".join(t.text or "" for t in run.iter(qn("a:t")))
            if not text.strip():
                continue
            rpr = run.find(qn("a:rPr"))
            lang = rpr.get("lang") if rpr is not None else None
            if not lang:
                yield self.finding(file, row, col, f"{where}: a run is not tagged with its language: {quote(text)}",
                                   f"tag it lang=\"{subject.lang}\" (a:rPr lang): the deck writer tags every run")
            elif lang.split("-")[0].lower() != primary and not _written_in(subject, text, lang):
                yield self.finding(file, row, col,
                                   f"{where}: a run is tagged '{lang}', not the deck's language '{subject.lang}':"
                                   f" {quote(text)}",
                                   "tag it with the deck's language, as the deck writer does for every run")


def _written_in(subject: OutputSubject, text: str, lang: str) -> bool:
    """Whether the run is part of a text the deck shows in another language on purpose, tagged
    with that language: a proper name (the clinic's) or source text standing in for a translation."""
    primary = lang.split("-")[0].lower()
    return any(text.strip() in known and other.split("-")[0].lower() == primary
               for known, other in subject.facts.get("written_in", ()))
