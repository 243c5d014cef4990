"""Exporting the anonymised records of a kiosk, streamed from the store in two readings.

1. In the store's order, counting each combination of quasi-identifiers (and what the file
   will say of itself: sites, periods, questionnaire versions); only each record's place in
   the file is kept.
2. In the order of the records' random ids (so the file's order says nothing of who came
   when), each record written with its period coarsened where its combination is rare, or
   left out.

Statistical records and answer sheets go to separate files, each in its own random order:
nothing in one leads to the other.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pydantic_core
from pydantic import BaseModel

from kiosk.exports.anonymity import (
    RECORD_QUASI_IDENTIFIERS,
    SHEET_QUASI_IDENTIFIERS,
    Generalisation,
    generalise,
    key_of,
)
from kiosk.exports.columns import Column, columns_of, row_maker, with_period
from kiosk.exports.metadata import (
    Anonymity,
    Checksum,
    ExportMetadata,
    FileFormat,
    Kind,
    Questionnaire,
    Source,
    rule,
    sidecar,
)
from kiosk.exports.writers import open_writer
from kiosk.records import AnswerSheet, VisitRecord
from kiosk.stats.counting import Selection
from kiosk.stats.periods import period_of
from kiosk.stats.suppression import DEFAULT_K, MIN_K
from kiosk.storage.store import ResultStore

FORMATS: dict[str, FileFormat] = {"csv": "csv", "jsonl": "jsonl", "xlsx": "xlsx"}


class ExportError(ValueError):
    """An export that cannot be made, and what to do."""


@dataclass(frozen=True)
class What:
    """One kind of export: the records' model, its quasi-identifiers, how a stored record
    says when, and the field that tells one record from another (an answer sheet has no id
    of its own: its stored line's random id, unrelated to the result id, is written)."""

    kind: Kind
    model: type[BaseModel]
    quasi_identifiers: tuple[str, ...]
    when: str
    sheet: str  # the workbook sheet's name
    id_column: str
    line_id: bool  # the id column is the stored line's id, not a field

    def columns(self, open_keys: Iterable[str] = ()) -> list[Column]:
        own = [Column(self.id_column, (self.id_column,))] if self.line_id else []
        return [*own, *columns_of(self.model, open_keys)]


RECORDS = What("visit_records", VisitRecord, RECORD_QUASI_IDENTIFIERS, "iso_week", "records",
               "result_id", line_id=False)
SHEETS = What("answer_sheets", AnswerSheet, SHEET_QUASI_IDENTIFIERS, "quarter", "answer_sheets",
              "sheet_id", line_id=True)
KINDS = {what.kind: what for what in (RECORDS, SHEETS)}


@dataclass(frozen=True)
class Request:
    file_format: FileFormat
    out: Path
    selection: Selection = Selection()  # noqa: RUF009 (frozen: one shared default is safe)
    k: int = DEFAULT_K
    delimiter: str = ","


def file_format_of(out: Path, given: str | None) -> FileFormat:
    """The format asked for, else the one ``out``'s suffix names."""
    name = given or out.suffix.lstrip(".").lower()
    if name not in FORMATS:
        raise ExportError(f"--format: use csv, jsonl or xlsx (not '{name}')" if given else
                          f"{out}: say --format csv, jsonl or xlsx (the suffix does not)")
    return FORMATS[name]


def check_target(out: Path) -> None:
    """Refuse before any work a target that exists (an export never overwrites) or whose
    folder does not."""
    for path in (out, sidecar(out)):
        if path.exists():
            raise ExportError(f"{path} already exists; an export never overwrites: choose "
                              "another --out")
    if not out.parent.is_dir():
        raise ExportError(f"{out.parent} is not a folder: create it, or choose another --out")


def check_request(request: Request) -> None:
    """Refuse before any work a k too small or a target that cannot be written."""
    if request.k < MIN_K:
        raise ExportError(f"--min-count {request.k} is too small: use {MIN_K} or more")
    check_target(request.out)


def export_records(store: ResultStore, request: Request) -> ExportMetadata:
    return _export(store, request, RECORDS)


def export_sheets(store: ResultStore, request: Request) -> ExportMetadata:
    if request.selection.sites:
        raise ExportError("answer sheets keep no site: export them without --site")
    return _export(store, request, SHEETS)


def _export(store: ResultStore, request: Request, what: What) -> ExportMetadata:
    check_request(request)
    snapshot = store.snapshot("record" if what is RECORDS else "sheet",
                              request.selection.include_synthetic)
    try:
        keeps = _keeper(request.selection, what)
        found = Found()
        for _, raw_json in snapshot:
            raw = pydantic_core.from_json(raw_json)
            if keeps(raw):
                found.add(raw, what)
        plan = generalise(found.classes, request.k, what.quasi_identifiers.index("period"))
        return _write(snapshot.by_id(), request, what, found, plan, keeps)
    finally:
        snapshot.close()


class Found:
    """What the first reading gathers: the combinations and what the file will say."""

    def __init__(self) -> None:
        self.classes: Counter[tuple[object, ...]] = Counter()
        self.questionnaires: Counter[tuple[str, str]] = Counter()
        self.sites: set[str] = set()
        self.schema = 0
        self.synthetic = False
        self.open_keys: set[str] = set()  # an answer sheet's items

    def add(self, raw: dict[str, Any], what: What, period: str | None = None) -> None:
        """A record: as stored (its time in ``what.when``), or as exported (``period``)."""
        self.classes[key_of(raw, what.quasi_identifiers, period or raw[what.when])] += 1
        self.questionnaires[raw["questionnaire_id"], raw["questionnaire_version"]] += 1
        self.schema = max(self.schema, raw["schema_version"])
        self.synthetic |= bool(raw.get("synthetic"))
        if "site_id" in raw:
            self.sites.add(raw["site_id"])
        if what is SHEETS:
            self.open_keys.update(raw["answers"])


Keeps = Callable[[dict[str, Any]], bool]


def _keeper(selection: Selection, what: What) -> Keeps:
    """Whether a stored record is within the selection (a sheet: its quarter overlaps it)."""
    if what is RECORDS:
        return lambda raw: selection.keeps(raw["site_id"], raw["iso_week"])
    first = period_of(selection.since, "quarter") if selection.since else None
    last = period_of(selection.until, "quarter") if selection.until else None
    return lambda raw: (not first or raw["quarter"] >= first) and (
        not last or raw["quarter"] <= last)


def _write(records: Iterator[tuple[str, bytes]], request: Request, what: What, found: Found,
           plan: Generalisation, keeps: Keeps) -> ExportMetadata:
    columns = what.columns(found.open_keys)
    row_of = row_maker(columns)
    writer = open_writer(request.file_format, request.out, [c.name for c in columns], what.sheet,
                         request.delimiter)
    try:
        for line_id, raw_json in records:
            raw = pydantic_core.from_json(raw_json)
            if not keeps(raw):
                continue
            period = plan.periods[key_of(raw, what.quasi_identifiers, raw[what.when])]
            if period is None:
                continue
            exported = with_period(raw_json, what.model, period)
            if what.line_id:
                raw[what.id_column] = line_id
                exported = b'{"%s":"%s",%s' % (what.id_column.encode(), line_id.encode(),
                                               exported[1:])
            writer.write(exported, row_of(raw, period) if writer.needs_rows else [])
        metadata = describe(what, request, columns, found, plan, writer.finish(),
                            request.selection.include_synthetic and found.synthetic)
        writer.seal(metadata)
    except BaseException:
        writer.abort()
        raise
    return metadata


def describe(what: What, request: Request, columns: list[Column], found: Found,
             plan: Generalisation, checksum: Checksum, synthetic: bool,
             sources: list[Source] | None = None) -> ExportMetadata:
    """What a written export says about itself."""
    return ExportMetadata(
        kind=what.kind, file=request.out.name, file_format=request.file_format,
        encoding={"csv": "utf-8-sig", "jsonl": "utf-8"}.get(request.file_format),
        delimiter=request.delimiter if request.file_format == "csv" else None,
        schema_version=found.schema, columns=[c.name for c in columns], records=plan.kept,
        sites=sorted(found.sites), **_span(found, what),
        questionnaires=[Questionnaire(id=q, version=v, records=n)
                        for (q, v), n in sorted(found.questionnaires.items())],
        synthetic_included=synthetic,
        anonymity=Anonymity(k=request.k, quasi_identifiers=list(what.quasi_identifiers),
                            periods=dict(plan.by_step), left_out=plan.left_out),
        suppression_rule=rule(request.k, what.quasi_identifiers), checksum=checksum,
        sources=sources or [])


def _span(found: Found, what: What) -> dict[str, str | None]:
    """The first and last stored period (week or quarter) of the records found."""
    at = what.quasi_identifiers.index("period")
    periods = sorted(str(key[at]) for key in found.classes)
    return {"first_period": periods[0] if periods else None,
            "last_period": periods[-1] if periods else None}

