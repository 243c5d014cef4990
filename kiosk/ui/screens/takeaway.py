"""The take-away: the QR code of the recommendation and the result code, over the result.

The code is as big as the screen allows, on the left; what to do with it and the buttons on the
right, at every size. Where the summary does not fit one code the screen can show (80x24 holds
a version-6 code, about 130 bytes), it is split into several, one after the other: the first
always holds the pathway and the first offer's name, address and next opening.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button

from kiosk.takeaway import print_ticket, spaced
from kiosk.ui.screens.dialog import Dialog
from kiosk.ui.widgets.takeaway import QrCode
from kiosk.ui.widgets.words import Words

SIDE = 30  # columns of the words and buttons beside the code
GAP = 2  # columns between the code and them

# The QR codes' texts for a code at most this many modules wide and high.
Fit = Callable[[int], list[str]]


class TakeawayScreen(Dialog[None]):
    DEFAULT_CSS = f"""
    TakeawayScreen {{
        align: center middle;
        background: $surface;
    }}
    TakeawayScreen #sheet {{
        width: auto;
        height: auto;
        max-height: 100%;
    }}
    TakeawayScreen #side {{
        width: {SIDE + GAP};
        height: auto;
        padding: 0 0 0 {GAP};
    }}
    TakeawayScreen #result-code {{
        text-style: bold;
    }}
    TakeawayScreen #side Button {{
        width: 100%;
        margin: 1 0 0 0;
    }}
    """

    def __init__(self, fit: Fit, ticket: str, code: str) -> None:
        """``fit``: the QR codes' texts for a size; ``ticket``: what a printer prints."""
        super().__init__()
        self._fit, self.ticket, self.code = fit, ticket, code
        self.pages: list[str] = []
        self.page = 0

    def compose(self) -> ComposeResult:
        with Horizontal(id="sheet"):
            yield QrCode(id="qr")
            with Vertical(id="side"):
                yield Words(self.t("takeaway_scan"), classes="scan-hint")
                yield Words(self.t("takeaway_code"), classes="body")
                yield Words(spaced(self.code), id="result-code")
                yield Words("", id="page", classes="body")
                yield Button(self.t("takeaway_next"), id="next", action="screen.next_code")
                if shutil.which("lp"):  # offered only where the kiosk has a printer set up
                    yield Button(self.t("print_ticket"), id="print", action="screen.print")
                yield Button(self.t("close"), id="close", variant="primary",
                             action="screen.answer")
                yield Words("", id="print-status", classes="hint")

    def on_mount(self) -> None:
        self._refit()
        super().on_mount()

    def on_resize(self, event: events.Resize) -> None:
        self._refit()

    def _refit(self) -> None:
        """The codes for the screen's size now: as big as it takes, never cut by an edge."""
        width, height = self.size
        self.pages = self._fit(min(2 * height, width - SIDE - GAP))
        self.page = min(self.page, len(self.pages) - 1)
        self._show()

    def _show(self) -> None:
        self.query_one(QrCode).show(self.pages[self.page])
        several = len(self.pages) > 1
        self.query_one("#next").display = several
        self.query_one("#page", Words).update(
            self.t("takeaway_page", n=self.page + 1, count=len(self.pages)) if several else ""
        )

    def action_next_code(self) -> None:
        self.page = (self.page + 1) % len(self.pages)
        self._show()

    def action_print(self) -> None:
        printed = print_ticket(self.ticket)
        self.query_one("#print-status", Words).update(self.t("printed" if printed
                                                             else "not_printed"))
