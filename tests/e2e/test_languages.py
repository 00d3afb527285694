"""Every language in the handout: its own text, tag, fonts and page budget;
translation status, staleness, the PO round trip and pseudo-locales."""

from __future__ import annotations

import json
import re
import subprocess

import pytest
import yaml
from pypdf import PdfReader

from tests.conftest import CONTENT, SEED, TEMPLATES, require_tool, run_cli

LANGS = ["ar", "de", "es", "fr", "zh-Hans"]
TRANSLATIONS = CONTENT / "articles" / SEED / "translations"


def translated(lang: str) -> dict[str, str]:
    data = yaml.safe_load((TRANSLATIONS / f"{lang}.yaml").read_text(encoding="utf-8"))
    return {uid: unit["text"] for uid, unit in data["units"].items()}


def flat_text(pdf) -> str:
    return re.sub(r"\s+", " ", "\n".join(page.extract_text() for page in PdfReader(pdf).pages))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("variant", ["a4", "letter"])
def test_handout_in_each_language(seed_output, lang, variant):
    pdf = seed_output / f"{SEED}/{lang}/default/handout-{variant}.pdf"
    reader = PdfReader(pdf)
    assert len(reader.pages) <= 2
    assert reader.trailer["/Root"]["/Lang"] == lang
    units = translated(lang)
    assert reader.metadata.title.split() == units["title"].split()
    text = flat_text(pdf)
    squeeze = (lambda s: re.sub(r"\s+", "", s)) if lang == "zh-Hans" else (lambda s: re.sub(r"\s+", " ", s))
    for uid in ["question", "introduction.heading", "how-it-leads-to-pain.heading", "prevention.heading",
                "conclusion.heading", "cause-joint-pain.heading", "strategy-pain-plan.heading"]:
        assert squeeze(units[uid]) in squeeze(text), (lang, uid)
    assert "Muscle loss and pain" not in text  # no English heading slipped through
    notice = yaml.safe_load((TEMPLATES / "labels" / f"{lang}.yaml").read_text())["units"]["unreviewed"]
    assert squeeze(notice["text"]) in squeeze(text)  # drafts say so, visibly


@pytest.mark.parametrize("lang", LANGS)
def test_posters_in_each_language_say_the_translation_is_a_draft(seed_output, lang):
    notice = yaml.safe_load((TEMPLATES / "labels" / f"{lang}.yaml").read_text())["units"]["unreviewed"]
    require_tool("pdftotext")  # reads Arabic in reading order, as a screen reader does
    squeeze = lambda s: re.sub(r"[\s\u202a-\u202e\u2066-\u2069]+", "", s)
    for variant in ["a3", "a2", "tabloid"]:
        pdf = seed_output / f"{SEED}/{lang}/default/poster-{variant}.pdf"
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert squeeze(notice["text"]) in squeeze(text), (lang, variant)


def test_arabic_poster_prints_phone_and_web_address_left_to_right(seed_output):
    require_tool("pdftotext")
    pdf = seed_output / f"{SEED}/ar/riverside-physio/poster-a3.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    text = re.sub(r"[\u200b\u202a-\u202e\u2066-\u2069]", "", text)
    assert "+44 20 7946 0000" in text  # not "0000 7946 20 44+"
    squeezed = re.sub(r"\s+", "", text)
    assert "riverside-physio.example.org/leaflets/ar/muscle-mass-loss-and-pain" in squeezed  # parts in order
    assert "12 River Walk, " in text


def test_manifest_has_every_language_and_no_fallbacks(seed_output):
    manifest = json.loads((seed_output / "manifest.json").read_text())
    langs = {entry["lang"] for entry in manifest["artifacts"] if entry["lang"]}  # a site's shared file has none
    assert langs == {"en", *LANGS}
    assert manifest["fallbacks"] == {}


def test_arabic_is_right_to_left_with_arabic_and_latin_fonts(seed_output):
    require_tool("pdftotext", "pdffonts")
    pdf = seed_output / f"{SEED}/ar/riverside-physio/handout-a4.pdf"
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Noto-Naskh-Arabic" in fonts
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert translated("ar")["question"] in text.replace("\u202b", "").replace("\u202c", "")
    # The footer's page box sits on the left in a right-to-left document.
    page = PdfReader(pdf).pages[0]
    positions = []
    page.extract_text(visitor_text=lambda t, cm, tm, fd, fs: positions.append((t, tm[4] * cm[0] + cm[4])))
    page_label = [x for t, x in positions if "الصفحة" in t]
    assert page_label and page_label[0] < float(page.mediabox.width) / 2


def test_chinese_uses_the_cjk_font(seed_output):
    require_tool("pdffonts")
    pdf = seed_output / f"{SEED}/zh-Hans/default/handout-a4.pdf"
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Noto-Sans-CJK-SC" in fonts


