"""The take-away: the QR code of the recommendation and the result code, over the result."""

from __future__ import annotations

import shutil

from textual.app import ComposeResult
from textual.containers import Center, Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from kiosk.takeaway import print_ticket
from kiosk.ui import keys
from kiosk.ui.strings import strings
from kiosk.ui.widgets.takeaway import Takeaway

# Lines the take-away sheet needs besides the QR code: on short terminals the code lines, a
# status line and one line of compact buttons; on tall ones also the hint, borders and buttons.
CHROME_LINES = {"short": 4, "tall": 12}


def qr_room(height: int, tall: bool) -> int:
    """How many lines of the terminal the QR code may take."""
    return height - CHROME_LINES["tall" if tall else "short"]


class TakeawayScreen(ModalScreen[None]):
    BINDINGS = [*keys.SCREEN[:2], *keys.CLOSE]

    def __init__(self, summary: str, code: str, language: str) -> None:
        super().__init__()
        self.summary, self.code, self.language = summary, code, language

    def compose(self) -> ComposeResult:
        words = strings()
        with VerticalScroll(classes="sheet"):
            yield Takeaway(self.summary, self.code, self.language, id="takeaway")
            yield Static("", id="print-status", classes="hint")
            with Center(), Horizontal(classes="actions"):
                if shutil.which("lp"):  # offered only where the kiosk has a printer set up
                    yield Button(words.get("print_ticket", self.language), id="print")
                yield Button(words.get("close", self.language), id="close", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#close", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "print":
            key = "printed" if print_ticket(self.summary) else "not_printed"
            self.query_one("#print-status", Static).update(strings().get(key, self.language))
        else:
            self.dismiss()

    def action_close(self) -> None:
        self.dismiss()
