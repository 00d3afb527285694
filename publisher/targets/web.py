"""Web page: the article for one clinic in one language, at the address its posters print.

Each clinic gets a site folder, `output/site/<clinic>/`, to copy to the root
of its web server: a page lives in the folder its clinic's `article_url` (or
website, then `/{lang}/{article}`) names, as `index.html`, so the QR code on
every poster opens it. The stylesheet, fonts, logo and icon are the site's
shared files (`site_files`), named by a digest of their bytes and written
once per site; a page links to them, and to its other languages, with
relative addresses, so the folder works from any host or from disk.
Jinja only: no layout engine runs.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from publisher import __version__
from publisher.content import ClinicSource, contrast
from publisher.errors import ContentError, Problem
from publisher.fonts import css_family, load_fonts
from publisher.i18n import babel_locale
from publisher.icons import load_icons
from publisher.targets import (SITE, Derived, DerivedJob, Index, IndexJob, Listed, Rendered, RenderJob, SiteFile,
                               Target, numerals, register, targets)
from publisher.targets._html import render_html, render_template
from publisher.targets._thumbnail import first_page_png, renderer

TEMPLATE = "web/page.html.j2"
GALLERY = "web/gallery.html.j2"
STYLESHEET = "web/site.css.j2"
INDEX = "index.html"  # a gallery's file name, at the root of a clinic's site and of the output folder
# The files a gallery shows a picture of (format, variant), drawn this many pixels wide: twice
# the width the gallery shows them at, for sharp text on high-density screens.
PREVIEWS = (("handout", "a4"), ("poster", "a3"))
PREVIEW_WIDTH = 320
LANGUAGE_FILTERS = 24  # languages a gallery's filter can pick one of (site.css.j2 has a rule for each)
ASSETS = "assets"  # the site's shared files, below the site folder
WEB_FONTS = "web/fonts"  # WOFF2 copies of templates/fonts/ (tools/make_fonts.py)
DOWNLOADS = ("handout", "large-print", "poster", "deck")
MIN_CONTRAST = 4.5  # WCAG 2 AA (1.4.3) for body text: every pair the page draws from the clinic's colours
TEXT = "#1a1a1a"  # as site.css.j2 writes text on the clinic's colours
WARNING_RED = "#8a1c1c"  # as site.css.j2: fixed, so a warning's contrast never depends on a palette
# Every text and background pair site.css.j2 makes of the clinic's colours: (text, background, where).
# (The primary colour on white, which every format prints, is the colour-contrast gate's.)
COLOUR_PAIRS = ((TEXT, "accent", "text on the key messages and tips"),)


@register
class Web(Target):
    name = "web"
    suffix = ".html"
    variants = ("page",)
    template_dirs = ("{name}", "icons")

    def path(self, article: str, lang: str, clinic: ClinicSource, variant: str) -> str:
        return f"{SITE}/{clinic.id}/{'/'.join(page_folder(clinic, article, lang))}/index.html"

    def copy_paths(self, article: str, lang: str, clinic: ClinicSource, path: str) -> list[str]:
        """A copy of each of the article's other files beside its page, so that the site folder
        alone holds everything its pages link to."""
        return [f"{SITE}/{clinic.id}/{'/'.join(page_folder(clinic, article, lang))}/{path.rsplit('/', 1)[-1]}"]

    def site_files(self, templates_dir: Path, clinic: ClinicSource) -> list[SiteFile]:
        _check_colours(clinic)
        fonts = _fonts(templates_dir)
        faces = [{"family": family, "weight": weight, "url": file.path.removeprefix(f"{ASSETS}/")}
                 for family, weight, file in fonts]
        stacks = load_fonts(templates_dir / "fonts").stacks
        css = render_template(templates_dir, STYLESHEET, {
            "clinic": clinic.clinic, "font_faces": faces, "warning_red": WARNING_RED, "text": TEXT,
            "language_filters": LANGUAGE_FILTERS, "file_filters": DOWNLOADS,
            "stacks": {lang: [css_family(f) for f in families] for lang, families in stacks.items()},
        }).encode("utf-8")
        logo = clinic.logo_path
        warning = load_icons(templates_dir / "icons")["warning"].svg(WARNING_RED)
        return [_hashed("stylesheet", "site", ".css", css),
                _hashed("logo", "logo", logo.suffix.lower(), logo.read_bytes()),
                _hashed("warning", "warning", ".svg", warning),
                *(file for _, _, file in fonts)]

    def template_names(self, job: RenderJob) -> list[tuple[str, set[str]]]:
        """The template and the names `render` hands it, for `validate` to check before rendering."""
        from publisher.targets._gallery import CONTEXT_NAMES

        return [(TEMPLATE, set(page_context(job))), (GALLERY, set(CONTEXT_NAMES))]

    def render(self, job: RenderJob) -> Rendered:
        html = render_html(job, TEMPLATE, page_context(job))
        return Rendered(html.encode("utf-8"), 1)

    def derived(self, source: Target, variant: str, article: str, lang: str, clinic: ClinicSource) -> list[Derived]:
        """A picture of the handout's first page and of the poster, beside the page, for the galleries."""
        if (source.name, variant) not in PREVIEWS:
            return []
        return [Derived(preview_path(clinic, article, lang, source.name, variant), "thumbnail",
                        (PREVIEW_WIDTH, renderer()))]

    def render_derived(self, job: DerivedJob) -> Rendered:
        width, _ = job.settings
        data, _ = first_page_png(job.data, width, job.source)
        return Rendered(data, 1)

    def index_paths(self, clinic: str | None) -> list[str]:
        return [f"{SITE}/{clinic}/{INDEX}" if clinic else INDEX]

    def indexes(self, templates_dir: Path, listed: dict[str, list[Listed]], clinics: dict[str, ClinicSource],
                assets: dict[str, dict[str, str]], across_clinics: bool) -> list[Index]:
        """A gallery at the root of each clinic's site, and, when every clinic is built, one for
        staff across clinics at the root of the output folder."""
        from publisher.targets._gallery import gallery_context

        found = [Index(self.index_paths(cid)[0], cid, "gallery", GALLERY,
                       gallery_context(templates_dir, {cid: listed[cid]}, clinics, assets[cid], f"{SITE}/{cid}/"))
                 for cid in sorted(listed) if cid in assets]
        if across_clinics and assets:
            # The staff's page takes the first site's stylesheet: it is no clinic's, and has no site of its own.
            first = sorted(assets)[0]
            found.append(Index(INDEX, "", "gallery", GALLERY,
                               gallery_context(templates_dir, listed, clinics, assets[first], "", f"{SITE}/{first}/")))
        return found

    def render_index(self, job: IndexJob) -> Rendered:
        html = render_template(job.templates_dir, job.template, job.context)
        return Rendered(html.encode("utf-8"), 1)


