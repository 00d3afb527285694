"""The versions of the system libraries that shape text and subset fonts.

WeasyPrint lays text out with Pango, shapes it with HarfBuzz, finds fonts
with fontconfig and subsets them with HarfBuzz's subsetter, all loaded from
the system rather than from the virtual environment. A new Pango or HarfBuzz
can move a line break or change a subset font's bytes, so their versions
are inputs of every PDF, as the Python libraries' versions are: an
operating-system upgrade rebuilds, and the no-op shortcut steps aside.

Each library is asked for its own version through ctypes (a few
milliseconds), under the names WeasyPrint loads it by; one that does not
load here is recorded as absent. Standard library only, like the shortcut
that uses it.
"""

from __future__ import annotations

import ctypes
import functools

# (what, the names to try as WeasyPrint does on Linux and macOS, how to read its version)
_LIBRARIES = (
    ("pango", ("libpango-1.0.so.0", "libpango-1.0.dylib"), "pango_version_string"),
    ("harfbuzz", ("libharfbuzz.so.0", "libharfbuzz.0.dylib"), "hb_version_string"),
    ("harfbuzz-subset", ("libharfbuzz-subset.so.0", "libharfbuzz-subset.0.dylib"), None),
    ("fontconfig", ("libfontconfig.so.1", "libfontconfig.1.dylib"), "FcGetVersion"),
)


@functools.cache
def versions() -> tuple[tuple[str, str | None], ...]:
    """(library, version) for each; "present" where a library has no version call, None where absent."""
    found = []
    for name, files, call in _LIBRARIES:
        found.append((name, _version(files, call)))
    return tuple(found)


def _version(files: tuple[str, ...], call: str | None) -> str | None:
    for file in files:
        try:
            library = ctypes.CDLL(file)
        except OSError:
            continue
        if call is None:
            return "present"
        function = getattr(library, call)
        if call == "FcGetVersion":
            function.restype = ctypes.c_int
            return str(function())
        function.restype = ctypes.c_char_p
        return function().decode("ascii", "replace")
    return None
