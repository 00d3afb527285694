"""Copy the fonts that measure deck text into templates/deck/fonts/.

Measuring must not depend on what a machine has installed, so the fonts live
in the repository. They are subsets covering the characters the PDF fonts
cover (`templates/fonts/fonts.yaml`): the build refuses any other character
before a deck is made, so nothing outside the subset is ever measured.
Needs Debian's fonts-crosextra-carlito and fonts-liberation2; `make deck-fonts`
runs it.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
DECK = ROOT / "templates" / "deck"
OUT = DECK / "fonts"


def unicodes() -> list[int]:
    spec = yaml.safe_load((ROOT / "templates" / "fonts" / "fonts.yaml").read_text())
    points: set[int] = set()
    for family in spec["families"]:
        for item in family["unicodes"]:
            start, _, end = item.partition("-")
            points.update(range(int(start, 16), int(end or start, 16) + 1))
    return sorted(points)


def make(source: Path, out: Path, points: list[int]) -> None:
    font = TTFont(source, lazy=False)
    options = subset.Options()
    options.layout_features = ["*"]  # kerning changes widths; keep it
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=points)
    subsetter.subset(font)
    font.recalcTimestamp = False  # same input, same file
    font.save(out, reorderTables=True)
    print(f"{out.relative_to(ROOT)}: {out.stat().st_size // 1024} KiB")


def licence(typeface: str, entry: dict) -> None:
    # Debian's copyright file holds the copyright lines and the OFL text,
    # indented, with "." for blank lines.
    text = Path(entry["licence"]).read_text(encoding="utf-8")
    body = text.split("\nLicense:", 1)[1].split("\n", 1)[1]
    body = re.split(r"\n(?=\S)", body, maxsplit=1)[0]
    lines = [line[1:] if line.startswith(" ") else line for line in body.splitlines()]
    lines = ["" if line.strip() == "." else line for line in lines]
    header = (f"The fonts {entry['regular']} and {entry['bold']} measure text set in {typeface}.\n"
              f"They are subsets made by tools/make_deck_fonts.py from {entry['source']}.\n\n")
    path = OUT / f"OFL-{Path(entry['regular']).stem.split('-')[0]}.txt"
    path.write_text(header + "\n".join(lines).strip() + "\n", encoding="utf-8")
    print(f"{path.relative_to(ROOT)}")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    spec = yaml.safe_load((DECK / "fonts.yaml").read_text())
    points = unicodes()
    for typeface, entry in spec["metrics"].items():
        for style in ("regular", "bold"):
            make(Path(entry["source"]) / entry[style], OUT / entry[style], points)
        licence(typeface, entry)


if __name__ == "__main__":
    main()
