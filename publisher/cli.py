"""The `publisher` command: parse arguments, call the stages, report.

Exit codes: 0 success; 1 a content or quality problem (each printed as
`FILE:LINE:COL: field: what is wrong — how to fix`), or an output folder
that cannot take the files; 2 a usage error (the command line, or
SOURCE_DATE_EPOCH).
"""

from __future__ import annotations

import json
import os
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


def _check_epoch() -> None:
    """SOURCE_DATE_EPOCH that is not a date is a mistake in how the command was run: one line, exit 2."""
    from publisher.build.epoch import BadEpoch, source_date_epoch

    try:
        source_date_epoch()
    except BadEpoch as exc:
        click.echo(str(exc), err=True)
        sys.exit(2)


def _load(content: Path):
    from publisher.content import load_project

    try:
        return load_project(content)
    except PublisherError as exc:
        _fail(exc)


content_option = click.option("--content", type=click.Path(path_type=Path, file_okay=False), default=Path("content"),
                              show_default=True, help="The content folder (articles/ and clinics/).")
# Resolved: the loaders cache what they read by folder, and `templates` means another folder in another directory.
templates_option = click.option("--templates", type=click.Path(path_type=Path, file_okay=False, exists=True,
                                                               resolve_path=True),
                                default=DEFAULT_TEMPLATES, show_default="the project's",
                                help="The templates folder; `validate` checks its YAML files and templates too.")
cache_option = click.option(
    "--cache", type=click.Path(path_type=Path, file_okay=False), envvar="PUBLISHER_CACHE",
    help="A folder that keeps files rendered, and content-gate findings, by what they were made from; shared by"
         " output folders and CI runs: what is found there is copied, not made again (build --force renders"
         " anyway).  [env: PUBLISHER_CACHE]")


def _print_length(ctx, param, value: str | None) -> str | None:
    """A print length as CSS understands it; more than 25 mm is a typo, not a bleed."""
    if value is None:
        return None
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(mm|pt|in)\s*", value)
    mm = float(match.group(1)) * {"mm": 1, "pt": 25.4 / 72, "in": 25.4}[match.group(2)] if match else 0
    if not 0 < mm <= 25:
        raise click.BadParameter(f"expected a length between 0 and 25 mm such as 3mm, 9pt or 0.125in, got {value!r}")
    return f"{match.group(1)}{match.group(2)}"


def _shard(ctx, param, value: str | None):
    from publisher.build import Shard

    if value is None:
        return None
    match = re.fullmatch(r"(\d+)/(\d+)", value.strip())
    if not match or not 1 <= int(match.group(1)) <= int(match.group(2)):
        raise click.BadParameter(f"expected K/N with 1 <= K <= N, such as 2/4, got {value!r}")
    return Shard(int(match.group(1)), int(match.group(2)))