def test_status_strict_passes_on_shipped_content():
    result = run_cli("i18n", "status", "--strict", "--content", str(CONTENT))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["article", "lang", "units", "translated", "stale", "missing", "approved",
                                "policy", "review"]
    assert re.fullmatch(r"muscle-mass-loss-and-pain\s+de\s+(\d+)\s+\1 \(100%\)\s+0\s+0\s+0 \(0%\)\s+mark\s+-", lines[3])


def test_one_edited_sentence_is_stale_in_every_language(project):
    project.edit_article("Muscles support and protect your bones", "Muscles hold up and protect your bones")
    result = project.cli("i18n", "status", "--strict")
    assert result.exit_code == 1
    problems = [line for line in result.stderr.splitlines() if "stale" in line]
    assert len(problems) == len(LANGS)
    for lang in LANGS:
        path = f"content/articles/{SEED}/translations/{lang}.yaml"
        assert any(p.startswith(path) and ": units.causes-intro.text: stale in " f"'{lang}'" in p for p in problems)
    assert result.stderr.splitlines()[-1] == "Aborted: 5 errors in 5 files."
    # The build shows the new English sentence instead of the old translation, and says so.
    built = project.cli("build", "--lang", "de", "--clinic", "default")
    assert built.exit_code == 0
    assert "shows 1 unit(s) in the source language (translation missing or stale): causes-intro.text" in built.stderr
    manifest = json.loads((project.root / "output/manifest.json").read_text())
    assert manifest["fallbacks"] == {entry["path"]: ["causes-intro.text"] for entry in manifest["artifacts"]
                                     if entry["article"]}  # not a site's shared files
    # two handouts, two in large print, a deck, three posters, a page, a copy of each print file beside
    # it, and pictures of the A4 handout and the A3 poster (each listed with the fallback its file shows)
    assert len([e for e in manifest["artifacts"] if e["article"]]) == 19
    assert "Muscles hold up and protect your bones" in flat_text(
        project.root / f"output/{SEED}/de/default/handout-a4.pdf")


