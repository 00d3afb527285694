"""Posters of articles and clinics the project did not grow up with (issue 12):
the fixture articles of tests/fixtures/ (an ordinary leaflet, long lists with
several warnings, no icons, a section holding only a box) on one sheet; the
warning whole, bold and larger than the tiles; one numbering scheme per list;
"and N more in the leaflet"; `poster:` settings checked; and a poster that
cannot fit fails naming the clinic, the sheet and what to set."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from tests.conftest import FIXTURES, TEMPLATES, require_tool, run_cli

ARTICLES = ["callout-only-section", "common-worries", "long-lists-many-warnings", "no-icons"]
CLINICS = ["at-limits-wide", "at-limits-tall"]
SIZES = ["a3", "a2", "tabloid"]
WARNINGS = {
    "common-worries": ["Call 999 or go to the emergency department at once if you have chest pain, sudden"
                       " shortness of breath, or a joint that becomes hot, red and swollen with a fever."],
    "no-icons": ["Sleeping tablets Do not stop or change sleeping tablets without talking to your doctor."],
    "callout-only-section": ["If you fall and hit your head, or cannot get up, call for help at once. Do not try"
                             " to stand up if you are hurt."],
    "long-lists-many-warnings": ["Stop exercising and call your doctor if", "the pain gets much worse during an"
                                 " exercise and does not settle", "Call 999 at once if you cannot control your"
                                 " bladder or bowels, or you feel numb around your bottom or genitals.",
                                 "See a doctor the same day if you have back pain with a fever, or after a fall or"
                                 " an accident."],
}


@pytest.fixture(scope="module")
def fixture_output(tmp_path_factory):
    """Every fixture article with both clinics at the schema's limits, at every size."""
    out = tmp_path_factory.mktemp("fixture-posters")
    result = run_cli("build", "--content", str(FIXTURES), "--output", str(out), "--format", "poster",
                     *(a for clinic in CLINICS for a in ("--clinic", clinic)),
                     *(a for article in ARTICLES for a in ("--article", article)))
    assert result.exit_code == 0, result.output
    return out


def flat_text(pdf) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(pdf).pages))


def sized_pieces(pdf) -> list[tuple[str, float, str]]:
    """Each piece of text on the first page with its size in points and its font's name."""
    pieces = []

    def visitor(text, cm, tm, font_dict, font_size):
        if text.strip() and font_dict:
            pieces.append((text.strip(), round(font_size * (tm[0] or 1) * (cm[0] or 1), 1),
                           str(font_dict.get("/BaseFont", ""))))

    PdfReader(pdf).pages[0].extract_text(visitor_text=visitor)
    return pieces


@pytest.mark.parametrize("clinic", CLINICS)
@pytest.mark.parametrize("article", ARTICLES)
def test_every_fixture_article_is_one_sheet_with_the_longest_clinic(fixture_output, article, clinic):
    for size in SIZES:
        path = fixture_output / f"{article}/en/{clinic}/poster-{size}.pdf"
        assert len(PdfReader(path).pages) == 1, path
        # The clinic's contact is all there, whatever room it took.
        text = flat_text(path)
        assert "Hertfordshire and Buckinghamshire Border Area, Postcode AB12 3CD" in text, text


@pytest.mark.parametrize("article", sorted(WARNINGS))
def test_the_warning_is_whole_bold_and_larger_than_every_tile(fixture_output, article):
    for size in SIZES:
        pdf = fixture_output / f"{article}/en/at-limits-wide/poster-{size}.pdf"
        for warning in WARNINGS[article]:
            assert warning in flat_text(pdf), (size, warning)
        pieces = sized_pieces(pdf)
        first_words = " ".join(WARNINGS[article][0].split()[:2])
        warning_sizes = [s for text, s, font in pieces if text.startswith(first_words) and "Bold" in font]
        assert warning_sizes, pieces
        headline = max(s for _, s, _ in pieces)
        # Tile labels: bold text other than the headline, the question and the headings.
        labels = [s for text, s, font in pieces if "Bold" in font and s < headline * 0.5]
        # Only the long lists' fixture shows no tile at all: its lists are left to the handout.
        assert labels or article == "long-lists-many-warnings", pieces
        assert min(warning_sizes) > max(labels, default=0), (size, warning_sizes, labels)


