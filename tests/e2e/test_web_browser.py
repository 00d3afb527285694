"""The web pages in a real browser: Debian's Chromium, headless, driven by its command line alone.

A harness page (ours, outside the site: the pages themselves run no script) holds each page in
frames 320 and 1280 CSS px wide and writes what the browser measured into its own DOM, which
`--dump-dom` prints: no horizontal scrolling at 320 px (WCAG 1.4.10), body text of 18 px or
more, and the site's own fonts loaded for the page's script (so the Content-Security-Policy
lets the site's files through, from disk too). Screenshots of each are left beside the build
for a person to look at.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import CONTENT, TEMPLATES, require_tool, run_cli

PAGES = {"en": "Publisher Noto Sans", "ar": "Publisher Noto Naskh Arabic", "zh-Hans": "Publisher Noto Sans CJK SC"}
WIDTHS = (320, 1280)
CLINIC_FOLDER = "site/riverside-physio/leaflets"
ARTICLE = "muscle-mass-loss-and-pain"

HARNESS = """<!DOCTYPE html><html><body>
{frames}
<pre id="out">pending</pre>
<script>
var frames = [...document.querySelectorAll("iframe")], results = {{}}, left = frames.length;
frames.forEach(function (frame) {{
  frame.addEventListener("load", function () {{
    var doc = frame.contentDocument, root = doc.documentElement;
    doc.fonts.ready.then(function () {{
      results[frame.id] = {{
        scrollWidth: root.scrollWidth, clientWidth: root.clientWidth,
        lang: root.lang, dir: root.dir,
        bodyPx: parseFloat(frame.contentWindow.getComputedStyle(doc.querySelector("main p")).fontSize),
        fonts: [...doc.fonts].filter(function (f) {{ return f.status === "loaded"; }}).map(function (f) {{ return f.family; }})
      }};
      if (--left === 0) document.getElementById("out").textContent = JSON.stringify(results);
    }});
  }});
}});
</script></body></html>"""


def _chromium(*args: str) -> str:
    done = subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", *args],
                          capture_output=True, text=True, timeout=120)
    return done.stdout


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    require_tool("chromium")
    out = tmp_path_factory.mktemp("web-browser") / "out"
    result = run_cli("build", "--content", str(CONTENT), "--output", str(out), "--format", "web",
                     "--clinic", "riverside-physio")
    assert result.exit_code == 0, result.output
    return out


def _measure(out: Path, lang: str) -> dict:
    """What Chromium measures of the page in `lang`, in frames of each width."""
    page = (out / CLINIC_FOLDER / lang / ARTICLE / "index.html").as_uri()
    frames = "\n".join(f'<iframe id="{lang}-{width}" width="{width}" height="800" src="{page}"></iframe>'
                       for width in WIDTHS)
    harness = out.parent / f"harness-{lang}.html"
    harness.write_text(HARNESS.format(frames=frames), encoding="utf-8")
    dom = _chromium("--allow-file-access-from-files", "--virtual-time-budget=30000", "--dump-dom", harness.as_uri())
    found = re.search(r'<pre id="out">(.*?)</pre>', dom, re.S)
    assert found and found.group(1) != "pending", dom[-2000:]
    return json.loads(found.group(1).replace("&quot;", '"'))


@pytest.mark.parametrize("lang", PAGES)
def test_pages_reflow_at_320_px_with_large_type_and_the_sites_own_fonts(built, lang):
    results = _measure(built, lang)
    for width in WIDTHS:
        seen = results[f"{lang}-{width}"]
        assert (seen["lang"], seen["dir"]) == (lang, "rtl" if lang == "ar" else "ltr")
        assert seen["clientWidth"] >= width - 20  # the frame's own scroll bar, if any
        assert seen["scrollWidth"] <= seen["clientWidth"], (lang, width, seen)
        assert seen["bodyPx"] >= 18, (lang, width, seen)
        assert PAGES[lang] in seen["fonts"], (lang, width, seen)


@pytest.mark.parametrize("lang", PAGES)
@pytest.mark.parametrize("width", WIDTHS)
def test_a_screenshot_of_each_page_is_made_for_a_person_to_look_at(built, lang, width):
    shot = built.parent / f"page-{lang}-{width}.png"
    page = built / CLINIC_FOLDER / lang / ARTICLE / "index.html"
    _chromium(f"--window-size={width},2000", f"--screenshot={shot}", page.as_uri())
    assert shot.stat().st_size > 10_000


def test_the_reflow_check_sees_a_page_wider_than_320_px(tmp_path):
    require_tool("chromium")
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    with (templates / "web" / "site.css.j2").open("a", encoding="utf-8") as css:
        css.write("main { min-width: 30rem; }\n")
    out = tmp_path / "out"
    result = run_cli("build", "--content", str(CONTENT), "--templates", str(templates), "--output", str(out),
                     "--format", "web", "--clinic", "riverside-physio", "--lang", "en")
    assert result.exit_code == 0, result.output
    seen = _measure(out, "en")["en-320"]
    assert seen["scrollWidth"] > seen["clientWidth"], seen
