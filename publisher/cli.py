"""The `publisher` command: parse arguments, call the stages, report.

Exit codes: 0 success; 1 a content or quality problem (each printed as
`FILE:LINE:COL: field: what is wrong — how to fix`); 2 a usage error.
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

import click

from publisher import __version__
from publisher.errors import PublisherError

DEFAULT_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
SCHEMA_KINDS = ("article", "clinic")


def _fail(exc: PublisherError) -> None:
    for problem in exc.problems:
        click.echo(str(problem), err=True)
    click.echo(exc.summary(), err=True)
    sys.exit(1)


def _load(content: Path):
    from publisher.content import load_project

    try:
        return load_project(content)
    except PublisherError as exc:
        _fail(exc)


content_option = click.option("--content", type=click.Path(path_type=Path, file_okay=False), default=Path("content"),
                              show_default=True, help="The content folder (articles/ and clinics/).")
templates_option = click.option("--templates", type=click.Path(path_type=Path, file_okay=False, exists=True),
                                default=DEFAULT_TEMPLATES, help="The templates folder.", show_default="the project's")


def _print_length(ctx, param, value: str | None) -> str | None:
    """A print length as CSS understands it; more than 25 mm is a typo, not a bleed."""
    if value is None:
        return None
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(mm|pt|in)\s*", value)
    mm = float(match.group(1)) * {"mm": 1, "pt": 25.4 / 72, "in": 25.4}[match.group(2)] if match else 0
    if not 0 < mm <= 25:
        raise click.BadParameter(f"expected a length between 0 and 25 mm such as 3mm, 9pt or 0.125in, got {value!r}")
    return f"{match.group(1)}{match.group(2)}"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="publisher")
def main() -> None:
    """Turn structured patient-education articles into handouts, posters and decks."""


@main.command()
@content_option
@templates_option
@click.option("--output", type=click.Path(path_type=Path, file_okay=False), default=Path("output"),
              show_default=True, help="Where the files and manifest.json go.")
@click.option("--article", "articles", multiple=True, metavar="ID", help="Only this article (repeatable).")
@click.option("--lang", "langs", multiple=True, metavar="TAG", help="Only this language (repeatable).")
@click.option("--format", "formats", multiple=True, metavar="NAME", help="Only this format (repeatable).")
@click.option("--clinic", "clinics", multiple=True, metavar="ID", help="Only this clinic (repeatable).")
@click.option("--bleed", metavar="LENGTH", callback=_print_length,
              help="Posters for a print shop: add this much bleed (such as 3mm, 9pt or 0.125in) and crop marks."
                   "  Off by default, for office printers.")
def build(content: Path, templates: Path, output: Path, articles, langs, formats, clinics, bleed) -> None:
    """Validate everything, render the selected files, then write them."""
    from publisher.build import RenderOptions, Selection, build as run_build
    from publisher.i18n import article_languages
    from publisher.i18n.pseudo import PSEUDO_LOCALES
    from publisher.targets import targets

    started = time.perf_counter()
    project = _load(content)
    _check_choice("--article", articles, project.articles)
    _check_choice("--clinic", clinics, project.clinics)
    _check_choice("--format", formats, targets())
    _check_choice("--lang", langs, {lang for a in project.articles.values() for lang in article_languages(a)}
                  | set(PSEUDO_LOCALES))
    selection = Selection(tuple(articles), tuple(langs), tuple(formats), tuple(clinics))
    try:
        report = run_build(project, selection, templates, output,
                           progress=lambda task: click.echo(f"rendering {task.path}", err=True),
                           options=RenderOptions(bleed=bleed))
    except PublisherError as exc:
        _fail(exc)
    for entry in report.written:
        click.echo(f"wrote {(output / entry['path']).as_posix()} ({entry['pages']} pages, {entry['bytes']:,} bytes)")
    for (article, lang), units in report.fallbacks.items():
        click.echo(f"note: {article} in '{lang}' shows {len(units)} unit(s) in the source language"
                   f" (translation missing or stale): {', '.join(units)}", err=True)
    click.echo(f"Built {len(report.written)} files in {time.perf_counter() - started:.1f} s;"
               f" manifest: {(output / 'manifest.json').as_posix()}")


def _check_choice(option: str, chosen, available) -> None:
    unknown = [c for c in chosen if c not in available]
    if unknown:
        raise click.UsageError(f"{option}: unknown {', '.join(map(repr, unknown))};"
                               f" choose from {', '.join(sorted(available)) or '(none)'}")


@main.command()
@content_option
@templates_option
def validate(content: Path, templates: Path) -> None:
    """Check every content file, and that every character can be printed."""
    from publisher.build import Selection, plan

    project = _load(content)
    try:
        _, problems = plan(project, Selection(), templates)
    except PublisherError as exc:
        _fail(exc)
    if problems:
        _fail(PublisherError(problems))
    click.echo(f"OK: {len(project.articles)} articles, {len(project.clinics)} clinics.")


@main.command()
@click.argument("kind", type=click.Choice(SCHEMA_KINDS), default="article")
def schema(kind: str) -> None:
    """Print the JSON Schema of an article or clinic file, for editors."""
    from publisher.content.models import Article, Clinic

    model = {"article": Article, "clinic": Clinic}[kind]
    document = {"$schema": "https://json-schema.org/draft/2020-12/schema", **model.model_json_schema()}
    click.echo(json.dumps(document, indent=2, ensure_ascii=False))


@main.group()
def i18n() -> None:
    """Translation status and the round trip with translators."""


def _labels(templates: Path):
    from publisher.i18n.labels import load_labels

    try:
        return load_labels(templates)
    except PublisherError as exc:
        _fail(exc)


@i18n.command()
@content_option
@templates_option
@click.option("--strict", is_flag=True, help="Exit 1 if any unit is stale or missing (for CI).")
def status(content: Path, templates: Path, strict: bool) -> None:
    """Per article and language: units translated, stale, missing and approved."""
    from publisher.i18n.status import format_table, translation_status

    project = _load(content)
    rows = translation_status(project, _labels(templates))
    click.echo(format_table(rows))
    problems = [p for row in rows for p in row.problems]
    if strict and problems:
        _fail(PublisherError(problems))


@i18n.command("export")
@content_option
@templates_option
@click.option("--format", "fmt", type=click.Choice(["po"]), default="po", show_default=True)
@click.option("--output", type=click.Path(path_type=Path, file_okay=False), default=Path("i18n-export"),
              show_default=True, help="Folder for one <lang>.po per language.")
@click.option("--lang", "langs", multiple=True, metavar="TAG", help="Only this language (repeatable).")
def export_cmd(content: Path, templates: Path, fmt: str, output: Path, langs) -> None:
    """Write one file per language for translation tools."""
    from publisher.build import source_date
    from publisher.build.write import write_atomic
    from publisher.i18n.po import export_po
    from publisher.i18n.status import project_languages

    project = _load(content)
    labels = _labels(templates)
    available = project_languages(project, labels)
    _check_choice("--lang", langs, available)
    dates = [source_date(a) for a in project.articles.values()]
    stamp = _date(max(dates))
    for lang in langs or available:
        path = output / f"{lang}.{fmt}"
        write_atomic(path, export_po(project, labels, templates, lang, stamp))
        click.echo(f"wrote {path.as_posix()}")


@i18n.command("import")
@content_option
@templates_option
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True, dir_okay=False))
def import_cmd(content: Path, templates: Path, files) -> None:
    """Read translators' <lang>.po files back into the translation files."""
    from publisher.i18n.po import import_po

    project = _load(content)
    labels = _labels(templates)
    for path in files:
        lang = path.stem
        changed = import_po(project, labels, templates, lang, path.read_bytes())
        for written in changed:
            click.echo(f"updated {written.as_posix()}")
        if not changed:
            click.echo(f"{path.as_posix()}: nothing changed")


def _date(iso: str):
    import datetime as dt

    return dt.date.fromisoformat(iso)


if __name__ == "__main__":  # pragma: no cover
    main()
