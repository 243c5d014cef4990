"""The staff folder and its small files.

Every staff file is a small JSON object, read and rewritten whole under a lock that every kiosk
process on the data folder shares (a kiosk served in a browser runs one process per visit), and
replaced atomically (temporary file, fsync, rename), so a crash leaves the old file or the new
one. The folder is private (0700, files 0600) and, before a lock is let go, its files get the
start of the week as their times, like the results: a file's time must not tell when someone
came.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from filelock import FileLock

from kiosk.datafile import Unreadable, read_bytes
from kiosk.storage import disk
from kiosk.storage.errors import StorageError, explain
from kiosk.storage.journal import replace_file
from kiosk.storage.locks import held

STAFF_DIR = "staff"
LOCK_TIMEOUT = 10.0
# The largest staff file is the day's result codes, at most about 1.2 kB a visitor (with three
# of the bundled questionnaire's longest texts as reasons): 8 MB holds thousands of visitors.
MAX_STAFF_FILE_BYTES = 8 * 1024 * 1024

Data = dict[str, Any]


def staff_dir(data_dir: Path) -> Path:
    """The staff folder of a data folder, created private if need be (a new folder gets the
    week's start as its time and the data folder's: a kiosk started afresh after each visitor
    would otherwise date the visit by it)."""
    directory = data_dir / STAFF_DIR
    new = not directory.exists()
    disk.private_dir(directory)
    if new:
        disk.blur_times(data_dir)
    return directory


class StaffFile:
    """One JSON object in the staff folder."""

    def __init__(self, path: Path, today: Any = date.today) -> None:
        self.path = path
        self._lock = FileLock(str(path) + ".lock", timeout=LOCK_TIMEOUT)
        self._today = today

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the file's lock; before it is released, the folder's times are set to the
        week's start again (taking the lock, writing or removing a file sets them to now)."""
        with held(self._lock):
            try:
                yield
            finally:
                disk.blur_times(self.path.parent, self._today())

    def read(self) -> Data:
        """The object (empty when there is no file); a file that is not one is an error that
        names it: it is never overwritten unseen."""
        try:
            raw = read_bytes(self.path, MAX_STAFF_FILE_BYTES)
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise explain(exc, self.path) from exc
        except Unreadable as exc:
            raise StorageError(f"{self.path} is damaged ({exc}): move it aside, then try "
                               "again") from exc
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):  # JSON nested deeper than Python recurses
            data = None
        if not isinstance(data, dict):
            raise StorageError(f"{self.path} is damaged (not a JSON object): move it aside, "
                               "then try again")
        return data

    def write(self, data: Data) -> None:
        body = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n"
        try:
            replace_file(self.path, [body.encode("utf-8")])
        except OSError as exc:
            raise explain(exc, self.path) from exc

    def remove(self) -> bool:
        """Delete the file; False when there was none."""
        try:
            self.path.unlink()
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise explain(exc, self.path) from exc
        return True
