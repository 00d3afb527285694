"""Localize: one article in one language, with the wording its templates need.

A translation overlays the source unit by unit (as Lektor overlays a
language's fields on the primary's). A unit that is missing, or whose
source text changed since it was translated (a stale fingerprint), is
handled as the translation policy says, and recorded, never silently mixed
in: `mark` shows the source text, tagged with its own language and marked
at that spot for the reader; `previous` keeps the last translation of a
stale unit (a missing one has none, and is marked); `block` marks too, and
the build makes no file of the language. A shorter variant of an element
(`short`, `slide_title`, `poster_headline`) that is not translated gives way
to its translated full text. Dates, language names and text direction come
from CLDR via Babel.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Iterator

from babel import Locale
from babel.dates import format_date

from publisher.content import ArticleSource, ClinicSource, TranslationSource
from publisher.content.models import Article
from publisher.content.units import units_of
from publisher.content.yamlsource import SourceMap, display_path
from publisher.i18n.labels import SOURCE_LANG, LabelSet
from publisher.i18n.pseudo import PSEUDO_LOCALES, is_pseudo, pseudo_text

__all__ = ["LocalizedArticle", "SourceText", "TextAt", "article_languages", "babel_locale", "clinic_texts", "localize",
           "localized_labels"]


@dataclass(frozen=True)
class TextAt:
    """A string that will be printed, and where the user wrote it."""

    file: str
    line: int
    col: int
    field: str
    text: str


@dataclass(frozen=True)
class SourceText:
    """A unit's source-language text and what a translation prints in its place: what the
    `no-untranslated-text` gate looks for in a built file, and where to translate it."""

    unit: str  # the unit's id; template wording as "labels:<key>"
    text: str  # the source-language text
    shown: str | None  # the translation printed in its place; None where the source text prints (a fallback)
    at: TextAt  # the unit's entry in the translation file, or where it would go


@dataclass(frozen=True)
class LocalizedArticle:
    id: str
    lang: str
    source_file: str  # the article's YAML, as the user sees its path
    article: Article
    labels: dict[str, str]
    direction: str  # "ltr" or "rtl"
    language_name: str  # in the language itself
    published: str  # dates written the way the language writes them
    review: str
    fallbacks: tuple[str, ...]  # unit ids shown in the source language; labels as "labels:<key>"
    unreviewed: bool  # some translated text shown has not been approved by a clinician
    policy: str = "mark"  # what the language's readers get for missing and stale units
    awaiting: tuple[str, ...] = ()  # stale unit ids showing their previous translation (`previous`)
    # Source-language texts printed in a translation (the marked fallbacks), each with its
    # language tag: the templates tag them and add the marker (publisher.templating).
    marked: tuple[tuple[str, str], ...] = ()
    # The clinical sign-off printed on the file: (reviewer's role, date as the language writes
    # it), while the translation is approved and no unit changed since; else None.
    reviewed_by: tuple[str, str] | None = None
    approval_withdrawn: bool = False  # approved, but a unit's source changed (or went missing) since
    texts: tuple[TextAt, ...] = field(repr=False, default=())  # every printed string, for checks
    sources: tuple[SourceText, ...] = field(repr=False, default=())  # every unit's source text, for checks

    @property
    def blocked(self) -> bool:
        """Under `block`, a language with any unit missing or stale is not built."""
        return self.policy == "block" and bool(self.fallbacks or self.awaiting)


def babel_locale(lang: str) -> Locale:
    return Locale.parse("en" if is_pseudo(lang) else lang, sep="-")


def article_languages(source: ArticleSource) -> list[str]:
    """The languages an article is built in: its own and each translation's."""
    return [source.article.lang, *sorted(source.translations)]


def localize(source: ArticleSource, lang: str, labels: LabelSet, policy: str = "mark") -> LocalizedArticle:
    data = source.article.model_dump()
    texts = dict(_texts_of(data, source.source))
    statuses: list[str] = []
    sources: list[SourceText] = []
    units = units_of(source.article)
    keep_previous = policy == "previous"
    fallbacks, awaiting = _overlay(data, texts, units, lang, source.article.lang,
                                   source.translations.get(lang), statuses, keep_previous, sources, "")
    fallbacks = _shorter_gives_way(data, units, fallbacks, awaiting)
    marked = {units[uid].text: source.article.lang for uid in fallbacks}
    data["lang"] = lang
    label_data = dict(labels.source)
    label_texts = dict(_texts_of(label_data, labels.source_map))
    label_units = {key: _LabelUnit(key, (key,), text) for key, text in labels.source.items()}
    label_fallbacks, label_awaiting = _overlay(label_data, label_texts, label_units, lang, SOURCE_LANG,
                                               labels.translations.get(lang), statuses, keep_previous, sources,
                                               "labels:")
    marked |= {labels.source[key]: SOURCE_LANG for key in label_fallbacks}
    fallbacks += [f"labels:{key}" for key in label_fallbacks]
    awaiting += [f"labels:{key}" for key in label_awaiting]
    locale = babel_locale(lang)
    meta = source.article.metadata
    translated = lang != source.article.lang
    translation = source.translations.get(lang)
    review = translation.translation.review if translation and translated else None
    approved = review is not None and review.status == "approved"
    current = approved and not fallbacks and not awaiting
    return LocalizedArticle(
        id=source.id,
        lang=lang,
        source_file=source.source.file,
        # Validated as the source language, then given the target's tag: a
        # pseudo-locale (en-XA) is no language Babel knows, and needs none.
        article=Article.model_validate({**data, "lang": source.article.lang}).model_copy(update={"lang": lang}),
        labels=label_data,
        direction=PSEUDO_LOCALES.get(lang) or locale.text_direction,
        language_name=locale.get_display_name(locale) or lang,
        published=_date(meta.published, locale),
        review=_date(meta.review, locale),
        fallbacks=tuple(fallbacks),
        policy=policy,
        awaiting=tuple(awaiting),
        marked=tuple(sorted(marked.items())) if translated else (),
        unreviewed=translated and not current and (bool(fallbacks) or any(s != "approved" for s in statuses)),
        reviewed_by=(review.reviewer_role, _date(review.date, locale)) if current else None,
        approval_withdrawn=approved and not current,
        texts=tuple(texts.values()) + tuple(label_texts.values()),
        sources=tuple(sources) if translated and not is_pseudo(lang) else (),
    )


