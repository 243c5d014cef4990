"""What the files themselves could tell about visitors, and how the store keeps them quiet.

- Only the account that runs the kiosk reads them: the folder is 0700 and every file 0600
  (the umask makes new files so, and files found more open are closed down).
- A file's times would date the last visit to the millisecond: after each write every file of
  the data folder, and the folder, get the start of the current ISO week as their access and
  modification times. (The change time, ``ctime``, cannot be set by a program; the save worker
  sets the times again every hour, so it says the kiosk was running, not when someone came.)
"""

from __future__ import annotations

import os
import stat
from datetime import date, datetime, time
from pathlib import Path

from kiosk.storage.errors import explain

UMASK = 0o077
DIR_MODE = 0o700
FILE_MODE = 0o600


def private_umask() -> None:
    """Every file the process creates from now on is readable by its own account only."""
    os.umask(UMASK)


def private_dir(directory: Path) -> None:
    """Create ``directory`` (0700), or close down an existing one and its files."""
    try:
        if directory.exists() and not directory.is_dir():
            raise NotADirectoryError(20, "not a directory", str(directory))
        directory.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        if os.stat(directory).st_uid != os.geteuid():
            return  # not ours to change; whether we may write is checked on the first write
        os.chmod(directory, DIR_MODE)
        for path in directory.iterdir():
            info = path.lstat()
            if stat.S_ISREG(info.st_mode) and info.st_uid == os.geteuid() and (
                    info.st_mode & 0o077):
                os.chmod(path, FILE_MODE)
    except OSError as exc:
        raise explain(exc, directory) from exc


def week_start(day: date) -> float:
    """Monday 00:00 (local time) of ``day``'s ISO week, as a POSIX time."""
    monday = date.fromisocalendar(*day.isocalendar()[:2], 1)
    return datetime.combine(monday, time()).timestamp()


def blur_times(directory: Path, day: date | None = None) -> None:
    """Give the folder, its files and its subfolders (not theirs) the start of the week as
    their times (best effort: a file another process is replacing at that moment gets its
    times at the next write)."""
    when = week_start(day or date.today())
    for path in [*directory.iterdir(), directory]:
        try:
            if not path.is_symlink() and (path.is_file() or path.is_dir()):
                os.utime(path, (when, when), follow_symlinks=False)
        except OSError:
            continue


def free_bytes(directory: Path) -> int:
    try:
        info = os.statvfs(directory)
    except OSError as exc:
        raise explain(exc, directory) from exc
    return info.f_bavail * info.f_frsize

