"""What every visitor screen shares: its words follow the app's language, at any moment, and
it reaches the visit and the navigation only through the app."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.screen import Screen
from textual.widgets import Button

from kiosk.ui.strings import Localized

if TYPE_CHECKING:
    from kiosk.ui.app import KioskApp


class KioskScreen(Localized, Screen[None]):
    @property
    def kiosk(self) -> KioskApp:
        """The app, with the visit and the navigation (visitor screens run only in it)."""
        return cast("KioskApp", self.app)

    def on_mount(self) -> None:
        self.focus_default()

    def language_changed(self) -> None:
        """Called by the app (not a watcher on it: that would keep every past screen, and
        the visitor's answers on it, alive for as long as the app runs)."""
        self.show_again()

    def show_again(self) -> None:
        """Compose the screen anew, from its own queue: keys and buttons run actions in other
        queues, and two recompositions at once would each remove what the other built."""
        self.call_later(self._recompose_and_focus)

    async def _recompose_and_focus(self) -> None:
        if self.can_compose():
            await self.recompose()
            self.focus_default()

    def can_compose(self) -> bool:
        """False once what the screen shows is gone (the visit ended before it was shown)."""
        return True

    def focus_default(self) -> None:
        """Put the focus where a keyboard user expects it: the main (primary) button."""
        buttons = self.query(Button)
        primary = buttons.filter(".-primary")
        if primary:
            primary.first().focus()
        elif buttons:
            buttons.first().focus()