def localized_labels(labels: LabelSet, lang: str) -> dict[str, str]:
    """The template wording in `lang` for a page that is no article's (a gallery): each label's
    current translation, else its source text, as `localize` gives them under `mark`."""
    data = dict(labels.source)
    units = {key: _LabelUnit(key, (key,), text) for key, text in labels.source.items()}
    _overlay(data, dict(_texts_of(data, labels.source_map)), units, lang, SOURCE_LANG,
             labels.translations.get(lang), [], False, [], "labels:")
    return data


@dataclass(frozen=True)
class _LabelUnit:
    id: str
    path: tuple
    text: str

    @property
    def fingerprint(self) -> str:
        from publisher.content.units import fingerprint
        return fingerprint(self.text)


def _overlay(data: dict, texts: dict, units: dict, lang: str, source_lang: str,
             translation: TranslationSource | None, statuses: list[str],
             keep_previous: bool, sources: list[SourceText], prefix: str) -> tuple[list[str], list[str]]:
    """Put each unit's text for `lang` into `data`; return the ids that fell back to the
    source, and the stale ids that kept their previous translation (`keep_previous`).
    Each unit's source text, and what prints in its place, goes to `sources` (ids with `prefix`)."""
    if lang == source_lang:
        return [], []
    fallbacks, awaiting = [], []
    for unit_id, unit in units.items():
        if is_pseudo(lang):
            _set(data, unit.path, pseudo_text(unit.text, lang))
            statuses.append("pseudo")
            continue
        done = translation.translation.units.get(unit_id) if translation else None
        where = ("units", unit_id, "text")
        if done is None or (done.fingerprint != unit.fingerprint and not keep_previous):
            fallbacks.append(unit_id)
            if translation is not None:
                sources.append(SourceText(f"{prefix}{unit_id}", unit.text, None,
                                          TextAt(translation.source.file, *translation.source.locate(where),
                                                 display_path(where), unit.text)))
            continue
        if done.fingerprint != unit.fingerprint:
            awaiting.append(unit_id)
        _set(data, unit.path, done.text)
        statuses.append(done.status)
        line, col = translation.source.locate(where)
        texts[unit.path] = TextAt(translation.source.file, line, col, display_path(where), done.text)
        sources.append(SourceText(f"{prefix}{unit_id}", unit.text, done.text, texts[unit.path]))
    return fallbacks, awaiting


# A shorter variant of an element, and the fuller texts it stands in for, in the
# order the templates fall back to them: an untranslated variant gives way to
# a translated fuller text, so a reader never gets English where their language exists.
SHORTER = {"short": ("heading", "text"), "slide_title": ("heading",), "poster_headline": ("title",)}


def _shorter_gives_way(data: dict, units: dict, fallbacks: list[str], awaiting: list[str]) -> list[str]:
    by_path = {unit.path: uid for uid, unit in units.items()}
    untranslated = set(fallbacks) | set(awaiting)
    kept = []
    for uid in fallbacks:
        path = units[uid].path
        fuller = next((by_path[path[:-1] + (name,)] for name in SHORTER.get(path[-1], ())
                       if path[:-1] + (name,) in by_path), None)
        if fuller is not None and fuller not in untranslated:
            _set(data, path, None)
        else:
            kept.append(uid)
    return kept


def _set(data: Any, path: tuple, value: str) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = value


def _date(value: dt.date, locale: Locale) -> str:
    return format_date(value, format="long", locale=locale)


# Fields that hold machine values rather than printed text.
NOT_PRINTED = frozenset({"id", "kind", "style", "lang", "logo", "primary", "accent", "numerals",
                         "unreviewed_notice", "fingerprint", "status", "deck_template", "waivers", "names"})


def _texts_of(data: Any, source: SourceMap, path: tuple = ()) -> Iterator[tuple[tuple, TextAt]]:
    """Every printed string in a content file's data, with its position."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key not in NOT_PRINTED:
                yield from _texts_of(value, source, path + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _texts_of(value, source, path + (i,))
    elif isinstance(data, str):
        line, col = source.locate(path)
        yield path, TextAt(source.file, line, col, display_path(path), data)


def clinic_texts(clinic: ClinicSource) -> list[TextAt]:
    """Every printed string of the clinic, located where it is written: a localized name and
    address (`ClinicSource.for_language`) at their entry under `localized`."""
    found = [text for _, text in _texts_of(clinic.clinic.model_dump(mode="json"), clinic.source)]
    if clinic.entry is None:
        return found
    entry = ("localized", clinic.entry)
    return [TextAt(t.file, *clinic.source.locate(entry + _path_of(t.field)), display_path(entry + _path_of(t.field)),
                   t.text) if t.field == "name" or t.field.startswith("address[") else t for t in found]


def _path_of(field_name: str) -> tuple:
    """`address[1]` → ("address", 1); `name` → ("name",)."""
    name, _, index = field_name.partition("[")
    return (name, int(index.rstrip("]"))) if index else (name,)
