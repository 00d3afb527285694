"""One edit of a YAML file's lines, as the fuzz tests of every file kind make them."""

from __future__ import annotations


def edited(lines: list[str], line: int, text: str, mode: str) -> list[str]:
    """`lines` with `text` as the value of line `line` ("value", where it has a key), as the
    whole line ("line"), or inserted before it ("insert")."""
    lines = list(lines)
    if mode == "value" and ":" in lines[line]:
        key = lines[line].split(":", 1)[0]
        lines[line] = f"{key}: {text}"
    elif mode == "line":
        lines[line] = text
    else:
        lines.insert(line, text)
    return lines
