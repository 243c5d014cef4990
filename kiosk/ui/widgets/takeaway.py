"""Take the result away: the QR code of the summary, and the code to show a mediator."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from kiosk.takeaway import qr_lines, qr_matrix, spaced

_WORDS = {
    "fr": {"scan": "Photographiez ce code avec votre téléphone pour garder le résultat.",
           "code": "Votre code, à montrer à un·e conseiller·e :"},
    "en": {"scan": "Scan this code with your phone to keep the result.",
           "code": "Your code, to show an adviser:"},
}


class QrCode(Static):
    """A QR code in half-block characters, always dark on light whatever the theme."""

    DEFAULT_CSS = "QrCode { width: auto; height: auto; }"

    def __init__(self, text: str, **kwargs: str) -> None:
        # Fixed colours: a camera needs dark modules on a light quiet zone.
        drawn = Text("\n".join(qr_lines(qr_matrix(text))), style="#000000 on #ffffff")
        super().__init__(drawn, **kwargs)
        self.payload = text


class Takeaway(Vertical):
    DEFAULT_CSS = """
    Takeaway { height: auto; align-horizontal: center; }
    Takeaway .result-code { text-style: bold; }
    """

    def __init__(self, summary: str, code: str, language: str, **kwargs: str) -> None:
        super().__init__(**kwargs)
        self.summary = summary
        self.code = code
        self.language = language

    def compose(self) -> ComposeResult:
        words = _WORDS.get(self.language, _WORDS["en"])
        yield Static(words["scan"])
        yield QrCode(self.summary, id="qr")
        yield Static(words["code"])
        yield Static(spaced(self.code), classes="result-code", id="result-code")