class ListOptions(click.Command):
    """A command whose repeatable options also take several values after one flag.

    `--lang en ar` (as the usage reads, `--lang TAG…`) means `--lang en --lang ar`;
    both spellings work. Click has no options with a variable number of values, by
    design, since in general a bare word after one could be a positional argument.
    The commands using this take no positional arguments, so every bare word after
    such an option is one more of its values; the words are spread into the
    repeated form before click parses them.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        names = {name for param in self.params if isinstance(param, click.Option) and param.multiple
                 for name in param.opts}
        return super().parse_args(ctx, spread_values(args, names))


def spread_values(args: list[str], names: set[str]) -> list[str]:
    """`--lang en ar --force` -> `--lang en --lang ar --force`, for the options in `names`."""
    spread: list[str] = []
    current, awaiting_value = None, False
    for index, arg in enumerate(args):
        if arg == "--":
            spread.extend(args[index:])
            break
        if arg.startswith("-") and len(arg) > 1:
            name, inline, _ = arg.partition("=")
            current = name if name in names else None
            awaiting_value = not inline and current is not None
            spread.append(arg)
        elif current is not None and not awaiting_value:
            spread += [current, arg]
        else:
            awaiting_value = False
            spread.append(arg)
    return spread


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="publisher")
def main() -> None:
    """Turn structured patient-education articles into handouts, posters and decks."""


@main.command(cls=ListOptions)
@content_option
@templates_option
@click.option("--output", type=click.Path(path_type=Path, file_okay=False), default=Path("output"),
              show_default=True, help="Where the files and manifest.json go.")
@click.option("--article", "articles", multiple=True, metavar="ID…", help="Only these articles.")
@click.option("--lang", "langs", multiple=True, metavar="TAG…", help="Only these languages, such as --lang en ar.")
@click.option("--format", "formats", multiple=True, metavar="NAME…", help="Only these formats: handout, large-print, poster, deck, web.")
@click.option("--clinic", "clinics", multiple=True, metavar="ID…", help="Only these clinics.")
@click.option("--bleed", metavar="LENGTH", callback=_print_length,
              help="Posters for a print shop: add this much bleed (such as 3mm, 9pt or 0.125in) and crop marks."
                   "  Off by default, for office printers.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Files rendered at once.  [default: the number of cores]")
@click.option("--force", is_flag=True, help="Render every file, even those that are current.")
@click.option("--dry-run", is_flag=True, help="List what would be rendered and why; write nothing.")
@click.option("--shard", callback=_shard, metavar="K/N",
              help="Render only the K-th of N balanced shares (for CI matrices); merge with `publisher manifest merge`.")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Where files are rendered: this machine's cores, or a Dask cluster (needs publisher[dask]).")
@click.option("--scheduler", metavar="ADDRESS", help="The Dask scheduler, such as tcp://10.0.0.5:8786.")
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable summary on standard output.")
@click.option("--strict", is_flag=True,
              help="Fail, writing nothing, if a language is held back by the `block` translation policy.")
@cache_option
def build(content: Path, templates: Path, output: Path, articles, langs, formats, clinics, bleed, jobs, force,
          dry_run, shard, executor, scheduler, as_json, strict, cache) -> None:
    """Validate everything, render what changed, then write it.

    A file whose inputs (content, wording, templates, fonts, clinic, options)
    and output are unchanged since the last build is skipped.
    """
    started = time.perf_counter()
    if executor == "dask" and not scheduler:
        raise click.UsageError("--executor dask needs --scheduler ADDRESS")
    _check_epoch()
    from publisher.build import uptodate

    try:
        inputs = uptodate.read_inputs(content, templates, output,
                                      uptodate.request(articles, langs, formats, clinics, bleed, shard))
    except OSError:
        inputs = None  # an unreadable file: the full check below names it
    current = None if force or inputs is None else uptodate.nothing_changed(output, inputs)
    if current is not None:
        _report(_current_report(current, started), output, dry_run, as_json)
        return

    from publisher.build import RenderOptions, Selection, build as run_build
    from publisher.build.progress import progress_for
    from publisher.build.render_cache import RenderCache
    from publisher.i18n import article_languages
    from publisher.i18n.pseudo import PSEUDO_LOCALES
    from publisher.targets import targets

    project = _load(content)
    _check_choice("--article", articles, project.articles)
    _check_choice("--clinic", clinics, project.clinics)
    _check_choice("--format", formats, targets())
    _check_choice("--lang", langs, {lang for a in project.articles.values() for lang in article_languages(a)}
                  | set(PSEUDO_LOCALES))
    selection = Selection(tuple(articles), tuple(langs), tuple(formats), tuple(clinics))
    try:
        report = run_build(project, selection, templates, output, options=RenderOptions(bleed=bleed),
                           jobs=jobs or _cores(), executor=executor, scheduler=scheduler,
                           shard=shard, force=force, dry_run=dry_run, inputs=inputs, strict=strict,
                           cache=RenderCache(cache) if cache else None,
                           progress=None if dry_run or as_json else progress_for())
    except PublisherError as exc:
        _fail(exc)
    _report(report, output, dry_run, as_json)


@main.command(cls=ListOptions)
@content_option
@templates_option
@click.option("--output", type=click.Path(path_type=Path, file_okay=False), default=Path("output"),
              show_default=True, help="Where the files go; the folder that is served.")
@click.option("--article", "articles", multiple=True, metavar="ID…", help="Only these articles.")
@click.option("--lang", "langs", multiple=True, metavar="TAG…", help="Only these languages, such as --lang en ar.")
@click.option("--format", "formats", multiple=True, metavar="NAME…",
              help="Only these formats: handout, large-print, poster, deck, web (web alone rebuilds fastest).")
@click.option("--clinic", "clinics", multiple=True, metavar="ID…", help="Only these clinics.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="The port to listen on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on.  Only this machine can open the default; another address lets"
                   " other machines read the preview, drafts included: use it only when you mean to.")
def serve(content: Path, templates: Path, output: Path, articles, langs, formats, clinics, port: int,
          host: str) -> None:
    """Build, serve the output folder, and rebuild and reload the open pages on every save.

    Watches the content and templates folders; each save rebuilds what it
    changed (as `publisher build` does) and reloads the pages open in the
    browser.  A content error shows in the page as the same lines the
    command prints, over the last good build.  Ctrl-C stops it.
    """
    try:
        from publisher.preview.serve import serve as run_serve
    except ImportError as exc:  # an installation from before `serve` existed
        click.echo(f"error: publisher serve needs {exc.name}, which is not installed — run `make build`"
                   f" (or `pip install {exc.name}`)", err=True)
        sys.exit(2)
    _check_epoch()
    args = ["--content", str(content), "--templates", str(templates), "--output", str(output)]
    for option, values in (("--article", articles), ("--lang", langs), ("--format", formats),
                           ("--clinic", clinics)):
        for value in values:
            args += [option, value]
    sys.exit(run_serve(content, templates, output, args, host, port))


def _cores() -> int:
    """The cores this process may use: a container or `taskset` may allow fewer than the machine has."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def _current_report(current, started: float):
    """The report of a build that found, without loading anything, that every file is current."""
    from publisher.build.report import BuildReport

    return BuildReport(skipped=current.paths, fallbacks={(a, lang): tuple(units) for a, lang, units in current.fallbacks},
                       wall_seconds=time.perf_counter() - started)


