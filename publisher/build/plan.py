"""Plan: which files to make, and a fingerprint of everything each one reads.

A fingerprint is made of components (content, clinic, templates, fonts,
options, version) so that an incremental build can say *which* input
changed. Components are computed once per article-language, clinic, target
or language and shared by every task that reads them: planning a catalogue
of thousands of files stays a matter of hashing short strings.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import importlib.metadata
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from publisher import __version__
from publisher.build import system_libraries
from publisher.checks.icons import check_icons
from publisher.content import ArticleSource, ClinicSource, Project
from publisher.content.template_config import check_templates
from publisher.errors import ContentError, Problem, PublisherError
from publisher.fonts import load_fonts
from publisher.i18n import LocalizedArticle, article_languages, localize
from publisher.i18n.labels import load_labels
from publisher.i18n.pseudo import PSEUDO_LOCALES
from publisher.icons import load_icons
from publisher.targets import (SITE, DerivedJob, FileJob, IndexJob, Listed, RenderJob, RenderOptions, Site, SiteFile,
                               Target, numerals, targets)
from publisher.targets.shown import NotShown, view
from publisher.templating import undefined_problems


@dataclass(frozen=True)
class Selection:
    """What the user asked for; empty means everything."""

    articles: tuple[str, ...] = ()
    langs: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    clinics: tuple[str, ...] = ()

    def wants(self, kind: str, value: str) -> bool:
        chosen = getattr(self, kind)
        return not chosen or value in chosen

    def languages(self, available: list[str]) -> list[str]:
        """The article's languages the user asked for; pseudo-locales only when named."""
        return [lang for lang in available if self.wants("langs", lang)] + [
            lang for lang in self.langs if lang in PSEUDO_LOCALES and lang not in available]


@dataclass(frozen=True)
class Task:
    article: str
    lang: str
    format: str
    variant: str
    clinic: str
    path: str  # relative to the output folder, POSIX
    components: tuple[tuple[str, str], ...] = field(repr=False)  # what it reads, by kind
    # The same file again at these paths, as another format asks (a web site's downloads):
    # written, recorded and kept current with the file itself.
    copies: tuple[str, ...] = ()
    # The file this one is made from (a thumbnail's PDF): rendered after it, from its bytes.
    source: str = ""

    @property
    def paths(self) -> tuple[str, ...]:
        return (self.path, *self.copies)

    @property
    def inputs(self) -> str:
        """The fingerprint of everything the file is made from (the manifest's `inputs`)."""
        return "sha256:" + _sha(json.dumps(self.components, separators=(",", ":")))

    @property
    def unit(self) -> tuple[str, str, str]:
        """What is written whole or not at all: one article in one language for one clinic
        (a site's shared file, with no article, is a unit of its own)."""
        return (self.article, self.lang, self.clinic) if self.article else ("", self.path, self.clinic)


@dataclass(frozen=True)
class Plan:
    jobs: list[tuple[Task, RenderJob | FileJob | DerivedJob | IndexJob]]
    problems: list[Problem]
    # Article languages not built under the `block` policy, with their untranslated
    # units: their previous files stay as they are.
    blocked: list[LocalizedArticle] = field(default_factory=list)
    # Per clinic whose whole site this plan covers, the paths of its shared files:
    # any other shared file of that site left by an earlier build is obsolete.
    site_files: dict[str, frozenset[str]] = field(default_factory=dict)


def site_file_path(clinic: str, file: SiteFile) -> str:
    return f"{SITE}/{clinic}/{file.path}"


def source_date(article: ArticleSource) -> str:
    """The date stamped into files: SOURCE_DATE_EPOCH, else the article's publication date.

    Never the clock, so that the same content gives the same bytes. A value
    that is not a date raises `BadEpoch` (`publisher.build.epoch`).
    """
    from datetime import datetime, timezone

    from publisher.build.epoch import source_date_epoch

    epoch = source_date_epoch()
    if epoch is not None:
        return datetime.fromtimestamp(epoch, tz=timezone.utc).date().isoformat()
    return article.article.metadata.published.isoformat()


