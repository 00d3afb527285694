"""type-size: no text smaller than its format allows, measured on the built file.

A handout sets nothing below 12 pt, header and footer included; a poster
nothing below 0.75rem of its smallest body size (the floor its sheet in
`templates/poster/sheets.yaml` allows); a slide nothing below 20 pt and no
title below 28 pt. Each glyph is measured through every matrix, so type
shrunk by a transform is caught as well as type set small.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from publisher.checks import _where
from publisher.checks._pdf_text import quote, read_pdf
from publisher.checks._pptx_text import deck_runs
from publisher.checks.gate import Finding, Gate, OutputSubject, Score, register
from publisher.targets.poster import load_sheet


@register
class TypeSize(Gate):
    id = "type-size"
    severity = "error"
    reads = "output"
    formats = ("handout", "large-print", "poster", "deck")
    summary = "no text below the format's smallest size (handout 12 pt, poster 0.75rem of its floor, slide 20 pt)"

    def check(self, subject: OutputSubject, thresholds: Mapping[str, Any]) -> Iterable[Finding]:
        if subject.format == "deck":
            yield from self._deck(subject, thresholds)
            return
        minimum, why = self._pdf_minimum(subject, thresholds)
        for line in read_pdf(subject.data).lines:
            small = [g for g in line.glyphs if g.text.strip() and g.size < minimum]
            if not small:
                continue
            size = min(g.size for g in small)
            pattern = rf"font-size:\s*{size:g}pt" if subject.format != "poster" else None
            file, row, col = _where.stylesheet(subject, pattern)
            yield self.finding(
                file, row, col,
                f"{subject.path}, page {line.page}: text set at {size:g} pt, below {why}: {quote(line.text)}",
                f"set it at {minimum:g} pt or larger in {file}")

    def scores(self, subject: OutputSubject, thresholds: Mapping[str, Any]) -> Iterable[Score]:
        if subject.format == "deck":
            sizes = [run.size for run in deck_runs(subject.data) if run.text.strip()]
            minimum = float(thresholds["min_pt"]["deck"])
        else:
            sizes = [g.size for g in read_pdf(subject.data).glyphs if g.text.strip()]
            minimum = self._pdf_minimum(subject, thresholds)[0]
        smallest = min(sizes, default=0.0)
        return (Score("min pt", smallest, minimum, smallest >= minimum),)

    def _pdf_minimum(self, subject: OutputSubject, thresholds: Mapping[str, Any]) -> tuple[float, str]:
        if subject.format == "poster":
            sheet = load_sheet(_where.templates_dir(subject), subject.variant)
            rem = float(thresholds["poster_min_rem"])
            minimum = round(rem * sheet.body_min_pt, 2)
            return minimum, (f"the {minimum:g} pt floor of a {sheet.name} poster ({rem:g} × its smallest"
                             f" body size, {sheet.body_min_pt:g} pt)")
        minimum = float(thresholds["min_pt"][subject.format])
        return minimum, f"the {minimum:g} pt that a {subject.format} allows"

    def _deck(self, subject: OutputSubject, thresholds: Mapping[str, Any]) -> Iterable[Finding]:
        body_min = float(thresholds["min_pt"]["deck"])
        title_min = float(thresholds["deck_title_min_pt"])
        file, row, col = _where.article(subject)
        for run in deck_runs(subject.data):
            minimum = title_min if run.title else body_min
            if run.text.strip() and run.size < minimum:
                what = "title" if run.title else "text"
                yield self.finding(
                    file, row, col,
                    f"{subject.path}, slide {run.slide} ({run.shape}): {what} set at {run.size:g} pt, below the"
                    f" {minimum:g} pt a slide's {what} allows: {quote(run.text)}",
                    f"shorten the text so it fits at {minimum:g} pt, or give the slide master's placeholder"
                    f" a size of {minimum:g} pt or more")
