"""Writing an export row by row, in CSV, JSON lines or a workbook, into a temporary file that
takes its name only once complete: a stick pulled out halfway leaves no file that looks whole.

- CSV: UTF-8 with a byte-order mark (spreadsheets then read accents right), a comma between
  columns (what pandas and DuckDB read without being told; ``;`` on request, for Excel in a
  French locale), CRLF line ends, quotes only where needed.
- JSON lines: one record a line, its stored nesting kept.
- Workbook (xlsxwriter, in constant memory): a first sheet that says what the file is, then
  the rows.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import secrets
from pathlib import Path
from typing import IO, Any, Protocol

from kiosk.exports.metadata import Checksum, ExportMetadata, FileFormat, file_digest, sidecar


class Writer(Protocol):
    # Whether ``write`` reads the row (JSON lines write the record's JSON as it is; building
    # its row anyway would cost as much as the rest of the export).
    needs_rows: bool

    def write(self, record: bytes, row: list[Any]) -> None:
        """One record: its JSON as exported, and its values in the columns' order."""
        ...

    def finish(self) -> Checksum:
        """All rows are written: their checksum."""
        ...

    def seal(self, metadata: ExportMetadata) -> None:
        """Write what the file is, and give the file its name."""
        ...

    def abort(self) -> None: ...


def open_writer(file_format: FileFormat, path: Path, columns: list[str], sheet: str,
                delimiter: str = ",") -> Writer:
    if file_format == "csv":
        return CsvWriter(path, columns, delimiter)
    if file_format == "jsonl":
        return JsonLinesWriter(path)
    return WorkbookWriter(path, columns, sheet)


def temporary(path: Path) -> Path:
    return path.with_name(f".{path.name}.tmp-{secrets.token_hex(4)}")


def place(tmp: Path, path: Path) -> None:
    """Give a complete file its name, durably."""
    with open(tmp, "rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def write_sidecar(path: Path, metadata: ExportMetadata) -> None:
    target = sidecar(path)
    tmp = temporary(target)
    try:
        tmp.write_text(metadata.model_dump_json(indent=1) + "\n", encoding="utf-8")
        place(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


class _FileWriter:
    """A CSV or JSON-lines file: checksummed as a file, described beside it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tmp = temporary(path)

    def finish(self) -> Checksum:
        self._close()
        return Checksum(of="file", value=file_digest(self.tmp))

    def seal(self, metadata: ExportMetadata) -> None:
        place(self.tmp, self.path)
        write_sidecar(self.path, metadata)

    def abort(self) -> None:
        self._close()
        self.tmp.unlink(missing_ok=True)

    def _close(self) -> None:
        raise NotImplementedError


class CsvWriter(_FileWriter):
    needs_rows = True

    def __init__(self, path: Path, columns: list[str], delimiter: str) -> None:
        super().__init__(path)
        self._handle: IO[str] = open(self.tmp, "x", encoding="utf-8-sig", newline="")  # noqa: SIM115
        self._csv = csv.writer(self._handle, delimiter=delimiter, lineterminator="\r\n")
        self._csv.writerow(columns)

    def write(self, record: bytes, row: list[Any]) -> None:
        self._csv.writerow(row)  # None is written empty, booleans as True and False

    def _close(self) -> None:
        self._handle.close()


class JsonLinesWriter(_FileWriter):
    needs_rows = False

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self._handle: IO[bytes] = open(self.tmp, "xb")  # noqa: SIM115

    def write(self, record: bytes, row: list[Any]) -> None:
        self._handle.write(record + b"\n")

    def _close(self) -> None:
        self._handle.close()


class WorkbookWriter:
    """A workbook: the sheet "about" first (written last: constant-memory mode writes each
    sheet row by row, and the rows' count and checksum are known only at the end), then the
    rows. Its checksum is of the rows, each as a JSON array and a newline."""

    needs_rows = True

    def __init__(self, path: Path, columns: list[str], sheet: str) -> None:
        import xlsxwriter

        self.path = path
        self.tmp = temporary(path)
        # The workbook's working files go beside it, not to a shared temporary folder.
        self._book = xlsxwriter.Workbook(str(self.tmp), {"constant_memory": True,
                                                         "tmpdir": str(path.parent)})
        self._about = self._book.add_worksheet("about")
        self._rows = self._book.add_worksheet(sheet)
        self._rows.write_row(0, 0, columns)
        self._bold = self._book.add_format({"bold": True})
        self._count = 0
        self._digest = hashlib.sha256()

    def write(self, record: bytes, row: list[Any]) -> None:
        self._count += 1
        self._rows.write_row(self._count, 0, row)
        self._digest.update(row_line(row))

    def finish(self) -> Checksum:
        return Checksum(of="rows", value=self._digest.hexdigest())

    def seal(self, metadata: ExportMetadata) -> None:
        self._about.set_column(0, 0, 24)
        self._about.set_column(1, 1, 100)
        for i, (name, value) in enumerate(about_rows(metadata)):
            self._about.write_string(i, 0, name, self._bold)
            self._about.write_string(i, 1, value)
        self._book.close()
        place(self.tmp, self.path)

    def abort(self) -> None:
        try:
            self._book.close()
        finally:
            self.tmp.unlink(missing_ok=True)


def row_line(row: list[Any]) -> bytes:
    """A workbook row as its checksum counts it."""
    return json.dumps(row, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def about_rows(metadata: ExportMetadata) -> list[tuple[str, str]]:
    """What a workbook's first sheet says, one line a field; the last line holds it all as
    JSON, for programs."""
    data = metadata.model_dump(mode="json")
    lines = [(name, value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
             for name, value in data.items() if name != "columns"]
    return [*lines, ("metadata_json", metadata.model_dump_json())]
