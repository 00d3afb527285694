"""How much one file a user edits may hold, and which characters its text may carry.

Every YAML file a user edits (articles, translations, clinic profiles, label
wording) is checked against these while it is read: the size before a byte
is read, the rest on the parser's event stream before anything is built from
it, so a hostile or broken file costs a bounded amount of time and memory
and is refused at its line. Each limit is far above what a real leaflet
needs (the seed article: 7.4 KB, 7 levels deep, 49 units, its longest text
270 characters), and the README lists them.
"""

from __future__ import annotations

import re

MAX_FILE_BYTES = 128 * 1024  # checked with stat before reading; the pure-Python parser needs up to 0.3 s for this
MAX_DEPTH = 16  # lists and mappings inside each other
MAX_ITEMS = 1000  # entries of one list, or keys of one mapping
MAX_VALUES = 5_000  # keys, texts, lists and mappings in one file
MAX_TEXT = 5_000  # characters in one text value (one paragraph, one translation)
MAX_UNITS = 400  # translatable texts in one article (a translation of 400 units holds about 3,300 values)

# Anchors and aliases (`&name`, `*name`) let a few lines expand into
# billions of values, and no content file needs them; an unquoted text that
# starts with `&` or `*` is read as one, so refusing them also catches that.
ALIASES_ALLOWED = False

# What no output can carry, whichever way it was written into the YAML
# (double-quoted escapes such as "\x0b" or "\ud800" get past the reader's
# check of the raw file): the characters PyYAML refuses in a file (C0 and C1
# controls other than tab and line breaks, lone surrogates, U+FFFE/U+FFFF),
# which also covers what XML (the deck's slides, the PDFs' HTML) refuses,
# plus the other Unicode noncharacters, which no font or reader expects.
_PLANE_NONCHARACTERS = "".join(chr(plane << 16 | low) for plane in range(1, 17) for low in (0xFFFE, 0xFFFF))
FORBIDDEN_CHARACTER = re.compile(
    "[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufdcf\ufdf0-\ufffd\U00010000-\U0010ffff]"
    f"|[{_PLANE_NONCHARACTERS}]")

# Bidirectional controls: embeddings, overrides, isolates and marks. In a
# phone number or an address an override prints the digits in another order
# than they are stored (a "Trojan Source" trick), so fields that identify a
# clinic refuse them; the bidi algorithm orders Arabic or Hebrew names
# correctly without them.
BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def describe_character(char: str) -> str:
    """What kind of forbidden character `char` is, for an error message."""
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        return f"a lone surrogate U+{code:04X} (half of a character)"
    if code < 0x20 or 0x7F <= code < 0xA0:
        return f"the invisible control character U+{code:04X}"
    return f"the noncharacter U+{code:04X}"
