"""A question over the current screen and its answers, one under the other; the first is the
safe one: focused first, and what Esc answers."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button

from kiosk.ui.screens.dialog import Dialog
from kiosk.ui.widgets.words import Words


class ChoiceScreen(Dialog[str]):
    DEFAULT_CSS = """
    ChoiceScreen Button {
        width: 100%;
        margin: 1 0 0 0;
    }
    """

    def __init__(self, question: str, choices: list[tuple[str, str]]) -> None:
        """``question`` and each choice's words are keys of the screens' texts; a choice is
        (what the dialog answers, its words), the safe one first."""
        super().__init__()
        self._question, self._choices = question, choices

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Words(self.t(self._question))
            for rank, (answer, words) in enumerate(self._choices):
                yield Button(self.t(words), id=answer, variant="primary" if rank == 0 else
                             "default", action=f"screen.answer('{answer}')")

    def action_close(self) -> None:
        self.action_answer(self._choices[0][0])
