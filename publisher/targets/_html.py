"""What every HTML-based target hands its template."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from publisher import __version__
from publisher.fonts import css_family, load_fonts
from publisher.targets import RenderJob, numerals
from publisher.templating import environment, template_problem
from jinja2 import TemplateError


def page_context(job: RenderJob) -> dict[str, Any]:
    fonts = load_fonts(job.templates_dir / "fonts")
    loc = job.localized
    return {
        "loc": loc,
        "article": loc.article,
        "meta": loc.article.metadata,
        "labels": loc.labels,
        "clinic": job.clinic.clinic,
        "clinic_id": job.clinic.id,
        "logo_url": data_uri(job.clinic.logo_path),
        "variant": job.variant,
        # Eastern Arabic digits only where the text itself is Arabic.
        "numerals": numerals(job.clinic.clinic, loc.lang),
        "font_faces": [
            {"family": css_family(f.family), "weight": f.weight,
             "url": f.path.relative_to(job.templates_dir).as_posix()}
            for f in fonts.faces_for(loc.lang)
        ],
        "font_stack": [css_family(family) for family in fonts.stack(loc.lang)],
        "source_date": job.source_date,
        "generator": f"publisher {__version__}",
    }


def font_key(context: dict[str, Any]) -> tuple[tuple[str, int, str], ...]:
    """The page's @font-face faces, as `_weasy.lay_out` keys its shared font configuration."""
    return tuple((f["family"], f["weight"], f["url"]) for f in context["font_faces"])


def data_uri(path: Path) -> str:
    """Inline a file, so the page reads nothing outside the templates folder."""
    mime = "image/svg+xml" if path.suffix.lower() == ".svg" else "image/png"
    return bytes_uri(path.read_bytes(), mime)


def bytes_uri(data: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def render_html(job: RenderJob, template: str, context: dict[str, Any]) -> str:
    return render_template(job.templates_dir, template, context)


def render_template(templates_dir: Path, template: str, context: dict[str, Any]) -> str:
    """A template rendered, or its mistake as a located problem."""
    try:
        return environment(templates_dir).get_template(template).render(context)
    except TemplateError as exc:
        raise template_problem(exc, templates_dir, template, context) from None
