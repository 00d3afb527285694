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
    template_dirs = ("{name}",)
    unused_fields = frozenset({"short", "icon", "poster_headline", "poster"})

    def render(self, job: RenderJob) -> Rendered:
        from publisher.targets._deck_render import render_deck

        return render_deck(job)
