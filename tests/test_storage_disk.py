"""What the files themselves tell: who may read them, and whether their times date a visit."""

from __future__ import annotations

import stat
from datetime import date, datetime
from pathlib import Path

from storage_checks import example_counted, example_record, example_sheet
from storage_helpers import kiosk

from kiosk.staff.files import staff_dir
from kiosk.storage import ResultStore
from kiosk.storage.disk import week_start


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
    store.save(example_record(), example_sheet(), example_counted())
    store.add_abandoned("example")
    paths = [tmp_path, *tmp_path.iterdir()]  # listing reads the folder: its access time moves
    store.save(example_record(), example_sheet(), example_counted())
    monday = week_start(thursday)
    assert datetime.fromtimestamp(monday) == datetime(2026, 11, 23)
    for path in paths:
        info = path.stat()
        assert (info.st_atime, info.st_mtime) == (monday, monday), path.name


def test_what_visitors_say_of_themselves_is_only_counted(tmp_path: Path) -> None:
    store = ResultStore(tmp_path, today=lambda: date(2026, 11, 26))
    store.save(example_record(), None, example_counted(age_band="80+", needs=["identity"]))
    record = example_record()
    store.save(record, None, example_counted(language="en"))
    store.save(record, None, example_counted(language="en"))  # a retry counts once
    [week] = ResultStore(tmp_path).tallies().weeks
    assert (week.site_id, week.iso_week, week.visits) == ("example", "2026-W48", 2)
    assert week.language == {"fr": 1, "en": 1}
    assert week.age_band == {"80+": 1, "45-64": 1}
    assert week.need == {"identity": 1}
    assert week.pathway_by_need == {"workshops identity": 1}
    assert week.pathway_by_age_band == {"workshops 80+": 1, "workshops 45-64": 1}
    stored = (tmp_path / "results.jsonl").read_text()
    assert "80+" not in stored and '"en"' not in stored and "identity" not in stored


def test_a_visitor_who_deletes_their_answers_leaves_only_a_weekly_count(tmp_path: Path) -> None:
    store = ResultStore(tmp_path, today=lambda: date(2026, 11, 26))
    journals = ("results.jsonl", "answers.jsonl")
    before = {name: (tmp_path / name).read_bytes() for name in journals}
    store.add_abandoned("example")
    store.add_abandoned("example")
    store.add_abandoned("example", date(2026, 12, 1))
    weeks = ResultStore(tmp_path).tallies().weeks
    assert {(t.iso_week, t.abandoned, t.visits) for t in weeks} == {
        ("2026-W48", 2, 0), ("2026-W49", 1, 0)}
    assert {name: (tmp_path / name).read_bytes() for name in journals} == before
    assert store.count() == 0 and list(store.sheets()) == [], "no record, no answer"
    store.purge(retention_months=1, today=date(2027, 3, 1))
    assert store.tallies().weeks == []


def test_a_new_staff_folder_dates_nothing(tmp_path: Path) -> None:
    """A kiosk started afresh after each visitor creates the staff folder then: neither it nor
    the data folder may keep that moment."""
    directory = staff_dir(tmp_path)
    monday = week_start(date.today())
    for path in (tmp_path, directory):
        assert path.stat().st_mtime == monday, path.name
