"""A QR code drawn with text characters, so that any terminal shows it."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from kiosk.takeaway import qr_lines, qr_matrix


class QrCode(Static):
    """A QR code in half-block characters, always dark on light whatever the theme."""

    DEFAULT_CSS = "QrCode { width: auto; height: auto; }"

    def __init__(self, text: str = "", **kwargs: str) -> None:
        super().__init__(**kwargs)
        self.payload = ""
        self.show(text)

    def show(self, text: str) -> None:
        """Draw the code of ``text`` (nothing for no text)."""
        self.payload = text
        # Fixed colours: a camera needs dark modules on a light quiet zone.
        lines = qr_lines(qr_matrix(text)) if text else []
        self.update(Text("\n".join(lines), style="#000000 on #ffffff"))
