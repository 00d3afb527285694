"""A clinic's own files checked by what they really are: its logo and its deck template.

A file's name and first bytes say little: an SVG is a program for its
renderer (it can name files on disk, entities, scripts), a PNG header can
declare billions of pixels, a .pptx is a zip that can declare a part of
gigabytes and relationships to outside addresses that every presenter's
PowerPoint would follow. Everything here reads headers and parses with
bounded parsers; nothing is decoded, inflated or fetched before it is
known to be small and self-contained. Each finding is a short phrase that
the clinic check turns into a located problem; the renderers call the same
checks again, so a file that skipped `validate` is never trusted either.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
import struct
import zipfile
import zlib
from pathlib import Path

from lxml import etree

from publisher.content import files
from publisher.content.models import Clinic
from publisher.content.yamlsource import YamlDocument
from publisher.errors import Problem

# Limits, documented in the README ("Clinic files"). A logo is a small picture
# printed a few centimetres wide; a slide master with its pictures is a few MB.
MAX_LOGO_BYTES = 2 * 1024 * 1024
MAX_LOGO_SIDE = 8000  # pixels, either side of a PNG (or of a picture inside an SVG)
MAX_LOGO_PIXELS = 25_000_000  # width × height: decoding this takes about 100 MB
MAX_DECK_TEMPLATE_BYTES = 50 * 1024 * 1024
MAX_DECK_PART_BYTES = 64 * 1024 * 1024  # one part, inflated
MAX_DECK_TOTAL_BYTES = 256 * 1024 * 1024  # every part, inflated
MAX_DECK_PARTS = 2000

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
MAX_FINDINGS = 5  # a hostile file can have thousands; the first few say what to fix

# Pictures an SVG may carry inline; anything else (another SVG, a web page)
# could carry outside references of its own.
_DATA_IMAGE = re.compile(r"data:image/(png|jpeg|jpg);base64,([A-Za-z0-9+/=\s]*)\Z", re.IGNORECASE)
_CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
_INTERNAL = re.compile(r"#[A-Za-z_][\w.:-]*\Z")
_REFUSED_ELEMENTS = {
    "script": "a <script> element",
    "foreignObject": "a <foreignObject> element (HTML inside the picture)",
}


def safe_parser() -> etree.XMLParser:
    """An XML parser that reads no DTD, expands no entity, opens no network, and keeps lxml's size limits."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                           dtd_validation=False, remove_comments=True)


# --- the clinic check ------------------------------------------------------------------------------------

def check_logo(clinic: Clinic, path: Path, doc: YamlDocument, shown_folder: str) -> tuple[Path | None, list[Problem]]:
    """The clinic's logo: inside its folder, a file, and an image that renders alone."""
    logo = (path.parent / clinic.logo).resolve()
    line, col = doc.source.locate(("logo",))

    def problem(message: str, hint: str) -> tuple[None, list[Problem]]:
        return None, [Problem(doc.source.file, line, col, "logo", message, hint)]

    if not logo.is_relative_to(path.parent.resolve()):
        return problem(f"the logo '{clinic.logo}' is outside the clinics folder",
                       "copy the logo next to the clinic's YAML file and give its file name")
    if not logo.is_file():
        if logo.exists():  # a pipe, device or folder: never opened
            return problem(f"the logo '{clinic.logo}' is {files.kind_of(logo.stat().st_mode)}, not a file",
                           "replace it with the image file itself")
        return problem(f"the logo file '{clinic.logo}' does not exist",
                       f"put the file in {shown_folder}/ or correct the name")
    if logo.stat().st_size > MAX_LOGO_BYTES:  # before reading it
        return problem(f"the logo '{clinic.logo}' is {_mb(logo.stat().st_size)}, more than the"
                       f" {_mb(MAX_LOGO_BYTES)} a logo may have", "export it again at a smaller size")
    findings = logo_findings(logo.read_bytes(), logo.suffix.lower())
    if findings:
        hint = ("export the logo again as a plain SVG (shapes and text only) or as PNG" if logo.suffix.lower() == ".svg"
                else "export the logo again as PNG, at most a few thousand pixels wide")
        return None, [Problem(doc.source.file, line, col, "logo", f"the logo '{clinic.logo}' is unusable: {f}", hint)
                      for f in findings]
    return logo, []


