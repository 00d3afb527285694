"""Make templates/deck/master.pptx, the slide master every deck is built on.

The master is a source file with a recipe: this script starts from
python-pptx's default template and rewrites its slide size (16:9), theme,
master text styles and layouts, so that the file can be reviewed as code and
made again byte for byte (`make deck-master`). The deck target fills the
layouts' placeholders by name; a clinic's corporate template works when it
has layouts and placeholders with the same names.

Design for an audience of older adults, some with low vision, seeing the
slides across a room: large type (titles 44-60 pt, body 32 pt), near-black
text on white, the clinic's primary colour (checked for contrast on white)
for titles and bands, its light accent for the footer band. The brand
colours here are neutral stand-ins: the build puts each clinic's into the
theme.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.util import Emu

from publisher.targets._pptx_zip import repack

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "templates" / "deck" / "master.pptx"
DATE = dt.date(2026, 1, 1)  # stamped into the file; change it only with the design

NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
XMLNS = " ".join(f'xmlns:{k}="{v}"' for k, v in NS.items())
W, H = 12192000 / 914400, 7.5  # inches, 16:9 (PowerPoint's widescreen size)
MARGIN = 0.6
INK = "1A1A1A"  # near-black body text: 17:1 on white
BRAND_PRIMARY, BRAND_ACCENT = "1F4E79", "E7EEF6"  # replaced per clinic at build time


def emu(inches: float) -> int:
    return round(inches * 914400)


def xfrm(x: float, y: float, w: float, h: float) -> str:
    return f'<a:xfrm><a:off x="{emu(x)}" y="{emu(y)}"/><a:ext cx="{emu(w)}" cy="{emu(h)}"/></a:xfrm>'


def run_props(size: int, colour: str, bold: bool = False, font: str = "mn") -> str:
    return (f'<a:defRPr sz="{size * 100}" b="{int(bold)}" kern="0"><a:solidFill><a:schemeClr val="{colour}"/>'
            f'</a:solidFill><a:latin typeface="+{font}-lt"/><a:ea typeface="+{font}-ea"/>'
            f'<a:cs typeface="+{font}-cs"/></a:defRPr>')


def level(size: int, colour: str, *, bold: bool = False, font: str = "mn", align: str = "l",
          bullet: str | None = None, margin: float = 0.0, space_before: int = 0) -> str:
    marker = (f'<a:buClr><a:schemeClr val="accent1"/></a:buClr><a:buFont typeface="Arial"/>'
              f'<a:buChar char="{bullet}"/>' if bullet else "<a:buNone/>")
    indent = f' marL="{emu(margin)}" indent="{-emu(margin)}"' if bullet else ' marL="0" indent="0"'
    return (f'<a:lvl1pPr algn="{align}"{indent}><a:lnSpc><a:spcPct val="100000"/></a:lnSpc>'
            f'<a:spcBef><a:spcPts val="{space_before * 100}"/></a:spcBef>{marker}'
            f'{run_props(size, colour, bold, font)}</a:lvl1pPr>')


def placeholder(shape_id: int, name: str, kind: str, idx: int | None, box: tuple, style: str = "",
                anchor: str = "t", prompt: str = "", inset_y: float = 0.05) -> str:
    idx_attr = f' idx="{idx}"' if idx is not None else ""
    locks = '<a:spLocks noGrp="1" noChangeAspect="1"/>' if kind == "pic" else '<a:spLocks noGrp="1"/>'
    return (f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{name}"/><p:cNvSpPr>{locks}</p:cNvSpPr>'
            f'<p:nvPr><p:ph type="{kind}"{idx_attr}/></p:nvPr></p:nvSpPr>'
            f'<p:spPr>{xfrm(*box)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr>'
            f'<p:txBody><a:bodyPr wrap="square" lIns="91440" tIns="{emu(inset_y)}" rIns="91440" bIns="{emu(inset_y)}"'
            f' anchor="{anchor}"><a:noAutofit/></a:bodyPr><a:lstStyle>{style}</a:lstStyle>'
            f'<a:p><a:r><a:rPr lang="en-GB"/><a:t>{prompt or name}</a:t></a:r></a:p></p:txBody></p:sp>')


def band(shape_id: int, name: str, box: tuple, colour: str) -> str:
    """A filled rectangle that carries the brand; decoration, so screen readers skip it."""
    return (f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{name}" descr=""/><p:cNvSpPr/><p:nvPr userDrawn="1"/>'
            f'</p:nvSpPr><p:spPr>{xfrm(*box)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
            f'<a:solidFill><a:schemeClr val="{colour}"/></a:solidFill><a:ln><a:noFill/></a:ln></p:spPr>'
            f'<p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:endParaRPr lang="en-GB"/></a:p></p:txBody></p:sp>')


CONTENT_W = W - 2 * MARGIN
TITLE_BOX = (MARGIN, 0.3, CONTENT_W, 1.35)
# The footer band holds two lines of the clinic's name at 20 pt, the smallest
# slide text: a name at the schema's 80-character limit needs both beside a
# 4:1 logo. Chinese decks space lines the most (Noto Sans CJK: 1.45 × the
# size), so two lines take 58 pt, 60 pt with the fitter's slack: the band is
# 61 pt tall and the name's box has no inset above or below it (it is centred).
# The band reaches up to the body's box, not into it: the body keeps the
# height it had under a one-line footer, so a deck whose clinic name fits one
# line is laid out as before.
FOOTER_Y = 6.65
FOOTER_INSET = 0.0  # above and below the clinic's name
BODY_GAP = 0.0  # the body's own inset and the fitter's slack keep its text off the band
# Logo slots are wide, not square: a logo keeps its aspect ratio and takes the
# slot's height, so a square one is as tall as before and a 4:1 wordmark is
# four times as wide instead of shrinking to fit a square. The deck aligns a
# logo to the slot's outer edge.
LOGO_SMALL = 0.56
LOGO_SMALL_W = 4 * LOGO_SMALL
LOGO_TITLE, LOGO_TITLE_W = 1.1, 3.6


def footer(first_id: int) -> str:
    """Light brand band along the bottom: the clinic's name and logo on every content slide."""
    return (band(first_id, "Footer band", (0, FOOTER_Y, W, H - FOOTER_Y), "bg2")
            + placeholder(first_id + 1, "Footer", "body", 13,
                          (MARGIN, FOOTER_Y, CONTENT_W - LOGO_SMALL_W - 0.2, H - FOOTER_Y),
                          level(20, "tx2", bold=True), anchor="ctr", prompt="Clinic name", inset_y=FOOTER_INSET)
            + placeholder(first_id + 2, "Logo", "pic", 14,
                          (W - MARGIN - LOGO_SMALL_W, FOOTER_Y + (H - FOOTER_Y - LOGO_SMALL) / 2,
                           LOGO_SMALL_W, LOGO_SMALL)))


