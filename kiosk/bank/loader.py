"""Read a YAML data file into a Pydantic model, with errors that say ``file:line: what and how``.

PyYAML's composer keeps the line of every node; we keep a map from each data path
(``("items", 3, "params", "b")``) to its line, so that a Pydantic error location can be turned
into the line a person must edit.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from kiosk.bank.conditions import CONDITION_KINDS
from kiosk.bank.model import Bank, BankInconsistent

Loc = tuple[str | int, ...]
# libyaml's composer is about ten times faster and keeps the same line marks; fall back to the
# pure-Python one where PyYAML was built without it.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Builds plain values (str, int, bool, ...) from scalar nodes; one instance serves every file.
_SCALARS = yaml.SafeLoader("")
ModelT = TypeVar("ModelT", bound=BaseModel)


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class DataFileError(Exception):
    """A data file that cannot be used, with every problem found in it."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


def load_bank(path: Path) -> Bank:
    return load_model(path, Bank)


def load_model(path: Path, model: type[ModelT]) -> ModelT:
    data, lines = read_yaml(path)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise DataFileError(_problems(path, exc, data, lines)) from None


def read_yaml(path: Path) -> tuple[Any, dict[Loc, int]]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataFileError([Problem(path, 0, f"cannot read the file: {exc.strerror}")]) from None
    except UnicodeDecodeError as exc:
        raise DataFileError(
            [Problem(path, 1, f"not UTF-8 text ({exc.reason}): save the file as UTF-8")]
        ) from None
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


def _problems(path: Path, exc: ValidationError, data: Any, lines: dict[Loc, int]) -> list[Problem]:
    problems: list[Problem] = []
    for error in exc.errors():
        cause = (error.get("ctx") or {}).get("error")
        if isinstance(cause, BankInconsistent):
            problems += [Problem(path, _line(loc, data, lines), msg) for loc, msg in cause.problems]
            continue
        loc = tuple(error["loc"])
        problems.append(Problem(path, _line(loc, data, lines), _explain(error, loc, data)))
    problems.sort(key=lambda p: p.line)
    return problems


def _existing(loc: Loc, data: Any) -> Loc:
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
        elif isinstance(node, list) or (isinstance(node, dict) and part in _UNION_TAGS):
            continue
        else:
            break
        kept.append(part)
    return tuple(kept)


# Tags Pydantic puts in error locations of tagged unions: condition kinds and item kinds.
_UNION_TAGS = {*CONDITION_KINDS, "can_do", "knowledge"}


def _line(loc: Loc, data: Any, lines: dict[Loc, int]) -> int:
    return lines.get(_existing(loc, data), 1)


def _explain(error: Any, loc: Loc, data: Any) -> str:
    kind = error["type"]
    found = _existing(loc, data)
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
