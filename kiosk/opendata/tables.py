"""Rows of a published table, CSV or JSON, each with the number a person finds it at.

In a CSV file a row's number is its line (the header is line 1); in a JSON file it is the
record's place in the list (the first is 1). Multi-valued fields are separated by ``|`` in the
standards' current text and by ``;`` in older files: both are read.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kiosk.datafile import DataFileError, Problem, read_text

Row = dict[str, Any]
# A network's national file is read whole, then filtered by commune: the French one is some
# tens of megabytes.
MAX_TABLE_BYTES = 64 * 1024 * 1024


def read_rows(path: Path) -> list[tuple[int, Row]]:
    """``(number, fields)`` of every record; DataFileError naming the file when it is unreadable."""
    text = read_text(path, MAX_TABLE_BYTES)
    if path.suffix.lower() == ".json" or text.lstrip()[:1] in ("[", "{"):
        return _json_rows(path, text)
    return list(_csv_rows(path, text))


def _json_rows(path: Path, text: str) -> list[tuple[int, Row]]:
    try:
        data = json.loads(text, parse_int=_whole_number)
    except json.JSONDecodeError as exc:
        raise DataFileError(
            [Problem(path, exc.lineno, f"JSON syntax: {exc.msg} (check the commas and quotes)")]
        ) from None
    except _TooLong as exc:
        line = text.count("\n", 0, text.index(exc.digits)) + 1
        raise DataFileError(
            [Problem(path, line, f"a number of more than {MAX_DIGITS} digits: no field needs one")]
        ) from None
    except RecursionError:  # the decoder's own limit, far beyond any record's nesting
        raise DataFileError([Problem(
            path, _deep_line(text), "lists or objects nested too deep: this is not a table of "
            "places (check that it is the right file)",
        )]) from None
    if isinstance(data, dict):  # an API page: {"items": [...]}
        data = data.get("items", data.get("data"))
    if not isinstance(data, list):
        raise DataFileError(
            [Problem(path, 1, "expected a list of records (or {\"items\": [...]})")]
        )
    return [(i, row) for i, row in enumerate(data, start=1) if isinstance(row, dict)]


def _csv_rows(path: Path, text: str) -> Iterator[tuple[int, Row]]:
    header = text.split("\n", 1)[0]
    # A French spreadsheet writes ';' between columns; the standard's files write ','.
    delimiter = max(",;\t", key=header.count)
    reader = csv.DictReader(text.splitlines(keepends=True), delimiter=delimiter)
    try:
        for row in reader:
            cleaned = {
                (k or "").strip(): (v or "").strip() for k, v in row.items() if isinstance(v, str)
            }
            if any(cleaned.values()):
                yield reader.line_num, cleaned
    except csv.Error as exc:  # a field longer than the csv module's limit (128 kB)
        line = reader.reader.line_num  # the row being read (the DictReader's is the last read)
        raise DataFileError(
            [Problem(path, line, f"CSV: {exc} (check the quotes around this row)")]
        ) from None


# A string, a bracket or a line break of a JSON text.
_JSON_MARKS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}\n]')
# Records of places are a few levels deep; where a file goes far deeper is what to look at.
DEEP = 100


def _deep_line(text: str) -> int:
    """The line where a JSON text is first nested more than ``DEEP`` levels deep."""
    depth, line = 0, 1
    for mark in _JSON_MARKS.finditer(text):
        sign = mark.group()
        line += sign == "\n"
        depth += (sign in "[{") - (sign in "]}")
        if depth > DEEP:
            break
    return line


class _TooLong(ValueError):
    def __init__(self, digits: str) -> None:
        super().__init__(digits)
        self.digits = digits


# No field of a place needs a longer number; building a much longer one takes quadratic time.
MAX_DIGITS = 40


def _whole_number(digits: str) -> int:
    if len(digits) > MAX_DIGITS:
        raise _TooLong(digits)
    return int(digits)


def values(field: Any) -> list[str]:
    """The items of a multi-valued field: ``"a|b"``, ``"a;b"`` or a JSON list."""
    if field is None:
        return []
    if isinstance(field, list):
        return [str(v).strip() for v in field if str(v).strip()]
    return [v for v in re.split(r"\s*[|;]\s*", str(field).strip()) if v]


def text(field: Any) -> str | None:
    """A single-valued field, None when empty."""
    if field is None:
        return None
    value = str(field).strip()
    return value or None
