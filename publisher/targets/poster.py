"""Poster: the article's message on one sheet for a waiting-room wall.

The template draws what `_poster_plan` says a poster shows; this module finds
the largest type at which it all fits on one sheet (see `_poster_fit`). When
nothing fits even at the smallest allowed type, it tries the shortening steps
of `templates/poster/fit.yaml` in order and keeps the first that fits; when
none does, it reports the clinic, the article, the language, the sheet, the
largest part of the poster and what the content could set.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from publisher.content import template_config
from publisher.errors import Problem, RenderError
from publisher.icons import load_icons
from publisher.targets import Rendered, RenderJob, Target, register
from publisher.targets._deck_render import logo_png
from publisher.targets._poster_fit import (DoesNotFit, fits, largest_fitting, page_height, part_heights,
                                           spare_height, words_too_wide)
from publisher.targets._poster_plan import load_fit, plan
from publisher.targets._html import bytes_uri, font_key, page_context, render_html
from publisher.targets._qr import qr_data_uri
from publisher.targets._weasy import lay_out, write_pdf

TEMPLATE = "poster/poster.html.j2"
SHEETS = "poster/sheets.yaml"
# What each trial layout hands the template besides the page's values.
TRIAL_NAMES = ("body_pt", "spare_pt", "tile_rem", "tile_hyphenate")
STEP_NAMES = ("sections", "compact_footer", "small_headline")  # and what each shortening step hands it
STEP_PT = 0.5  # type sizes tried differ by this much; finer costs layouts and shows no difference
LOGO_REM, LOGO_MIN_REM, LOGO_MAX_REM = 1.8, 1.2, 3.6  # a square logo's height, and the bounds of any
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
        return [(TEMPLATE, set(context) | set(TRIAL_NAMES) | set(STEP_NAMES))]

    def render(self, job: RenderJob) -> Rendered:
        sheet = load_sheet(job.templates_dir, job.variant)
        fit = load_fit(job.templates_dir)
        base = page_context(job) | poster_context(job, sheet)

        def step_context(number: int) -> dict:
            step = fit.steps[number]
            return base | {"sections": plan(job.localized.article, fit, step), "compact_footer": step.compact_footer,
                           "small_headline": step.small_headline}

        def word_fit(number: int):
            return _WordFit(job, step_context(number), fit.word_fit_rem).lay_out_at

        found = _remembered(job, sheet, len(fit.steps), word_fit)
        if found is None:
            for number in range(len(fit.steps)):
                context = step_context(number)
                lay_out_at = _WordFit(job, context, fit.word_fit_rem).lay_out_at
                # A shortening step first tries the smallest type alone, a trial that stops at the second page.
                if number and not fits(lay_out_at(sheet.body_min_pt, max_pages=1)):
                    continue
                try:
                    body_pt, document = largest_fitting(lay_out_at, sheet.body_min_pt, sheet.body_max_pt, STEP_PT)
                    break
                except DoesNotFit as exc:
                    unfit = exc.document
            else:
                if len(fit.steps) > 1:
                    unfit = lay_out_at(sheet.body_min_pt)
                raise RenderError([overflow_problem(job, sheet, context["sections"], part_heights(unfit),
                                                    page_height(unfit))])
            found = number, body_pt, document, lay_out_at
        number, body_pt, document, lay_out_at = found
        # The search leaves empty space at the foot of the sheet; the template spreads it out.
        spare_pt = math.floor(spare_height(document))
        if spare_pt >= SPREAD_FROM * page_height(document):
            filled = lay_out_at(body_pt, spare_pt, max_pages=1)
            document = filled if fits(filled) else document
        return Rendered(write_pdf(document), len(document.pages), {"step": number, "body_pt": body_pt})


WALK = 2  # grid steps a remembered size may move before the full search is cheaper


def _remembered(job: RenderJob, sheet: Sheet, steps: int, word_fit) -> tuple | None:
    """The last build's step and type size with its layout, moved as far as an edit moved them.

    A clean build keeps the first step that fits at the smallest type, then
    the largest size on the grid that fits. From the remembered step k and
    size b, this walks the grid to the same answer: while a size fits, the
    next one up (at most WALK more), until one does not or the largest is
    reached; while one does not, the next one down (at most WALK). It ends
    on a size that fits whose next size up does not, the bracket
    `largest_fitting` ends on, and then checks that every step before k
    still fails at the smallest type, by the very trial the search makes.
    That the bracket names one size rests on what the search's bisection
    rests on: a size fits when a larger one does. So a remembered answer is
    never stale: it is proven again from this build's layouts, or None sends
    the caller to the full search.
    """
    hint = job.hint if isinstance(job.hint, dict) else {}
    number, body = hint.get("step"), hint.get("body_pt")
    if not (type(number) is int and 0 <= number < steps and type(body) in (int, float) and math.isfinite(body)):
        return None
    index, top = round((body - sheet.body_min_pt) / STEP_PT), round((sheet.body_max_pt - sheet.body_min_pt) / STEP_PT)
    if not (0 <= index <= top and abs(sheet.body_min_pt + index * STEP_PT - body) < 1e-9):
        return None
    lay_out_at = word_fit(number)

    def trial(i: int):
        # Computed as the search computes it: the same float, the same HTML, the same bytes.
        return lay_out_at(sheet.body_min_pt + i * STEP_PT, max_pages=1)

    document = trial(index)
    if fits(document):
        for _ in range(WALK + 1):
            larger = trial(index + 1) if index < top else None
            if not fits(larger):
                break
            index, document = index + 1, larger
        else:
            return None
    else:
        for _ in range(WALK):
            if index == 0:
                return None
            index, document = index - 1, trial(index - 1)
            if fits(document):
                break
        else:
            return None
    if any(fits(word_fit(earlier)(sheet.body_min_pt, max_pages=1)) for earlier in range(number)):
        return None
    return number, sheet.body_min_pt + index * STEP_PT, document, lay_out_at


class _WordFit:
    """Layouts at which no word is wider than its tile.

    A tile whose text has a word wider than the tile (a German compound at a
    large size) takes the next smaller of `sizes` and is laid out again; only a
    word too wide even at the smallest is hyphenated, in that tile alone. A
    word that is too wide at one type size is too wide at every larger one (the
    tile narrows as the type grows), so a layout starts from the sizes found at
    the largest smaller size laid out before: fewer layouts, the same answer.
    """

    def __init__(self, job: RenderJob, context: dict, sizes: tuple[float, ...]):
        self.job, self.context, self.sizes = job, context, sizes
        self.known: dict[float, tuple[dict[str, int], frozenset[str]]] = {}

    def lay_out_at(self, body_pt: float, spare_pt: float = 0.0, max_pages: int | None = None):
        below = [size for size in self.known if size <= body_pt]
        levels, hyphenate = self.known[max(below)] if below else ({}, frozenset())
        levels = dict(levels)
        while True:
            html = render_html(self.job, TEMPLATE, self.context | dict(zip(TRIAL_NAMES, (
                body_pt, spare_pt, {tile: self.sizes[level] for tile, level in levels.items()}, hyphenate))))
            document = lay_out(html, self.job.templates_dir, "templates/poster", font_key(self.context), max_pages)
            if document is None:
                return None
            too_wide = [tile for tile in words_too_wide(document, "tile-text") if tile not in hyphenate]
            if not too_wide:
                self.known[body_pt] = (levels, hyphenate)
                return document
            for tile in too_wide:
                if levels.get(tile, -1) + 1 < len(self.sizes):
                    levels[tile] = levels.get(tile, -1) + 1
                else:
                    hyphenate |= {tile}


def poster_context(job: RenderJob, sheet: Sheet) -> dict:
    clinic = job.clinic.clinic
    address = clinic.article_address(job.localized.id, job.localized.lang)
    icons = load_icons(job.templates_dir / "icons")
    _, (width, height) = logo_png(job.clinic.logo_path.read_bytes(), job.clinic.logo_path.suffix.lower())
    # The same area for every logo shape, within bounds: a wide logo is not a sliver, a tall one not a stamp.
    logo_rem = min(LOGO_MAX_REM, max(LOGO_MIN_REM, LOGO_REM / math.sqrt(width / height)))
    return {
        "logo_height_rem": round(logo_rem, 3),
        "warning_icon_url": bytes_uri(icons["warning"].svg("#ffffff"), "image/svg+xml"),
        "sheet": sheet,
        "bleed": job.options.bleed,
        "article_address": address,
        "qr_code": qr_data_uri(address),
        "icons": {name: {"alt": icon.alt, "url": bytes_uri(icon.svg(clinic.colours.primary), "image/svg+xml")}
                  for name, icon in icons.items()},
    }


def overflow_problem(job: RenderJob, sheet: Sheet, sections: list[dict], heights: dict[str, float],
                     page_pt: float) -> Problem:
    """Name the clinic, article, language and sheet, the largest part and what the content could set."""
    loc = job.localized
    message = (f"the {sheet.name} poster of '{loc.id}' in '{loc.lang}' for clinic '{job.clinic.id}' does not fit"
               f" on one sheet even with {sheet.body_min_pt:g} pt type and every shortening a poster may make")
    parts = [(heights.get(name, 0.0), name) for name in [*(s["section"].id for s in sections), "poster-contact"]]
    height, largest = max(parts, key=lambda part: part[0])  # max keeps the first of equal heights: page order
    share = f" ({round(100 * height / page_pt)} % of the sheet)"
    if largest == "poster-contact":
        clinic = job.clinic.source
        line, col = clinic.locate(("address",))
        return Problem(clinic.file, line, col, "address", message + "; its largest part is the clinic's contact"
                       f" and address{share}", "shorten the clinic's address lines or name")
    index = next(i for i, s in enumerate(loc.article.sections) if s.id == largest)
    shown = next(s for s in sections if s["section"].id == largest)
    line, col = _position_of(loc.source_file, largest)
    message += f"; its largest part is section '{largest}'{share}"
    settings = _settings_that_help([shown] + [s for s in sections if s is not shown])
    if settings is None:
        hint = ("every part left is a warning, which a poster never shortens: shorten the clinic's address lines"
                " or name, or give fewer warnings to one article")
    elif _warnings(shown) == len(shown["blocks"]):
        hint = f"a poster never shortens a warning: set {settings}"
    else:
        hint = f"set {settings}"
    return Problem(loc.source_file, line, col, f"sections[{index}].poster", message, hint)


def _warnings(shown: dict) -> int:
    return sum(1 for b in shown["blocks"] if b["block"].kind == "callout" and b["block"].style == "warning")


def _settings_that_help(sections: list[dict]) -> str | None:
    """The first `poster:` settings that would free room, in the given order of sections: a
    section without warnings as a whole, else its other lists and boxes one by one; None
    when nothing but warnings is left."""
    advice = []
    for shown in sections:
        if not _warnings(shown):
            advice.append(f"on section '{shown['section'].id}'")
        else:
            advice += [f"on {'list' if b['kind'] == 'list' else 'box'} '{b['block'].id}'" for b in shown["blocks"]
                       if not (b["block"].kind == "callout" and b["block"].style == "warning")]
        if len(advice) >= 2:
            break
    if not advice:
        return None
    return "`poster: summary` or `poster: omit` " + " or ".join(advice[:2])


def _position_of(path: str, section_id: str) -> tuple[int, int]:
    """Where the section's `id:` is in the article file, where `poster:` would go (the
    localized article keeps lines of texts only, and a translation's lines at that)."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError:
        return 1, 1
    pattern = re.compile(rf"^(\s*(?:- )?)id: ['\"]?{re.escape(section_id)}['\"]?\s*(#.*)?$")
    for number, text in enumerate(lines, 1):
        found = pattern.match(text)
        if found:
            return number, len(found.group(1)) + 1
    return 1, 1
