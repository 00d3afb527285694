"""Rendering a deck: fill the slide master, fit the text, write deterministic bytes.

Kept apart from `deck.py` so that planning a build, which only needs the
target's declaration, never imports python-pptx, Pillow or resvg.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from functools import lru_cache
from pathlib import Path

import resvg_py
from PIL import Image

from publisher.content.assets import logo_findings
from publisher.errors import Problem, RenderError
from publisher.i18n import clinic_texts
from publisher.targets import Rendered, RenderJob
from publisher.targets import _pptx_xpath  # noqa: F401  (python-pptx's XPath, compiled once)
from publisher.targets._deck_fonts import roles
from publisher.targets._deck_outline import load_outline
from publisher.targets._deck_slides import SlideMaker
from publisher.targets._deck_template import DeckTemplate
from publisher.targets._fit import Spacing, Unmeasurable
from publisher.targets._pptx_zip import repack

LOGO_PIXELS = 600  # wide enough for the largest logo box at projector resolution
WARNING_ICON_PIXELS = 256


def render_deck(job: RenderJob) -> Rendered:
    outline = load_outline(job)
    template = DeckTemplate(job)
    colours = job.clinic.clinic.colours
    template.apply_brand(colours.primary, colours.accent)
    if job.localized.direction == "rtl":
        template.mirror()
    spacing = Spacing(line=outline.text.line, before=outline.text.before)
    maker = SlideMaker(template, outline, roles(job, template, spacing), job.localized, _logo(job),
                       warning_icon(job.templates_dir / "icons" / "warning.svg"), tuple(clinic_texts(job.clinic)))
    made = []
    try:
        for spec in outline.slides:
            made += maker.make(spec)
    except Unmeasurable as exc:
        raise _unmeasurable(job, exc.char) from None
    _check_unique_titles(made, job)
    _set_properties(template.prs, job)
    buffer = io.BytesIO()
    template.prs.save(buffer)
    return Rendered(repack(buffer.getvalue(), dt.date.fromisoformat(job.source_date)), len(made))


def _logo(job: RenderJob) -> tuple[bytes, tuple[int, int]]:
    path = job.clinic.logo_path
    try:
        return logo_png(path.read_bytes(), path.suffix.lower())
    except UnsafeLogo as exc:
        line, col = job.clinic.source.locate(("logo",))
        raise RenderError([Problem(job.clinic.source.file, line, col, "logo",
                                   f"the logo '{path.name}' is unusable: {finding}",
                                   "export the logo again as a plain SVG or as PNG")
                           for finding in exc.findings]) from None


class UnsafeLogo(Exception):
    def __init__(self, findings: list[str]):
        super().__init__("; ".join(findings))
        self.findings = findings


@lru_cache(maxsize=8)
def logo_png(data: bytes, suffix: str) -> tuple[bytes, tuple[int, int]]:
    """The logo as PNG (PowerPoint's SVG support needs a PNG fallback anyway), and its size.

    resvg reads any file an SVG names by its absolute path, and Pillow would
    decode whatever size a PNG declares: the same checks as `validate` run
    first, so no caller can hand either of them a file that reaches outside.
    """
    findings = logo_findings(data, suffix)
    if findings:
        raise UnsafeLogo(findings)
    if suffix == ".svg":
        # No system fonts: a logo with text renders the same on every machine.
        data = bytes(resvg_py.svg_to_bytes(svg_string=data.decode("utf-8"), width=LOGO_PIXELS,
                                           skip_system_fonts=True))
    with Image.open(io.BytesIO(data)) as image:
        return data, image.size


@lru_cache(maxsize=2)
def warning_icon(path: Path) -> bytes:
    """The warning icon as a white PNG, drawn on the warning box's dark red."""
    svg = path.read_text(encoding="utf-8").replace("currentColor", "#FFFFFF")
    return bytes(resvg_py.svg_to_bytes(svg_string=svg, width=WARNING_ICON_PIXELS, skip_system_fonts=True))


def _check_unique_titles(made, job: RenderJob) -> None:
    counts = Counter(m.title for m in made)
    texts = {t.field: t for t in job.localized.texts}
    problems = []
    for m in made:
        if counts[m.title] > 1 and m.source in texts:
            at = texts[m.source]
            problems.append(Problem(at.file, at.line, at.col, at.field,
                                    f"{counts[m.title]} slides have the title '{m.title}'",
                                    "give this section a `slide_title` of its own; screen readers tell slides"
                                    " apart by their titles"))
    if not problems and len(counts) < len(made):
        title = next(t for t, n in counts.items() if n > 1)
        problems.append(Problem(f"{job.templates_dir.name}/deck/outline.yaml.j2", 1, 1, "(outline)",
                                f"{counts[title]} slides have the title '{title}'",
                                "give every slide in the outline a title of its own"))
    if problems:
        raise RenderError(problems)


def _unmeasurable(job: RenderJob, char: str) -> RenderError:
    at = next((t for t in job.localized.texts if char in t.text), None)
    where = (at.file, at.line, at.col, at.field) if at else (f"{job.templates_dir.name}/deck/fonts.yaml", 1, 1, "metrics")
    return RenderError([Problem(*where, f"the character '{char}' (U+{ord(char):04X}) cannot be measured for the"
                                f" deck in '{job.localized.lang}': no measuring font covers it",
                                f"add a font that covers it under `metrics:` in {job.templates_dir.name}/deck/fonts.yaml")])


def _set_properties(prs, job: RenderJob) -> None:
    """Document properties from the content; python-pptx would stamp the clock."""
    article = job.localized.article
    published = article.metadata.published
    props = prs.core_properties
    props.title = article.title
    props.subject = article.question
    props.author = article.metadata.organisation
    props.language = job.localized.lang
    props.version = article.metadata.version
    props.keywords = props.comments = props.category = props.content_status = ""
    props.last_modified_by = "publisher"
    props.revision = 1
    props.created = dt.datetime(published.year, published.month, published.day)
    modified = dt.date.fromisoformat(job.source_date)
    props.modified = dt.datetime(modified.year, modified.month, modified.day)
