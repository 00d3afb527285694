"""The pdf-ua gate: page-validation's PDF/UA-1 profile passes a good PDF and names the rules a bad one fails.

The planted defects are made here with WeasyPrint, the renderer the targets
use: an untagged PDF (no `pdf_variant`), a figure without alternative text,
a skipped heading level.
"""

from __future__ import annotations

import pytest

from publisher.checks.gate import OutputSubject
from publisher.checks.pdf_ua import PdfUa

DOT = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJ"
       "RU5ErkJggg==")
ARTICLE = "content/articles/a/article.yaml"
PATH = "a/en/default/handout-a4.pdf"
HINT = ("the handout template made an inaccessible PDF: keep every page's text tagged (pdf_variant pdf/ua-1),"
        " give every image alternative text, and never skip a heading level")


def pdf(body: str, tagged: bool = True) -> bytes:
    import weasyprint

    html = f'<html lang="en"><head><title>T</title></head><body>{body}</body></html>'
    return weasyprint.HTML(string=html).write_pdf(pdf_identifier=True, **({"pdf_variant": "pdf/ua-1"} if tagged else {}))


def findings(data: bytes, max_failed: int = 0) -> list[str]:
    subject = OutputSubject(PATH, "handout", "a4", "en", "a", "default", data, ARTICLE)
    return [str(f) for f in PdfUa().check(subject, {"max_failed_rules": max_failed})]


def test_a_tagged_pdf_with_alt_text_and_ordered_headings_passes():
    good = pdf(f'<h1>Title</h1><p>Text.</p><h2>Part</h2><p><img alt="A dot" src="{DOT}" style="width:9pt"></p>')
    assert findings(good) == []


def test_a_figure_without_alternative_text_fails_with_the_rule_id():
    assert findings(pdf(f'<h1>Title</h1><p><img src="{DOT}" style="width:9pt"></p>')) == [
        f"{ARTICLE}:1:1: [pdf-ua] {PATH} fails 1 PDF/UA-1 rule(s) of page-validation:"
        " PDFUA1-FIGURE-ALTERNATIVE-TEXT-001 ×1: a Figure structure element has neither a non-empty /Alt"
        f" nor an /ActualText string — {HINT}"]


def test_a_skipped_heading_level_fails_with_the_rule_id():
    assert findings(pdf("<h1>Title</h1><p>x</p><h3>Part</h3><p>y</p>")) == [
        f"{ARTICLE}:1:1: [pdf-ua] {PATH} fails 1 PDF/UA-1 rule(s) of page-validation:"
        f" PDFUA1-HEADING-NESTING-001 ×1: heading level H3 skips an intervening heading level — {HINT}"]


def test_an_untagged_pdf_fails_with_the_rule_ids():
    [finding] = findings(pdf("<h1>Title</h1><p>Text.</p>", tagged=False))
    for rule in ("PDFUA1-CONTENT-TAGGING-001 ×1: page 1 contains text that is neither /Artifact nor tagged real"
                 " content", "PDFUA1-TAGGED-DOCUMENT-001", "PDFUA1-STRUCT-TREE-ROOT-001", "PDFUA1-ID-PART-001"):
        assert rule in finding
    assert finding.startswith(f"{ARTICLE}:1:1: [pdf-ua] {PATH} fails 8 PDF/UA-1 rule(s) of page-validation: ")


def test_the_threshold_allows_failed_rules_when_a_project_says_so():
    assert findings(pdf("<h1>Title</h1><p>x</p><h3>Part</h3><p>y</p>"), max_failed=1) == []


def test_bytes_that_are_no_pdf_fail():
    [finding] = findings(b"not a pdf")
    assert "fails 1 PDF/UA-1 rule(s) of page-validation: unreadable (" in finding


@pytest.mark.parametrize("fmt, applies", [("handout", True), ("poster", True), ("deck", False)])
def test_it_reads_every_pdf_and_no_deck(fmt, applies):
    assert PdfUa().applies_to(OutputSubject(PATH, fmt, "a4", "en", "a", "default", b"", ARTICLE)) is applies
