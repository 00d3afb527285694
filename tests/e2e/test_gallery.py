"""The galleries: every article in every language of a clinic's site at its root, and one across
clinics for staff at the root of the output folder, with pictures of each handout's first page and
poster drawn from the built PDFs.

One build is shared by the module: the shipped article in English and Spanish for one clinic, its
handouts, posters and web pages (ten PDFs). Tests that edit content work on a copy of it.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import html as lxml_html

from tests.conftest import CONTENT, SEED, require_tool, run_cli

FORMATS = ("--format", "handout", "poster", "web")
EN_TITLE = "Muscle mass loss: the hidden link to chronic pain and how to address it"
ES_TITLE = "Pérdida de masa muscular: el vínculo oculto con el dolor crónico y cómo hacerle frente"
GALLERIES = ("site/default/index.html", "index.html")
PREVIEWS = {f"site/default/{lang}/{SEED}/preview-{name}.png": f"{SEED}/{lang}/default/{name}.pdf"
            for lang in ("en", "es") for name in ("handout-a4", "poster-a3")}


def _content(dest: Path) -> Path:
    """The shipped article in English and Spanish, for the default clinic alone."""
    shutil.copytree(CONTENT, dest)
    for path in (dest / "articles" / SEED / "translations").iterdir():
        if path.stem != "es":
            path.unlink()
    for path in (dest / "clinics").iterdir():
        if path.name.startswith("riverside-physio"):
            path.unlink()
    return dest


def _build(root: Path, *extra: str) -> dict:
    result = run_cli("build", "--content", str(root / "content"), "--output", str(root / "output"),
                     *FORMATS, "--json", *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("gallery")
    _content(root / "content")
    _build(root)
    return root


@pytest.fixture
def copy(built, tmp_path) -> Path:
    """The module's project and output, to change: times kept, so the copy is as current as the build."""
    shutil.copytree(built, tmp_path / "project", copy_function=shutil.copy2)
    return tmp_path / "project"


def _doc(path: Path):
    return lxml_html.fromstring(path.read_bytes())


def _entries(doc) -> dict[str, object]:
    return {li.get("lang"): li for li in doc.findall(".//li") if "entry" in li.get("class", "").split()}


def test_each_gallery_lists_every_article_in_every_language_and_every_link_opens_a_built_file(built):
    out = built / "output"
    manifest = {e["path"]: e for e in json.loads((out / "manifest.json").read_text())["artifacts"]}
    for gallery in GALLERIES:
        doc = _doc(out / gallery)
        assert doc.get("lang") == "en"  # the clinic's name is written in English; the staff's page is in English
        entries = _entries(doc)
        titles = {lang: li.find(".//a").text for lang, li in entries.items()}
        assert titles == {"en": EN_TITLE, "es": ES_TITLE}
        assert entries["es"].get("dir") == "ltr"
        assert entries["es"].findtext(".//p[@class='entry-language']") == "Español"
        # The Spanish translation is a draft: its entry says so in Spanish, as its pages do.
        assert [p.text for p in entries["es"].findall(".//p[@class='entry-status status-draft']")] == [
            "Esta traducción aún no ha sido revisada por un profesional de la salud."]
        assert not entries["en"].findall(".//p[@class='entry-status status-draft']")
        assert "Fecha de revisión: \u20681 de noviembre de 2028\u2069" in entries["es"].text_content()
        for lang, li in entries.items():
            page = (out / gallery).parent / li.find(".//h2/a" if gallery != "index.html" else ".//h3/a").get("href")
            assert page.is_file() and _doc(page).get("lang") == lang
            links = [a.get("href") for a in li.iter("a")] + [img.get("src") for img in li.iter("img")]
            assert len(links) == 1 + 2 + 8 + 2  # the page, two pictures, eight files, the pictures' sources
            for link in links:
                target = ((out / gallery).parent / link).resolve()
                kind = target.name.split("-")[0]
                if kind in ("large", "deck"):  # formats this build did not make: the page's own download names
                    assert target.parent == page.parent.resolve()
                    continue
                assert target.is_file(), (gallery, link)
            for img in li.iter("img"):
                assert img.get("alt") in ("First page of the leaflet, A4 paper (PDF)",
                                          "Picture of the poster, A3 (PDF)",
                                          "Primera página del folleto, papel A4 (PDF)", "Imagen del póster, A3 (PDF)")
                assert img.getparent().get("href") == img.get("src").replace("preview-", "").replace(".png", ".pdf")
    entry = manifest["site/default/index.html"]
    assert (entry["format"], entry["variant"], entry["article"], entry["lang"], entry["clinic"], entry["pages"]) == (
        "web", "gallery", None, None, "default", 1)
    assert manifest["index.html"]["clinic"] is None
    for path in PREVIEWS:
        entry = manifest[path]
        assert (entry["format"], entry["variant"], entry["article"], entry["pages"]) == ("web", "thumbnail", SEED, 1)
    summary = run_cli("build", "--content", str(built / "content"), "--output", str(out), *FORMATS, "--dry-run")
    assert summary.exit_code == 0 and "would render" not in summary.stdout