def check_deck_template(clinic: Clinic, path: Path, doc: YamlDocument,
                        shown_folder: str) -> tuple[Path | None, list[Problem]]:
    """The clinic's own .pptx: inside its folder, bounded, a presentation, and linking nowhere outside."""
    if clinic.deck_template is None:
        return None, []
    template = (path.parent / clinic.deck_template).resolve()
    line, col = doc.source.locate(("deck_template",))
    name = clinic.deck_template
    if not template.is_relative_to(path.parent.resolve()):
        found = [(f"the deck template '{name}' is outside the clinics folder",
                  "copy the template next to the clinic's YAML file and give its file name")]
    elif not template.is_file():
        found = [(f"the deck template '{name}' is {files.kind_of(template.stat().st_mode)}, not a file",
                  "replace it with the .pptx file itself") if template.exists() else
                 (f"the deck template file '{name}' does not exist",
                  f"put the file in {shown_folder}/ or correct the name")]
    else:
        hint = ("remove the links to outside files and addresses in PowerPoint (pictures inserted as"
                " links, hyperlinks on the master), then save it again as .pptx")
        found = [(f"the deck template '{name}' is refused: {f}",
                  hint if "outside address" in f else "save the template from PowerPoint as .pptx, without"
                  " large pictures or embedded videos") for f in deck_template_findings(template)]
    if found:
        return None, [Problem(doc.source.file, line, col, "deck_template", m, h) for m, h in found]
    return template, []


# --- logos -----------------------------------------------------------------------------------------------

def logo_findings(data: bytes, suffix: str) -> list[str]:
    """What makes these bytes unusable as a logo of this kind (`.svg` or `.png`); empty if nothing."""
    if len(data) > MAX_LOGO_BYTES:
        return [f"the file is {_mb(len(data))}, more than the {_mb(MAX_LOGO_BYTES)} a logo may have"]
    if suffix == ".png":
        return png_findings(data)
    if suffix == ".svg":
        return svg_findings(data)
    return [f"'{suffix}' is neither .svg nor .png"]


def png_findings(data: bytes) -> list[str]:
    """Read the size from the IHDR header (the first chunk, by the PNG standard) before anything decodes it."""
    if not data.startswith(PNG_SIGNATURE):
        return ["the file is not a PNG image (it does not start with the PNG signature)"]
    if len(data) < 33 or data[12:16] != b"IHDR":
        return ["the PNG image has no IHDR header"]
    width, height = struct.unpack(">II", data[16:24])
    found = _size_findings(width, height, "the PNG image")
    if found:
        return found
    try:
        from PIL import Image

        with Image.open(io.BytesIO(data)) as image:
            image.verify()  # chunk checksums, without decoding the pixels
    except Exception as exc:  # noqa: BLE001 - Pillow raises many kinds for a broken file
        return [f"the PNG image is damaged ({_short(exc)})"]
    return []


def _size_findings(width: int, height: int, what: str) -> list[str]:
    if width == 0 or height == 0:
        return [f"{what} declares a size of {width} × {height} pixels"]
    if max(width, height) > MAX_LOGO_SIDE or width * height > MAX_LOGO_PIXELS:
        return [f"{what} declares {width} × {height} pixels, more than the limit of {MAX_LOGO_SIDE} pixels a side"
                f" and {MAX_LOGO_PIXELS // 1_000_000} million in all"]
    return []


def svg_findings(data: bytes) -> list[str]:
    """Parse the SVG without resolving anything and list what could reach outside it or run."""
    try:
        tree = etree.parse(io.BytesIO(data), safe_parser())
    except etree.XMLSyntaxError as exc:
        return [f"the SVG is not well-formed XML (line {exc.lineno}: {_short(exc.msg)})"]
    root = tree.getroot()
    findings: list[str] = []
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        findings.append("a DOCTYPE declaration (it can define entities that read files)")
    if root.tag != f"{{{SVG_NS}}}svg":
        findings.append(f"the outermost element is <{etree.QName(root).localname}>, not an SVG <svg>")
    for sibling in (*root.itersiblings(preceding=True), *root.itersiblings()):
        if isinstance(sibling, etree._ProcessingInstruction):
            findings.append(f"a <?{sibling.target}?> instruction (it can load an outside style sheet)")
    for node in root.iter():
        findings += _node_findings(node)
        if len(findings) >= MAX_FINDINGS:
            break
    return list(dict.fromkeys(findings))[:MAX_FINDINGS]


def _node_findings(node) -> list[str]:
    if isinstance(node, etree._Entity):
        return [f"the entity reference &{node.name};"]
    if isinstance(node, etree._ProcessingInstruction):
        return [f"a <?{node.target}?> instruction (it can load an outside style sheet)"]
    if not isinstance(node.tag, str):
        return []
    name = etree.QName(node).localname
    found = []
    if name in _REFUSED_ELEMENTS:
        found.append(_REFUSED_ELEMENTS[name])
    for attribute, value in node.attrib.items():
        local = etree.QName(attribute).localname
        if local.lower().startswith("on"):
            found.append(f"the event attribute {local}= on <{name}> (a script)")
        elif local == "href":
            found += _reference_findings(value, f"<{name} {'xlink:' if XLINK_NS in attribute else ''}href>")
        elif "url(" in value.lower():
            found += _css_findings(value, f"<{name} {local}>")
    if name == "style" and node.text:
        found += _css_findings(node.text, "<style>")
        if "@import" in node.text.lower():
            found.append("an @import in <style> (it loads an outside style sheet)")
    return found


