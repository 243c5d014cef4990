"""Shown instead of the welcome screen while results cannot be saved: the kiosk takes no
visitor whose answers it could not keep. Visitors read a calm line; staff read what went wrong
and what to do. The screen goes back to the welcome screen by itself once saving works."""

from __future__ import annotations

from textual.app import ComposeResult

from kiosk.ui import keys
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.widgets.page import Page
from kiosk.ui.widgets.words import Words

CHECK_EVERY = 2.0  # seconds between two looks at the save queue's status


class OutOfServiceScreen(KioskScreen):
    BINDINGS = keys.SCREEN
    _shown: tuple[str, int] = ("", 0)  # the problem on screen now, and the results waiting

    DEFAULT_CSS = """
    OutOfServiceScreen #out-of-service-staff {
        margin-top: 1;
        color: $text-muted;
    }
    """

    def compose(self) -> ComposeResult:
        status = self.kiosk.saver.status
        self._shown = (status.problem, status.waiting)
        staff = self.t("out_of_service_staff", problem=status.problem)
        if status.waiting:  # results of earlier visitors kept in memory until it works
            staff += " " + self.t("unsaved_notice", n=status.waiting, problem=status.problem)
        with Page(id="out-of-service"):
            yield Words(self.t("out_of_service_heading"), classes="heading")
            yield Words(self.t("out_of_service_body"), classes="body")
            yield Words(staff, id="out-of-service-staff", classes="body")

    def on_mount(self) -> None:
        super().on_mount()
        self.set_interval(CHECK_EVERY, self._check)

    def on_key(self) -> None:
        self.kiosk.saver.retry_now()  # staff who fixed the folder need not wait

    def _check(self) -> None:
        status = self.kiosk.saver.status
        if status.ready:
            self.kiosk.reset_to_welcome()
        elif (status.problem, status.waiting) != self._shown:
            self.show_again()