def test_each_picture_is_the_first_page_of_its_pdf(built, tmp_path):
    """Decoded and compared with poppler's drawing of the PDF beside it: near to its own, far from the other's."""
    require_tool("pdftoppm")
    from PIL import Image, ImageChops, ImageStat

    out = built / "output"

    def poppler(pdf: Path) -> Image.Image:
        stem = tmp_path / pdf.stem
        subprocess.run(["pdftoppm", "-png", "-f", "1", "-l", "1", "-singlefile", "-scale-to-x", "320",
                        "-scale-to-y", "-1", str(pdf), str(stem)], check=True)
        return Image.open(f"{stem}.png").convert("L")

    # Compared 40 pixels wide, where two renderers' anti-aliasing and the palette no longer differ.
    small = (40, 57)
    drawn = {path: poppler(out / pdf).resize(small, Image.Resampling.BOX) for path, pdf in PREVIEWS.items()}
    for path in PREVIEWS:
        data = (out / path).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        picture = Image.open(io.BytesIO(data))
        assert picture.size == (320, 453) and picture.format == "PNG"
        assert set(picture.info) <= {"transparency"}  # no time, text or resolution chunks
        picture = picture.convert("L").resize(small, Image.Resampling.BOX)
        distance = {other: ImageStat.Stat(ImageChops.difference(picture, image)).mean[0]
                    for other, image in drawn.items()}
        # Its own PDF: about 3 grey levels off on average; the other language's same sheet: 11 or more.
        assert distance[path] < 5, distance
        assert all(distance[path] * 2 < d for other, d in distance.items() if other != path), distance


def test_pictures_and_galleries_are_the_same_bytes_when_made_again(built, copy):
    """Removed and made again from the same PDFs: the same bytes, and nothing else is rendered."""
    out = copy / "output"
    before = {path: (out / path).read_bytes() for path in (*PREVIEWS, *GALLERIES)}
    for path in before:
        (out / path).unlink()
    summary = _build(copy)
    assert sorted(summary["built_paths"]) == sorted(before)
    assert {path: (out / path).read_bytes() for path in before} == before


def test_a_noop_rebuild_renders_nothing_and_an_edit_remakes_only_what_shows_it(copy):
    assert _build(copy)["built"] == 0
    translation = copy / "content" / "articles" / SEED / "translations" / "es.yaml"
    text = translation.read_text(encoding="utf-8")
    translation.write_text(text.replace("Los músculos sostienen y protegen sus huesos",
                                        "Los músculos sostienen y cuidan sus huesos", 1), encoding="utf-8")
    # A Spanish sentence: the Spanish leaflets (and their copies in the site), their page and the
    # picture of the leaflet's first page; no poster shows the paragraph, and no gallery changes.
    built = _build(copy)["built_paths"]
    leaflets = [f"{SEED}/es/default/handout-{paper}.pdf" for paper in ("a4", "letter")]
    site = f"site/default/es/{SEED}/"
    assert sorted(built) == sorted([*leaflets, site + "handout-a4.pdf", site + "handout-letter.pdf",
                                    site + "index.html", site + "preview-handout-a4.png"])
    # An English sentence: its Spanish translation is now out of date, so the Spanish files show the
    # English sentence, marked, and the galleries say so in the Spanish entry; the posters stay.
    article = copy / "content" / "articles" / SEED / "article.yaml"
    article.write_text(article.read_text(encoding="utf-8").replace(
        "Muscles support and protect your bones", "Muscles support and guard your bones", 1), encoding="utf-8")
    built = _build(copy)["built_paths"]
    expected = {*GALLERIES}
    for lang in ("en", "es"):
        site = f"site/default/{lang}/{SEED}/"
        expected |= {f"{SEED}/{lang}/default/handout-a4.pdf", f"{SEED}/{lang}/default/handout-letter.pdf",
                     site + "handout-a4.pdf", site + "handout-letter.pdf", site + "index.html",
                     site + "preview-handout-a4.png"}
    assert sorted(built) == sorted(expected)
    entries = _entries(_doc(copy / "output" / "site/default/index.html"))
    assert "Algunas partes de este folleto" in entries["es"].text_content()
    assert "Algunas partes" not in entries["en"].text_content()


