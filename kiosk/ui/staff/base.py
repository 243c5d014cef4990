"""What every staff screen shares: it speaks the app's language, reaches the staff session only
through the app, and Esc goes back to the area's home (or leaves, from a home)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.staff.session import StaffSession
from kiosk.ui import keys
from kiosk.ui.screens.base import KioskScreen

if TYPE_CHECKING:
    from kiosk.domain import Role


class StaffScreen(KioskScreen):
    BINDINGS = keys.STAFF_BACK
    AREA: Role = "mediator"  # the area whose home Esc goes back to
    DEFAULT_CSS = """
    StaffScreen {
        align: center top;
    }
    /* The staff screens' column (the visitors' screens have theirs in widgets/page.py). */
    StaffScreen .panel {
        width: 100%;
        max-width: 100;
        height: 1fr;
        padding: 1 2;
    }
    StaffScreen .staff-bar {
        dock: top;
        height: 1;
        padding: 0 2;
        background: $warning 30%;
        color: $text;
    }
    """

    @property
    def session(self) -> StaffSession:
        """The app's staff session: the screen keeps no copy that could outlive it."""
        session = self.kiosk.staff_session
        assert session is not None, "staff screens run only in a staff session"
        return session

    def can_compose(self) -> bool:
        return self.kiosk.staff_session is not None

    def action_back(self) -> None:
        self.kiosk.open_staff_area(self.AREA)
