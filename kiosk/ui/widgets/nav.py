"""The bars every visitor screen shares: on top, what this is and how far along; below, the
way back, the other language and the way out."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button

from kiosk.ui.widgets.words import Words


class TopBar(Horizontal):
    DEFAULT_CSS = """
    TopBar {
        dock: top;
        height: 1;
        padding: 0 2;
        background: $panel;
    }
    TopBar #where {
        width: auto;
        color: $text-muted;
    }
    """

    def __init__(self, title: str, where: str = "") -> None:
        """``where``: how far along the visitor is (right-aligned)."""
        super().__init__()
        self._title, self._where = title, where

    def compose(self) -> ComposeResult:
        yield Words(self._title, classes="title")
        yield Words(self._where, id="where")

    def show_where(self, where: str) -> None:
        self._where = where
        self.query_one("#where", Words).update(where)


class NavBar(Horizontal):
    DEFAULT_CSS = """
    NavBar {
        dock: bottom;
        height: 1;
        padding: 0 1;
        background: $panel;
    }
    NavBar Button {
        margin: 0 1 0 0;
    }
    """

    def __init__(self, buttons: list[tuple[str, str, str]]) -> None:
        """``buttons``: (id, label, action) of each, in order."""
        super().__init__()
        self._buttons = buttons

    def compose(self) -> ComposeResult:
        for button_id, label, action in self._buttons:
            yield Button(label, id=button_id, action=action, classes="-line")
