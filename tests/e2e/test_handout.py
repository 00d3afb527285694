"""Build the shipped content through the CLI and read the PDFs back."""

from __future__ import annotations

import json
import re
import subprocess

import pytest
from pypdf import PdfReader

from tests.conftest import CONTENT, FIXTURES, SEED, require_tool, run_cli

PAPER = {"a4": (595.28, 841.89), "letter": (612.0, 792.0)}
PROJECT_FONTS = {f"Publisher-{name}" for name in (  # the private names pages declare them under
    "Noto-Sans", "Noto-Sans-Bold", "Noto-Naskh-Arabic", "Noto-Naskh-Arabic-Bold",
    "Noto-Sans-CJK-SC", "Noto-Sans-CJK-SC-Bold")}
MANIFEST_KEYS = {"path", "article", "lang", "format", "variant", "clinic", "sha256", "bytes", "pages", "inputs"}


def handouts(out, lang="*"):
    return sorted(out.glob(f"*/{lang}/*/handout-*.pdf"))


def text_of(pdf) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(pdf).pages)


def test_every_clinic_gets_a4_and_letter(seed_output):
    names = [p.relative_to(seed_output).as_posix() for p in handouts(seed_output, "en")]
    assert names == [
        f"{SEED}/en/default/handout-a4.pdf",
        f"{SEED}/en/default/handout-letter.pdf",
        f"{SEED}/en/riverside-physio/handout-a4.pdf",
        f"{SEED}/en/riverside-physio/handout-letter.pdf",
    ]


@pytest.mark.parametrize("variant", ["a4", "letter"])
def test_handout_pages_size_and_metadata(seed_output, variant):
    reader = PdfReader(seed_output / f"{SEED}/en/default/handout-{variant}.pdf")
    assert 1 <= len(reader.pages) <= 2
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width, 1), round(height, 1)) == tuple(round(v, 1) for v in PAPER[variant])
    meta = reader.metadata
    assert meta.title == "Muscle mass loss: the hidden link to chronic pain and how to address it"
    assert meta.author == "Publisher patient-education project"
    assert meta.subject == "Can loss of muscle mass cause pain?"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert bool(root["/MarkInfo"]["/Marked"])  # tagged PDF
    assert "/StructTreeRoot" in root
    assert b'pdfuaid:part="1"' in root["/Metadata"].get_object().get_data()


def test_every_heading_and_item_is_in_the_text(seed_output):
    text = text_of(seed_output / f"{SEED}/en/default/handout-a4.pdf")
    flat = re.sub(r"\s+", " ", text)
    for needle in [
        "Muscle mass loss: the hidden link to chronic pain", "Can loss of muscle mass cause pain?",
        "Key messages", "Muscle loss and pain", "How muscle loss leads to pain",
        "Joint pain.", "Poor posture.", "Less flexibility.", "Higher risk of injury.",
        "Preventing and managing pain from muscle loss", "Exercise regularly.", "Stretch.",
        "Keep a healthy weight.", "Treat underlying conditions.", "Make a pain plan.", "In short",
        "About this leaflet", "It does not replace advice from your own doctor",
        "Version 1.0", "Review date: November 1, 2028", "liuqiyue",
    ]:
        assert needle in flat, needle
    assert "You may also like" not in flat


def test_clinic_name_contact_and_page_numbers_on_every_page(seed_output):
    reader = PdfReader(seed_output / f"{SEED}/en/riverside-physio/handout-letter.pdf")
    total = len(reader.pages)
    for number, page in enumerate(reader.pages, 1):
        text = re.sub(r"\s+", " ", page.extract_text())
        assert "Riverside Physiotherapy" in text
        assert "+44 20 7946 0000" in text
        assert f"Page {number} of {total}" in text
        assert "Review date: November 1, 2028" in text
        assert len(page["/Resources"]["/XObject"]) >= 1  # the logo
    # The address, e-mail and web address are printed once, in "About this leaflet".
    last = re.sub(r"\s+", " ", reader.pages[-1].extract_text())
    assert "12 River Walk" in last and "riverside-physio.example.org" in last


def test_all_fonts_are_the_projects_and_embedded(seed_output):
    for pdf in handouts(seed_output):
        for page in PdfReader(pdf).pages:
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                assert {"/FontFile2", "/FontFile3"} & set(descriptor), font["/BaseFont"]
                assert font["/BaseFont"].split("+")[1] in PROJECT_FONTS


def test_body_text_is_at_least_12_points(seed_output):
    assert body_size(seed_output / f"{SEED}/en/default/handout-a4.pdf") >= 12


