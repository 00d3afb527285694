"""The one Jinja environment every output format renders through.

Content is data: it reaches templates only as values, is escaped on output,
and is never compiled as a template, so `{{ 7 * 7 }}` in an article prints
those characters. The sandbox keeps template authors (and any template a
clinic supplies) from reaching Python internals; StrictUndefined turns a
misspelled variable into an error instead of a silent blank.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup
from jinja2 import FileSystemLoader, StrictUndefined, select_autoescape
from jinja2.sandbox import ImmutableSandboxedEnvironment

PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def fill(label: str, **values: object) -> str:
    """Put values into a wording label such as "Page {page} of {pages}".

    Only `{name}` placeholders are replaced (no format-string features), and
    the values are inserted as they are, so a value is never re-read as a
    placeholder.
    """
    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name not in values:
            raise KeyError(f"label {label!r} has no value for {{{name}}}")
        return str(values[name])

    return PLACEHOLDER.sub(replace, label)


def split_label(label: str, name: str) -> list[str]:
    """Split a label around one placeholder, for CSS `content:` strings."""
    return label.split("{" + name + "}")


def css_string(text: str) -> Markup:
    """Quote text as a CSS string literal, safe to place inside <style>.

    Everything but letters, digits and spaces becomes a CSS escape, so no
    quote, backslash or `</style>` can end the string or the element.
    """
    escaped = "".join(ch if ch.isalnum() or ch == " " else f"\\{ord(ch):x} " for ch in text)
    return Markup(f'"{escaped}"')


@lru_cache(maxsize=8)
def environment(templates_dir: Path) -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(
        loader=FileSystemLoader(str(templates_dir)),
        autoescape=select_autoescape(enabled_extensions=("html", "xml", "j2"), default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["fill"] = fill
    env.filters["split_label"] = split_label
    env.filters["css_string"] = css_string
    return env
