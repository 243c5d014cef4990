"""The one way into the staff screens: a PIN gives a role, a role the areas it may open.

Every staff screen, today's and those to come (the coordinator's statistics and exports, the
lock-down's way out of the kiosk), is reached through :meth:`StaffAccess.try_pin` and
:func:`may_open`: there is no other door. With no PIN set there is no way in at all, and the
prompt says how to set one.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from argon2 import PasswordHasher

from kiosk.domain import Role
from kiosk.staff.audit import AuditLog
from kiosk.staff.codes import ResultCodes
from kiosk.staff.files import staff_dir
from kiosk.staff.lockout import Lockout
from kiosk.staff.pins import PinStore

# What each role may open: a coordinator also does what a mediator does.
AREAS: dict[Role, tuple[Role, ...]] = {
    "mediator": ("mediator",),
    "coordinator": ("coordinator", "mediator"),
}


def may_open(role: Role | None, area: Role) -> bool:
    return role is not None and area in AREAS[role]


@dataclass(frozen=True)
class Attempt:
    """What a PIN typed at the prompt did."""

    outcome: Literal["granted", "wrong", "locked", "no_pin"]
    role: Role | None = None  # granted: the role it opened
    tries_left: int = 0  # wrong: how many more before the prompt locks
    wait: float = 0.0  # locked: seconds before it takes a PIN again


class StaffAccess:
    def __init__(self, data_dir: Path, clock: Callable[[], float] = time.time,
                 today: Callable[[], date] = date.today,
                 hasher: PasswordHasher | None = None) -> None:
        """``data_dir``: the kiosk's data folder (the staff files go in its ``staff`` folder);
        ``clock`` the wall clock of the lockout, ``today`` the day of the audit log and the
        result codes, ``hasher`` the PIN hashing (tests may make it cheaper)."""
        self.data_dir = data_dir  # the coordinator's screens read the results there
        directory = staff_dir(data_dir)
        self.pins = PinStore(directory, hasher)
        self.lockout = Lockout(directory, clock)
        self.audit = AuditLog(directory, today)
        self.codes = ResultCodes(directory, today)

    def try_pin(self, pin: str) -> Attempt:
        if not self.pins.roles():
            return Attempt("no_pin")
        state = self.lockout.state()
        if state.wait:
            return Attempt("locked", wait=state.wait)
        role = self.pins.match(pin)
        if role is not None:
            self.lockout.succeeded()
            self.audit.add("staff_opened", role)
            return Attempt("granted", role)
        state = self.lockout.failed()
        self.audit.add("pin_failed", failures=state.failures)
        if state.wait:
            self.audit.add("locked", failures=state.failures, seconds=round(state.wait))
            return Attempt("locked", wait=state.wait)
        return Attempt("wrong", tries_left=state.tries_left)