def test_missing_translation_falls_back_and_is_reported(project):
    path = project.content / "articles" / SEED / "translations" / "es.yaml"
    data = yaml.safe_load(path.read_text())
    del data["units"]["question"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    result = project.cli("i18n", "status", "--strict")
    line = project.line_of("question:")
    assert f"content/articles/{SEED}/article.yaml:{line}:11: question: missing in 'es'" \
           f" — translate it into {SEED}/translations/es.yaml (see `publisher i18n export`)" in result.stderr


def test_po_round_trip_changes_nothing_and_imports_edits(project):
    before = {p.name: p.read_bytes() for p in (project.content / "articles" / SEED / "translations").iterdir()}
    assert project.cli("i18n", "export", "--output", "po").exit_code == 0
    po = project.root / "po" / "fr.po"
    text = po.read_text(encoding="utf-8")
    assert 'msgctxt "muscle-mass-loss-and-pain:title"' in text and 'msgctxt "labels:page_x_of_y"' in text
    result = project.cli("i18n", "import", "po/fr.po", "po/de.po", "po/ar.po", "po/es.po", "po/zh-Hans.po")
    assert result.exit_code == 0
    after = {p.name: p.read_bytes() for p in (project.content / "articles" / SEED / "translations").iterdir()}
    assert after == before
    # A translator's edit comes back as draft text with the current fingerprint.
    old = translated("fr")["question"]
    po.write_text(text.replace(f'msgstr "{old}"', 'msgstr "La perte musculaire peut-elle causer des douleurs ?"'),
                  encoding="utf-8")
    assert project.cli("i18n", "import", "po/fr.po").exit_code == 0
    units = yaml.safe_load((project.content / "articles" / SEED / "translations" / "fr.yaml").read_text())["units"]
    assert units["question"]["text"] == "La perte musculaire peut-elle causer des douleurs ?"
    assert units["question"]["status"] == "draft"
    assert project.cli("i18n", "status", "--strict").exit_code == 0


@pytest.mark.parametrize("lang", ["en-XA", "ar-XB"])
def test_pseudo_locales_build_without_overflow(tmp_path, lang):
    result = run_cli("build", "--content", str(CONTENT), "--output", str(tmp_path), "--lang", lang,
                     "--clinic", "default")
    assert result.exit_code == 0, result.output
    for variant in ("a4", "letter"):
        reader = PdfReader(tmp_path / f"{SEED}/{lang}/default/handout-{variant}.pdf")
        assert len(reader.pages) <= 3
        assert reader.trailer["/Root"]["/Lang"] == lang
    text = flat_text(tmp_path / f"{SEED}/{lang}/default/handout-a4.pdf")
    if lang == "en-XA":
        assert "[Çåñ ĺöšš öƒ ṁûšçĺé ṁåšš çåûšé þåîñ?" in text


def test_clinic_can_choose_eastern_arabic_digits_and_hide_the_draft_notice(project):
    clinic = project.content / "clinics" / "default.yaml"
    clinic.write_text(clinic.read_text() + "numerals: arab\nunreviewed_notice: false\n")
    require_tool("pdftotext")
    result = project.cli("build", "--lang", "ar", "--clinic", "default")
    assert result.exit_code == 0, result.output
    pdf = project.root / f"output/{SEED}/ar/default/handout-a4.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "٢٠٢٨" in text and "2028" not in text
    notice = yaml.safe_load((TEMPLATES / "labels/ar.yaml").read_text())["units"]["unreviewed"]["text"]
    assert notice not in text


@pytest.mark.parametrize("lang", LANGS)
def test_posters_in_each_language(seed_output, lang):
    require_tool("pdftotext")
    units = translated(lang)
    # Compare words, not line breaks, hyphens at line ends or where pdftotext
    # puts neutral punctuation between right-to-left words.
    squeeze = {"zh-Hans": lambda s: re.sub(r"\s+", "", s),
               "ar": lambda s: re.sub(r"[\s،,.:؟]+", " ", s)}.get(
        lang, lambda s: re.sub(r"\s+", " ", re.sub(r"[-\u2010]\n", "", s)))
    for size in ("a3", "a2", "tabloid"):
        pdf = seed_output / f"{SEED}/{lang}/riverside-physio/poster-{size}.pdf"
        reader = PdfReader(pdf)
        assert len(reader.pages) == 1
        assert reader.trailer["/Root"]["/Lang"] == lang
        # pdftotext gives logical order for right-to-left text; strip its embedding marks
        raw = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        text = squeeze(re.sub("[\u202a-\u202e]", "", raw))
        for uid in ["poster_headline", "question", "strategy-exercise.heading", "strategy-pain-plan.heading"]:
            assert squeeze(units[uid]) in text, (lang, size, uid)


@pytest.mark.parametrize("lang", LANGS)
def test_decks_in_each_language(seed_output, lang):
    from pptx import Presentation
    from pptx.oxml.ns import qn

    units = translated(lang)
    prs = Presentation(seed_output / f"{SEED}/{lang}/default/deck-16x9.pptx")
    assert prs.core_properties.language == lang
    assert prs.core_properties.title == units["title"]
    titles = [slide.shapes.title.text_frame.text for slide in prs.slides]
    squeeze = lambda s: re.sub(r"\s+", "", s)  # noqa: E731  (titles may wrap)
    for uid in ["introduction.heading", "how-it-leads-to-pain.heading", "conclusion.heading"]:
        assert any(squeeze(units[uid]) in squeeze(t) for t in titles), (lang, uid)
    # The clinic's name is a proper name written in English: its runs are tagged so (issue 16).
    langs = {r.get("lang") for slide in prs.slides for r in slide._element.iter(qn("a:rPr"))
             if r.getparent().findtext(qn("a:t")) != "Your Health Clinic"}
    assert len(langs) == 1 and langs.pop().split("-")[0] == lang.split("-")[0]
    assert {r.get("lang") for slide in prs.slides for r in slide._element.iter(qn("a:rPr"))
            if r.getparent().findtext(qn("a:t")) == "Your Health Clinic"} == {"en"}
    rtl = {p.get("rtl") for slide in prs.slides for p in slide._element.iter(qn("a:pPr"))}
    assert rtl == ({"1"} if lang == "ar" else {None})


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_bad_translation_files_get_located_errors(project, tmp_path):
    es = project.content / "articles" / SEED / "translations" / "es.yaml"
    _edit(es, "lang: es", "lang: fr")
    _edit(es, "  question:\n", "  questoin:\n")
    fr = project.content / "articles" / SEED / "translations" / "fr.yaml"
    _edit(fr, "    status: draft\n", "    status: approved\n")
    result = project.cli("validate")  # both files' problems in one run
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    path = f"content/articles/{SEED}/translations/es.yaml"
    assert any(line.startswith(f"{path}:") and ": lang: the file is named for 'es' but says lang: fr"
               " — rename the file to fr.yaml or correct `lang`" in line for line in lines)
    assert any(": units.questoin: no unit 'questoin' in the source — did you mean 'question'?" in line
               for line in lines)
    assert any(": status 'approved' needs `reviewer` and `reviewed` — name the clinician and the date,"
               " or set `status: draft`" in line for line in lines)


def test_translated_wording_must_keep_its_placeholders(tmp_path):
    import shutil

    from tests.conftest import TEMPLATES
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    de = templates / "labels" / "de.yaml"
    text = de.read_text(encoding="utf-8")
    start = text.index("  page_x_of_y:")
    line = text[:start].count("\n") + 2
    _edit(de, "{pages}", "{seiten}")
    result = run_cli("validate", "--content", str(CONTENT), "--templates", str(templates))
    assert result.exit_code == 1
    assert f"templates/labels/de.yaml:{line}:11: units.page_x_of_y.text: placeholders {{page}}, {{pages}}" \
           " expected, found {page}, {seiten} — keep every {name} of the English text, untranslated" in result.stderr
