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
        status = self.kiosk.saver.status
        notes = [incident.message() for incident in status.incidents]
        if status.waiting:
            notes.append(self.t("unsaved_notice", n=status.waiting, problem=status.problem))
        if notes:  # for staff: worded so that a visitor is not alarmed
            yield Static(f"{self.t('staff_notice')} {'; '.join(notes)}", id="staff-notice")

    def action_start(self) -> None:
        from kiosk.ui.screens.notice import NoticeScreen

        if self.kiosk.may_take_visitors():
            self.app.switch_screen(NoticeScreen())
