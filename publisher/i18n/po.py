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
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po, write_po

from publisher import __version__
from publisher.content import Project
from publisher.content.limits import FORBIDDEN_CHARACTER
from publisher.content.units import fingerprint
from publisher.errors import ContentError, Problem
from publisher.i18n import babel_locale
from publisher.i18n.exchange import Entry, apply, check_language, groups
from publisher.i18n.labels import LabelSet


def export_po(project: Project, labels: LabelSet, templates_dir: Path, lang: str, date: dt.date) -> bytes:
    stamp = dt.datetime.combine(date, dt.time(), tzinfo=dt.timezone.utc)
    catalog = Catalog(locale=babel_locale(lang), project="publisher", version=__version__,
                      creation_date=stamp, revision_date=stamp, fuzzy=False)
    for group in groups(project, labels, templates_dir, lang, with_notes=True):
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
            stale_from = done.source if done is not None and "fuzzy" in flags else None
            catalog.add(text, done.text if done else "", context=f"{group.name}:{unit_id}",
                        previous_id=stale_from if stale_from and stale_from != text else (),
                        auto_comments=[f"{group.name} {unit_id}", *_notes(group.notes.get(unit_id, ()))],
                        user_comments=comments, flags=flags)
    out = io.BytesIO()
    write_po(out, catalog, width=0, omit_header=False, include_previous=True)
    return out.getvalue()


def _notes(notes) -> list[str]:
    """Translator notes as `#.` lines: "Where: …", "Length: …", and placeholder advice as it is."""
    return [note if kind == "placeholders" else f"{kind.capitalize()}: {note}" for kind, note in notes]


def import_po(project: Project, labels: LabelSet, templates_dir: Path, lang: str, data: bytes,
              shown_as: str = "(PO file)") -> list[Path]:
    """Update the language's translation files from a PO file; return the files that changed.

    Every message is checked first, as content is (characters, length, review
    fields, placeholders), and problems are raised located in the PO file:
    nothing is written unless all of it can be.
    """
    check_language(lang, shown_as, project)
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
    entries, problems = {}, []
    for message in catalog:
        if not (message.id and message.context and message.string):
            continue
        if not isinstance(message.string, str) or not isinstance(message.id, str):
            problems.append(Problem(shown_as, message.lineno or 1, 1, str(message.context),
                                    "plural forms are not used here", "give one msgstr"))
            continue
        meta = dict(line.split(": ", 1) for line in message.user_comments if ": " in line)
        bad = [c for c in message.user_comments if FORBIDDEN_CHARACTER.search(c)]
        if bad:  # a comment that holds no `key: value` is checked all the same
            meta.setdefault("(comment)", bad[0])
        entries[message.context] = Entry(message.context, message.id, message.string, "fuzzy" in message.flags,
                                         meta, message.lineno or 1)
    return apply(project, labels, templates_dir, lang, entries, shown_as, problems)
