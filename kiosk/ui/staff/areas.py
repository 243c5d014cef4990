"""Which screen each staff area opens on: the one place to plug an area's screen in.

An area is a role's part of the staff screens; ``kiosk.staff.may_open`` says which roles may
open it (a coordinator also opens the mediator's area). ``KioskApp.open_staff_area(area)`` is
the only way to reach one, after the PIN.
"""

from __future__ import annotations

from collections.abc import Callable

from kiosk.domain import Role
from kiosk.ui.staff.base import StaffScreen
from kiosk.ui.staff.coordinator import CoordinatorHome
from kiosk.ui.staff.home import MediatorHome

AREA_SCREENS: dict[Role, Callable[[], StaffScreen]] = {
    "mediator": MediatorHome,
    "coordinator": CoordinatorHome,
}
