"""Take the result away: the QR code of the summary, and the code to show a mediator."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from kiosk.takeaway import qr_lines, qr_matrix, spaced
from kiosk.ui.strings import Localized


class QrCode(Static):
    """A QR code in half-block characters, always dark on light whatever the theme."""

    DEFAULT_CSS = "QrCode { width: auto; height: auto; }"

    def __init__(self, text: str, **kwargs: str) -> None:
        # Fixed colours: a camera needs dark modules on a light quiet zone.
        drawn = Text("\n".join(qr_lines(qr_matrix(text))), style="#000000 on #ffffff")
        super().__init__(drawn, **kwargs)
        self.payload = text


class Takeaway(Localized, Vertical):
    DEFAULT_CSS = """
    Takeaway { height: auto; align-horizontal: center; }
    Takeaway .result-code { text-style: bold; }
    """

    def __init__(self, summary: str, code: str, **kwargs: str) -> None:
        super().__init__(**kwargs)
        self.summary = summary
        self.code = code

    def compose(self) -> ComposeResult:
        yield Static(self.t("takeaway_scan"), classes="scan-hint")
        yield QrCode(self.summary, id="qr")
        yield Static(self.t("takeaway_code"))
        yield Static(spaced(self.code), classes="result-code", id="result-code")
