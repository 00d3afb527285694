"""Turn pydantic's validation errors into problems a clinic can act on.

pydantic knows what is wrong but not where: its error locations are paths
into the data, which `SourceMap` turns back into lines and columns. The
wording says what was expected and how to fix it in YAML terms, never in
Python terms.
"""

from __future__ import annotations

import difflib
from typing import Any, TypeVar, get_args, get_origin

from pydantic import BaseModel, RootModel, ValidationError

from publisher.content.yamlsource import PathKey, SourceMap, YamlDocument, display_path
from publisher.errors import Problem

M = TypeVar("M", bound=BaseModel)

# Hints for fields whose format is a pattern, by field name.
PATTERN_HINTS = {
    "id": ("expected an id of lowercase letters, digits and single hyphens",
           "write it like `joint-pain`"),
    "lang": ("expected a BCP 47 language tag", "write it like `en`, `es` or `zh-Hans`"),
    "primary": ("expected a colour as #RRGGBB", "write it like `#1F5C99`, in quotes"),
    "accent": ("expected a colour as #RRGGBB", "write it like `#E8F0F8`, in quotes"),
    "version": ("expected a version number such as 1.0 or 2.1.3", 'put it in quotes: `version: "1.0"`'),
    "url": ("expected a web address starting with https://", "write the full address, like https://example.org/page"),
    "website": ("expected a web address starting with https://", "write the full address, like https://example.org"),
    "email": ("expected an e-mail address", "write it like `reception@example.org`"),
    "gate": ("expected a gate id such as `reading-level`", "use an id that `publisher check --list` shows"),
    "unit": ("expected the id of a section, block or item", "write it like `joint-pain`"),
    "icon": ("expected an icon name such as `joint`", "use a name listed in templates/icons/icons.yaml"),
    "logo": ("expected the name of an .svg or .png file next to the clinic's YAML file",
             "write it like `logo.svg`"),
    "deck_template": ("expected the name of a .pptx file next to the clinic's YAML file",
                      "write it like `corporate.pptx`"),
}


def describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, dict):
        return "a mapping of fields"
    if isinstance(value, list):
        return "a list"
    text = str(value)
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _model_at(model: type[BaseModel], data_path: PathKey) -> type[BaseModel] | None:
    """The model class that validates the mapping at `data_path`, if known."""
    current: Any = model
    keyed = False  # the next part is a key of a `dict[str, Model]`, not a field
    if issubclass(model, RootModel):
        keyed, current = _keyed(model.model_fields["root"].annotation), _inner_model(model.model_fields["root"].annotation)
    for part in data_path:
        if isinstance(part, int):
            continue
        if keyed:
            keyed = False
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = current.model_fields.get(part)
        if field is None:
            return None
        keyed, current = _keyed(field.annotation), _inner_model(field.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _keyed(annotation: Any) -> bool:
    return get_origin(annotation) is dict or any(get_origin(arg) is dict for arg in get_args(annotation))


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _split_loc(loc: tuple, data: Any) -> tuple[PathKey, str | int | None]:
    """Split a pydantic location into the data path and the final field.

    Discriminated unions put the tag (`paragraph`) into the location; the
    data has no such key, so parts that do not exist in the data are dropped.
    """
    path: list = []
    current = data
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(current, dict) and part in current:
            path.append(part)
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and part < len(current):
            path.append(part)
            current = current[part]
        elif last:
            return tuple(path), part
        # else: a union tag or model name; skip it
    return tuple(path), None


def problems_from(exc: ValidationError, doc: YamlDocument, model: type[BaseModel]) -> list[Problem]:
    problems = []
    for err in exc.errors(include_url=False):
        path, missing = _split_loc(tuple(err["loc"]), doc.data)
        if err["type"] == "union_tag_invalid":
            path += ("kind",)  # point at the wrong word, not at the block
        field_path = path + ((missing,) if missing is not None else ())
        # An unknown field is best shown at its key; anything else at its value.
        line, col = doc.source.locate(path, key=err["type"] == "extra_forbidden")
        message, hint = _explain(err, field_path, model, doc.source)
        problems.append(Problem(doc.source.file, line, col, display_path(field_path), message, hint))
    return problems


def _explain(err: dict, path: PathKey, model: type[BaseModel], source: SourceMap) -> tuple[str, str]:
    kind = err["type"]
    value = err.get("input")
    name = next((p for p in reversed(path) if isinstance(p, str)), "")
    ctx = err.get("ctx") or {}
    if kind == "missing":
        return "required field is missing", f"add `{name}:` here (see `publisher schema` for what it holds)"
    if kind == "extra_forbidden":
        owner = _model_at(model, path[:-1])
        allowed = sorted(owner.model_fields) if owner else []
        close = difflib.get_close_matches(str(name), allowed, n=1, cutoff=0.6)
        if close:
            return f"unknown field '{name}'", f"did you mean '{close[0]}'?"
        return f"unknown field '{name}'", "remove it; allowed here: " + ", ".join(allowed)
    if kind == "string_type":
        return f"expected text, got {describe(value)}", "put the text in quotes"
    if kind in ("int_parsing", "int_from_float", "float_parsing", "bool_parsing", "int_type", "float_type",
                "bool_type"):
        expected = {"int": "a whole number", "float": "a number", "bool": "true or false"}[kind.split("_")[0]]
        return f"expected {expected}, got {describe(value)}", f"write {expected}, without quotes"
    if kind == "string_pattern_mismatch":
        expected, hint = PATTERN_HINTS.get(name, (f"text of the form {ctx.get('pattern')}", "see `publisher schema`"))
        return f"{expected}, got {describe(value)}", hint
    if kind.startswith("date_"):
        return (f"expected a date as YYYY-MM-DD, got {describe(value)}",
                "write a real calendar date such as 2025-03-31")
    if kind == "list_type":
        return f"expected a list, got {describe(value)}", "write each item on its own line starting with '- '"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return (f"expected a mapping of fields, got {describe(value)}",
                "write `field: value` pairs indented under this key")
    if kind == "too_short":
        return "must not be empty", "add at least one item"
    if kind == "literal_error":
        return f"expected one of {ctx.get('expected')}, got {describe(value)}", f"use one of {ctx.get('expected')}"
    if kind == "union_tag_invalid":
        return (f"unknown block kind {describe(ctx.get('tag'))}",
                f"use `kind:` with one of {ctx.get('expected_tags')}")
    if kind == "union_tag_not_found":
        return "the block has no `kind`", "add `kind: paragraph`, `kind: list` or `kind: callout`"
    if kind == "value_error":
        text = str(ctx.get("error", err["msg"]))
        message, _, hint = text.partition(" — ")
        return message, hint or "see `publisher schema`"
    return err["msg"][0].lower() + err["msg"][1:], "see `publisher schema` for what this field holds"


def validate(doc: YamlDocument, model: type[M]) -> tuple[M | None, list[Problem]]:
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        return None, problems_from(exc, doc, model)
