"""The checks stage's runner: every gate over its subjects, thresholds resolved, waivers applied.

One `Runner` per command: it finds the gates, reads their thresholds (the
defaults, then the content folder's `checks.yaml`), and runs each gate that
applies to a subject with that subject's language's thresholds. A subject's
`Result` holds what remains after the article's waivers, what was waived
(with the reason), and the gate's scores for the report's table.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from publisher.checks.config import Thresholds, load_thresholds
from publisher.checks.gate import ClinicSubject, ContentSubject, Finding, Gate, OutputSubject, Score, gates
from publisher.checks.remembered import Remembered, rememberable, subject_digest
from publisher.checks.waivers import Waived, apply
from publisher.errors import Problem


@dataclass
class Result:
    """What the gates found in one subject: an article in a language, a built file, or a clinic."""

    key: str  # "article/lang", the file's path in output/, or "clinic/<id>"
    article: str = ""
    lang: str = ""
    findings: list[Finding] = field(default_factory=list)
    waived: list[Waived] = field(default_factory=list)
    scores: list[tuple[str, Score]] = field(default_factory=list)  # (gate id, score)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    def json(self) -> dict[str, Any]:
        return {
            "findings": [_finding_json(f) for f in self.findings],
            "waived": [{**_finding_json(w.finding), "reason": w.reason} for w in self.waived],
            "scores": [{"gate": gate, "name": s.name, "value": s.value, "limit": s.limit, "passed": s.passed}
                       for gate, s in self.scores],
        }


def _finding_json(finding: Finding) -> dict[str, Any]:
    return {"gate": finding.gate, "severity": finding.severity, "file": finding.file, "line": finding.line,
            "col": finding.col, "field": finding.field, "unit": finding.unit, "message": finding.message,
            "hint": finding.hint, "text": str(finding)}


def problems(results: Iterable[Result]) -> list[Problem]:
    """The error-level findings that no waiver excuses, as the build's usual errors."""
    return [f.problem() for result in results for f in result.errors]


class Runner:
    def __init__(self, project, gate_ids: Iterable[str] | None = None, cache: Path | None = None):
        """`gate_ids` limits the run to some gates (tests); the thresholds of all are still checked.
        With a `cache` folder (the build's `--cache`), content gates' findings are kept there."""
        everything = gates()
        self.project = project
        self.remembered = Remembered(cache) if cache is not None else None
        self.thresholds: Thresholds = load_thresholds(project.content_dir, list(everything))
        chosen = set(everything) if gate_ids is None else set(gate_ids)
        self.gates: list[Gate] = [g for gid, g in everything.items() if gid in chosen]

    def content(self, localized, templates=None, clinics: tuple = ()) -> Result:
        subject = ContentSubject(localized, templates, clinics)
        return self._run(subject, f"{localized.id}/{localized.lang}", localized.id, localized.lang)

    def output(self, subject: OutputSubject) -> Result:
        return self._run(subject, subject.path, subject.article, subject.lang)

    def output_checks(self) -> "OutputChecks":
        """The output gates the render workers run beside the renderer (those safe in a forked process)."""
        return OutputChecks(tuple(g.id for g in self.gates if g.reads == "output" and g.fork_safe), self.thresholds)

    def output_result(self, subject: OutputSubject, found: list[Finding],
                      scores: list[tuple[str, Score]]) -> Result:
        """A worker's findings on one file, with the gates that run here added and the article's
        waivers applied."""
        here = [g for g in self.gates if g.reads == "output" and not g.fork_safe]
        more, more_scores = run_gates(here, self.thresholds, subject, subject.lang)
        result = Result(subject.path, subject.article, subject.lang, scores=[*scores, *more_scores])
        return self._waive(result, [*found, *more])

    def clinic(self, clinic) -> Result:
        return self._run(ClinicSubject(clinic), f"clinic/{clinic.id}", "", "")

    def _run(self, subject, key: str, article: str, lang: str) -> Result:
        found, scores = run_gates(self.gates, self.thresholds, subject, lang, self.remembered)
        return self._waive(Result(key, article, lang, scores=scores), found)

    def _waive(self, result: Result, found: list[Finding]) -> Result:
        source = self.project.articles.get(result.article)
        result.findings, result.waived = apply(sorted(set(found)), source.article if source else None,
                                               result.lang)
        return result


