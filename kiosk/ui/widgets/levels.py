"""A domain's level in words and a four-step bar: a picture that needs no numbers."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

STEPS = 4


def bar(level: int) -> str:
    return "■ " * (level + 1) + "□ " * (STEPS - level - 1)


class LevelRow(Horizontal):
    def __init__(self, domain_label: str, level: int, level_label: str) -> None:
        super().__init__(classes=f"level-{level}")
        self._domain_label = domain_label
        self._level = level
        self._level_label = level_label

    def compose(self) -> ComposeResult:
        yield Static(self._domain_label, classes="domain")
        yield Static(bar(self._level).rstrip(), classes="bar")
        yield Static(self._level_label, classes="word")
