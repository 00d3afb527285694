"""PDF/UA-1 by an independent validator: `page-validation`, a Rust wheel that runs offline.

WeasyPrint writes the tags; this gate does not trust it to have written them
right. Every rule the validator's PDF/UA-1 profile fails is named by its id,
so a finding can be looked up in the validator's documentation. Its version
is pinned in pyproject.toml: it says it is not yet stable, and a new version
may add rules.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from publisher.checks.gate import Finding, Gate, OutputSubject, Score, register


@functools.lru_cache(maxsize=4)  # `check` and `scores` read the same file one after the other
def failed_rules(data: bytes) -> tuple[Counter, dict[str, str], int]:
    """The rules a PDF fails (id -> failures), each rule's first message, and the rules checked."""
    import page  # the validator's module; imported on first use, so commands that check nothing stay fast

    try:
        report = page.validate_pdf_bytes(data, profile=page.ValidationProfile.PDF_UA_1)
    except page.PageError as exc:  # not a PDF it can read: that fails the profile too
        return Counter({f"unreadable ({type(exc).__name__})": 1}), {f"unreadable ({type(exc).__name__})": str(exc)}, 0
    counts = Counter(failure.rule_id for failure in report.failures)
    first: dict[str, str] = {}
    for failure in report.failures:
        first.setdefault(failure.rule_id, failure.message)
    return counts, first, report.rules.total


@register
class PdfUa(Gate):
    id = "pdf-ua"
    severity = "error"
    reads = "output"
    formats = ("handout", "large-print", "poster")
    fork_safe = False  # page-validation keeps a thread pool: a forked worker calling it again would hang
    summary = "every PDF passes PDF/UA-1 (tagged, alternative text, heading order, …) in page-validation"

    def check(self, subject: OutputSubject, thresholds: Mapping[str, Any]) -> Iterable[Finding]:
        counts, first, _ = failed_rules(subject.data)
        if len(counts) <= thresholds["max_failed_rules"]:
            return []
        rules = "; ".join(f"{rule} ×{n}: {first[rule]}" for rule, n in sorted(counts.items()))
        return [self.finding(
            subject.source_file, 1, 1,
            f"{subject.path} fails {len(counts)} PDF/UA-1 rule(s) of page-validation: {rules}",
            f"the {subject.format} template made an inaccessible PDF: keep every page's text tagged"
            " (pdf_variant pdf/ua-1), give every image alternative text, and never skip a heading level")]

    def scores(self, subject: OutputSubject, thresholds: Mapping[str, Any]) -> Iterable[Score]:
        counts, _, _ = failed_rules(subject.data)
        return [Score("UA fails", len(counts), thresholds["max_failed_rules"],
                      len(counts) <= thresholds["max_failed_rules"])]
