"""`publisher check`: the gates over the content and over the files a build left in output/.

The built files are read back from disk, as the output folder's manifest
lists them, so every file is checked with today's gates and thresholds,
whichever build wrote it.
"""

from __future__ import annotations

from pathlib import Path

from publisher.build.plan import Selection, plan
from publisher.build.state import load_previous, plain_file
from publisher.checks.gate import OutputSubject
from publisher.checks.run import Result, Runner, check_jobs
from publisher.errors import ContentError


def run_check(project, templates: Path, output: Path, articles=(), langs=(), *, content: bool = True,
              outputs: bool = True) -> tuple[list[Result], list[str]]:
    """Every gate's results over the selection, and notes on what could not be checked."""
    runner = Runner(project)
    results: list[Result] = []
    notes: list[str] = []
    if content:
        planned = plan(project, Selection(tuple(articles), tuple(langs)), templates)
        if planned.problems:
            raise ContentError(planned.problems)
        results += check_jobs(runner, planned.jobs)
    if outputs:
        results += _check_files(runner, project, output, articles, langs, notes)
    return results, notes


def _check_files(runner: Runner, project, output: Path, articles, langs, notes: list[str]) -> list[Result]:
    previous = load_previous(output)
    notes += previous.notes
    if not previous.entries:
        notes.append(f"no built files listed in {(output / 'manifest.json').as_posix()}: only the content was"
                     " checked (run `publisher build` first)")
    results = []
    for path, entry in sorted(previous.entries.items()):
        article, lang = entry.get("article"), entry.get("lang")
        if (articles and article not in articles) or (langs and lang not in langs):
            continue
        source = project.articles.get(article)
        if source is None or not plain_file(output, path):
            notes.append(f"{(output / path).as_posix()} not checked: "
                         + ("its article is not in the content" if source is None else "the file is missing"))
            continue
        subject = OutputSubject(path, str(entry.get("format")), str(entry.get("variant")), str(lang), article,
                                str(entry.get("clinic")), (output / path).read_bytes(), source.source.file,
                                {"pages": entry.get("pages")})
        results.append(runner.output(subject))
    return results
