"""Check the system libraries WeasyPrint needs, before anything is installed.

Runs with the system's python3 (no virtual environment yet) and prints one
line naming the apt-get command for whatever is missing.
"""

import ctypes.util
import importlib.util
import subprocess
import sys

# (what, how to tell it is there, Debian package that brings it)
CHECKS = [
    ("Python venv support", lambda: importlib.util.find_spec("ensurepip") is not None, "python3-venv"),
    ("Pango (text layout for WeasyPrint)", lambda: ctypes.util.find_library("pango-1.0"), "libpango-1.0-0"),
    ("PangoFT2", lambda: ctypes.util.find_library("pangoft2-1.0"), "libpangoft2-1.0-0"),
    ("HarfBuzz subsetter (4x faster PDF font subsetting)",
     lambda: ctypes.util.find_library("harfbuzz-subset"), "libharfbuzz-subset0"),
    ("a system font for fontconfig (Pango crashes without one)", lambda: _has_font(), "fonts-dejavu-core"),
]


def _has_font() -> bool:
    try:
        out = subprocess.run(["fc-list"], capture_output=True, text=True, check=False).stdout
    except OSError:
        return False
    return bool(out.strip())


def main() -> int:
    if sys.version_info < (3, 11):
        print(f"publisher needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
        return 1
    missing = [(what, pkg) for what, present, pkg in CHECKS if not present()]
    if missing:
        names = ", ".join(what for what, _ in missing)
        packages = " ".join(pkg for _, pkg in missing)
        print(f"Missing {names}: run `sudo apt-get install {packages}`, then `make build` again.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
