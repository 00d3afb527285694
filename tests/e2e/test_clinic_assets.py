"""A clinic's logo and deck template are checked by what they really contain (issue 13).

Every case runs through `validate` and `build` (`project.refused_by_both`),
so `validate` can never pass a file that the renderers would refuse or, worse,
follow outside the project.
"""

from __future__ import annotations

import base64
import io
import struct
import time
import zipfile
import zlib

import pytest
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT

from publisher.content.assets import deck_template_findings, logo_findings
from publisher.targets._deck_render import UnsafeLogo, logo_png
from tests.conftest import TEMPLATES

SVG_HEAD = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">'
CLINIC = "clinics/default.yaml"


def png_bytes(width: int = 4, height: int = 4) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "red").save(buffer, "PNG")
    return buffer.getvalue()


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares `width` × `height` pixels: decoding it would take gigabytes."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def use_logo(project, name: str, data: bytes) -> int:
    (project.content / "clinics" / name).write_bytes(data)
    clinic = project.content / CLINIC
    clinic.write_text(clinic.read_text().replace("default-logo.svg", name))
    return project.line_of("logo:", CLINIC)


def logo_error(line: int, name: str, finding: str, svg: bool = True) -> str:
    hint = ("export the logo again as a plain SVG (shapes and text only) or as PNG" if svg
            else "export the logo again as PNG, at most a few thousand pixels wide")
    return f"content/{CLINIC}:{line}:7: logo: the logo '{name}' is unusable: {finding} — {hint}"


def test_an_svg_logo_naming_an_outside_file_is_refused(project):
    line = use_logo(project, "evil.svg", (SVG_HEAD + '<image width="10" height="10" xlink:href="/etc/hostname"/>'
                                          '<use href="file:///etc/passwd#x"/></svg>').encode())
    assert project.refused_by_both() == [
        logo_error(line, "evil.svg", "a reference to '/etc/hostname' (<image xlink:href>); a logo may refer only"
                   " to its own parts (#id) and to PNG or JPEG pictures written into it (data:image/png;base64,...)"),
        logo_error(line, "evil.svg", "a reference to 'file:///etc/passwd#x' (<use href>); a logo may refer only"
                   " to its own parts (#id) and to PNG or JPEG pictures written into it (data:image/png;base64,...)"),
        "Aborted: 2 errors in 1 file.",
    ]


def test_an_svg_logo_with_entities_is_refused_without_expanding_them(project):
    svg = ('<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
           '<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n' + SVG_HEAD + '<text>&b;&xxe;</text></svg>')
    line = use_logo(project, "entities.svg", svg.encode())
    assert project.refused_by_both() == [
        logo_error(line, "entities.svg", "a DOCTYPE declaration (it can define entities that read files)"),
        logo_error(line, "entities.svg", "the entity reference &b;"),
        logo_error(line, "entities.svg", "the entity reference &xxe;"),
        "Aborted: 3 errors in 1 file.",
    ]


def test_scripts_events_html_and_css_urls_in_an_svg_logo_are_refused(project):
    svg = (SVG_HEAD.replace("<svg ", '<svg onload="alert(1)" ') + "<script>alert(1)</script>"
           '<foreignObject width="5" height="5"><p xmlns="http://www.w3.org/1999/xhtml">hi</p></foreignObject>'
           '<style>rect { fill: url("http://169.254.169.254/latest") }</style>'
           '<rect width="5" height="5" style="fill:url(#ok)"/></svg>')
    line = use_logo(project, "busy.svg", svg.encode())
    outside = ("a reference to 'http://169.254.169.254/latest' (url() in <style>); a logo may refer only to its own"
               " parts (#id) and to PNG or JPEG pictures written into it (data:image/png;base64,...)")
    assert project.refused_by_both() == sorted([
        logo_error(line, "busy.svg", "the event attribute onload= on <svg> (a script)"),
        logo_error(line, "busy.svg", "a <script> element"),
        logo_error(line, "busy.svg", "a <foreignObject> element (HTML inside the picture)"),
        logo_error(line, "busy.svg", outside),
    ]) + ["Aborted: 4 errors in 1 file."]


def test_a_png_logo_declaring_an_enormous_size_is_refused_from_its_header(project):
    line = use_logo(project, "huge.png", png_declaring(100_000, 100_000))
    assert project.refused_by_both() == [
        logo_error(line, "huge.png", "the PNG image declares 100000 × 100000 pixels, more than the limit of 8000"
                   " pixels a side and 25 million in all", svg=False),
        "Aborted: 1 error in 1 file.",
    ]


