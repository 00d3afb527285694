"""Deck: the article as a 16:9 PowerPoint deck for a presenter, with speaker notes.

Which slides there are, in what order and on which layouts is declared in
`templates/deck/outline.yaml.j2`; the slide master is `templates/deck/
master.pptx` (made by `tools/make_deck_master.py`) or the clinic's own
`deck_template`. Slides carry short text that always fits its placeholder;
the speaker notes carry the article's full text.
"""

from __future__ import annotations

from publisher.targets import Rendered, RenderJob, Target, register


@register
class Deck(Target):
    name = "deck"
    suffix = ".pptx"
    variants = ("16x9",)
    template_dirs = ("{name}", "icons")  # icons: the warning box's

    def template_names(self, job: RenderJob) -> list[tuple[str, set[str]]]:
        """The outline template and the names it is handed, for `validate` to check before rendering."""
        from publisher.targets._deck_outline import TEMPLATE, outline_context

        return [(TEMPLATE, set(outline_context(job)))]

    def render(self, job: RenderJob) -> Rendered:
        from publisher.targets._deck_render import render_deck

        return render_deck(job)
