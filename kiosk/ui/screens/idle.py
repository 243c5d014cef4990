"""Asked when nobody has touched the kiosk for a while; with no answer, the visit is cleared."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class IdleScreen(ModalScreen[bool]):
    """Dismissed with True when the visitor is still there, False when the countdown ends."""

    def __init__(self, question: str, still_here: str, seconds: int) -> None:
        super().__init__()
        self._question, self._still_here, self._left = question, still_here, seconds

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self._question.format(n=self._left), id="countdown", classes="body")
            with Center():
                yield Button(self._still_here, id="here", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#here", Button).focus()
        self.set_interval(1.0, self._tick)

    def _tick(self) -> None:
        self._left -= 1
        if self._left <= 0:
            self.dismiss(False)
        else:
            self.query_one("#countdown", Static).update(self._question.format(n=self._left))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(True)
