"""A gallery: every article in every language of a site, with its files, as the build plans them.

`gallery_context` gathers what the page shows as plain JSON values: the build
fingerprints exactly these (`Index.context`), so a gallery is made again when a
title, a translation's status, a version or a review date it lists changes,
and not when a sentence of an article does. Wording comes from the labels:
the page's own in its language (a clinic's gallery in the language its name
is written in, the staff's across clinics in the source language), each
entry's in the entry's language, as that language's pages print it.
"""

from __future__ import annotations

from pathlib import Path

from publisher import __version__
from publisher.content import ClinicSource
from publisher.i18n import localized_labels
from publisher.i18n.labels import SOURCE_LANG, load_labels
from publisher.targets import SITE, Listed, numerals, targets
from publisher.targets.web import (DOWNLOADS, LANGUAGE_FILTERS, PREVIEWS, _language, download_links, page_folder,
                                   preview_path)

# The wording a gallery prints around its entries, in the page's language.
PAGE_LABELS = ("gallery_title", "gallery_skip", "gallery_filter_language", "gallery_all_languages",
               "gallery_filter_files", *(f"gallery_format_{name.replace('-', '_')}" for name in DOWNLOADS),
               "logo_alt")
# The wording of one entry, in the entry's language.
ENTRY_LABELS = ("unreviewed", "fallback_notice", "reviewed_by", "version", "review_date",
                *(f"gallery_preview_{name}" for name, _ in PREVIEWS))
CONTEXT_NAMES = ("lang", "direction", "labels", "title", "logo", "asset", "languages", "files", "clinics",
                 "language_filters", "generator")


def gallery_context(templates_dir: Path, listed: dict[str, list[Listed]], clinics: dict[str, ClinicSource],
                    asset: dict[str, str], at: str, assets_at: str = "") -> dict:
    """The context of the gallery at `at` (its folder relative to the output folder: "site/<clinic>/"
    for a clinic's, "" for the staff's across clinics) listing `listed` (clinic -> entries), with the
    site files `asset` at `assets_at` from it."""
    one = clinics[next(iter(listed))] if at else None  # a clinic's gallery speaks its clinic's language
    lang = one.clinic.lang if one else SOURCE_LANG
    labels = localized_labels(load_labels(templates_dir), lang)
    order: list[str] = []  # languages in the order the build plans them
    for entries in listed.values():
        order += [code for code in dict.fromkeys(e.localized.lang for e in entries) if code not in order]
    languages = []
    for position, code in enumerate(order, 1):
        name, direction = _language(code)
        languages.append({"lang": code, "name": name, "direction": direction,
                          "filter": position if position <= LANGUAGE_FILTERS else None})
    filters = {entry["lang"]: entry for entry in languages}
    sections = [{"id": cid, "name": clinics[cid].clinic.name, "name_lang": clinics[cid].clinic.lang,
                 "entries": [_entry(item, at, filters[item.localized.lang]) for item in listed[cid]]}
                for cid in sorted(listed)]
    page_direction = _language(lang)[1]
    return {
        "lang": lang,
        "direction": page_direction,
        "labels": {key: labels[key] for key in PAGE_LABELS},
        "title": labels["gallery_title"],
        # A clinic's gallery carries its logo and name as its pages do; the staff's names each clinic.
        "logo": {"src": assets_at + asset["logo"], "alt": one.clinic.logo_alt, "name": one.clinic.name,
                 "name_lang": one.clinic.lang} if one else None,
        "asset": {"stylesheet": assets_at + asset["stylesheet"]},
        "languages": languages,
        "files": [{"format": name, "label": labels[f"gallery_format_{name.replace('-', '_')}"]}
                  for name in DOWNLOADS if name in targets()],
        "clinics": sections,
        "language_filters": LANGUAGE_FILTERS,
        "generator": f"publisher {__version__}",
    }


def _entry(item: Listed, at: str, language: dict) -> dict:
    """One article in one language for one clinic: its title, status, dates and files, with
    addresses from the gallery's folder `at`."""
    loc, clinic = item.localized, item.clinic
    folder = f"{SITE}/{clinic.id}/{'/'.join(page_folder(clinic, loc.id, loc.lang))}/".removeprefix(at)
    meta = loc.article.metadata
    title_lang = dict(loc.marked).get(loc.article.title, loc.lang)  # a title not yet translated is in the source's
    labels = loc.labels
    previews = {(name, variant) for name, variant in PREVIEWS}
    files = [{**link, "href": folder + link["href"], "text": labels[link["label"]]}
             for link in download_links(loc.id, loc.lang, clinic)]
    return {
        "article": loc.id,
        "lang": loc.lang,
        "direction": loc.direction,
        "language": language["name"],
        "filter": language["filter"],
        "title": loc.article.title,
        "title_lang": title_lang,
        "title_direction": _language(title_lang)[1],
        "page": folder + "index.html",
        "unreviewed": loc.unreviewed and clinic.clinic.unreviewed_notice,
        "marked": bool(loc.marked),
        "reviewed_by": list(loc.reviewed_by) if loc.reviewed_by else None,
        "version": meta.version,
        "review": loc.review,
        "review_iso": meta.review.isoformat(),
        "numerals": numerals(clinic.clinic, loc.lang),
        "labels": {key: labels[key] for key in ENTRY_LABELS},
        "previews": [{**link, "src": preview_path(clinic, loc.id, loc.lang, link["format"], link["variant"])
                      .removeprefix(at), "alt": labels[f"gallery_preview_{link['format']}"]}
                     for link in files if (link["format"], link["variant"]) in previews],
        "files": files,
    }
