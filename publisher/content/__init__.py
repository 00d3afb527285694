"""Load and validate every content file of a project.

`load_project()` reads all articles and clinic profiles, validates each
against the content model and checks what a schema cannot (unique ids,
logo files), and reports every problem in one go.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

from publisher.content import files
from publisher.content.assets import check_deck_template, check_logo
from publisher.content.limits import MAX_UNITS
from publisher.content.models import Article, Clinic, TranslationFile, TranslationPolicy
from publisher.content.units import units_of
from publisher.content.validate import validate
from publisher.content.yamlsource import SourceMap, YamlDocument, display_path, load_yaml
from publisher.errors import ContentError, Problem

__all__ = ["ArticleSource", "ClinicSource", "Project", "TranslationSource", "load_project", "shown_path"]

ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class TranslationSource:
    lang: str
    translation: TranslationFile
    source: SourceMap


@dataclass(frozen=True)
class ArticleSource:
    id: str
    article: Article
    source: SourceMap  # where each value sits in the YAML, for later errors
    translations: dict[str, TranslationSource]
    folder: Path


@dataclass(frozen=True)
class ClinicSource:
    id: str
    clinic: Clinic
    logo_path: Path
    source: SourceMap
    deck_template_path: Path | None = None  # the clinic's own .pptx, if it has one
    entry: int | None = None  # in a leaflet's view of the clinic: the `localized` entry it prints

    def for_language(self, lang: str) -> "ClinicSource":
        """The clinic as leaflets in `lang` show it (`Clinic.for_language`), still located in its file."""
        entry = next((i for i, e in enumerate(self.clinic.localized) if e.lang == lang), None)
        return replace(self, clinic=self.clinic.for_language(lang), entry=entry)


@dataclass(frozen=True)
class Project:
    content_dir: Path
    articles: dict[str, ArticleSource]
    clinics: dict[str, ClinicSource]
    policy: TranslationPolicy = TranslationPolicy()  # content/translation-policy.yaml

    def policy_for(self, article: str, lang: str) -> str:
        """What readers of `article` in `lang` get where a translation is missing or stale."""
        translation = self.articles[article].translations.get(lang)
        return self.policy.for_language(lang, translation.translation.policy if translation else None)


def shown_path(path: Path) -> str:
    """A path as the user should see it: relative to where they are, POSIX."""
    rel = os.path.relpath(path)
    return Path(rel if not rel.startswith("..") else path).as_posix()


def load_project(content_dir: Path) -> Project:
    content_dir = content_dir.resolve()
    problems: list[Problem] = []
    articles: dict[str, ArticleSource] = {}
    clinics: dict[str, ClinicSource] = {}

    for path in _files(content_dir / "articles", "*/article.yaml", problems, content_dir):
        art_id = path.parent.name
        if not ID_RE.match(art_id):
            problems.append(Problem(shown_path(path), 1, 1, "(folder name)",
                                    f"the article folder '{art_id}' is not a valid id",
                                    "rename the folder using lowercase letters, digits and hyphens"))
            continue
        doc = _read(path, problems)
        if doc is None:
            continue
        article, found = validate(doc, Article)
        problems += found
        if article is not None:
            problems += _check_ids(article, doc) + _check_units(article, doc)
            translations = _load_translations(path.parent / "translations", article, problems, content_dir)
            problems += _check_waivers(article, doc, [article.lang, *sorted(translations)])
            problems += _check_names(article, doc)
            articles[art_id] = ArticleSource(art_id, article, doc.source, translations, path.parent)

    for path in _files(content_dir / "clinics", "*.yaml", problems, content_dir):
        clinic_id = path.stem
        if not ID_RE.match(clinic_id):
            problems.append(Problem(shown_path(path), 1, 1, "(file name)",
                                    f"the clinic file name '{clinic_id}' is not a valid id",
                                    "rename the file using lowercase letters, digits and hyphens"))
            continue
        doc = _read(path, problems)
        if doc is None:
            continue
        clinic, found = validate(doc, Clinic)
        problems += found
        if clinic is not None:
            logo, found = _check_clinic(clinic, path, doc)
            problems += found
            deck_template, found = _check_deck_template(clinic, path, doc)
            problems += found
            if logo is not None and not found:
                clinics[clinic_id] = ClinicSource(clinic_id, clinic, logo, doc.source, deck_template)

    policy = _load_policy(content_dir / POLICY_FILE, problems)

    if problems:
        raise ContentError(problems)
    return Project(content_dir, dict(sorted(articles.items())), dict(sorted(clinics.items())), policy)


POLICY_FILE = "translation-policy.yaml"


def _load_policy(path: Path, problems: list[Problem]) -> TranslationPolicy:
    """The project's translation policy; without the file, `mark` for every language."""
    if not path.is_file():
        return TranslationPolicy()
    doc = _read(path, problems)
    if doc is None:
        return TranslationPolicy()
    policy, found = validate(doc, TranslationPolicy)
    problems += found
    return policy or TranslationPolicy()


