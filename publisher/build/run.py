"""Build: plan every target, check it, render what changed, then write.

Content problems, and error-level findings of the content and clinic gates
(`publisher.checks`: a character no font has, a colour too light), stop the
build before anything renders; the output gates check each rendered file
before it is staged, and an error there fails that file like a render error.
Every target is then rendered even if another fails, so one run reports every
problem. The unit of success is one article in one language for one clinic:
a unit is written whole or not at all (its previous files stay as they were),
so one poster that cannot fit holds back its own unit and no other. Writing
goes through one `Transaction` on the output folder: files are staged beside
their destinations, then moved into place, the manifest last. A file whose
inputs and output are unchanged is skipped.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from publisher import __version__
from publisher.build import remember, uptodate
from publisher.build.execute import Outcome, Prerendered, execute
from publisher.build.plan import Plan, Selection, Task, plan, source_date, valid_path
from publisher.build.render_cache import RenderCache, checks_key
from publisher.build.report import BuildReport
from publisher.build.shard import Shard
from publisher.build.state import Previous, load_previous, matches, state_record, why_build
from publisher.build.transaction import Staged, Transaction
from publisher.build.uptodate import Inputs
from publisher.checks.report import manifest_checks
from publisher.checks.run import Result, Runner, check_jobs, output_subject, problems
from publisher.content import Project
from publisher.errors import RenderError
from publisher.i18n.status import blocked_problems
from publisher.targets import DerivedJob, RenderJob, RenderOptions

__all__ = ["BuildReport", "RenderOptions", "Selection", "Shard", "Task", "build", "plan", "source_date"]


def build(project: Project, selection: Selection, templates_dir: Path, output_dir: Path, *,
          options: RenderOptions = RenderOptions(), jobs: int = 1, executor: str = "local",
          scheduler: str | None = None, shard: Shard | None = None, force: bool = False,
          dry_run: bool = False, progress=None, inputs: Inputs | None = None, strict: bool = False,
          cache: RenderCache | None = None, on_plan: Callable[[Plan], None] = lambda p: None) -> BuildReport:
    """Build the selection into `output_dir`.

    `inputs`, read before the project was loaded, lets the next identical
    build find out that nothing changed without loading anything
    (`publisher.build.uptodate`); without it that shortcut is not recorded.
    """
    started = time.perf_counter()
    # Reads the thresholds: a mistake in checks.yaml stops the build here.
    runner = Runner(project, cache=cache.folder if cache else None)
    planned = plan(project, selection, templates_dir, options)
    work = shard.take(planned.jobs) if shard else planned.jobs
    content_checks = check_jobs(runner, work)  # before anything renders, as `validate` runs them
    if planned.problems or problems(content_checks):
        raise RenderError(planned.problems + problems(content_checks))
    if strict and planned.blocked:
        raise RenderError(blocked_problems(project, templates_dir, planned.blocked))
    on_plan(planned)
    report = BuildReport()
    report.fallbacks = {(job.localized.id, job.localized.lang): job.localized.fallbacks
                        for _, job in work if isinstance(job, RenderJob) and job.localized.fallbacks}
    report.awaiting = {(job.localized.id, job.localized.lang): job.localized.awaiting
                       for _, job in work if isinstance(job, RenderJob) and job.localized.awaiting}
    report.blocked = {(loc.id, loc.lang): loc.fallbacks + loc.awaiting for loc in planned.blocked}
    if dry_run:
        previous = load_previous(output_dir)
        report.notes += previous.notes
        _decide(work, previous, output_dir, force, report)
        report.removed = _obsolete(project, previous, planned.site_files)
        return _finish(report, started)

    with Transaction(output_dir) as transaction:
        previous = transaction.previous
        todo = _decide(work, previous, output_dir, force, report)
        obsolete = _obsolete(project, previous, planned.site_files)
        rendered: dict[str, tuple[int, Staged, dict | None]] = {}  # path -> (pages, staged file, choice)
        job_of = {task.path: job for task, job in todo}
        file_checks: dict[str, Result] = {}
        failed_units: set[tuple[str, str, str]] = set()
        if progress:
            progress.start(len(todo))
        checks = runner.output_checks()
        whole: set[str] = set()  # taken from the cache with their findings: nothing to keep

        def run_wave(wave):
            ready, now = _from_cache(None if force else cache, wave, checks)  # --force renders
            whole.update(ready)
            yield from ready.values()
            yield from execute(now, jobs, executor, scheduler, checks)

        try:
            for outcome in _waves(todo, rendered, set(report.skipped), failed_units, output_dir, run_wave):
                job = job_of[outcome.task.path]
                if cache is not None and outcome.task.path not in whole and not outcome.problems \
                        and hasattr(job, "localized"):
                    cache.put(outcome.task, outcome.data, outcome.pages, outcome.choice,
                              checks_key(checks, job), outcome.checked)
                if progress:
                    progress.done(outcome)
                report.render_seconds += outcome.seconds
                if outcome.cached:
                    report.cached.append(outcome.task.path)
                if outcome.layouts:
                    report.layouts[outcome.task.path] = outcome.layouts
                report.peak_rss_kb = max(report.peak_rss_kb, outcome.peak_rss_kb)
                task = outcome.task
                if not outcome.problems and outcome.checked is not None:  # the output gates, before staging
                    subject = output_subject(task, job_of[task.path], outcome.data, outcome.pages)
                    checked = runner.output_result(subject, *outcome.checked)
                    file_checks[task.path] = checked
                    outcome.problems = [f.problem() for f in checked.errors]
                if outcome.problems:
                    report.failed += outcome.problems
                    report.failed_paths.append(task.path)
                    report.failures.append((task, outcome.problems))
                    failed_units.add(task.unit)
                else:
                    for path in task.paths:
                        rendered[path] = (outcome.pages, transaction.stage(path, outcome.data), outcome.choice)
        finally:
            if progress:
                progress.close()
        unit_of = {path: task.unit for task, _ in todo for path in task.paths}
        held = sorted(path for path in rendered if unit_of[path] in failed_units)
        held = sorted(held + _unneeded_shared(todo, rendered, set(held)))
        transaction.unstage(held)
        for path in held:
            del rendered[path]
        report.held_back = held
        report.held_units = {path: unit_of[path] for path in held}
        if report.failed and not rendered:
            report.notes += transaction.notes
            return _finish(report, started)  # nothing could be written: the folder stays exactly as it was
        manifest, state = _record(output_dir, previous, work, rendered, obsolete, report, transaction.notes)
        manifest["checks"] = manifest_checks(previous.checks, content_checks, file_checks,
                                             {entry["path"] for entry in manifest["artifacts"]}, project)
        report.removed = transaction.commit(manifest, state, obsolete)
        report.notes += transaction.notes
        # A blocked language, or a translation kept awaiting update, is said again on every
        # build until it is translated: no shortcut, whose record replays only fallbacks.
        if inputs is not None and not report.failed and not report.blocked and not report.awaiting:
            try:
                uptodate.record(output_dir, inputs, [path for task, _ in work for path in task.paths],
                                report.fallbacks)
            except OSError:  # only a shortcut for the next build: without it the full check runs
                (output_dir / f".{uptodate.SNAPSHOT}.tmp").unlink(missing_ok=True)
    return _finish(report, started)


def _waves(todo, rendered: dict, skipped: set[str], failed_units: set, output_dir: Path, run):
    """Every task's outcome: first the files made from content, then those made from another
    file of this build (`DerivedJob`), each handed its source's bytes as this build leaves them:
    just staged, or already current in the output folder. A file whose source failed is not
    made (its unit is held back whole). The caller stages each outcome as it comes."""
    first = [(task, job) for task, job in todo if not isinstance(job, DerivedJob)]
    later = [(task, job) for task, job in todo if isinstance(job, DerivedJob)]
    yield from run(first)
    ready = []
    for task, job in later:
        if task.unit in failed_units:
            continue
        if job.source in rendered:
            data = rendered[job.source][1].temp.read_bytes()
        elif job.source in skipped:
            data = (output_dir / job.source).read_bytes()
        else:
            continue  # not made by this build (its unit failed): the file stays as it was
        ready.append((task, dataclasses.replace(job, data=data)))
    yield from run(ready)


def _unneeded_shared(todo, rendered: dict, held: set[str]) -> list[str]:
    """A site's shared files, when this build rendered pages for that site and wrote none:
    they serve its pages, so they follow them (a build whose every unit failed writes nothing)."""
    pages: dict[tuple[str, str], bool] = {}  # (format, clinic) -> whether a page of it is written
    for task, _ in todo:
        if task.article:
            key = (task.format, task.clinic)
            pages[key] = pages.get(key, False) or (task.path in rendered and task.path not in held)
    return [task.path for task, _ in todo if task.variant == "shared" and task.path in rendered
            and pages.get((task.format, task.clinic)) is False]


def _from_cache(cache: RenderCache | None, todo, checks) -> tuple[dict[str, Outcome], list]:
    """The files the cache holds: those whose findings it holds too come back at once;
    the others go to the workers only to be checked. The rest are rendered."""
    if cache is None:
        return {}, todo
    ready: dict[str, Outcome] = {}
    rest = []
    for task, job in todo:
        found = cache.get(task, checks_key(checks, job)) if hasattr(job, "localized") else None
        if found is None:
            rest.append((task, job))
        elif found.checked is not None or checks is None:
            ready[task.path] = Outcome(task, found.data, found.pages, choice=found.choice, checked=found.checked,
                                       cached=True)
        else:
            rest.append((task, Prerendered(job, found.data, found.pages, found.choice)))
    return ready, rest


def _decide(work, previous: Previous, output_dir: Path, force: bool,
            report: BuildReport) -> list[tuple[Task, RenderJob]]:
    todo = []
    for task, job in work:
        reason = why_build(task, previous, output_dir, force)
        if reason is None:
            report.skipped.extend(task.paths)
        else:
            report.reasons[task.path] = reason
            todo.append((task, remember.with_hint(task, job, previous, force)))
    return todo


def _obsolete(project: Project, previous: Previous, site_files: dict[str, frozenset[str]]) -> list[str]:
    pages: dict = {}
    return sorted(path for path, entry in previous.entries.items()
                  if not valid_path(project, path, entry.get("variant") == "shared", site_files, pages))


def _finish(report: BuildReport, started: float) -> BuildReport:
    report.wall_seconds = time.perf_counter() - started
    return report


def _record(output_dir: Path, previous: Previous, work, rendered: dict[str, tuple[int, Staged, dict | None]],
            obsolete: list[str], report: BuildReport, notes: list[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The manifest and state after this build: every entry describes the file that is there."""
    gone = set(obsolete)
    skipped = set(report.skipped)  # asked once per file: a list would make this quadratic
    entries: dict[str, dict] = {}
    state: dict[str, dict] = {}
    fallbacks: dict[str, list[str]] = {}
    awaiting: dict[str, list[str]] = {}
    for path, entry in previous.entries.items():
        if path in gone or path in rendered:
            continue
        record = previous.state.get(path, {})
        if path in skipped or matches(entry, record, output_dir, path):
            entries[path] = entry
            if path in previous.state:
                state[path] = record
            if path in previous.fallbacks:
                fallbacks[path] = previous.fallbacks[path]
            if path in previous.awaiting:
                awaiting[path] = previous.awaiting[path]
        elif path not in report.reasons:
            notes.append(f"{(output_dir / path).as_posix()} does not match its manifest entry; left out of the"
                         " manifest (a build that selects it makes it again)")
    for task, job in work:
        for path in task.paths:
            if path in rendered:
                pages, staged, choice = rendered[path]
                entries[path] = {
                    # A site's shared file belongs to no article or language.
                    "path": path, "article": task.article or None, "lang": task.lang or None,
                    "format": task.format, "variant": task.variant, "clinic": task.clinic or None,
                    "sha256": staged.sha256, "bytes": staged.size, "pages": pages, "inputs": task.inputs,
                }
                state[path] = remember.record(state_record(task, staged.sha256, staged.size, staged.mtime_ns),
                                              choice)
                report.built.append(entries[path])
            elif path in skipped:
                entry = entries[path]
                info = (output_dir / path).stat()
                state[path] = remember.record(state_record(task, entry["sha256"], info.st_size, info.st_mtime_ns),
                                              previous.state.get(path, {}).get(remember.KEY))
            else:
                continue
            # Units shown in the source language because their translation is
            # missing or stale: never silent, and kept out of the artifact
            # entries, whose keys other tools rely on.
            fallbacks.pop(path, None)
            if isinstance(job, RenderJob) and job.localized.fallbacks:
                fallbacks[path] = list(job.localized.fallbacks)
            # Under `previous`: stale units showing their last translation, awaiting an update.
            awaiting.pop(path, None)
            if isinstance(job, RenderJob) and job.localized.awaiting:
                awaiting[path] = list(job.localized.awaiting)
    for task, job in work:  # a picture of a file shows what the file shows
        if isinstance(job, DerivedJob) and task.path in entries:
            for table in (fallbacks, awaiting):
                if job.source in table:
                    table[task.path] = table[job.source]
                else:
                    table.pop(task.path, None)
    report.built.sort(key=lambda e: e["path"])
    manifest = {
        "generator": f"publisher {__version__}",
        "artifacts": [entries[p] for p in sorted(entries)],
        "fallbacks": dict(sorted(fallbacks.items())),
        "awaiting_update": dict(sorted(awaiting.items())),
        "removed": obsolete,
    }
    return manifest, dict(sorted(state.items()))