def test_manifest_has_exactly_the_agreed_keys(seed_output):
    manifest = json.loads((seed_output / "manifest.json").read_text())
    entries = [a for a in manifest["artifacts"] if a["format"] == "handout" and not a["path"].startswith("site/")]
    assert [a["path"] for a in entries] == [p.relative_to(seed_output).as_posix() for p in handouts(seed_output)]
    for entry in entries:
        assert set(entry) == MANIFEST_KEYS
        pdf = seed_output / entry["path"]
        assert entry["bytes"] == pdf.stat().st_size
        assert entry["pages"] == len(PdfReader(pdf).pages)
        assert entry["format"] == "handout"
        assert re.fullmatch(r"sha256:[0-9a-f]{64}", entry["inputs"])
        assert re.fullmatch(r"[0-9a-f]{64}", entry["sha256"])


def test_second_article_builds_with_no_code_change(tmp_path):
    result = run_cli("build", "--content", str(FIXTURES / "hydration"), "--output", str(tmp_path))
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "staying-hydrated/en/test-clinic/handout-a4.pdf"
    text = re.sub(r"\s+", " ", text_of(pdf))
    for needle in ["Drinking enough in hot weather", "Why it matters", "Everyday habits that help",
                   "When to get help", "Call your clinic or an emergency number", "Stay cool.",
                   "References", "Example reference", "Test Street Surgery"]:
        assert needle in text, needle
    assert len(PdfReader(pdf).pages) <= 2


def test_selection_builds_only_what_was_asked(tmp_path):
    result = run_cli("build", "--content", str(CONTENT), "--output", str(tmp_path), "--clinic", "default",
                     "--article", SEED, "--lang", "en", "--format", "handout")
    assert result.exit_code == 0, result.output
    assert [p.parent.name for p in handouts(tmp_path)] == ["default", "default"]


def test_pdftotext_reads_in_order_and_qpdf_finds_no_damage(seed_output):
    require_tool("pdftotext", "qpdf", "pdffonts")
    pdf = seed_output / f"{SEED}/en/default/handout-a4.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    order = ["Muscle mass loss", "Can loss of muscle mass", "Key messages", "Muscle loss and pain",
             "How muscle loss leads to pain", "Joint pain", "Higher risk of injury",
             "Preventing and managing", "Make a pain plan", "In short", "About this leaflet"]
    positions = [text.index(word) for word in order]
    assert positions == sorted(positions)
    subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, check=True)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows), fonts  # the "emb" column


def body_size(pdf) -> float:
    sizes = []

    def visitor(text, cm, tm, font_dict, font_size):
        if text.strip():
            sizes.append(round(font_size * tm[0] * cm[0], 1) if tm[0] else font_size)

    PdfReader(pdf).pages[0].extract_text(visitor_text=visitor)
    return max(set(sizes), key=sizes.count)  # the most common size is the body's


def lengthen_a_key_message(project, sentences: int) -> None:
    project.edit_article("a plan with your healthcare team.\n",
                         "a plan with your healthcare team. "
                         + " ".join(["Keep moving every day, gently and often."] * sentences) + "\n")


def test_text_too_long_for_the_seeds_density_keeps_two_pages_at_a_denser_one(project, seed_output):
    # The density search stops failed trials at their third page (targets/_page_limit.py);
    # the density it settles on must be the one a full layout of each would choose.
    lengthen_a_key_message(project, 25)
    project.waive("reading-level")
    result = project.cli("build", "--lang", "en", "--format", "handout", "--clinic", "default")
    assert result.exit_code == 0, result.output
    built = project.root / f"output/{SEED}/en/default/handout-a4.pdf"
    assert len(PdfReader(built).pages) == 2
    assert body_size(seed_output / f"{SEED}/en/default/handout-a4.pdf") == 12.5  # comfortable
    assert body_size(built) == 12  # compact or tight
    assert "Keep moving every day, gently and often." in text_of(built).replace("\n", " ")


def test_text_too_long_even_at_the_tightest_density_is_one_located_error(project):
    lengthen_a_key_message(project, 60)
    project.waive("reading-level")
    result = project.cli("build", "--lang", "en", "--format", "handout", "--clinic", "default")
    assert result.exit_code == 1
    expected = [
        f"content/articles/{SEED}/article.yaml:1:1: (layout): the handout of '{SEED}' in 'en' on {paper}"
        f" needs {pages} pages even at the 'tightest' density; a handout has at most 2 (clinic 'default')"
        " — shorten the text, or split the article in two"
        for paper, pages in (("a4", 3), ("letter", 4))
    ]
    assert [line for line in result.output.splitlines() if "(layout)" in line] == expected
    assert not (project.root / "output" / SEED).exists()
