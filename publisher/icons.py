"""The project's icons: pictograms that content chooses by name.

`templates/icons/icons.yaml` lists every icon's name with the text read aloud
in its place; `<name>.svg` beside it draws the icon in `currentColor`, which
a target replaces with the clinic's brand colour.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from publisher.errors import Problem, RenderError

CATALOGUE = "icons.yaml"


@dataclass(frozen=True)
class Icon:
    name: str
    alt: str
    path: Path

    def svg(self, colour: str) -> bytes:
        return self.path.read_text(encoding="utf-8").replace("currentColor", colour).encode("utf-8")


@lru_cache(maxsize=4)
def load_icons(icons_dir: Path) -> dict[str, Icon]:
    """Every icon by name; no catalogue means no icons, so any name is unknown."""
    catalogue = icons_dir / CATALOGUE
    if not catalogue.is_file():
        return {}
    entries = yaml.safe_load(catalogue.read_text(encoding="utf-8")) or {}
    shown = f"{icons_dir.parent.name}/{icons_dir.name}/{CATALOGUE}"
    problems = []
    for name, alt in entries.items():
        if not isinstance(alt, str) or not alt.strip():
            problems.append(Problem(shown, 1, 1, str(name), "the icon has no alt text",
                                    "write `name: text read aloud in its place`"))
        if not (icons_dir / f"{name}.svg").is_file():
            problems.append(Problem(shown, 1, 1, str(name), f"there is no {name}.svg beside the catalogue",
                                    "draw the icon or remove its entry"))
    if problems:
        raise RenderError(problems)
    return {name: Icon(name, alt.strip(), icons_dir / f"{name}.svg") for name, alt in sorted(entries.items())}
