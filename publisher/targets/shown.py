"""What of the content a format shows, as the format declares beside its templates.

Each format lists, in `templates/<format>/not-shown.yaml`, the content fields
its templates and code never put into its file, and the labels (template
wording, `templates/labels/en.yaml`) it never prints. Everything else an
article, a clinic or the wording holds is part of the format's fingerprint:
a field forgotten there costs a re-render, never a stale file. The list is
checked against the content models and the labels (a misspelling is a
located error), and tests/e2e/test_fingerprint_property.py proves it both
ways: editing a listed field leaves the format's bytes alone, editing any
other field changes them.

Declaring what is *not* shown, rather than deriving what is from the Jinja
syntax tree, keeps the Python-side reads in view too (the deck's document
properties, the poster's QR address), and fails safe when forgotten.
"""

from __future__ import annotations

import datetime as dt
import difflib
import typing
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal, Optional

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, create_model

from publisher.content.models import Article, Clinic
from publisher.content.validate import validate
from publisher.content.yamlsource import load_yaml
from publisher.errors import ContentError, Problem

FILE = "not-shown.yaml"
WHOLE = "all"  # a model left out whole: its instances drop out of every list
LABELS = "labels"  # the key listing labels, beside the models' names


@dataclass(frozen=True)
class NotShown:
    """Fields a format never shows, by model name; models it leaves out whole; labels it never prints."""

    fields: dict[str, frozenset[str]]
    whole: frozenset[str]
    labels: frozenset[str] = frozenset()

    def shows(self, model: str, name: str) -> bool:
        return model not in self.whole and name not in self.fields.get(model, ())


EVERYTHING_SHOWN = NotShown({}, frozenset())


@lru_cache(maxsize=1)
def content_models() -> dict[str, tuple[type[BaseModel], bool]]:
    """The article's and the clinic's models by name, each with whether a list holds it."""
    found: dict[str, tuple[type[BaseModel], bool]] = {}

    def walk(annotation: Any, in_list: bool) -> None:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            seen = annotation.__name__ in found
            found[annotation.__name__] = (annotation, in_list or seen and found[annotation.__name__][1])
            for info in () if seen else annotation.model_fields.values():
                walk(info.annotation, False)
            return
        for arg in typing.get_args(annotation):
            walk(arg, in_list or typing.get_origin(annotation) is list)

    walk(Article, False)
    walk(Clinic, False)
    return found


@lru_cache(maxsize=4)
def _declaration_model(label_keys: tuple[str, ...]) -> type[BaseModel]:
    """The file's schema, made from the content models and the labels: one optional key
    per model, listing only that model's fields, so a misspelling is caught where it is written."""
    def known_label(key: str) -> str:
        if key not in label_keys:
            close = difflib.get_close_matches(key, label_keys, n=1, cutoff=0.6)
            raise ValueError(f"unknown label '{key}' — " + (f"did you mean '{close[0]}'?" if close else
                                                           "use a key of templates/labels/en.yaml"))
        return key

    keys: dict[str, Any] = {LABELS: (Optional[list[Annotated[str, AfterValidator(known_label)]]],
                                     Field(None, description="Labels this format never prints."))}
    for name, (model, listed) in content_models().items():
        if listed:  # `all` (the model left out whole) reads as a list of one word, and is checked as one
            kind = Annotated[list[Literal[(WHOLE, *model.model_fields)]], BeforeValidator(_one_word_list)]
        else:
            kind = list[Literal[tuple(model.model_fields)]]  # type: ignore[misc]
        keys[name] = (Optional[kind], Field(None, description=f"Fields of {name} this format never shows."))
    return create_model("NotShownFile", __config__=ConfigDict(extra="forbid", frozen=True), **keys)


def _one_word_list(value: Any) -> Any:
    return [value] if value == WHOLE else value


def load_not_shown(templates_dir: Path, fmt: str, label_keys: tuple[str, ...]) -> NotShown:
    """The format's declaration, checked against the content models and the source
    language's `label_keys`; without one, the format shows everything."""
    path = templates_dir / fmt / FILE
    if not path.is_file():
        return EVERYTHING_SHOWN
    shown_as = f"{templates_dir.name}/{fmt}/{FILE}"
    doc = load_yaml(path, shown_as)
    if not isinstance(doc.data, dict):
        raise ContentError([Problem(shown_as, 1, 1, "(document)", "expected a mapping of model names to fields",
                                    "write `ModelName: [field, ...]` lines, such as `Section: [notes]`")])
    declared, problems = validate(doc, _declaration_model(label_keys))
    if problems:
        raise ContentError(problems)
    chosen = declared.model_dump(exclude_none=True)
    labels = frozenset(chosen.pop(LABELS, ()))
    return NotShown(
        labels=labels,
        fields={model: frozenset(names) for model, names in chosen.items() if WHOLE not in names},
        whole=frozenset(model for model, names in chosen.items() if WHOLE in names))


def view(value: Any, not_shown: NotShown) -> Any:
    """The part of a content model (as plain data) that a format shows."""
    if isinstance(value, BaseModel):
        model = type(value).__name__
        return {name: view(getattr(value, name), not_shown)
                for name in type(value).model_fields if not_shown.shows(model, name)}
    if isinstance(value, (list, tuple)):
        return [view(item, not_shown) for item in value
                if not (isinstance(item, BaseModel) and type(item).__name__ in not_shown.whole)]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