def _load_translations(folder: Path, article: Article, problems: list[Problem],
                       content_dir: Path) -> dict[str, TranslationSource]:
    known = units_of(article)
    found: dict[str, TranslationSource] = {}
    for path in files.listing(folder, "*.yaml", content_dir, shown_path, problems):
        doc = _read(path, problems)
        if doc is None:
            continue
        translation, errors = validate(doc, TranslationFile)
        problems += errors
        if translation is None:
            continue
        problems += check_translation(translation, doc.source, path.stem, set(known), article.lang)
        found[translation.lang] = TranslationSource(translation.lang, translation, doc.source)
    return found


def check_translation(translation: TranslationFile, source: SourceMap, file_lang: str, known: set[str],
                      source_lang: str) -> list[Problem]:
    """What a schema cannot see: the right language, and only ids the source has."""
    problems = []
    if translation.lang != file_lang:
        line, col = source.locate(("lang",))
        problems.append(Problem(source.file, line, col, "lang",
                                f"the file is named for '{file_lang}' but says lang: {translation.lang}",
                                f"rename the file to {translation.lang}.yaml or correct `lang`"))
    if translation.lang == source_lang:
        line, col = source.locate(("lang",))
        problems.append(Problem(source.file, line, col, "lang",
                                f"'{translation.lang}' is the source language itself",
                                "edit the source file instead; translations are for other languages"))
    for unit_id in translation.units:
        if unit_id not in known:
            line, col = source.locate(("units", unit_id), key=True)
            close = difflib.get_close_matches(unit_id, sorted(known), n=1)
            hint = f"did you mean '{close[0]}'?" if close else "remove it; `publisher i18n export` lists the ids"
            problems.append(Problem(source.file, line, col, f"units.{unit_id}",
                                    f"no unit '{unit_id}' in the source", hint))
    return problems


def _files(folder: Path, pattern: str, problems: list[Problem], content_dir: Path) -> list[Path]:
    """The files to read, each a regular file inside the content folder (`publisher.content.files`)."""
    checked: list[Problem] = []
    if "/" in pattern:
        sub, name = pattern.split("/", 1)
        found = files.in_subfolders(folder, sub, name, content_dir, shown_path, checked)
    else:
        found = files.listing(folder, pattern, content_dir, shown_path, checked)
    problems += checked
    if not found and not checked:
        problems.append(Problem(shown_path(folder), 1, 1, "(folder)", f"no {pattern} files found",
                                f"check --content (now {shown_path(content_dir)}) points at the content folder"))
    return found


def _read(path: Path, problems: list[Problem]) -> YamlDocument | None:
    try:
        return load_yaml(path, shown_path(path))
    except ContentError as exc:
        problems += exc.problems
        return None