def _report(report, output: Path, dry_run: bool, as_json: bool) -> None:
    out = (lambda text: click.echo(text, err=True)) if as_json else click.echo
    if dry_run:
        for path, reason in sorted(report.reasons.items()):
            out(f"would render {path} ({reason})")
        for path in report.removed:
            out(f"would remove {path} (its article, language, clinic, format or variant is gone)")
        out(f"{len(report.reasons)} to render, {len(report.skipped)} current, {len(report.removed)} to remove")
    else:
        for path in report.removed:
            out(f"removed {(output / path).as_posix()}")
    for note in report.notes:
        click.echo(f"note: {note}", err=True)
    for (article, lang), units in report.fallbacks.items():
        click.echo(f"note: {article} in '{lang}' shows {len(units)} unit(s) in the source language"
                   f" (translation missing or stale): {', '.join(units)}", err=True)
    for (article, lang), units in report.awaiting.items():
        click.echo(f"note: {article} in '{lang}' keeps the previous translation of {len(units)} changed unit(s),"
                   f" awaiting update (translation policy 'previous'): {', '.join(units)}", err=True)
    for (article, lang), units in report.blocked.items():
        click.echo(f"warning: {article} in '{lang}' not built: {len(units)} unit(s) missing or stale and the"
                   f" translation policy is 'block' ({', '.join(units)}); its previous files are left as they"
                   " were — translate them, or `publisher i18n confirm` an edit that kept the meaning", err=True)
    failed_units = _failed_units(report)
    if not dry_run:
        for line in failed_units:
            out(line)
    summary = report.summary()
    if as_json:
        click.echo(json.dumps({**summary, "cached": len(report.cached), "dry_run": dry_run, "built_paths": [e["path"] for e in report.built],
                               "removed_paths": report.removed, "failures": [str(p) for p in report.failed],
                               "failed_units": failed_units, "held_back_paths": report.held_back,
                               "blocked": [{"article": a, "lang": lang, "units": list(units)}
                                           for (a, lang), units in report.blocked.items()],
                               "notes": report.notes}, indent=2))
    elif not dry_run:
        click.echo(f"Built {summary['built']}, skipped {summary['skipped']}, removed {summary['removed']},"
                   f" failed {summary['failed']} in {report.wall_seconds:.1f} s;"
                   f" manifest: {(output / 'manifest.json').as_posix()}")
    if report.failed:
        error = PublisherError(report.failed)
        for problem in error.problems:
            click.echo(str(problem), err=True)
        if report.built or report.removed:
            click.echo(f"Failed: {len(error.problems)} {'error' if len(error.problems) == 1 else 'errors'};"
                       f" {len(failed_units)} of the selection's units (article × language × clinic) not written,"
                       " every other unit written.", err=True)
        else:
            click.echo(error.summary(), err=True)
        sys.exit(1)


