"""Gettext PO files for translators (Weblate, Crowdin, Poedit open them).

One file per language holds every article's units and the template
wording. msgctxt is `<article>:<unit id>` (or `labels:<key>`), msgid the
current source text, msgstr the translation; a stale unit is exported
`fuzzy`, and its review status travels in a translator comment.
Importing reads them back into the canonical translation files.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po, write_po
from pydantic import TypeAdapter, ValidationError

from publisher import __version__
from publisher.content import Project, TranslationSource
from publisher.content.limits import FORBIDDEN_CHARACTER, MAX_TEXT, describe_character
from publisher.content.models import LangTag, TranslatedUnit, TranslationFile
from publisher.content.units import fingerprint, units_of
from publisher.i18n import babel_locale
from publisher.i18n.catalog import ARTICLE_HEADER, LABELS_HEADER, write_translation
from publisher.errors import ContentError, Problem
from publisher.i18n.labels import SOURCE_LANG, LabelSet
from publisher.templating import PLACEHOLDER

LABELS = "labels"


@dataclass(frozen=True)
class _Group:
    """A set of units translated in one file: one article, or the template wording."""

    name: str
    units: dict[str, str]  # unit id -> source text, in source order
    translation: TranslationSource | None
    path: Path
    header: str


def _groups(project: Project, labels: LabelSet, templates_dir: Path, lang: str) -> list[_Group]:
    language = babel_locale(lang).get_display_name("en") or lang
    groups = []
    for art_id, source in project.articles.items():
        folder = source.folder
        header = ARTICLE_HEADER.format(folder=f"articles/{folder.name}", language=language, lang=lang)
        groups.append(_Group(art_id, {uid: u.text for uid, u in units_of(source.article).items()},
                             source.translations.get(lang), folder / "translations" / f"{lang}.yaml", header))
    groups.append(_Group(LABELS, dict(labels.source), labels.translations.get(lang),
                         templates_dir / "labels" / f"{lang}.yaml", LABELS_HEADER.format(language=language, lang=lang)))
    return groups


def export_po(project: Project, labels: LabelSet, templates_dir: Path, lang: str, date: dt.date) -> bytes:
    stamp = dt.datetime.combine(date, dt.time(), tzinfo=dt.timezone.utc)
    catalog = Catalog(locale=babel_locale(lang), project="publisher", version=__version__,
                      creation_date=stamp, revision_date=stamp, fuzzy=False)
    for group in _groups(project, labels, templates_dir, lang):
        for unit_id, text in group.units.items():
            done = group.translation.translation.units.get(unit_id) if group.translation else None
            flags, comments = set(), []
            if done is not None:
                if done.fingerprint != fingerprint(text):
                    flags.add("fuzzy")
                comments.append(f"status: {done.status}")
                if done.reviewer:
                    comments.append(f"reviewer: {done.reviewer}")
                if done.reviewed:
                    comments.append(f"reviewed: {done.reviewed.isoformat()}")
            catalog.add(text, done.text if done else "", context=f"{group.name}:{unit_id}",
                        auto_comments=[f"{group.name} {unit_id}"], user_comments=comments, flags=flags)
    out = io.BytesIO()
    write_po(out, catalog, width=0, omit_header=False, include_previous=False)
    return out.getvalue()


def import_po(project: Project, labels: LabelSet, templates_dir: Path, lang: str, data: bytes,
              shown_as: str = "(PO file)") -> list[Path]:
    """Update the language's translation files from a PO file; return the files that changed.

    Every message is checked first, as content is (characters, length, review
    fields, placeholders), and problems are raised located in the PO file:
    nothing is written unless all of it can be.
    """
    _check_language(lang, shown_as, project)
    try:
        catalog = read_po(io.BytesIO(data), locale=babel_locale(lang), abort_invalid=True)
    except PoFileError as exc:
        # One printable line, without Babel's own count of lines (it starts at 0).
        reason = re.sub(r" on \d+$", "", FORBIDDEN_CHARACTER.sub("?", " ".join(str(exc).split())))
        reason = reason if len(reason) <= 100 else reason[:99] + "…"
        raise ContentError([Problem(shown_as, exc.lineno + 1, 1, "(PO)", f"cannot read the PO file: {reason}",
                                    "open and save it again in Poedit, or export it again")]) from None
    except (UnicodeDecodeError, LookupError, ValueError) as exc:
        raise ContentError([Problem(shown_as, 1, 1, "(PO)", f"cannot read the PO file ({type(exc).__name__})",
                                    "save it as UTF-8 and say so in its header: charset=UTF-8")]) from None
    by_context = {m.context: m for m in catalog if m.id and m.context}
    problems: list[Problem] = []
    planned = []
    for group in _groups(project, labels, templates_dir, lang):
        old = dict(group.translation.translation.units) if group.translation else {}
        units = dict(old)
        for unit_id, text in group.units.items():
            message = by_context.get(f"{group.name}:{unit_id}")
            if message is None or not message.string:
                continue
            unit, found = _checked_unit(message, old.get(unit_id), text if group.name == LABELS else None, shown_as)
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


def _check_language(lang: str, shown_as: str, project: Project) -> None:
    try:
        TypeAdapter(LangTag).validate_python(lang)
    except ValidationError as exc:
        error = exc.errors()[0]
        message = str(error.get("ctx", {}).get("error", "not a BCP 47 language tag")).partition(" — ")[0]
        raise ContentError([Problem(shown_as, 1, 1, "(file name)", f"the file is named for '{lang}': {message}",
                                    "name it <lang>.po, like fr.po or zh-Hans.po")]) from None
    sources = {SOURCE_LANG} | {a.article.lang for a in project.articles.values()}
    if lang in sources:
        raise ContentError([Problem(shown_as, 1, 1, "(file name)", f"'{lang}' is a source language",
                                    "import translations into other languages only; edit the source files instead")])


def _checked_unit(message, previous: TranslatedUnit | None, label_source: str | None,
                  shown_as: str) -> tuple[TranslatedUnit | None, list[Problem]]:
    def problem(text: str, hint: str) -> list[Problem]:
        return [Problem(shown_as, message.lineno or 1, 1, str(message.context), text, hint)]

    if not isinstance(message.string, str) or not isinstance(message.id, str):
        return None, problem("plural forms are not used here", "give one msgstr")
    values = [message.string, *message.user_comments]
    for value in values:
        bad = FORBIDDEN_CHARACTER.search(value)
        if bad:
            return None, problem(f"{describe_character(bad.group())} is not allowed",
                                 "delete it; no handout, poster or deck can print it")
    if len(message.string) > MAX_TEXT:
        return None, problem(f"the translation is {len(message.string):,} characters long,"
                             f" more than the limit of {MAX_TEXT:,}", "shorten it, as the source text is short")
    if label_source is not None:
        want = sorted(set(PLACEHOLDER.findall(label_source)))
        have = sorted(set(PLACEHOLDER.findall(message.string)))
        if want != have:
            return None, problem(f"placeholders {', '.join('{' + p + '}' for p in want) or '(none)'} expected,"
                                 f" found {', '.join('{' + p + '}' for p in have) or '(none)'}",
                                 "keep every {name} of the English text, untranslated")
    try:
        return _unit(message, previous), []
    except ValueError as exc:  # a review date that is no date; ValidationError is a ValueError too
        if isinstance(exc, ValidationError):
            error = exc.errors()[0]
            text = str(error.get("ctx", {}).get("error", error["msg"]))
        else:
            text = ("the `# reviewed:` date is not a date as YYYY-MM-DD"
                    " — write a real calendar date such as 2025-03-31")
        what, _, hint = text.partition(" — ")
        return None, problem(what[0].lower() + what[1:], hint or "correct the translator comments above the message")


def _unit(message, previous: TranslatedUnit | None) -> TranslatedUnit:
    meta = dict(line.split(": ", 1) for line in message.user_comments if ": " in line)
    status = meta.get("status", "draft")
    if "fuzzy" in message.flags:
        # Still not a translation of the current text: keep the fingerprint it was made from.
        if previous is None:
            return TranslatedUnit(text=message.string, fingerprint="0" * 16)
        stamp = previous.fingerprint
    else:
        stamp = fingerprint(message.id)
    if previous is not None and previous.text != message.string and status == previous.status:
        status = "draft"  # new wording has not been reviewed, whatever the old one was
    reviewed = meta.get("reviewed")
    return TranslatedUnit(
        text=message.string, fingerprint=stamp, status=status if status in ("draft", "reviewed", "approved") else "draft",
        reviewer=meta.get("reviewer") if status != "draft" else None,
        reviewed=dt.date.fromisoformat(reviewed) if reviewed and status != "draft" else None)
