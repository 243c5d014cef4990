"""A yes/no question over the current screen, with the safe answer focused first."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from kiosk.ui import keys


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS = [*keys.SCREEN[:2], *keys.CLOSE]

    def __init__(self, question: str, yes: str, no: str) -> None:
        super().__init__()
        self._question, self._yes, self._no = question, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self._question, classes="body")
            with Center(), Horizontal(classes="actions"):
                yield Button(self._no, id="no", variant="primary")
                yield Button(self._yes, id="yes")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_close(self) -> None:
        self.dismiss(False)
