"""Patient handout: the article on one double-sided sheet, A4 or US Letter."""

from __future__ import annotations

from publisher.content.yamlsource import safe_load
from publisher.errors import Problem, RenderError
from publisher.i18n.pseudo import is_pseudo
from publisher.targets import Rendered, RenderJob, Target, register
from publisher.targets._html import font_key, page_context, render_html
from publisher.targets._weasy import lay_out, write_pdf


@register
class Handout(Target):
    name = "handout"
    suffix = ".pdf"
    variants = ("a4", "letter")
    unused_fields = frozenset({"bullets", "notes", "slide_title", "short", "icon", "poster_headline", "poster"})

    def render(self, job: RenderJob) -> Rendered:
        layout = safe_load((job.templates_dir / self.name / "layout.yaml").read_text(encoding="utf-8"))
        budget = layout["max_pages"] + (1 if is_pseudo(job.localized.lang) else 0)
        context = page_context(job)
        densities = layout["densities"]
        for number, density in enumerate(densities, 1):
            html = render_html(job, "handout/handout.html.j2", {**context, "density": density})
            # Every density but the last may stop at the first page too many; the
            # last runs to the end, so that the error below can say how many it needs.
            limit = budget if number < len(densities) else None
            document = lay_out(html, job.templates_dir, f"templates/{self.name}", font_key(context), limit)
            if document is not None and len(document.pages) <= budget:
                return Rendered(write_pdf(document), len(document.pages))
        loc = job.localized
        raise RenderError([Problem(
            loc.source_file, 1, 1, "(layout)",
            f"the handout of '{loc.id}' in '{loc.lang}' on {job.variant} needs {len(document.pages)} pages"
            f" even at the '{density}' density; a handout has at most {budget}",
            "shorten the text, or split the article in two")])
