"""Turn one outline slide into one or more real slides on the template.

Every text placeholder gets the largest size, from the one its layout
declares down to the outline's floor, at which its text fits; the `flow`
placeholder continues on "(continued)" slides when even the floor is too
large. Placeholders the outline leaves empty are removed, so no "Click to add
text" prompt is left behind.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.oxml.ns import qn
from pptx.util import Emu

from publisher.errors import Problem, RenderError
from publisher.i18n import LocalizedArticle, TextAt
from publisher.targets._deck_fonts import Role
from publisher.targets._deck_outline import BODY_FLOOR, Outline, Paragraph, Picture, Slide, WarningBox
from publisher.targets._deck_template import DeckTemplate, insets
from publisher.targets._fit import (HEIGHT_SLACK, NBSP, WIDTH_SLACK, Box, Page, Para, Span, glue_last,
                                    last_line_alone)
from publisher.targets._pptx_xml import Marker, colour_text, describe, fill_text, fix_insets, paragraph
from publisher.templating import fill

EMU_PER_PT = 12700
EMU_PER_INCH = 914400

# A warning box looks the same in every clinic's deck: white on dark red is
# 9.3:1, so no brand colour can weaken it.
WARNING_FILL, WARNING_INK = "8A1C1C", "FFFFFF"
WARNING_PAD = 0.15 * 72  # points, inside the box
WARNING_ICON = 0.75 * 72  # points, the icon's side
WARNING_GAP = 0.25 * 72  # points between the body text and the box
WARNING_TITLE_STEP = 4  # points the box's title is larger than its text


@dataclass(frozen=True)
class Made:
    title: str
    source: str | None


@dataclass(frozen=True)
class _Box:
    """A warning placed in the body area: its text size, and its top and height in points."""

    warning: WarningBox
    size: int
    top: float
    height: float


@dataclass
class _Plan:
    """One real slide: its page of the flowing text and the warnings below it."""

    page: Page | None
    boxes: list[_Box] = field(default_factory=list)


class SlideMaker:
    def __init__(self, template: DeckTemplate, outline: Outline, roles: dict[str, Role],
                 localized: LocalizedArticle, logo: tuple[bytes, tuple[int, int]], warning_icon: bytes,
                 clinic_texts: tuple[TextAt, ...] = ()):
        self.template = template
        self.warning_icon = warning_icon
        self.outline = outline
        self.roles = roles
        self.texts = {t.field: t for t in localized.texts} | {f"clinic.{t.field}": t for t in clinic_texts}
        self.logo = logo
        self.indent = outline.text.indent * 72  # points
        # What a layout's placeholder inherits (size, bold, insets, position) is
        # found by walking layout, master and text styles with XPath; slides on
        # one layout ask for the same answers, so each is looked up once a deck.
        self._inherited: dict[tuple, object] = {}

    def _once(self, placeholder, what: str, find):
        key = (placeholder.part.partname, placeholder.shape_id, what)
        if key not in self._inherited:
            self._inherited[key] = find(placeholder)
        return self._inherited[key]

    def _insets(self, placeholder) -> tuple[int, int, int, int]:
        return self._once(placeholder, "insets", insets)

    def _declared_size(self, placeholder, title: bool) -> int:
        return self._once(placeholder, f"size {title}", lambda ph: _declared_size(ph, title))

    def _declared_bold(self, placeholder, title: bool) -> bool:
        return self._once(placeholder, f"bold {title}", lambda ph: _declared_bold(ph, title))

    def _geometry(self, placeholder) -> tuple[int, int, int, int]:
        """left, top, width, height: a slide's placeholder takes them from its layout's."""
        return self._once(placeholder, "geometry", lambda ph: (ph.left, ph.top, ph.width, ph.height))

    # -- sizes ---------------------------------------------------------------

    def _sizes(self, placeholder, title: bool) -> range:
        declared = self._declared_size(placeholder, title)
        floor = self.outline.text.title_min if title else self.outline.text.body_min
        hard = 28 if title else 20
        top = max(declared, hard)
        return range(top, max(min(declared, floor), hard) - 1, -1)

    def _box(self, placeholder) -> Box:
        left, top, right, bottom = self._insets(placeholder)
        _, _, width, height = self._geometry(placeholder)
        return Box((width - left - right) / EMU_PER_PT, (height - top - bottom) / EMU_PER_PT)

    # -- paragraphs ----------------------------------------------------------

    def _para(self, key: int, p: Paragraph, bold: bool = False, measuring: bool = False) -> Para:
        """`bold`: the placeholder's own text is bold, so measure it so. `measuring`: a paragraph to
        `keep` is measured as one unbreakable word, so that it is given a size at which it fits on
        one line and no renderer breaks it; it is written as it is, so that a copied phone number
        or address has no invisible characters in it."""
        spans = []
        if p.lead:
            spans.append(Span(p.lead, bold=True))
        if p.text:
            text = p.text.replace(" ", NBSP) if p.keep and measuring else p.text
            spans.append(Span((p.sep if p.lead else "") + text, bold=bold))
        margin = (p.level + (p.marker != "none")) * self.indent
        return Para(tuple(spans), margin=margin, key=key)

    def _written(self, page: Page, sources: list[Paragraph]) -> list[tuple[Para, Marker, float]]:
        out, run_start, previous = [], None, None
        for i, para in enumerate(page.paras):
            source = sources[para.key]
            kind = source.marker if para.part == 0 else "none"
            if kind == "number":
                same_run = previous is not None and previous.marker == "number" and previous.level == source.level
                run_start = run_start if same_run else source.number
            previous = source if para.part == 0 else None
            hang = self.indent if kind != "none" else 0.0
            before = 0.0 if i == 0 else self.outline.text.before * page.size
            out.append((para, Marker(kind, run_start or 1, hang), before))
        return out

    # -- slides --------------------------------------------------------------

    def _paginate(self, placeholder, sources: list[Paragraph]) -> list[Page]:
        bold = self._declared_bold(placeholder, title=False)
        paras = [self._para(i, p, bold) for i, p in enumerate(sources)]
        return self.roles["body"].fitter.paginate(paras, self._box(placeholder), self._sizes(placeholder, title=False))

    def make(self, spec: Slide) -> list[Made]:
        layout = self.template.layout(spec.layout)
        title_ph = self.template.title_placeholder(layout)
        targets = {name: self.template.placeholder(layout, name) for name in spec.fill}
        pages: list[Page | None] = [None]
        flow_sources: list[Paragraph] = []
        if spec.flow:
            flow_sources = spec.paragraphs(spec.flow)
            pages = self._paginate(targets[spec.flow], flow_sources) if flow_sources else []
            # Headings with their explanations where that costs no extra slide: the whole
            # text, else its first sentence (the rest is in the notes either way).
            for shorten in (lambda text: text, first_sentence):
                detailed = [p.model_copy(update={"lead": p.detail_lead.rstrip(), "text": shorten(p.detail),
                                                 "sep": p.detail_lead[len(p.detail_lead.rstrip()):] or " ",
                                                 "detail": None})
                            if p.detail and p.detail_lead else p for p in flow_sources]
                if detailed == flow_sources:
                    break
                with_detail = self._paginate(targets[spec.flow], detailed)
                if len(with_detail) == len(pages):
                    pages, flow_sources = with_detail, detailed
                    break
        plans = [_Plan(page) for page in pages]
        for warning in spec.warnings:
            self._place(warning, plans, targets[spec.flow], spec)
        made = []
        for number, plan in enumerate(plans, 1):
            page = plan.page
            title = spec.title if number == 1 else fill(
                self.outline.continued.one if len(plans) == 2 else self.outline.continued.many,
                title=spec.title, part=number, parts=len(plans))
            slide = self.template.prs.slides.add_slide(layout)
            shapes = _name_placeholders(slide, self.template.placeholders(layout))
            self._text(shapes[title_ph.name], title_ph, [Paragraph(text=title, source=spec.source)], spec, title=True)
            for name, value in spec.fill.items():
                if isinstance(value, Picture):
                    self._picture(slide, shapes[name], targets[name], value)
                elif name == spec.flow:
                    if page is None:
                        shapes[name]._element.getparent().remove(shapes[name]._element)
                        continue
                    self._write(shapes[name], targets[name], self._written(page, flow_sources), page.size, "body")
                    if plan.boxes:  # the text's box ends where the warning's gap begins
                        left, top, width, _ = self._geometry(targets[name])
                        shape = shapes[name]  # a slide's own size needs its whole position
                        shape.left, shape.top, shape.width = Emu(left), Emu(top), Emu(width)
                        shape.height = Emu(round(self._body_used(page, targets[name]) * EMU_PER_PT))
                else:
                    self._text(shapes[name], targets[name], spec.paragraphs(name), spec, title=False)
            for name, shape in shapes.items():
                if name != title_ph.name and name not in spec.fill:
                    shape._element.getparent().remove(shape._element)
            for box in plan.boxes:
                self._warning(slide, targets[spec.flow], box)
            notes = list(spec.notes) if number == 1 else []
            if page is not None:
                notes += [n for para in page.paras if para.part == 0 for n in flow_sources[para.key].notes]
            notes += [n for box in plan.boxes for n in box.warning.notes]
            self._notes(slide, [n for n in notes if n.strip()])
            made.append(Made(title, spec.source))
        return made

    # -- warnings ------------------------------------------------------------

    def _body_used(self, page: Page, placeholder) -> float:
        """Points of the body placeholder's height its text needs, insets included."""
        left, top, right, bottom = self._insets(placeholder)
        text = self.roles["body"].fitter.height(page.paras, page.size, self._box(placeholder).width)
        return text / HEIGHT_SLACK + (top + bottom) / EMU_PER_PT + 1

    def _warning_paras(self, warning: WarningBox, size: int) -> list[tuple[Para, Marker, int]]:
        """The box's paragraphs with their sizes: the title bold and larger, the text bold."""
        out = []  # every paragraph's last two words joined: a warning never ends on a word alone
        if warning.title:
            out.append((Para((Span(glue_last(warning.title), bold=True),), key=len(out)), Marker(),
                        size + WARNING_TITLE_STEP))
        if warning.text:
            out.append((Para((Span(glue_last(warning.text), bold=True),), key=len(out)), Marker(), size))
        for item in warning.items:
            out.append((Para((Span(glue_last(item), bold=True),), margin=self.indent, key=len(out)),
                        Marker("bullet", 1, self.indent), size))
        return out

    def _warning_height(self, warning: WarningBox, size: int, width: float) -> float:
        """Points the box needs at `size`, for a box `width` points wide."""
        fitter = self.roles["body"].fitter
        text_width = width - 3 * WARNING_PAD - WARNING_ICON
        height = 0.0
        for i, (para, _, para_size) in enumerate(self._warning_paras(warning, size)):
            height += fitter.height([para], para_size, text_width) + (self.outline.text.before * para_size if i else 0)
        return max(height / HEIGHT_SLACK, WARNING_ICON) + 2 * WARNING_PAD

    def _place(self, warning: WarningBox, plans: list[_Plan], placeholder, spec: Slide) -> None:
        """Below the last slide's text when it fits there at the text's size or larger, else on a slide of its own."""
        _, _, width, height = (v / EMU_PER_PT for v in self._geometry(placeholder))
        top = self._declared_size(placeholder, title=False)
        if plans:
            last = plans[-1]
            if last.boxes:
                used = last.boxes[-1].top + last.boxes[-1].height + WARNING_GAP
                floor = last.boxes[-1].size
            else:
                used = self._body_used(last.page, placeholder) + WARNING_GAP
                floor = last.page.size
            for size in range(top, max(floor, BODY_FLOOR) - 1, -1):
                needed = self._warning_height(warning, size, width)
                if used + needed <= height:
                    last.boxes.append(_Box(warning, size, used, needed))
                    return
        for size in range(top, BODY_FLOOR - 1, -1):
            needed = self._warning_height(warning, size, width)
            if needed <= height:
                plans.append(_Plan(None, [_Box(warning, size, 0.0, needed)]))
                return
        at = self.texts.get(warning.source or "")
        message = (f"the warning on the slide '{spec.title}' does not fit on a slide of its own even at"
                   f" {BODY_FLOOR} pt; a warning is never cut or split")
        hint = "split it into two warnings, or move its details into a list after it"
        if at is None:
            raise RenderError([Problem("templates/deck/outline.yaml.j2", 1, 1, "(outline)", message, hint)])
        raise RenderError([Problem(at.file, at.line, at.col, at.field, message, hint)])

    def _warning(self, slide, placeholder, box: _Box) -> None:
        region_left, region_top, width, _ = self._geometry(placeholder)
        left, top = region_left, region_top + round(box.top * EMU_PER_PT)
        height = round(box.height * EMU_PER_PT)
        shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Emu(left), Emu(top), Emu(width), Emu(height))
        shape.name = "Warning"
        shape.fill.solid()
        shape.fill.fore_color.rgb = RGBColor.from_string(WARNING_FILL)
        shape.line.color.rgb = RGBColor.from_string(WARNING_FILL)
        shape.shadow.inherit = False
        pad, icon = round(WARNING_PAD * EMU_PER_PT), round(WARNING_ICON * EMU_PER_PT)
        rtl = self.roles["body"].script.rtl
        start, end = 2 * pad + icon, pad  # the icon sits at the start of the line: the right in Arabic
        body = shape.text_frame._txBody
        fix_insets(body, (end, pad, start, pad) if rtl else (start, pad, end, pad))
        body.find(qn("a:bodyPr")).set("anchor", "t")
        for p in body.findall(qn("a:p")):
            body.remove(p)
        for i, (para, marker, size) in enumerate(self._warning_paras(box.warning, box.size)):
            paragraph(body, para, marker, self.roles["body"].script, size=size, line=self.outline.text.line,
                      before=self.outline.text.before * size if i else 0.0)
        colour_text(body, WARNING_INK)
        icon_left = left + width - pad - icon if rtl else left + pad
        pic = slide.shapes.add_picture(io.BytesIO(self.warning_icon), Emu(icon_left), Emu(top + pad),
                                       Emu(icon), Emu(icon))
        describe(pic, "Warning icon", box.warning.icon_alt)

    def _text(self, shape, placeholder, sources: list[Paragraph], spec: Slide, title: bool) -> None:
        role = "title" if title else "body"
        # Titles are measured bold whatever the template says: bold is never narrower.
        measured = [self._para(i, p, title or self._declared_bold(placeholder, title), measuring=True)
                    for i, p in enumerate(sources)]
        paras = [self._para(i, p) for i, p in enumerate(sources)]  # written: bold only where asked
        sizes = self._sizes(placeholder, title)
        fitter, box = self.roles[role].fitter, self._box(placeholder)
        size = fitter.largest(measured, box, sizes)
        if size is None:
            raise self._too_long(sources, spec, placeholder.name, sizes[-1])
        # No word alone on a title's (or a question's) last line: where one is, at our
        # measure or at the renderer's fuller one, join it to the word before it.
        glued = [p.model_copy(update={"text": glue_last(p.text)})
                 if p.text and not p.keep and p.marker == "none" and any(
                     last_line_alone(fitter.lines(m, size, width)) for width in (box.width, box.width / WIDTH_SLACK))
                 else p for p, m in zip(sources, measured)]
        if glued != sources:
            measured_glued = [self._para(i, p, title or self._declared_bold(placeholder, title), measuring=True)
                              for i, p in enumerate(glued)]
            size_glued = fitter.largest(measured_glued, box, sizes)
            if size_glued is not None:
                sources, size = glued, size_glued
                paras = [self._para(i, p) for i, p in enumerate(sources)]
        self._write(shape, placeholder, self._written(Page(tuple(paras), size), sources), size, role)

    def _write(self, shape, placeholder, written, size: int, role: str) -> None:
        body = shape.text_frame._txBody
        fix_insets(body, self._insets(placeholder))
        fill_text(body, written, self.roles[role].script, size=size, line=self.outline.text.line)

    def _too_long(self, sources: list[Paragraph], spec: Slide, name: str, floor: int) -> RenderError:
        source = next((p.source for p in sources if p.source), None) or spec.source
        at = self.texts.get(source or "")
        message = f"the text for '{name}' on the slide '{spec.title}' does not fit even at {floor} pt"
        if at is None:
            return RenderError([Problem("templates/deck/outline.yaml.j2", 1, 1, "(outline)", message,
                                        "shorten the text, or let the placeholder `flow` onto more slides")])
        if source.startswith("clinic."):
            hint = (f"shorten the clinic's `{at.field}`, or give the deck template's '{name}' placeholder"
                    " room for more lines")
        elif at.field.startswith("sections[") and at.field.endswith("heading"):
            hint = "write a shorter `slide_title` for the slides"
        else:
            hint = "shorten the text"
        return RenderError([Problem(at.file, at.line, at.col, at.field, message, hint)])

    def _picture(self, slide, shape, placeholder, picture: Picture) -> None:
        """`shape`, the slide's placeholder, gives way to the picture, as large as its layout's
        `placeholder` holds at the picture's own aspect ratio, centred across the slot's height
        and against the slot's outer edge (a slot on the right half of the slide holds its
        picture to the right), so that a logo narrower than its slot stays by the slide's edge
        whether the master is mirrored or not."""
        data, (px_w, px_h) = self.logo
        box_left, box_top, box_width, box_height = self._geometry(placeholder)
        scale = min(box_width / px_w, box_height / px_h)
        width, height = round(px_w * scale), round(px_h * scale)
        if box_width > box_height:  # a wide slot: hold the logo to its outer edge
            outer_right = 2 * box_left + box_width > self.template.prs.slide_width
            left = box_left + box_width - width if outer_right else box_left
        else:
            left = box_left + (box_width - width) // 2
        top = box_top + (box_height - height) // 2
        pic = slide.shapes.add_picture(io.BytesIO(data), Emu(left), Emu(top), Emu(width), Emu(height))
        describe(pic, shape.name, picture.alt)
        shape._element.getparent().remove(shape._element)

    def _notes(self, slide, notes: list[str]) -> None:
        if not notes:
            return
        body = slide.notes_slide.notes_text_frame._txBody
        written = [(Para((Span(text),)), Marker(), 0.0) for text in notes]
        fill_text(body, written, self.roles["body"].script, size=None)