def test_a_logo_whose_content_is_not_its_kind_is_refused(project):
    line = use_logo(project, "fake.png", (SVG_HEAD + "</svg>").encode())
    assert project.refused_by_both() == [
        logo_error(line, "fake.png", "the file is not a PNG image (it does not start with the PNG signature)",
                   svg=False),
        "Aborted: 1 error in 1 file.",
    ]


def test_an_svg_picture_written_into_an_svg_logo_is_refused(project):
    inner = base64.b64encode((SVG_HEAD + '<image xlink:href="/etc/hostname"/></svg>').encode()).decode()
    line = use_logo(project, "nested.svg", (SVG_HEAD + f'<image href="data:image/svg+xml;base64,{inner}"/></svg>')
                    .encode())
    shown = f"data:image/svg+xml;base64,{inner}"[:57] + "..."  # long addresses are cut short
    assert project.refused_by_both() == [
        logo_error(line, "nested.svg", f"a reference to '{shown}' (<image href>); a logo may refer only to its own"
                   " parts (#id) and to PNG or JPEG pictures written into it (data:image/png;base64,...)"),
        "Aborted: 1 error in 1 file.",
    ]


def test_a_logo_larger_than_the_limit_is_refused_before_it_is_read(project):
    line = use_logo(project, "big.svg", (SVG_HEAD + "<!--" + "x" * (3 * 1024 * 1024) + "--></svg>").encode())
    assert project.refused_by_both() == [
        f"content/{CLINIC}:{line}:7: logo: the logo 'big.svg' is 3.0 MB, more than the 2.0 MB a logo may have"
        " — export it again at a smaller size",
        "Aborted: 1 error in 1 file.",
    ]


def test_a_self_contained_svg_logo_with_internal_references_and_pictures_is_accepted(project):
    picture = base64.b64encode(png_bytes()).decode()
    svg = (SVG_HEAD + '<defs><linearGradient id="g"><stop offset="0" stop-color="red"/></linearGradient>'
           '<path id="p" d="M0 0h5v5z"/></defs><rect width="5" height="5" fill="url(#g)"/><use href="#p"/>'
           f'<image width="4" height="4" xlink:href="data:image/png;base64,{picture}"/></svg>')
    use_logo(project, "good.svg", svg.encode())
    result = project.cli("validate")
    assert result.exit_code == 0, result.output
    png, size = logo_png(svg.encode(), ".svg")
    assert png.startswith(b"\x89PNG") and size[0] == 600


def test_the_deck_renderer_refuses_an_outside_reference_even_when_called_directly(tmp_path):
    red = tmp_path / "red.png"
    red.write_bytes(png_bytes(10, 10))
    svg = (SVG_HEAD + f'<image width="10" height="10" xlink:href="{red}"/></svg>').encode()
    with pytest.raises(UnsafeLogo, match="a reference to"):
        logo_png(svg, ".svg")
    with pytest.raises(UnsafeLogo, match="declares 100000 × 100000 pixels"):
        logo_png(png_declaring(100_000, 100_000), ".png")


def test_the_shipped_logos_and_icons_pass_the_logo_check():
    from tests.conftest import CONTENT

    for path in sorted((CONTENT / "clinics").glob("*.svg")) + sorted((CONTENT / "clinics").glob("*.png")) \
            + sorted((TEMPLATES / "icons").glob("*.svg")):
        assert logo_findings(path.read_bytes(), path.suffix) == [], path


# --- deck templates ----------------------------------------------------------------------------------

def use_template(project, name: str) -> int:
    clinic = project.content / CLINIC
    clinic.write_text(clinic.read_text() + f"deck_template: {name}\n")
    return project.line_of("deck_template:", CLINIC)


def template_error(line: int, name: str, finding: str, hint: str | None = None) -> str:
    hint = hint or "save the template from PowerPoint as .pptx, without large pictures or embedded videos"
    return f"content/{CLINIC}:{line}:16: deck_template: the deck template '{name}' is refused: {finding} — {hint}"


