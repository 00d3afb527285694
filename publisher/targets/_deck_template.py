"""The .pptx a deck is built on: the project's master or a clinic's own.

Layouts and placeholders are found by name, so a corporate template works
when its names match; a missing one is reported with the names it does have.
The project's own master takes the clinic's brand colours into its theme; a
clinic's template keeps its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from lxml import etree
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn

from publisher.content.assets import deck_template_zip_findings
from publisher.errors import Problem, RenderError
from publisher.targets import RenderJob

TITLE_TYPES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
DEFAULT_INSETS = (91440, 45720, 91440, 45720)  # EMU, DrawingML's defaults: left, top, right, bottom


@dataclass(frozen=True)
class Where:
    """Where to point the user when the template lacks something."""

    file: str
    line: int
    col: int
    field: str
    fix: str  # how to add what is missing


class DeckTemplate:
    def __init__(self, job: RenderJob):
        clinic = job.clinic
        if clinic.deck_template_path is not None:
            self.path = clinic.deck_template_path
            self.own = False
            line, col = clinic.source.locate(("deck_template",))
            self.where = Where(clinic.source.file, line, col, "deck_template",
                               "in PowerPoint's Slide Master view")
        else:
            self.path = job.templates_dir / "deck" / "master.pptx"
            self.own = True
            self.where = Where(f"{job.templates_dir.name}/deck/master.pptx", 1, 1, "(layout)",
                               "in tools/make_deck_master.py, then run `make deck-master`")
        if not self.own:
            # Checked at `validate`; again here, as the file is what the deck is made of.
            found = deck_template_zip_findings(self.path)
            if found:
                w = self.where
                raise RenderError([Problem(w.file, w.line, w.col, w.field,
                                           f"the deck template '{self.path.name}' is refused: {f}",
                                           "save the template from PowerPoint as .pptx, without links to"
                                           " outside files or addresses") for f in found])
        self.prs = Presentation(str(self.path))
        self._drop_sample_slides()
        self.layouts = {layout.name: layout for master in self.prs.slide_masters for layout in master.slide_layouts}
        self._placeholders: dict[str, list] = {}

    def placeholders(self, layout) -> list:
        """The layout's placeholders, listed once: python-pptx finds each one with XPath on every pass."""
        if layout.name not in self._placeholders:
            self._placeholders[layout.name] = list(layout.placeholders)
        return self._placeholders[layout.name]

    def _drop_sample_slides(self) -> None:
        """A corporate template often carries example slides; the deck starts empty."""
        id_list = self.prs.slides._sldIdLst
        for slide_id in list(id_list):
            self.prs.part.drop_rel(slide_id.rId)
            id_list.remove(slide_id)

    def _missing(self, message: str, hint: str) -> RenderError:
        w = self.where
        return RenderError([Problem(w.file, w.line, w.col, w.field, message, hint)])

    def layout(self, name: str):
        if name not in self.layouts:
            raise self._missing(
                f"the deck template '{self.path.name}' has no slide layout named '{name}'",
                f"add a layout named '{name}' {self.where.fix}"
                f" (layouts it has: {', '.join(sorted(self.layouts)) or 'none'})")
        return self.layouts[name]

    def placeholder(self, layout, name: str):
        for shape in self.placeholders(layout):
            if shape.name == name:
                return shape
        names = sorted(shape.name for shape in self.placeholders(layout))
        raise self._missing(
            f"the slide layout '{layout.name}' of '{self.path.name}' has no placeholder named '{name}'",
            f"name a placeholder '{name}' {self.where.fix} (placeholders it has: {', '.join(names)})")

    def title_placeholder(self, layout):
        for shape in self.placeholders(layout):
            if shape.placeholder_format.type in TITLE_TYPES:
                return shape
        raise self._missing(f"the slide layout '{layout.name}' of '{self.path.name}' has no title placeholder",
                            f"add a title placeholder to it {self.where.fix}; every slide needs a title")

    def mirror(self) -> None:
        """Lay the project's own master out right to left: every shape of the master and its
        layouts moves to the opposite side (the title rule under the start of a title, the
        logo and clinic name in the footer swap places). A clinic's own template is left as
        its designer made it: one meant for right-to-left decks is already laid out so."""
        if not self.own:
            return
        width = self.prs.slide_width
        for master in self.prs.slide_masters:
            for part in (master, *master.slide_layouts):
                for off in part._element.xpath("./p:cSld/p:spTree/*/p:spPr/a:xfrm/a:off"
                                               " | ./p:cSld/p:spTree/*/p:grpSpPr/a:xfrm/a:off"
                                               " | ./p:cSld/p:spTree/p:graphicFrame/p:xfrm/a:off"):
                    ext = off.getnext()
                    off.set("x", str(width - int(off.get("x")) - int(ext.get("cx"))))

    def theme(self) -> etree._Element:
        return etree.fromstring(self._theme_part().blob)

    def _theme_part(self):
        master = self.prs.slide_masters[0]
        return next(rel.target_part for rel in master.part.rels.values() if rel.reltype == RT.THEME)

    def theme_font(self, reference: str) -> str:
        """`+mj-lt` → the theme's heading Latin typeface; a plain name stays as it is."""
        if not reference.startswith("+"):
            return reference
        group = {"mj": "a:majorFont", "mn": "a:minorFont"}[reference[1:3]]
        slot = {"lt": "a:latin", "ea": "a:ea", "cs": "a:cs"}[reference[4:6]]
        found = self.theme().find(f".//a:fontScheme/{group}/{slot}", {"a": _A})
        return "" if found is None else found.get("typeface", "")

    def apply_brand(self, primary: str, accent: str) -> None:
        if not self.own:
            return
        part = self._theme_part()
        root = etree.fromstring(part.blob)
        scheme = root.find(".//a:clrScheme", {"a": _A})
        for slot, colour in (("dk2", primary), ("accent1", primary), ("hlink", primary), ("folHlink", primary),
                             ("lt2", accent), ("accent2", accent)):
            scheme.find(f"a:{slot}/a:srgbClr", {"a": _A}).set("val", colour.lstrip("#").upper())
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


_A = "http://schemas.openxmlformats.org/drawingml/2006/main"


def insets(layout_placeholder) -> tuple[int, int, int, int]:
    """The placeholder's text insets, as the layout or its master sets them."""
    shape = layout_placeholder
    values: list[int | None] = [None, None, None, None]
    while shape is not None:
        body_pr = shape._element.find(f"{qn('p:txBody')}/{qn('a:bodyPr')}")
        if body_pr is not None:
            for i, name in enumerate(("lIns", "tIns", "rIns", "bIns")):
                if values[i] is None and body_pr.get(name) is not None:
                    values[i] = int(body_pr.get(name))
        shape = getattr(shape, "_base_placeholder", None)
    return tuple(v if v is not None else d for v, d in zip(values, DEFAULT_INSETS))