def plan(project: Project, selection: Selection, templates_dir: Path,
         options: RenderOptions = RenderOptions()) -> Plan:
    """Every (task, job) the selection asks for, and the problems found checking them."""
    template_problems = check_templates(templates_dir)  # validate's and build's one check of templates/
    if template_problems:
        raise ContentError(template_problems)
    fonts = load_fonts(templates_dir / "fonts")
    labels = load_labels(templates_dir)
    icons = load_icons(templates_dir / "icons")
    digests = _Digests(templates_dir)
    libraries = _libraries()
    chosen = {name: t for name, t in targets().items() if selection.wants("formats", name)}
    clinics = {cid: c for cid, c in project.clinics.items() if selection.wants("clinics", cid)}
    not_shown = _not_shown(chosen, templates_dir, tuple(labels.source))
    clinic_keys: dict[tuple, str] = {}
    template_keys = {name: digests.files(t.template_files(templates_dir)) for name, t in chosen.items()}
    jobs: list[tuple[Task, RenderJob | FileJob]] = []
    problems: list[Problem] = []
    blocked: list[LocalizedArticle] = []
    sites: dict[tuple[str, str], tuple[tuple[tuple[str, str], ...], str]] = {}  # (format, clinic) -> assets, key
    site_files: dict[str, frozenset[str]] = {}
    # What each format's indexes list, by clinic: gathered only when the build plans every
    # article and language, since an index lists them all.
    whole = not selection.articles and not selection.langs
    listed: dict[str, dict[str, list[Listed]]] = {name: {cid: [] for cid in clinics} for name in chosen}
    for name, target in chosen.items():
        for clinic_id, clinic in clinics.items():
            try:
                files = target.site_files(templates_dir, clinic)
            except PublisherError as exc:
                problems += exc.problems
                continue
            if not files:
                continue
            for file in files:
                path = site_file_path(clinic_id, file)
                digest = hashlib.sha256(file.data).hexdigest()
                task = Task("", "", name, "shared", clinic_id, path,
                            (("file", digest), ("publisher", f"{__version__}/{name}")))
                jobs.append((task, FileJob(file.data)))
            assets = tuple((f.role, f.path) for f in files)
            sites[name, clinic_id] = assets, _sha(json.dumps(assets))
            if not selection.articles and not selection.langs:
                site_files[clinic_id] = frozenset(site_file_path(clinic_id, f) for f in files)
    paths: dict[str, tuple[str, str]] = {}
    if SITE in project.articles:  # output/site/ holds the clinics' web sites
        problems.append(Problem(project.articles[SITE].source.file, 1, 1, "(article id)",
                                f"an article may not be called '{SITE}': output/{SITE}/ holds the clinics' web sites",
                                "rename the article's folder"))
    for art_id, source in project.articles.items():
        if not selection.wants("articles", art_id):
            continue
        date = source_date(source)
        problems += check_icons(source, icons)
        languages = tuple(article_languages(source))
        for lang in selection.languages(list(languages)):
            localized = localize(source, lang, labels, project.policy_for(art_id, lang))
            if localized.blocked:
                blocked.append(localized)
                continue
            fonts_key = digests.files(fonts.files_for(lang))
            content_keys: dict[str, str] = {}
            per_format: dict[str, LocalizedArticle] = {}
            for clinic_id, clinic in clinics.items():
                clinic = clinic.for_language(lang)  # its localized name and address, where it has them
                for name, target in chosen.items():
                    shown_loc = per_format.get(name) or per_format.setdefault(
                        name, _marked_where_shown(localized, not_shown[name]))
                    content_key = content_keys.get(name) or content_keys.setdefault(
                        name, _content_key(shown_loc, not_shown[name], date))
                    # Which localized entry it prints, and whether its name is in the file's language (untagged).
                    shown_clinic = (clinic_id, name, numerals(clinic.clinic, lang), localized.unreviewed,
                                    clinic.entry, clinic.clinic.lang == lang)
                    clinic_key = clinic_keys.get(shown_clinic) or clinic_keys.setdefault(
                        shown_clinic, _clinic_key(clinic, not_shown[name], lang, localized.unreviewed, digests))
                    if whole:
                        listed[name][clinic_id].append(Listed(shown_loc, clinic))
                    site = None
                    if (name, clinic_id) in sites:
                        assets, assets_key = sites[name, clinic_id]
                        site = Site(assets, languages)
                    for variant in target.variants:
                        read = {o: getattr(options, o) for o in target.options_read}
                        components = (
                            ("content", content_key),
                            ("clinic", clinic_key),
                            ("templates", template_keys[name]),
                            ("fonts", fonts_key),
                            ("options", _sha(json.dumps([variant, read], sort_keys=True))),
                            ("publisher", f"{__version__}/{name}/{libraries}"),
                        )
                        if site is not None:
                            # The files it links to: adding a language changes every page's switcher.
                            components += (("site", _sha(json.dumps([assets_key, languages]))),)
                        try:
                            path = target.path(art_id, lang, clinic, variant)
                        except PublisherError as exc:
                            problems += exc.problems
                            continue
                        if path in paths:
                            problems.append(_same_path(clinic, path, paths[path], (art_id, lang)))
                            continue
                        paths[path] = (art_id, lang)
                        copies = tuple(copy for other in chosen.values() if other is not target
                                       for copy in other.copy_paths(art_id, lang, clinic, path))
                        task = Task(art_id, lang, name, variant, clinic_id, path, components, copies)
                        jobs.append((task, RenderJob(shown_loc, clinic, variant, templates_dir, date, options,
                                                     site=site)))
                        for other in chosen.values():
                            if other is target:
                                continue
                            for made in other.derived(target, variant, art_id, lang, clinic):
                                # What it shows is the source file: its fingerprint stands for the bytes.
                                shows = (("source", task.inputs), ("settings", _sha(json.dumps(made.settings))),
                                         ("publisher", f"{__version__}/{other.name}/{libraries}"))
                                jobs.append((Task(art_id, lang, other.name, made.variant, clinic_id, made.path, shows,
                                                  source=path), DerivedJob(path, made.settings)))
    if whole:
        for name, target in chosen.items():
            assets = {cid: dict(sites[name, cid][0]) for cid in clinics if (name, cid) in sites}
            for index in target.indexes(templates_dir, listed[name], clinics, assets, not selection.clinics):
                context = json.dumps(index.context, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
                components = (("listed", _sha(context)), ("templates", template_keys[name]),
                              ("publisher", f"{__version__}/{name}/{libraries}"))
                jobs.append((Task("", "", name, index.variant, index.clinic, index.path, components),
                             IndexJob(index.template, index.context, templates_dir)))
    problems = list(dict.fromkeys(problems))  # a clinic's mistake is found once per article and language
    # Characters without a glyph are the `glyph-coverage` gate's (publisher/checks/glyph_coverage.py).
    return Plan(jobs, problems + _undefined_names(jobs, chosen, templates_dir), blocked, site_files)


def _same_path(clinic: ClinicSource, path: str, first: tuple[str, str], second: tuple[str, str]) -> Problem:
    """Two files planned at one path: only a clinic's web address can do that (a page's folder is its path)."""
    field_name = "article_url" if clinic.clinic.article_url else "website"
    line, col = clinic.source.locate((field_name,))
    return Problem(clinic.source.file, line, col, field_name,
                   f"the pages of '{first[0]}' in '{first[1]}' and of '{second[0]}' in '{second[1]}' would both be"
                   f" {path}: each article in each language needs an address of its own",
                   "put {lang} and {article} in the address's path, before any '?' or '#'")


def _undefined_names(jobs: list[tuple[Task, RenderJob]], chosen: dict[str, Target], templates_dir: Path) -> list[Problem]:
    """A misspelt name in a format's template, found with its first job's values, before anything renders."""
    problems: list[Problem] = []
    for name, target in chosen.items():
        job = next((j for t, j in jobs if t.format == name and isinstance(j, RenderJob)), None)
        for template, names in (target.template_names(job) if job and hasattr(target, "template_names") else []):
            problems += undefined_problems(templates_dir, template, names)
    return problems


def valid_path(project: Project, path: str, shared: bool = False,
               site_files: dict[str, frozenset[str]] | None = None, pages: dict | None = None) -> bool:
    """Whether `path` is a file this project can make: outputs of removed
    articles, languages, clinics, formats or variants are not. A site's
    `shared` file is obsolete once a build that plans that whole site
    (`site_files`) no longer makes it; until then pages not built this time
    may still name it. `pages` caches each site's page paths across calls."""
    parts = path.split("/")
    if len(parts) == 1:  # an index across clinics
        return any(path in t.index_paths(None) for t in targets().values())
    if parts[0] == SITE and len(parts) > 2:
        clinic = parts[1]
        if clinic not in project.clinics:
            return False
        if shared:
            return path in site_files[clinic] if site_files and clinic in site_files else True
        pages = {} if pages is None else pages
        if clinic not in pages:
            pages[clinic] = _site_pages(project, clinic)
        return path in pages[clinic]
    if len(parts) != 4 or parts[0] not in project.articles or parts[2] not in project.clinics:
        return False
    article, lang, clinic, name = parts
    if lang not in article_languages(project.articles[article]) and lang not in PSEUDO_LOCALES:
        return False
    source = project.clinics[clinic]
    return any(_path_of(t, article, lang, source, v) == path for t in targets().values() for v in t.variants)


def _path_of(target: Target, article: str, lang: str, clinic: ClinicSource, variant: str) -> str | None:
    try:
        return target.path(article, lang, clinic, variant)
    except PublisherError:
        return None


def _site_pages(project: Project, clinic: str) -> frozenset[str]:
    """Every path below a clinic's site folder where a format puts a page of an article."""
    source = project.clinics[clinic]
    found = {path for target in targets().values() for path in target.index_paths(clinic)}
    for article, art in project.articles.items():
        for lang in [*article_languages(art), *PSEUDO_LOCALES]:
            for target in targets().values():
                for variant in target.variants:
                    path = _path_of(target, article, lang, source, variant)
                    if path is None:
                        continue
                    found.add(path)
                    for other in targets().values():
                        try:
                            found.update(other.copy_paths(article, lang, source, path))
                            found.update(made.path for made in other.derived(target, variant, article, lang, source))
                        except PublisherError:
                            pass
    return frozenset(path for path in found if path.startswith(f"{SITE}/"))


@functools.cache
def _libraries() -> str:
    """The installed versions of every library publisher runs on, direct or not.

    A new WeasyPrint or python-pptx can change a file's bytes, so the version
    of each is an input of every file; so are the versions of the system's
    Pango, HarfBuzz and fontconfig (see `system_libraries`).
    """
    versions, todo = {}, ["publisher"]
    while todo:
        name = re.sub(r"[-_.]+", "-", todo.pop()).lower()
        if name in versions:
            continue
        try:
            dist = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None  # not installed here, as its marker allows
            continue
        versions[name] = dist.version
        todo += [re.match(r"[A-Za-z0-9._-]+", r).group(0) for r in dist.requires or () if "extra ==" not in r]
    return _sha(json.dumps([versions, system_libraries.versions()], sort_keys=True))[:16]


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _not_shown(chosen: dict[str, Target], templates_dir: Path, label_keys: tuple[str, ...]) -> dict[str, NotShown]:
    """Each chosen format's declaration of what it never shows; every mistake in them at once."""
    found, problems = {}, []
    for name, target in chosen.items():
        try:
            found[name] = target.not_shown(templates_dir, label_keys)
        except PublisherError as exc:
            # Formats may share one declaration (large print reads the handout's): say each mistake once.
            problems += [p for p in exc.problems if p not in problems]
    if problems:
        raise ContentError(problems)
    return found


# The wording that marks source-language text in a translation: printed only where some is.
MARKING_LABELS = ("fallback_marker", "fallback_notice")


def _marked_where_shown(localized: LocalizedArticle, not_shown: NotShown) -> LocalizedArticle:
    """The article for one format: only the source-language texts the format shows count as
    marked, so that a poster, which shows no paragraph, neither says the leaflet has such
    parts nor changes when a paragraph falls back."""
    if not localized.marked:
        return localized
    shown = set(_strings(view(localized.article, not_shown))) | {
        text for key, text in localized.labels.items() if key not in not_shown.labels}
    marked = tuple((text, lang) for text, lang in localized.marked if text in shown)
    return localized if marked == localized.marked else dataclasses.replace(localized, marked=marked)


def _strings(data) -> list[str]:
    if isinstance(data, dict):
        return [s for value in data.values() for s in _strings(value)]
    if isinstance(data, list):
        return [s for value in data for s in _strings(value)]
    return [data] if isinstance(data, str) else []


def _content_key(localized: LocalizedArticle, not_shown: NotShown, date: str) -> str:
    # Which units fell back is recorded in the manifest, not in the file: only
    # the text they put there (in `article`) and the review notice count here;
    # the notice's wording is printed only where the text is unreviewed.
    labels = {key: text for key, text in localized.labels.items() if key not in not_shown.labels
              and (key != "unreviewed" or localized.unreviewed)
              and (key not in MARKING_LABELS or localized.marked)
              and (key != "reviewed_by" or localized.reviewed_by)}
    facts = {
        "article": view(localized.article, not_shown),
        "labels": labels,
        "marked": localized.marked,
        "reviewed_by": localized.reviewed_by,
        "direction": localized.direction,
        "unreviewed": localized.unreviewed,
        "date": date,
    }
    return _sha(json.dumps(facts, sort_keys=True, ensure_ascii=False, separators=(",", ":")))


def _clinic_key(clinic: ClinicSource, not_shown: NotShown, lang: str, unreviewed: bool,
                digests: "_Digests") -> str:
    """The clinic as one format shows it in one language.

    Two fields print only in some files, as the templates' own conditions
    say: the clinic's digits only in Arabic (`numerals`), and its choice of
    the review notice only where the text is unreviewed; elsewhere they count
    as the value that is printed. A file follows the field that names it.
    """
    shown = view(clinic.clinic, not_shown)
    if "numerals" in shown:
        shown["numerals"] = numerals(clinic.clinic, lang)
    if "unreviewed_notice" in shown:
        shown["unreviewed_notice"] = shown["unreviewed_notice"] and unreviewed
    files = [path for field, path in (("logo", clinic.logo_path), ("deck_template", clinic.deck_template_path))
             if path is not None and field in shown]
    facts = {"clinic": shown, "files": digests.files(files)}
    return _sha(json.dumps(facts, sort_keys=True, ensure_ascii=False, separators=(",", ":")))


class _Digests:
    """File digests, each file read once per plan."""

    def __init__(self, templates_dir: Path):
        self.root = templates_dir
        self._cache: dict[Path, str] = {}

    def files(self, paths: list[Path]) -> str:
        listing = []
        for path in sorted(paths):
            if path not in self._cache:
                self._cache[path] = hashlib.sha256(path.read_bytes()).hexdigest()
            name = path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else path.name
            listing.append(f"{name}:{self._cache[path]}")
        return _sha("\n".join(listing))
