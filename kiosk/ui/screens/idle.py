"""Asked when nobody has touched the kiosk for a while; with no answer, the visit is cleared.

The app keeps the time (its clock can be a test's): it tells the dialog how long is left, once
a second, and answers for the visitor when nothing is left.
"""

from __future__ import annotations

import math

from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.widgets import Button

from kiosk.ui.screens.dialog import Dialog
from kiosk.ui.widgets.words import Words


class IdleScreen(Dialog[bool]):
    """Dismissed with True when the visitor is still there (any answer, Esc too: a key press
    says someone is there), False when the countdown ends."""

    ON_ESCAPE = True

    def __init__(self, seconds: float) -> None:
        super().__init__()
        self._left = math.ceil(seconds)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Words(self.t("idle_question", n=self._left), id="countdown")
            with Center():
                yield Button(self.t("idle_continue"), id="here", variant="primary",
                             action="screen.answer(True)")

    def show_left(self, seconds: float) -> None:
        """``seconds`` are left before the visit is cleared."""
        self._left = math.ceil(seconds)
        for countdown in self.query("#countdown").results(Words):  # none until composed
            countdown.update(self.t("idle_question", n=self._left))
