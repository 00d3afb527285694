"""A clinic's brand colour must be dark enough to read on white paper.

Headings and rules are printed in the clinic's primary colour; WCAG's
contrast ratio against white says whether older eyes can read them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from publisher.checks.gate import ClinicSubject, Finding, Gate, Score, register
from publisher.content import contrast_on_white


@register
class ColourContrast(Gate):
    id = "colour-contrast"
    severity = "error"
    reads = "clinic"
    summary = "the clinic's primary colour reads on white paper (WCAG contrast ratio)"

    def check(self, subject: ClinicSubject, thresholds: Mapping[str, Any]) -> Iterable[Finding]:
        clinic = subject.clinic
        colour = clinic.clinic.colours.primary
        ratio, least = contrast_on_white(colour), thresholds["min_ratio"]
        if ratio >= least:
            return []
        line, col = clinic.source.locate(("colours", "primary"))
        return [self.finding(clinic.source.file, line, col,
                             f"colours.primary: {colour} is too light to read on white paper"
                             f" (contrast {ratio:.1f}:1, at least {least:g}:1 needed)",
                             "choose a darker shade of the brand colour", field="colours.primary")]

    def scores(self, subject: ClinicSubject, thresholds: Mapping[str, Any]) -> Iterable[Score]:
        ratio = contrast_on_white(subject.clinic.clinic.colours.primary)
        return [Score("contrast", round(ratio, 2), thresholds["min_ratio"], ratio >= thresholds["min_ratio"])]
