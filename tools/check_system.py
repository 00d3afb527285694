"""Check the system libraries WeasyPrint needs, and install the missing ones.

Runs with the system's python3 (no virtual environment yet), from `make build`
and `make test`. When a Debian package is missing it installs it itself, with
apt-get as root or through `sudo -n` (sudo that asks no password); only when it
cannot does it print the one `sudo apt-get install …` line and exit 1, so that
the README's two commands are enough on a fresh machine.
"""

from __future__ import annotations

import ctypes.util
import glob
import importlib.util
import os
import shutil
import subprocess
import sys
from typing import Callable, Sequence

Runner = Callable[[Sequence[str]], int]

FONT_FOLDERS = ("/usr/share/fonts", "/usr/local/share/fonts")
FONT_PATTERNS = ("*.ttf", "*.otf", "*.ttc", "*.pfb")

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
    # fc-list comes with the `fontconfig` package, which a minimal system may lack
    # even when Pango's fontconfig library and a font are there: look at the folders then.
    if shutil.which("fc-list"):
        try:
            out = subprocess.run(["fc-list"], capture_output=True, text=True, check=False).stdout
        except OSError:
            out = ""
        if out.strip():
            return True
    return any(glob.glob(os.path.join(folder, "**", pattern), recursive=True)
               for folder in FONT_FOLDERS for pattern in FONT_PATTERNS)


def _run(command: Sequence[str]) -> int:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        return subprocess.run(list(command), env=env, check=False).returncode
    except OSError:
        return 127


def _sudo_works() -> bool:
    """Whether sudo runs apt-get without asking a password (sudoers may allow only apt-get)."""
    if shutil.which("sudo") is None:
        return False
    try:
        return subprocess.run(["sudo", "-n", "apt-get", "--version"], capture_output=True,
                              check=False).returncode == 0
    except OSError:
        return False


def privilege_prefix(is_root: bool, sudo_works: Callable[[], bool]) -> list[str] | None:
    """How to run apt-get with the rights it needs, or None when this user cannot."""
    if is_root:
        return []
    if sudo_works():
        return ["sudo", "-n"]
    return None


def install(packages: Sequence[str], prefix: list[str], run: Runner) -> bool:
    """apt-get install the packages; refresh the package lists once if that fails
    (a fresh container ships with none), then try again."""
    command = [*prefix, "apt-get", "install", "-y", "--no-install-recommends", *packages]
    print(f"check-system: running `{' '.join(command)}`", flush=True)
    if run(command) == 0:
        return True
    update = [*prefix, "apt-get", "update"]
    print(f"check-system: apt-get install failed; running `{' '.join(update)}`, then trying again", flush=True)
    if run(update) != 0:
        return False
    return run(command) == 0


def missing(checks) -> list[tuple[str, str]]:
    return [(what, pkg) for what, present, pkg in checks if not present()]


def main(checks=CHECKS, *, is_root: bool | None = None, sudo_works: Callable[[], bool] = _sudo_works,
         run: Runner = _run, has_apt: bool | None = None) -> int:
    if sys.version_info < (3, 11):
        print(f"publisher needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
        return 1
    absent = missing(checks)
    if not absent:
        return 0
    names = ", ".join(what for what, _ in absent)
    packages = [pkg for _, pkg in absent]
    manual = f"run `sudo apt-get install {' '.join(packages)}`, then `make build` again."
    is_root = os.geteuid() == 0 if is_root is None else is_root
    has_apt = shutil.which("apt-get") is not None if has_apt is None else has_apt
    prefix = privilege_prefix(is_root, sudo_works) if has_apt else None
    if prefix is None:
        why = "no apt-get on this system" if not has_apt else "not root, and sudo cannot run apt-get without a password"
        print(f"Missing {names} ({why}): {manual}")
        return 1
    print(f"check-system: missing {names}; installing {' '.join(packages)}.", flush=True)
    if not install(packages, prefix, run):
        print(f"Missing {names} (apt-get failed, see above): {manual}")
        return 1
    still = missing(checks)
    if still:
        print(f"Still missing {', '.join(what for what, _ in still)} after apt-get install:"
              f" run `sudo apt-get install {' '.join(pkg for _, pkg in still)}`, then `make build` again.")
        return 1
    print("check-system: installed; continuing.", flush=True)
    return 0


def deck_font_advice() -> str | None:
    """Decks name fonts, they cannot carry them (see README, "Decks"): a
    computer that shows Chinese decks in LibreOffice needs a CJK font. Not
    needed to build, so a note, never an install or a failure."""
    if not shutil.which("fc-list"):
        return None
    try:
        out = subprocess.run(["fc-list", ":lang=zh-cn", "family"], capture_output=True, text=True,
                             check=False).stdout
    except OSError:
        return None
    if out.strip():
        return None
    return ("check-system: note: no Chinese font is installed, so LibreOffice on this computer would show"
            " Chinese decks as boxes; presenters who use it: `sudo apt-get install fonts-noto-cjk`.")


if __name__ == "__main__":
    status = main()
    if status == 0 and (advice := deck_font_advice()):
        print(advice)
    sys.exit(status)
