"""The calm first screen: what this is, in French first, one key to English."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Horizontal, Vertical
from textual.widgets import Button, Static

from kiosk.ui import keys
from kiosk.ui.screens.base import KioskScreen


class WelcomeScreen(KioskScreen):
    BINDINGS = keys.SCREEN

    def compose(self) -> ComposeResult:
        with Vertical(id="welcome", classes="panel"):
            yield Static(self.tr(self.kiosk.assessment.bank.title), classes="title")
            yield Static(self.t("welcome_heading"), classes="heading")
            yield Static(self.t("welcome_body"), classes="body")
            with Center(), Horizontal(classes="actions"):
                yield Button(self.t("start"), id="nav-start", variant="primary")
                yield Button(self.t("other_language"), id="nav-switch_language")
        incidents = self.kiosk.store.incidents
        if incidents:  # for staff: worded so that a visitor is not alarmed
            notes = "; ".join(incident.message() for incident in incidents)
            yield Static(f"{self.t('staff_notice')} {notes}", id="staff-notice")

    def action_start(self) -> None:
        from kiosk.ui.screens.notice import NoticeScreen

        self.app.switch_screen(NoticeScreen())
