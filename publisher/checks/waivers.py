"""Waivers: an article excuses itself, or one of its units, from a gate, and says why.

An article's `waivers:` list names a gate id and a reason, optionally only
some languages (`lang:`) and only one section, block or item (`unit:`, which
covers what the unit holds). A waived finding is not dropped: every report
lists it as waived, with its reason, so a waiver is never silent.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from publisher.checks.gate import Finding, gates
from publisher.content.yamlsource import SourceMap, display_path
from publisher.errors import Problem


@dataclass(frozen=True, order=True)
class Waived:
    finding: Finding
    reason: str

    def __str__(self) -> str:
        return f"{self.finding} (waived: {self.reason})"


def descendants(article) -> dict[str, frozenset[str]]:
    """Each unit id -> itself and the ids of every unit it holds (a section's blocks and items)."""
    found: dict[str, frozenset[str]] = {}
    for section in article.sections:
        inner = {section.id}
        for block in section.blocks:
            items = {item.id for item in getattr(block, "items", None) or ()}
            items |= {bullet.id for bullet in getattr(block, "bullets", None) or ()}
            found.update({item: frozenset({item}) for item in items})
            found[block.id] = frozenset({block.id} | items)
            inner |= found[block.id]
        found[section.id] = frozenset(inner)
    found.update({message.id: frozenset({message.id}) for message in article.key_messages})
    return found


def apply(findings: list[Finding], article, lang: str | None) -> tuple[list[Finding], list[Waived]]:
    """The findings left after the article's waivers, and those waived with their reasons."""
    if article is None or not article.waivers:
        return list(findings), []
    held = descendants(article)
    kept, waived = [], []
    for finding in findings:
        waiver = next((w for w in article.waivers if w.gate == finding.gate
                       and (w.lang is None or lang in w.lang)
                       and (w.unit is None or finding.unit in held.get(w.unit, ()))), None)
        if waiver is None:
            kept.append(finding)
        else:
            waived.append(Waived(finding, waiver.reason))
    return kept, waived


def check_waivers(article, source: SourceMap, languages: list[str]) -> list[Problem]:
    """What a schema cannot see in an article's waivers: the gate, the unit and the languages exist."""
    known = gates()
    units = descendants(article)
    problems = []
    for index, waiver in enumerate(article.waivers):
        gate = known.get(waiver.gate)
        where = ("waivers", index)
        if gate is None:
            close = difflib.get_close_matches(waiver.gate, sorted(known), n=1)
            problems.append(_at(source, where + ("gate",), f"no gate '{waiver.gate}'",
                                f"did you mean '{close[0]}'?" if close
                                else "use an id that `publisher check --list` shows"))
        elif gate.reads == "clinic":
            problems.append(_at(source, where + ("gate",), f"the gate '{waiver.gate}' reads the clinic's profile,"
                                " which an article cannot waive", "fix the clinic's file instead"))
        if waiver.unit is not None and waiver.unit not in units:
            close = difflib.get_close_matches(waiver.unit, sorted(units), n=1)
            problems.append(_at(source, where + ("unit",), f"no section, block or item '{waiver.unit}' in the article",
                                f"did you mean '{close[0]}'?" if close else "use the `id` of one of the article's units"))
        for i, lang in enumerate(waiver.lang or ()):
            if lang not in languages:
                problems.append(_at(source, where + ("lang", i), f"the article is not built in '{lang}'",
                                    f"use one of {', '.join(languages)}"))
    return problems


def _at(source: SourceMap, path: tuple, message: str, hint: str) -> Problem:
    line, col = source.locate(path)
    return Problem(source.file, line, col, display_path(path), message, hint)
