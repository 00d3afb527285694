"""`publisher check`: the gates over the content and over the files a build left in output/.

The built files are read back from disk, as the output folder's manifest
lists them, so every file is checked with today's gates and thresholds,
whichever build wrote it.
"""

from __future__ import annotations

from pathlib import Path

from publisher.build.plan import Selection, plan
from publisher.build.state import load_previous, plain_file
from publisher.checks.run import Result, Runner, check_jobs, output_subject
from publisher.errors import ContentError


def run_check(project, templates: Path, output: Path, articles=(), langs=(), gate_ids=None, *,
              content: bool = True, outputs: bool = True) -> tuple[list[Result], list[str]]:
    """Every gate's (or the named gates') results over the selection, and notes on what could not be checked."""
    runner = Runner(project, gate_ids)
    results: list[Result] = []
    notes: list[str] = []
    planned = plan(project, Selection(tuple(articles), tuple(langs)), templates)
    if planned.problems:
        raise ContentError(planned.problems)
    if content:
        results += check_jobs(runner, planned.jobs)
    if outputs:
        results += _check_files(runner, planned.jobs, output, articles, langs, notes)
    return results, notes


def _check_files(runner: Runner, jobs, output: Path, articles, langs, notes: list[str]) -> list[Result]:
    """The output gates over each file the manifest lists that the content still makes, as it is on disk."""
    made = {task.path: (task, job) for task, job in jobs}
    # A web site's copies of the files it links to are the same bytes, checked once at their own path;
    # its shared files (stylesheet, fonts, logo) are made from the templates, not laid out.
    skip = {copy for task, _ in jobs for copy in task.copies} | {
        task.path for task, job in jobs if not hasattr(job, "localized")}
    previous = load_previous(output)
    notes += previous.notes
    if not previous.entries:
        notes.append(f"no built files listed in {(output / 'manifest.json').as_posix()}: only the content was"
                     " checked (run `publisher build` first)")
    results = []
    for path, entry in sorted(previous.entries.items()):
        article, lang = entry.get("article"), entry.get("lang")
        if (articles and article not in articles) or (langs and lang not in langs) or path in skip:
            continue
        if path not in made or not plain_file(output, path):
            notes.append(f"{(output / path).as_posix()} not checked: " + (
                "the content no longer makes it" if path not in made else "the file is missing"))
            continue
        task, job = made[path]
        results.append(runner.output(output_subject(task, job, (output / path).read_bytes(), entry.get("pages"))))
    return results
