"""The web pages: one per article, language and clinic, where the clinic's posters send readers.

Built from the shipped content with `--format web` (Jinja only, about a second), plus the
posters in one language to read their QR codes back.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from lxml import html as lxml_html

from publisher.content import load_project
from publisher.i18n import article_languages
from tests.conftest import CONTENT, FIXTURES, SEED, require_tool, run_cli

LANGS = ("en", "es", "fr", "de", "zh-Hans", "ar")
HYDRATION = "staying-hydrated"


def _build(content: Path, out: Path, *extra: str):
    result = run_cli("build", "--content", str(content), "--output", str(out), "--jobs", "1", *extra)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("web") / "out"
    _build(CONTENT, out, "--format", "web")
    return out


def _page_path(out: Path, clinic: str, address: str) -> Path:
    folders = [unquote(s) for s in urlsplit(address).path.split("/") if s]
    return out / "site" / clinic / Path(*folders) / "index.html"


def _pages(out: Path) -> list[Path]:
    """The articles' pages, not the galleries at the root of each site (tests/e2e/test_gallery.py)."""
    return sorted(p for p in (out / "site").rglob("index.html") if len(p.relative_to(out).parts) > 3)


def _doc(path: Path):
    return lxml_html.fromstring(path.read_bytes())


def test_every_clinic_has_a_page_in_every_language_at_its_posters_address(site):
    project = load_project(CONTENT)
    seen = set()
    for clinic_id, clinic in project.clinics.items():
        for lang in article_languages(project.articles[SEED]):
            page = _page_path(site, clinic_id, clinic.clinic.article_address(SEED, lang))
            assert page.is_file(), page
            doc = _doc(page)
            assert (doc.get("lang"), doc.get("dir")) == (lang, "rtl" if lang == "ar" else "ltr")
            assert doc.findtext(".//link[@rel='canonical']") is not None
            assert doc.find(".//link[@rel='canonical']").get("href") == clinic.clinic.article_address(SEED, lang)
            seen.add(page)
    assert set(_pages(site)) == seen and len(seen) == 12
    # A clinic with `article_url` gets its folders; one without, the website's path then /{lang}/{article}.
    assert (site / f"site/riverside-physio/leaflets/ar/{SEED}/index.html").is_file()
    assert (site / f"site/default/zh-Hans/{SEED}/index.html").is_file()
    manifest = json.loads((site / "manifest.json").read_text(encoding="utf-8"))
    entries = {e["path"]: e for e in manifest["artifacts"]}
    page = entries[f"site/default/ar/{SEED}/index.html"]
    assert (page["format"], page["variant"], page["article"], page["lang"], page["clinic"], page["pages"]) == (
        "web", "page", SEED, "ar", "default", 1)
    shared = [e for e in manifest["artifacts"] if e["variant"] == "shared"]
    assert {(e["article"], e["lang"], e["pages"]) for e in shared} == {(None, None, 0)}
    for entry in manifest["artifacts"]:
        assert (site / entry["path"]).stat().st_size == entry["bytes"]


def test_the_qr_code_of_a_poster_opens_a_built_page_in_the_posters_language(tmp_path, site):
    require_tool("pdftoppm")
    import zxingcpp
    from PIL import Image

    out = tmp_path / "out"
    _build(CONTENT, out, "--format", "poster", "--lang", "ar")
    for clinic in ("default", "riverside-physio"):
        pdf = out / SEED / "ar" / clinic / "poster-a3.pdf"
        subprocess.run(["pdftoppm", "-png", "-r", "72", "-singlefile", str(pdf), str(tmp_path / clinic)], check=True)
        [code] = zxingcpp.read_barcodes(Image.open(tmp_path / f"{clinic}.png"))
        page = _page_path(site, clinic, code.text)
        assert page.is_file(), code.text
        assert _doc(page).get("lang") == "ar"


def test_the_switcher_lists_the_articles_languages_in_their_own_script_and_every_link_lands(site):
    for page in _pages(site):
        doc = _doc(page)
        links = doc.findall(".//nav[@class='languages']//a")
        names = {a.get("lang"): a.text for a in links}
        assert names == {"en": "English", "es": "Español", "fr": "Français", "de": "Deutsch",
                         "zh-Hans": "中文 (简体)", "ar": "العربية"}
        current = [a.get("lang") for a in links if a.get("aria-current") == "page"]
        assert current == [doc.get("lang")]
        for a in links:
            target = (page.parent / a.get("href")).resolve()
            assert target.is_file(), (page, a.get("href"))
            assert _doc(target).get("lang") == a.get("lang")
        alternates = {link.get("hreflang") for link in doc.findall(".//link[@rel='alternate']")}
        assert alternates == set(LANGS)