def zip_declaring(path, size: int) -> None:
    """A presentation-shaped zip of a few hundred bytes whose directory declares one part of `size` bytes."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("ppt/presentation.xml", "<p/>")
        archive.writestr("ppt/media/bomb.bin", b"\0" * 1000)
    data = bytearray(path.read_bytes())
    central = data.rindex(b"ppt/media/bomb.bin") - 46  # the name follows the 46-byte central header
    assert data[central:central + 4] == b"PK\x01\x02"
    struct.pack_into("<I", data, central + 24, size)  # the central directory's uncompressed size
    path.write_bytes(bytes(data))


def test_a_zip_bomb_template_is_refused_from_its_directory_without_inflating_it(project):
    path = project.content / "clinics" / "bomb.pptx"
    zip_declaring(path, 0xFFFF0000)
    assert path.stat().st_size < 1000
    started = time.process_time()
    assert deck_template_findings(path) == [
        "its part 'ppt/media/bomb.bin' unpacks to 4.0 GB, more than the 64.0 MB one part may have"]
    assert time.process_time() - started < 0.2
    line = use_template(project, "bomb.pptx")
    assert project.refused_by_both() == [
        template_error(line, "bomb.pptx", "its part 'ppt/media/bomb.bin' unpacks to 4.0 GB, more than the"
                       " 64.0 MB one part may have"),
        "Aborted: 1 error in 1 file.",
    ]


def test_a_template_of_too_many_parts_is_refused(project):
    path = project.content / "clinics" / "many.pptx"
    with zipfile.ZipFile(path, "w") as archive:
        for i in range(2001):
            archive.writestr(f"ppt/slides/s{i}.xml", "")
    line = use_template(project, "many.pptx")
    assert project.refused_by_both() == [
        template_error(line, "many.pptx", "it has 2001 parts, more than the 2000 a deck template may have"),
        "Aborted: 1 error in 1 file.",
    ]


@pytest.mark.parametrize("data, finding", [
    (b"PK\x03\x04 not really a zip", "it is not a valid .pptx (zip) file (File is not a zip file)"),
    (None, "it is a zip file but not a PowerPoint presentation (no ppt/presentation.xml)"),
])
def test_a_template_that_is_not_a_presentation_is_refused(project, data, finding):
    path = project.content / "clinics" / "broken.pptx"
    if data is None:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("word/document.xml", "<w/>")
    else:
        path.write_bytes(data)
    line = use_template(project, "broken.pptx")
    assert project.refused_by_both() == [template_error(line, "broken.pptx", finding), "Aborted: 1 error in 1 file."]


def test_external_relationships_in_a_template_are_refused_naming_part_and_target(project):
    prs = Presentation(str(TEMPLATES / "deck" / "master.pptx"))
    master = prs.slide_master.part
    master.relate_to("http://169.254.169.254/latest/meta-data/", RT.HYPERLINK, is_external=True)
    prs.slide_layouts[0].part.relate_to("file:///etc/passwd", RT.IMAGE, is_external=True)
    prs.slide_layouts[1].part.relate_to("\\\\fileserver\\share\\logo.png", RT.IMAGE, is_external=True)
    prs.save(str(project.content / "clinics" / "linked.pptx"))
    line = use_template(project, "linked.pptx")
    hint = ("remove the links to outside files and addresses in PowerPoint (pictures inserted as links,"
            " hyperlinks on the master), then save it again as .pptx")

    def error(part: str, target: str) -> str:
        return template_error(line, "linked.pptx", f"its part '{part}' links to the outside address '{target}'"
                              " (TargetMode=\"External\"), which every presenter's PowerPoint would open", hint)

    assert project.refused_by_both() == sorted([
        error("ppt/slideMasters/_rels/slideMaster1.xml.rels", "http://169.254.169.254/latest/meta-data/"),
        error("ppt/slideLayouts/_rels/slideLayout1.xml.rels", "file:///etc/passwd"),
        error("ppt/slideLayouts/_rels/slideLayout2.xml.rels", "\\\\fileserver\\share\\logo.png"),
    ]) + ["Aborted: 3 errors in 1 file."]


def test_the_pdf_renderer_reads_no_file_an_svg_picture_names(tmp_path):
    """WeasyPrint fetches an SVG's pictures through the project's fetcher, which refuses the disk."""
    import sys

    from publisher.targets._weasy import lay_out, write_pdf

    secret = tmp_path / "secret-picture.png"
    secret.write_bytes(png_bytes(10, 10))
    opened = []
    sys.addaudithook(lambda event, args: opened.append(args[0])
                     if event == "open" and "secret-picture" in str(args[0]) else None)
    for href in (secret.as_uri(), str(secret), "../" * 12 + str(secret).lstrip("/")):
        svg = (SVG_HEAD + f'<image width="10" height="10" xlink:href="{href}"/></svg>').encode()
        html = f'<img src="data:image/svg+xml;base64,{base64.b64encode(svg).decode()}" alt="x">'
        assert write_pdf(lay_out(html, TEMPLATES, "templates/handout")).startswith(b"%PDF")
    assert opened == []