def _failed_units(report) -> list[str]:
    """One line per article × language × clinic that was not written: its failed files, where, and the clinic."""
    units: dict[tuple[str, str, str], list[str]] = {}
    for task, problems in sorted(report.failures, key=lambda failure: failure[0].path):
        where = ", ".join(sorted({f"{p.file}:{p.line}" for p in problems}))
        name = task.path.rsplit("/", 1)[-1] if task.article else task.path  # a gallery is one of several index.html
        units.setdefault((task.article, task.lang, task.clinic), []).append(f"{name} ({where})")
    held = {}
    for path in report.held_back:
        held.setdefault(report.held_units[path], []).append(path.rsplit("/", 1)[-1])
    lines = []
    for (article, lang, clinic), files in sorted(units.items()):
        kept = held.get((article, lang, clinic), [])
        also = f"; {len(kept)} other file(s) of it rendered but held back" if kept else ""
        if not article:  # a file of no one article (a site's shared file, a gallery): its previous one stays
            lines.append(f"failed: {'; '.join(files)} — not written; the previous file is kept")
            continue
        lines.append(f"failed: {article} in '{lang}' for clinic '{clinic}': {'; '.join(files)} — nothing of"
                     f" this unit written{also}; its previous files are kept")
    return lines


def _check_choice(option: str, chosen, available) -> None:
    unknown = [c for c in chosen if c not in available]
    if unknown:
        raise click.UsageError(f"{option}: unknown {', '.join(map(repr, unknown))};"
                               f" choose from {', '.join(sorted(available)) or '(none)'}")


@main.group()
def manifest() -> None:
    """Work with output manifests."""


