"""The fitter: measuring, wrapping, shrinking to a floor, continuing."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from publisher.targets._fit import WIDTH_SLACK, Box, Fitter, Para, Spacing, Span, Unmeasurable
from publisher.templating import yaml_string
from tests.deck_tools import CALIBRI

FITTER = Fitter(CALIBRI, Spacing(line=1.0, before=0.4))
SIZES = range(32, 23, -1)
SENTENCE = "Regular strength training helps you keep your muscle mass and makes your muscles stronger."


def words(paras) -> list[str]:
    return " ".join("".join(s.text for s in p.spans) for p in paras).split()


def test_widths_scale_with_size_and_bold_is_wider():
    assert CALIBRI.width("Muscle", False, 40) == pytest.approx(2 * CALIBRI.width("Muscle", False, 20))
    assert CALIBRI.width("Muscle", True, 20) > CALIBRI.width("Muscle", False, 20)
    # Calibri's (and Carlito's) advance widths: 'M' is 1751/2048 em.
    assert CALIBRI.width("M", False, 2048) == pytest.approx(1751, abs=1)


def test_no_wrapped_line_is_wider_than_the_box():
    para = Para((Span("Joint pain.", True), Span(" " + SENTENCE * 3)), margin=36)
    for size in (20, 28, 40):
        lines = FITTER.lines(para, size, 800)
        assert len(lines) > 1
        for line in lines:
            text_width = sum(CALIBRI.width(w.text, w.bold, size) for w in line) + \
                sum(CALIBRI.width(" ", w.bold, size) for w in line[:-1] if w.space)
            assert text_width <= 800 * WIDTH_SLACK - 36


def test_an_unbreakable_word_is_cut_to_the_line():
    word = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 5
    lines = FITTER.lines(Para((Span(f"See {word} here"),)), 28, 600)
    assert "".join(w.text for line in lines for w in line) == f"See{word}here"
    assert len(lines) >= 4
    assert all(CALIBRI.width(w.text, False, 28) <= 600 * WIDTH_SLACK for line in lines for w in line)


def test_text_that_fits_keeps_the_largest_size():
    pages = FITTER.paginate([Para((Span("Short bullet"),))], Box(800, 300), SIZES)
    assert [(len(p.paras), p.size) for p in pages] == [(1, 32)]


def test_text_shrinks_before_it_continues():
    paras = [Para((Span(SENTENCE),), key=i) for i in range(4)]
    box = Box(800, 300)
    pages = FITTER.paginate(paras, box, SIZES)
    assert len(pages) == 1 and 24 <= pages[0].size < 32
    assert not FITTER.fits(paras, pages[0].size + 1, box)


def test_past_the_floor_text_continues_keeps_every_word_and_stays_as_large_as_it_can():
    paras = [Para((Span(SENTENCE),), margin=36, key=i) for i in range(12)]
    box = Box(800, 300)
    pages = FITTER.paginate(paras, box, SIZES)
    assert len(pages) > 1
    assert all(FITTER.fits(p.paras, p.size, box) for p in pages)
    assert {p.size for p in pages} == {pages[0].size} and pages[0].size >= 24
    assert words(q for p in pages for q in p.paras) == words(paras)
    assert [q.key for p in pages for q in p.paras if q.part == 0] == list(range(12))
    # The same number of boxes at one point larger would not do.
    assert len(FITTER._fill(paras, box, pages[0].size + 1)) > len(pages) or pages[0].size == SIZES[0]


def test_a_paragraph_taller_than_a_box_is_split_between_lines():
    para = Para((Span(SENTENCE * 12),), key=0)
    pages = FITTER.paginate([para], Box(800, 200), SIZES)
    assert len(pages) > 1
    assert [q.part for p in pages for q in p.paras] == list(range(len(pages)))
    assert words(q for p in pages for q in p.paras) == words([para])
    assert all(FITTER.fits(p.paras, p.size, Box(800, 200)) for p in pages)


def test_a_character_no_font_measures_is_reported():
    with pytest.raises(Unmeasurable) as caught:
        CALIBRI.width("鳥", False, 20)
    assert caught.value.char == "鳥"


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_yaml_string_reads_back_unchanged(text):
    assert yaml.safe_load("key: " + yaml_string(text)) == {"key": text}
