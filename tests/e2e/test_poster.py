"""Build posters through the CLI and read them back: one page, the sheet's
size, the message, a QR code that a phone can read, and clear failures."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
import yaml
from pypdf import PdfReader

from tests.e2e.test_handout import PROJECT_FONTS
from tests.conftest import FIXTURES, SEED, TEMPLATES, require_tool, run_cli

SHEETS = {"a3": (841.89, 1190.55), "a2": (1190.55, 1683.78), "tabloid": (792.0, 1224.0)}
BODY_FLOOR = {"a3": 24, "a2": 34, "tabloid": 24}
ADDRESSES = {
    "default": f"https://clinic.example.org/en/{SEED}",
    "riverside-physio": f"https://riverside-physio.example.org/leaflets/en/{SEED}",
}
CAUSES = ["Joint pain", "Poor posture", "Less flexibility", "Higher risk of injury"]
STRATEGIES = ["Exercise regularly", "Stretch", "Keep a healthy weight", "Treat underlying conditions",
              "Make a pain plan"]
ART = f"content/articles/{SEED}/article.yaml"
OVERFLOW_HINT = "shorten the texts the poster shows, or give long items a one-line `short:` version"


def posters(out, lang="en"):
    return sorted(out.glob(f"*/{lang}/*/poster-*.pdf"))


def flat_text(pdf) -> str:
    """The text, one space between words; the web address's unbreakable hyphens and
    break opportunities read as the address itself."""
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    text = re.sub(r"/\u200b?\s*", "/", text.replace("\u2011", "-"))
    return re.sub(r"\s+", " ", text)


def text_sizes(pdf) -> list[tuple[str, float]]:
    """Every piece of text on the first page with its size in points."""
    pieces = []

    def visitor(text, cm, tm, font_dict, font_size):
        if text.strip():
            pieces.append((text.strip(), round(font_size * (tm[0] or 1) * (cm[0] or 1), 1)))

    PdfReader(pdf).pages[0].extract_text(visitor_text=visitor)
    return pieces


def test_every_clinic_gets_three_poster_sizes(seed_output):
    assert [p.relative_to(seed_output).as_posix() for p in posters(seed_output)] == [
        f"{SEED}/en/{clinic}/poster-{size}.pdf"
        for clinic in ("default", "riverside-physio") for size in ("a2", "a3", "tabloid")]


@pytest.mark.parametrize("variant", SHEETS)
def test_one_page_of_the_sheets_size_tagged_with_title_and_language(seed_output, variant):
    for clinic in ADDRESSES:
        reader = PdfReader(seed_output / f"{SEED}/en/{clinic}/poster-{variant}.pdf")
        assert len(reader.pages) == 1
        page = reader.pages[0]
        size = (round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2))
        assert size == SHEETS[variant]
        assert reader.metadata.title == "Muscle mass loss: the hidden link to chronic pain and how to address it"
        root = reader.trailer["/Root"]
        assert root["/Lang"] == "en"
        assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root
        assert b'pdfuaid:part="1"' in root["/Metadata"].get_object().get_data()


@pytest.mark.parametrize("clinic", ADDRESSES)
def test_headline_question_tiles_and_contact_are_printed(seed_output, clinic):
    text = flat_text(seed_output / f"{SEED}/en/{clinic}/poster-a3.pdf")
    for needle in ["Strong muscles, less pain", "Can loss of muscle mass cause pain?",
                   "How muscle loss can lead to pain", "What helps", *CAUSES, *STRATEGIES,
                   "Read the full leaflet: scan the code or visit",
                   ADDRESSES[clinic].removeprefix("https://"), "Review date: November 1, 2028"]:
        assert needle in text, needle
    clinic_lines = {"default": ["Your Health Clinic", "Questions? Ask us, or call +1 555 0100"],
                    "riverside-physio": ["Riverside Physiotherapy", "call +44 20 7946 0000", "12 River Walk"]}
    for needle in clinic_lines[clinic]:
        assert needle in text, needle
    # A poster carries no paragraphs: the handout's body text stays in the handout.
    assert "Regular strength training helps you keep your muscle mass" not in text


@pytest.mark.parametrize("variant", SHEETS)
def test_type_is_at_least_the_sheets_floor(seed_output, variant):
    pieces = text_sizes(seed_output / f"{SEED}/en/default/poster-{variant}.pdf")
    tiles = [size for text, size in pieces if any(text in name for name in CAUSES + STRATEGIES)]
    assert len(tiles) >= len(CAUSES + STRATEGIES) and min(tiles) >= BODY_FLOOR[variant]
    # Only the version line is smaller, and it stays at three quarters of the floor.
    assert min(size for _, size in pieces) >= 0.75 * BODY_FLOOR[variant]


@pytest.mark.parametrize("clinic", ADDRESSES)
@pytest.mark.parametrize("variant", SHEETS)
def test_qr_code_read_from_the_rendered_page_opens_the_article(seed_output, tmp_path, clinic, variant):
    require_tool("pdftoppm")
    import zxingcpp
    from PIL import Image

    pdf = seed_output / f"{SEED}/en/{clinic}/poster-{variant}.pdf"
    subprocess.run(["pdftoppm", "-png", "-r", "72", "-singlefile", str(pdf), str(tmp_path / "page")], check=True)
    codes = zxingcpp.read_barcodes(Image.open(tmp_path / "page.png"))
    assert [(code.format, code.text) for code in codes] == [(zxingcpp.BarcodeFormat.QRCode, ADDRESSES[clinic])]


def test_fonts_are_the_projects_and_embedded(seed_output):
    for pdf in posters(seed_output, "*"):
        for font in PdfReader(pdf).pages[0]["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert {"/FontFile2", "/FontFile3"} & set(descriptor), font["/BaseFont"]
            assert font["/BaseFont"].split("+")[1] in PROJECT_FONTS


def test_manifest_lists_each_poster_with_its_size(seed_output):
    entries = [a for a in json.loads((seed_output / "manifest.json").read_text())["artifacts"]
               if a["format"] == "poster" and a["lang"] == "en" and not a["path"].startswith("site/")]
    assert [a["path"] for a in entries] == [p.relative_to(seed_output).as_posix() for p in posters(seed_output)]
    for entry in entries:
        assert entry["variant"] == re.search(r"poster-(\w+)\.pdf$", entry["path"]).group(1)
        assert entry["pages"] == 1 and entry["lang"] == "en" and entry["article"] == SEED
        assert entry["bytes"] == (seed_output / entry["path"]).stat().st_size


def test_qpdf_finds_no_damage(seed_output):
    require_tool("qpdf")
    for pdf in posters(seed_output):
        subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, check=True)


def stretched(text: str, factor: float = 1.4) -> str:
    """The text made `factor` times as long, as a translation might be."""
    longer = text
    while len(longer) < factor * len(text):
        longer += " " + text
    return longer[:max(len(text) + 1, round(factor * len(text)))]


def stretch_all(data, keys):
    if isinstance(data, dict):
        return {k: stretched(v) if k in keys and isinstance(v, str) else stretch_all(v, keys) for k, v in data.items()}
    if isinstance(data, list):
        return [stretch_all(v, keys) for v in data]
    return data


def test_text_40_percent_longer_still_fits_one_page_at_or_above_the_floor(project, tmp_path):
    article = yaml.safe_load(project.article_path.read_text())
    printed = {"title", "question", "poster_headline", "heading", "short", "text"}
    project.article_path.write_text(yaml.safe_dump(stretch_all(article, printed), allow_unicode=True, width=10**6))
    for clinic in (project.content / "clinics").glob("*.yaml"):
        clinic.write_text(yaml.safe_dump(stretch_all(yaml.safe_load(clinic.read_text()), {"name"}), allow_unicode=True))
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    labels = templates / "labels" / "en.yaml"
    labels.write_text(yaml.safe_dump({k: stretched(v) for k, v in yaml.safe_load(labels.read_text()).items()},
                                     allow_unicode=True, width=10**6))
    result = project.cli("build", "--format", "poster", "--templates", str(templates), "--lang", "en")
    assert result.exit_code == 0, result.output
    built = posters(project.root / "output")
    assert len(built) == 6
    for pdf in built:
        variant = pdf.stem.removeprefix("poster-")
        assert len(PdfReader(pdf).pages) == 1, pdf
        assert min(size for _, size in text_sizes(pdf)) >= 0.75 * BODY_FLOOR[variant]
        assert stretched("Make a pain plan") in flat_text(pdf)


def test_content_too_long_for_any_sheet_fails_naming_article_language_size_and_element(project):
    long_heading = " ".join(["Exercise regularly with strength training, twice a week or more"] * 16)
    project.edit_article("heading: Exercise regularly", f"heading: {long_heading}")
    project.waive("reading-level", "sentence-length")
    (project.root / "output").mkdir()
    result = project.cli("build", "--format", "poster", "--lang", "en")
    assert result.exit_code == 1
    # Every shortening a poster may make leaves the item whole: the build names the section to set.
    line = project.line_of("  - id: prevention")
    where = re.escape(f"{ART}:{line}:5: sections[2].poster: ")
    tail = re.escape(" type and every shortening a poster may make; its largest part is section 'prevention'") + (
        r" \(\d+ % of the sheet\) — " + re.escape("set `poster: summary` or `poster: omit` on section 'prevention'"
                                               " or on section 'how-it-leads-to-pain'") + "$")
    problems = [line for line in result.stderr.splitlines() if not line.startswith(("[", "note: "))]
    expected = [re.escape(f"the {name} poster of '{SEED}' in 'en' for clinic '{clinic}' does not fit on one sheet"
                          f" even with {floor} pt")
                for name, floor in (("A2", 34), ("A3", 24), ("US Tabloid (11 × 17 in)", 24))
                for clinic in ("default", "riverside-physio")]
    assert len(problems) == 7 and problems[-1] == "Aborted: 6 errors in 1 file.", problems
    for problem, start in zip(problems, expected):
        assert re.match(where + start + tail, problem), problem
    assert "Traceback" not in result.output
    assert list((project.root / "output").iterdir()) == []


def test_bleed_adds_3mm_around_the_trimmed_sheet(tmp_path, seed_output):
    from tests.conftest import CONTENT
    result = run_cli("build", "--content", str(CONTENT), "--output", str(tmp_path), "--format", "poster",
                     "--clinic", "default", "--bleed", "3mm")
    assert result.exit_code == 0, result.output
    bleed = 3 / 25.4 * 72
    width, height = SHEETS["a3"]
    page = PdfReader(tmp_path / f"{SEED}/en/default/poster-a3.pdf").pages[0]
    assert page.mediabox == pytest.approx([-bleed, -bleed, width + bleed, height + bleed], abs=0.01)
    assert page.trimbox == pytest.approx([0, 0, width, height], abs=0.01)
    plain = PdfReader(seed_output / f"{SEED}/en/default/poster-a3.pdf").pages[0]
    assert plain.mediabox == pytest.approx([0, 0, width, height], abs=0.01)
    manifest = {a["path"]: a for a in json.loads((tmp_path / "manifest.json").read_text())["artifacts"]}
    seed = {a["path"]: a for a in json.loads((seed_output / "manifest.json").read_text())["artifacts"]}
    path = f"{SEED}/en/default/poster-a3.pdf"
    assert manifest[path]["inputs"] != seed[path]["inputs"]  # the option is part of what the file is built from


@pytest.mark.parametrize("value", ["3", "-3mm", "3 cm", "40mm", "0mm"])
def test_a_bleed_that_is_not_a_print_length_is_a_usage_error(tmp_path, value):
    result = run_cli("build", "--output", str(tmp_path), "--format", "poster", "--bleed", value)
    assert result.exit_code == 2
    assert f"expected a length between 0 and 25 mm such as 3mm, 9pt or 0.125in, got {value!r}" in result.stderr


def test_unknown_icon_is_a_located_content_error(project):
    project.edit_article("icon: weight", "icon: wieght")
    result = project.cli("validate")
    line = project.line_of("icon: wieght")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{ART}:{line}:19: sections[2].blocks[1].items[2].icon: unknown icon 'wieght' — did you mean 'weight'?",
        "Aborted: 1 error in 1 file.",
    ]


@pytest.mark.parametrize("pattern, message", [
    ("https://example.org/leaflets/{lang}",
     "the article address has no {article} placeholder, so every article would get the same address"
     " — put {article} where the article's id goes"),
    ("https://example.org/{language}/{article}", "unknown placeholder {language} in the article address"
     " — use only {lang} and {article}"),
    ("example.org/{article}", "'example.org/{article}' is not a web address starting with https://"
     " — write the full address, like https://example.org/leaflets/{lang}/{article}"),
])
def test_article_address_pattern_is_checked_where_it_is_written(project, pattern, message):
    clinic = project.content / "clinics" / "default.yaml"
    clinic.write_text(clinic.read_text() + f"article_url: {pattern}\n")
    result = project.cli("validate")
    line = len(clinic.read_text().splitlines())
    assert result.stderr.splitlines() == [f"content/clinics/default.yaml:{line}:14: article_url: {message}",
                                          "Aborted: 1 error in 1 file."]


def test_second_article_with_callout_and_bulleted_list_fits_one_page(tmp_path):
    result = run_cli("build", "--content", str(FIXTURES / "hydration"), "--output", str(tmp_path),
                     "--format", "poster")
    assert result.exit_code == 0, result.output
    for pdf in posters(tmp_path):
        assert len(PdfReader(pdf).pages) == 1
    text = flat_text(tmp_path / "staying-hydrated/en/test-clinic/poster-a3.pdf")
    for needle in ["Drinking enough in hot weather", "Everyday habits that help", "Stay cool",
                   "Have a glass of water with every meal.", "Call your clinic or an emergency number if you have",
                   "no urine for eight hours or more", "test-street.example.org/en/staying-hydrated"]:
        assert needle in text, needle
    assert "Your body loses water through sweat" not in text  # a paragraph: handout only


def test_too_many_items_are_run_in_or_shortened_to_a_count(project):
    extra = "".join(f"          - id: strategy-extra-{n}\n            heading: Another good habit number {n}\n"
                    f"            text: Something else that helps.\n" for n in range(14))
    project.edit_article("\n  - id: conclusion\n", extra + "\n  - id: conclusion\n")  # more strategies
    project.waive("list-length")
    result = project.cli("build", "--format", "poster", "--clinic", "default", "--lang", "en")
    assert result.exit_code == 0, result.output
    for size in SHEETS:
        pdf = project.root / f"output/{SEED}/en/default/poster-{size}.pdf"
        assert len(PdfReader(pdf).pages) == 1
        text = flat_text(pdf)
        assert "Exercise regularly" in text and ("Another good habit number 13" in text or re.search(
            r"and \d+ more in the leaflet", text)), size
