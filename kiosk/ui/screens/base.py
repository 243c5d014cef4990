"""What every visitor screen shares: its texts follow the app's language, at any moment."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen
from textual.widgets import Button

from kiosk.datafile import Text

if TYPE_CHECKING:
    from kiosk.ui.app import KioskApp


class KioskScreen(Screen[None]):
    @property
    def kiosk(self) -> KioskApp:
        from kiosk.ui.app import KioskApp

        assert isinstance(self.app, KioskApp)
        return self.app

    def t(self, key: str, **values: object) -> str:
        """A screen text in the visitor's language."""
        return self.kiosk.strings.get(key, self.kiosk.language, **values)

    def tr(self, text: Text) -> str:
        """A questionnaire text in the visitor's language."""
        return text.get(self.kiosk.language)

    def on_mount(self) -> None:
        self.focus_default()

    async def language_changed(self) -> None:
        """Called by the app (not a watcher on it: that would keep every past screen, and
        the visitor's answers on it, alive for as long as the app runs)."""
        await self.recompose()
        self.focus_default()

    def focus_default(self) -> None:
        """Put the focus where a keyboard user expects it on this screen."""
        buttons = self.query(Button)
        if buttons:
            buttons.first().focus()

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        """Buttons with an id ``nav-ACTION`` run this screen's action of that name."""
        button_id = event.button.id or ""
        if button_id.startswith("nav-"):
            event.stop()
            await self.run_action(button_id.removeprefix("nav-"))

    def action_switch_language(self) -> None:
        self.kiosk.action_switch_language()
