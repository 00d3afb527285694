"""Where each language stands: translated, stale, missing and approved units.

A unit is stale when its source text changed after it was translated (the
recorded fingerprint no longer matches). `--strict` turns stale and missing
units into errors, so CI never ships a leaflet that silently mixes old and
new text.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from publisher.content import Project, TranslationSource
from publisher.content.models import Review
from publisher.content.units import fingerprint, units_of
from publisher.errors import Problem
from publisher.i18n.labels import LabelSet

TEMPLATES_ROW = "(template wording)"


@dataclass
class Row:
    article: str
    lang: str
    total: int = 0
    translated: int = 0
    stale: int = 0
    missing: int = 0
    approved: int = 0
    problems: list[Problem] = field(default_factory=list)
    policy: str = "mark"
    stale_ids: list[str] = field(default_factory=list)
    review: Review | None = None  # the translation's clinical sign-off, if it records one
    missing_ids: list[str] = field(default_factory=list)

    @property
    def review_state(self) -> str:
        if self.review is None:
            return "-"
        if self.review.status == "approved" and (self.stale or self.missing):
            return "withdrawn"
        return self.review.status

    def percent(self, count: int) -> str:
        return f"{100 * count // self.total}%" if self.total else "-"


def project_languages(project: Project, labels: LabelSet) -> list[str]:
    """Every language anything in the project is translated into."""
    langs = set(labels.translations)
    for source in project.articles.values():
        langs |= set(source.translations)
    return sorted(langs)


def translation_status(project: Project, labels: LabelSet, langs: list[str] | None = None) -> list[Row]:
    rows = []
    for lang in langs or project_languages(project, labels):
        for art_id, source in project.articles.items():
            if lang == source.article.lang:
                continue
            units = {uid: (u.text, source.source.locate(u.path)) for uid, u in units_of(source.article).items()}
            where = f"{source.folder.name}/translations/{lang}.yaml"
            rows.append(_row(art_id, lang, units, source.translations.get(lang), source.source.file, where,
                             project.policy_for(art_id, lang)))
        units = {key: (text, labels.source_map.locate((key,))) for key, text in labels.source.items()}
        rows.append(_row(TEMPLATES_ROW, lang, units, labels.translations.get(lang), labels.source_map.file,
                         f"labels/{lang}.yaml", project.policy.for_language(lang)))
    return rows


def _row(article: str, lang: str, units: dict[str, tuple[str, tuple[int, int]]],
         translation: TranslationSource | None, source_file: str, expected_file: str, policy: str) -> Row:
    row = Row(article, lang, total=len(units), policy=policy,
              review=translation.translation.review if translation else None)
    for unit_id, (text, (line, col)) in units.items():
        done = translation.translation.units.get(unit_id) if translation else None
        if done is None:
            row.missing += 1
            row.missing_ids.append(unit_id)
            row.problems.append(Problem(source_file, line, col, unit_id, f"missing in '{lang}'",
                                        f"translate it into {expected_file} (see `publisher i18n export`)"))
        elif done.fingerprint != fingerprint(text):
            row.stale += 1
            row.stale_ids.append(unit_id)
            tline, tcol = translation.source.locate(("units", unit_id, "text"))
            row.problems.append(Problem(translation.source.file, tline, tcol, f"units.{unit_id}",
                                        f"stale in '{lang}': the source text changed after it was translated",
                                        "translate the new text, then `publisher i18n import` records it"))
        else:
            row.translated += 1
            row.approved += done.status == "approved"
    return row


def format_table(rows: list[Row]) -> str:
    header = ("article", "lang", "units", "translated", "stale", "missing", "approved", "policy", "review")
    lines = [header]
    for r in rows:
        lines.append((r.article, r.lang, str(r.total), f"{r.translated} ({r.percent(r.translated)})",
                      str(r.stale), str(r.missing), f"{r.approved} ({r.percent(r.approved)})", r.policy,
                      r.review_state))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    table = ["  ".join(cell.ljust(w) if i < 2 or i >= 7 else cell.rjust(w) for i, (cell, w) in
                       enumerate(zip(line, widths))).rstrip() for line in lines]
    return "\n".join(table + [line for r in rows for line in what_readers_get(r) + review_lines(r)])


def review_lines(row: Row) -> list[str]:
    """Who signed the translation off and when, or why the approval no longer holds."""
    if row.review is None or row.review.status != "approved":
        return []
    where, signed = f"{row.article} in '{row.lang}'", f"{row.review.reviewer_role} on {row.review.date.isoformat()}"
    if row.review_state == "withdrawn":
        return [f"{where}: approval by {signed} withdrawn: changed or missing since:"
                f" {', '.join(row.stale_ids + row.missing_ids)} (translate, or `publisher i18n confirm`)"]
    return [f"{where}: approved by {signed}"]


def what_readers_get(row: Row) -> list[str]:
    """One line per kind of untranslated unit: what the policy shows the reader in its place."""
    where = f"{row.article} in '{row.lang}'"
    shown = "shown in the source language, marked for the reader"
    if row.policy == "block" and (row.stale_ids or row.missing_ids):
        return [f"{where}: not built (policy block) until these are translated:"
                f" {', '.join(row.stale_ids + row.missing_ids)}"]
    lines = []
    if row.stale_ids:
        what = "previous translation kept, awaiting update (policy previous)" if row.policy == "previous" \
            else f"{shown} (policy mark)"
        lines.append(f"{where}: stale, {what}: {', '.join(row.stale_ids)}")
    if row.missing_ids:
        lines.append(f"{where}: missing, {shown} (policy {row.policy}): {', '.join(row.missing_ids)}")
    return lines


def blocked_problems(project: Project, templates_dir, blocked) -> list[Problem]:
    """Where each unit that holds a language back under `block` is, one located line each."""
    from publisher.i18n.labels import load_labels

    wanted = {(loc.id, loc.lang) for loc in blocked}
    langs = sorted({lang for _, lang in wanted})
    rows = translation_status(project, load_labels(templates_dir), langs)
    problems = []
    for row in rows:
        if (row.article, row.lang) in wanted or (row.article == TEMPLATES_ROW and row.lang in langs):
            problems += [replace(p, message=f"{p.message}; the translation policy 'block' holds the language back")
                         for p in row.problems]
    return problems