def test_the_page_is_the_whole_article_in_reading_order_with_warnings_announced(site, tmp_path):
    doc = _doc(site / f"site/default/en/{SEED}/index.html")
    main = doc.find(".//main")
    assert main is not None and doc.find(".//a[@class='skip-link']").get("href") == "#main_content"
    headings = [int(h.tag[1]) for h in main.iter("h1", "h2", "h3")]
    assert headings[0] == 1 and all(b - a <= 1 for a, b in zip(headings, headings[1:]))
    text = " ".join(main.text_content().split())
    assert text.index("Key messages") < text.index("Muscles support and protect your bones")
    assert doc.findall(".//main//ol[@class='list list-numbered']") and doc.findall(".//main//ul")
    phone = doc.find(".//header//a")
    assert phone.get("href") == "tel:" + re.sub(r"[^0-9+]", "", phone.text)
    ld = json.loads(doc.find(".//script[@type='application/ld+json']").text)
    assert (ld["@type"], ld["inLanguage"], ld["lastReviewed"]) == ("MedicalWebPage", "en", "2026-11-01")
    assert "audienceType" in ld["audience"]
    # The hydration fixture holds a warning.
    out = tmp_path / "out"
    _build(FIXTURES / "hydration", out, "--format", "web")
    [page] = _pages(out)
    warnings = _doc(page).findall(".//aside[@class='callout callout-warning']")
    assert warnings
    for aside in warnings:
        assert aside.get("role") == "note"
        label = aside.find(".//p[@class='callout-label']")
        assert label.text_content().strip() == "Warning"
        assert label.find("img").get("alt") == "An exclamation mark in a triangle"
        assert (page.parent / label.find("img").get("src")).resolve().is_file()


def test_a_translation_not_yet_reviewed_says_so_as_the_handout_does(site):
    doc = _doc(site / f"site/default/ar/{SEED}/index.html")
    notes = [p.text for p in doc.findall(".//p[@class='unreviewed']")]
    assert notes == ["لم يراجع أخصائي رعاية صحية هذه الترجمة بعد."]
    assert not _doc(site / f"site/default/en/{SEED}/index.html").findall(".//p[@class='unreviewed']")


# Resource addresses a browser fetches on its own: all must stay on the site.
FETCHED = re.compile(r"""<(?:img|script|link|source|iframe|video|audio|embed|object)\b[^>]*?\b(?:src|href|srcset|data)="([^"]*)\"""")
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]*)")
EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.I)


def test_no_page_or_stylesheet_asks_another_host_for_anything(site):
    for page in _pages(site):
        text = page.read_text(encoding="utf-8")
        doc = _doc(page)
        fetched = [m.group(1) for m in FETCHED.finditer(text)]
        navigation = {link.get("href") for link in doc.findall(".//link") if link.get("rel") in ("canonical", "alternate")}
        for address in fetched:
            if address in navigation:
                continue  # a link to the page's own address, which no browser fetches
            assert not EXTERNAL.match(address), (page, address)
            assert (page.parent / address).resolve().is_file(), (page, address)
        assert "<script" not in text.replace('<script type="application/ld+json">', "")
        assert " style=" not in text and "<style" not in text  # the policy allows no inline style
        policy = doc.find(".//meta[@http-equiv='Content-Security-Policy']").get("content")
        assert policy.startswith("default-src 'self';") and "script-src 'none'" in policy
    for css in (site / "site").rglob("*.css"):
        for address in CSS_URL.findall(css.read_text(encoding="utf-8")):
            assert not EXTERNAL.match(address) and (css.parent / address).is_file(), (css, address)


def test_shared_files_are_written_once_per_site_under_names_made_of_their_bytes(site):
    import hashlib

    for clinic in ("default", "riverside-physio"):
        assets = sorted((site / "site" / clinic / "assets").iterdir())
        assert len([a for a in assets if a.suffix == ".woff2"]) == 6
        for asset in assets:
            assert asset.name.split(".")[-2] == hashlib.sha256(asset.read_bytes()).hexdigest()[:12]


