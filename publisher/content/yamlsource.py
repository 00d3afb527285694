"""Read YAML into plain data while remembering where every value came from.

PyYAML's safe loader turns a file into dicts and loses the line numbers, and
silently keeps the last of two duplicate keys. Here the composed node tree is
walked by hand so that each value's path (`("sections", 2, "heading")`) maps
to its line and column, and a duplicate key is an error, not a surprise.

The tree is composed here too, from the parser's events, so that the limits
of `publisher.content.limits` (size, depth, aliases, lengths, characters)
stop a hostile file at its line before any work grows with it.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from publisher.content import files, limits
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


class _Refused(Exception):
    """A limit or character rule broken: reading stops at once, at this problem."""

    def __init__(self, problem: Problem):
        self.problem = problem


def _compose(loader, shown_as: str, screen_all: bool, screen_quoted: bool) -> yaml.Node | None:
    """PyYAML's composer, without recursion and with the limits of
    `publisher.content.limits` checked on each parser event before any node
    is built from it: PyYAML's own composer recurses once per level (100,000
    nested brackets end in RecursionError), and the aliases it links in turn
    a few lines into billions of values for whoever walks the tree.

    Characters are screened in double-quoted scalars, the only ones whose
    escapes can make what the reader's check of the raw file let through
    (`screen_quoted`: the file has a backslash), and in every scalar when
    `screen_all` says the raw file holds one.
    """
    get_event, resolve = loader.get_event, loader.resolve
    get_event()  # stream start
    if loader.check_event(yaml.StreamEndEvent):
        get_event()
        return None
    document_start = get_event()
    # One entry per open list or mapping: [node, items so far, key waiting for its value, key of the open value]
    stack: list[list] = []
    values = 0
    while True:
        event = get_event()
        kind = type(event)
        if kind is yaml.SequenceEndEvent or kind is yaml.MappingEndEvent:
            node = stack.pop()[0]
            node.end_mark = event.end_mark
            if not stack:
                break
            continue
        if stack:
            parent = stack[-1]
            if parent[2] is None:  # a list's item, or a mapping's key
                parent[1] += 1
                if parent[1] > limits.MAX_ITEMS:
                    noun = "keys" if type(parent[0]) is yaml.MappingNode else "items"
                    raise _refused(shown_as, event, stack, f"more than {limits.MAX_ITEMS:,} {noun} here",
                                   "split the list or the article into smaller ones")
        values += 1
        if event.anchor is not None:  # an alias event's anchor is the name it refers to
            raise _refused(shown_as, event, stack, "anchors and aliases (&name, *name) are not allowed",
                           "write the text out in full; if it starts with & or *, put it in quotes")
        if values > limits.MAX_VALUES:
            raise _refused(shown_as, event, stack, f"more than {limits.MAX_VALUES:,} values in one file",
                           "split the article into smaller ones")
        tag = event.tag
        if kind is yaml.ScalarEvent:
            value = event.value
            if len(value) > limits.MAX_TEXT:
                raise _refused(shown_as, event, stack, f"the text is {len(value):,} characters long,"
                               f" more than the limit of {limits.MAX_TEXT:,}",
                               "split it into shorter paragraphs or items")
            if screen_all or (screen_quoted and event.style == '"'):
                bad = limits.FORBIDDEN_CHARACTER.search(value)
                if bad:
                    raise _refused(shown_as, event, stack, f"{limits.describe_character(bad.group())} is not allowed",
                                   "delete it (in quotes it may be written as an escape such as \\x0b, \\x00 or"
                                   " \\ud800); no handout, poster or deck can print it")
            if tag is None or tag == "!":
                tag = resolve(yaml.ScalarNode, value, event.implicit)
            node = yaml.ScalarNode(tag, value, event.start_mark, event.end_mark, style=event.style)
        else:
            if len(stack) >= limits.MAX_DEPTH:
                raise _too_deep(shown_as, event.start_mark)
            node_class = yaml.SequenceNode if kind is yaml.SequenceStartEvent else yaml.MappingNode
            if tag is None or tag == "!":
                tag = resolve(node_class, None, event.implicit)
            node = node_class(tag, [], event.start_mark, None, flow_style=event.flow_style)
        if stack:
            parent = stack[-1]
            if type(parent[0]) is yaml.SequenceNode:
                parent[0].value.append(node)
            elif parent[2] is None:
                parent[2] = node
            else:
                parent[0].value.append((parent[2], node))
                parent[3], parent[2] = parent[2], None
        elif kind is yaml.ScalarEvent:
            break
        if kind is not yaml.ScalarEvent:
            stack.append([node, 0, None, None])
    get_event()  # document end
    if not loader.check_event(yaml.StreamEndEvent):
        event = get_event()
        raise yaml.composer.ComposerError("expected a single document in the stream", document_start.start_mark,
                                          "but found another document", event.start_mark)
    get_event()
    return node


def _too_deep(shown_as: str, mark) -> _Refused:
    # Named "(yaml)", not by path: the pure-Python scanner finds it before there is one (see `_PureLoader`).
    line, col = _pos(mark)
    return _Refused(Problem(shown_as, line, col, "(yaml)", f"nested more than {limits.MAX_DEPTH} levels deep",
                            "check the indentation and the brackets: content needs only a few levels"))


class _PureLoader(yaml.SafeLoader):
    """PyYAML's pure-Python loader, refusing deep brackets as it scans them.

    Its scanner looks up to 1,024 characters ahead for a possible `key:` and
    checks every open bracket at each step, so a line of thousands of `[`
    costs seconds before the composer sees the first event.
    """

    shown_as = ""

    def scan_flow_scalar_non_spaces(self, double, start_mark):
        try:
            return super().scan_flow_scalar_non_spaces(double, start_mark)
        except ValueError:  # an escape such as \U00110000 names no character; PyYAML lets chr() fail
            raise yaml.scanner.ScannerError("while scanning a quoted scalar", start_mark,
                                            "found an escape for a character that does not exist",
                                            self.get_mark()) from None

    def fetch_flow_collection_start(self, TokenClass):
        if self.flow_level + len(self.indents) >= limits.MAX_DEPTH:
            raise _too_deep(self.shown_as, self.get_mark())
        super().fetch_flow_collection_start(TokenClass)


def _path_of(stack: list[list]) -> PathKey:
    """The data path of the value being read, from the open lists and mappings."""
    path: list = []
    for depth, (node, items, waiting, open_key) in enumerate(stack):
        last = depth == len(stack) - 1
        if type(node) is yaml.SequenceNode:
            path.append(items - 1)
        elif not last:
            path.append(_key_name(open_key))
        elif waiting is not None:
            path.append(_key_name(waiting))
    return tuple(path)


def _key_name(key) -> str | int:
    return key.value if isinstance(key, yaml.ScalarNode) else "?"


def _refused(shown_as: str, event, stack: list[list], message: str, hint: str) -> _Refused:
    line, col = _pos(event.start_mark)
    path = _path_of(stack)
    return _Refused(Problem(shown_as, line, col, display_path(path) if path else "(yaml)", message, hint))


# libyaml's parser, where PyYAML was built with it, reads a file about ten
# times faster than the pure-Python one and gives the same events and marks.
# A file it cannot read is read again by the pure-Python parser, so every
# message about a broken file stays exactly as that parser words it. The two
# differ on tabs (libyaml allows some that PyYAML rejects) and count columns
# differently after a byte-order mark or an unusual line break, so a file
# with any of those, or with a character PyYAML refuses, goes straight to
# the pure-Python parser (checked on thousands of mutated content files).
_FAST_LOADER = getattr(yaml, "CSafeLoader", None)
_NOT_FAST = re.compile("[\t\ufeff\x85\u2028\u2029]")


def load_yaml(path: Path, shown_as: str) -> YamlDocument:
    """Parse one YAML file; raise ContentError naming every problem in it.

    The file must be a regular file of at most `MAX_FILE_BYTES`, checked
    before it is opened (a named pipe would block, a device never end); the
    caller checks that it lies inside the project (`publisher.content.files`).
    """
    text = _read_text(path, shown_as)
    if _FAST_LOADER is not None and not _NOT_FAST.search(text) and not yaml.reader.Reader.NON_PRINTABLE.search(text):
        try:
            return _load_text(text, shown_as, _FAST_LOADER)
        except _Refused as exc:
            raise ContentError([exc.problem]) from None  # the same events, so the same refusal: no second reading
        except Exception:  # noqa: BLE001 - read again, and reported, below
            pass
    try:
        return _load_text(text, shown_as, _PureLoader)
    except _Refused as exc:
        raise ContentError([exc.problem]) from None


def _read_text(path: Path, shown_as: str) -> str:
    def refuse(message: str, hint: str) -> ContentError:
        return ContentError([Problem(shown_as, 1, 1, "(file)", message, hint)])

    try:
        kind = os.stat(path).st_mode
        if not stat.S_ISREG(kind):
            raise refuse(f"is {files.kind_of(kind)}, not a file", "replace it with the YAML file itself")
        # Opened without blocking, and checked again once open, in case the file was swapped in between.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise refuse("the file does not exist", "check the file name") from None
    except OSError as exc:  # no permission, a loop of links
        raise refuse(f"cannot be read ({exc.strerror})", "check the file's permissions") from None
    with os.fdopen(fd, "rb") as handle:
        opened = os.fstat(handle.fileno())
        if not stat.S_ISREG(opened.st_mode):
            raise refuse(f"is {files.kind_of(opened.st_mode)}, not a file", "replace it with the YAML file itself")
        if opened.st_size > limits.MAX_FILE_BYTES:
            raise refuse(_too_big(opened.st_size), _SPLIT_HINT)
        data = handle.read(limits.MAX_FILE_BYTES + 1)
    if len(data) > limits.MAX_FILE_BYTES:  # it grew while being read
        raise refuse(_too_big(len(data)), _SPLIT_HINT)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise refuse(f"not UTF-8 text ({exc.reason})", "save the file as UTF-8") from None


_SPLIT_HINT = "a content file this big is not a leaflet: split the article, or remove what was pasted in by mistake"


def _too_big(size: int) -> str:
    return f"the file is {size:,} bytes, more than the limit of {limits.MAX_FILE_BYTES:,}"


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
        loader.shown_as = shown_as
        node = _compose(loader, shown_as, bool(limits.FORBIDDEN_CHARACTER.search(text)), "\\" in text)
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
    if "escape" in what:
        return "write the character itself, or an escape no higher than \\U0010FFFF"
    if "but found another document" in what:
        return "keep one document per file (remove the extra '---')"
    return "check the line for a missing quote, colon or indentation"