def _css_findings(css: str, where: str) -> list[str]:
    return [f for match in _CSS_URL.finditer(css) for f in _reference_findings(match.group(2), f"url() in {where}")]


def _reference_findings(target: str, where: str) -> list[str]:
    target = target.strip()
    if _INTERNAL.match(target):
        return []
    picture = _DATA_IMAGE.match(target)
    if picture:
        return _embedded_picture_findings(picture.group(2), where)
    shown = target if len(target) <= 60 else target[:57] + "..."
    return [f"a reference to '{shown}' ({where}); a logo may refer only to its own parts (#id)"
            " and to PNG or JPEG pictures written into it (data:image/png;base64,...)"]


def _embedded_picture_findings(encoded: str, where: str) -> list[str]:
    try:
        raw = base64.b64decode("".join(encoded.split()), validate=True)
    except (binascii.Error, ValueError):
        return [f"a picture written into the SVG ({where}) that is not valid base64"]
    try:
        from PIL import Image

        with Image.open(io.BytesIO(raw)) as image:  # reads the header only
            kind, (width, height) = image.format, image.size
    except Exception:  # noqa: BLE001 - Pillow raises many kinds for a broken file
        return [f"a picture written into the SVG ({where}) that is not a readable PNG or JPEG"]
    if kind not in ("PNG", "JPEG"):
        return [f"a picture written into the SVG ({where}) that is {kind}, not PNG or JPEG"]
    return _size_findings(width, height, f"a picture written into the SVG ({where})")


# --- deck templates --------------------------------------------------------------------------------------

def deck_template_findings(path: Path) -> list[str]:
    """What makes the file unusable as a deck template; empty if nothing."""
    return deck_template_zip_findings(path) or _opens_as_presentation(path)


def deck_template_zip_findings(path: Path) -> list[str]:
    """Sizes from the zip's directory (nothing inflated), then every relationship's target mode."""
    size = path.stat().st_size
    if size > MAX_DECK_TEMPLATE_BYTES:
        return [f"the file is {_mb(size)}, more than the {_mb(MAX_DECK_TEMPLATE_BYTES)} a deck template may have"]
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            found = _zip_size_findings(infos)
            if found:
                return found
            names = {info.filename for info in infos}
            if "[Content_Types].xml" not in names or "ppt/presentation.xml" not in names:
                return ["it is a zip file but not a PowerPoint presentation (no ppt/presentation.xml)"]
            found = []
            for info in infos:
                if info.filename.endswith(".rels"):
                    found += _relationship_findings(info.filename, archive.read(info))
            return list(dict.fromkeys(found))[:MAX_FINDINGS]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, RuntimeError, zlib.error) as exc:
        return [f"it is not a valid .pptx (zip) file ({_short(exc)})"]


def _zip_size_findings(infos: list[zipfile.ZipInfo]) -> list[str]:
    if len(infos) > MAX_DECK_PARTS:
        return [f"it has {len(infos)} parts, more than the {MAX_DECK_PARTS} a deck template may have"]
    for info in infos:
        if info.file_size > MAX_DECK_PART_BYTES:
            return [f"its part '{info.filename}' unpacks to {_mb(info.file_size)},"
                    f" more than the {_mb(MAX_DECK_PART_BYTES)} one part may have"]
    total = sum(info.file_size for info in infos)
    if total > MAX_DECK_TOTAL_BYTES:
        return [f"its parts unpack to {_mb(total)}, more than the {_mb(MAX_DECK_TOTAL_BYTES)} a deck template"
                " may have"]
    return []


def _relationship_findings(part: str, data: bytes) -> list[str]:
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        return [f"its part '{part}' is not well-formed XML ({_short(exc.msg)})"]
    found = []
    for rel in root.iter(f"{{{REL_NS}}}Relationship"):
        if (rel.get("TargetMode") or "").lower() == "external":
            target = rel.get("Target") or ""
            shown = target if len(target) <= 80 else target[:77] + "..."
            found.append(f"its part '{part}' links to the outside address '{shown}' (TargetMode=\"External\"),"
                         " which every presenter's PowerPoint would open")
    return found


def _opens_as_presentation(path: Path) -> list[str]:
    try:
        from pptx import Presentation

        Presentation(str(path))
    except Exception as exc:  # noqa: BLE001 - python-pptx raises many kinds for a broken package
        return [f"PowerPoint's format cannot be read from it ({_short(exc)})"]
    return []


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size < 1024 ** 3 else f"{size / 1024 ** 3:.1f} GB"


def _short(exc: object) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 100 else text[:97] + "..."
