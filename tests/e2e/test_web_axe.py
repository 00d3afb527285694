"""The web pages checked by independent tools in a real browser: axe-core's WCAG 2.2 AA rules,
reflow at 320 CSS px, at 200 % zoom and with the reader's text size doubled, the language
switcher followed, the skip link and its focus by keyboard, the page read with JavaScript off
(Debian's Chromium driven by tests/browser/check.mjs through playwright-core), the Nu HTML
checker (vnu.jar on Debian's Java), and every poster's QR code opened in the built site.

Every page of the shipped article, six languages and both clinics, comes from the session's
`seed_output` (built once for the whole suite), and the fixtures' articles (tips, notes, warnings,
text shown in the source language while its translation is missing; an ordinary clinic and one
at the schema's limits) from one small build. One browser reads them all and one Java process
validates them all, side by side; each check's judge is a function that the planted pages prove
able to fail.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from publisher.content import load_project
from publisher.i18n import article_languages
from tests.conftest import CONTENT, FIXTURES, ROOT, SEED, require_tool, run_cli

BROWSER = ROOT / "tests" / "browser"  # package.json and its lock: playwright-core, axe-core, vnu-jar
VNU = BROWSER / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CLINIC = "riverside-physio"  # the clinic whose posters' QR codes are read (its address has a folder of its own)
POSTERS = ("a3", "a2", "tabloid")
# Pages planted beside a fixture's page (so its relative asset addresses resolve), each with one fault.
PLANTED_ARTICLE = "site/test-clinic/en/common-worries"  # in English, Arabic and Chinese
PLANTED = ("axe", "reflow", "switcher", "keyboard", "script", "html")
# Warnings the Nu checker gives every page read from disk: it takes a file's origin as matching no
# `'self'`, and the JSON-LD data block for a script (browsers run neither from a data block, and load
# the site's files from disk and from any host: tests/e2e/test_web_browser.py sees the fonts load).
VNU_FILE_ORIGIN_WARNINGS = ("Resource violates Content Security Policy (meta tag):",
                            "Inline script violates Content Security Policy (meta tag):")


def _require_browser_tools() -> None:
    require_tool("chromium", "node", "java")
    if not (BROWSER / "node_modules" / "playwright-core").is_dir() or not VNU.is_file():
        message = "needs `npm ci --ignore-scripts` in tests/browser (as .ci/run does)"
        if os.environ.get("PUBLISHER_REQUIRE_TOOLS"):
            pytest.fail(message + " (PUBLISHER_REQUIRE_TOOLS is set)")
        pytest.skip(message)


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory) -> Path:
    """The fixtures' articles as web pages: every kind of box, and partly translated pages, for an
    ordinary clinic and for one at the schema's limits (the longest name, address lines, e-mail
    address and page address, and a 4:1 logo), which a phone-width page must still hold."""
    _require_browser_tools()
    out = tmp_path_factory.mktemp("web-axe") / "out"
    result = run_cli("build", "--content", str(FIXTURES), "--output", str(out), "--format", "web",
                     "--clinic", "test-clinic", "at-limits-wide")
    assert result.exit_code == 0, result.output
    _plant(out / PLANTED_ARTICLE)
    return out


def _plant(folder: Path) -> None:
    """Copies of a built page, each with one fault a reader would meet and its check must see."""
    page = (folder / "index.html").read_text(encoding="utf-8")
    stylesheet = '<link rel="stylesheet" href="planted.css">'
    (folder / "planted.css").write_text(".question { color: #b0b0b0; }\n", encoding="utf-8")
    (folder / "planted-focus.css").write_text(".skip-link:focus { top: -10rem; } :focus-visible { outline: none; }\n",
                                              encoding="utf-8")
    (folder / "planted-invalid.css").write_text(".question { colr: #1a1a1a; }\n", encoding="utf-8")
    (folder / "planted.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4">'
                                        '<circle cx="2" cy="2" r="2"/></svg>', encoding="utf-8")
    faults = {
        # A picture without a text alternative, and pale grey text on white (2.2:1).
        "axe": ("</h1>", '</h1><img src="planted.svg" width="40" height="40">',
                "</head>", stylesheet + "</head>"),
        # A line of code that cannot wrap, wider than a phone.
        "reflow": ("</h1>", "</h1><pre>" + "x" * 120 + "</pre>"),
        # A skip link that stays off the screen when focused, and no focus outline.
        "keyboard": ("</head>", '<link rel="stylesheet" href="planted-focus.css"></head>'),
        # The switcher's Arabic link tagged left to right.
        "switcher": ('hreflang="ar" lang="ar" dir="rtl"', 'hreflang="ar" lang="ar" dir="ltr"'),
        # The article's text written by a script (and no policy to stop it): nothing without JavaScript.
        "script": ('<meta http-equiv="Content-Security-Policy"', '<meta name="planted"',
                   '<main id="main_content" tabindex="-1">',
                   '<main id="main_content" tabindex="-1"><div id="planted"></div><script>'
                   'document.getElementById("planted").textContent = "Written by a script.";</script>'),
        # A list holding a paragraph.
        "html": ('<ul class="dates">', '<ul class="dates"><p>Not a list item.</p>'),
    }
    for name, edits in faults.items():
        text = page
        for old, new in zip(edits[::2], edits[1::2]):
            assert old in text, (name, old)
            text = text.replace(old, new, 1)
        (folder / f"planted-{name}.html").write_text(text, encoding="utf-8")


def _real_pages(seed_output: Path, fixture_site: Path) -> list[Path]:
    return sorted((seed_output / "site").rglob("index.html")) + sorted((fixture_site / "site").rglob("index.html"))


def _switcher_pages(seed_output: Path, fixture_site: Path) -> list[Path]:
    """The pages whose switcher is followed, link by link (a second or two a page): English, Arabic
    and Chinese at an address with a folder of its own, Arabic at a website's, and a fixture's
    Arabic page, whose article has three languages. Between them they land on every page of the
    shipped article."""
    return [*(seed_output / f"site/{CLINIC}/leaflets/{lang}/{SEED}/index.html" for lang in ("en", "ar", "zh-Hans")),
            seed_output / f"site/default/ar/{SEED}/index.html",
            fixture_site / "site/test-clinic/ar/common-worries/index.html"]


def _planted(fixture_site: Path, name: str) -> Path:
    return fixture_site / PLANTED_ARTICLE / f"planted-{name}.html"


@pytest.fixture(scope="module")
def checked(seed_output, fixture_site) -> dict:
    """Every page through the browser, and through the Nu checker at the same time (one Java
    process; the stylesheets too): {"browser": {page: results}, "vnu": [messages]}."""
    pages = _real_pages(seed_output, fixture_site)
    planted = [_planted(fixture_site, name) for name in PLANTED]
    stylesheets = sorted((seed_output / "site").glob("*/assets/*.css")) + sorted(
        (fixture_site / "site").glob("*/assets/*.css"))
    invalid = [_planted(fixture_site, "html"), fixture_site / PLANTED_ARTICLE / "planted-invalid.css"]
    vnu = subprocess.Popen(["java", "-Xss4m", "-jar", str(VNU), "--format", "json", "--stdout", "--also-check-css",
                            *map(str, [*pages, *stylesheets, *invalid])],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        return _read_all(seed_output, fixture_site, pages, planted, vnu)
    finally:
        vnu.kill()
        vnu.wait()


def _read_all(seed_output, fixture_site, pages, planted, vnu) -> dict:
    followed = set(_switcher_pages(seed_output, fixture_site)) | {_planted(fixture_site, "switcher")}
    job = {"chromium": shutil.which("chromium"), "pages": [
        {"url": page.as_uri(), "checks": ["axe", "reflow", "keyboard", *(["switcher"] if page in followed else [])]}
        for page in [*pages, *planted]]}
    browser = subprocess.run(["node", str(BROWSER / "check.mjs")], input=json.dumps(job), capture_output=True,
                             text=True, timeout=300, cwd=BROWSER)
    vnu_out, vnu_err = vnu.communicate(timeout=300)
    assert browser.returncode == 0, browser.stderr[-3000:]
    assert vnu.returncode in (0, 1), vnu_err[-3000:]  # 1: it found errors (the planted page has some)
    results = json.loads(browser.stdout)["pages"]
    return {"browser": {Path(unquote(urlsplit(url).path)): found for url, found in results.items()},
            "vnu": json.loads(vnu_out)["messages"]}


# --- The judges: what each check must find, as lines a person can read -----------------------

def axe_problems(found: dict) -> list[str]:
    problems = []
    for width, result in found["axe"].items():
        for violation in result["violations"]:
            problems += [f"{width} px: {violation['id']}: {violation['help']}: {node['target']}"
                         for node in violation["nodes"]]
        # A rule axe could not decide ("needs review") is no pass: it once skipped Arabic text.
        problems += [f"{width} px: {item['id']} undecided: {', '.join(item['nodes'])}" for item in result["incomplete"]]
        if "color-contrast" not in result["passes"] + [v["id"] for v in result["violations"]]:
            problems.append(f"{width} px: color-contrast was not checked")
    return problems


def reflow_problems(found: dict) -> list[str]:
    problems = []
    for name, (width, scale, body_px) in {"320": (320, 1, 18), "zoom200": (640, 2, 18), "text200": (1280, 1, 36)}.items():
        seen = found["reflow"][name]
        # The window and the reader's text size were set (the body follows the reader's size: 112.5 % of it).
        assert (seen["innerWidth"], seen["devicePixelRatio"]) == (width, scale), seen
        assert seen["bodyPx"] >= body_px, (name, seen)
        if seen["scrollWidth"] > seen["clientWidth"]:
            problems.append(f"{name}: {seen['scrollWidth']} px wide in a {seen['clientWidth']} px window")
    return problems


def switcher_problems(page: Path, found: dict, languages: set[str]) -> list[str]:
    problems = []
    links = found["scriptless"]["switcher"]
    if {link["lang"] for link in links} != languages:
        problems.append(f"lists {sorted(link['lang'] for link in links)}, the article has {sorted(languages)}")
    for link in links:
        target = Path(unquote(urlsplit(link["href"]).path))
        if link["landed"] != link["href"] or not target.is_file():
            problems.append(f"{link['text']}: leads to {link['landed']}, not {link['href']}")
        if (link["pageLang"], link["pageDir"]) != (link["lang"], link["dir"]):
            problems.append(f"{link['text']}: tagged {link['lang']}/{link['dir']},"
                            f" opens a page in {link['pageLang']}/{link['pageDir']}")
        if (link["current"] == "page") != (target == page):
            problems.append(f"{link['text']}: aria-current={link['current']} on {target}")
    return problems


def keyboard_problems(found: dict) -> list[str]:
    """The first Tab lands on the skip link, shown on the screen with a visible outline, and Enter on
    it takes the focus where it points: the article, or a gallery's list past its filters (WCAG 2.4.1
    and 2.4.7)."""
    seen, problems = found["scriptless"]["keyboard"], []
    target = "gallery_list" if seen["href"] == "#gallery_list" else "main_content"
    if (seen["className"], seen["href"]) != ("skip-link", f"#{target}"):
        problems.append(f"the first Tab focuses {seen['className'] or 'an element'} ({seen['href']}), not the skip link")
    if not (0 <= seen["top"] < seen["bottom"] <= seen["innerHeight"] and 0 <= seen["left"] < seen["right"] <= seen["innerWidth"]):
        problems.append(f"the focused skip link is off the screen ({seen['left']:.0f}, {seen['top']:.0f})")
    if seen["outlineStyle"] == "none" or seen["outlineWidth"] < 2:
        problems.append(f"the focus has no visible outline ({seen['outlineStyle']} {seen['outlineWidth']:g} px)")
    if seen["afterEnter"] != target:
        problems.append(f"Enter on the skip link focuses {seen['afterEnter']!r}, not {target!r}")
    return problems


def script_problems(found: dict) -> list[str]:
    off, on = found["scriptless"]["text"], found["scripted"]
    problems = []
    if not off["main"] or len(off["main"]) < 200:
        problems.append(f"with JavaScript off, <main> holds {len(off['main'] or '')} characters")
    if off != on:
        problems.append("the page reads differently with JavaScript on")
    return problems


def vnu_problems(messages: list[dict], page: Path) -> list[str]:
    return [f"{m.get('lastLine')}: {m['message']}" for m in messages
            if Path(unquote(urlsplit(m.get("url", "")).path)) == page
            and (m["type"] == "error" or m["type"] == "non-document-error"
                 or (m.get("subType") == "warning" and not m["message"].startswith(VNU_FILE_ORIGIN_WARNINGS)))]


def _none(problems: dict[Path, list[str]]) -> None:
    """Fail with one line per problem, named by its file, when any file has one."""
    lines = [f"{path}: {line}" for path, found in problems.items() for line in found]
    assert not lines, "\n".join(lines)


# --- The pages pass -------------------------------------------------------------------------

def test_the_browser_read_every_page_of_the_six_languages(checked, seed_output, fixture_site):
    pages = _real_pages(seed_output, fixture_site)
    # The shipped article for two clinics, the fixtures' for two, and each of the four clinics' gallery.
    assert len(pages) == 2 * 6 + 2 * 6 + 4
    assert len([p for p in pages if p.parent.name in ("default", "riverside-physio", "test-clinic",
                                                       "at-limits-wide")]) == 4
    assert {p.parent.parent.name for p in pages if SEED in p.parts} == {"en", "es", "fr", "de", "zh-Hans", "ar"}
    assert set(pages) <= set(checked["browser"])


def test_axe_core_finds_no_wcag_2_2_aa_violation_on_any_page(checked, seed_output, fixture_site):
    problems = {page: axe_problems(checked["browser"][page]) for page in _real_pages(seed_output, fixture_site)}
    _none(problems)


def test_every_page_reflows_at_320_px_at_200_percent_zoom_and_with_text_twice_as_large(checked, seed_output, fixture_site):
    problems = {page: reflow_problems(checked["browser"][page]) for page in _real_pages(seed_output, fixture_site)}
    _none(problems)


def test_the_switchers_links_land_on_the_page_in_their_language_and_direction(checked, seed_output, fixture_site):
    problems, projects = {}, {True: load_project(FIXTURES), False: load_project(CONTENT)}
    for page in _switcher_pages(seed_output, fixture_site):
        project = projects[page.is_relative_to(fixture_site)]
        article = next(a for a in project.articles if a in page.parts)
        problems[page] = switcher_problems(page, checked["browser"][page], set(article_languages(project.articles[article])))
    _none(problems)
    # Arabic opens right to left, the others left to right, each tagged with its own language.
    landed = {(link["pageLang"], link["pageDir"])
              for link in checked["browser"][seed_output / f"site/{CLINIC}/leaflets/en/{SEED}/index.html"]
              ["scriptless"]["switcher"]}
    assert landed == {("ar", "rtl"), *((lang, "ltr") for lang in ("en", "es", "fr", "de", "zh-Hans"))}


def test_the_skip_link_comes_first_shows_its_focus_and_leads_to_the_article(checked, seed_output, fixture_site):
    _none({page: keyboard_problems(checked["browser"][page]) for page in _real_pages(seed_output, fixture_site)})


def test_every_page_reads_the_same_with_javascript_off(checked, seed_output, fixture_site):
    problems = {page: script_problems(checked["browser"][page]) for page in _real_pages(seed_output, fixture_site)}
    _none(problems)


def test_the_nu_html_checker_finds_no_error_in_any_page_or_stylesheet(checked, seed_output, fixture_site):
    files = _real_pages(seed_output, fixture_site) + sorted((seed_output / "site").glob("*/assets/*.css")) + sorted(
        (fixture_site / "site").glob("*/assets/*.css"))
    problems = {path: vnu_problems(checked["vnu"], path) for path in files}
    _none(problems)
    checked_files = {Path(unquote(urlsplit(m["url"]).path)) for m in checked["vnu"] if "url" in m}
    assert set(_real_pages(seed_output, fixture_site)) <= checked_files  # each page gave its file-origin warnings


# --- Each check catches a planted fault -----------------------------------------------------

def test_axe_catches_a_picture_without_alternative_text_and_pale_text(checked, fixture_site):
    found = checked["browser"][_planted(fixture_site, "axe")]
    assert sorted({line.split(": ")[1] for line in axe_problems(found)}) == ["color-contrast", "image-alt"]


def test_the_reflow_check_catches_a_line_wider_than_a_phone(checked, fixture_site):
    problems = reflow_problems(checked["browser"][_planted(fixture_site, "reflow")])
    assert [line.split(":")[0] for line in problems] == ["320", "zoom200", "text200"]


def test_the_switcher_check_catches_a_link_tagged_with_another_language(checked, fixture_site):
    page = _planted(fixture_site, "switcher")
    problems = switcher_problems(page, checked["browser"][page], {"en", "zh-Hans", "ar"})
    # (The planted copy is not the page its own-language link names, so that link's mark is wrong too.)
    assert problems == ["English: aria-current=page on " + str(fixture_site / PLANTED_ARTICLE / "index.html"),
                        "العربية: tagged ar/ltr, opens a page in ar/rtl"]


def test_the_keyboard_check_catches_a_skip_link_kept_off_the_screen_without_an_outline(checked, fixture_site):
    assert keyboard_problems(checked["browser"][_planted(fixture_site, "keyboard")]) == [
        "the focused skip link is off the screen (9, -180)", "the focus has no visible outline (none 3 px)"]


def test_the_script_check_catches_text_only_a_script_writes(checked, fixture_site):
    assert script_problems(checked["browser"][_planted(fixture_site, "script")]) == [
        "the page reads differently with JavaScript on"]


def test_the_nu_html_checker_catches_a_paragraph_in_a_list_and_a_misspelt_property(checked, fixture_site):
    problems = vnu_problems(checked["vnu"], _planted(fixture_site, "html"))
    assert [line.split(": ", 1)[1] for line in problems] == [
        "Element “p” not allowed as child of element “ul” in this context. (Suppressing further errors from this"
        " subtree.)"]
    assert vnu_problems(checked["vnu"], fixture_site / PLANTED_ARTICLE / "planted-invalid.css") == [
        "1: CSS: “colr”: Property “colr” doesn't exist."]


# --- Every poster's QR code opens its page ---------------------------------------------------

def test_every_posters_qr_code_opens_a_built_page_in_the_posters_language(seed_output, tmp_path):
    require_tool("pdftoppm")
    import zxingcpp
    from lxml import html as lxml_html
    from PIL import Image

    languages = article_languages(load_project(CONTENT).articles[SEED])
    assert len(languages) == 6
    opened = []
    for lang in languages:
        for sheet in POSTERS:
            pdf = seed_output / SEED / lang / CLINIC / f"poster-{sheet}.pdf"
            stem = tmp_path / f"{lang}-{sheet}"
            subprocess.run(["pdftoppm", "-png", "-r", "50", "-singlefile", str(pdf), str(stem)], check=True)
            [code] = zxingcpp.read_barcodes(Image.open(f"{stem}.png"))
            folders = [unquote(s) for s in urlsplit(code.text).path.split("/") if s]
            page = seed_output / "site" / CLINIC / Path(*folders) / "index.html"
            assert page.is_file(), (pdf, code.text)
            assert lxml_html.fromstring(page.read_bytes()).get("lang") == lang, (pdf, code.text)
            assert (page.parent / pdf.name).read_bytes() == pdf.read_bytes()  # its download is this very poster
            opened.append(page)
    assert len(set(opened)) == 6
