"""Reading a file whole, within a size, never waiting on it: every data file the kiosk reads
comes through here (by way of ``kiosk.datafile``), and so does the start-up's fingerprint of
them. Kept apart from the data-file models so that a start imports no Pydantic before its first
screen."""

from __future__ import annotations

import os
import stat
from pathlib import Path

# The bundled questionnaire is 35 kB; a site of 2,000 imported places, 1.4 MB.
MAX_BYTES = 4 * 1024 * 1024


class Unreadable(Exception):
    """A path that no reader should take in whole: what it is, and the usual fix (``fix``)."""

    def __init__(self, what: str, fix: str) -> None:
        super().__init__(what)
        self.fix = fix


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """The bytes of the regular file at ``path``, at most ``max_bytes`` of them, without ever
    waiting: ``Unreadable`` for a pipe, a device, a folder or a larger file; ``OSError`` when
    the system cannot open or read it. Every file the kiosk reads whole comes through here."""
    # Opened without waiting, then checked: opening a pipe for reading would wait for a writer.
    handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    if not stat.S_ISREG(os.fstat(handle).st_mode):
        os.close(handle)
        raise Unreadable("not a file but a folder, a device or a pipe",
                         "give the path of a data file")
    with os.fdopen(handle, "rb") as file:
        raw = file.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise Unreadable(f"the file is larger than {max_bytes // 2**20} MB, the most a file of "
                         "its kind may be", "check that it is the right file")
    return raw
