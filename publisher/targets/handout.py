"""Patient handout: the article on one double-sided sheet, A4 or US Letter."""

from __future__ import annotations

from publisher.targets import Rendered, RenderJob, Target, register
from publisher.targets._html import page_context, render_html
from publisher.targets._weasy import render_pdf


@register
class Handout(Target):
    name = "handout"
    suffix = ".pdf"
    variants = ("a4", "letter")

    def render(self, job: RenderJob) -> Rendered:
        html = render_html(job, "handout/handout.html.j2", page_context(job))
        data, pages = render_pdf(html, job.templates_dir, f"templates/{self.name}")
        return Rendered(data, pages)
