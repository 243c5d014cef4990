"""Read a YAML data file into a Pydantic model, with errors that say ``file:line: what and how``.

Every file the kiosk reads (questionnaire, site, screen texts) comes through here, read with
limits so that no file can hang or exhaust the kiosk: a regular file (a pipe or a device would
never end) of at most ``MAX_BYTES``; at most ``MAX_VALUES`` values once aliases are expanded
(a few hundred bytes of aliases of aliases can stand for billions of values); at most
``MAX_DEPTH`` levels of nesting; and only plain YAML values (texts, numbers, true/false, null,
dates, lists and mappings), never a tag that names a Python object or anything else.

libyaml parses the file into events, which carry their line; the values are built here from
them, so the limits hold while the file is read, and we keep the line of every data path
(``("items", 3, "params", "b")``) to turn a Pydantic error location into the line a person must
edit.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from kiosk.bounded_read import MAX_BYTES, Unreadable, read_bytes
from kiosk.datafile.problems import DataFileError, Inconsistent, Loc, Problem

# The bundled questionnaire is 35 kB and 1,600 values; a site of 2,000 imported places, 1.4 MB
# and 84,000 values. A file refused at these limits costs at most a few hundred megabytes and
# two seconds (100,000 wrong values, each with its message).
MAX_VALUES = 100_000
MAX_DEPTH = 40
# No value of these files needs more digits; a longer number (in base 60, 1:1:1:...) would take
# quadratic time to build.
MAX_NUMBER_LENGTH = 40

# libyaml's parser is about ten times faster and gives the same line marks; fall back to the
# pure-Python one where PyYAML was built without it.
_PARSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Resolves a plain scalar's type (``12`` is a number) and builds it; one instance serves every
# file, and holds nothing between calls.
_SCALARS = yaml.SafeLoader("")
_YAML = "tag:yaml.org,2002:"
# The types a value may have, and how to name each in a message.
_SCALAR_TYPES = {
    f"{_YAML}str": "a text",
    f"{_YAML}int": "a whole number",
    f"{_YAML}float": "a number",
    f"{_YAML}bool": "true or false",
    f"{_YAML}null": "null",
    f"{_YAML}timestamp": "a date",
}
_TOO_DEEP = (f"nested more than {MAX_DEPTH} levels deep, far more than any questionnaire or "
             "site: check the brackets and the indentation")
_COLLECTION_TYPES = {yaml.SequenceStartEvent: f"{_YAML}seq", yaml.MappingStartEvent: f"{_YAML}map"}
_MERGE = f"{_YAML}merge"
# PyYAML gives "<<" and "=" alone types of their own; anywhere but as a key they are texts.
_LONE_SIGNS = (_MERGE, f"{_YAML}value")
# What YAML itself refuses anywhere in a file (it would stop at the first with a position in
# bytes): every control character but tab, line feed and carriage return, and non-characters.
_NOT_YAML = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Control characters a quoted text may still hold through escapes ("\e"): on a terminal they
# would move the cursor or change colours.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
ModelT = TypeVar("ModelT", bound=BaseModel)


def load_model(path: Path, model: type[ModelT]) -> ModelT:
    """The file at ``path`` as a ``model``; ``DataFileError`` with every problem found."""
    data, lines = read_yaml(path)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise DataFileError(_problems(path, model, exc, data, lines)) from None


def read_yaml(path: Path) -> tuple[Any, dict[Loc, int]]:
    """The file's data, and the line of every value and key in it."""
    text = read_text(path)
    found = _NOT_YAML.search(text)
    if found:
        line = text.count("\n", 0, found.start()) + 1
        _refuse(path, line, f"the character U+{ord(found.group()):04X} cannot be in a data file "
                "(a control character, or none at all): delete it")
    return _Builder(path, text).document()


def problem_at(path: Path, loc: Loc, message: str) -> Problem:
    """A problem at the line of ``loc`` in a file already read once (one that spans files)."""
    _, lines = read_yaml(path)
    return Problem(path, lines.get(loc, lines[()]), message)


def read_text(path: Path, max_bytes: int = MAX_BYTES) -> str:
    """The text of a data file (YAML, CSV or JSON; a byte-order mark, as spreadsheets write,
    is dropped); ``DataFileError`` if it is no regular file, is larger than ``max_bytes`` or is
    not UTF-8."""
    try:
        raw = read_bytes(path, max_bytes)
    except OSError as exc:
        _refuse(path, 0, f"cannot read the file: {exc.strerror}")
    except Unreadable as exc:
        _refuse(path, 0, f"{exc}: {exc.fix}")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        _refuse(path, line, f"not UTF-8 text ({exc.reason}): save the file as UTF-8")


def _refuse(path: Path, line: int, message: str) -> NoReturn:
    raise DataFileError([Problem(path, line, message)]) from None


