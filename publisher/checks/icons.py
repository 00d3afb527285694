"""Refuse icon names that the templates have no icon for.

Content names its icons (`icon: joint`) so each article can choose its own;
a misspelt name must stop the build at the line where it was written, not
leave a hole in a poster.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from typing import Any

from publisher.content import ArticleSource
from publisher.content.yamlsource import PathKey, display_path
from publisher.errors import Problem
from publisher.icons import Icon


def check_icons(source: ArticleSource, icons: Mapping[str, Icon]) -> list[Problem]:
    problems = []
    for path, name in _icon_fields(source.article.model_dump(mode="json"), ()):
        if name in icons:
            continue
        close = difflib.get_close_matches(name, list(icons), n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else \
            "use one of " + (", ".join(icons) or "(none: templates/icons/ has no icons.yaml)")
        line, col = source.source.locate(path)
        problems.append(Problem(source.source.file, line, col, display_path(path), f"unknown icon '{name}'", hint))
    return problems


def _icon_fields(data: Any, path: PathKey) -> Iterator[tuple[PathKey, str]]:
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "icon" and isinstance(value, str):
                yield path + (key,), value
            else:
                yield from _icon_fields(value, path + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _icon_fields(value, path + (i,))
