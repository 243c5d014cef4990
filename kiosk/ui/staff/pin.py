"""The PIN prompt, over the visitor's screen: the one door to the staff screens.

The PIN is checked in a worker thread (a slow hash takes a quarter of a second per role) and
the field is emptied at once, so the PIN stays neither on screen nor in the widget. With no PIN
set, the prompt only says how to set one.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, cast

from textual import work
from textual.app import ComposeResult
from textual.containers import Center, Horizontal, Vertical
from textual.widgets import Button, Input, Static

from kiosk.staff import Attempt, StaffAccess
from kiosk.staff.pins import PIN_FORM
from kiosk.storage.errors import StorageError
from kiosk.ui.screens.dialog import Dialog

if TYPE_CHECKING:
    from kiosk.ui.app import KioskApp


class PinDialog(Dialog[None]):
    DEFAULT_CSS = """
    PinDialog #pin {
        width: 24;
        margin: 1 0 0 0;
    }
    PinDialog #pin-message {
        color: $text-warning;
    }
    """

    def __init__(self, access: StaffAccess) -> None:
        super().__init__()
        self._access = access

    def compose(self) -> ComposeResult:
        try:
            no_pin = not self._access.pins.roles()
        except (StorageError, ValueError) as exc:
            no_pin, problem = True, str(exc)
        else:
            problem = ""
        with Vertical(classes="dialog"):
            yield Static(self.t("pin_heading"), classes="heading")
            if no_pin:
                yield Static(problem or self.t("pin_none"), id="pin-message", classes="body")
            else:
                yield Input(password=True, restrict=r"[0-9]*", max_length=12, id="pin",
                            placeholder=self.t("pin_placeholder"))
                yield Static("", id="pin-message", classes="body")
            with Center(), Horizontal(classes="actions"):
                if not no_pin:
                    yield Button(self.t("pin_open"), id="pin-open", action="screen.check")
                yield Button(self.t("pin_cancel"), id="pin-cancel", variant="primary",
                             action="screen.dismiss")

    # The PIN field (the safe button when there is none, or while it is locked).
    FIRST_FOCUS = "#pin, Button.-primary"

    def on_mount(self) -> None:
        if self._access.lockout.state().wait:
            self._answered(Attempt("locked", wait=self._access.lockout.state().wait))

    def on_input_submitted(self) -> None:
        self.action_check()

    def action_check(self) -> None:
        field = self.query_one("#pin", Input)
        pin, field.value = field.value, ""
        if not PIN_FORM.match(pin):
            self._say(self.t("pin_form"))
            return
        field.disabled = True
        self._say(self.t("pin_checking"))
        self._check(pin)

    @work(thread=True, exclusive=True)
    def _check(self, pin: str) -> None:
        try:
            attempt = self._access.try_pin(pin)
        except (StorageError, ValueError) as exc:
            self.app.call_from_thread(self._say, str(exc))
            return
        self.app.call_from_thread(self._answered, attempt)

    def _answered(self, attempt: Attempt) -> None:
        if attempt.outcome == "granted" and attempt.role is not None:
            self.dismiss()
            cast("KioskApp", self.app).enter_staff(attempt.role)
            return
        for field in self.query("#pin").results(Input):
            field.disabled = attempt.outcome == "locked"
            field.focus()
        if attempt.outcome == "locked":
            self._say(self.t("pin_locked", minutes=max(1, math.ceil(attempt.wait / 60))))
        elif attempt.outcome == "no_pin":
            self._say(self.t("pin_none"))
        else:
            self._say(self.t("pin_wrong", n=attempt.tries_left))

    def _say(self, message: str) -> None:
        for label in self.query("#pin-message").results(Static):
            label.update(message)
