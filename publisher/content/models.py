"""The content model: what an article and a clinic profile may contain.

An article is metadata plus an ordered list of sections; a section is a
heading plus blocks of a few kinds, so any article's shape fits without code
changes. Every piece of text a translator handles carries a stable `id`.
The field descriptions are the documentation an editor shows while a clinic
types (see `publisher schema`).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Annotated, Literal, Union

from babel import Locale, UnknownLocaleError
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from publisher.content.limits import BIDI_CONTROL


def _clean_text(value: str) -> str:
    # Folded YAML leaves newlines and runs of spaces; a PDF wants one space.
    # NFC keeps accented letters as one character for fonts and translators.
    # Only ASCII white space: a no-break space (French « ? ») or an ideographic
    # space is deliberate and must survive.
    cleaned = unicodedata.normalize("NFC", re.sub(r"[ \t\r\n\f\v]+", " ", value).strip(" "))
    if not cleaned:
        raise ValueError("the text is empty — write the text, or remove the field if it is optional")
    return cleaned


class Translatable:
    """Marks text that translators handle; each such value is one translation unit."""

    def __repr__(self) -> str:
        return "Translatable()"


TRANSLATABLE = Translatable()
Text = Annotated[str, AfterValidator(_clean_text), TRANSLATABLE]
Name = Annotated[str, AfterValidator(_clean_text)]  # printed as written in every language


def _no_bidi_controls(value: str) -> str:
    found = BIDI_CONTROL.search(value)
    if found:
        raise ValueError(f"the invisible direction mark U+{ord(found.group()):04X} is not allowed here, where it can"
                         " make the text print in another order than it is stored"
                         " — delete it; the direction of Arabic or Hebrew text is set automatically")
    return value


def _known_language(tag: str) -> str:
    # Babel's CLDR data gives dates, direction and language names: a tag it has no data for cannot be built.
    try:
        Locale.parse(tag, sep="-")
    except (UnknownLocaleError, ValueError):
        raise ValueError(f"'{tag}' is not a language publisher has locale data for"
                         " — use a BCP 47 tag such as `es`, `fr`, `de`, `zh-Hans` or `ar`") from None
    return tag


# Text that says who a clinic is and how to reach it: printed as written, and
# never turned around by a direction control.
Contact = Annotated[str, AfterValidator(_clean_text), AfterValidator(_no_bidi_controls)]
Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=64)]
LangTag = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$"),
                    AfterValidator(_known_language)]
Colour = Annotated[str, StringConstraints(pattern=r"^#[0-9A-Fa-f]{6}$")]
WebAddress = Annotated[str, StringConstraints(pattern=r"^https?://[^\s/$.?#][^\s]*$"),
                       AfterValidator(_no_bidi_controls)]
IconName = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=64)]

ADDRESS_PLACEHOLDERS = ("lang", "article")


def _address_pattern(value: str) -> str:
    # Checked here, not at build time, so the clinic sees the mistake at its line.
    if not re.match(r"^https?://[^\s/$.?#{}][^\s]*$", value):
        raise ValueError(f"'{value}' is not a web address starting with https://"
                         " — write the full address, like https://example.org/leaflets/{lang}/{article}")
    names = re.findall(r"\{([^{}]*)\}", value)
    unknown = [n for n in names if n not in ADDRESS_PLACEHOLDERS]
    if unknown:
        raise ValueError(f"unknown placeholder {{{unknown[0]}}} in the article address"
                         " — use only {lang} and {article}")
    if "article" not in names:
        raise ValueError("the article address has no {article} placeholder, so every article would get the"
                         " same address — put {article} where the article's id goes")
    rest = re.sub(r"\{(lang|article)\}", "", value)
    if "{" in rest or "}" in rest:
        raise ValueError("the article address has a stray '{' or '}' — write placeholders as {lang} and {article}")
    return value


ArticleAddress = Annotated[str, AfterValidator(_no_bidi_controls), AfterValidator(_address_pattern)]

PosterShow = Literal["show", "summary", "omit"]
POSTER_HELP = (
    "What posters show of this {what}: `show` all of it, always; `summary` a shortened form"
    " ({summary}); `omit` nothing (the handout still has it). Unset, the poster shows it all when the"
    " sheet has room, and otherwise shortens it as `summary` does. A warning is always shown in full.")


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


class Item(Model):
    """One entry of a list or callout: optional short heading, then text."""

    id: Id = Field(description="Stable id of this item, unique in the article (lowercase-with-hyphens).")
    heading: Text | None = Field(None, description="Short heading shown in bold before the text.")
    text: Text = Field(description="The item's text.")
    short: Text | None = Field(None, description="One-line version for posters; defaults to the heading, then the text.")
    icon: IconName | None = Field(None, description="Name of the icon shown beside the item on posters (see templates/icons/icons.yaml).")


class Bullet(Model):
    id: Id = Field(description="Stable id of this bullet, unique in the article.")
    text: Text = Field(description="A few words for a slide.")


class Paragraph(Model):
    kind: Literal["paragraph"]
    id: Id = Field(description="Stable id, unique in the article.")
    text: Text = Field(description="One short paragraph.")
    bullets: list[Bullet] | None = Field(
        None, min_length=1, description="Decks only: short bullets shown on the slide instead of the paragraph, "
        "which then goes into the speaker notes. Without them the slide shows the paragraph.")
    notes: Text | None = Field(None, description="Decks only: more for the presenter to say, after the paragraph.")


class ListBlock(Model):
    kind: Literal["list"]
    id: Id = Field(description="Stable id, unique in the article.")
    style: Literal["numbered", "bulleted"] = Field("bulleted", description="Numbered steps or bullets.")
    items: list[Item] = Field(min_length=1, description="The list's items, in order.")
    poster: PosterShow | None = Field(None, description=POSTER_HELP.format(
        what="list", summary='its first items, then "and N more in the leaflet"'))


class Callout(Model):
    """A box that stands out from the text: a warning, a tip, a note."""

    kind: Literal["callout"]
    id: Id = Field(description="Stable id, unique in the article.")
    style: Literal["warning", "tip", "note"] = Field("note", description="How the box looks.")
    title: Text | None = Field(None, description="The box's heading.")
    text: Text | None = Field(None, description="The box's text.")
    items: list[Item] = Field(default_factory=list, description="Bullets inside the box.")
    poster: PosterShow | None = Field(None, description=POSTER_HELP.format(
        what="box", summary="its title alone, when it has one"))

    @model_validator(mode="after")
    def _has_content(self) -> "Callout":
        if self.text is None and not self.items:
            raise ValueError("a callout needs `text` or `items` — add the text the box should show")
        if self.style == "warning" and self.poster not in (None, "show"):
            raise ValueError(f"`poster: {self.poster}` on a warning: every poster shows a warning in full"
                             " — remove `poster:`, or give the box `style: note` if it is not a warning")
        return self


Block = Annotated[Union[Paragraph, ListBlock, Callout], Field(discriminator="kind")]


class Section(Model):
    id: Id = Field(description="Stable id, unique in the article.")
    heading: Text = Field(description="The section's heading.")
    slide_title: Text | None = Field(
        None, description="Decks only: a shorter heading for the section's slides; defaults to `heading`.")
    notes: Text | None = Field(None, description="Decks only: speaker notes for the section's first slide.")
    short: Text | None = Field(None, description="Shorter heading for posters; defaults to the heading.")
    icon: IconName | None = Field(None, description="Name of an icon for this section on posters (see templates/icons/icons.yaml).")
    blocks: list[Block] = Field(min_length=1, description="Paragraphs, lists and callouts, in order.")
    poster: PosterShow | None = Field(None, description=POSTER_HELP.format(
        what="section (the default of each of its lists and boxes)",
        summary="each list and box as its own `summary` says"))

    @model_validator(mode="after")
    def _keeps_its_warnings(self) -> "Section":
        if self.poster in ("summary", "omit") and any(
                b.kind == "callout" and b.style == "warning" for b in self.blocks):
            raise ValueError(f"`poster: {self.poster}` on a section that holds a warning: every poster shows a"
                             " warning in full — set `poster:` on the section's other lists and boxes instead")
        return self


class KeyMessage(Model):
    id: Id = Field(description="Stable id, unique in the article.")
    text: Text = Field(description="One key message in a short sentence.")


class Source(Model):
    title: Text = Field(description="Title of the original work this article is based on; a translation may"
                        " give the title in its own language.")
    author: Name = Field(description="Its author.")
    url: WebAddress | None = Field(None, description="Where it was published, if known.")


class Reference(Model):
    id: Id = Field(description="Stable id, unique in the article.")
    text: Name = Field(description="The citation as it should be printed.")
    url: WebAddress | None = Field(None, description="Link to the cited work.")


class Metadata(Model):
    """What a patient-information standard asks every leaflet to state."""

    author: Text = Field(description="Who wrote or adapted this version, as readers should see it"
                         " (a team and its role); translated like the body.")
    source: Source = Field(description="The original work.")
    organisation: Text = Field(description="The organisation that publishes this version; translated like the body.")
    published: dt.date = Field(description="Publication date, YYYY-MM-DD.")
    review: dt.date = Field(description="Date by which the content must be reviewed again, YYYY-MM-DD.")
    version: Annotated[str, StringConstraints(pattern=r"^\d+(\.\d+){0,2}$")] = Field(
        description='Content version, in quotes, such as "1.0".')
    audience: Text = Field(description="Who the article is written for.")
    disclaimer: Text = Field(description="States that the leaflet does not replace the reader's own clinician.")
    references: list[Reference] = Field(default_factory=list, description="Sources cited; may be empty.")

    @model_validator(mode="after")
    def _review_after_publication(self) -> "Metadata":
        if self.review <= self.published:
            raise ValueError(
                f"the review date {self.review} is not after the publication date {self.published}"
                " — set `review` to a later date, usually within three years")
        return self


GateId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=64)]


class Waiver(Model):
    """A quality gate this article (or one of its units) is excused from, and why; listed in every report."""

    gate: GateId = Field(description="The gate's id, as `publisher check --list` shows it (such as `reading-level`).")
    reason: Name = Field(description="Why the gate does not apply here; printed in every report.")
    lang: list[LangTag] | None = Field(None, min_length=1, description="Only in these languages; unset, in all.")
    unit: Id | None = Field(None, description="Only for this section, block or item (and what it holds);"
                                                " unset, for the whole article.")


class Article(Model):
    """A patient-education article: the one source of every output."""

    lang: LangTag = Field("en", description="BCP 47 tag of the language the article is written in.")
    title: Text = Field(description="The article's title.")
    poster_headline: Text | None = Field(None, description="A few words that read from across a room, for posters; defaults to the title.")
    question: Text = Field(description="The question the article answers, in the reader's words.")
    key_messages: list[KeyMessage] = Field(min_length=1, description="Two to five take-home messages.")
    sections: list[Section] = Field(min_length=1, description="The article's sections, in reading order.")
    metadata: Metadata
    waivers: list[Waiver] = Field(default_factory=list, description="Quality gates waived, each with its reason"
                                                                    " (see `publisher check`).")
    names: list[Annotated[Name, StringConstraints(max_length=200)]] = Field(
        default_factory=list, description="Proper names the article's text holds and every language prints as"
        " written (a person, an organisation, a programme, a place): a translation may keep them as they are,"
        " and the no-untranslated-text gate does not take them for untranslated text. Each as the text has it.")


class Colours(Model):
    primary: Colour = Field(description="Brand colour for headings and rules, as #RRGGBB; must be dark enough to read on white.")
    accent: Colour = Field(description="Light brand colour for box backgrounds, as #RRGGBB.")


ClinicName = Annotated[Contact, StringConstraints(max_length=80)]
AddressLine = Annotated[Contact, StringConstraints(max_length=64)]


class LocalizedContact(Model):
    """The clinic's name and address as patients who read another language know them."""

    lang: LangTag = Field(description="The language (BCP 47 tag) of the leaflets that print this name and address.")
    name: ClinicName = Field(description="The clinic's name in that language; at most 80 characters.")
    address: list[AddressLine] = Field(
        min_length=1, max_length=5, description="The postal address in that language (or script), one line per"
        " item: at most 5 lines of 64 characters. Copy the lines that stay the same.")