def page_context(job: RenderJob) -> dict:
    loc, source = job.localized, job.clinic
    clinic = source.clinic
    here = page_folder(source, loc.id, loc.lang)
    up = "../" * len(here)
    assets = dict(job.site.assets) if job.site else {}
    languages = []
    for lang in job.site.languages if job.site else (loc.lang,):
        name, direction = _language(lang)
        languages.append({"lang": lang, "name": name, "direction": direction,
                          "href": up + "/".join(page_folder(source, loc.id, lang)) + "/index.html",
                          "address": clinic.article_address(loc.id, lang), "current": lang == loc.lang})
    downloads = download_links(loc.id, loc.lang, source)
    meta = loc.article.metadata
    return {
        "loc": loc,
        "article": loc.article,
        "meta": meta,
        "labels": loc.labels,
        "clinic": clinic,
        "numerals": numerals(clinic, loc.lang),
        "asset": {role: up + path for role, path in assets.items()},
        "languages": languages,
        "downloads": downloads,
        "canonical": clinic.article_address(loc.id, loc.lang),
        "phone_href": tel_href(clinic.phone),
        "json_ld": {
            "@context": "https://schema.org",
            "@type": "MedicalWebPage",
            "name": loc.article.title,
            "description": loc.article.question,
            "url": clinic.article_address(loc.id, loc.lang),
            "inLanguage": loc.lang,
            "datePublished": meta.published.isoformat(),
            # The article is reviewed when it is published; `review` is when it must be reviewed again.
            "lastReviewed": meta.published.isoformat(),
            "version": meta.version,
            "audience": {"@type": "PeopleAudience", "audienceType": meta.audience},
            "author": {"@type": "Organization", "name": meta.organisation},
            "publisher": {"@type": "MedicalClinic", "name": clinic.name, "telephone": clinic.phone,
                          "url": clinic.website},
        },
        "source_date": job.source_date,
        "generator": f"publisher {__version__}",
    }


def download_links(article: str, lang: str, clinic: ClinicSource) -> list[dict[str, str]]:
    """The article's other files, copied beside its page when they are built with it (`copy_paths`):
    format, variant, the label that names it, and its address from the page's folder."""
    return [{"format": target.name, "variant": variant, "label": f"web_{target.name.replace('-', '_')}_{variant}",
             "href": target.path(article, lang, clinic, variant).rsplit("/", 1)[-1]}
            for name, target in sorted(targets().items(), key=lambda t: (_download_rank(t[0]), t[0]))
            if name != Web.name
            for variant in target.variants]


