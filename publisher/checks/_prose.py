"""The reader-facing text of one localized article, and how each language splits it.

The plain-language gates measure what a patient reads on the handout: the
title, the question, the key messages, the section headings, paragraphs,
list items and callouts. They leave out what is printed elsewhere or for
someone else (poster headlines and short headings, slide titles, bullets and
speaker notes) and the metadata (authors, audience, disclaimer).

Sentences are split by pysbd (rule-based, offline, with per-language
abbreviation rules: "z. B.", "Dr.", 。！？ and ؟). Words are split by
wordfreq's tokenizer, the one its frequencies are counted with (jieba for
Chinese), so that a word's frequency and its count agree.
"""

from __future__ import annotations

import functools
import logging
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from publisher.checks.gate import ContentSubject, Gate
from publisher.content.yamlsource import display_path
from publisher.i18n import LocalizedArticle, TextAt
from publisher.i18n.pseudo import is_pseudo

# Languages whose sentences are measured in characters: no spaces between words.
CHARACTER_LANGS = frozenset({"zh", "ja"})


@dataclass(frozen=True)
class Prose:
    """One printed string a patient reads, with where it was written."""

    kind: str  # title, question, key-message, heading, paragraph, item-heading, item, callout-title, callout
    unit: str  # the id of the key message, section, block or item it belongs to
    at: TextAt
    fallback: bool = False  # a translation lacks it, so it prints in the source language

    @property
    def text(self) -> str:
        return self.at.text


class ProseGate(Gate):
    """A gate on the words of one article in one language.

    Pseudo-locales are machine-made accents around English: no reader reads
    them, and no formula measures them."""

    reads = "content"

    def applies_to(self, subject: ContentSubject) -> bool:
        return super().applies_to(subject) and not is_pseudo(subject.localized.lang)


def base_lang(lang: str) -> str:
    """`zh-Hans` → `zh`: the libraries' data is per language, not per script."""
    return lang.split("-")[0]


def prose(localized: LocalizedArticle, own_language: bool = False) -> list[Prose]:
    """The article's reader-facing strings in reading order, each located where it was written.

    With `own_language`, only those printed in the language itself: a string a
    translation lacks is measured, and reported once, with the source language.
    """
    found = _prose(localized)
    return [p for p in found if not p.fallback] if own_language else found


def _prose(localized: LocalizedArticle) -> list[Prose]:
    located = _located(localized)
    fallbacks = set(localized.fallbacks)
    article = localized.article
    found: list[Prose] = []

    def add(kind: str, unit: str, unit_id: str, path: tuple) -> None:
        at = located.get(f"units.{unit_id}.text") or located.get(display_path(path))
        printed = _at(article, path)
        if at is None or at.text != printed:  # `localize` and this walk disagree: a bug, not a user's mistake
            raise RuntimeError(f"no located text for {display_path(path)} ({printed!r})")
        found.append(Prose(kind, unit, at, unit_id in fallbacks))

    add("title", "title", "title", ("title",))
    add("question", "question", "question", ("question",))
    for i, message in enumerate(article.key_messages):
        add("key-message", message.id, f"{message.id}.text", ("key_messages", i, "text"))
    for s, section in enumerate(article.sections):
        add("heading", section.id, f"{section.id}.heading", ("sections", s, "heading"))
        for b, block in enumerate(section.blocks):
            where = ("sections", s, "blocks", b)
            if block.kind == "callout" and block.title is not None:
                add("callout-title", block.id, f"{block.id}.title", where + ("title",))
            if block.kind in ("paragraph", "callout") and block.text is not None:
                add("paragraph" if block.kind == "paragraph" else "callout", block.id, f"{block.id}.text",
                    where + ("text",))
            for k, item in enumerate(getattr(block, "items", None) or ()):
                if item.heading is not None:
                    add("item-heading", item.id, f"{item.id}.heading", where + ("items", k, "heading"))
                add("item", item.id, f"{item.id}.text", where + ("items", k, "text"))
    return found


def _at(article, path: tuple) -> str:
    value = article
    for part in path:
        value = value[part] if isinstance(part, int) else getattr(value, part)
    return value


def _located(localized: LocalizedArticle) -> dict[str, TextAt]:
    # `texts` holds the article's strings, then the template labels' (one per
    # label); a translated string is keyed by its unit (`units.<id>.text`), a
    # source one by its field path.
    article_texts = localized.texts[:len(localized.texts) - len(localized.labels)]
    return {at.field: at for at in article_texts}


# pysbd ends an Arabic sentence at the Arabic comma (،) too; a comma joins the
# parts of one sentence in Arabic as elsewhere, so it is hidden from pysbd as
# a Latin comma (one character for one: the offsets stay those of the text).
_NOT_AN_END = {"ar": str.maketrans({"،": ","})}


def sentences(text: str, lang: str) -> list[str]:
    """The sentences of one printed string, stripped; a heading is one sentence."""
    return list(_sentences(text, base_lang(lang)))


@functools.lru_cache(maxsize=4096)  # every gate splits the same strings
def _sentences(text: str, root: str) -> tuple[str, ...]:
    prepared = text.translate(_NOT_AN_END.get(root, {}))
    segments = _segmenter(root).segment(prepared)
    if "".join(segments) != prepared:  # pysbd changed the text after all: its pieces as they are
        return tuple(s.strip() for s in segments if s.strip())
    found, start = [], 0
    for segment in segments:  # with clean=False, pysbd's segments are the text cut in pieces
        found.append(text[start:start + len(segment)].strip())
        start += len(segment)
    return tuple(s for s in found if s)


@functools.cache
def _segmenter(lang: str):
    import pysbd

    # pysbd knows each of the six languages; an unknown one is split as English.
    try:
        return pysbd.Segmenter(language=lang, clean=False)
    except ValueError:
        return pysbd.Segmenter(language="en", clean=False)


def words(text: str, lang: str) -> list[str]:
    """The words of a text as wordfreq counts them: lowercased, without punctuation.

    wordfreq splits French and Catalan elisions (l'âge) at the typewriter
    apostrophe only; the typographic one (l’âge) is read as it."""
    return _wordfreq().tokenize(text.replace("\u2019", "'"), base_lang(lang))


def length(sentence: str, lang: str) -> int:
    """A sentence's length: its words, or its characters in Chinese (no punctuation)."""
    if base_lang(lang) in CHARACTER_LANGS:
        return sum(len(word) for word in words(sentence, lang))
    return len(words(sentence, lang))


def unit_sentences(items: list[Prose], lang: str) -> Iterator[tuple[Prose, str]]:
    """Each sentence, with the string it is part of."""
    for item in items:
        for sentence in sentences(item.text, lang):
            yield item, sentence


@functools.cache
def _wordfreq():
    import jieba
    import wordfreq

    # jieba, wordfreq's Chinese tokenizer, logs loading its dictionary on stderr.
    jieba.setLogLevel(logging.WARNING)
    return wordfreq


def without_vowel_marks(text: str) -> str:
    """Arabic without its optional vowel signs (يُسمّى → يسمى), for patterns written without them."""
    kept = "".join(c for c in unicodedata.normalize("NFD", text) if not "\u064b" <= c <= "\u065f")
    return unicodedata.normalize("NFC", kept)