def test_a_hostile_title_is_shown_as_text(project):
    hostile = '<script>alert(1)</script> & "Muscle" <img src=x onerror=alert(2)>'
    project.edit_article(f'title: "{EN_TITLE}"', "title: '" + hostile + "'")
    result = project.cli("build", "--format", "web")
    assert result.exit_code == 0, result.output
    for gallery in GALLERIES:
        text = (project.root / "output" / gallery).read_text(encoding="utf-8")
        assert "<script" not in text and "<img src=x" not in text
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; " in text
        doc = lxml_html.fromstring(text.encode("utf-8"))
        titles = [a.text for a in doc.iter("a") if a.getparent().get("class") == "entry-title"]
        assert hostile in titles
        assert not list(doc.iter("script"))


def test_the_filters_need_no_script_and_each_picks_what_its_rule_hides(built):
    """A radio button per language and a box per kind of file, read by the site's stylesheet."""
    out = built / "output"
    doc = _doc(out / GALLERIES[0])
    css = (out / "site/default" / doc.find(".//link[@rel='stylesheet']").get("href")).read_text(encoding="utf-8")
    picks = {i.get("class").split()[-1]: i for i in doc.iter("input")}
    for lang, li in _entries(doc).items():
        [position] = [c for c in li.get("class").split() if c.startswith("lang-")]
        label = picks[f"pick-{position}"].getparent()
        assert label.find("span").get("lang") == lang
        assert f".gallery:has(.pick-{position}:checked) .entry:not(.{position}) {{ display: none; }}" in css
    for kind in ("handout", "large-print", "poster", "deck"):
        assert picks[f"pick-{kind}"].get("type") == "checkbox" and picks[f"pick-{kind}"].get("checked") is not None
        assert f".gallery:has(.pick-{kind}:not(:checked)) .file-{kind} {{ display: none; }}" in css
    text = (out / GALLERIES[0]).read_text(encoding="utf-8")
    assert "<script" not in text and " style=" not in text and "<style" not in text


# A page of ours outside the site (the gallery itself runs no script): it holds the gallery in frames
# 320 and 1280 CSS px wide, uses its filters as a reader would, and writes what Chromium shows into
# its own DOM, which `--dump-dom` prints.
HARNESS = """<!DOCTYPE html><html><body>
<iframe id="narrow" width="320" height="900" src="{page}"></iframe>
<iframe id="wide" width="1280" height="900" src="{page}"></iframe>
<pre id="out">pending</pre>
<script>
var frames = [...document.querySelectorAll("iframe")], results = {{}}, left = frames.length;
function shown(doc, selector) {{
  return [...doc.querySelectorAll(selector)].filter(function (e) {{ return e.getClientRects().length > 0; }});
}}
frames.forEach(function (frame) {{
  frame.addEventListener("load", function () {{
    var doc = frame.contentDocument, root = doc.documentElement;
    doc.fonts.ready.then(function () {{
      var seen = {{scrollWidth: root.scrollWidth, clientWidth: root.clientWidth,
                  entries: shown(doc, ".entry").map(function (e) {{ return e.lang; }})}};
      doc.querySelector(".pick-lang-2").parentElement.click();
      seen.picked = shown(doc, ".entry").map(function (e) {{ return e.lang; }});
      doc.querySelector(".pick-poster").parentElement.click();
      seen.links = shown(doc, ".entry a").map(function (a) {{ return a.getAttribute("href").split("/").pop(); }});
      results[frame.id] = seen;
      if (--left === 0) document.getElementById("out").textContent = JSON.stringify(results);
    }});
  }});
}});
</script></body></html>"""


def test_in_chromium_the_gallery_reflows_at_320_px_and_its_filters_hide_what_they_name(built, tmp_path):
    require_tool("chromium")
    import re

    harness = tmp_path / "harness.html"
    harness.write_text(HARNESS.format(page=(built / "output" / GALLERIES[0]).as_uri()), encoding="utf-8")
    done = subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                           "--allow-file-access-from-files", "--virtual-time-budget=30000", "--dump-dom",
                           harness.as_uri()], capture_output=True, text=True, timeout=120)
    found = re.search(r'<pre id="out">(.*?)</pre>', done.stdout, re.S)
    assert found and found.group(1) != "pending", done.stdout[-2000:]
    results = json.loads(found.group(1).replace("&quot;", '"'))
    assert results["narrow"]["scrollWidth"] <= results["narrow"]["clientWidth"] == 320
    for seen in results.values():
        assert seen["entries"] == ["en", "es"]
        assert seen["picked"] == ["es"]  # Español, the second language, picked
        assert seen["links"] == ["index.html", "handout-a4.pdf", "handout-a4.pdf", "handout-letter.pdf",
                                 "large-print-a4.pdf", "large-print-letter.pdf", "deck-16x9.pptx"]  # no poster
