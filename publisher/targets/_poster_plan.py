"""What a poster shows of each section, at one step of shortening.

A poster shows each section's lists as tiles and its boxes; paragraphs stay in
the handout. The content steers each list and box with `poster:` (on the block,
else on its section): `show` all of it always, `summary` its short form, `omit`
nothing; unset, the poster shows it all while the sheet has room. When even the
smallest type does not fit, the build tries the steps of
`templates/poster/fit.yaml` in order, each shortening only the unset blocks a
little more: long tiles take a row of their own, long lists show their first
items and "and N more in the leaflet", tips and notes show their title alone,
lists become one box of their items' short texts, and a section that shows
nothing but warnings leaves its heading to the warnings' own bands.
A warning is never shortened, left out or given a setting.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FIT = "poster/fit.yaml"


@dataclass(frozen=True)
class Step:
    """One step of shortening; the first step (all defaults) shortens nothing."""

    wide_tiles: bool = False  # a tile whose text is long takes a row of its own
    list_limit: int | None = None  # a longer unset list shows this many tiles, the last saying how many more
    box_titles: bool = False  # an unset tip or note shows its title alone
    run_in: bool = False  # an unset list is one box of its items' short texts, one after another
    omit_boxes: bool = False  # an unset tip or note is left to the handout
    compact_footer: bool = False  # the clinic's sign-off moves up beside a smaller QR code
    bare_warnings: bool = False  # a section showing nothing but warnings leaves out its heading
    small_headline: bool = False  # the headline is set a size smaller, still the largest type


@dataclass(frozen=True)
class Fit:
    summary_items: int  # tiles of a `summary` list, the last saying how many more
    wide_from: int  # tile text at least this wide (CJK counted double) is long
    steps: tuple[Step, ...] = field(default_factory=tuple)
    word_fit_rem: tuple[float, ...] = ()  # smaller sizes for a tile's text when a word is wider than the tile


def load_fit(templates_dir: Path) -> Fit:
    from publisher.content import template_config

    data = template_config.load(templates_dir, template_config.POSTER_FIT, template_config.PosterFit)
    return Fit(data.summary_items, data.wide_from,
               (Step(),) + tuple(Step(**step.model_dump()) for step in data.steps), tuple(data.word_fit_rem))


def setting(block: Any, section: Any) -> str | None:
    if block.kind == "callout" and block.style == "warning":
        return "show"
    return block.poster or section.poster


def plan(article: Any, fit: Fit, step: Step) -> list[dict]:
    """The sections a poster shows, each with its blocks as the template draws them."""
    shown = []
    for section in article.sections:
        blocks = []
        for block in section.blocks:
            if block.kind == "paragraph":
                continue
            how = setting(block, section)
            if how == "omit" or (
                    block.kind == "callout" and how is None and step.omit_boxes):
                continue
            if block.kind == "list":
                blocks.append(_tiles(block, how, fit, step))
            else:
                short = block.style != "warning" and block.title is not None and (
                    how == "summary" or (how is None and step.box_titles))
                blocks.append({"kind": "callout", "block": block, "title_only": short})
        if blocks:
            only_warnings = all(b["kind"] == "callout" and b["block"].style == "warning" for b in blocks)
            shown.append({"section": section, "blocks": blocks, "heading": not (step.bare_warnings and only_warnings)})
    return shown


def _tiles(block: Any, how: str | None, fit: Fit, step: Step) -> dict:
    items = list(block.items)
    limit = fit.summary_items if how == "summary" else step.list_limit if how is None else None
    more = 0
    if limit is not None and len(items) > limit:
        # The last tile says how many more: at least two, so no language needs a singular.
        items, more = items[:limit - 1], len(items) - (limit - 1)
    numbered = block.style == "numbered"
    with_icons = all(item.icon for item in block.items)
    tiles = [{"item": item, "text": item.short or item.heading or item.text,
              "number": index if numbered else None, "icon": item.icon if with_icons else None, "more": 0}
             for index, item in enumerate(items, 1)]
    if more:
        tiles.append({"item": None, "more": more, "number": None, "icon": None})
    return {"kind": "list", "block": block, "rows": _rows(tiles, fit.wide_from if step.wide_tiles else None),
            "tiles": tiles, "run_in": step.run_in and how is None, "numbered": numbered, "more": more}


def _rows(tiles: list[dict], wide_from: int | None) -> list[list[dict]]:
    """Two tiles a row, in order; with `wide_from`, a long tile has a row to itself."""
    def wide(tile: dict) -> bool:
        return wide_from is not None and "text" in tile and text_width(tile["text"]) >= wide_from

    rows: list[list[dict]] = []
    for tile in tiles:
        tile["wide"] = wide(tile)
        if rows and len(rows[-1]) == 1 and not rows[-1][0]["wide"] and not tile["wide"]:
            rows[-1].append(tile)
        else:
            rows.append([tile])
    return rows


def text_width(text: str) -> int:
    """Width in Latin characters: a CJK character is about two."""
    return sum(2 if "\u2e80" <= ch <= "\u9fff" or "\uf900" <= ch <= "\uffef" else 1 for ch in text)
