"""The calm first screen: what this is, in French first, one key to English."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button

from kiosk.ui import keys
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.widgets.nav import TopBar
from kiosk.ui.widgets.page import Page
from kiosk.ui.widgets.words import Words


class WelcomeScreen(KioskScreen):
    BINDINGS = keys.SCREEN
    DEFAULT_CSS = """
    WelcomeScreen #staff-notice {
        dock: bottom;
        height: auto;
        padding: 0 2;
        color: $text-muted;
    }
    """

    def compose(self) -> ComposeResult:
        yield TopBar(self.tr(self.kiosk.assessment.bank.title))
        with Page(id="welcome"):
            yield Words(self.t("welcome_heading"), classes="heading")
            yield Words(self.t("welcome_body"), classes="body")
            with Horizontal(classes="actions"):
                yield Button(self.t("start"), id="start", variant="primary",
                             action="app.show_notice")
                yield Button(self.t("other_language"), id="switch-language",
                             action="app.switch_language")
        status = self.kiosk.saver.status
        notes = [incident.message() for incident in status.incidents]
        if status.waiting:
            notes.append(self.t("unsaved_notice", n=status.waiting, problem=status.problem))
        if notes:  # for staff: worded so that a visitor is not alarmed
            yield Words(f"{self.t('staff_notice')} {'; '.join(notes)}", id="staff-notice")
