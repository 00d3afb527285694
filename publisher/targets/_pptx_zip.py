"""Same deck, same bytes: repack python-pptx's zip without clocks.

python-pptx stamps each zip entry with the current time and writes parts in
the order it meets them. Here every entry gets one fixed time (from the
content's date) and a fixed order: the content-types part and package
relationships first, as readers expect, then the rest by name.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

_FIRST = ("[Content_Types].xml", "_rels/.rels")


def _order(name: str) -> tuple[int, str]:
    return (_FIRST.index(name) if name in _FIRST else len(_FIRST), name)


def repack(data: bytes, date: dt.date) -> bytes:
    stamp = (max(date.year, 1980), date.month, date.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for name in sorted(src.namelist(), key=_order):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0  # the same on every operating system
            info.external_attr = 0
            dst.writestr(info, src.read(name), compresslevel=6)
    return out.getvalue()
