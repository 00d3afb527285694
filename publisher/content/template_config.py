"""The templates folder's own files, validated like content.

A clinic or designer edits `templates/` too: the handout's page budget, the
poster sheets, the font and icon catalogues, the deck's fonts, the wording,
the Jinja templates. Each YAML file has a model here and is read through
`load_yaml`, so a misspelt key is a located error with a suggestion, not a
`KeyError` at render time; `check_templates` also checks what a model cannot
see (the files a catalogue names exist, a density has its CSS class, every
template compiles and names templates that exist), and both `validate` and
`build` run it before anything else about the templates.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, RootModel, model_validator

from publisher.content import shown_path
from publisher.content.validate import validate
from publisher.content.yamlsource import YamlDocument, display_path, load_yaml
from publisher.errors import ContentError, Problem

M = TypeVar("M", bound=BaseModel)

_FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\Z")
_THEME_FONT = re.compile(r"\+(mj|mn)-(lt|ea|cs)\Z")
_NAME = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*\Z")
_RANGE = re.compile(r"[0-9A-Fa-f]{4,6}(-[0-9A-Fa-f]{4,6})?\Z")


def _file_name(value: str) -> str:
    if not _FILE_NAME.match(value):
        raise ValueError(f"expected a file name without a folder, got {value!r}"
                         " — write only the name of a file in the folder this file describes")
    return value


def _typeface(value: str) -> str:
    if value.startswith("+") and not _THEME_FONT.match(value):
        raise ValueError(f"{value!r} is not a theme font reference"
                         " — use +mj-lt, +mj-ea, +mj-cs (headings) or +mn-lt, +mn-ea, +mn-cs (body), or a font's name")
    if not value.strip():
        raise ValueError("the typeface is empty — name a font or a theme font such as +mn-lt")
    return value


def _name(value: str) -> str:
    if not _NAME.match(value):
        raise ValueError(f"expected a name of lowercase letters, digits and hyphens, got {value!r}"
                         " — write it like `compact`")
    return value


def _code_points(value: str) -> str:
    if not _RANGE.match(value):
        raise ValueError(f"expected a code point or range in hexadecimal, got {value!r}"
                         ' — write it like "0020-007E" or "25CC", in quotes')
    return value


def _text(value: str) -> str:
    if not value.strip():
        raise ValueError("the text is empty — write the text")
    return value


FileName = Annotated[str, AfterValidator(_file_name)]
Typeface = Annotated[str, AfterValidator(_typeface)]
Name = Annotated[str, AfterValidator(_name)]
Text = Annotated[str, AfterValidator(_text)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- templates/handout/layout.yaml ---

class HandoutLayout(_Model):
    max_pages: int = Field(ge=1, le=20)
    densities: list[Name] = Field(min_length=1, max_length=20)


# --- templates/poster/sheets.yaml ---

class Sheet(_Model):
    name: Text  # as a person says it, for messages
    page: Text  # CSS page size
    margin: Text  # CSS length
    body_min_pt: float = Field(gt=0, le=200)
    body_max_pt: float = Field(gt=0, le=200)

    @model_validator(mode="after")
    def _range(self) -> "Sheet":
        if self.body_min_pt > self.body_max_pt:
            raise ValueError(f"body_min_pt ({self.body_min_pt:g}) is larger than body_max_pt ({self.body_max_pt:g})"
                             " — make body_min_pt the smaller of the two")
        return self


class Sheets(RootModel[dict[str, Sheet]]):
    pass


# --- templates/poster/fit.yaml ---

class FitStep(_Model):
    """One shortening step a poster may take (the file's comments say what each does)."""

    compact_footer: bool = False
    wide_tiles: bool = False
    list_limit: int | None = Field(None, ge=2, le=50)
    box_titles: bool = False
    run_in: bool = False
    omit_boxes: bool = False
    bare_warnings: bool = False
    small_headline: bool = False


class PosterFit(_Model):
    summary_items: int = Field(ge=2, le=50)
    wide_from: int = Field(ge=1, le=500)
    # Never below the poster's smallest type, 0.75 times the body (poster.css).
    word_fit_rem: list[Annotated[float, Field(ge=0.75, le=3)]] = Field(default_factory=list, max_length=10)
    steps: list[FitStep] = Field(max_length=50)


# --- templates/fonts/fonts.yaml ---

class FontFaceSpec(_Model):
    file: FileName
    weight: int = Field(ge=100, le=900)
    source: str | None = None  # where tools/make_fonts.py takes it from
    index: int | None = Field(default=None, ge=0)


class FontFamily(_Model):
    name: Text
    unicodes: list[Annotated[str, AfterValidator(_code_points)]] = []
    charsets: list[str] = []
    faces: list[FontFaceSpec] = Field(min_length=1)


class FontsFile(_Model):
    families: list[FontFamily] = Field(min_length=1)
    stacks: dict[str, list[str]]

    @model_validator(mode="after")
    def _default(self) -> "FontsFile":
        if "default" not in self.stacks:
            raise ValueError("`stacks` has no `default` — add `default: [Noto Sans]`, the stack of every other language")
        return self


# --- templates/icons/icons.yaml ---

class IconCatalogue(RootModel[dict[str, Text]]):
    pass


# --- templates/labels/en.yaml ---

class Labels(RootModel[dict[str, str]]):
    pass


# --- templates/deck/fonts.yaml ---

class Slots(_Model):
    latin: Typeface
    ea: Typeface
    cs: Typeface


class RoleFaces(_Model):
    title: Slots
    body: Slots


class Metric(_Model):
    regular: FileName
    bold: FileName
    source: str | None = None
    licence: str | None = None


class Fallback(_Model):
    regular: list[FileName] = []
    bold: list[FileName] = []
    # False where PowerPoint spaces the script's lines by the typeface the
    # deck names, not by this measuring font (Arabic, see _deck_fonts).
    sets_line: bool = True


class DeckFonts(_Model):
    typefaces: dict[str, RoleFaces]
    office_lang: dict[str, str] = {}
    metrics: dict[str, Metric]
    script_fallbacks: dict[str, Fallback] = {}

    @model_validator(mode="after")
    def _default(self) -> "DeckFonts":
        if "default" not in self.typefaces:
            raise ValueError("`typefaces` has no `default` — add `default:` with the title and body typefaces")
        return self


# --- loading ---

HANDOUT_LAYOUT = "handout/layout.yaml"
POSTER_SHEETS = "poster/sheets.yaml"
POSTER_FIT = "poster/fit.yaml"
FONTS = "fonts/fonts.yaml"
ICONS = "icons/icons.yaml"
DECK_FONTS = "deck/fonts.yaml"
LABELS = "labels/en.yaml"
FILES: dict[str, type[BaseModel]] = {HANDOUT_LAYOUT: HandoutLayout, POSTER_SHEETS: Sheets, POSTER_FIT: PosterFit,
                                     FONTS: FontsFile,
                                     ICONS: IconCatalogue, DECK_FONTS: DeckFonts}  # labels: publisher.i18n.labels


def shown_template_path(path: Path, templates_dir: Path) -> str:
    """As content paths are shown (relative to where the user is), or else as `templates/...`:
    a folder passed with --templates from elsewhere is still recognisable by its own layout."""
    shown = shown_path(path)
    if not Path(shown).is_absolute() or not path.is_relative_to(templates_dir.parent):
        return shown
    return path.relative_to(templates_dir.parent).as_posix()


def read(templates_dir: Path, relative: str, model: type[M]) -> tuple[M | None, YamlDocument | None, list[Problem]]:
    """One file of the templates folder, validated: the model (or None), the document, the problems."""
    path = templates_dir / relative
    shown = shown_template_path(path, templates_dir)
    if not path.is_file():
        return None, None, [Problem(shown, 1, 1, "(file)", "the file is missing",
                                    "restore it from the project's templates folder")]
    try:
        doc = load_yaml(path, shown)
    except ContentError as exc:
        return None, None, exc.problems
    found, problems = validate(doc, model)
    return found, doc, [_template_hint(p) for p in problems]


def load(templates_dir: Path, relative: str, model: type[M]) -> M:
    """One file of the templates folder, or a ContentError naming every problem in it."""
    found, _, problems = read(templates_dir, relative, model)
    if problems or found is None:
        raise ContentError(problems)
    return found


def _template_hint(problem: Problem) -> Problem:
    """Content's hints point at `publisher schema`; a template file documents itself in its comments."""
    if "`publisher schema`" not in problem.hint:
        return problem
    return Problem(problem.file, problem.line, problem.col, problem.field, problem.message,
                   problem.hint.replace("`publisher schema`", "the comments at the top of the file"))


def check_templates(templates_dir: Path) -> list[Problem]:
    """Every problem in the templates folder's YAML files and Jinja templates, all at once."""
    from publisher.templating import label_fills, parse_templates

    problems: list[Problem] = []
    for relative in FILES:
        problems += check_file(templates_dir, relative)
    trees, found = parse_templates(templates_dir)
    return problems + _check_labels(templates_dir, label_fills(trees)) + found


def check_file(templates_dir: Path, relative: str) -> list[Problem]:
    """The problems of one YAML file of the templates folder, and of the files it names."""
    if relative == ICONS and not (templates_dir / relative).is_file():
        return []  # no catalogue means no icons (see publisher.icons)
    found, doc, problems = read(templates_dir, relative, FILES[relative])
    if found is None:
        return problems
    checks = {HANDOUT_LAYOUT: _check_layout, POSTER_SHEETS: _check_sheets, POSTER_FIT: _check_nothing_more,
              FONTS: _check_fonts, ICONS: _check_icons, DECK_FONTS: _check_deck_fonts}
    return problems + checks[relative](templates_dir, found, doc)


def _at(doc: YamlDocument, path: tuple, message: str, hint: str, *, key: bool = False) -> Problem:
    line, col = doc.source.locate(path, key=key)
    return Problem(doc.source.file, line, col, display_path(path), message, hint)


def _check_layout(templates_dir: Path, layout: HandoutLayout, doc: YamlDocument) -> list[Problem]:
    css_path = templates_dir / "handout" / "handout.css"
    css = css_path.read_text(encoding="utf-8") if css_path.is_file() else ""
    defined = sorted(set(re.findall(r"\.density-([a-z0-9-]+)", css)))
    return [_at(doc, ("densities", i), f"the density '{name}' has no `.density-{name}` rule in"
                f" {shown_template_path(css_path, templates_dir)}", f"add the rule, or use one of: {', '.join(defined) or '(none)'}")
            for i, name in enumerate(layout.densities) if name not in defined]


def _check_sheets(templates_dir: Path, sheets: Sheets, doc: YamlDocument) -> list[Problem]:
    from publisher.targets import targets

    variants = targets()["poster"].variants
    return [_at(doc, (), f"no sheet '{variant}' is described; the poster is made in {', '.join(variants)}",
                f"add `{variant}:` with name, page, margin, body_min_pt and body_max_pt")
            for variant in variants if variant not in sheets.root]


def _check_nothing_more(templates_dir: Path, found: BaseModel, doc: YamlDocument) -> list[Problem]:
    return []  # the model says all there is to check


def _check_fonts(templates_dir: Path, fonts: FontsFile, doc: YamlDocument) -> list[Problem]:
    folder = templates_dir / "fonts"
    problems = []
    for i, family in enumerate(fonts.families):
        for j, face in enumerate(family.faces):
            if not (folder / face.file).is_file():
                problems.append(_at(doc, ("families", i, "faces", j, "file"),
                                    f"there is no {face.file} in {shown_template_path(folder, templates_dir)}/",
                                    "put the font file there (tools/make_fonts.py makes it) or correct the name"))
    names = [family.name for family in fonts.families]
    for lang, stack in fonts.stacks.items():
        for k, name in enumerate(stack):
            if name not in names:
                problems.append(_at(doc, ("stacks", lang, k), f"no family '{name}' is declared under `families`",
                                    f"use one of: {', '.join(names)}"))
    return problems


def _check_icons(templates_dir: Path, icons: IconCatalogue, doc: YamlDocument) -> list[Problem]:
    from publisher.content.assets import svg_findings

    folder = templates_dir / "icons"
    problems = []
    for name in icons.root:
        svg = folder / f"{name}.svg"
        if not _NAME.match(name):
            problems.append(_at(doc, (name,), f"the icon name '{name}' is not a plain name",
                                "use lowercase letters, digits and hyphens, like `pain-plan`", key=True))
        elif not svg.is_file():
            problems.append(_at(doc, (name,), f"there is no {name}.svg beside the catalogue",
                                "draw the icon or remove its entry", key=True))
        else:
            problems += [_at(doc, (name,), f"the icon {name}.svg is unusable: {finding}",
                             "draw it with shapes only", key=True) for finding in svg_findings(svg.read_bytes())]
    return problems


def _check_deck_fonts(templates_dir: Path, deck: DeckFonts, doc: YamlDocument) -> list[Problem]:
    problems = []
    for name, metric in deck.metrics.items():
        for weight in ("regular", "bold"):
            file = getattr(metric, weight)
            if not (templates_dir / "deck" / "fonts" / file).is_file():
                problems.append(_at(doc, ("metrics", name, weight), f"there is no {file} in"
                                    f" {shown_template_path(templates_dir / 'deck' / 'fonts', templates_dir)}/",
                                    "put the font file there (tools/make_deck_fonts.py makes it) or correct the name"))
    for lang, fallback in deck.script_fallbacks.items():
        for weight in ("regular", "bold"):
            for k, file in enumerate(getattr(fallback, weight)):
                if not (templates_dir / "fonts" / file).is_file():
                    problems.append(_at(doc, ("script_fallbacks", lang, weight, k), f"there is no {file} in"
                                        f" {shown_template_path(templates_dir / 'fonts', templates_dir)}/",
                                        "name one of the project's fonts there"))
    return problems


def _check_labels(templates_dir: Path, fills: dict[str, set[str]]) -> list[Problem]:
    """The wording and its translations, and that every placeholder in a label is one its templates fill."""
    from publisher.i18n.labels import load_labels
    from publisher.templating import PLACEHOLDER

    problems = []
    try:
        load_labels(templates_dir)
    except ContentError as exc:
        problems += exc.problems
    english, doc, _ = read(templates_dir, LABELS, Labels)  # its own problems are among load_labels' above
    for key, text in (english.root.items() if english else ()):
        unknown = sorted(set(PLACEHOLDER.findall(text)) - fills[key]) if key in fills else []
        if unknown:
            given = ", ".join("{" + n + "}" for n in sorted(fills[key])) or "none"
            problems.append(_at(doc, (key,), f"{', '.join('{' + n + '}' for n in unknown)} is not a placeholder"
                                f" the templates fill in here (they give: {given})",
                                "use only those names, in braces, and the same in every translation"))
    return problems
