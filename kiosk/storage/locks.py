"""Holding a lock that every kiosk process on the data folder shares."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from kiosk.storage.errors import LockTimeout, explain


@contextmanager
def held(lock: FileLock) -> Iterator[None]:
    """Hold ``lock``; one that another process keeps too long, or that cannot be taken at all,
    is a StorageError that says what to do."""
    try:
        lock.acquire()
    except Timeout as exc:
        raise LockTimeout(
            f"another kiosk process has held {lock.lock_file} for more than "
            f"{lock.timeout:g} s; nothing was written. Check for a stuck kiosk process "
            "(the lock frees itself when that process ends), then try again."
        ) from exc
    except OSError as exc:
        raise explain(exc, Path(lock.lock_file)) from exc
    try:
        yield
    finally:
        lock.release()
