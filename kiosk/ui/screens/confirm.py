"""A yes/no question over the current screen, with the safe answer ("no") focused first."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Horizontal, Vertical
from textual.widgets import Button, Static

from kiosk.ui.screens.dialog import Dialog


class ConfirmScreen(Dialog[bool]):
    ON_ESCAPE = False

    def __init__(self, question: str, yes: str, no: str) -> None:
        """``question``, ``yes`` and ``no`` are keys of the screens' texts."""
        super().__init__()
        self._question, self._yes, self._no = question, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.t(self._question), classes="body")
            with Center(), Horizontal(classes="actions"):
                yield Button(self.t(self._no), id="no", variant="primary",
                             action="screen.dismiss(False)")
                yield Button(self.t(self._yes), id="yes", action="screen.dismiss(True)")