def title_rule(shape_id: int) -> str:
    # Clear of descenders, Arabic ones included (they reach lower than Latin ones).
    return band(shape_id, "Title rule", (MARGIN + 0.1, TITLE_BOX[1] + TITLE_BOX[3] + 0.13, 1.2, 0.09), "accent1")


LAYOUTS = {
    # name: (layout type, shapes)
    "Title Slide": ("title", lambda: (
        band(2, "Title band", (0, 0, W, 3.8), "accent1")
        + placeholder(3, "Title", "ctrTitle", None, (MARGIN, 0.4, CONTENT_W, 3.2),
                      level(54, "bg1", bold=True, font="mj"), anchor="b")
        # Room for the question and, under a draft translation, the line saying so.
        + placeholder(4, "Subtitle", "subTitle", 1, (MARGIN, 4.0, CONTENT_W, 1.95), level(36, "tx1"))
        + placeholder(5, "Logo", "pic", 14, (W - MARGIN - LOGO_TITLE_W, 6.05, LOGO_TITLE_W, LOGO_TITLE))
        + placeholder(6, "Clinic", "body", 13, (MARGIN, 6.05, CONTENT_W - LOGO_TITLE_W - 0.2, 1.1),
                      level(28, "tx2", bold=True), anchor="ctr", prompt="Clinic name"))),
    "Title and Content": ("obj", lambda: (
        placeholder(2, "Title", "title", None, TITLE_BOX, anchor="b")
        + title_rule(3)
        + placeholder(4, "Body", "body", 1, (MARGIN, 2.0, CONTENT_W, FOOTER_Y - 2.0 - BODY_GAP))
        + footer(5))),
    "Statement": ("cust", lambda: (
        placeholder(2, "Title", "title", None, TITLE_BOX, anchor="b")
        + title_rule(3)
        + placeholder(4, "Statement", "body", 1, (MARGIN + 0.5, 2.0, CONTENT_W - 1.0, FOOTER_Y - 2.0 - BODY_GAP),
                      level(54, "tx2", bold=True, align="ctr"), anchor="ctr")
        + footer(5))),
    "Closing": ("cust", lambda: (
        band(2, "Title band", (0, 0, W, 2.2), "accent1")
        + placeholder(3, "Title", "title", None, (MARGIN, 0.3, CONTENT_W, 1.7),
                      level(60, "bg1", bold=True, font="mj"), anchor="ctr")
        + placeholder(4, "Body", "body", 1, (MARGIN, 2.55, CONTENT_W - 3.3, H - 2.55 - 0.35),
                      level(32, "tx1"))
        + placeholder(5, "Logo", "pic", 14, (W - MARGIN - 2.6, 2.85, 2.6, 2.6)))),
}

MASTER_STYLES = (
    '<p:txStyles><p:titleStyle>'
    + level(44, "tx2", bold=True, font="mj")
    + '</p:titleStyle><p:bodyStyle>'
    + level(32, "tx1", bullet="•", margin=0.5, space_before=14)
    + level(28, "tx1", bullet="–", margin=0.5, space_before=10).replace("lvl1pPr", "lvl2pPr").replace(
        f'marL="{emu(0.5)}"', f'marL="{emu(1.0)}"')
    + '</p:bodyStyle><p:otherStyle>' + level(18, "tx1") + '</p:otherStyle></p:txStyles>'
)


