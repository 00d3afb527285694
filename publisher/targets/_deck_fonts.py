"""Which typefaces a deck's runs name, and which open fonts measure them.

Declared in `templates/deck/fonts.yaml`: per language, the typefaces of
titles and body text (theme references such as `+mn-lt` by default, so a
clinic's template keeps its fonts), Office's name for the language, and the
metric-compatible font files that measure each typeface.
"""

from __future__ import annotations

from dataclasses import dataclass

from publisher.content import template_config
from publisher.errors import Problem, RenderError
from publisher.targets import RenderJob
from publisher.targets._deck_template import DeckTemplate
from publisher.targets._fit import Face, Faces, Fitter, Spacing
from publisher.targets._pptx_xml import Script

ROLES = ("title", "body")


@dataclass(frozen=True)
class Role:
    script: Script
    fitter: Fitter


def roles(job: RenderJob, template: DeckTemplate, spacing: Spacing) -> dict[str, Role]:
    folder = job.templates_dir / "deck"
    spec = template_config.load(job.templates_dir, template_config.DECK_FONTS, template_config.DeckFonts)
    lang = job.localized.lang
    typefaces = spec.typefaces.get(lang, spec.typefaces["default"]).model_dump()
    office_lang = spec.office_lang.get(lang, lang)
    metrics = {name: metric.model_dump() for name, metric in spec.metrics.items()}
    found = {}
    for role in ROLES:
        names = [template.theme_font(typefaces[role][slot]) for slot in ("latin", "ea", "cs")]
        if names[0] not in metrics:
            w = template.where
            raise RenderError([Problem(
                w.file, w.line, w.col, w.field,
                f"the deck's {role} font '{names[0]}' has no font to measure its text with",
                f"add '{names[0]}' under `metrics:` in {job.templates_dir.name}/deck/fonts.yaml"
                " with an open font of the same widths")])
        measured = list(dict.fromkeys(n for n in names if n in metrics))
        # Scripts the metric fonts lack (Arabic, Chinese) are measured with the
        # project's own fonts for them: PowerPoint's fonts for those scripts
        # have no open metric twin, and these are at least as wide.
        extra = spec.script_fallbacks[lang].model_dump() if lang in spec.script_fallbacks else {}
        sets_line = extra.get("sets_line", True)
        faces = Faces(
            tuple(Face(folder / "fonts" / metrics[n]["regular"]) for n in measured)
            + tuple(Face(job.templates_dir / "fonts" / f, sets_line) for f in extra.get("regular", [])),
            tuple(Face(folder / "fonts" / metrics[n]["bold"]) for n in measured)
            + tuple(Face(job.templates_dir / "fonts" / f, sets_line) for f in extra.get("bold", [])))
        clinic = job.clinic.clinic
        # The clinic's name is a proper name, printed as written: in its own language's runs.
        names = ((clinic.name, clinic.lang),) if clinic.lang != lang else ()
        foreign = tuple((text, spec.office_lang.get(source, source)) for text, source in job.localized.marked + names)
        script = Script(office_lang, job.localized.direction == "rtl", dict(typefaces[role]), foreign)
        found[role] = Role(script, Fitter(faces, spacing))
    return found
