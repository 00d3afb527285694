"""Regenerate the subset fonts in templates/fonts/ from Debian's Noto packages.

The PDFs must look the same on every machine, so the fonts they use live in
the repository. This script is the recipe for those files: run it after
changing `templates/fonts/fonts.yaml` (for example to add a script), then
commit the result. It needs `fonts-noto-core` (and `fonts-noto-cjk` for
Chinese) and fontTools; `make fonts` runs it.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml
from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

ROOT = Path(__file__).resolve().parent.parent
FONT_DIR = ROOT / "templates" / "fonts"
WEB_FONT_DIR = ROOT / "templates" / "web" / "fonts"  # the same subsets as WOFF2, for the web pages
DEBIAN_COPYRIGHT = Path("/usr/share/doc/fonts-noto-core/copyright")


def parse_unicodes(spec: list[str], charsets: list[str]) -> list[int]:
    codepoints: set[int] = set()
    for item in spec:
        start, _, end = item.partition("-")
        codepoints.update(range(int(start, 16), int(end or start, 16) + 1))
    for charset in charsets:
        # Every character a legacy encoding such as GB2312 can write: the
        # standard list of characters in everyday use for that script.
        for code in range(0x20, 0x10000):
            try:
                chr(code).encode(charset)
            except UnicodeEncodeError:
                continue
            codepoints.add(code)
    return sorted(codepoints)


def load_source(path: str, index: int | None) -> TTFont:
    if index is not None:
        return TTCollection(path, lazy=False).fonts[index]
    return TTFont(path, lazy=False)


def make_subset(face: dict, unicodes: list[int]) -> None:
    font = load_source(face["source"], face.get("index"))
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.desubroutinize = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    # fontTools stamps the time of saving; keeping the source's own date
    # makes the file identical from one run to the next.
    font.recalcTimestamp = False
    out = FONT_DIR / face["file"]
    font.save(out, reorderTables=True)
    print(f"{out.relative_to(ROOT)}: {out.stat().st_size // 1024} KiB")


def make_woff2(face: dict) -> None:
    """The web pages' copy of a subset: the same glyphs, compressed as WOFF2.

    Made here, not at build time: compressing the Chinese face takes about
    15 s, and the bytes depend only on this file and the brotli version.
    """
    font = TTFont(FONT_DIR / face["file"], recalcTimestamp=False)
    font.flavor = "woff2"
    WEB_FONT_DIR.mkdir(parents=True, exist_ok=True)
    out = WEB_FONT_DIR / (Path(face["file"]).stem + ".woff2")
    font.save(out, reorderTables=True)
    print(f"{out.relative_to(ROOT)}: {out.stat().st_size // 1024} KiB")


def write_licence() -> None:
    text = DEBIAN_COPYRIGHT.read_text(encoding="utf-8")
    block = text.split("\nLicense: OFL-1.1\n", 3)[-1]
    lines = []
    for line in block.splitlines():
        if line and not line.startswith(" "):
            break
        line = line[1:] if line.startswith(" ") else line
        lines.append("" if line == "." else line)
    header = (
        "The fonts in this folder are subsets of the Noto fonts,\n"
        "Copyright 2010-2020 Google Inc. and Google LLC,\n"
        "made by tools/make_fonts.py from Debian's fonts-noto packages.\n"
        "They are licensed under the SIL Open Font License, Version 1.1:\n\n"
    )
    (FONT_DIR / "OFL.txt").write_text(header + "\n".join(lines).strip() + "\n", encoding="utf-8")


def main() -> int:
    spec = yaml.safe_load((FONT_DIR / "fonts.yaml").read_text(encoding="utf-8"))
    if sys.argv[1:] == ["--web-only"]:  # only the WOFF2 copies, from the subsets already here
        for family in spec["families"]:
            for face in family["faces"]:
                make_woff2(face)
        return 0
    missing = [face["source"] for fam in spec["families"] for face in fam["faces"]
               if not Path(face["source"]).exists()]
    if missing:
        print("missing source fonts (apt-get install fonts-noto-core fonts-noto-cjk):",
              *missing, sep="\n  ", file=sys.stderr)
        return 1
    for family in spec["families"]:
        unicodes = parse_unicodes(family.get("unicodes", []), family.get("charsets", []))
        for face in family["faces"]:
            make_subset(face, unicodes)
            make_woff2(face)
    write_licence()
    return 0


if __name__ == "__main__":
    sys.exit(main())
