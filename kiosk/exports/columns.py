"""The columns of an export: exactly the stored fields, read off the record models, so that a
field added to a model is exported (and checked) without another list to keep in step.

A nested model becomes one column per field (``guided_autonomy``), a mapping over a fixed
vocabulary one column per key (``level_devices``); the week (or quarter) a record carries is
written as ``period``, since an export may have coarsened it to a month, a quarter, a year.
"""

from __future__ import annotations

import re
import types
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from kiosk.records import AnswerSheet, VisitRecord

PERIOD = "period"
# The stored fields that say when, written as the (maybe coarsened) period.
WHEN: dict[type[BaseModel], str] = {VisitRecord: "iso_week", AnswerSheet: "quarter"}
# Shorter names for the keys of a stored mapping.
PREFIXES = {"levels": "level_", "answers": "answer_"}


@dataclass(frozen=True)
class Column:
    name: str
    path: tuple[str, ...]  # the keys leading to the value in the stored JSON
    kind: type = str  # str, int or bool: how a text cell reads back

    def parse(self, text: str) -> Any:
        """A CSV cell's value, as the stored JSON had it (empty: none)."""
        if text == "":
            return None
        if self.kind is bool:
            return text.lower() == "true"
        return int(text) if self.kind is int else text


def columns_of(model: type[BaseModel], open_keys: Iterable[str] = ()) -> list[Column]:
    """The columns of ``model``'s records; ``open_keys`` are the keys found in a mapping
    whose keys no vocabulary fixes (an answer sheet's items)."""
    return _flatten(model, (), "", sorted(open_keys), WHEN.get(model))


def _flatten(model: type[BaseModel], path: tuple[str, ...], prefix: str, open_keys: list[str],
             when: str | None) -> list[Column]:
    found: list[Column] = []
    for name, field in model.model_fields.items():
        if name == when:
            found.append(Column(PERIOD, (name,)))
            continue
        kind = _optional(field.annotation)
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            found += _flatten(kind, (*path, name), f"{prefix}{name}_", open_keys, None)
        elif get_origin(kind) is dict:
            key_kind, value_kind = get_args(kind)
            head = prefix + PREFIXES.get(name, f"{name}_")
            found += [Column(f"{head}{key}", (*path, name, key), _scalar(value_kind))
                      for key in _literal_values(key_kind) or open_keys]
        else:
            found.append(Column(prefix + name, (*path, name), _scalar(kind)))
    return found


def _scalar(annotation: Any) -> type:
    """str, int or bool: what a field's values are."""
    annotation = _optional(annotation)
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) is Literal:
        return type(get_args(annotation)[0])
    return annotation if annotation in (bool, int) else str


def _optional(annotation: Any) -> Any:
    """``X`` for ``X | None``."""
    if get_origin(annotation) in (Union, types.UnionType):
        kinds = [a for a in get_args(annotation) if a is not type(None)]
        return kinds[0] if len(kinds) == 1 else annotation
    return annotation


def _literal_values(annotation: Any) -> list[str]:
    return [str(v) for v in get_args(annotation)] if get_origin(annotation) is Literal else []


def row_maker(columns: Iterable[Column]) -> Callable[[Mapping[str, Any], str], list[Any]]:
    """A function that gives a stored record's values in the columns' order, its period as
    given (built once: an export calls it for every record)."""
    # A field (a string), a field of a nested record or mapping (a pair: most columns are
    # levels), a deeper path, or the period (None).
    paths: list[str | tuple[str, ...] | None] = [
        None if c.name == PERIOD else c.path[0] if len(c.path) == 1 else c.path
        for c in columns]

    def row(raw: Mapping[str, Any], period: str) -> list[Any]:
        values = []
        for path in paths:
            if type(path) is str:
                values.append(raw.get(path))
            elif path is None:
                values.append(period)
            elif len(path) == 2:
                inner = raw.get(path[0])
                values.append(inner.get(path[1]) if type(inner) is dict else None)
            else:
                values.append(_nested(raw, path))
        return values

    return row


def _nested(raw: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = raw
    for key in path:
        value = value.get(key) if type(value) is dict else None
    return value


def with_period(raw_json: bytes, model: type[BaseModel], period: str) -> bytes:
    """A stored record's JSON as exported: the same, its time written as the period."""
    return _WHEN_JSON[model].sub(b'"period":"' + period.encode() + b'"', raw_json, count=1)


_WHEN_JSON = {model: re.compile(rb'"' + name.encode() + rb'"\s*:\s*"[^"]*"')
              for model, name in WHEN.items()}


def from_row(model: type[BaseModel], columns: Iterable[Column],
             values: Iterable[Any]) -> dict[str, Any]:
    """The nested record a flat row was made from (the inverse of ``row_maker``): a nested
    model none of whose fields has a value is None, as stored; a mapping keeps the keys that
    have one."""
    record: dict[str, Any] = {}
    for column, value in zip(columns, values, strict=True):
        if column.name == PERIOD:
            record[PERIOD] = value
            continue
        place = record
        for key in column.path[:-1]:
            place = place.setdefault(key, {})
        if value is not None or not _in_mapping(model, column.path):
            place[column.path[-1]] = value
    return _models_or_none(model, record)


def _in_mapping(model: type[BaseModel], path: tuple[str, ...]) -> bool:
    """Whether ``path`` leads into a mapping (a level: a key with no value is no key)."""
    field = model.model_fields.get(path[0])
    if field is None:  # a column of the export's own (an answer sheet's id)
        return False
    kind = _optional(field.annotation)
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        return _in_mapping(kind, path[1:]) if len(path) > 2 else False
    return get_origin(kind) is dict


def _models_or_none(model: type[BaseModel], record: dict[str, Any]) -> dict[str, Any]:
    for name, value in list(record.items()):
        field = model.model_fields.get(name)
        kind = _optional(field.annotation) if field else None
        if isinstance(kind, type) and issubclass(kind, BaseModel) and isinstance(value, dict):
            inner = _models_or_none(kind, value)
            record[name] = inner if any(v is not None for v in inner.values()) else None
    return record
