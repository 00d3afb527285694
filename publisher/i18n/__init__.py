"""Localize: one article in one language, with the wording its templates need.

Today every article is built in its source language; translations overlay
the source by unit id (see the languages issue) and this stage is where they
will be applied. Dates, language names and text direction come from CLDR via
Babel so that no template hand-formats them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from babel import Locale
from babel.dates import format_date

from publisher.content import ArticleSource, ClinicSource, shown_path
from publisher.content.models import Article
from publisher.content.yamlsource import SourceMap, YamlDocument, display_path, load_yaml
from publisher.errors import ContentError, Problem


@dataclass(frozen=True)
class TextAt:
    """A string that will be printed, and where the user wrote it."""

    file: str
    line: int
    col: int
    field: str
    text: str


@dataclass(frozen=True)
class LocalizedArticle:
    id: str
    lang: str
    article: Article
    labels: dict[str, str]
    direction: str  # "ltr" or "rtl"
    language_name: str  # in the language itself
    published: str  # dates written the way the language writes them
    review: str
    texts: tuple[TextAt, ...] = field(repr=False)  # every printed string, for checks


def babel_locale(lang: str) -> Locale:
    return Locale.parse(lang, sep="-")


def article_languages(source: ArticleSource) -> list[str]:
    """The languages an article can be built in."""
    return [source.article.lang]


def load_labels(templates_dir: Path, lang: str) -> YamlDocument:
    path = templates_dir / "labels" / f"{lang}.yaml"
    if not path.is_file():
        raise ContentError([Problem(shown_path(path), 1, 1, "(file)", f"no template wording for '{lang}'",
                                    f"add {shown_path(path)} with the keys of labels/en.yaml")])
    doc = load_yaml(path, shown_path(path))
    bad = [k for k, v in doc.data.items() if not isinstance(v, str)] if isinstance(doc.data, dict) else ["(all)"]
    if bad:
        problems = [Problem(doc.source.file, *doc.source.locate((k,)), k, "expected text", "put the text in quotes")
                    for k in bad]
        raise ContentError(problems)
    return doc


def localize(source: ArticleSource, lang: str, templates_dir: Path) -> LocalizedArticle:
    labels = load_labels(templates_dir, lang)
    locale = babel_locale(lang)
    meta = source.article.metadata
    texts = tuple(texts_of(source.article.model_dump(mode="json"), source.source)) + tuple(
        texts_of(labels.data, labels.source))
    return LocalizedArticle(
        id=source.id,
        lang=lang,
        article=source.article,
        labels=dict(labels.data),
        direction=locale.text_direction,
        language_name=locale.get_display_name(locale) or lang,
        published=_date(meta.published, locale),
        review=_date(meta.review, locale),
        texts=texts,
    )


def _date(value: dt.date, locale: Locale) -> str:
    return format_date(value, format="long", locale=locale)


# Fields that hold machine values rather than printed text.
NOT_PRINTED = frozenset({"id", "kind", "style", "lang", "logo", "primary", "accent", "deck_template"})


def texts_of(data: Any, source: SourceMap, path: tuple = ()) -> Iterator[TextAt]:
    """Every printed string in a content file's data, with its position."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key not in NOT_PRINTED:
                yield from texts_of(value, source, path + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from texts_of(value, source, path + (i,))
    elif isinstance(data, str):
        line, col = source.locate(path)
        yield TextAt(source.file, line, col, display_path(path), data)


def clinic_texts(clinic: ClinicSource) -> Iterator[TextAt]:
    return texts_of(clinic.clinic.model_dump(mode="json"), clinic.source)
