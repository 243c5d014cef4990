"""Crashes and damaged files: nothing whose save returned is ever lost."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from storage_checks import crash_check, example_record, example_sheet
from storage_helpers import alone

from kiosk.records import SCHEMA_VERSION, StoredVisit
from kiosk.storage import ResultStore
from kiosk.storage.journal import Journal, parse_entry

DAMAGED = "results.jsonl.damaged-*"


@pytest.mark.slow
def test_sigkill_at_random_moments_never_loses_a_returned_save(tmp_path: Path) -> None:
    report = crash_check(tmp_path / "data", kills=20, seed=4)
    assert report.promised > 0  # the child did save between kills: the check has something to lose
    assert report.opened
    assert report.missing == []
    assert report.incidents == 0


def filled(tmp_path: Path, count: int = 5) -> tuple[Path, list[str]]:
    """A journal of ``count`` records (written at once, not held back in a pending batch),
    and their ids in the order of its lines."""
    store = ResultStore(tmp_path, batch=1)
    store.save_many(alone(example_record() for _ in range(count)))
    return store.path, [line.split(b" ")[1].decode()
                        for line in store.path.read_bytes().splitlines()[1:]]


def cut_last_line(data: bytes) -> bytes:
    return data[: len(data) - 40]


def garble_third_record(data: bytes) -> bytes:
    lines = data.splitlines(keepends=True)
    lines[3] = lines[3][:100] + b"\xff garbled \xfe" + lines[3][112:]
    return b"".join(lines)


def break_header(data: bytes) -> bytes:
    return b"XXXXXXXX" + data[8:]


def zero_tail(data: bytes) -> bytes:
    return data + b"\0" * 300  # what a power cut can leave after an extending write


DAMAGES: dict[str, tuple[Callable[[bytes], bytes], str, list[int]]] = {
    # damage: (how, kind reported, indexes of the records that must be recovered)
    "empty": (lambda data: b"", "empty", []),
    "truncated": (cut_last_line, "truncated", [0, 1, 2, 3]),
    "garbled": (garble_third_record, "garbled", [0, 1, 3, 4]),
    "bad header": (break_header, "bad_header", [0, 1, 2, 3, 4]),
    "zero-filled tail": (zero_tail, "truncated", [0, 1, 2, 3, 4]),
    "not a journal": (lambda data: b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "bad_header", []),
}


@pytest.mark.parametrize("damage", DAMAGES, ids=list(DAMAGES))
def test_a_damaged_file_is_moved_aside_recovered_and_reported(
    tmp_path: Path, damage: str, caplog: pytest.LogCaptureFixture
) -> None:
    how, kind, kept = DAMAGES[damage]
    path, ids = filled(tmp_path)
    broken = how(path.read_bytes())
    path.write_bytes(broken)

    with caplog.at_level(logging.ERROR, logger="kiosk.storage"):
        store = ResultStore(tmp_path)

    [incident] = store.incidents
    assert incident.kind == kind
    assert incident.recovered == len(kept)
    assert incident.moved_to.read_bytes() == broken  # kept exactly as found
    assert incident.moved_to.name in caplog.text
    assert [r.result_id for r in store.records()] == [ids[i] for i in kept]
    fresh = example_record()
    store.save(fresh)  # the kiosk goes on
    assert fresh.result_id in {r.result_id for r in ResultStore(tmp_path).records()}
    assert ResultStore(tmp_path).incidents == []  # the working file is sound again


def test_a_torn_append_is_found_by_a_running_kiosk_on_its_next_save(tmp_path: Path) -> None:
    # A running kiosk verifies only what was appended since it last looked (that keeps a save
    # cheap); damage to older lines is found at the next start, as the tests above show.
    path, ids = filled(tmp_path)
    store = ResultStore(tmp_path)
    path.write_bytes(zero_tail(path.read_bytes()))
    fresh = example_record()
    store.save(fresh)
    assert [i.kind for i in store.incidents] == ["truncated"]
    assert [r.result_id for r in store.records()] == [*ids, fresh.result_id]


def test_damaged_copies_are_never_overwritten(tmp_path: Path) -> None:
    copies: dict[Path, bytes] = {}
    for _ in range(3):  # within the same second: the timestamp alone would collide
        path, _ = filled(tmp_path)
        broken = garble_third_record(path.read_bytes())
        path.write_bytes(broken)
        copies[ResultStore(tmp_path).incidents[0].moved_to] = broken
    assert sorted(tmp_path.glob(DAMAGED)) == sorted(copies)
    assert all(copy.read_bytes() == broken for copy, broken in copies.items())


def test_a_truncated_prototype_file_gives_up_every_complete_record(tmp_path: Path) -> None:
    records = [example_record() for _ in range(4)]
    table = {str(i): r.model_dump(mode="json") for i, r in enumerate(records, 1)}
    text = json.dumps({"_default": table})  # exactly how TinyDB's JSONStorage writes it
    (tmp_path / "results.json").write_text(text[: len(text) - 30])

    store = ResultStore(tmp_path)

    [incident] = store.incidents
    assert (incident.kind, incident.recovered, incident.lost_lines) == ("legacy_damaged", 3, 1)
    assert sorted(r.result_id for r in store.records()) == sorted(
        r.result_id for r in records[:3])
    assert incident.moved_to.read_text() == text[: len(text) - 30]


def test_a_crlf_converted_journal_keeps_every_record(tmp_path: Path) -> None:
    path, ids = filled(tmp_path, count=200)
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))  # what unix2dos does
    store = ResultStore(tmp_path)
    assert [r.result_id for r in store.records()] == ids
    assert store.count() == 200 and store.incidents == []
    store.save(example_record())  # appending after CRLF lines keeps both readable
    assert ResultStore(tmp_path).count() == 201


def test_duplicated_lines_are_counted_once_everywhere(tmp_path: Path) -> None:
    path, ids = filled(tmp_path, count=20)
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join([*lines, *lines[3:6]]))  # a copy-paste, a restored backup
    store = ResultStore(tmp_path)
    assert [i.kind for i in store.incidents] == ["duplicated"]
    assert store.count() == len(list(store.records())) == 20
    assert [r.result_id for r in store.records()] == ids


def test_the_same_damage_found_again_adds_no_copy(tmp_path: Path) -> None:
    path, _ = filled(tmp_path)
    broken = garble_third_record(path.read_bytes())
    for _ in range(3):  # say, a kiosk restored from the same broken backup three times
        path.write_bytes(broken)
        ResultStore(tmp_path)
    [copy] = tmp_path.glob(DAMAGED)
    assert copy.read_bytes() == broken
    # Named by what it holds, not by when: the digest of its bytes, and nothing else.
    digest = hashlib.sha256(broken).hexdigest()[:16]
    assert copy.name == f"{path.name}.damaged-{digest}"


def test_purge_clears_expired_records_from_the_copies_of_damaged_files(tmp_path: Path) -> None:
    store = ResultStore(tmp_path, batch=1)
    old = [example_record(iso_week="2001-W05") for _ in range(3)]
    recent = example_record(iso_week="2026-W40")
    store.save_many([StoredVisit(r, example_sheet(quarter="2001-Q1")) for r in old]
                    + [StoredVisit(recent)])
    store.path.write_bytes(store.path.read_bytes() + b"torn")
    ResultStore(tmp_path)  # copies it aside as damaged, with three expired records
    [copy] = tmp_path.glob(DAMAGED)

    report = ResultStore(tmp_path).purge(retention_months=24, today=date(2026, 11, 26))

    assert report.deleted == 3 and report.sheets_deleted == 3 and report.asides_changed == 1
    kept = [entry.id for line in copy.read_bytes().splitlines(keepends=True)
            if (entry := parse_entry(line)) is not None]
    assert kept == [recent.result_id]
    assert copy.read_bytes().endswith(b"torn"), "the damage itself is kept for staff"
    store.purge(retention_months=1, today=date(2030, 1, 1))
    assert not list(tmp_path.glob(DAMAGED)), "a copy with nothing left in retention goes"


def test_opening_reads_the_journal_before_taking_the_lock(tmp_path: Path) -> None:
    # What another process appends between the read without the lock and the lock is found.
    path, ids = filled(tmp_path, count=50)
    later = example_record()
    journal = Journal(path, SCHEMA_VERSION)
    journal.prepare()
    ResultStore(tmp_path, batch=1).save(later)
    assert journal.open() is None
    assert journal.ids == {*ids, later.result_id}
