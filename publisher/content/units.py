"""Translation units: every translatable string of an article, by stable id.

A unit's id is the id of the nearest object that has one plus the field
name (`cause-joint-pain.heading`), or the field path from the article's top
(`title`, `metadata.disclaimer`), so ids survive reordering and edits.
Which fields are units is declared in the content model (`Text` is, `Name`
is not), so a field added later is translatable without touching this code.
"""

from __future__ import annotations

import functools
import hashlib
import typing
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from publisher.content.models import Translatable


@dataclass(frozen=True)
class Unit:
    id: str
    path: tuple[str | int, ...]  # where the text sits in the article's data
    text: str

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.text)


def fingerprint(text: str) -> str:
    """A short hash of source text: a translation records the one it was made from."""
    return hashlib.sha256(unicodedata.normalize("NFC", text).encode("utf-8")).hexdigest()[:16]


def _is_translatable(annotation: Any, metadata: list) -> bool:
    if any(isinstance(m, Translatable) for m in metadata):
        return True
    if typing.get_origin(annotation) is typing.Annotated:
        args = typing.get_args(annotation)
        return any(isinstance(m, Translatable) for m in args[1:]) or _is_translatable(args[0], [])
    return any(_is_translatable(arg, []) for arg in typing.get_args(annotation))


@functools.cache
def _fields(model_class: type[BaseModel]) -> tuple[tuple[str, bool], ...]:
    """A model's field names, each with whether it is translatable: worked out once per class."""
    return tuple((name, _is_translatable(field.annotation, field.metadata))
                 for name, field in model_class.model_fields.items())


def iter_units(model: BaseModel, owner: str = "", path: tuple = ()) -> Iterator[Unit]:
    for name, translatable in _fields(type(model)):
        value = getattr(model, name)
        here = path + (name,)
        key = f"{owner}.{name}" if owner else name
        items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for index, item in items:
            where = here if index is None else here + (index,)
            if isinstance(item, BaseModel):
                child_owner = getattr(item, "id", None) or (key if index is None else f"{key}.{index}")
                yield from iter_units(item, child_owner, where)
            elif isinstance(item, str) and translatable:
                yield Unit(key if index is None else f"{key}.{index}", where, item)


def units_of(model: BaseModel) -> dict[str, Unit]:
    return {unit.id: unit for unit in iter_units(model)}
