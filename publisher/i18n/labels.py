"""Template wording: the source language's labels and their translations.

`templates/labels/en.yaml` holds the wording; `templates/labels/<lang>.yaml`
translate it unit by unit, in the same format as article translations.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from publisher.content import TranslationSource, check_translation, template_config
from publisher.content.models import TranslationFile
from publisher.content.validate import validate
from publisher.content.yamlsource import SourceMap, load_yaml
from publisher.errors import ContentError, Problem
from publisher.templating import PLACEHOLDER

SOURCE_LANG = "en"


@dataclass(frozen=True)
class LabelSet:
    source: dict[str, str]
    source_map: SourceMap
    translations: dict[str, TranslationSource]


@lru_cache(maxsize=4)
def load_labels(templates_dir: Path) -> LabelSet:
    folder = templates_dir / "labels"
    source_path = folder / f"{SOURCE_LANG}.yaml"
    english, doc, problems = template_config.read(templates_dir, template_config.LABELS, template_config.Labels)
    if english is None:
        raise ContentError(problems)
    translations: dict[str, TranslationSource] = {}
    for path in sorted(folder.glob("*.yaml")):
        if path == source_path:
            continue
        try:
            tdoc = load_yaml(path, template_config.shown_template_path(path, templates_dir))
        except ContentError as exc:
            problems += exc.problems
            continue
        translation, errors = validate(tdoc, TranslationFile)
        problems += errors
        if translation is None:
            continue
        problems += check_translation(translation, tdoc.source, path.stem, set(doc.data), SOURCE_LANG)
        problems += _check_placeholders(translation, tdoc.source, doc.data)
        translations[translation.lang] = TranslationSource(translation.lang, translation, tdoc.source)
    if problems:
        raise ContentError(problems)
    return LabelSet(dict(doc.data), doc.source, translations)


def _check_placeholders(translation: TranslationFile, source: SourceMap, english: dict[str, str]) -> list[Problem]:
    problems = []
    for key, unit in translation.units.items():
        want = sorted(set(PLACEHOLDER.findall(english.get(key, ""))))
        have = sorted(set(PLACEHOLDER.findall(unit.text)))
        if want != have:
            line, col = source.locate(("units", key, "text"))
            problems.append(Problem(
                source.file, line, col, f"units.{key}.text",
                f"placeholders {', '.join('{' + p + '}' for p in want) or '(none)'} expected,"
                f" found {', '.join('{' + p + '}' for p in have) or '(none)'}",
                "keep every {name} of the English text, untranslated"))
    return problems
