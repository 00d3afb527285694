"""A heading that ends its own sentence takes no second mark on a slide or in the notes (issue 12)."""

import re

from pptx import Presentation

from tests.conftest import FIXTURES, run_cli


def test_question_headings_are_not_followed_by_a_colon(tmp_path):
    result = run_cli("build", "--content", str(FIXTURES), "--output", str(tmp_path), "--format", "deck",
                     "--article", "common-worries", "--lang", "en", "--clinic", "test-clinic", "--jobs", "1")
    assert result.exit_code == 0, result.output
    deck = Presentation(tmp_path / "common-worries/en/test-clinic/deck-16x9.pptx")
    texts = [shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame]
    texts += [slide.notes_slide.notes_text_frame.text for slide in deck.slides if slide.has_notes_slide]
    doubled = [t for t in texts if re.search(r"[?!.]\s*:", t)]
    assert doubled == []
    assert any("Will moving damage my joints? No." in t for t in texts)
