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
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from publisher import __version__
from publisher.content import Project, TranslationSource
from publisher.content.models import TranslatedUnit, TranslationFile
from publisher.content.units import fingerprint, units_of
from publisher.i18n import babel_locale
from publisher.i18n.catalog import ARTICLE_HEADER, LABELS_HEADER, write_translation
from publisher.i18n.labels import LabelSet

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


def import_po(project: Project, labels: LabelSet, templates_dir: Path, lang: str, data: bytes) -> list[Path]:
    """Update the language's translation files from a PO file; return the files that changed."""
    catalog = read_po(io.BytesIO(data), locale=babel_locale(lang))
    by_context = {m.context: m for m in catalog if m.id and m.context}
    changed = []
    for group in _groups(project, labels, templates_dir, lang):
        old = dict(group.translation.translation.units) if group.translation else {}
        units = dict(old)
        for unit_id, text in group.units.items():
            message = by_context.get(f"{group.name}:{unit_id}")
            if message is None or not message.string:
                continue
            units[unit_id] = _unit(message, old.get(unit_id))
        if units == old:
            continue
        translation = TranslationFile(lang=lang, units=units)
        if write_translation(group.path, translation, list(group.units), group.header):
            changed.append(group.path)
    return changed


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