@dataclass(frozen=True)
class _Anchor:
    """A value given a name (``&name``) for aliases (``*name``) to repeat: the value, and the
    stretch of the builder's places that its own values take (to repeat their lines)."""

    value: Any
    loc: Loc
    first: int
    end: int


class _Builder:
    """Builds a file's values from libyaml's events, within the limits, collecting problems."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.text = text
        self.events: Iterator[yaml.Event] = iter(yaml.parse(text, Loader=_PARSER))
        self.places: list[tuple[Loc, int]] = []  # every value's place and line, in file order
        self.anchors: dict[str, _Anchor | None] = {}  # None while the anchored value is built
        self.problems: list[Problem] = []

    def document(self) -> tuple[Any, dict[Loc, int]]:
        try:
            next(self.events)  # the stream's start
            if isinstance(next(self.events), yaml.StreamEndEvent):
                self._stop(0, "the file is empty: it needs a YAML mapping")
            data = self._value(next(self.events), (), 0)
            next(self.events)  # the document's end
            extra = next(self.events)
            if not isinstance(extra, yaml.StreamEndEvent):
                self._stop(self._line(extra), "a second document ('---') starts here: keep one "
                           "document per file")
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else 0
            if mark and self._text_at(mark).startswith("\t"):
                self._stop(line, "YAML syntax: a tab cannot indent YAML: use spaces")
            what = exc.problem or exc.context or "invalid YAML"
            # libyaml from 0.2.6 on (PyYAML 6.0.4's wheels) stops deep nesting itself, before
            # the reader's own limit sees it: the same fault, told the same way.
            if "nesting depth" in what:
                self._stop(line, _TOO_DEEP)
            self._stop(line, f"YAML syntax: {what} (check the indentation and quotes)")
        if self.problems:
            raise DataFileError(sorted(self.problems, key=lambda p: p.line))
        return data, dict(self.places)

    def _text_at(self, mark: yaml.Mark) -> str:
        # The line breaks YAML knows are those of str.splitlines (the others are refused).
        lines = self.text.splitlines()
        return lines[mark.line][mark.column:] if mark.line < len(lines) else ""

    # -- values ---------------------------------------------------------------------------------

    def _value(self, event: yaml.Event, loc: Loc, depth: int) -> Any:
        if isinstance(event, yaml.AliasEvent):
            return self._alias(event, loc)
        line = self._line(event)
        first = len(self.places)
        self._place(loc, line)
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            self.anchors[anchor] = None
        if isinstance(event, yaml.ScalarEvent):
            value = self._scalar(event)
        else:
            if depth >= MAX_DEPTH:
                self._stop(line, _TOO_DEEP)
            self._check_collection_tag(event)
            value = (self._mapping(loc, depth + 1) if isinstance(event, yaml.MappingStartEvent)
                     else self._sequence(loc, depth + 1))
        if anchor is not None:
            self.anchors[anchor] = _Anchor(value, loc, first, len(self.places))
        return value

    def _sequence(self, loc: Loc, depth: int) -> list[Any]:
        items: list[Any] = []
        for event in self._until(yaml.SequenceEndEvent):
            items.append(self._value(event, (*loc, len(items)), depth))
        return items

    def _mapping(self, loc: Loc, depth: int) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        for event in self._until(yaml.MappingEndEvent):
            line = self._line(event)
            key = self._key(event)
            if key in out:
                self._problem(line, f"key '{key}' appears twice in the same mapping: keep only one")
            index = len(self.places)
            out[key] = self._value(next(self.events), (*loc, key), depth)
            # A problem with a key's value is shown on the key's line.
            self.places[index] = ((*loc, key), line)
        return out

    def _key(self, event: yaml.Event) -> Any:
        """A key: a text or a number (a list or a mapping is no key, nor a YAML merge)."""
        line = self._line(event)
        if isinstance(event, yaml.ScalarEvent):
            if self._tag(event) == _MERGE:
                self._problem(line, "YAML merge keys ('<<') are not supported: write the keys "
                              "out in full")
            return self._scalar(event)
        if isinstance(event, yaml.AliasEvent):
            key = self._anchor(event).value
            if not isinstance(key, list | dict):
                return key
        else:
            self._skip(event)
        self._problem(line, "a list or a mapping cannot be a key: write a word")
        return object()  # keeps the value's place apart from every other

    def _alias(self, event: yaml.AliasEvent, loc: Loc) -> Any:
        line = self._line(event)
        anchor = self._anchor(event)
        if len(self.places) + anchor.end - anchor.first > MAX_VALUES:
            self._stop(line, f"the alias *{event.anchor} makes the file hold more than "
                       f"{MAX_VALUES} values (aliases of aliases multiply): write the values out")
        # The values it repeats keep the lines where they are written, where they must be fixed.
        self._place(loc, line)
        start = len(anchor.loc)
        for place, place_line in self.places[anchor.first + 1:anchor.end]:
            self._place((*loc, *place[start:]), place_line)
        return anchor.value

    def _anchor(self, event: yaml.AliasEvent) -> _Anchor:
        line = self._line(event)
        if event.anchor not in self.anchors:
            self._stop(line, f"the alias *{event.anchor} names no value: define it first with "
                       f"&{event.anchor}")
        anchor = self.anchors[event.anchor]
        if anchor is None:
            self._stop(line, f"the alias *{event.anchor} is inside the value it repeats, which "
                       "would never end: repeat another value")
        return anchor

    def _scalar(self, event: yaml.ScalarEvent) -> Any:
        line = self._line(event)
        tag = self._tag(event)
        if tag in _LONE_SIGNS:
            tag = f"{_YAML}str"
        if tag not in _SCALAR_TYPES:
            self._refuse_tag(line, tag)
            return None
        if tag in (f"{_YAML}int", f"{_YAML}float") and len(event.value) > MAX_NUMBER_LENGTH:
            self._problem(line, f"a number of more than {MAX_NUMBER_LENGTH} characters: no value "
                          "in these files needs one; check it")
            return None
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        try:
            value = _SCALARS.yaml_constructors[tag](_SCALARS, node)
        except (ValueError, KeyError, AttributeError):  # what PyYAML raises for a wrong value
            self._problem(line, f"'{_short(event.value)}' is not {_SCALAR_TYPES[tag]}: "
                          f"{_how_to_write(tag, explicit=event.tag not in (None, '!'))}")
            return None
        if isinstance(value, str) and (control := _CONTROL.search(value)):
            self._problem(line, f"the text holds the control character U+{ord(control.group()):04X}"
                          ", which would garble the screen: remove it")
        return value

    def _tag(self, event: yaml.ScalarEvent) -> str:
        if event.tag in (None, "!"):
            return str(_SCALARS.resolve(yaml.ScalarNode, event.value, event.implicit))
        return str(event.tag)

    def _check_collection_tag(self, event: yaml.Event) -> None:
        tag = getattr(event, "tag", None)
        if tag not in (None, "!", _COLLECTION_TYPES.get(type(event))):
            self._refuse_tag(self._line(event), tag)

    def _refuse_tag(self, line: int, tag: str | None) -> None:
        shown = str(tag).replace(_YAML, "!!")
        self._problem(line, f"the tag '{shown}' is not allowed: data files hold plain values "
                      "only (texts, numbers, true/false, dates, lists, mappings); remove it")

    # -- bookkeeping ----------------------------------------------------------------------------

    def _until(self, end: type[yaml.Event]) -> Iterator[yaml.Event]:
        """The events of a collection's entries, up to its ``end``."""
        while not isinstance(event := next(self.events), end):
            yield event

    def _skip(self, event: yaml.Event) -> None:
        """Past the collection that ``event`` starts."""
        depth = int(isinstance(event, yaml.CollectionStartEvent))
        while depth:
            event = next(self.events)
            depth += isinstance(event, yaml.CollectionStartEvent)
            depth -= isinstance(event, yaml.CollectionEndEvent)

    def _place(self, loc: Loc, line: int) -> None:
        """Keep where a value is, up to ``MAX_VALUES`` values."""
        if len(self.places) >= MAX_VALUES:
            self._stop(line, f"the file holds more than {MAX_VALUES} values, far more than any "
                       "questionnaire or site: check that it is the right file")
        self.places.append((loc, line))

    def _line(self, event: yaml.Event) -> int:
        return int(event.start_mark.line) + 1

    def _problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def _stop(self, line: int, message: str) -> NoReturn:
        self._problem(line, message)
        raise DataFileError(sorted(self.problems, key=lambda p: p.line))


def _short(value: str, length: int = 30) -> str:
    return value if len(value) <= length else value[:length] + "..."


def _how_to_write(tag: str, explicit: bool) -> str:
    if explicit:
        return f"remove the tag, or write {_SCALAR_TYPES[tag]}"
    if tag == f"{_YAML}timestamp":
        return "write a date that exists, as YYYY-MM-DD"
    return f"write {_SCALAR_TYPES[tag]}, or put the value in quotes to make it a text"


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
    # Every place of the file has its line; the file's first value stands for the whole.
    return lines.get(_existing(loc, data, tags), lines[()])


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
    if kind in _NUMBER_KINDS:
        return f"'{where}' must be {_NUMBER_KINDS[kind]}, not {error['input']!r}"
    message = str(error["msg"]).removeprefix("Value error, ")
    if kind in _RANGE_KINDS:
        return f"'{where}' = {error['input']!r}: {message[0].lower()}{message[1:]}"
    return f"'{where}': {message}"


# Number errors, said with the value found: true, "1e5" (a text in YAML) or .inf are easy to
# miss.
_NUMBER_KINDS = {
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number (1.0e+5, not 1e5)",
    "finite_number": "a finite number",
}
_RANGE_KINDS = {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}
