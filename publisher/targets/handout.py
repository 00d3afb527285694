"""Patient handout: the article on one double-sided sheet, A4 or US Letter."""

from __future__ import annotations

from publisher.content.yamlsource import safe_load
from publisher.errors import Problem, RenderError
from publisher.i18n.pseudo import is_pseudo
from publisher.icons import load_icons
from publisher.targets import Rendered, RenderJob, Target, register
from publisher.targets._html import bytes_uri, font_key, page_context, render_html
from publisher.targets._weasy import lay_out, write_pdf

# A warning must not wait on the back of the sheet: when one lands past the
# first page, the first page points to it. Placing the pointer can move the
# warning, so the layout is repeated until the pages it names are where it is.
MAX_POINTER_LAYOUTS = 3


@register
class Handout(Target):
    name = "handout"
    suffix = ".pdf"
    variants = ("a4", "letter")
    template_dirs = ("{name}", "shared", "icons")
    unused_fields = frozenset({"bullets", "notes", "slide_title", "short", "icon", "poster_headline"})

    def render(self, job: RenderJob) -> Rendered:
        layout = safe_load((job.templates_dir / self.name / "layout.yaml").read_text(encoding="utf-8"))
        budget = layout["max_pages"] + (1 if is_pseudo(job.localized.lang) else 0)
        warning = load_icons(job.templates_dir / "icons")["warning"]
        context = {**page_context(job), "pointers": [],
                   "warning_icon": bytes_uri(warning.svg("#8a1c1c"), "image/svg+xml")}
        warnings = _warnings(job.localized.article)
        densities = layout["densities"]
        for number, density in enumerate(densities, 1):
            # Every density but the last may stop at the first page too many; the
            # last runs to the end, so that the error below can say how many it needs.
            limit = budget if number < len(densities) else None
            pointers: list[dict] = []
            for _ in range(MAX_POINTER_LAYOUTS):
                html = render_html(job, "handout/handout.html.j2",
                                   {**context, "density": density, "pointers": pointers})
                document = lay_out(html, job.templates_dir, f"templates/{self.name}", font_key(context), limit)
                if document is None or len(document.pages) > budget:
                    break
                wanted = _pointers(document, warnings)
                if wanted == pointers:
                    return Rendered(write_pdf(document), len(document.pages))
                pointers = wanted
        loc = job.localized
        needed = len(document.pages) if document is not None else budget + 1
        raise RenderError([Problem(
            loc.source_file, 1, 1, "(layout)",
            f"the handout of '{loc.id}' in '{loc.lang}' on {job.variant} needs {needed} pages"
            f" even at the '{density}' density; a handout has at most {budget}",
            "shorten the text, or split the article in two")])


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
