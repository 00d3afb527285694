"""What PO and XLIFF files share: the units a language's file holds, the
notes a translator reads beside each, and reading translated messages back.

A format module (po.py, xliff.py) turns its file into `Entry`s located in
that file; `apply` checks every entry as content is checked (characters,
length, placeholders of the template wording, review fields) and writes the
canonical translation files only when all of them pass, so both formats
write the same bytes for the same translations.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, TypeAdapter, ValidationError

from publisher.content import Project, TranslationSource, template_config
from publisher.content.limits import FORBIDDEN_CHARACTER, MAX_TEXT, describe_character
from publisher.content.models import LangTag, TranslatedUnit, TranslationFile
from publisher.content.units import fingerprint, units_of
from publisher.content.yamlsource import display_path
from publisher.errors import ContentError, Problem
from publisher.i18n import babel_locale
from publisher.i18n.catalog import ARTICLE_HEADER, LABELS_HEADER, write_translation
from publisher.i18n.labels import SOURCE_LANG, LabelSet
from publisher.templating import PLACEHOLDER

LABELS = "labels"
STATUSES = ("draft", "reviewed", "approved")
# Far above one language's file for a real catalogue (the seed article and the
# template wording: about 60 KB of PO, 90 KB of XLIFF), and refused before a byte is read.
MAX_EXCHANGE_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True)
class Group:
    """A set of units translated in one file: one article, or the template wording."""

    name: str
    units: dict[str, str]  # unit id -> source text, in source order
    translation: TranslationSource | None
    path: Path
    header: str
    # unit id -> (kind, note): where the text appears, its length limits, placeholders to keep
    notes: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict, compare=False)


def groups(project: Project, labels: LabelSet, templates_dir: Path, lang: str,
           with_notes: bool = False) -> list[Group]:
    language = babel_locale(lang).get_display_name("en") or lang
    limits = _Limits.read(templates_dir) if with_notes else None
    found = []
    for art_id, source in project.articles.items():
        folder = source.folder
        header = ARTICLE_HEADER.format(folder=f"articles/{folder.name}", language=language, lang=lang)
        units = units_of(source.article)
        notes = {uid: _article_notes(source, unit.path, limits) for uid, unit in units.items()} if limits else {}
        found.append(Group(art_id, {uid: u.text for uid, u in units.items()}, source.translations.get(lang),
                           folder / "translations" / f"{lang}.yaml", header, notes))
    label_notes = _label_notes(labels, templates_dir) if with_notes else {}
    found.append(Group(LABELS, dict(labels.source), labels.translations.get(lang),
                       templates_dir / "labels" / f"{lang}.yaml", LABELS_HEADER.format(language=language, lang=lang),
                       label_notes))
    return found


# ---- notes for translators: where a text appears, and how long it may be ----

@dataclass(frozen=True)
class _Limits:
    """Length limits that templates declare, quoted to translators where they apply."""

    title_min: str | None  # the deck's smallest title size, in points
    wide_from: str | None  # a poster tile this many characters wide takes a row of its own

    @classmethod
    def read(cls, templates_dir: Path) -> "_Limits":
        # A broken file of the templates folder only leaves its note out: `validate` and the build name it.
        outline = templates_dir / "deck" / "outline.yaml.j2"
        title_min = re.search(r"^\s*title_min:\s*(\d+)", outline.read_text(encoding="utf-8"), re.M) \
            if outline.is_file() else None
        fit, _, _ = template_config.read(templates_dir, template_config.POSTER_FIT, template_config.PosterFit)
        return cls(title_min.group(1) if title_min else None, str(fit.wide_from) if fit is not None else None)


def _article_notes(source, path: tuple, limits: _Limits) -> tuple[tuple[str, str], ...]:
    owner: object = source.article
    for part in path[:-1]:
        owner = owner[part] if isinstance(part, int) else getattr(owner, part)
    name = path[-1] if isinstance(path[-1], str) else path[-2]
    described = type(owner).model_fields[name].description if isinstance(owner, BaseModel) else None
    line, _ = source.source.locate(path)
    notes = [("where", f"{display_path(path)} (article.yaml line {line})" + (f": {described}" if described else ""))]
    slide_title = path == ("title",) or (len(path) == 3 and path[0] == "sections" and (
        path[2] == "slide_title" or (path[2] == "heading" and owner.slide_title is None)))
    if slide_title and limits.title_min:
        notes.append(("length", f"a slide title in decks; the build refuses a title that does not fit its slide"
                                f" at {limits.title_min} pt (`title_min` in templates/deck/outline.yaml.j2)"))
    # A tile shows an item's `short`, else its heading, else its text.
    tile = next((name for name in ("short", "heading", "text") if getattr(owner, name, None) is not None), None)
    if "items" in path and path[-1] == tile and limits.wide_from:
        notes.append(("length", f"a tile on posters; a tile text of {limits.wide_from} characters or more takes"
                                " a row of its own (`wide_from` in templates/poster/fit.yaml)"))
    return tuple(notes)


def _label_notes(labels: LabelSet, templates_dir: Path) -> dict[str, tuple[tuple[str, str], ...]]:
    """Each key's note: the comment right above it in labels/en.yaml, and the formats whose
    templates print it."""
    path = templates_dir / "labels" / f"{SOURCE_LANG}.yaml"
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    used: dict[str, set[str]] = {}
    for template in sorted(templates_dir.glob("*/*.j2")):
        for key in re.findall(r"\blabels\.([a-z_]+)", template.read_text(encoding="utf-8")):
            used.setdefault(key, set()).add(template.parent.name)
    notes = {}
    for key, text in labels.source.items():
        line, _ = labels.source_map.locate((key,))
        above = []
        while line - 2 - len(above) >= 0 and lines[line - 2 - len(above)].startswith("#"):
            above.insert(0, lines[line - 2 - len(above)].lstrip("#").strip())
        note = f"template wording `{key}` (templates/labels/{SOURCE_LANG}.yaml line {line})"
        if above and line - 1 - len(above) > 0:  # the file's own header speaks of the file, not of a key
            note += f": {' '.join(above)}"
        if used.get(key):
            note += f"; printed by the {', '.join(sorted(used[key]))} templates"
        names = sorted(set(PLACEHOLDER.findall(text)))
        notes[key] = (("where", note),) + ((("placeholders", f"Keep {', '.join('{' + n + '}' for n in names)}"
                                             " as written: the build puts a value there"),) if names else ())
    return notes


# ---- reading translations back ----

@dataclass(frozen=True)
class Entry:
    """One translated message read from a PO or XLIFF file, located there."""

    context: str  # "<article id>:<unit id>", or "labels:<key>"
    source: str  # the source text the translation was made from, as the file gives it
    text: str
    fuzzy: bool  # not (yet) a translation of `source`: stale, or marked for review
    meta: dict[str, str]  # status, reviewer, reviewed, as the file gives them
    line: int
    col: int = 1
    reviewed_field: str = "`# reviewed:`"  # how the file names the review date, for messages


def language_problem(lang: str, project: Project) -> tuple[str, str] | None:
    """Why `lang` cannot take translations (what is wrong, how to fix), or None."""
    try:
        TypeAdapter(LangTag).validate_python(lang)
    except ValidationError as exc:
        error = exc.errors()[0]
        return str(error.get("ctx", {}).get("error", "not a BCP 47 language tag")).partition(" — ")[0], ""
    if lang in {SOURCE_LANG} | {a.article.lang for a in project.articles.values()}:
        return (f"'{lang}' is a source language",
                "import translations into other languages only; edit the source files instead")
    return None


def check_language(lang: str, shown_as: str, project: Project, suffix: str = "po") -> None:
    problem = language_problem(lang, project)
    if problem is not None:
        what, hint = problem
        if not hint:
            what = f"the file is named for '{lang}': {what}"
            hint = f"name it <lang>.{suffix}, like fr.{suffix} or zh-Hans.{suffix}"
        raise ContentError([Problem(shown_as, 1, 1, "(file name)", what, hint)])


def apply(project: Project, labels: LabelSet, templates_dir: Path, lang: str, entries: dict[str, Entry],
          shown_as: str, problems: list[Problem] | None = None) -> list[Path]:
    """Check every entry, then write the language's translation files that change; return them.

    `problems` already found in the file are reported with these, all at once;
    nothing is written unless every entry passes.
    """
    problems = list(problems or [])
    planned = []
    for group in groups(project, labels, templates_dir, lang):
        old = dict(group.translation.translation.units) if group.translation else {}
        units = dict(old)
        for unit_id, text in group.units.items():
            entry = entries.get(f"{group.name}:{unit_id}")
            if entry is None or not entry.text:
                continue
            unit, found = _checked_unit(entry, old.get(unit_id), text if group.name == LABELS else None, shown_as)
            problems += found
            if unit is not None:
                units[unit_id] = unit
        if units != old:
            planned.append((group, units))
    if problems:
        raise ContentError(problems)
    changed = []
    for group, units in planned:
        kept = group.translation.translation if group.translation else None
        review = kept.review if kept else None
        if review is not None and review.status == "approved" and any(
                old.get(uid) is None or old[uid].text != unit.text for uid, unit in units.items()):
            review = review.model_copy(update={"status": "draft"})  # new wording has not been signed off
        translation = TranslationFile(lang=lang, policy=kept.policy if kept else None, review=review, units=units)
        if write_translation(group.path, translation, list(group.units), group.header):
            changed.append(group.path)
    return changed


def _checked_unit(entry: Entry, previous: TranslatedUnit | None, label_source: str | None,
                  shown_as: str) -> tuple[TranslatedUnit | None, list[Problem]]:
    def problem(text: str, hint: str) -> list[Problem]:
        return [Problem(shown_as, entry.line, entry.col, entry.context, text, hint)]

    for value in (entry.text, *entry.meta.values()):
        bad = FORBIDDEN_CHARACTER.search(value)
        if bad:
            return None, problem(f"{describe_character(bad.group())} is not allowed",
                                 "delete it; no handout, poster or deck can print it")
    if len(entry.text) > MAX_TEXT:
        return None, problem(f"the translation is {len(entry.text):,} characters long,"
                             f" more than the limit of {MAX_TEXT:,}", "shorten it, as the source text is short")
    if label_source is not None:
        want = sorted(set(PLACEHOLDER.findall(label_source)))
        have = sorted(set(PLACEHOLDER.findall(entry.text)))
        if want != have:
            return None, problem(f"placeholders {', '.join('{' + p + '}' for p in want) or '(none)'} expected,"
                                 f" found {', '.join('{' + p + '}' for p in have) or '(none)'}",
                                 "keep every {name} of the English text, untranslated")
    try:
        return _unit(entry, previous), []
    except ValueError as exc:  # a review date that is no date; ValidationError is a ValueError too
        if isinstance(exc, ValidationError):
            error = exc.errors()[0]
            text = str(error.get("ctx", {}).get("error", error["msg"]))
        else:
            text = (f"the {entry.reviewed_field} date is not a date as YYYY-MM-DD"
                    " — write a real calendar date such as 2025-03-31")
        what, _, hint = text.partition(" — ")
        return None, problem(what[0].lower() + what[1:], hint or "correct the translator comments above the message")


def _unit(entry: Entry, previous: TranslatedUnit | None) -> TranslatedUnit:
    status = entry.meta.get("status", "draft")
    if entry.fuzzy:
        # Still not a translation of the current text: keep the fingerprint it was made from.
        if previous is None:
            return TranslatedUnit(text=entry.text, fingerprint="0" * 16)
        stamp = previous.fingerprint
    else:
        stamp = fingerprint(entry.source)
    if previous is not None and previous.text != entry.text and status == previous.status:
        status = "draft"  # new wording has not been reviewed, whatever the old one was
    reviewed = entry.meta.get("reviewed")
    # The source is recorded with new work only, so a round trip of unchanged units changes no file.
    if previous is not None and previous.text == entry.text and previous.fingerprint == stamp:
        source = previous.source
    else:
        source = (previous.source if previous else None) if entry.fuzzy else entry.source
    return TranslatedUnit(
        text=entry.text, fingerprint=stamp, status=status if status in STATUSES else "draft",
        reviewer=entry.meta.get("reviewer") if status != "draft" else None,
        reviewed=dt.date.fromisoformat(reviewed) if reviewed and status != "draft" else None, source=source)
