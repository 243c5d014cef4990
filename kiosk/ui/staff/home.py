"""An area's first screen, and the mediator's: what a mediator can do."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Static

from kiosk.ui.staff.base import StaffScreen


class StaffHome(StaffScreen):
    """An area's home: Esc, like the last button, leaves staff mode."""

    DEFAULT_CSS = """
    StaffHome .menu {
        height: auto;
        width: 60;
        margin: 1 0 0 0;
    }
    StaffHome .menu Button {
        width: 100%;
        margin: 0 0 1 0;
    }
    """

    def bar(self) -> Static:
        role = self.t(f"staff_role_{self.session.role}")
        return Static(self.t("staff_bar", role=role), classes="staff-bar")

    def action_back(self) -> None:
        self.kiosk.leave_staff()

    def ways_out(self, compact: bool = False) -> ComposeResult:
        """Leaving the staff area, and stopping the kiosk (the only way out of a kiosk in
        kiosk mode, short of its service manager)."""
        yield Button(self.t("staff_leave"), id="leave", action="app.leave_staff",
                     compact=compact)
        yield Button(self.t("stop_kiosk"), id="stop-kiosk", action="app.stop_kiosk",
                     compact=compact)


class MediatorHome(StaffHome):
    def compose(self) -> ComposeResult:
        yield self.bar()
        with Vertical(id="mediator-home", classes="panel"):
            yield Static(self.t("mediator_heading"), classes="heading")
            yield Static(self.t("mediator_body"), classes="body")
            with Vertical(classes="menu"):
                yield Button(self.t("mediator_guided"), id="guided", variant="primary",
                             action="app.start_guided")
                yield Button(self.t("mediator_code"), id="open-code", action="app.enter_code")
                if self.session.may_open("coordinator"):
                    yield Button(self.t("staff_to_coordinator"), id="to-coordinator",
                                 action="app.open_staff_area('coordinator')")
                yield from self.ways_out()
