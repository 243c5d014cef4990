"""A domain's level in words and a bar of as many steps as there are levels: a picture that
needs no numbers."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal

from kiosk.domain import LEVEL_IDS
from kiosk.ui.widgets.words import Words


def bar(level: int) -> str:
    return "■ " * (level + 1) + "□ " * (len(LEVEL_IDS) - level - 1)


class LevelRow(Horizontal):
    DEFAULT_CSS = """
    LevelRow {
        height: 1;
        margin: 0 0 0 2;
    }
    LevelRow .domain {
        width: 28;
    }
    LevelRow .bar {
        width: 10;
        color: $accent;
    }
    LevelRow .word {
        width: 1fr;
    }
    """

    def __init__(self, domain_label: str, level: int, level_label: str) -> None:
        super().__init__(classes=f"level-{level}")
        self._domain_label = domain_label
        self._level = level
        self._level_label = level_label

    def compose(self) -> ComposeResult:
        yield Words(self._domain_label, classes="domain")
        yield Words(bar(self._level).rstrip(), classes="bar")
        yield Words(self._level_label, classes="word")
