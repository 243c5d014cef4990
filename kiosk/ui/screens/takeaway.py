"""The take-away: the QR code of the recommendation and the result code, over the result."""

from __future__ import annotations

import shutil

from textual.app import ComposeResult
from textual.containers import Center, Horizontal, VerticalScroll
from textual.widgets import Button, Static

from kiosk.takeaway import print_ticket
from kiosk.ui.screens.dialog import Dialog
from kiosk.ui.widgets.takeaway import Takeaway

# Lines the take-away sheet needs besides the QR code: on short terminals the code lines, a
# status line and one line of compact buttons; on tall ones also the hint, borders and buttons.
CHROME_LINES = {"short": 4, "tall": 12}


def qr_room(height: int, tall: bool) -> int:
    """How many lines of the terminal the QR code may take."""
    return height - CHROME_LINES["tall" if tall else "short"]


class TakeawayScreen(Dialog[None]):
    DEFAULT_CSS = """
    TakeawayScreen .sheet {
        width: auto;
        max-width: 90;
        height: auto;
        max-height: 100%;
        padding: 0 2;
        background: $surface;
        border: thick $accent;
    }
    /* On short terminals the QR code takes the whole height: no frame (see app.tcss too). */
    TakeawayScreen.-short .sheet {
        border: none;
        padding: 0 1;
    }
    """

    def __init__(self, summary: str, code: str) -> None:
        super().__init__()
        self.summary, self.code = summary, code

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="sheet"):
            yield Takeaway(self.summary, self.code, id="takeaway")
            yield Static("", id="print-status", classes="hint")
            with Center(), Horizontal(classes="actions"):
                if shutil.which("lp"):  # offered only where the kiosk has a printer set up
                    yield Button(self.t("print_ticket"), id="print", action="screen.print")
                yield Button(self.t("close"), id="close", variant="primary",
                             action="screen.dismiss")

    def action_print(self) -> None:
        printed = print_ticket(self.summary)
        self.query_one("#print-status", Static).update(self.t("printed" if printed
                                                              else "not_printed"))
