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
from publisher.checks.glyphs import check_glyphs
from publisher.checks.icons import check_icons
from publisher.content import ArticleSource, Project
from publisher.errors import Problem, RenderError
from publisher.fonts import load_fonts
from publisher.icons import load_icons
from publisher.i18n import LocalizedArticle, article_languages, clinic_texts, localize
from publisher.targets import Rendered, RenderJob, RenderOptions, targets

__all__ = ["BuildReport", "RenderOptions", "Selection", "Task", "build", "plan", "source_date"]


@dataclass
class BuildReport:
    written: list[dict]


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
    icons = load_icons(templates_dir / "icons")
    jobs: list[tuple[Task, RenderJob]] = []
    problems: list[Problem] = []
    for art_id, source in project.articles.items():
        if not selection.wants("articles", art_id):
            continue
        date = source_date(source)
        problems += check_icons(source, icons)
        for lang in article_languages(source):
            if not selection.wants("langs", lang):
                continue
            localized = localize(source, lang, templates_dir)
            covered = fonts.covers(lang)
            problems += check_glyphs(localized.texts, covered, lang, fonts.stack(lang))
            for clinic_id, clinic in project.clinics.items():
                if not selection.wants("clinics", clinic_id):
                    continue
                problems += check_glyphs(clinic_texts(clinic), covered, lang, fonts.stack(lang))
                for name, target in targets().items():
                    if not selection.wants("formats", name):
                        continue
                    for variant in target.variants:
                        task = Task(art_id, lang, name, variant, clinic_id,
                                    output_path(art_id, lang, clinic_id, target, variant),
                                    fingerprint(localized, project, clinic_id, target, variant, templates_dir, date,
                                                options))
                        jobs.append((task, RenderJob(localized, clinic, variant, templates_dir, date, options)))
    return jobs, problems


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
    write_manifest(output_dir, {"generator": f"publisher {__version__}", "artifacts": artifacts})
    return BuildReport(entries)
