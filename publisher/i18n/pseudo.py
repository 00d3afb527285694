"""Pseudo-locales: machine-made "translations" that show layout problems.

`en-XA` makes every string about 40 % longer, accented and bracketed, so a
text box that only fits English, or a string that escaped translation,
stands out. `ar-XB` is English laid out right to left, to test mirroring
without reading Arabic.
"""

from __future__ import annotations

import math
import re

from publisher.templating import PLACEHOLDER

PSEUDO_LOCALES = {"en-XA": "ltr", "ar-XB": "rtl"}

_ACCENTED = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "åƀçđéƒĝĥîĵķĺṁñöþǫŕšţûṽŵẋýžÅƁÇĐÉƑĜĤÎĴĶĹṀÑÖÞǪŔŠŢÛṼŴẊÝŽ",
)
_PADDING = "one two three four five six seven eight nine ten eleven twelve".split()
RLO, PDF = "\u202e", "\u202c"


def is_pseudo(lang: str) -> bool:
    return lang in PSEUDO_LOCALES


def pseudo_text(text: str, lang: str) -> str:
    if lang == "en-XA":
        return _expand(text)
    if lang == "ar-XB":
        return _mirror(text)
    raise ValueError(f"not a pseudo-locale: {lang}")


def _outside_placeholders(text: str, change) -> str:
    pieces = re.split(f"({PLACEHOLDER.pattern})", text)
    # re.split with one group returns [text, placeholder, name, text, ...]
    out, i = [], 0
    while i < len(pieces):
        out.append(change(pieces[i]))
        if i + 1 < len(pieces):
            out.append(pieces[i + 1])
        i += 3
    return "".join(out)


def _expand(text: str) -> str:
    accented = _outside_placeholders(text, lambda part: part.translate(_ACCENTED))
    extra = math.ceil(len(text) * 0.4)
    padding: list[str] = []
    while sum(len(w) + 1 for w in padding) < extra:
        padding.append(_PADDING[len(padding) % len(_PADDING)].translate(_ACCENTED))
    return f"[{accented} {' '.join(padding)}]"


def _mirror(text: str) -> str:
    return _outside_placeholders(text, lambda part: re.sub(r"\S+", lambda m: f"{RLO}{m.group(0)}{PDF}", part))