MORE = {"en": "and 3 more in the leaflet", "zh-Hans": "另有 3 项，见完整传单", "ar": "وغيرها في النشرة (عددها 3)"}


def test_a_summary_list_says_how_many_more_in_the_readers_language(project):
    require_tool("pdftotext")
    project.edit_article("        id: strategies\n        style: numbered\n",
                         "        id: strategies\n        style: numbered\n        poster: summary\n")
    result = project.cli("build", "--format", "poster", "--clinic", "default", *(a for lang in MORE for a in ("--lang", lang)))
    assert result.exit_code == 0, result.output
    for lang, more in MORE.items():
        text = flat_text(project.root / f"output/muscle-mass-loss-and-pain/{lang}/default/poster-a3.pdf")
        # Chinese lines break between any two characters, so compare without spaces; pypdf gives
        # Arabic in visual order, so there each word must be there.
        if lang == "ar":
            # pdftotext puts right-to-left text back in reading order; pypdf's order varies with the layout.
            text = subprocess.run(["pdftotext", str(project.root / f"output/muscle-mass-loss-and-pain/{lang}/default/"
                                                    "poster-a3.pdf"), "-"], capture_output=True, text=True).stdout
            words = re.sub(r"[()\u2068\u2069\u202a-\u202e]", " ", text).split()
            assert all(word in words for word in re.sub(r"[()]", " ", more).split()), (lang, text)
        else:
            assert re.sub(r"\s", "", more) in re.sub(r"[\s\u2068\u2069]", "", text), (lang, text)
    en = flat_text(project.root / "output/muscle-mass-loss-and-pain/en/default/poster-a3.pdf")
    assert "Exercise regularly" in en and "Stretch" in en and "Keep a healthy weight" not in en


def test_numbers_for_numbered_lists_never_a_mix(fixture_output):
    text = flat_text(fixture_output / "no-icons/en/at-limits-tall/poster-tabloid.pdf")
    assert re.search(r"1 ?Same time.*2 ?Wind down.*3 ?Dark and cool", text), text
    text = flat_text(fixture_output / "callout-only-section/en/at-limits-tall/poster-tabloid.pdf")
    assert re.search(r"1 ?Hold it in the hand", text), text


def test_three_warnings_fit_an_ordinary_clinic_once_the_editor_omits_a_list(tmp_path):
    result = run_cli("build", "--content", str(FIXTURES), "--output", str(tmp_path), "--format", "poster",
                     "--clinic", "test-clinic", "--article", "long-lists-many-warnings")
    assert result.exit_code == 0, result.output
    for size in SIZES:
        pdf = tmp_path / f"long-lists-many-warnings/en/test-clinic/poster-{size}.pdf"
        assert len(PdfReader(pdf).pages) == 1
        text = flat_text(pdf)
        for warning in ["Stop exercising and call your doctor if", "the pain gets much worse during an exercise and"
                        " does not settle", "Call 999 at once if you cannot control your bladder or bowels",
                        "See a doctor the same day if you have back pain with a fever, or after a fall or an"
                        " accident."]:
            assert warning in text, (size, warning)


def test_when_only_warnings_are_left_the_message_says_what_can_give_way(tmp_path):
    """A sheet whose smallest type is too large for three warnings, which a poster never shortens,
    : the build names the sheet and the largest part, and asks for a shorter
    address or fewer warnings, never a shorter warning."""
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    sheets = templates / "poster/sheets.yaml"
    sheets.write_text(sheets.read_text(encoding="utf-8").replace("body_min_pt: 24\n  body_max_pt: 40",
                                                                 "body_min_pt: 36\n  body_max_pt: 40", 1),
                      encoding="utf-8")
    result = run_cli("build", "--content", str(FIXTURES), "--templates", str(templates), "--output",
                     str(tmp_path / "out"), "--format", "poster", "--clinic", "test-clinic", "--article",
                     "long-lists-many-warnings")
    assert result.exit_code == 1
    problems = [p for p in result.stderr.splitlines() if not p.startswith(("[", "note: "))]
    assert problems[-1] == "Aborted: 1 error in 1 file.", problems
    assert re.fullmatch(
        r".*tests/fixtures/articles/long-lists-many-warnings/article\.yaml:\d+:5: sections\[3\]\.poster: the A3"
        r" poster of 'long-lists-many-warnings' in 'en' for clinic 'test-clinic' does not fit on one sheet even"
        r" with 36 pt type and every shortening a poster may make; its largest part is section 'urgent' \(\d+ % of"
        r" the sheet\) — every part left is a warning, which a poster never shortens: shorten the clinic's address"
        r" lines or name, or give fewer warnings to one article", problems[0]), problems[0]
    assert not (tmp_path / "out/long-lists-many-warnings").exists()


