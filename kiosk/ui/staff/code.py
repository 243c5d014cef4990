"""Opening a visitor's result from the code on their screen or ticket."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from kiosk.takeaway import CODE_ALPHABET, CODE_LENGTH
from kiosk.ui.staff.base import StaffScreen


class CodeScreen(StaffScreen):
    DEFAULT_CSS = """
    CodeScreen #code {
        width: 20;
        margin: 1 0 0 0;
    }
    CodeScreen #code-message {
        color: $text-warning;
    }
    """

    def compose(self) -> ComposeResult:
        with Vertical(id="code-entry", classes="panel"):
            yield Static(self.t("code_heading"), classes="heading")
            yield Static(self.t("code_body"), classes="body")
            # Either case, and the space the screen shows in the middle.
            allowed = CODE_ALPHABET + CODE_ALPHABET.lower()
            yield Input(restrict=f"[{allowed} ]*", max_length=CODE_LENGTH + 1, id="code",
                        placeholder="K7P Q3X")
            yield Static("", id="code-message", classes="body")
            with Horizontal(classes="actions"):
                yield Button(self.t("code_open"), id="code-open", variant="primary",
                             action="screen.open")
                yield Button(self.t("back"), id="code-back", action="screen.back")

    def focus_default(self) -> None:
        for field in self.query("#code").results(Input):
            field.focus()

    def on_input_submitted(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        field = self.query_one("#code", Input)
        typed, field.value = field.value, ""
        if not self.kiosk.open_result_code(typed):
            self.query_one("#code-message", Static).update(self.t("code_unknown"))
