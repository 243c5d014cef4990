"""The result store: saving, reading, several processes, lock timeouts, retention, TinyDB view."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import storage_checks
from filelock import FileLock
from storage_checks import derived_id, example_record, example_sheet
from storage_helpers import alone
from tinydb import Query

from kiosk.records import VisitRecord
from kiosk.storage import LockTimeout, ResultStore, StorageError
from kiosk.storage.journal import parse_entry
from kiosk.storage.store import BATCH


def journal_ids(path: Path) -> list[str]:
    """Record ids as they appear in the journal and the batch waiting in the state file,
    duplicates included."""
    lines = [line for file in (path, path.with_name("state.jsonl"))
             for line in file.read_bytes().splitlines(keepends=True)]
    return [entry.id for line in lines
            if (entry := parse_entry(line)) is not None and entry.kind == "record"]


def by_id(record: VisitRecord) -> str:
    return record.result_id


def test_saved_records_come_back_unchanged(tmp_path: Path) -> None:
    store = ResultStore(tmp_path)
    saved = [example_record(), example_record(pathway="autonomy", duration="20+")]
    for record in saved:
        store.save(record)
    assert sorted(ResultStore(tmp_path).records(), key=by_id) == sorted(saved, key=by_id)


def test_saving_the_same_result_twice_stores_it_once(tmp_path: Path) -> None:
    store, other = ResultStore(tmp_path), ResultStore(tmp_path)
    record = example_record()
    store.save(record)
    store.save(record)
    other.save(record)  # another process that learnt of it only through the file
    assert journal_ids(store.path) == [record.result_id]


def test_synthetic_records_are_left_out_unless_asked(tmp_path: Path) -> None:
    store = ResultStore(tmp_path)
    real, synthetic = example_record(), example_record(synthetic=True)
    store.save_many(alone([real, synthetic]))
    assert [r.result_id for r in store.records()] == [real.result_id]
    assert {r.result_id for r in store.records(include_synthetic=True)} == {
        real.result_id, synthetic.result_id}


def test_a_store_sees_what_another_process_saved(tmp_path: Path) -> None:
    first, second = ResultStore(tmp_path), ResultStore(tmp_path)
    record = example_record()
    second.save(record)
    assert [r.result_id for r in first.records()] == [record.result_id]
    assert first.count() == 1


def test_processes_saving_at_once_lose_nothing_and_duplicate_nothing(tmp_path: Path) -> None:
    # Two writers with their own ids and two that save the very same ids at the same time.
    prefixes = ["a", "b", "shared", "shared"]
    count = 60
    writers = [
        subprocess.Popen([sys.executable, storage_checks.__file__, "save",
                          str(tmp_path), prefix, str(count)])
        for prefix in prefixes
    ]
    assert [w.wait(timeout=60) for w in writers] == [0] * len(writers)
    expected = {derived_id(p, n) for p in set(prefixes) for n in range(count)}
    in_file = journal_ids(ResultStore(tmp_path).path)
    assert len(in_file) == len(set(in_file)) == 3 * count
    assert set(in_file) == expected


def test_a_lock_held_too_long_raises_and_writes_nothing(tmp_path: Path) -> None:
    store = ResultStore(tmp_path, lock_timeout=0.1)
    before = store.path.read_bytes()
    with FileLock(str(store.path) + ".lock"), pytest.raises(LockTimeout, match="held"):
        store.save(example_record())
    assert store.path.read_bytes() == before


def test_tinydb_queries_the_journal_and_refuses_writes(tmp_path: Path) -> None:
    store = ResultStore(tmp_path)
    store.save_many(alone([example_record(pathway="autonomy"), example_record(pathway="assisted"),
                     example_record(pathway="autonomy", synthetic=True)]))
    db = store.tinydb()
    assert len(db.search(Query().pathway == "autonomy")) == 1
    assert len(store.tinydb(include_synthetic=True).search(Query().pathway == "autonomy")) == 2
    with pytest.raises(StorageError, match="read-only"):
        db.insert({"pathway": "autonomy"})


def test_purge_deletes_expired_weeks_and_reports_them(tmp_path: Path) -> None:
    store = ResultStore(tmp_path)
    weeks = ["2023-W01", "2023-W01", "2024-W46", "2024-W47", "2024-W48", "2026-W47"]
    store.save_many(alone([example_record(iso_week=w) for w in weeks]))
    other = ResultStore(tmp_path)

    # 24 months before Thursday 2026-11-26 is 2024-11-26: week 2024-W47 ends on Sunday the 24th.
    report = store.purge(retention_months=24, today=date(2026, 11, 26))

    assert report.cutoff == date(2024, 11, 26)
    assert report.deleted_by_week == {"2023-W01": 2, "2024-W46": 1, "2024-W47": 1}
    assert report.deleted == 4
    assert sorted(r.iso_week for r in store.records()) == ["2024-W48", "2026-W47"]
    # A process that opened the store before the purge follows the rewritten file.
    other.save(example_record(iso_week="2026-W48"))
    assert ResultStore(tmp_path).count() == 3
    assert store.purge(retention_months=24, today=date(2026, 11, 26)).deleted == 0


def test_purge_clamps_to_the_end_of_a_shorter_month(tmp_path: Path) -> None:
    store = ResultStore(tmp_path)
    assert store.purge(retention_months=1, today=date(2026, 3, 31)).cutoff == date(2026, 2, 28)
    with pytest.raises(ValueError, match="at least one month"):
        store.purge(retention_months=0)


def test_answer_sheets_reach_their_file_in_shuffled_batches(tmp_path: Path) -> None:
    store = ResultStore(tmp_path)
    saved = [f"item-{n:02d}" for n in range(2 * BATCH + 5)]
    for item in saved:  # one visit at a time, as a kiosk saves them
        store.save(example_record(), example_sheet(answers={item: "alone"}))
    in_file = [next(iter(s.answers)) for s in store.sheets()]
    assert sorted(in_file) == saved  # nothing lost, nothing twice
    journal = [line for line in (tmp_path / "answers.jsonl").read_bytes().splitlines()[1:]]
    assert len(journal) == 2 * BATCH, "the last 5 wait, shuffled, for their batch"
    first_batch = in_file[:BATCH]
    assert sorted(first_batch) == saved[:BATCH]
    assert first_batch != saved[:BATCH], "the order in the file is not the visits' order"
    # No line of either file names the other's entry.
    results = (tmp_path / "results.jsonl").read_bytes()
    assert not any(line.split(b" ")[1] in results for line in journal)


def test_the_journal_order_does_not_tell_who_came_after_whom(tmp_path: Path) -> None:
    store = ResultStore(tmp_path)
    saved = [example_record().result_id for _ in range(BATCH)]
    for result_id in saved[:-1]:
        store.save(example_record(result_id=result_id))
    assert store.count() == BATCH - 1
    assert (tmp_path / "results.jsonl").read_bytes().count(b"\n") == 1, "all still waiting"
    store.save(example_record(result_id=saved[-1]))
    in_file = journal_ids(store.path)
    assert sorted(in_file) == sorted(saved)
    assert in_file != saved, "a batch goes to the journal shuffled"
