"""Large-print handout: the handout's text and template in large type, on as many pages as it needs.

Clear-print guidance (RNIB, ACB, APH) sets large print at 18 pt or more, and
the NHS Accessible Information Standard makes it a duty on request. The page
is the handout's template extended (`templates/large-print/`), so the two
editions never drift apart in what they say; only the type, the spacing and
the margins differ, and there is no page budget to fit.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from publisher.targets import RenderJob, register
from publisher.targets.handout import Handout

if TYPE_CHECKING:
    from publisher.targets.shown import NotShown

# The one type setting of large-print.css: large print never shrinks to fit.
DENSITY = "large"
# Every text, the running header and footer included, stays an inch from the
# paper's edge (APH's and ACB's margins).
EDGE_MM = 25.4


@register
class LargePrint(Handout):
    name = "large-print"
    variants = ("a4", "letter")
    template_dirs = ("{name}", "handout", "shared", "icons")
    template = "large-print/large-print.html.j2"
    edge_mm = EDGE_MM

    def fitting(self, job: RenderJob) -> tuple[list[str], int | None]:
        return [DENSITY], None

    def not_shown(self, templates_dir: Path, label_keys: tuple[str, ...]) -> "NotShown":
        # It prints what the handout prints, from the same template: one declaration for both.
        from publisher.targets.shown import load_not_shown

        return load_not_shown(templates_dir, Handout.name, label_keys)
