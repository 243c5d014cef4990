"""Wrong PINs lock the staff prompt for a growing time, and a restart does not lift it.

The first ``FREE_TRIES - 1`` wrong PINs in a row only count; the ``FREE_TRIES``-th locks the
prompt for ``FIRST_LOCK`` seconds, and each wrong PIN after that for twice as long as the last
lock, up to ``LONGEST_LOCK``. A right PIN starts the count again. The count and the end of the
lock are kept in the staff folder (on the wall clock, which a restart does not reset); a lock
that ends further away than the longest lock (the clock was set back) ends after it instead.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kiosk.staff.files import StaffFile

LOCK_NAME = "lockout.json"
FREE_TRIES = 5
FIRST_LOCK = 60.0
LONGEST_LOCK = 3600.0


def lock_after(failures: int) -> float:
    """Seconds the prompt locks after this many wrong PINs in a row (0: it does not)."""
    if failures < FREE_TRIES:
        return 0.0
    return min(FIRST_LOCK * 2 ** (failures - FREE_TRIES), LONGEST_LOCK)


@dataclass(frozen=True)
class LockState:
    failures: int  # wrong PINs in a row
    wait: float  # seconds before the prompt takes a PIN again (0: it does now)

    @property
    def tries_left(self) -> int:
        """Wrong PINs still possible before the prompt locks (0 once it has locked)."""
        return max(FREE_TRIES - self.failures, 0)


class Lockout:
    def __init__(self, directory: Path, clock: Callable[[], float] = time.time) -> None:
        self.file = StaffFile(directory / LOCK_NAME)
        self._clock = clock

    def state(self) -> LockState:
        data = self.file.read()
        return self._state(int(data.get("failures", 0)), float(data.get("locked_until", 0.0)))

    def failed(self) -> LockState:
        """Count one wrong PIN; the state after it (``wait`` > 0: it locked the prompt)."""
        with self.file.locked():
            data = self.file.read()
            failures = int(data.get("failures", 0)) + 1
            until = self._clock() + lock_after(failures) if lock_after(failures) else 0.0
            self.file.write({"failures": failures, "locked_until": until})
        return self._state(failures, until)

    def succeeded(self) -> None:
        with self.file.locked():
            if self.file.read():
                self.file.write({})

    def _state(self, failures: int, until: float) -> LockState:
        wait = min(max(until - self._clock(), 0.0), lock_after(failures))
        return LockState(failures, wait)
