"""Merging exports of several kiosks or sites into one: each record once, k-anonymous again.

Each file is read with its description (``FILE.meta.json``), whose checksum it must still
match. Files are merged when they hold the same kind of records of the same questionnaire (its
versions may differ, and so may the schema, as long as this kiosk knows every column); any
other file is refused, with what differs. A record found in several files (its result id, or an
answer sheet's id) is kept once. The merged records are made k-anonymous again: a combination
that was common in each file may be rare once duplicates are gone, and is then coarsened.
Rows go out in the order of their random ids, which says nothing of any file's order.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from kiosk.exports.anonymity import generalise, key_of
from kiosk.exports.columns import PERIOD, Column, from_row, row_maker
from kiosk.exports.export import (
    KINDS,
    ExportError,
    Found,
    Request,
    What,
    check_request,
    describe,
)
from kiosk.exports.metadata import ExportMetadata, Source, file_digest, sidecar
from kiosk.exports.writers import open_writer


@dataclass(frozen=True)
class Merged:
    metadata: ExportMetadata
    duplicates: int  # records found in more than one file, kept once


def merge(files: Sequence[Path], request: Request) -> Merged:
    if not files:
        raise ExportError("give the exports to merge")
    check_request(request)
    described = [_described(path) for path in files]
    what = _compatible(files, described)
    records: dict[str, dict[str, Any]] = {}
    duplicates = 0
    for path, about in zip(files, described, strict=True):
        for record in _records(path, about, what):
            if record[what.id_column] in records:
                duplicates += 1
            else:
                records[record[what.id_column]] = record
    found = Found()
    for record in records.values():
        found.add(record, what, record[PERIOD])
    plan = generalise(found.classes, request.k, what.quasi_identifiers.index("period"))
    columns = what.columns(found.open_keys)
    row_of = row_maker(columns)
    writer = open_writer(request.file_format, request.out, [c.name for c in columns],
                         what.sheet, request.delimiter)
    try:
        for record_id in sorted(records):
            record = records[record_id]
            period = plan.periods[key_of(record, what.quasi_identifiers, record[PERIOD])]
            if period is not None:
                line = {**record, PERIOD: period}
                writer.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")).encode(),
                             row_of(line, period) if writer.needs_rows else [])
        metadata = describe(
            what, request, columns, found, plan, writer.finish(),
            any(a.synthetic_included for a in described),
            [Source(file=p.name, records=a.records, checksum=a.checksum.value)
             for p, a in zip(files, described, strict=True)])
        writer.seal(metadata)
    except BaseException:
        writer.abort()
        raise
    return Merged(metadata, duplicates)


def _described(path: Path) -> ExportMetadata:
    if path.suffix.lower() not in (".csv", ".jsonl"):
        raise ExportError(f"{path}: merge reads CSV or JSON-lines exports (export the records "
                          "again with --format csv or jsonl)")
    about = sidecar(path)
    try:
        metadata = ExportMetadata.model_validate_json(about.read_bytes())
    except FileNotFoundError as exc:
        raise ExportError(f"{path}: no description beside it ({about.name}): merge reads the "
                          "kiosk's exports with their .meta.json") from exc
    except ValidationError as exc:
        raise ExportError(f"{about}: not a kiosk export's description ({exc.error_count()} "
                          "problems): merge reads the kiosk's exports as written") from exc
    if metadata.checksum.of != "file" or file_digest(path) != metadata.checksum.value:
        raise ExportError(f"{path}: its content no longer matches the checksum in {about.name}: "
                          "the file changed after it was exported; merge the kiosk's own files")
    return metadata


def _compatible(files: Sequence[Path], described: Sequence[ExportMetadata]) -> What:
    first, about = files[0], described[0]
    what = KINDS[about.kind]
    questionnaires = {q.id for q in about.questionnaires}
    for path, other in zip(files[1:], described[1:], strict=True):
        if other.kind != about.kind:
            raise ExportError(f"{path}: {other.kind} cannot be merged with {about.kind} "
                              f"({first.name}): merge records with records, sheets with sheets")
        theirs = {q.id for q in other.questionnaires}
        if questionnaires and theirs and theirs != questionnaires:
            raise ExportError(
                f"{path}: questionnaire {', '.join(sorted(theirs))} cannot be merged with "
                f"{', '.join(sorted(questionnaires))} ({first.name}): their levels do not "
                "measure the same things; merge each questionnaire's exports apart")
    for path, other in zip(files, described, strict=True):
        known = {c.name for c in what.columns()}
        unknown = [c for c in other.columns if c not in known
                   and not c.startswith("answer_")]
        if unknown:
            raise ExportError(
                f"{path}: columns {', '.join(unknown)} are unknown to this kiosk (schema "
                f"{other.schema_version}): merge with a kiosk of that version or newer")
    return what


def _records(path: Path, about: ExportMetadata, what: What) -> Iterator[dict[str, Any]]:
    if about.file_format == "jsonl":
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    yield json.loads(line)
        return
    columns = what.columns(c.removeprefix("answer_") for c in about.columns
                           if c.startswith("answer_"))
    with open(path, encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle, delimiter=about.delimiter or ","):
            yield from_row(what.model, columns, _values(columns, row))


def _values(columns: list[Column], row: dict[str, str]) -> list[Any]:
    """A CSV row's cells, typed as stored; a column an older schema did not have is empty."""
    return [column.parse(row.get(column.name) or "") for column in columns]
