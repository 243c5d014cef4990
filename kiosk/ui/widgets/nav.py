"""The bottom bar every visitor screen shares: back, other language, stop."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button


class NavBar(Horizontal):
    def __init__(self, labels: dict[str, str]) -> None:
        """``labels`` maps an action (``back``, ``switch_language``, ``stop``) to its label."""
        super().__init__()
        self._labels = labels

    def compose(self) -> ComposeResult:
        for action, label in self._labels.items():
            yield Button(label, id=f"nav-{action}", classes="nav", compact=True)
