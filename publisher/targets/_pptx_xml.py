"""The DrawingML that python-pptx has no call for.

Every paragraph is written with explicit spacing, margins and markers, so
that what the fitter measured is what renderers draw; every run carries its
language and its Latin, East Asian and complex-script typefaces; right-to-left
languages get `rtl="1"` and right alignment, so that a translation only has
to supply text.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from lxml import etree
from pptx.oxml.ns import qn

from publisher.targets._fit import Para

EMU_PER_PT = 12700


@dataclass(frozen=True)
class Script:
    """How runs of one language and role are tagged."""

    lang: str  # as Office knows it
    rtl: bool
    typefaces: dict[str, str]  # latin, ea, cs
    # Source-language texts standing in for missing translations, each with its Office
    # language: their runs carry it, so a screen reader or spell-checker takes them as such.
    foreign: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Marker:
    kind: str = "none"  # none, bullet or number
    start: int = 1  # first number of a numbered run of paragraphs
    hang: float = 0.0  # points the marker hangs left of the text


@lru_cache(maxsize=None)
def _clark(tag: str) -> str:
    """`a:p` → `{namespace}p`: a few tags, written thousands of times a deck."""
    return qn(tag)


def _sub(parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, _clark(tag))
    for key, value in attrs.items():
        el.set(key, value)
    return el


def run_properties(parent: etree._Element, tag: str, script: Script, size: int | None, bold: bool | None,
                   lang: str | None = None) -> None:
    rpr = _sub(parent, tag, lang=lang or script.lang)
    if size is not None:
        rpr.set("sz", str(size * 100))
    if bold is not None:
        rpr.set("b", "1" if bold else "0")
    for slot in ("latin", "ea", "cs"):
        _sub(rpr, f"a:{slot}", typeface=script.typefaces[slot])


def paragraph(body: etree._Element, para: Para, marker: Marker, script: Script, *, size: int | None,
              line: float, before: float) -> None:
    p = _sub(body, "a:p")
    ppr = _sub(p, "a:pPr", marL=str(round(para.margin * EMU_PER_PT)),
               indent=str(-round(marker.hang * EMU_PER_PT)))
    if script.rtl:
        ppr.set("algn", "r")
        ppr.set("rtl", "1")
    _sub(_sub(ppr, "a:lnSpc"), "a:spcPct", val=str(round(line * 100000)))
    _sub(_sub(ppr, "a:spcBef"), "a:spcPts", val=str(round(before * 100)))
    if marker.kind == "bullet":
        _sub(ppr, "a:buFont", typeface="Arial")
        _sub(ppr, "a:buChar", char="•")
    elif marker.kind == "number":
        _sub(ppr, "a:buFont", typeface=script.typefaces["latin"])
        _sub(ppr, "a:buAutoNum", type="arabicPeriod", startAt=str(marker.start))
    else:
        _sub(ppr, "a:buNone")
    for span in para.spans:
        for text, lang in segments(span.text, script.foreign):
            r = _sub(p, "a:r")
            run_properties(r, "a:rPr", script, size, True if span.bold else None, lang)
            _sub(r, "a:t").text = text
    run_properties(p, "a:endParaRPr", script, size, None)


def segments(text: str, foreign: tuple[tuple[str, str], ...]) -> list[tuple[str, str | None]]:
    """`text` cut into runs: each source-language passage with its language, the rest with none."""
    for passage, lang in sorted(foreign, key=lambda f: -len(f[0])):
        at = text.find(passage)
        if at >= 0:
            before, after = text[:at], text[at + len(passage):]
            return ([*segments(before, foreign)] if before else []) + [(passage, lang)] + (
                segments(after, foreign) if after else [])
    return [(text, None)]


def fill_text(body: etree._Element, paras: list[tuple[Para, Marker, float]], script: Script, *,
              size: int | None, line: float = 1.0) -> None:
    """Replace a text body's paragraphs with `paras`: (paragraph, marker, space before in points)."""
    for p in body.findall(qn("a:p")):
        body.remove(p)
    for para, marker, before in paras:
        paragraph(body, para, marker, script, size=size, line=line, before=before)


def colour_text(body: etree._Element, rgb: str) -> None:
    """Give every run of a text body one colour, ahead of its typefaces as the schema orders them."""
    for rpr in body.iter(_clark("a:rPr"), _clark("a:endParaRPr")):
        fill = etree.Element(_clark("a:solidFill"))
        _sub(fill, "a:srgbClr", val=rgb)
        rpr.insert(0, fill)


def fix_insets(body: etree._Element, insets: tuple[int, int, int, int]) -> None:
    """Write the insets the fitter used, and stop renderers from resizing text."""
    body_pr = body.find(qn("a:bodyPr"))
    for name, value in zip(("lIns", "tIns", "rIns", "bIns"), insets):
        body_pr.set(name, str(value))
    body_pr.set("wrap", "square")
    for child in list(body_pr):
        if child.tag in (qn("a:spAutoFit"), qn("a:normAutofit"), qn("a:noAutofit")):
            body_pr.remove(child)
    warp = body_pr.find(qn("a:prstTxWarp"))  # the schema wants the autofit choice after it
    body_pr.insert(0 if warp is None else 1, etree.Element(qn("a:noAutofit")))


def describe(picture, name: str, alt: str) -> None:
    """Alt text: what a screen reader says instead of the image."""
    c_nv_pr = picture._element.find(".//" + qn("p:cNvPr"))
    c_nv_pr.set("name", name)
    c_nv_pr.set("descr", alt)
