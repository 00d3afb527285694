"""Where lines may not break, for the HTML formats.

WeasyPrint has no `text-wrap: balance`, so a title, question or warning can
end with one word (or one Chinese character) alone on its last line, and an
e-mail address can break at its hyphen. These filters mark the few spans
that must stay on one line with `white-space: nowrap` (the `.keep` class in
the shared stylesheet). The text itself is untouched, so copying it out of
the PDF, or reading it aloud, gives the same words.
"""

from __future__ import annotations

import re
import unicodedata

from markupsafe import Markup, escape

# Keep at most this many characters together at the end: a longer tail could
# not move down without leaving its own line half empty.
MAX_TAIL = 24

_SPACE = re.compile(r"\s+")


def _wide(char: str) -> bool:
    """Characters of scripts written without spaces (Han, kana, Hangul), and their punctuation."""
    return unicodedata.east_asian_width(char) in ("W", "F")


def keep_end(text: object) -> Markup:
    """The text, with its last two words (or last three characters of Chinese
    or Japanese) kept on one line, so no single word ends a short text alone."""
    value = str(text)
    stripped = value.rstrip()
    if not stripped:
        return escape(value)
    if _wide(stripped[-1]):
        # Han text breaks between any two characters; three (often two and a
        # full stop) is the shortest tail that reads as more than a fragment.
        cut = max(0, len(stripped) - 3)
        while cut > 0 and not _wide(stripped[cut - 1]) and not stripped[cut - 1].isspace():
            cut -= 1  # do not cut a Latin word or number embedded in the text
    else:
        spaces = [m for m in _SPACE.finditer(stripped)]
        if len(spaces) < 2:
            return escape(value)  # one or two words: nothing to rebalance
        cut = spaces[-2].end()
        if len(stripped) - cut > MAX_TAIL:
            return escape(value)  # two long words: keeping them together would leave a short line above
    if cut <= 0:
        return escape(value)
    return Markup("{}<span class=\"keep\">{}</span>{}").format(
        stripped[:cut], stripped[cut:], value[len(stripped):])


# A part longer than this may be wider than its box: it must be allowed to break.
MAX_UNBROKEN = 48


_BREAK_AFTER = re.compile(r"(?<=[@./])(?=.)")
# Word joiners around a hyphen forbid a break there and leave the hyphen
# itself (U+2011 would take another font's glyph in Arabic text).
JOINED_HYPHEN, ZERO_WIDTH_SPACE = "\u2060-\u2060", "\u200b"


def unbroken(text: object) -> Markup:
    """A phone number, e-mail address, web address or one line of a postal
    address: on one line, never split at a hyphen or inside a postcode.

    One too long for a line may break only after '@', '.' or '/': word joiners
    hold its hyphens and those points get zero-width spaces, all in one
    run of text, because WeasyPrint reorders each inline box on its own and
    the isolates around right-to-left text (applied before this filter) must
    stay in the same box as the text they isolate."""
    value = str(text)
    if len(value) <= MAX_UNBROKEN:
        return Markup('<span class="keep">{}</span>').format(value)
    return escape(_BREAK_AFTER.sub(ZERO_WIDTH_SPACE, value.replace("-", JOINED_HYPHEN)))