class Clinic(Model):
    """A clinic whose identity and contact appear on every page."""

    # The limits are what every poster, handout and deck is tested with (tests/fixtures/clinics/at-limits-*.yaml).
    name: ClinicName = Field(description="The clinic's name as patients know it; at most 80 characters.")
    logo: Annotated[str, StringConstraints(pattern=r"(?i)^[^/\\].*\.(svg|png)$")] = Field(
        description="Logo file (SVG or PNG), relative to the clinic's YAML file.")
    logo_alt: Contact | None = Field(None, description="Text read aloud instead of the logo; defaults to the name.")
    colours: Colours
    phone: Annotated[Contact, StringConstraints(max_length=32)] = Field(
        description="Phone number patients should call; at most 32 characters.")
    address: list[AddressLine] = Field(
        min_length=1, max_length=5, description="Postal address, one line per item: at most 5 lines of 64 characters.")
    lang: LangTag = Field(
        "en", description="The language the name and address are written in. They are proper names, never"
        " translated: a leaflet in another language prints them as written, tagged with this language so that a"
        " screen reader reads them in it, unless `localized` gives that language's own.")
    localized: list[LocalizedContact] = Field(
        default_factory=list, description="The clinic's name and address in other languages, where patients know"
        " them so (an Arabic name and address for Arabic leaflets); one entry per language.")
    website: WebAddress = Field(description="The clinic's website.")
    email: Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=100),
                     AfterValidator(_no_bidi_controls)] | None = Field(
        None, description="Contact e-mail address; at most 100 characters.")
    numerals: Literal["latn", "arab"] = Field(
        "latn", description="Digits in Arabic outputs: latn (0123) or arab (٠١٢٣), as the clinic's patients read them.")
    unreviewed_notice: bool = Field(
        True, description="Print the line saying a translation is not yet clinically reviewed. "
                          "Turn off only for internal drafts.")

    deck_template: Annotated[str, StringConstraints(pattern=r"(?i)^[^/\\].*\.pptx$")] | None = Field(
        None, description="The clinic's own PowerPoint template (.pptx), relative to the clinic's YAML file. "
        "Decks use its look; it needs the layouts and placeholder names of templates/deck/master.pptx.")

    article_url: ArticleAddress | None = Field(
        None, description="Web address of one article in one language, printed and QR-coded on posters:"
        " {article} becomes the article's id and {lang} its language tag."
        " Defaults to the website followed by /{lang}/{article}.")

    def for_language(self, lang: str) -> "Clinic":
        """The clinic as leaflets in `lang` print it: its localized name and address where it has
        them (then written in `lang`); the other languages' entries are no part of those files."""
        entry = next((e for e in self.localized if e.lang == lang), None)
        update = {"localized": []}
        if entry is not None:
            update |= {"name": entry.name, "address": entry.address, "lang": lang}
        return self.model_copy(update=update)

    def article_address(self, article: str, lang: str) -> str:
        """The web address of `article` in `lang`, from `article_url` or the website."""
        pattern = self.article_url or self.website.rstrip("/") + "/{lang}/{article}"
        # Placeholders are replaced one by one, so an id can never be read as a placeholder.
        return re.sub(r"\{(lang|article)\}", lambda m: {"lang": lang, "article": article}[m.group(1)], pattern)


