"""Schema versions of stored records, and how older data is brought up to date on open.

Every record carries ``schema_version``. ``MIGRATIONS[n]`` turns a version-``n`` record (a plain
dict) into a version ``n + 1`` one; opening a journal whose header says an older version runs
the chain on every record and rewrites the file atomically. A record or file of a *newer*
version than this kiosk knows is refused with :class:`SchemaVersionError`: guessing would risk
writing over data a newer kiosk needs.

Version 1 is the first version ever stored (the first prototype already wrote it), so the
registry is empty: no earlier layout existed, and none is invented here. What did exist is the
prototype's *file* layout, a TinyDB ``results.json``; :func:`legacy_records` reads it (even a
truncated one) so that the store can import it into the journal.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from kiosk.records import SCHEMA_VERSION
from kiosk.storage.errors import SchemaVersionError

Raw = dict[str, Any]
Migration = Callable[[Raw], Raw]

MIGRATIONS: dict[int, Migration] = {}


def migrate(
    raw: Raw, registry: Mapping[int, Migration] = MIGRATIONS, target: int = SCHEMA_VERSION
) -> Raw:
    """The record brought to ``target``, one registered step at a time."""
    version = raw.get("schema_version")
    if not isinstance(version, int):
        raise SchemaVersionError(f"record {raw.get('result_id', '?')} has no schema_version")
    if version > target:
        raise SchemaVersionError(
            f"record {raw.get('result_id', '?')} has schema version {version}, but this kiosk "
            f"knows versions up to {target}: it was written by a newer kiosk; update this one"
        )
    while version < target:
        step = registry.get(version)
        if step is None:
            raise SchemaVersionError(f"no migration from schema version {version} to {version + 1}")
        raw = step(dict(raw))
        if raw.get("schema_version") != version + 1:
            raise SchemaVersionError(
                f"migration from version {version} did not reach {version + 1}"
            )
        version += 1
    return raw


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
