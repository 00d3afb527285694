"""Read decks back the way a checker would: runs, measured fit, real conversion."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import yaml
from pptx import Presentation
from pptx.oxml.ns import qn

from publisher.targets._deck_slides import _declared_bold
from publisher.targets._deck_template import TITLE_TYPES
from publisher.targets._fit import HEIGHT_SLACK, Face, Faces, Fitter, Para, Span, Spacing
from tests.conftest import TEMPLATES

EMU_PER_PT = 12700
FONTS = TEMPLATES / "deck" / "fonts"
CALIBRI = Faces((Face(FONTS / "Carlito-Regular.ttf"),), (Face(FONTS / "Carlito-Bold.ttf"),))


def decks(folder: Path, lang: str = "en") -> list[Path]:
    return sorted(folder.glob(f"*/{lang}/*/deck-*.pptx"))


def slide_title(slide) -> str:
    return slide.shapes.title.text_frame.text if slide.shapes.title is not None else ""


def all_runs(prs):
    """Every run's properties in the slides and their notes, with where it is."""
    for number, slide in enumerate(prs.slides, 1):
        parts = [("slide", slide._element)]
        if slide.has_notes_slide:
            parts.append(("notes", slide.notes_slide._element))
        for where, element in parts:
            for rpr in element.iter(qn("a:rPr"), qn("a:endParaRPr")):
                yield f"slide {number} {where}", rpr


def measured_overflows(prs, faces: Faces = CALIBRI) -> list[str]:
    """Text placeholders whose text, as written, measures taller than its box.

    Sizes, margins, spacing and insets are read from the file, not from the
    code that wrote it, and measured with the same open fonts.
    """
    found = []
    for number, slide in enumerate(prs.slides, 1):
        for shape in slide.placeholders:
            if not shape.has_text_frame or not shape.text_frame.text.strip():
                continue
            body = shape.text_frame._txBody
            body_pr = body.find(qn("a:bodyPr"))
            insets = [int(body_pr.get(k)) for k in ("lIns", "tIns", "rIns", "bIns")]
            width = (shape.width - insets[0] - insets[2]) / EMU_PER_PT
            height = (shape.height - insets[1] - insets[3]) / EMU_PER_PT
            layout_ph = next(p for p in slide.slide_layout.placeholders
                             if p.placeholder_format.idx == shape.placeholder_format.idx)
            title = shape.placeholder_format.type in TITLE_TYPES
            bold_default = title or _declared_bold(layout_ph, title)
            paras, sizes, befores, lines = [], set(), [], set()
            for p in body.findall(qn("a:p")):
                ppr = p.find(qn("a:pPr"))
                spans = []
                for r in p.findall(qn("a:r")):
                    rpr = r.find(qn("a:rPr"))
                    sizes.add(int(rpr.get("sz")) / 100)
                    spans.append(Span(r.find(qn("a:t")).text, rpr.get("b") == "1" or bold_default))
                paras.append(Para(tuple(spans), margin=int(ppr.get("marL")) / EMU_PER_PT))
                befores.append(int(ppr.find(f"{qn('a:spcBef')}/{qn('a:spcPts')}").get("val")) / 100)
                lines.add(int(ppr.find(f"{qn('a:lnSpc')}/{qn('a:spcPct')}").get("val")) / 100000)
            assert len(sizes) == 1 and len(lines) == 1, f"slide {number} {shape.name}: one size per box"
            size = sizes.pop()
            fitter = Fitter(faces, Spacing(line=lines.pop()))
            used = fitter.height(paras, size, width) + sum(befores[1:])
            if used > height * HEIGHT_SLACK:
                found.append(f"slide {number} {shape.name}: {used:.0f} pt of text in {height:.0f} pt at {size} pt")
    return found


def to_pdf(pptx_files: list[Path], out: Path) -> list[Path]:
    """Convert with LibreOffice headless, in a private profile so runs never share state."""
    out.mkdir(parents=True, exist_ok=True)
    profile = (out / "lo-profile").resolve().as_uri()
    pdfs = []
    for pptx in pptx_files:  # same names in different folders: one call each
        target = out / pptx.parent.name
        subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(target), str(pptx)], check=True, capture_output=True, timeout=180)
        pdfs.append(target / (pptx.stem + ".pdf"))
    return pdfs


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def pdf_words(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Words and their boxes (points, from the top left), page by page."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for page in html.split("<page ")[1:]:
        pages.append([(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', page)])
    return pages


TEXT_KEYS = {"title", "question", "text", "heading", "slide_title", "notes", "disclaimer", "audience"}


def lengthen(text: str, factor: float = 1.4) -> str:
    """The text with words of its own appended until it is `factor` times as long."""
    words = text.split()
    out, i = text, 0
    while len(out) < factor * len(text):
        out += " " + words[i % len(words)]
        i += 1
    return out


def lengthen_yaml(path: Path, keys: set[str] | None = TEXT_KEYS) -> None:
    """Rewrite a YAML file with every text (under `keys`, or every string) 40 % longer."""
    def walk(value, key=None):
        if isinstance(value, dict):
            return {k: walk(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, key) for v in value]
        if isinstance(value, str) and (keys is None or key in keys):
            return lengthen(value)
        return value

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    path.write_text(yaml.safe_dump(walk(data), allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")


def open_deck(path: Path):
    return Presentation(str(path))
