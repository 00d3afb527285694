"""Patient handout: the article on one double-sided sheet, A4 or US Letter."""

from __future__ import annotations

import math
from typing import ClassVar

from publisher.content import template_config
from publisher.errors import Problem, RenderError
from publisher.i18n.pseudo import is_pseudo
from publisher.icons import load_icons
from publisher.targets import Rendered, RenderJob, Target, register
from publisher.targets._html import bytes_uri, font_key, page_context, render_html
from publisher.targets._weasy import lay_out, write_pdf

# A warning must not wait on the back of the sheet: when one lands past the
# first page, the first page points to it.
MAX_SETTLING_LAYOUTS = 4
WARNING_RED = "#8a1c1c"  # as in handout.css: fixed, so its contrast never depends on a clinic's palette

# Clear space kept between a running header or footer and the text, in mm.
MARGIN_CLEARANCE_MM = 5
PX_PER_MM = 96 / 25.4

TEMPLATE = "handout/handout.html.j2"


@register
class Handout(Target):
    name = "handout"
    suffix = ".pdf"
    variants = ("a4", "letter")
    template_dirs = ("{name}", "shared", "icons")

    template: ClassVar[str] = TEMPLATE
    # Clear space between the paper's edge and the running header and footer,
    # in mm: none beyond the page margins' own for the handout, which has a
    # page budget to keep.
    edge_mm: ClassVar[float] = 0

    def template_names(self, job: RenderJob) -> list[tuple[str, set[str]]]:
        """The template and the names `render` hands it, for `validate` to check before rendering."""
        return [(self.template, set(page_context(job)) | {"density", "pointers", "margins", "warning_icon"})]

    def fitting(self, job: RenderJob) -> tuple[list[str], int | None]:
        """The densities to try, most generous first, and the page budget (None: no budget)."""
        layout = template_config.load(job.templates_dir, template_config.HANDOUT_LAYOUT, template_config.HandoutLayout)
        return layout.densities, layout.max_pages + (1 if is_pseudo(job.localized.lang) else 0)

    def render(self, job: RenderJob) -> Rendered:
        densities, budget = self.fitting(job)
        warning = load_icons(job.templates_dir / "icons")["warning"]
        context = {**page_context(job), "warning_icon": bytes_uri(warning.svg(WARNING_RED), "image/svg+xml")}
        warnings = _warnings(job.localized.article)
        # Settled per density: the pointers to warnings past the first page,
        # and the top and bottom margins, which grow when a clinic's long name
        # or address needs a taller running header or footer than the
        # stylesheet's. Each is measured on a layout and the layout repeated
        # until what it was made with is what it shows. Both only ever take
        # room, so a density that fails without them fails with them too.
        stylesheet: dict[str, float] = {}
        tried: dict[int, tuple] = {}  # density index -> (the layout kept or None, the last made, its margins)

        def attempt(index: int) -> tuple:
            if index in tried:
                return tried[index]
            density = densities[index]
            # Every density but the last may stop at the first page too many; the
            # last runs to the end, so that the error below can say how many it needs.
            limit = budget if index < len(densities) - 1 else None
            # Measured afresh for each density: one may widen the text column.
            pointers: list[dict] = []
            margins: dict[str, int] = {}
            kept = None
            for _ in range(MAX_SETTLING_LAYOUTS):
                html = render_html(job, self.template,
                                   {**context, "density": density, "pointers": pointers, "margins": margins})
                document = lay_out(html, job.templates_dir, f"templates/{self.name}", font_key(context), limit)
                if document is None or budget is not None and len(document.pages) > budget:
                    break
                wanted = _pointers(document, warnings), _margins(document, stylesheet, self.edge_mm)
                if wanted == (pointers, margins):
                    kept = document
                    break
                pointers, margins = wanted
            tried[index] = kept, document, margins
            return tried[index]

        # A clean build keeps the first density that fits. Densities only ever
        # get denser, so when the last build's choice still fits, the answer is
        # it or a more generous one: the first of those, walking back, whose
        # more generous neighbour overflows (or the first of all). When it no
        # longer fits, no density before it fits either, and the answer is the
        # first denser one that does: the search below, from there. After an
        # edit that moves nothing, two layouts (the second a trial stopped at
        # the first page too many) instead of one per density from the first.
        start = 0
        if _hinted(job, densities):
            start = densities.index(job.hint["density"])
            if attempt(start)[0]:
                while start > 0 and attempt(start - 1)[0]:
                    start -= 1
                return _kept(attempt(start)[0], densities[start])
        for index, density in enumerate(densities):
            if index < start:
                continue
            if attempt(index)[0]:
                return _kept(attempt(index)[0], density)
        _, document, margins = attempt(len(densities) - 1)
        loc = job.localized
        if budget is None:
            # Without a budget only the settling can fail: a pointer's page
            # number that moves the warning it points to, layout after layout.
            raise RenderError([Problem(loc.source_file, 1, 1, "(layout)",
                                       f"the {self.name} handout of '{loc.id}' in '{loc.lang}' on {job.variant}"
                                       f" (clinic '{job.clinic.id}') did not settle in {MAX_SETTLING_LAYOUTS} layouts:"
                                       " the pointer to a warning keeps moving it to another page",
                                       "shorten or lengthen the text before the warning by a line")])
        pages = len(document.pages) if document is not None else budget + 1
        message = (f"the handout of '{loc.id}' in '{loc.lang}' on {job.variant} needs {pages} pages"
                   f" even at the '{density}' density; a handout has at most {budget}")
        extra = {side: mm - stylesheet[side] for side, mm in margins.items() if side in stylesheet}
        if extra:
            # The clinic's header took room the article had with other clinics:
            # say so at the clinic's file, so its editor is not sent to the article.
            clinic = job.clinic
            line, col = clinic.source.locate(("name",))
            taller = round(sum(extra.values()))
            raise RenderError([Problem(
                clinic.source.file, line, col, "name",
                f"{message}, beside clinic '{clinic.id}', whose long name or web address makes the page"
                f" header {taller} mm taller than usual",
                f"shorten the clinic's name or web address here, or the text of {loc.source_file}")])
        raise RenderError([Problem(loc.source_file, 1, 1, "(layout)", f"{message} (clinic '{job.clinic.id}')",
                                   "shorten the text, or split the article in two")])


