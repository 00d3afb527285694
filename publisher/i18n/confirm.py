"""Confirm that an edit of the source kept its meaning, like clearing gettext's fuzzy flag.

A typo fixed in the English text makes its unit stale in every language. When
the editor knows the translations still say the same thing, confirming the
unit records the new source fingerprint in each translation that has the
unit, its text and review status untouched, so no reader gets a marked
fallback and no translator is asked for work that is already done.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from publisher.content import Project
from publisher.content.models import TranslationFile
from publisher.content.units import fingerprint
from publisher.i18n.catalog import write_translation
from publisher.i18n.labels import LabelSet
from publisher.i18n.exchange import LABELS, groups as _groups


class UnknownUnit(ValueError):
    """A unit id that no article (or the template wording) has."""


@dataclass(frozen=True)
class Confirmed:
    unit: str
    group: str  # the article, or "labels"
    langs: tuple[str, ...]  # the translations whose fingerprint moved


def confirm(project: Project, labels: LabelSet, templates_dir: Path, unit_ids: list[str],
            langs: list[str], all_langs: list[str]) -> tuple[list[Confirmed], list[Path]]:
    """Record the current source fingerprint of `unit_ids` in the translations of `langs`
    (every language when empty); return what was confirmed and the files written."""
    by_lang = {lang: _groups(project, labels, templates_dir, lang) for lang in (langs or all_langs)}
    known = {(g.name, uid) for groups in by_lang.values() for g in groups for uid in g.units}
    wanted = []
    for asked in unit_ids:
        group, _, uid = asked.rpartition(":") if asked.startswith(f"{LABELS}:") else ("", "", asked)
        matches = [(g, u) for g, u in known if u == uid and (not group or g == group)]
        if not matches:
            names = sorted({u if g != LABELS else f"{LABELS}:{u}" for g, u in known})
            close = difflib.get_close_matches(asked, names, n=1)
            raise UnknownUnit(f"no unit '{asked}' in any article or the template wording"
                              + (f" — did you mean '{close[0]}'?" if close else
                                 " — `publisher i18n status` lists the stale units"))
        wanted += sorted(set(matches))
    moved: dict[tuple[str, str], list[str]] = {}
    written = []
    for lang, groups in sorted(by_lang.items()):
        for group in groups:
            if group.translation is None:
                continue
            units = dict(group.translation.translation.units)
            changed = False
            for name, uid in wanted:
                done = units.get(uid)
                if name != group.name or done is None or done.fingerprint == fingerprint(group.units[uid]):
                    continue
                units[uid] = done.model_copy(update={"fingerprint": fingerprint(group.units[uid]),
                                                     "source": group.units[uid] if done.source else None})
                moved.setdefault((name, uid), []).append(lang)
                changed = True
            if changed:
                old = group.translation.translation
                new = TranslationFile(lang=lang, policy=old.policy, review=old.review, units=units)
                if write_translation(group.path, new, list(group.units), group.header):
                    written.append(group.path)
    return [Confirmed(uid, name, tuple(moved.get((name, uid), ()))) for name, uid in wanted], written
