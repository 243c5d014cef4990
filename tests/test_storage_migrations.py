"""Schema versions: v1 files open unchanged, newer ones are refused, older ones are migrated.

Version 1 is the first schema ever stored, so the registry is empty; the file-level migration
is checked with a version-0 layout registered by the test itself (``status`` for
``completion``), which exercises exactly the path a real future migration will take.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from storage_checks import example_record
from tinydb import TinyDB

from kiosk.storage import ResultStore, SchemaVersionError
from kiosk.storage import migrations as registry
from kiosk.storage.journal import Header, record_line
from kiosk.storage.migrations import migrate


def write_journal(path: Path, version: int, raws: list[dict[str, Any]]) -> None:
    lines = [record_line(r["result_id"], False, json.dumps(r).encode()) for r in raws]
    path.write_bytes(Header.fresh(version).line() + b"".join(lines))


def v0_from_v1(record: dict[str, Any]) -> dict[str, Any]:
    old = dict(record, schema_version=0, status=record["completion"])
    del old["completion"]
    return old


def v0_to_v1(record: dict[str, Any]) -> dict[str, Any]:
    new = dict(record, schema_version=1, completion=record["status"])
    del new["status"]
    return new


def test_a_v1_file_opens_unchanged(tmp_path: Path) -> None:
    store = ResultStore(tmp_path)
    store.save(example_record())
    before = store.path.read_bytes()
    assert ResultStore(tmp_path).count() == 1
    assert store.path.read_bytes() == before


def test_a_file_from_a_newer_kiosk_is_refused_and_left_alone(tmp_path: Path) -> None:
    raw = example_record().model_dump(mode="json") | {"schema_version": 2}
    path = tmp_path / "results.jsonl"
    write_journal(path, 2, [raw])
    before = path.read_bytes()
    with pytest.raises(SchemaVersionError, match="newer kiosk"):
        ResultStore(tmp_path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.jsonl", "results.jsonl.lock"]


def test_an_older_file_is_migrated_on_open_and_the_original_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(registry.MIGRATIONS, 0, v0_to_v1)
    records = [example_record(completion="abandoned"), example_record()]
    path = tmp_path / "results.jsonl"
    write_journal(path, 0, [v0_from_v1(r.model_dump(mode="json")) for r in records])
    original = path.read_bytes()

    store = ResultStore(tmp_path)

    assert list(store.records()) == records
    [kept] = tmp_path.glob("results.jsonl.schema-v0-*")
    assert kept.read_bytes() == original
    assert store.incidents == []


def test_migrate_applies_each_step_and_refuses_gaps() -> None:
    v1 = example_record().model_dump(mode="json")
    assert migrate(v0_from_v1(v1), {0: v0_to_v1}) == v1
    assert migrate(v1) == v1  # current records pass untouched
    with pytest.raises(SchemaVersionError, match="no migration from schema version 0"):
        migrate(v0_from_v1(v1), {})
    with pytest.raises(SchemaVersionError, match="did not reach 1"):
        migrate(v0_from_v1(v1), {0: lambda raw: raw})
    with pytest.raises(SchemaVersionError, match="newer kiosk"):
        migrate(v1 | {"schema_version": 3})


def test_the_prototype_tinydb_file_is_imported_once_and_kept(tmp_path: Path) -> None:
    records = [example_record(), example_record(synthetic=True)]
    with TinyDB(tmp_path / "results.json") as db:  # the first prototype's store
        for record in records:
            db.insert(record.model_dump(mode="json"))
    original = (tmp_path / "results.json").read_bytes()

    store = ResultStore(tmp_path)

    assert list(store.records(include_synthetic=True)) == records
    assert store.incidents == []
    assert not (tmp_path / "results.json").exists()
    [kept] = tmp_path.glob("results.jsonl.imported-*")
    assert kept.read_bytes() == original
    assert ResultStore(tmp_path).count() == 2
