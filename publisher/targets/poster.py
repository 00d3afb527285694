"""Poster: the article's message on one sheet for a waiting-room wall.

The template decides what a poster shows; this module finds the largest type
at which it all fits on one sheet (see `_poster_fit`), and turns a poster that
cannot fit even at the smallest allowed type into a located error.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from publisher.content import template_config
from publisher.content.yamlsource import display_path
from publisher.errors import Problem, RenderError
from publisher.i18n import LocalizedArticle
from publisher.icons import load_icons
from publisher.targets import Rendered, RenderJob, Target, register
from publisher.targets._poster_fit import (DoesNotFit, cut_off, fits, largest_fitting, last_on_first_page,
                                          page_height, spare_height)
from publisher.targets._html import bytes_uri, font_key, page_context, render_html
from publisher.targets._qr import qr_data_uri
from publisher.targets._weasy import lay_out, write_pdf

TEMPLATE = "poster/poster.html.j2"
SHEETS = "poster/sheets.yaml"
TRIAL_NAMES = ("body_pt", "spare_pt")  # what each trial layout hands the template besides the page's values
STEP_PT = 0.5  # type sizes tried differ by this much; finer costs layouts and shows no difference
SPREAD_FROM = 0.02  # a gap at the foot smaller than this share of the page is not worth another layout


@dataclass(frozen=True)
class Sheet:
    name: str  # as a person says it, for messages
    page: str  # CSS page size
    margin: str  # CSS length
    body_min_pt: float
    body_max_pt: float


def load_sheet(templates_dir: Path, variant: str) -> Sheet:
    sheets = template_config.load(templates_dir, template_config.POSTER_SHEETS, template_config.Sheets).root
    if variant not in sheets:
        raise RenderError([Problem(f"templates/{SHEETS}", 1, 1, variant, f"no sheet '{variant}' is described",
                                   "describe the size: name, page, margin, body_min_pt and body_max_pt")])
    return Sheet(**sheets[variant].model_dump())


@register
class Poster(Target):
    name = "poster"
    suffix = ".pdf"
    variants = ("a3", "a2", "tabloid")
    options_read = ("bleed",)
    template_dirs = ("{name}", "shared", "icons")
    def template_names(self, job: RenderJob) -> list[tuple[str, set[str]]]:
        """The template and the names `render` hands it, for `validate` to check before rendering."""
        context = page_context(job) | poster_context(job, load_sheet(job.templates_dir, job.variant))
        return [(TEMPLATE, set(context) | set(TRIAL_NAMES))]

    def render(self, job: RenderJob) -> Rendered:
        sheet = load_sheet(job.templates_dir, job.variant)
        context = page_context(job) | poster_context(job, sheet)

        def lay_out_at(body_pt: float, spare_pt: float = 0.0, max_pages: int | None = None):
            html = render_html(job, TEMPLATE, context | dict(zip(TRIAL_NAMES, (body_pt, spare_pt))))
            return lay_out(html, job.templates_dir, "templates/poster", font_key(context), max_pages)

        try:
            body_pt, document = largest_fitting(lay_out_at, sheet.body_min_pt, sheet.body_max_pt, STEP_PT)
        except DoesNotFit as exc:
            suspects = cut_off(exc.document) + last_on_first_page(exc.document)
            raise RenderError([overflow_problem(job.localized, sheet, suspects)]) from None
        # The search leaves empty space at the foot of the sheet; the template spreads it out.
        spare_pt = math.floor(spare_height(document))
        if spare_pt >= SPREAD_FROM * page_height(document):
            filled = lay_out_at(body_pt, spare_pt, max_pages=1)
            document = filled if fits(filled) else document
        return Rendered(write_pdf(document), len(document.pages))


def poster_context(job: RenderJob, sheet: Sheet) -> dict:
    clinic = job.clinic.clinic
    address = clinic.article_address(job.localized.id, job.localized.lang)
    icons = load_icons(job.templates_dir / "icons")
    return {
        "sheet": sheet,
        "bleed": job.options.bleed,
        "article_address": address,
        "qr_code": qr_data_uri(address),
        "icons": {name: {"alt": icon.alt, "url": bytes_uri(icon.svg(clinic.colours.primary), "image/svg+xml")}
                  for name, icon in icons.items()},
    }


def overflow_problem(loc: LocalizedArticle, sheet: Sheet, suspects: list[str]) -> Problem:
    """Point at the content most to blame for a second sheet; else name the template's block."""
    message = (f"the {sheet.name} poster of '{loc.id}' in '{loc.lang}' does not fit on one sheet even with"
               f" {sheet.body_min_pt:g} pt type: ")
    hint = "shorten the texts the poster shows, or give long items a one-line `short:` version"
    content = loc.article.model_dump(mode="json")
    for name in suspects:
        path = _content_path(content, name)
        if path is None:
            continue
        shown = display_path(path)
        at = next((t for t in loc.texts if t.field == shown or t.field.startswith((shown + ".", shown + "["))), None)
        if at is not None:
            return Problem(at.file, at.line, at.col, shown, message + f"'{name}' runs onto a second sheet", hint)
    what = f"the poster's '{suspects[0]}' block" if suspects else "its end"
    article_file = loc.texts[0].file if loc.texts else f"content/articles/{loc.id}/article.yaml"
    return Problem(article_file, 1, 1, "(poster)", message + f"{what} runs onto a second sheet", hint)


def _content_path(data, element_id: str, path: tuple = ()) -> tuple | None:
    """The path of the content unit whose `id` is `element_id`, if the element is content."""
    if isinstance(data, dict):
        if data.get("id") == element_id:
            return path
        items = data.items()
    elif isinstance(data, list):
        items = enumerate(data)
    else:
        return None
    for key, value in items:
        found = _content_path(value, element_id, path + (key,))
        if found is not None:
            return found
    return None