def shape_tree(shapes: str) -> str:
    return (f'<p:spTree {XMLNS}><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>'
            '<p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/>'
            f'<a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>{shapes}</p:spTree>')


def replace(parent: etree._Element, tag: str, xml: str) -> None:
    old = parent.find(tag, NS)
    new = etree.fromstring(xml)
    old.getparent().replace(old, new)


THEME_COLOURS = (
    f'<a:clrScheme {XMLNS} name="Publisher">'
    f'<a:dk1><a:srgbClr val="{INK}"/></a:dk1><a:lt1><a:srgbClr val="FFFFFF"/></a:lt1>'
    f'<a:dk2><a:srgbClr val="{BRAND_PRIMARY}"/></a:dk2><a:lt2><a:srgbClr val="{BRAND_ACCENT}"/></a:lt2>'
    f'<a:accent1><a:srgbClr val="{BRAND_PRIMARY}"/></a:accent1><a:accent2><a:srgbClr val="{BRAND_ACCENT}"/></a:accent2>'
    '<a:accent3><a:srgbClr val="595959"/></a:accent3><a:accent4><a:srgbClr val="7F7F7F"/></a:accent4>'
    '<a:accent5><a:srgbClr val="A5A5A5"/></a:accent5><a:accent6><a:srgbClr val="D9D9D9"/></a:accent6>'
    f'<a:hlink><a:srgbClr val="{BRAND_PRIMARY}"/></a:hlink><a:folHlink><a:srgbClr val="{BRAND_PRIMARY}"/></a:folHlink>'
    '</a:clrScheme>'
)

APP_XML = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
           b'<Application>publisher</Application><PresentationFormat>Widescreen</PresentationFormat>'
           b'</Properties>')


def build() -> bytes:
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(emu(W)), Emu(emu(H))
    prs.part._element.find("p:sldSz", NS).attrib.pop("type", None)
    master = prs.slide_master
    for layout in list(master.slide_layouts)[len(LAYOUTS):]:
        master.slide_layouts.remove(layout)

    master_el = master._element
    replace(master_el.find("p:cSld", NS), "p:spTree", shape_tree(
        placeholder(2, "Title Placeholder", "title", None, TITLE_BOX, anchor="b")
        + placeholder(3, "Text Placeholder", "body", 1, (MARGIN, 2.0, CONTENT_W, FOOTER_Y - 2.0 - BODY_GAP))))
    replace(master_el, "p:txStyles", f'<p:txStyles {XMLNS}>' + MASTER_STYLES[len("<p:txStyles>"):])
    for ext in master_el.findall("p:cSld/p:extLst", NS):
        ext.getparent().remove(ext)

    for layout, (name, (kind, shapes)) in zip(master.slide_layouts, LAYOUTS.items()):
        el = layout._element
        el.set("type", kind)
        el.set("preserve", "1")
        csld = el.find("p:cSld", NS)
        csld.set("name", name)
        for ext in csld.findall("p:extLst", NS):
            csld.remove(ext)
        replace(csld, "p:spTree", shape_tree(shapes()))

    theme = next(rel.target_part for rel in master.part.rels.values() if rel.reltype == RT.THEME)
    root = etree.fromstring(theme.blob)
    elements = root.find("a:themeElements", NS)
    replace(elements, "a:clrScheme", THEME_COLOURS)
    fonts = elements.find("a:fontScheme", NS)
    fonts.set("name", "Publisher")
    for group in ("a:majorFont", "a:minorFont"):
        font = fonts.find(group, NS)
        for child in list(font):
            if child.tag not in {f"{{{NS['a']}}}{t}" for t in ("latin", "ea", "cs")}:
                font.remove(child)  # per-script fallbacks of the old theme
        font.find("a:latin", NS).set("typeface", "Calibri")
    root.set("name", "Publisher")
    theme._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    # Drop what describes python-pptx's own sample file: its thumbnail and printer settings.
    package_rels = prs.part.package._rels
    for rid, rel in list(package_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package_rels.pop(rid)
        elif rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = APP_XML
    for rid, rel in list(prs.part.rels.items()):
        if rel.reltype == RT.PRINTER_SETTINGS:
            prs.part.rels.pop(rid)

    props = prs.core_properties
    props.title, props.author, props.last_modified_by = "Publisher deck master", "publisher", "publisher"
    props.comments, props.revision = "Made by tools/make_deck_master.py", 1
    props.created = props.modified = dt.datetime(DATE.year, DATE.month, DATE.day)
    buffer = io.BytesIO()
    prs.save(buffer)
    return repack(buffer.getvalue(), DATE)


if __name__ == "__main__":
    OUT.write_bytes(build())
    print(f"{OUT.relative_to(ROOT)}: {OUT.stat().st_size // 1024} KiB")