def run_gates(chosen: Iterable[Gate], thresholds: Thresholds, subject, lang: str,
              remembered: Remembered | None = None) -> tuple[list[Finding], list[tuple[str, Score]]]:
    """What the gates that apply to the subject find, and their scores; waivers are not applied.
    With `remembered`, content gates that can be remembered are read from it, or kept in it."""
    found: list[Finding] = []
    scores: list[tuple[str, Score]] = []
    digest = None
    for gate in chosen:
        if not gate.applies_to(subject):
            continue
        values = thresholds.resolve(gate.id, lang or None)
        keep = remembered is not None and isinstance(subject, ContentSubject) and rememberable(gate)
        if keep:
            digest = digest or subject_digest(subject)
            kept = remembered.get(gate, values, digest)
            if kept is not None:
                found += kept[0]
                scores += [(gate.id, score) for score in kept[1]]
                continue
        try:
            its_found = list(gate.check(subject, values))
            its_scores = list(gate.scores(subject, values))
        except Exception as exc:  # a bug in one gate: report it where it belongs, keep the others going
            found.append(gate.finding(_where(subject), 1, 1, f"the gate failed: {type(exc).__name__}: {exc}",
                                      "this is a bug in publisher; please report it with this trace:\n"
                                      + traceback.format_exc()))
            continue
        found += its_found
        scores += [(gate.id, score) for score in its_scores]
        if keep:
            remembered.put(gate, values, digest, its_found, its_scores)
    return found, scores


@dataclass(frozen=True)
class OutputChecks:
    """The output gates and their thresholds, sent to the render workers: reading a file back
    (a PDF's every glyph) costs about as much as a quick render, so it runs in parallel
    beside the renderer, not one file after another in the build's own process. Waivers,
    which need the whole project, are applied when the findings come back (`output_result`)."""

    gate_ids: tuple[str, ...]
    thresholds: Thresholds
    # The build's working directory: findings show paths relative to it, and a Dask worker
    # runs elsewhere, so the same build would otherwise write another manifest there.
    cwd: str = field(default_factory=os.getcwd)

    def run(self, subject: OutputSubject) -> tuple[list[Finding], list[tuple[str, Score]]]:
        subject.facts.setdefault("cwd", self.cwd)
        everything = gates()
        return run_gates([everything[g] for g in self.gate_ids], self.thresholds, subject, subject.lang)


def _where(subject) -> str:
    if isinstance(subject, OutputSubject):
        return subject.source_file
    if isinstance(subject, ClinicSubject):
        return subject.clinic.source.file
    return subject.localized.source_file


def check_jobs(runner: Runner, jobs) -> list[Result]:
    """The content and clinic gates over what a plan's jobs read: each article-language and clinic once."""
    localized: dict[tuple[str, str], Any] = {}
    clinics: dict[str, Any] = {}
    shown: dict[tuple[str, str], dict[str, Any]] = {}  # the clinics as each language prints them (localized names)
    templates = None
    for _, job in jobs:
        if not hasattr(job, "localized"):
            continue  # a site's shared file (`FileJob`): made from templates and the clinic's logo, not content
        key = (job.localized.id, job.localized.lang)
        localized.setdefault(key, job.localized)
        shown.setdefault(key, {}).setdefault(job.clinic.id, job.clinic)
        clinics.setdefault(job.clinic.id, job.clinic)
        templates = job.templates_dir
    content = [runner.content(item, templates, tuple(shown[key].values()))
               for key, item in localized.items()]  # in the plan's order
    _combine(runner, content)
    return [runner.clinic(clinic) for _, clinic in sorted(clinics.items())] + content


def _combine(runner: Runner, results: list[Result]) -> None:
    """Let each gate merge its findings over the run; a merged one goes to the first result at its place."""
    for gate in runner.gates:
        if type(gate).combine is Gate.combine:
            continue
        parts = [(result, f) for result in results for f in result.findings if f.gate == gate.id]
        owner: dict[tuple, Result] = {}
        for result, f in parts:
            owner.setdefault((f.file, f.line, f.col), result)
        for result in results:
            result.findings = [f for f in result.findings if f.gate != gate.id]
        for f in gate.combine([f for _, f in parts]):
            owner.get((f.file, f.line, f.col), results[0]).findings.append(f)
        for result in results:
            result.findings.sort()


def output_subject(task, job, data: bytes, pages: int) -> OutputSubject:
    """A rendered file as an output gate reads it, before it is written."""
    from publisher.i18n import clinic_texts

    # What typography gates need beside the bytes: the strings the file prints (the article's, its
    # wording's and the clinic's), to tell a hyphen the text has from one the layout added, and the
    # templates the file was made with, to point at the stylesheet that set a size.
    clinic = job.clinic.clinic
    # Text a translated file shows in another language, tagged as such: the source text that stands
    # in for a missing translation (`marked`) and the clinic's name and address, written in theirs.
    written_in = (*job.localized.marked, *((text, clinic.lang) for text in (clinic.name, *clinic.address)))
    # The units' source texts, and what prints in their place, to find source text no fallback records.
    facts = {"pages": pages, "templates_dir": job.templates_dir,
             "texts": (*job.localized.texts, *clinic_texts(job.clinic)), "written_in": written_in,
             "sources": job.localized.sources, "names": tuple(job.localized.article.names)}
    return OutputSubject(task.path, task.format, task.variant, task.lang, task.article, task.clinic, data,
                         job.localized.source_file, facts)
