"""SOURCE_DATE_EPOCH, read and checked in one place.

The reproducible-builds convention: a whole number of seconds since
1970-01-01 UTC that replaces the clock in every date a build stamps. A
value that is not one is a mistake in the build's environment, so it stops
the command with one line rather than being ignored (which would stamp the
content's own date and hide the mistake). Standard library only: the
command line checks it before deciding that nothing changed.
"""

from __future__ import annotations

import os
import re

LATEST = 253402300799  # 9999-12-31 23:59:59 UTC: a date has four digits of year


class BadEpoch(ValueError):
    """SOURCE_DATE_EPOCH is set to something that is not a date."""


def source_date_epoch() -> int | None:
    """The value as seconds, None when unset or empty; BadEpoch when it is not a date."""
    raw = os.environ.get("SOURCE_DATE_EPOCH")
    if raw is None or not raw.strip():
        return None
    value = raw.strip()
    if not re.fullmatch(r"[0-9]+", value, flags=re.ASCII) or int(value) > LATEST:
        shown = value if len(value) <= 40 else value[:40] + "…"
        raise BadEpoch(f"SOURCE_DATE_EPOCH: {shown!r} is not a date — set it to a whole number of seconds since"
                       " 1970-01-01 UTC, such as 1767225600 (`git log -1 --format=%ct`), or unset it")
    return int(value)
