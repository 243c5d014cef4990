"""What the files themselves tell: who may read them, and whether their times date a visit."""

from __future__ import annotations

import stat
from datetime import date, datetime
from pathlib import Path

from storage_helpers import kiosk

from kiosk.storage import ResultStore
from kiosk.storage.disk import week_start
from kiosk.storage.selfcheck import example_record, example_sheet


def modes(directory: Path) -> dict[str, int]:
    return {p.name: stat.S_IMODE(p.stat().st_mode) for p in [directory, *directory.iterdir()]}


def test_the_commands_keep_the_data_folder_private(tmp_path: Path) -> None:
    data = tmp_path / "data"
    done = kiosk("demo-data", "--count", "3", "--engine-visits", "3", "--data-dir", str(data))
    assert done.returncode == 0, done.stderr
    found = modes(data)
    assert found.pop("data") == 0o700
    assert found and set(found.values()) == {0o600}, found


def test_a_folder_left_open_is_closed_down(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    ResultStore(data).save(example_record(), example_sheet())
    for path in data.iterdir():
        path.chmod(0o644)
    data.chmod(0o755)
    ResultStore(data)
    found = modes(data)
    assert found.pop("data") == 0o700
    assert set(found.values()) == {0o600}, found


def test_no_file_time_dates_a_visit(tmp_path: Path) -> None:
    thursday = date(2026, 11, 26)
    store = ResultStore(tmp_path, today=lambda: thursday)
    store.save(example_record(), example_sheet())
    store.add_abandoned()
    paths = [tmp_path, *tmp_path.iterdir()]  # listing reads the folder: its access time moves
    store.save(example_record(), example_sheet())
    monday = week_start(thursday)
    assert datetime.fromtimestamp(monday) == datetime(2026, 11, 23)
    for path in paths:
        info = path.stat()
        assert (info.st_atime, info.st_mtime) == (monday, monday), path.name


def test_a_visitor_who_deletes_their_answers_leaves_only_a_weekly_count(tmp_path: Path) -> None:
    store = ResultStore(tmp_path, today=lambda: date(2026, 11, 26))
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.name != "abandoned.json"}
    store.add_abandoned()
    store.add_abandoned()
    store.add_abandoned(date(2026, 12, 1))
    assert ResultStore(tmp_path).abandoned_by_week() == {"2026-W48": 2, "2026-W49": 1}
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.name != "abandoned.json"}
    assert after == before, "no record, no answer, nothing else"
    assert store.count() == 0
    store.purge(retention_months=1, today=date(2027, 3, 1))
    assert store.abandoned_by_week() == {}