_SENTENCE = re.compile(r"^(.+?(?:[.!?\u061F](?=\s)|[\u3002\uFF01\uFF1F]))\s*\S")


def first_sentence(text: str) -> str:
    """The text's first sentence, or the text when it has one sentence."""
    found = _SENTENCE.match(text.strip())
    if found is None or (not found.group(1).endswith(("\u3002", "\uFF01", "\uFF1F"))
                         and len(found.group(1).split()) < 3):
        return text  # one sentence, or an abbreviation such as "Dr." taken for a sentence's end
    return found.group(1)


def _name_placeholders(slide, layout_placeholders: list) -> dict:
    """Slide placeholders by their layout placeholder's name (python-pptx numbers them)."""
    names = {ph.placeholder_format.idx: ph.name for ph in layout_placeholders}
    shapes = {}
    for shape in slide.placeholders:
        name = names[shape.placeholder_format.idx]
        shape.name = name
        shapes[name] = shape
    return shapes


def _declared(placeholder, attribute: str, title: bool):
    """A first-level text property as the layout, its master or the master's text styles declare it."""
    shape = placeholder
    while shape is not None:
        found = shape._element.xpath(f"./p:txBody/a:lstStyle/a:lvl1pPr/a:defRPr/@{attribute}")
        if found:
            return found[0]
        shape = getattr(shape, "_base_placeholder", None)
    master = placeholder.part.slide_layout.slide_master
    style = "p:titleStyle" if title else "p:bodyStyle"
    found = master._element.xpath(f"./p:txStyles/{style}/a:lvl1pPr/a:defRPr/@{attribute}")
    return found[0] if found else None


def _declared_size(placeholder, title: bool) -> int:
    return int(_declared(placeholder, "sz", title) or 1800) // 100


def _declared_bold(placeholder, title: bool) -> bool:
    return _declared(placeholder, "b", title) in ("1", "true")
