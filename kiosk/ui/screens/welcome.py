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
    WelcomeScreen #display {
        margin: 1 0 0 0;
    }
    WelcomeScreen #staff-notice {
        dock: bottom;
        height: auto;
        padding: 0 2;
        color: $text-muted;
    }
    """

    def compose(self) -> ComposeResult:
        yield TopBar(self.say(self.kiosk.cover.title[self.language]))
        with Page(id="welcome"):
            yield Words(self.t("welcome_heading"), classes="heading")
            yield Words(self.t("welcome_body"), classes="body")
            with Horizontal(classes="actions"):
                yield Button(self.t("start"), id="start", variant="primary",
                             action="app.show_notice")
                yield Button(self.t("other_language"), id="switch-language",
                             action="app.switch_language")
            # The kiosk's look, for this visitor and the next (a setting of the kiosk).
            with Horizontal(classes="actions", id="display"):
                yield Button(self._contrast_label(), id="contrast", action="app.toggle_contrast")
                if self.kiosk.in_browser:
                    yield Button(self._large_text_label(), id="large-text",
                                 action="app.toggle_large_text")
        status = self.kiosk.saver.status
        notes = [incident.message() for incident in status.incidents]
        if status.waiting:
            notes.append(self.t("unsaved_notice", n=status.waiting, problem=status.problem))
        if notes:  # for staff: worded so that a visitor is not alarmed
            yield Words(f"{self.t('staff_notice')} {'; '.join(notes)}", id="staff-notice")

    def show_display(self) -> None:
        """The look changed: the buttons now offer the other one (the focus stays put)."""
        self.query_one("#contrast", Button).label = self._contrast_label()
        for button in self.query("#large-text").results(Button):
            button.label = self._large_text_label()

    def _contrast_label(self) -> str:
        high = self.kiosk.display_setting.look == "high_contrast"
        return self.t("usual_colours" if high else "high_contrast")

    def _large_text_label(self) -> str:
        return self.t("normal_text" if self.kiosk.display_setting.large_text else "large_text")
