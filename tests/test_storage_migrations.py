"""Schema versions: current files open unchanged, newer ones are refused (damaged or not), and
version-1 journals (one record with answers and context) are split into the two stores."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from storage_checks import example_counted, example_record, example_sheet
from tinydb import TinyDB

from kiosk.records import SCHEMA_VERSION, VisitRecord
from kiosk.storage import ResultStore, SchemaVersionError
from kiosk.storage.journal import Header, entry_line, parse_entry, parse_header
from kiosk.storage.migrations import Migrated, add_guided_fields, migrate, split_v1

NEWER = SCHEMA_VERSION + 1


def v1_record(**changes: Any) -> dict[str, Any]:
    """A record as the kiosk stored it before the split."""
    return {
        "schema_version": 1, "result_id": example_record().result_id,
        "questionnaire_id": "competences-numeriques", "questionnaire_version": "1.1.0",
        "site_id": "geneve", "mode": "self", "language": "fr", "iso_week": "2026-W05",
        "duration_minutes": 7, "questions_asked": 10, "completion": "completed",
        "levels": {"devices": 1, "information": 2, "communication": 1, "documents": 0,
                   "procedures": 0, "safety": 1},
        "pathway": "first_steps", "access_needs": ["identity"],
        "answers": {"dev-wifi": "with_help", "pro-account": "not_yet"},
        "context": {"visit_reason": "health", "urgency": "no", "equipment": "phone_only"},
        "age_band": "80+", "synthetic": False, **changes,
    }


def write_journal(path: Path, version: int, raws: list[dict[str, Any]], tail: bytes = b"") -> None:
    lines = [entry_line(r["result_id"], "record", False, json.dumps(r).encode()) for r in raws]
    path.write_bytes(Header.fresh(version).line() + b"".join(lines) + tail)


def files_of(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.is_file()}


def test_a_current_file_opens_unchanged(tmp_path: Path) -> None:
    store = ResultStore(tmp_path)
    store.save(example_record(), example_sheet())
    before = files_of(tmp_path)
    assert ResultStore(tmp_path).count() == 1
    assert files_of(tmp_path) == before


@pytest.mark.parametrize("damage", ["none", "torn tail", "broken header"])
def test_a_file_from_a_newer_kiosk_is_refused_and_left_alone(tmp_path: Path, damage: str) -> None:
    raw = example_record().model_dump(mode="json") | {"schema_version": NEWER}
    path = tmp_path / "results.jsonl"
    write_journal(path, NEWER, [raw, raw | {"result_id": example_record().result_id}],
                  tail=b"0000abcd half a li" if damage == "torn tail" else b"")
    if damage == "broken header":
        path.write_bytes(b"XXXXXXXX" + path.read_bytes()[8:])
    before = files_of(tmp_path)
    with pytest.raises(SchemaVersionError, match="newer kiosk"):
        ResultStore(tmp_path)
    after = files_of(tmp_path)
    assert after["results.jsonl"] == before["results.jsonl"]
    assert not [name for name in after if "damaged" in name or "tmp" in name]


def test_a_v1_journal_is_split_into_unlinkable_records_and_answer_sheets(tmp_path: Path) -> None:
    old = [v1_record(), v1_record(answers={}, completion="abandoned", age_band=None),
           v1_record(synthetic=True, context={"visit_reason": "dont_know"})]
    write_journal(tmp_path / "results.jsonl", 1, old)

    store = ResultStore(tmp_path)

    records = {r.result_id: r for r in store.records(include_synthetic=True)}
    assert set(records) == {r["result_id"] for r in old}
    assert records[old[0]["result_id"]].duration == "5-9"
    # What the visitors said of themselves is counted in their week, not kept per visit.
    real, synthetic = sorted(store.tallies().weeks, key=lambda t: t.synthetic)
    assert (real.iso_week, real.visits, synthetic.visits) == ("2026-W05", 2, 1)
    assert real.age_band == {"80+": 1, "not_given": 1}
    assert real.reason == {"health": 2} and synthetic.reason == {"not_given": 1}
    sheets = list(store.sheets(include_synthetic=True))
    assert sorted(s.quarter for s in sheets) == ["2026-Q1", "2026-Q1"]  # no sheet without answers
    assert {tuple(s.answers.items()) for s in sheets} == {tuple(old[0]["answers"].items())}
    assert store.incidents == []
    # Nothing on disk ties an answer to a visit any more: no result id, site or week beside
    # answers, and no copy of the old joined file.
    for name, data in files_of(tmp_path).items():
        text = data.decode()
        assert not ("dev-wifi" in text and ("geneve" in text or old[0]["result_id"] in text
                                             or "2026-W05" in text)), name
    assert ResultStore(tmp_path).count() == 3


def test_a_migration_cut_short_by_a_crash_adds_no_sheet_twice(tmp_path: Path) -> None:
    write_journal(tmp_path / "results.jsonl", 1, [v1_record() for _ in range(5)])
    v1_file = (tmp_path / "results.jsonl").read_bytes()
    ResultStore(tmp_path)
    # A crash after the sheets were written but before the new results file was renamed in:
    # the old file is still there, the same one.
    (tmp_path / "results.jsonl").write_bytes(v1_file)

    store = ResultStore(tmp_path)

    assert store.count() == 5
    assert len(list(store.sheets())) == 5
    assert [t.visits for t in store.tallies().weeks] == [5]


def test_a_damaged_v1_journal_is_recovered_then_split(tmp_path: Path) -> None:
    write_journal(tmp_path / "results.jsonl", 1, [v1_record() for _ in range(4)],
                  tail=b"1234abcd torn")
    store = ResultStore(tmp_path)
    [incident] = store.incidents
    assert incident.kind == "truncated" and incident.recovered == 4
    assert store.count() == 4 and len(list(store.sheets())) == 4


def test_migrate_applies_each_step_and_refuses_gaps() -> None:
    v1 = v1_record()
    done = migrate(v1)
    VisitRecord.model_validate(done.record)
    split = split_v1(v1)
    assert done.record == add_guided_fields(split.record).record
    assert done.sheets == [add_guided_fields(sheet).record for sheet in split.sheets]
    assert done.counted == split.counted
    assert len(done.sheets) == len(done.counted) == 1
    current = example_record().model_dump(mode="json")
    assert migrate(current) == Migrated(current)  # current records pass untouched
    with pytest.raises(SchemaVersionError, match="no migration from schema version 0"):
        migrate(v1 | {"schema_version": 0})
    with pytest.raises(SchemaVersionError, match="did not reach 2"):
        migrate(v1, {1: Migrated})
    with pytest.raises(SchemaVersionError, match="newer kiosk"):
        migrate(current | {"schema_version": NEWER})


def test_the_prototype_tinydb_file_is_imported_once_and_kept(tmp_path: Path) -> None:
    old = [v1_record(), v1_record(synthetic=True)]
    with TinyDB(tmp_path / "results.json") as db:  # the first prototype's store
        for raw in old:
            db.insert(raw)
    original = (tmp_path / "results.json").read_bytes()

    store = ResultStore(tmp_path)

    assert {r.result_id for r in store.records(include_synthetic=True)} == {
        r["result_id"] for r in old}
    assert len(list(store.sheets(include_synthetic=True))) == 2
    assert store.incidents == []
    assert not (tmp_path / "results.json").exists()
    [kept] = tmp_path.glob("results.json.imported-*")
    assert kept.read_bytes() == original
    assert ResultStore(tmp_path).count() == 2


def test_a_state_file_from_a_newer_kiosk_is_refused_and_left_alone(tmp_path: Path) -> None:
    ResultStore(tmp_path).add_abandoned("example")
    state = tmp_path / "state.jsonl"
    body = state.read_bytes().split(b"\n", 1)[1].replace(
        b'"schema_version":%d' % SCHEMA_VERSION, b'"schema_version":%d' % NEWER)
    newer = Header.fresh(NEWER).line() + body
    state.write_bytes(newer)
    with pytest.raises(SchemaVersionError, match="newer kiosk"):
        ResultStore(tmp_path)
    assert state.read_bytes() == newer
    assert not list(tmp_path.glob("state.jsonl.damaged-*"))


def as_schema_2(directory: Path) -> None:
    """Rewrite a data directory as a kiosk of schema 2 left it: version-2 headers and entries,
    without the fields version 3 added."""
    added = {"guided", "theme", "pathway_by_theme"}
    for path in [directory / n for n in ("results.jsonl", "answers.jsonl", "state.jsonl")]:
        lines = path.read_bytes().splitlines(keepends=True)
        out = [Header.fresh(2).line()]
        for line in lines[1:]:
            entry = parse_entry(line)
            assert entry is not None
            raw = {k: v for k, v in json.loads(entry.json).items() if k not in added}
            if "schema_version" in raw:
                raw["schema_version"] = 2
            out.append(entry_line(entry.id, entry.kind, entry.synthetic, json.dumps(raw).encode()))
        path.write_bytes(b"".join(out))


def test_a_schema_2_store_is_upgraded_in_place_even_after_a_crash_midway(tmp_path: Path) -> None:
    store = ResultStore(tmp_path)
    saved = [example_record().model_copy(update={"result_id": f"{n:032x}"}) for n in range(25)]
    for record in saved:  # 20 reach the journals, 5 wait in the state file
        store.save(record, example_sheet(), example_counted())
    as_schema_2(tmp_path)
    old_results = (tmp_path / "results.jsonl").read_bytes()

    ResultStore(tmp_path)  # upgrades; then a crash "before the results": put them back
    (tmp_path / "results.jsonl").write_bytes(old_results)
    store = ResultStore(tmp_path)

    assert {r.result_id for r in store.records()} == {r.result_id for r in saved}
    assert all(r.schema_version == SCHEMA_VERSION and r.guided is None for r in store.records())
    assert len(list(store.sheets())) == 25
    [week] = store.tallies().weeks
    assert week.visits == 25 and week.theme == {}
    for name in ("results.jsonl", "answers.jsonl", "state.jsonl"):
        header = parse_header((tmp_path / name).read_bytes().splitlines(keepends=True)[0])
        assert header is not None and header.schema_version == SCHEMA_VERSION
    assert store.incidents == []
