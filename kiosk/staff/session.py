"""One staff member's time at the kiosk, from the right PIN to leaving.

Everything a staff session holds (the role, a guided visit and its result, a result opened from
its code) lives here and nowhere else: leaving staff mode drops this one object, and with it
every trace of the session in memory.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.domain import Role
from kiosk.staff.access import may_open
from kiosk.staff.codes import ShownResult
from kiosk.visit import Outcome, Visit


@dataclass
class StaffSession:
    role: Role
    guided: Visit | None = None  # a guided assessment under way
    outcome: Outcome | None = None  # its result, shown and not yet saved
    code: str = ""  # the result code given for it
    opened: ShownResult | None = None  # a result opened from the code a visitor brought

    def may_open(self, area: Role) -> bool:
        return may_open(self.role, area)

    def end_guided(self) -> None:
        self.guided = None
        self.outcome = None
        self.code = ""
