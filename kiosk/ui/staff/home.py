"""The areas' first screens: what a mediator can do, and the coordinator's area."""

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
                yield Button(self.t("staff_leave"), id="leave", action="app.leave_staff")


class CoordinatorHome(StaffHome):
    """The coordinator's area, until its statistics and exports screens are plugged in (see
    ``areas``): it says what will be here, and leads to the mediator's tools."""

    AREA = "coordinator"

    def compose(self) -> ComposeResult:
        yield self.bar()
        with Vertical(id="coordinator-home", classes="panel"):
            yield Static(self.t("coordinator_heading"), classes="heading")
            yield Static(self.t("coordinator_body"), classes="body")
            with Vertical(classes="menu"):
                yield Button(self.t("staff_to_mediator"), id="to-mediator", variant="primary",
                             action="app.open_staff_area('mediator')")
                yield Button(self.t("staff_leave"), id="leave", action="app.leave_staff")
