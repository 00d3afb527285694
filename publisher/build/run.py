"""Build: plan every target, check it, render what changed, then write.

Content and glyph problems stop the build before anything renders. Every
target is then rendered even if another fails, so one run reports every
problem; but nothing is written unless all succeeded, so a bad article never
leaves half an output folder behind (MkDocs and Pelican work the same way).
Each rendered file is staged beside its destination and moved into place at
the end; the manifest is written last. A file whose inputs and output are
unchanged is skipped.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from publisher import __version__
from publisher.build.execute import Outcome, execute
from publisher.build.plan import Plan, Selection, Task, plan, source_date, valid_path
from publisher.build import uptodate
from publisher.build.report import BuildReport
from publisher.build.shard import Shard
from publisher.build.uptodate import Inputs
from publisher.build.state import STATE, Previous, load_previous, state_record, why_build
from publisher.build.write import remove_stale_temporaries, write_atomic, write_manifest
from publisher.content import Project
from publisher.errors import Problem, RenderError
from publisher.targets import RenderOptions

__all__ = ["BuildReport", "RenderOptions", "Selection", "Shard", "Task", "build", "plan", "source_date"]


def build(project: Project, selection: Selection, templates_dir: Path, output_dir: Path, *,
          options: RenderOptions = RenderOptions(), jobs: int = 1, executor: str = "local",
          scheduler: str | None = None, shard: Shard | None = None, force: bool = False,
          dry_run: bool = False, progress=None, inputs: Inputs | None = None,
          on_plan: Callable[[Plan], None] = lambda p: None) -> BuildReport:
    """Build the selection into `output_dir`.

    `inputs`, read before the project was loaded, lets the next identical
    build find out that nothing changed without loading anything
    (`publisher.build.uptodate`); without it that shortcut is not recorded.
    """
    started = time.perf_counter()
    planned = plan(project, selection, templates_dir, options)
    if planned.problems:
        raise RenderError(planned.problems)
    on_plan(planned)
    work = shard.take(planned.jobs) if shard else planned.jobs
    previous = load_previous(output_dir)
    report = BuildReport()
    todo = []
    for task, job in work:
        reason = why_build(task, previous, output_dir, force)
        if reason is None:
            report.skipped.append(task.path)
        else:
            report.reasons[task.path] = reason
            todo.append((task, job))
    obsolete = sorted(path for path in previous.entries if not valid_path(project, path))
    report.fallbacks = {(job.localized.id, job.localized.lang): job.localized.fallbacks
                        for _, job in work if job.localized.fallbacks}
    if dry_run:
        report.removed = obsolete
        return _finish(report, started)

    uptodate.forget(output_dir)
    remove_stale_temporaries(output_dir)
    existed = output_dir.exists()
    staged: dict[str, tuple[Path, Outcome]] = {}
    if progress:
        progress.start(len(todo))
    try:
        for outcome in execute(todo, jobs, executor, scheduler):
            if progress:
                progress.done(outcome)
            report.render_seconds += outcome.seconds
            report.peak_rss_kb = max(report.peak_rss_kb, outcome.peak_rss_kb)
            if outcome.problems:
                report.failed += outcome.problems
                report.failed_paths.append(outcome.task.path)
            else:
                staged[outcome.task.path] = (_stage(output_dir / outcome.task.path, outcome.data), outcome)
    except BaseException:
        _discard(staged, output_dir, existed)
        raise
    finally:
        if progress:
            progress.close()

    if report.failed:
        # Every target was tried, so every problem is reported at once; but a
        # build with a problem writes nothing, like one with a content error.
        _discard(staged, output_dir, existed)
        report.built = []
        return _finish(report, started)
    # Commit: every finished file moves into place, then obsolete files go,
    # then the manifest and the state record what is there now.
    for path, (temp, _) in sorted(staged.items()):
        os.replace(temp, output_dir / path)
    for path in obsolete:
        (output_dir / path).unlink(missing_ok=True)
        _prune_empty_dirs(output_dir / path, output_dir)
    report.removed = obsolete
    _record(output_dir, previous, work, staged, obsolete, report)
    if inputs is not None:
        uptodate.record(output_dir, inputs, [task.path for task, _ in work], report.fallbacks)
    return _finish(report, started)


def _finish(report: BuildReport, started: float) -> BuildReport:
    report.wall_seconds = time.perf_counter() - started
    return report


def _stage(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(temp, 0o644)
    return Path(temp)


def _discard(staged: dict, output_dir: Path, existed: bool) -> None:
    """Remove staged files, and the folders made for them: the output folder stays as it was."""
    for temp, _ in staged.values():
        temp.unlink(missing_ok=True)
        _prune_empty_dirs(temp, output_dir)
    if not existed and output_dir.is_dir() and not any(output_dir.iterdir()):
        output_dir.rmdir()


def _prune_empty_dirs(path: Path, root: Path) -> None:
    folder = path.parent
    while folder != root and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _record(output_dir: Path, previous: Previous, work, staged, obsolete, report: BuildReport) -> None:
    entries = {path: entry for path, entry in previous.entries.items()
               if path not in obsolete and (output_dir / path).is_file()}
    state = {path: record for path, record in previous.state.items() if path in entries}
    fallbacks = {path: units for path, units in previous.manifest.get("fallbacks", {}).items() if path in entries}
    skipped = set(report.skipped)  # asked once per file: a list would make this quadratic
    for task, job in work:
        if task.path in staged:
            outcome = staged[task.path][1]
            entries[task.path] = {
                "path": task.path, "article": task.article, "lang": task.lang, "format": task.format,
                "variant": task.variant, "clinic": task.clinic,
                "sha256": hashlib.sha256(outcome.data).hexdigest(), "bytes": len(outcome.data),
                "pages": outcome.pages, "inputs": task.inputs,
            }
            report.built.append(entries[task.path])
        if task.path in entries and (task.path in staged or task.path in skipped):
            state[task.path] = state_record(task, output_dir / task.path)
            # Units shown in the source language because their translation is
            # missing or stale: never silent, and kept out of the artifact
            # entries, whose keys other tools rely on.
            fallbacks.pop(task.path, None)
            if job.localized.fallbacks:
                fallbacks[task.path] = list(job.localized.fallbacks)
    report.built.sort(key=lambda e: e["path"])
    write_manifest(output_dir, {
        "generator": f"publisher {__version__}",
        "artifacts": [entries[p] for p in sorted(entries)],
        "fallbacks": dict(sorted(fallbacks.items())),
        "removed": obsolete,
    })
    write_atomic(output_dir / STATE, json.dumps(dict(sorted(state.items())), indent=1).encode("utf-8"))