def test_content_is_text_never_markup_and_json_ld_cannot_end_its_script(project):
    hostile = '</script><script>alert(1)</script> & <!-- "quoted"'
    project.edit_article("question: Can loss of muscle mass cause pain?", f"question: '{hostile}'")
    project.edit_article("Muscles support and protect your bones", "<script>alert(2)</script> Muscles protect bones")
    built = project.cli("build", "--format", "web", "--lang", "en", "--clinic", "default")
    assert built.exit_code == 0, built.output
    text = (project.root / f"output/site/default/en/{SEED}/index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in text
    assert "&lt;script&gt;alert(2)&lt;/script&gt; Muscles protect bones" in text
    ld = text.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in ld and json.loads(ld)["description"] == hostile
    doc = lxml_html.fromstring(text.encode("utf-8"))
    assert doc.findtext(".//p[@class='question']") == hostile
    assert [s.get("type") for s in doc.iter("script")] == ["application/ld+json"]


def test_pages_are_byte_identical_from_one_build_to_the_next(site, tmp_path):
    again = tmp_path / "again"
    _build(CONTENT, again, "--format", "web")
    for page in sorted(p for p in (site / "site").rglob("*") if p.is_file()):
        assert page.read_bytes() == (again / page.relative_to(site)).read_bytes(), page


def _two_articles(project) -> None:
    shutil.copytree(FIXTURES / "hydration" / "articles" / HYDRATION, project.content / "articles" / HYDRATION)


def test_a_noop_rebuild_renders_nothing_and_one_sentence_rerenders_only_that_articles_pages(project):
    _two_articles(project)
    first = project.cli("build", "--format", "web", "--lang", "en", "--json")
    assert first.exit_code == 0, first.output
    summary = json.loads(first.stdout)
    assert summary["built"] == 2 * 2 + 2 * 9  # two articles for two clinics, and each site's nine shared files
    again = json.loads(project.cli("build", "--format", "web", "--lang", "en", "--json", "--force").stdout)
    assert again["built"] == summary["built"]
    noop = json.loads(project.cli("build", "--format", "web", "--lang", "en", "--json").stdout)
    assert noop["built"] == 0
    project.edit_article("Muscles support and protect your bones", "Muscles support and guard your bones")
    edited = json.loads(project.cli("build", "--format", "web", "--lang", "en", "--json").stdout)
    assert sorted(edited["built_paths"]) == [f"site/default/en/{SEED}/index.html",
                                             f"site/riverside-physio/leaflets/en/{SEED}/index.html"]
    text = (project.root / f"output/site/default/en/{SEED}/index.html").read_text(encoding="utf-8")
    assert "guard your bones" in text


def test_a_removed_language_removes_its_pages_and_its_links_from_every_other_page(project):
    built = project.cli("build", "--format", "web")
    assert built.exit_code == 0, built.output
    (project.content / "articles" / SEED / "translations" / "fr.yaml").unlink()
    result = project.cli("build", "--format", "web", "--json")
    summary = json.loads(result.stdout)
    out = project.root / "output"
    assert sorted(summary["removed_paths"]) == [f"site/default/fr/{SEED}/index.html",
                                                f"site/riverside-physio/leaflets/fr/{SEED}/index.html"]
    # Every other page (its switcher changed), and the galleries of both sites and the staff's.
    assert len(summary["built_paths"]) == 10 + 3
    for page in _pages(out):
        langs = {a.get("lang") for a in _doc(page).findall(".//nav[@class='languages']//a")}
        assert langs == set(LANGS) - {"fr"}, page


def test_a_clinic_colour_that_makes_a_pair_unreadable_on_the_pages_is_refused_at_its_line(project):
    clinic = project.content / "clinics" / "default.yaml"
    text = clinic.read_text(encoding="utf-8")
    accent = re.search(r'accent: "?(#[0-9A-Fa-f]{6})"?', text).group(0)
    clinic.write_text(text.replace(accent, 'accent: "#6E6E6E"'), encoding="utf-8")
    line = project.line_of("accent:", "clinics/default.yaml")
    assert project.refused_by_both() == [
        f"content/clinics/default.yaml:{line}:11: colours.accent: #1a1a1a on #6E6E6E (text on the key messages and"
        " tips of the web pages) has a contrast of 3.4:1, at least 4.5:1 needed — choose a lighter accent colour",
        "Aborted: 1 error in 1 file."]


def test_an_address_whose_path_cannot_hold_each_page_is_refused_at_its_line(project):
    clinic = project.content / "clinics" / "riverside-physio.yaml"
    text = clinic.read_text(encoding="utf-8")
    line = project.line_of("article_url:", "clinics/riverside-physio.yaml")
    clinic.write_text(text.replace("/leaflets/{lang}/{article}", "/leaflets/{article}?lang={lang}"),
                      encoding="utf-8")
    lines = project.refused_by_both()
    assert lines[0].startswith(f"content/clinics/riverside-physio.yaml:{line}:14: article_url: the pages of"
                               f" '{SEED}' in 'en' and of '{SEED}' in '")
    assert lines[0].endswith("would both be site/riverside-physio/leaflets/muscle-mass-loss-and-pain/index.html:"
                             " each article in each language needs an address of its own — put {lang} and {article}"
                             " in the address's path, before any '?' or '#'")
    clinic.write_text(text.replace("/leaflets/{lang}/{article}", "/%2e%2e/{lang}/{article}"), encoding="utf-8")
    assert project.refused_by_both()[0] == (
        f"content/clinics/riverside-physio.yaml:{line}:14: article_url: the address"
        " https://riverside-physio.example.org/%2e%2e/{lang}/{article} makes the folder '..', which a web page cannot be"
        " stored under — write the address's path with plain folder names")


def test_after_a_full_build_every_download_link_opens_a_copy_beside_the_page(seed_output):
    """The site folder alone holds everything its pages link to: a copy of each file, the same bytes."""
    pages = _pages(seed_output)
    assert len(pages) == 12
    manifest = {e["path"]: e for e in json.loads((seed_output / "manifest.json").read_text())["artifacts"]}
    for page in pages:
        doc = _doc(page)
        links = [a.get("href") for a in doc.findall(".//section[@class='downloads']//a")]
        assert links == ["handout-a4.pdf", "handout-letter.pdf", "large-print-a4.pdf", "large-print-letter.pdf",
                         "poster-a3.pdf", "poster-a2.pdf", "poster-tabloid.pdf", "deck-16x9.pptx"]
        clinic = page.relative_to(seed_output).parts[1]
        for href in links:
            copy = page.parent / href
            original = seed_output / SEED / doc.get("lang") / clinic / href
            assert copy.read_bytes() == original.read_bytes(), copy
            entry = manifest[copy.relative_to(seed_output).as_posix()]
            assert entry["inputs"] == manifest[original.relative_to(seed_output).as_posix()]["inputs"]


def test_a_copy_is_kept_current_with_its_file(project):
    selection = ("--lang", "en", "--clinic", "default", "--format", "handout", "web")
    assert project.cli("build", *selection).exit_code == 0
    out = project.root / "output"
    copy = out / f"site/default/en/{SEED}/handout-a4.pdf"
    before = copy.read_bytes()
    project.edit_article("Muscles support and protect your bones", "Muscles support and guard your bones")
    # Built without the web pages, the handout changes and its copy waits for the next build that has them.
    assert project.cli("build", "--lang", "en", "--clinic", "default", "--format", "handout").exit_code == 0
    assert copy.read_bytes() == before
    result = project.cli("build", *selection, "--json")
    summary = json.loads(result.stdout)
    assert f"site/default/en/{SEED}/handout-a4.pdf" in summary["built_paths"]
    assert copy.read_bytes() == (out / f"{SEED}/en/default/handout-a4.pdf").read_bytes() != before
    copy.unlink()
    dry = project.cli("build", *selection, "--dry-run")
    assert f"would render {SEED}/en/default/handout-a4.pdf (output missing (the copy at" in dry.stdout


def test_an_article_named_like_the_site_folder_is_refused(project):
    shutil.copytree(FIXTURES / "hydration" / "articles" / HYDRATION, project.content / "articles" / "site")
    assert project.refused_by_both() == [
        "content/articles/site/article.yaml:1:1: (article id): an article may not be called 'site': output/site/"
        " holds the clinics' web sites — rename the article's folder",
        "Aborted: 1 error in 1 file."]


@pytest.mark.parametrize("field, value", [("website", "javascript:alert(1)"), ("website", "data:text/html,x")])
def test_a_clinic_address_that_is_not_a_web_address_never_reaches_a_link(project, field, value):
    clinic = project.content / "clinics" / "default.yaml"
    text = clinic.read_text(encoding="utf-8")
    clinic.write_text(re.sub(rf"^{field}: .*$", f"{field}: {value}", text, flags=re.M), encoding="utf-8")
    line = project.line_of(f"{field}:", "clinics/default.yaml")
    assert project.refused_by_both() == [
        f"content/clinics/default.yaml:{line}:10: {field}: expected a web address starting with https://,"
        f" got '{value}' — write the full address, like https://example.org",
        "Aborted: 1 error in 1 file."]
