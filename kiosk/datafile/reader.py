"""Read a YAML data file into a Pydantic model, with errors that say ``file:line: what and how``.

PyYAML's composer keeps the line of every node; we keep a map from each data path
(``("items", 3, "params", "b")``) to its line, so that a Pydantic error location can be turned
into the line a person must edit.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from kiosk.datafile.problems import DataFileError, Inconsistent, Loc, Problem

# libyaml's composer is about ten times faster and keeps the same line marks; fall back to the
# pure-Python one where PyYAML was built without it.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Builds plain values (str, int, bool, ...) from scalar nodes; one instance serves every file.
_SCALARS = yaml.SafeLoader("")
ModelT = TypeVar("ModelT", bound=BaseModel)


def load_model(path: Path, model: type[ModelT]) -> ModelT:
    """The file at ``path`` as a ``model``; ``DataFileError`` with every problem found."""
    data, lines = read_yaml(path)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise DataFileError(_problems(path, model, exc, data, lines)) from None


def read_text(path: Path) -> str:
    """The file's text (a byte-order mark, as spreadsheets write, is dropped); DataFileError
    when it cannot be read or is not UTF-8."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise DataFileError([Problem(path, 0, f"cannot read the file: {exc.strerror}")]) from None
    except UnicodeDecodeError as exc:
        raise DataFileError(
            [Problem(path, 1, f"not UTF-8 text ({exc.reason}): save the file as UTF-8")]
        ) from None


def read_yaml(path: Path) -> tuple[Any, dict[Loc, int]]:
    """The file's data, and the line of every value and key in it."""
    text = read_text(path)
    try:
        node = yaml.compose(text, Loader=_FAST_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = exc.problem or exc.context or "invalid YAML"
        raise DataFileError(
            [Problem(path, line, f"YAML syntax: {what} (check the indentation and quotes)")]
        ) from None
    if node is None:
        raise DataFileError([Problem(path, 1, "the file is empty: it needs a YAML mapping")])
    lines: dict[Loc, int] = {}
    duplicates: list[Problem] = []
    data = _build(node, (), lines, path, duplicates)
    if duplicates:
        raise DataFileError(duplicates)
    return data, lines


def _build(
    node: yaml.Node, loc: Loc, lines: dict[Loc, int], path: Path, duplicates: list[Problem]
) -> Any:
    lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _SCALARS.construct_object(key_node)  # type: ignore[no-untyped-call]
            if key in out:
                duplicates.append(
                    Problem(
                        path,
                        key_node.start_mark.line + 1,
                        f"key '{key}' appears twice in the same mapping: keep only one",
                    )
                )
            out[key] = _build(value_node, (*loc, key), lines, path, duplicates)
            lines[(*loc, key)] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [
            _build(child, (*loc, i), lines, path, duplicates) for i, child in enumerate(node.value)
        ]
    return _SCALARS.construct_object(node)  # type: ignore[no-untyped-call]


def _problems(
    path: Path, model: type[BaseModel], exc: ValidationError, data: Any, lines: dict[Loc, int]
) -> list[Problem]:
    tags = union_tags(model)
    problems: list[Problem] = []
    for error in exc.errors():
        cause = (error.get("ctx") or {}).get("error")
        found = cause.problems if isinstance(cause, Inconsistent) else [
            (tuple(error["loc"]), _explain(error, tuple(error["loc"]), data, tags))
        ]
        problems += [Problem(path, _line(loc, data, lines, tags), msg) for loc, msg in found]
    problems.sort(key=lambda p: p.line)
    return problems


@cache
def union_tags(model: type[BaseModel]) -> frozenset[str]:
    """The tags of the model's tagged unions (condition kinds, item kinds): Pydantic puts them
    in error locations, where they are no key of the file."""
    tags: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "tagged-union":
                tags.update(map(str, node["choices"]))
            for child in node.values():
                walk(child)
        elif isinstance(node, list | tuple):
            for child in node:
                walk(child)

    walk(model.__pydantic_core_schema__)
    return frozenset(tags)


def _existing(loc: Loc, data: Any, tags: frozenset[str]) -> Loc:
    """The part of a Pydantic location that exists in the file.

    Pydantic adds segments that are not keys of the file (union tags such as ``all``); they are
    skipped. The walk stops at the first key the file does not have (e.g. a missing field).
    """
    kept: list[str | int] = []
    node = data
    for part in loc:
        in_dict = isinstance(node, dict) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_dict or in_list:
            node = node[part]
        elif isinstance(node, list) or (isinstance(node, dict) and part in tags):
            continue
        else:
            break
        kept.append(part)
    return tuple(kept)


def _line(loc: Loc, data: Any, lines: dict[Loc, int], tags: frozenset[str]) -> int:
    return lines.get(_existing(loc, data, tags), 1)


def _explain(error: Any, loc: Loc, data: Any, tags: frozenset[str]) -> str:
    kind = error["type"]
    found = _existing(loc, data, tags)
    where = ".".join(str(p) for p in found) or "the top level"
    name = str(loc[-1]) if loc else "value"
    if kind == "missing":
        return f"'{name}' is missing in '{where}': add '{name}:'"
    if kind == "extra_forbidden":
        parent = ".".join(str(p) for p in found[:-1]) or "the top level"
        return f"unknown key '{name}' in '{parent}': remove it or check its spelling"
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        return f"'{where}' cannot be {error['input']!r}: use one of {expected}"
    if kind == "string_pattern_mismatch":
        return (
            f"'{where}' = {error['input']!r} is not a valid id or version: "
            "use lower-case letters, digits, '_' or '-' (versions like 1.0.2)"
        )
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"'{where}': {message}"
