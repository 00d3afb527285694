"""The project's icons: pictograms that content chooses by name.

`templates/icons/icons.yaml` lists every icon's name with the text read aloud
in its place; `<name>.svg` beside it draws the icon in `currentColor`, which
a target replaces with the clinic's brand colour.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from publisher.content import template_config

CATALOGUE = "icons.yaml"  # checked, with the files it names, by template_config.check_templates


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
    if not (icons_dir / CATALOGUE).is_file():
        return {}
    entries = template_config.load(icons_dir.parent, template_config.ICONS, template_config.IconCatalogue).root
    return {name: Icon(name, alt.strip(), icons_dir / f"{name}.svg") for name, alt in sorted(entries.items())}
