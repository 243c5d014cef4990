"""The bottom bar every question shares: back, other language, stop."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button


class NavBar(Horizontal):
    DEFAULT_CSS = """
    NavBar {
        dock: bottom;
        height: 1;
        padding: 0 2;
        background: $panel;
    }
    NavBar Button {
        margin: 0 2 0 0;
        min-width: 12;
    }
    """

    def __init__(self, buttons: list[tuple[str, str, str]]) -> None:
        """``buttons``: (id, label, action) of each, in order."""
        super().__init__()
        self._buttons = buttons

    def compose(self) -> ComposeResult:
        for button_id, label, action in self._buttons:
            yield Button(label, id=button_id, action=action, compact=True)
