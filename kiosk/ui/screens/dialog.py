"""What the kiosk's dialogs share: shown over the current screen, the safe answer (the primary
button) focused first, the arrows between buttons, and Esc for the safe answer."""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual.screen import ModalScreen

from kiosk.ui import keys
from kiosk.ui.strings import Localized

ResultT = TypeVar("ResultT")


class Dialog(Localized, ModalScreen[ResultT]):
    """Buttons answer with ``action="screen.answer(...)"``; Esc answers ``ON_ESCAPE``."""

    BINDINGS = keys.DIALOG
    DEFAULT_CSS = """
    Dialog {
        align: center middle;
        background: $background 60%;
    }
    Dialog .dialog {
        width: 60;
        height: auto;
        padding: 1 2;
        border: thick $accent;
        background: $surface;
    }
    """
    ON_ESCAPE: ClassVar[object] = None
    # What has the focus when the dialog opens: the first of these that can take it. Set while
    # mounting, so that keys typed as soon as the dialog shows reach it.
    FIRST_FOCUS: ClassVar[str] = "Button.-primary"

    def on_mount(self) -> None:
        # None when the dialog was closed as soon as it was opened.
        for widget in self.query(self.FIRST_FOCUS):
            if widget.focusable:
                widget.focus()
                break

    def action_close(self) -> None:
        self.action_answer(self.ON_ESCAPE)  # type: ignore[arg-type]

    def action_answer(self, result: ResultT | None = None) -> None:
        """Answer once, while on top: a click or key already queued when the dialog closed
        must not close (pop) the screen under it."""
        if self.app.screen is self:
            self.dismiss(result)