def _hinted(job: RenderJob, densities: list[str]) -> bool:
    """Whether the job carries a density of this layout (the state file may hold anything)."""
    return isinstance(job.hint, dict) and job.hint.get("density") in densities


def _kept(document, density: str) -> Rendered:
    return Rendered(write_pdf(document), len(document.pages), {"density": density})


def _warnings(article) -> list:
    return [block for section in article.sections for block in section.blocks
            if block.kind == "callout" and block.style == "warning"]


def _pointers(document, warnings: list) -> list[dict]:
    """A pointer for each warning that starts past the first page, naming its page."""
    found = []
    for block in warnings:
        page = next((n for n, page in enumerate(document.pages, 1) if block.id in page.anchors), 1)
        if page > 1:
            found.append({"id": block.id, "title": block.title or block.text, "page": page})
    return found


def _margins(document, stylesheet: dict[str, float], edge_mm: float = 0) -> dict[str, int]:
    """The top and bottom margins (whole mm) the running header and footer
    need where the stylesheet's are too small: their content's height and a
    clearance, or `edge_mm` of clear paper if that is more. `stylesheet`
    holds the stylesheet's own margins, learnt from the first layout (made
    without any)."""
    needed: dict[str, int] = {}
    for page in document.pages:
        for box in page._page_box.children:
            edge = getattr(box, "at_keyword", "")
            side = "top" if edge.startswith("@top") else "bottom" if edge.startswith("@bottom") else None
            if side is None or not box.children:
                continue  # a margin box a page does not use has nothing to measure
            stylesheet.setdefault(side, box.margin_height() / PX_PER_MM)
            content_mm = sum(child.margin_height() for child in box.children) / PX_PER_MM
            if content_mm + edge_mm > stylesheet[side] + 0.1:
                # Whole millimetres, rounded up: the same on every machine.
                needed[side] = max(needed.get(side, 0), math.ceil(content_mm + max(MARGIN_CLEARANCE_MM, edge_mm)))
    return needed
