"""The deck's outline: which slides, on which layouts, filled with what.

The outline is declared in `templates/deck/outline.yaml.j2`, rendered through
the one sandboxed Jinja environment into YAML and validated here, so that a
designer changes the deck's shape without touching Python. A mistake in the
template is reported against the template, never as a traceback.
"""

from __future__ import annotations

from typing import Annotated, Literal, Union

import yaml
from jinja2 import TemplateError
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from publisher.content.yamlsource import safe_load
from publisher.errors import Problem, RenderError
from publisher.targets import RenderJob
from publisher.templating import environment, template_problem

TEMPLATE = "deck/outline.yaml.j2"
TITLE_FLOOR, BODY_FLOOR = 28, 20  # points: the least a room full of older eyes should be asked to read


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Paragraph(_Model):
    text: str = ""
    lead: str | None = None  # bold words before the text
    level: Annotated[int, Field(ge=0, le=1)] = 0
    marker: Literal["none", "bullet", "number"] = "none"
    number: Annotated[int, Field(ge=1)] = 1
    notes: list[str] = Field(default_factory=list)
    source: str | None = None  # the article field the text comes from, or `clinic.<field>`
    # Shown after the text, which then reads as its bold heading, when the slide
    # has room for it without more slides: a list of one-word headings would
    # otherwise leave the slide empty and its explanations only in the notes.
    detail: str | None = None
    detail_lead: str | None = None  # the bold heading the text becomes, with its separator: "Walking: "
    sep: str = " "  # between `lead` and `text`
    keep: bool = False  # on one line, never broken: a phone number, an e-mail address, a web address

    @model_validator(mode="after")
    def _not_empty(self) -> "Paragraph":
        if not self.text.strip() and not (self.lead or "").strip():
            raise ValueError("a paragraph needs `text` or `lead`")
        return self


class WarningBox(_Model):
    """A warning box: a coloured shape with the warning icon, its title above its text,
    on the slide's last page when it fits beside what is there, else on a slide of its own."""

    title: str | None = None
    text: str | None = None
    items: list[str] = Field(default_factory=list)
    icon_alt: str = Field(min_length=1)
    notes: list[str] = Field(default_factory=list)
    source: str | None = None  # the article field to name when the box cannot fit

    @model_validator(mode="after")
    def _not_empty(self) -> "WarningBox":
        if not (self.title or self.text or self.items):
            raise ValueError("a warning needs `title`, `text` or `items`")
        return self


class Picture(_Model):
    image: Literal["logo"]
    alt: str = Field(min_length=1)


Fill = Union[Picture, str, list[Union[Paragraph, str]]]


class Slide(_Model):
    layout: str
    title: str = Field(min_length=1)
    source: str | None = None
    fill: dict[str, Fill] = Field(default_factory=dict)
    flow: str | None = None
    warnings: list[WarningBox] = Field(default_factory=list)  # boxes placed in the `flow` placeholder's area
    notes: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _flow_is_filled(self) -> "Slide":
        if self.flow is not None and not isinstance(self.fill.get(self.flow), list):
            raise ValueError(f"`flow: {self.flow}` needs a list of paragraphs under `fill: {self.flow}:`")
        if self.warnings and self.flow is None:
            raise ValueError("`warnings` are placed where the `flow` placeholder is: name one with `flow:`")
        return self

    def paragraphs(self, name: str) -> list[Paragraph]:
        value = self.fill[name]
        items = [value] if isinstance(value, str) else value
        return [Paragraph(text=item) if isinstance(item, str) else item for item in items]


class Text(_Model):
    title_min: Annotated[int, Field(ge=TITLE_FLOOR)]
    body_min: Annotated[int, Field(ge=BODY_FLOOR)]
    line: Annotated[float, Field(ge=0.8, le=2.0)] = 1.0
    before: Annotated[float, Field(ge=0.0, le=2.0)] = 0.4
    indent: Annotated[float, Field(gt=0.0, le=2.0)] = 0.45  # inches


class Continued(_Model):
    one: str  # "{title} (continued)"
    many: str  # "{title} (continued, {part} of {parts})"


class Outline(_Model):
    text: Text
    continued: Continued
    slides: list[Slide] = Field(min_length=1)


def outline_context(job: RenderJob) -> dict:
    loc = job.localized
    return {"loc": loc, "article": loc.article, "meta": loc.article.metadata, "labels": loc.labels,
            "clinic": job.clinic.clinic, "variant": job.variant}


def load_outline(job: RenderJob) -> Outline:
    context = outline_context(job)
    try:
        rendered = environment(job.templates_dir).get_template(TEMPLATE).render(context)
    except TemplateError as exc:
        raise template_problem(exc, job.templates_dir, TEMPLATE, context) from None
    shown = f"{job.templates_dir.name}/{TEMPLATE}"
    try:
        data = safe_load(rendered)  # libyaml where possible: a deck's outline is read on every render
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1} of the rendered YAML)" if mark else ""
        raise RenderError([Problem(shown, 1, 1, "(template)", f"the outline is not valid YAML{where}: "
                                   f"{getattr(exc, 'problem', exc)}", "pass every text through `| yaml`")]) from None
    try:
        return Outline.model_validate(data)
    except ValidationError as exc:
        problems = [Problem(shown, 1, 1, ".".join(str(p) for p in err["loc"]) or "(outline)", err["msg"],
                            "see the comment at the top of the outline template") for err in exc.errors()]
        raise RenderError(problems) from None
