"""Where finished, abandoned and timed-out assessments are kept: a TinyDB file in the data
directory, written under a file lock so that several kiosk processes can share it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from filelock import FileLock
from tinydb import TinyDB

from kiosk.records import AssessmentRecord

DB_NAME = "results.json"


class ResultStore:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        data_dir.mkdir(parents=True, exist_ok=True)
        self.path = data_dir / DB_NAME
        self._lock = FileLock(str(data_dir / (DB_NAME + ".lock")), timeout=10)

    def save(self, record: AssessmentRecord) -> None:
        with self._lock, TinyDB(self.path) as db:
            db.insert(record.model_dump(mode="json"))

    def records(self) -> Iterator[AssessmentRecord]:
        if not self.path.exists():
            return
        with self._lock, TinyDB(self.path) as db:
            rows = db.all()
        for row in rows:
            yield AssessmentRecord.model_validate(dict(row))
