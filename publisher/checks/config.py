"""Thresholds: each gate's documented defaults, and a content folder's `checks.yaml`.

Both have one shape, under each gate's id: `all:` for every language, then a
language tag for that language's values. A gate sees one flat mapping per
language, resolved in this order, later winning: the default's `all`, the
default's language, the content's `all`, the content's language (a clinic
gate sees `all` only). So a content folder that sets `all: {max_grade: 8}`
overrides every language's default.

The content file is validated like every other file, against a model made
from the defaults: an unknown gate id, an unknown key (each gate's keys are
those of its defaults' `all:`; a value per format merges with the default's), a value of the wrong type, or a key that is
neither `all` nor a language tag is a located error.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ConfigDict, RootModel, create_model

from publisher.content import files, shown_path
from publisher.content.validate import validate
from publisher.content.yamlsource import YamlDocument, load_yaml
from publisher.errors import ContentError, Problem

DEFAULTS = Path(__file__).resolve().parent / "thresholds"
CONTENT_FILE = "checks.yaml"
ALL = "all"
_LANG_KEY = re.compile(r"[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?\Z")

Values = dict[str, Any]  # one gate's thresholds for one language
Levels = dict[str, Values]  # `all` and language tags -> values


Scalar = bool | int | float | str


class _Defaults(RootModel[dict[str, dict[str, Scalar | list[str] | dict[str, Scalar]]]]):
    """A threshold is a value, a list of texts, or a value per format (`min_pt: {handout: 12, deck: 20}`)."""


@dataclass(frozen=True)
class Thresholds:
    defaults: dict[str, Levels]  # gate id -> levels
    content: dict[str, Levels]

    def resolve(self, gate: str, lang: str | None) -> Mapping[str, Any]:
        resolved: Values = {}
        for levels in (self.defaults.get(gate, {}), self.content.get(gate, {})):
            for level in (ALL, lang) if lang is not None else (ALL,):
                for key, value in levels.get(level, {}).items():
                    old = resolved.get(key)
                    # A value per format changes only the formats it names.
                    resolved[key] = {**old, **value} if isinstance(old, dict) and isinstance(value, dict) else value
        return resolved


def load_thresholds(content_dir: Path | None, gate_ids: list[str]) -> Thresholds:
    """The defaults of every gate and the content folder's overrides; every problem at once."""
    problems: list[Problem] = []
    defaults = {gate: _read_defaults(gate, problems) for gate in gate_ids}
    content: dict[str, Levels] = {}
    found = files.listing(content_dir, CONTENT_FILE, content_dir.resolve(), shown_path, problems) \
        if content_dir is not None else []  # a regular file inside the content folder, as every content file
    if found:
        content = _read_content(found[0], defaults, problems)
    if problems:
        raise ContentError(problems)
    return Thresholds(defaults, content)


def _read_defaults(gate: str, problems: list[Problem]) -> Levels:
    path = DEFAULTS / f"{gate}.yaml"
    if not path.is_file():
        return {}  # a gate without thresholds: nothing to set
    doc = _load(path, problems)
    if doc is None:
        return {}
    found, errors = validate(doc, _Defaults)
    problems += errors
    if found is None:
        return {}
    levels = found.root
    if ALL not in levels:
        problems.append(Problem(doc.source.file, 1, 1, ALL, "the defaults have no `all:`",
                                "put every threshold under `all:`; a language's section changes some of them"))
        return {}
    for lang, values in levels.items():
        problems += _check_level(doc, (lang,), lang)
        for key in values:
            if key not in levels[ALL]:
                line, col = doc.source.locate((lang, key), key=True)
                problems.append(Problem(doc.source.file, line, col, f"{lang}.{key}", f"'{key}' is not under `all:`",
                                        "give every threshold a value for all languages under `all:`"))
    return levels


def _read_content(path: Path, defaults: dict[str, Levels], problems: list[Problem]) -> dict[str, Levels]:
    doc = _load(path, problems)
    if doc is None:
        return {}
    if doc.data is None:
        return {}  # an empty file (or only comments) overrides nothing
    found, errors = validate(doc, _content_model(defaults))
    problems += [_reworded(p) for p in errors]
    if isinstance(doc.data, dict):
        problems += [p for gate, levels in doc.data.items() if gate in defaults and isinstance(levels, dict)
                     for lang in levels for p in _check_level(doc, (gate, lang), str(lang))]
    if found is None:
        return {}
    content: dict[str, Levels] = {}
    for gate, levels in found.model_dump(exclude_none=True).items():
        for lang, values in levels.items():
            content.setdefault(gate, {})[lang] = {k: v for k, v in values.items() if v is not None}
    return content


def _content_model(defaults: dict[str, Levels]):
    """A model of `checks.yaml` made from the defaults: the gates' ids, each gate's keys and types."""
    config = ConfigDict(extra="forbid", frozen=True)
    fields = {}
    for gate, levels in defaults.items():
        values = create_model(f"{gate} thresholds", __config__=config,
                              **{key: (_type(value) | None, None) for key, value in levels.get(ALL, {}).items()})
        fields[gate] = (dict[str, values] | None, None)
    return create_model("checks.yaml", __config__=config, **fields)


def _type(value: Any) -> Any:
    if isinstance(value, bool):
        return bool
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int if isinstance(value, int) else float
    if isinstance(value, list):
        return list[str]
    if isinstance(value, dict):
        kinds = {_type(v) for v in value.values()}
        inner = float if kinds <= {int, float} and kinds else (kinds.pop() if len(kinds) == 1 else Scalar)
        return dict[str, inner]
    return str


def _check_level(doc: YamlDocument, path: tuple, lang: str) -> list[Problem]:
    if lang == ALL or _LANG_KEY.match(lang):
        return []
    line, col = doc.source.locate(path, key=True)
    return [Problem(doc.source.file, line, col, ".".join(path), f"'{lang}' is neither `all` nor a language tag",
                    "write `all:` for every language, or a tag such as `de` or `zh-Hans`")]


def _reworded(problem: Problem) -> Problem:
    """In this file's words: its fields are gates and thresholds, documented by `publisher check --list`."""
    message = problem.message
    if message.startswith("unknown field "):
        depth = problem.field.count(".")
        message = message.replace("field", "gate" if depth == 0 else "threshold" if depth == 2 else "field", 1)
    return Problem(problem.file, problem.line, problem.col, problem.field, message,
                   problem.hint.replace("`publisher schema`", "`publisher check --list` and the README"))


def _load(path: Path, problems: list[Problem]) -> YamlDocument | None:
    try:
        return load_yaml(path, shown_path(path))
    except ContentError as exc:
        problems += exc.problems
        return None