class TranslatedUnit(Model):
    """One unit's translation and where it stands in review."""

    text: Name = Field(description="The translated text.")
    fingerprint: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{16}$")] = Field(
        description="Fingerprint of the source text this was translated from (written by `publisher i18n import`).")
    status: Literal["draft", "reviewed", "approved"] = Field(
        "draft", description="draft: not checked; reviewed: checked by a clinician; approved: signed off.")
    reviewer: Name | None = Field(None, description="Who reviewed it (required unless draft).")
    reviewed: dt.date | None = Field(None, description="When it was reviewed, YYYY-MM-DD (required unless draft).")
    source: Name | None = Field(None, description="The source text this was translated from (written by `publisher"
                                " i18n import`): once that text changes, translators see the old one beside the new.")

    @model_validator(mode="after")
    def _review_is_signed(self) -> "TranslatedUnit":
        if self.status != "draft" and (self.reviewer is None or self.reviewed is None):
            raise ValueError(f"status '{self.status}' needs `reviewer` and `reviewed`"
                             " — name the clinician and the date, or set `status: draft`")
        return self


class Review(Model):
    """A clinician's sign-off of one article's translation, printed on every file made from it."""

    status: Literal["draft", "approved"] = Field(
        description="approved: a clinician who reads the language has checked the whole translation.")
    reviewer_role: Name = Field(
        description="The reviewer's role, written in the translation's language, as the leaflet prints it:"
                    " such as 'registered physiotherapist, Arabic speaker'.")
    reviewer: Name | None = Field(None, description="The reviewer's name; optional, and never printed.")
    date: dt.date = Field(description="When the translation was reviewed, YYYY-MM-DD.")