def _check_ids(article: Article, doc: YamlDocument) -> list[Problem]:
    """Ids key translations, so two units with one id would share a text."""
    seen: dict[str, int] = {}
    problems = []
    for path, value in _walk(doc.data, ()):
        if path[-1] != "id" or not isinstance(value, str):
            continue
        line, col = doc.source.locate(path)
        if value in seen:
            problems.append(Problem(doc.source.file, line, col, display_path(path),
                                    f"duplicate id '{value}' (first used on line {seen[value]})",
                                    "give each section, block and item its own id"))
        else:
            seen[value] = line
    return problems


def _check_waivers(article: Article, doc: YamlDocument, languages: list[str]) -> list[Problem]:
    from publisher.checks.waivers import check_waivers  # the gates' registry imports content modules

    return check_waivers(article, doc.source, languages) if article.waivers else []


def _check_names(article: Article, doc: YamlDocument) -> list[Problem]:
    """Each declared name is in the article's text as written, once: a name the text does not
    hold excuses nothing, and is most likely misspelt."""
    texts = [unit.text for unit in units_of(article).values()]
    problems, seen = [], {}
    for i, name in enumerate(article.names):
        line, col = doc.source.locate(("names", i))
        if name in seen:
            problems.append(Problem(doc.source.file, line, col, f"names[{i}]",
                                    f"'{name}' is declared twice (first on line {seen[name]})", "keep one"))
        elif not any(name in text for text in texts):
            problems.append(Problem(doc.source.file, line, col, f"names[{i}]",
                                    f"'{name}' is not in the article's text",
                                    "write the name exactly as the text has it, or remove it"))
        seen.setdefault(name, line)
    return problems


def _check_units(article: Article, doc: YamlDocument) -> list[Problem]:
    units = list(units_of(article).values())
    if len(units) <= MAX_UNITS:
        return []
    first_over = units[MAX_UNITS]
    line, col = doc.source.locate(first_over.path)
    return [Problem(doc.source.file, line, col, display_path(first_over.path),
                    f"the article has {len(units):,} texts to translate, more than the limit of {MAX_UNITS:,}",
                    "split it into several articles: a handout is a few pages")]


def _walk(data, path):
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _walk(value, path + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _walk(value, path + (i,))
    else:
        yield path, data


def _check_clinic(clinic: Clinic, path: Path, doc: YamlDocument) -> tuple[Path | None, list[Problem]]:
    # The colours' legibility is the `colour-contrast` gate's (publisher/checks/colour_contrast.py).
    logo, problems = check_logo(clinic, path, doc, shown_path(path.parent))
    problems += _check_localized(clinic, doc)
    return (None if problems else logo), problems


def _check_localized(clinic: Clinic, doc: YamlDocument) -> list[Problem]:
    """One `localized` entry per language, and none for the language the clinic's own name is in."""
    problems, seen = [], {}
    for i, entry in enumerate(clinic.localized):
        line, col = doc.source.locate(("localized", i, "lang"))
        where = f"localized[{i}].lang"
        if entry.lang == clinic.lang:
            problems.append(Problem(doc.source.file, line, col, where,
                                    f"'{entry.lang}' is the language `name` and `address` are written in",
                                    "edit `name` and `address` instead, or set `lang` to the language they are in"))
        elif entry.lang in seen:
            problems.append(Problem(doc.source.file, line, col, where,
                                    f"a second entry for '{entry.lang}' (the first is on line {seen[entry.lang]})",
                                    "keep one entry per language"))
        seen.setdefault(entry.lang, line)
    return problems


def _check_deck_template(clinic: Clinic, path: Path, doc: YamlDocument) -> tuple[Path | None, list[Problem]]:
    return check_deck_template(clinic, path, doc, shown_path(path.parent))


def contrast_on_white(colour: str) -> float:
    """WCAG 2 contrast ratio of `#RRGGBB` against white."""
    return contrast(colour, "#ffffff")


def contrast(text: str, background: str) -> float:
    """The WCAG contrast ratio of two #RRGGBB colours."""
    lighter, darker = sorted((_luminance(text), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
