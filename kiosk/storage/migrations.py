"""Schema versions of stored records, and how older data is brought up to date on open.

Every record carries ``schema_version``. ``MIGRATIONS[n]`` turns a version-``n`` record (a plain
dict) into a version ``n + 1`` one, and may hand out answer sheets it takes from it; opening a
journal whose header says an older version runs the chain on every record and rewrites the file
atomically. A record or file of a *newer* version than this kiosk knows is refused with
:class:`SchemaVersionError`: guessing would risk writing over data a newer kiosk needs.

Version 1 kept one record per visit with its answers and context answers; version 2 splits it
(see ``kiosk.records``): :func:`split_v1` makes the statistical record, the answer sheet and
the visit's contribution to its week's tally. Version 3 adds optional fields for what a
mediator records in a guided session (:func:`add_guided_fields`): older records, sheets and
tallies are valid as they are.

The first prototype's *file* layout, a TinyDB ``results.json``, is read by
:func:`legacy_records` (even a truncated one) so that the store can import it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kiosk.records import REASON_QUESTION, SCHEMA_VERSION, duration_band, given, quarter
from kiosk.storage.errors import SchemaVersionError

Raw = dict[str, Any]


@dataclass
class Migrated:
    """A record brought up to date, and what the steps took out of it for the other files."""

    record: Raw
    sheets: list[Raw] = field(default_factory=list)  # AnswerSheet
    counted: list[Raw] = field(default_factory=list)  # Counted, for the week's tally


Migration = Callable[[Raw], Migrated]


def split_v1(raw: Raw) -> Migrated:
    """A version-1 record as a version-2 statistical record, its answer sheet, and what it
    adds to its week's tally."""
    context = raw.get("context") or {}
    record = {
        "schema_version": 2,
        "result_id": raw["result_id"],
        "questionnaire_id": raw["questionnaire_id"],
        "questionnaire_version": raw["questionnaire_version"],
        "site_id": raw["site_id"],
        "mode": raw["mode"],
        "iso_week": raw["iso_week"],
        "duration": duration_band(raw["duration_minutes"]),
        "questions_asked": raw["questions_asked"],
        "completion": raw["completion"],
        "levels": raw["levels"],
        "pathway": raw["pathway"],
        "synthetic": raw.get("synthetic", False),
    }
    counted = {
        "site_id": raw["site_id"], "iso_week": raw["iso_week"],
        "synthetic": raw.get("synthetic", False), "language": raw["language"],
        "age_band": given(raw.get("age_band")), "reason": given(context.get(REASON_QUESTION)),
        "needs": raw["access_needs"], "pathway": raw["pathway"],
    }
    if not raw.get("answers"):
        return Migrated(record, [], [counted])
    year, week = str(raw["iso_week"]).split("-W")
    sheet = {
        "schema_version": 2,
        "questionnaire_id": raw["questionnaire_id"],
        "questionnaire_version": raw["questionnaire_version"],
        "quarter": quarter(date.fromisocalendar(int(year), int(week), 1)),
        "answers": raw["answers"],
        "synthetic": raw.get("synthetic", False),
    }
    return Migrated(record, [sheet], [counted])


def add_guided_fields(raw: Raw) -> Migrated:
    """A version-2 record, answer sheet or set of tallies as a version-3 one: the new fields
    (what a mediator records, the themes counted per week) are optional, and a visit of
    version 2 had none."""
    return Migrated({**raw, "schema_version": 3})


MIGRATIONS: dict[int, Migration] = {1: split_v1, 2: add_guided_fields}


def migrate(
    raw: Raw, registry: Mapping[int, Migration] = MIGRATIONS, target: int = SCHEMA_VERSION
) -> Migrated:
    """The record brought to ``target``, one registered step at a time, with what the steps
    took out of it for the other files."""
    version = raw.get("schema_version")
    if not isinstance(version, int):
        raise SchemaVersionError(f"record {raw.get('result_id', '?')} has no schema_version")
    if version > target:
        raise SchemaVersionError(
            f"record {raw.get('result_id', '?')} has schema version {version}, but this kiosk "
            f"knows versions up to {target}: it was written by a newer kiosk; update this one"
        )
    done = Migrated(raw)
    while version < target:
        step = registry.get(version)
        if step is None:
            raise SchemaVersionError(f"no migration from schema version {version} to {version + 1}")
        taken = step(dict(done.record))
        # A sheet a step took out is of that step's version: the later steps bring it up too.
        sheets = [migrate(sheet, registry, target).record for sheet in taken.sheets]
        done = Migrated(taken.record, done.sheets + sheets, done.counted + taken.counted)
        if done.record.get("schema_version") != version + 1:
            raise SchemaVersionError(
                f"migration from version {version} did not reach {version + 1}"
            )
        version += 1
    return done


def legacy_records(text: str) -> Iterator[Raw]:
    """Records of a prototype TinyDB file (``{"_default": {"1": {...}, ...}}``).

    Reads every record object that is complete, so a file cut short still gives up everything
    before the cut: each object starts with ``{"schema_version"`` (the model's first field).
    """
    decoder = json.JSONDecoder()
    start = text.find('{"schema_version"')
    while start != -1:
        try:
            raw, end = decoder.raw_decode(text, start)
        except json.JSONDecodeError:
            end = start + 1
        else:
            if isinstance(raw, dict):
                yield raw
        start = text.find('{"schema_version"', end)
