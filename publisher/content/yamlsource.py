"""Read YAML into plain data while remembering where every value came from.

PyYAML's safe loader turns a file into dicts and loses the line numbers, and
silently keeps the last of two duplicate keys. Here the composed node tree is
walked by hand so that each value's path (`("sections", 2, "heading")`) maps
to its line and column, and a duplicate key is an error, not a surprise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from publisher.errors import ContentError, Problem

PathKey = tuple[str | int, ...]


@dataclass
class SourceMap:
    """Positions (1-based line, column) of every value and key in one file."""

    file: str
    values: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    keys: dict[PathKey, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: PathKey, *, key: bool = False) -> tuple[int, int]:
        """The position of `path`, or of its nearest ancestor that exists."""
        table = self.keys if key else self.values
        for end in range(len(path), -1, -1):
            here = path[:end]
            if here in table:
                return table[here]
            if here in self.values:
                return self.values[here]
        return (1, 1)


@dataclass
class YamlDocument:
    data: Any
    source: SourceMap


def display_path(path: PathKey) -> str:
    """`("sections", 2, "heading")` → `sections[2].heading`."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(document)"


def _pos(mark: yaml.Mark) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


_STR = "tag:yaml.org,2002:str"


class _Builder:
    def __init__(self, loader: yaml.SafeLoader, source: SourceMap):
        self.loader = loader
        self.source = source
        self.problems: list[Problem] = []

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        self.source.values[path] = _pos(node.start_mark)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, path + (i,)) for i, child in enumerate(node.value)]
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, path: PathKey) -> dict:
        self.loader.flatten_mapping(node)
        result: dict = {}
        for key_node, value_node in node.value:
            key = self._scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                line, col = _pos(key_node.start_mark)
                self.problems.append(Problem(
                    self.source.file, line, col, display_path(path),
                    f"a key must be a plain name, got {key_node.value!r}",
                    "write keys as simple words such as `title:`"))
                continue
            if key in result:
                line, col = _pos(key_node.start_mark)
                first = self.source.keys[path + (key,)][0]
                self.problems.append(Problem(
                    self.source.file, line, col, display_path(path + (key,)),
                    f"duplicate key '{key}' (first given on line {first})",
                    "keep one of them and delete the other"))
                continue
            self.source.keys[path + (key,)] = _pos(key_node.start_mark)
            result[key] = self.build(value_node, path + (key,))
        return result

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag == _STR:
            return node.value  # what the constructor would return, without its dispatch: most values are text
        try:
            return self.loader.construct_object(node, deep=True)
        except (ValueError, yaml.YAMLError):
            # e.g. `2024-13-01` looks like a date but is none: keep the text
            # so that validation reports it against the field that wanted it.
            return node.value


# libyaml's parser, where PyYAML was built with it, reads a file about ten
# times faster than the pure-Python one and gives the same nodes and marks.
# A file it cannot read is read again by the pure-Python parser, so every
# message about a broken file stays exactly as that parser words it. The two
# differ on tabs (libyaml allows some that PyYAML rejects) and count columns
# differently after a byte-order mark or an unusual line break, so a file
# with any of those, or with a character PyYAML refuses, goes straight to
# the pure-Python parser (checked on thousands of mutated content files).
_FAST_LOADER = getattr(yaml, "CSafeLoader", None)
_NOT_FAST = re.compile("[\t\ufeff\x85\u2028\u2029]")


def load_yaml(path: Path, shown_as: str) -> YamlDocument:
    """Parse one YAML file; raise ContentError naming every problem in it."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ContentError([Problem(shown_as, 1, 1, "(file)", f"not UTF-8 text ({exc.reason})",
                                    "save the file as UTF-8")]) from None
    if _FAST_LOADER is not None and not _NOT_FAST.search(text) and not yaml.reader.Reader.NON_PRINTABLE.search(text):
        try:
            return _load_text(text, shown_as, _FAST_LOADER)
        except Exception:  # noqa: BLE001 - read again, and reported, below
            pass
    return _load_text(text, shown_as, yaml.SafeLoader)


def safe_load(text: str) -> Any:
    """`yaml.safe_load`, through libyaml where it reads the text exactly as
    PyYAML would; otherwise, or on any error, through PyYAML itself (so the
    errors raised are PyYAML's)."""
    if _FAST_LOADER is not None and not _NOT_FAST.search(text) and not yaml.reader.Reader.NON_PRINTABLE.search(text):
        try:
            return yaml.load(text, Loader=_FAST_LOADER)  # noqa: S506 - CSafeLoader is the safe loader
        except Exception:  # noqa: BLE001 - read again, and raised, below
            pass
    return yaml.safe_load(text)


def _load_text(text: str, shown_as: str, loader_class) -> YamlDocument:
    source = SourceMap(shown_as)
    loader = None
    try:
        loader = loader_class(text)
        node = loader.get_single_node()
        if node is None:
            raise ContentError([Problem(shown_as, 1, 1, "(document)", "the file is empty",
                                        "fill it in; `publisher schema` lists the fields")])
        builder = _Builder(loader, source)
        data = builder.build(node, ())
    except yaml.reader.ReaderError as exc:
        before = text[:exc.position]
        line, col = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
        raise ContentError([Problem(shown_as, line, col, "(yaml)",
                                    f"the invisible control character U+{exc.character:04X} is not allowed",
                                    "delete it (it often comes from copying text out of another program)")]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = _pos(mark) if mark else (1, 1)
        what = exc.problem or exc.context or "invalid YAML"
        raise ContentError([Problem(shown_as, line, col, "(yaml)", f"cannot read YAML: {what}",
                                    _yaml_hint(what))]) from None
    finally:
        if loader is not None:
            loader.dispose()
    if builder.problems:
        raise ContentError(builder.problems)
    return YamlDocument(data, source)


def _yaml_hint(what: str) -> str:
    if "tab" in what or "'\\t'" in what:
        return "indent with spaces, not tabs"
    if "mapping values are not allowed" in what:
        return "put text that contains ': ' in quotes"
    if "expected <block end>" in what or "indent" in what:
        return "check the indentation: items of one list or mapping must line up"
    if "but found another document" in what:
        return "keep one document per file (remove the extra '---')"
    return "check the line for a missing quote, colon or indentation"
