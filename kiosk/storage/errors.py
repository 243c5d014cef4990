"""What the store raises: typed, with a message that says what happened and what to do."""

from __future__ import annotations

import errno
from pathlib import Path


class StorageError(Exception):
    """The store cannot do what was asked; nothing was overwritten."""


class LockTimeout(StorageError):
    """Another process held the data directory's lock for too long."""


class SchemaVersionError(StorageError):
    """Data written by a newer kiosk, or of a version no migration leads from."""


class DiskFull(StorageError):
    """No room left where the results are kept."""


def explain(error: OSError, path: Path) -> StorageError:
    """The system's error on ``path``, said for the person who has to fix it."""
    code = error.errno
    if code in (errno.ENOSPC, errno.EDQUOT):
        return DiskFull(f"the disk holding {path.parent} is full: nothing more can be saved. "
                        "Free some space there (or give the kiosk another --data-dir), then "
                        "try again.")
    if code in (errno.EACCES, errno.EPERM):
        return StorageError(f"{path} cannot be written by this user: make the data folder and "
                            "its files belong to the account that runs the kiosk (chown), or "
                            "give the kiosk another --data-dir.")
    if code == errno.EROFS:
        return StorageError(f"{path} is on a read-only file system: give the kiosk a writable "
                            "--data-dir.")
    if code == errno.EISDIR:
        return StorageError(f"{path} is a folder where the kiosk keeps a file: move it away, "
                            "then try again.")
    if code in (errno.ENOTDIR, errno.EEXIST):
        return StorageError(f"{path} is not a folder (or part of its path is a file): point "
                            "--data-dir or $KIOSK_DATA_DIR at a folder.")
    return StorageError(f"{path}: {error.strerror or error} (errno {code}); nothing was "
                        "overwritten. Check the data folder, then try again.")