@manifest.command("merge")
@click.argument("manifests", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="Where the merged manifest goes (such as output/manifest.json).")
def merge(manifests, output: Path) -> None:
    """Combine the manifests of shard builds into one, as a single full build writes it."""
    from publisher.build.write import merge_manifests, write_atomic

    try:
        merged = merge_manifests([json.loads(path.read_text(encoding="utf-8")) for path in manifests])
    except (ValueError, KeyError, TypeError) as exc:
        raise click.UsageError(f"not a publisher manifest: {exc}") from None
    write_atomic(output, (json.dumps(merged, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    click.echo(f"merged {len(manifests)} manifests ({len(merged['artifacts'])} files) into {output.as_posix()}")


@main.command()
@content_option
@templates_option
@cache_option
def validate(content: Path, templates: Path, cache: Path | None) -> None:
    """Check every content file, that every character can be printed, and the content gates."""
    from publisher.build.plan import Selection, plan
    from publisher.checks.run import Runner, check_jobs, problems as gate_problems

    _check_epoch()
    project = _load(content)
    try:
        runner = Runner(project, cache=cache)
        planned = plan(project, Selection(), templates)
    except PublisherError as exc:
        _fail(exc)
    problems = planned.problems + gate_problems(check_jobs(runner, planned.jobs))
    if problems:
        _fail(PublisherError(problems))
    click.echo(f"OK: {len(project.articles)} articles, {len(project.clinics)} clinics.")


@main.command(cls=ListOptions)
@content_option
@templates_option
@click.option("--output", type=click.Path(path_type=Path, file_okay=False), default=Path("output"),
              show_default=True, help="The built files to check, as its manifest.json lists them.")
@click.option("--content-gates", "content_only", is_flag=True,
              help="Only the gates that read the content (and clinics).")
@click.option("--output-gates", "output_only", is_flag=True,
              help="Only the gates that read the built files.")
@click.option("--article", "articles", multiple=True, metavar="ID…", help="Only these articles.")
@click.option("--lang", "langs", multiple=True, metavar="TAG…", help="Only these languages.")
@click.option("--gate", "gate_ids", multiple=True, metavar="ID…", help="Only these gates (see --list).")
@click.option("--json", "as_json", is_flag=True, help="Print the findings and scores as JSON on standard output.")
@click.option("--list", "list_gates", is_flag=True, help="List the gates, with their severity and summary.")
def check(content: Path, templates: Path, output: Path, content_only, output_only, articles, langs, gate_ids,
          as_json, list_gates) -> None:
    """Run the quality gates over the content and the built files; exit 1 on any error.

    Prints each finding as FILE:LINE:COL: [gate-id] what is wrong — how to fix,
    then a table per article and language.  Warnings do not fail.
    """
    from publisher.checks import report

    if list_gates:
        listed = report.gate_list()
        if as_json:
            click.echo(json.dumps(listed, indent=2, ensure_ascii=False))
        for gate_id, gate in listed.items() if not as_json else ():
            click.echo(f"{gate_id:<24} {gate['severity']:<8} {gate['reads']:<8} {gate['summary']}")
        return
    from publisher.checks.check import run_check

    _check_epoch()
    from publisher.i18n import article_languages

    project = _load(content)
    _check_choice("--article", articles, project.articles)
    _check_choice("--lang", langs, {lang for a in project.articles.values() for lang in article_languages(a)})
    _check_choice("--gate", gate_ids, report.gate_list())
    try:
        results, notes = run_check(project, templates, output, articles, langs, gate_ids or None,
                                   content=not output_only, outputs=not content_only)
    except PublisherError as exc:
        _fail(exc)
    for note in notes:
        click.echo(f"note: {note}", err=True)
    if as_json:
        click.echo(json.dumps(report.as_json(results), indent=2, ensure_ascii=False))
    else:
        for line in report.lines(results):
            click.echo(line)
        click.echo(report.table(results))
    errors = sum(len(r.errors) for r in results)
    if errors:
        click.echo(f"Failed: {errors} {'error' if errors == 1 else 'errors'} in the quality gates.", err=True)
        sys.exit(1)


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


def _reload_labels(templates: Path):
    from publisher.i18n.labels import load_labels

    load_labels.cache_clear()
    return _labels(templates)


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


@i18n.command("export", cls=ListOptions)
@content_option
@templates_option
@click.option("--format", "fmt", type=click.Choice(["po", "xliff"]), default="po", show_default=True,
              help="po: Weblate, Crowdin, Poedit; xliff: XLIFF 2.0 for Trados, memoQ, Phrase.")
@click.option("--output", type=click.Path(path_type=Path, file_okay=False), default=Path("i18n-export"),
              show_default=True, help="Folder for one <lang>.po (or <lang>.xlf) per language.")
@click.option("--lang", "langs", multiple=True, metavar="TAG…",
              help="Only these languages, such as --lang es ar; a new one (--lang pt) starts with every unit empty.")
def export_cmd(content: Path, templates: Path, fmt: str, output: Path, langs) -> None:
    """Write one file per language for translation tools."""
    from publisher.build import source_date
    from publisher.build.write import write_atomic
    from publisher.i18n.exchange import language_problem
    from publisher.i18n.po import export_po
    from publisher.i18n.status import project_languages
    from publisher.i18n.xliff import export_xliff

    _check_epoch()
    project = _load(content)
    labels = _labels(templates)
    available = project_languages(project, labels)
    for lang in langs:
        problem = None if lang in available else language_problem(lang, project)
        if problem is not None:
            raise click.BadParameter(f"{problem[0]}" + (f" — {problem[1]}" if problem[1] else ""),
                                     param_hint="'--lang'")
    dates = [source_date(a) for a in project.articles.values()]
    stamp = _date(max(dates))
    suffix = {"po": "po", "xliff": "xlf"}[fmt]
    for lang in langs or available:
        path = output / f"{lang}.{suffix}"
        data = export_po(project, labels, templates, lang, stamp) if fmt == "po" else \
            export_xliff(project, labels, templates, lang)
        write_atomic(path, data)
        click.echo(f"wrote {path.as_posix()}")
        if lang not in available:
            _new_language_note(lang, templates)


def _new_language_note(lang: str, templates: Path) -> None:
    """What a new language takes from data, so the translator knows what, if anything, to add."""
    from publisher.i18n.new_language import new_language

    try:
        click.echo(new_language(lang, templates).note(), err=True)
    except PublisherError as exc:
        _fail(exc)


@i18n.command("import")
@content_option
@templates_option
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True, dir_okay=False))
def import_cmd(content: Path, templates: Path, files) -> None:
    """Read translators' <lang>.po or <lang>.xlf (XLIFF 2) files back into the translation files."""
    from publisher.errors import ContentError, Problem
    from publisher.i18n.exchange import MAX_EXCHANGE_BYTES, check_language, groups
    from publisher.i18n.po import import_po
    from publisher.i18n.xliff import import_xliff

    project = _load(content)
    labels = _labels(templates)
    for path in files:
        lang = path.stem
        reader = import_xliff if path.suffix.lower() in (".xlf", ".xliff") else import_po
        size = path.stat().st_size
        try:
            if size > MAX_EXCHANGE_BYTES:
                raise ContentError([Problem(path.as_posix(), 1, 1, "(file)", f"the file is {size:,} bytes, more"
                                              f" than the limit of {MAX_EXCHANGE_BYTES:,}",
                                              "export one language at a time, for fewer articles")])
            check_language(lang, path.as_posix(), project, "xlf" if reader is import_xliff else "po")
            existed = {g.path for g in groups(project, labels, templates, lang) if g.path.is_file()}
            changed = reader(project, labels, templates, lang, path.read_bytes(), shown_as=path.as_posix())
        except PublisherError as exc:
            _fail(exc)
        if changed:
            labels = _reload_labels(templates)  # the next file, or a build in this process, reads the new wording
            project = _load(content)
        for written in changed:
            click.echo(f"{'updated' if written in existed else 'created'} {written.as_posix()}")
        if not changed:
            click.echo(f"{path.as_posix()}: nothing changed")
        elif not any(lang in source.translations for source in project.articles.values()):
            click.echo(f"note: no article has a '{lang}' translation yet, so `publisher build` makes no '{lang}'"
                       " files: translate an article's units too", err=True)
        elif not existed:
            _untranslated_note(project, labels, lang)


def _untranslated_note(project, labels, lang: str) -> None:
    """A language just started is built from now on: say what its readers get for the units still missing."""
    from publisher.i18n.status import translation_status

    rows = translation_status(project, labels, [lang])
    missing, total = sum(r.missing for r in rows), sum(r.total for r in rows)
    policies = sorted({r.policy for r in rows if r.missing})
    if missing:
        named = " and ".join(f"'{p}'" for p in policies)
        gets = " no files until every unit is translated" if policies == ["block"] else \
            " each of those units in English, marked"
        click.echo(f"note: '{lang}' has {missing} of {total} units untranslated; `publisher build` now makes"
                   f" '{lang}' files, and under the translation policy {named} their readers get{gets}"
                   " (`publisher i18n status` lists them; content/translation-policy.yaml sets the policy)", err=True)


@i18n.command("confirm")
@content_option
@templates_option
@click.argument("units", nargs=-1, required=True, metavar="UNIT…")
@click.option("--lang", "langs", multiple=True, metavar="TAG", help="Only this language (repeat for more); default: all.")
def confirm_cmd(content: Path, templates: Path, units, langs) -> None:
    """Confirm that a source edit kept its meaning: the units' translations become current again.

    UNIT is an id as `i18n status` and the build's notes list it (such as
    intro-what.text, or labels:phone for the template wording).
    """
    from publisher.i18n.confirm import UnknownUnit, confirm
    from publisher.i18n.status import project_languages

    project = _load(content)
    labels = _labels(templates)
    available = [lang for lang in project_languages(project, labels)
                 if lang not in {a.article.lang for a in project.articles.values()}]
    _check_choice("--lang", langs, available)
    try:
        confirmed, written = confirm(project, labels, templates, list(units), list(langs), available)
    except UnknownUnit as exc:
        raise click.UsageError(str(exc)) from None
    for done in confirmed:
        where = "" if done.group == "labels" else f" of {done.group}"
        if done.langs:
            click.echo(f"confirmed {done.unit}{where} in {', '.join(done.langs)}")
        else:
            click.echo(f"{done.unit}{where}: nothing to confirm (no translation of it is stale)")
    for path in written:
        click.echo(f"updated {path.as_posix()}")


def _date(iso: str):
    import datetime as dt

    return dt.date.fromisoformat(iso)


if __name__ == "__main__":  # pragma: no cover
    main()
