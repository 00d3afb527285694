"""Build: plan every target, check it, render it all, then write it all.

Nothing is written until every selected file has rendered, so one bad
article never leaves half an output folder behind (MkDocs and Pelican work
the same way).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from publisher import __version__
from publisher.build.plan import Selection, Task, fingerprint, output_path
from publisher.build.write import read_manifest, remove_stale_temporaries, write_atomic, write_manifest
from publisher.checks.glyphs import GlyphCheck
from publisher.checks.icons import check_icons
from publisher.content import ArticleSource, Project
from publisher.errors import Problem, RenderError
from publisher.fonts import load_fonts
from publisher.i18n import article_languages, clinic_texts, localize
from publisher.i18n.labels import load_labels
from publisher.icons import load_icons
from publisher.targets import Rendered, RenderJob, RenderOptions, targets

__all__ = ["BuildReport", "RenderOptions", "Selection", "Task", "build", "plan", "source_date"]


@dataclass
class BuildReport:
    written: list[dict]
    fallbacks: dict[tuple[str, str], tuple[str, ...]]  # (article, lang) -> units shown in the source language


def source_date(article: ArticleSource) -> str:
    """The date stamped into files: SOURCE_DATE_EPOCH, else the article's publication date.

    Never the clock, so that the same content gives the same bytes.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date().isoformat()
    return article.article.metadata.published.isoformat()


def plan(project: Project, selection: Selection, templates_dir: Path,
         options: RenderOptions = RenderOptions()) -> tuple[list[tuple[Task, RenderJob]], list[Problem]]:
    """Every (task, job) the selection asks for, and the problems found checking them."""
    fonts = load_fonts(templates_dir / "fonts")
    labels = load_labels(templates_dir)
    icons = load_icons(templates_dir / "icons")
    problems: list[Problem] = []
    jobs: list[tuple[Task, RenderJob]] = []
    glyphs = GlyphCheck()
    for art_id, source in project.articles.items():
        if not selection.wants("articles", art_id):
            continue
        date = source_date(source)
        problems += check_icons(source, icons)
        for lang in selection.languages(article_languages(source)):
            localized = localize(source, lang, labels)
            covered = fonts.covers(lang)
            glyphs.check(localized.texts, covered, lang, fonts.stack(lang))
            for clinic_id, clinic in project.clinics.items():
                if not selection.wants("clinics", clinic_id):
                    continue
                glyphs.check(clinic_texts(clinic), covered, lang, fonts.stack(lang))
                for name, target in targets().items():
                    if not selection.wants("formats", name):
                        continue
                    for variant in target.variants:
                        task = Task(art_id, lang, name, variant, clinic_id,
                                    output_path(art_id, lang, clinic_id, target, variant),
                                    fingerprint(localized, project, clinic_id, target, variant, templates_dir, date,
                                                options))
                        jobs.append((task, RenderJob(localized, clinic, variant, templates_dir, date, options)))
    return jobs, problems + glyphs.problems()


def build(project: Project, selection: Selection, templates_dir: Path, output_dir: Path,
          progress: Callable[[Task], None] = lambda task: None,
          options: RenderOptions = RenderOptions()) -> BuildReport:
    jobs, problems = plan(project, selection, templates_dir, options)
    if problems:
        raise RenderError(problems)
    results: list[tuple[Task, Rendered]] = []
    failures: list[Problem] = []
    registry = targets()
    for task, job in jobs:
        progress(task)
        try:
            results.append((task, registry[task.format].render(job)))
        except RenderError as exc:
            failures += exc.problems
    if failures:
        raise RenderError(failures)

    remove_stale_temporaries(output_dir)
    manifest = read_manifest(output_dir)
    built = {task.path for task, _ in results}
    kept = [entry for entry in manifest["artifacts"]
            if entry.get("path") not in built and (output_dir / str(entry.get("path"))).is_file()]
    entries = []
    for task, rendered in results:
        write_atomic(output_dir / task.path, rendered.data)
        entries.append({
            "path": task.path,
            "article": task.article,
            "lang": task.lang,
            "format": task.format,
            "variant": task.variant,
            "clinic": task.clinic,
            "sha256": hashlib.sha256(rendered.data).hexdigest(),
            "bytes": len(rendered.data),
            "pages": rendered.pages,
            "inputs": task.inputs,
        })
    artifacts = sorted(kept + entries, key=lambda e: e["path"])
    # Units shown in the source language because their translation is missing
    # or stale, per file: never silent, and kept out of the artifact entries,
    # whose keys other tools rely on.
    fallbacks = {path: units for path, units in manifest.get("fallbacks", {}).items()
                 if path in {e["path"] for e in kept}}
    fallbacks.update({task.path: list(job.localized.fallbacks) for task, job in jobs if job.localized.fallbacks})
    write_manifest(output_dir, {"generator": f"publisher {__version__}", "artifacts": artifacts,
                                "fallbacks": dict(sorted(fallbacks.items()))})
    shown = {(job.localized.id, job.localized.lang): job.localized.fallbacks for _, job in jobs
             if job.localized.fallbacks}
    return BuildReport(entries, dict(sorted(shown.items())))
