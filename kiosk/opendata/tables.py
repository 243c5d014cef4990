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


def read_rows(path: Path) -> list[tuple[int, Row]]:
    """``(number, fields)`` of every record; DataFileError naming the file when it is unreadable."""
    text = read_text(path)
    if path.suffix.lower() == ".json" or text.lstrip()[:1] in ("[", "{"):
        return _json_rows(path, text)
    return list(_csv_rows(text))


def _json_rows(path: Path, text: str) -> list[tuple[int, Row]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataFileError(
            [Problem(path, exc.lineno, f"JSON syntax: {exc.msg} (check the commas and quotes)")]
        ) from None
    if isinstance(data, dict):  # an API page: {"items": [...]}
        data = data.get("items", data.get("data"))
    if not isinstance(data, list):
        raise DataFileError(
            [Problem(path, 1, "expected a list of records (or {\"items\": [...]})")]
        )
    return [(i, row) for i, row in enumerate(data, start=1) if isinstance(row, dict)]


def _csv_rows(text: str) -> Iterator[tuple[int, Row]]:
    header = text.split("\n", 1)[0]
    # A French spreadsheet writes ';' between columns; the standard's files write ','.
    delimiter = max(",;\t", key=header.count)
    reader = csv.DictReader(text.splitlines(keepends=True), delimiter=delimiter)
    for row in reader:
        cleaned = {
            (k or "").strip(): (v or "").strip() for k, v in row.items() if isinstance(v, str)
        }
        if any(cleaned.values()):
            yield reader.line_num, cleaned


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