def preview_path(clinic: ClinicSource, article: str, lang: str, source: str, variant: str) -> str:
    """A gallery's picture of a file, beside the page (relative to the output folder)."""
    return f"{SITE}/{clinic.id}/{'/'.join(page_folder(clinic, article, lang))}/preview-{source}-{variant}.png"


def tel_href(phone: str) -> str:
    """A `tel:` link a phone can dial: the digits (and a leading +) before any words such as an
    extension, without the "(0)" that international numbers print for callers inside the country."""
    number = re.split(r"[^\W\d_]", phone, maxsplit=1)[0]  # up to the first letter
    if number.lstrip().startswith("+"):
        number = number.replace("(0)", "")
    ascii_digits = "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in number.strip())
    return "tel:" + re.sub(r"(?!^\+)[^0-9]", "", ascii_digits)


@lru_cache(maxsize=64)
def _language(lang: str) -> tuple[str, str]:
    """A language's name in itself, as a menu entry starts it (Español, not español), and its direction."""
    locale = babel_locale(lang)
    name = locale.get_display_name(locale) or lang
    return name[:1].upper() + name[1:], locale.text_direction


def _download_rank(name: str) -> int:
    """Downloads in the order a reader wants them: the leaflet, the poster, the slides, then any other."""
    return DOWNLOADS.index(name) if name in DOWNLOADS else len(DOWNLOADS)


def page_folder(clinic: ClinicSource, article: str, lang: str) -> list[str]:
    """The folders of the page's address, as a web server maps them to its files: percent-escapes
    decoded, empty segments dropped. A segment that would climb out of the site, or hide a
    separator, is refused at the clinic's address."""
    address = clinic.clinic.article_address(article, lang)
    segments = [unquote(s) for s in urlsplit(address).path.split("/") if s]
    for segment in segments:
        if segment in (".", "..") or re.search(r"[\\/\x00-\x1f\x7f]", segment):
            field = "article_url" if clinic.clinic.article_url else "website"
            line, col = clinic.source.locate((field,))
            raise ContentError([Problem(clinic.source.file, line, col, field,
                                        f"the address {getattr(clinic.clinic, field)} makes the folder {segment!r},"
                                        " which a web page cannot be stored under",
                                        "write the address's path with plain folder names")])
    if not segments:  # unreachable while the address must hold {article}; kept for a clear failure
        raise ContentError([Problem(clinic.source.file, 1, 1, "article_url",
                                    f"the address {address} names no folder", "put {article} in its path")])
    return segments


def _check_colours(clinic: ClinicSource) -> None:
    """Every text and background pair the clinic's colours make on its pages reads at 4.5:1 (WCAG AA)."""
    colours = clinic.clinic.colours
    problems = []
    for text, background, where in COLOUR_PAIRS:
        fg, bg = (getattr(colours, c) if c in ("primary", "accent") else c for c in (text, background))
        ratio = contrast(fg, bg)
        if ratio < MIN_CONTRAST:
            name = text if text in ("primary", "accent") else background
            line, col = clinic.source.locate(("colours", name))
            problems.append(Problem(clinic.source.file, line, col, f"colours.{name}",
                                    f"{fg} on {bg} ({where} of the web pages) has a contrast of {ratio:.1f}:1,"
                                    f" at least {MIN_CONTRAST}:1 needed",
                                    "choose a darker primary colour" if name == "primary"
                                    else "choose a lighter accent colour"))
    if problems:
        raise ContentError(problems)


def _hashed(role: str, stem: str, suffix: str, data: bytes) -> SiteFile:
    digest = hashlib.sha256(data).hexdigest()[:12]
    return SiteFile(role, f"{ASSETS}/{stem}.{digest}{suffix}", data)


def _fonts(templates_dir: Path) -> list[tuple[str, int, SiteFile]]:
    """Each face of templates/fonts/fonts.yaml as its WOFF2 copy: (CSS family, weight, file)."""
    found, missing = [], []
    for face in load_fonts(templates_dir / "fonts").faces:
        woff2 = templates_dir / WEB_FONTS / (face.path.stem + ".woff2")
        if not woff2.is_file():
            missing.append(woff2)
            continue
        found.append((css_family(face.family), face.weight, _font_file(woff2, woff2.stat().st_mtime_ns)))
    if missing:
        raise ContentError([Problem(f"templates/{WEB_FONTS}/{path.name}", 1, 1, "(font)",
                                    f"the web copy of templates/fonts/{path.stem}.* is missing",
                                    "run `make fonts` (tools/make_fonts.py --web-only makes only these)")
                            for path in missing])
    return found


@lru_cache(maxsize=16)
def _font_file(path: Path, mtime_ns: int) -> SiteFile:
    return _hashed(f"font:{path.stem}", path.stem, ".woff2", path.read_bytes())