def test_the_fixture_clinics_are_at_the_schemas_limits():
    import yaml
    from publisher.content.models import Clinic
    schema = Clinic.model_json_schema()["properties"]
    clinic = yaml.safe_load((FIXTURES / "clinics/at-limits-wide.yaml").read_text(encoding="utf-8"))
    assert len(clinic["name"]) == schema["name"]["maxLength"]
    assert len(clinic["address"]) == schema["address"]["maxItems"]
    assert {len(line) for line in clinic["address"]} == {schema["address"]["items"]["maxLength"]}
    assert len(clinic["phone"]) == schema["phone"]["maxLength"]


IMPOSSIBLE = """
  - id: everything
    heading: Everything at once
    poster: show
    blocks:
      - kind: list
        id: everything-list
        items:
"""


def test_an_impossible_poster_names_the_clinic_sheet_largest_part_and_the_setting(project):
    items = "".join(f"          - id: thing-{n}\n            text: A long item number {n} that a poster"
                    " must show in full because the section says so\n" for n in range(40))
    project.edit_article("\nmetadata:", IMPOSSIBLE + items + "\nmetadata:")
    project.waive("list-length")
    line = project.line_of("  - id: everything")
    result = project.cli("build", "--format", "poster", "--lang", "en", "--clinic", "default")
    assert result.exit_code == 1
    problem = next(p for p in result.stderr.splitlines() if "A2 poster" in p)
    assert re.fullmatch(re.escape(
        f"{project.article_file}:{line}:5: sections[4].poster: the A2 poster of 'muscle-mass-loss-and-pain' in 'en'"
        " for clinic 'default' does not fit on one sheet even with 34 pt type and every shortening a poster may"
        " make; its largest part is section 'everything'") + r" \(\d+ % of the sheet\) — " + re.escape(
        "set `poster: summary` or `poster: omit` on section 'everything' or on section 'how-it-leads-to-pain'"),
        problem), problem


def test_a_warning_cannot_be_left_off_a_poster(project):
    project.edit_article("  - id: conclusion\n    heading: In short\n    blocks:\n",
                         "  - id: conclusion\n    heading: In short\n    blocks:\n"
                         "      - kind: callout\n        id: urgent\n        style: warning\n        poster: omit\n"
                         "        text: Call 999 if you have chest pain.\n")
    line = project.line_of("id: urgent") - 1
    lines = project.refused_by_both()
    assert len(lines) == 2 and lines[-1] == "Aborted: 1 error in 1 file."
    assert lines[0].startswith(f"{project.article_file}:{line}:")
    assert ("`poster: omit` on a warning: every poster shows a warning in full — remove `poster:`, or give the"
            " box `style: note` if it is not a warning") in lines[0]


def test_a_clinic_past_the_schemas_limits_is_refused(project):
    shutil.copy(FIXTURES / "clinics/wide-logo.svg", project.content / "clinics/wide-logo.svg")
    text = (FIXTURES / "clinics/at-limits-wide.yaml").read_text(encoding="utf-8")
    project.write("clinics/too-long.yaml", text.replace("Centre, NW", "Centre, NW1"))
    lines = project.refused_by_both()
    assert lines[0].startswith("content/clinics/too-long.yaml:4:7: name:"), lines
    assert lines[-1] == "Aborted: 1 error in 1 file."