Policy = Literal["mark", "previous", "block"]
POLICY_HELP = (
    "What a reader gets where a unit's translation is missing or stale: `mark` the source text with a"
    " note in the reader's language at that spot; `previous` the last translation, recorded as awaiting"
    " update; `block` no new files in this language until every unit is translated.")


class TranslationFile(Model):
    """A language's translation of one article (or of the template wording), keyed by unit id."""

    lang: LangTag = Field(description="BCP 47 tag of the translation's language; must match the file name.")
    policy: Policy | None = Field(None, description=POLICY_HELP + " Unset: the project's policy"
                                  " (content/translation-policy.yaml), else `mark`.")
    review: Review | None = Field(
        None, description="The clinical sign-off of the whole translation. Approved, each file says who reviewed"
        " it and when instead of the draft notice, until a unit's source text changes (or a unit is missing).")
    units: dict[str, TranslatedUnit] = Field(description="Translations by unit id.")


class TranslationPolicy(Model):
    """The project's policy for missing and stale translations (content/translation-policy.yaml)."""

    policy: Policy = Field("mark", description=POLICY_HELP)
    languages: dict[LangTag, Policy] = Field(
        default_factory=dict, description="Per language, a policy other than the project's, such as `ar: block`.")

    def for_language(self, lang: str, override: str | None = None) -> str:
        """The policy for one article's translation: its own file's, else the language's, else the project's."""
        return override or self.languages.get(lang) or self.policy
