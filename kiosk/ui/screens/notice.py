"""The short information notice: what is kept (nothing that identifies), why, and that the
visitor can stop at any time. Read before the first question."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button

from kiosk.ui import keys
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.widgets.nav import TopBar
from kiosk.ui.widgets.page import Page
from kiosk.ui.widgets.words import Words


class NoticeScreen(KioskScreen):
    BINDINGS = [*keys.SCREEN, *keys.BACK]

    def compose(self) -> ComposeResult:
        yield TopBar(self.tr(self.kiosk.assessment.bank.title))
        with Page(id="notice"):
            yield Words(self.t("notice_heading"), classes="heading")
            yield Words(self.t("notice_body"), classes="body")
            with Horizontal(classes="actions"):
                yield Button(self.t("notice_ok"), id="begin", variant="primary",
                             action="app.start_visit")
                yield Button(self.t("other_language"), id="switch-language",
                             action="app.switch_language")
                yield Button(self.t("back"), id="back", action="screen.back")

    def action_back(self) -> None:
        self.kiosk.reset_to_welcome()
