"""The kiosk's two looks: every text on every visitor screen at a contrast of at least 4.5:1
(WCAG 2.2 AA) in both, measured on the colours Textual really draws; high contrast switched
from the welcome screen by keyboard or mouse and kept for the visitors after (a setting of the
kiosk, never of a visitor); large text offered where it can work, in a browser."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from monkey import Clock, settle
from test_lockdown import SCREENS, run
from textual.pilot import Pilot
from textual.theme import BUILTIN_THEMES, Theme
from textual.widget import Widget

from kiosk.display import Display, DisplayFile
from kiosk.storage import ResultStore
from kiosk.storage.disk import week_start
from kiosk.ui.app import KioskApp
from kiosk.ui.screens.welcome import WelcomeScreen
from kiosk.ui.themes import HIGH_CONTRAST, THEMES
from kiosk.ui.web.server import FONT_SIZE, LARGE_FONT_SIZE, page_font_size

AA = 4.5


def luminance(rgb: tuple[int, int, int]) -> float:
    """WCAG 2.2 relative luminance of an sRGB colour."""

    def linear(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(v) for v in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(one: tuple[int, int, int], other: tuple[int, int, int]) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def low_contrasts(app: KioskApp) -> list[str]:
    """Every widget on screen whose text colour, against its background, is below AA: the
    colours after Textual has blended transparency and resolved its automatic text colours."""
    found = []
    for widget in app.screen.query(Widget):
        if not (widget.display and widget.visible):
            continue
        style = widget.rich_style
        if style.color is None or style.bgcolor is None:
            continue
        ratio = contrast(tuple(style.color.get_truecolor()), tuple(style.bgcolor.get_truecolor()))
        if ratio < AA:
            found.append(f"{type(widget).__name__}#{widget.id} {ratio:.2f}")
    return found


def contrasts_on_every_screen(make_app, theme: Theme) -> dict[str, list[str]]:
    clock = Clock()
    app: KioskApp = make_app(clock=clock)
    found: dict[str, list[str]] = {}

    async def scenario(pilot: Pilot[None]) -> None:
        app.register_theme(theme)
        app.theme = theme.name
        for screen_type, set_up in SCREENS.items():
            # The visitor is there: after the idle dialog's jump of the clock, the kiosk's
            # presence check would otherwise ask again over the next screen.
            await pilot.hover(None)
            await set_up(app, pilot, clock)
            assert isinstance(app.screen, screen_type)
            found[screen_type.__name__] = low_contrasts(app)

    run(app, scenario)
    return found


@pytest.mark.parametrize("look", sorted(THEMES))
def test_every_text_on_every_visitor_screen_meets_aa_in_both_looks(make_app, look: str) -> None:
    found = contrasts_on_every_screen(make_app, THEMES[look])
    assert set(found) == {screen.__name__ for screen in SCREENS}
    assert found == {name: [] for name in found}


def test_the_contrast_check_sees_a_main_button_below_aa(make_app) -> None:
    """Textual's own dark theme: light text on its blue main button is 3.6:1."""
    found = contrasts_on_every_screen(make_app, BUILTIN_THEMES["textual-dark"])
    assert any(problem.startswith("Button#start ") for problem in found["WelcomeScreen"])


def test_high_contrast_by_keyboard_is_kept_for_the_next_visitors(make_app,
                                                                 store: ResultStore) -> None:
    display = DisplayFile(store.data_dir)
    app: KioskApp = make_app(display=display)

    async def scenario(pilot: Pilot[None]) -> None:
        assert app.theme == "kiosk-calm" and isinstance(app.screen, WelcomeScreen)
        await pilot.press("right", "right")  # past "Commencer" and "English"
        assert app.focused is not None and app.focused.id == "contrast"
        await pilot.press("enter")
        await settle(pilot)
        assert app.theme == HIGH_CONTRAST.name
        assert app.focused is not None and app.focused.id == "contrast"  # still there
        assert "Couleurs habituelles" in str(app.screen.query_one("#contrast").render())
        await app.workers.wait_for_complete()

    run(app, scenario)
    assert json.loads(display.path.read_text()) == {"look": "high_contrast", "large_text": False}
    assert display.path.stat().st_mtime == week_start(date.today())
    assert make_app(display=display).theme == HIGH_CONTRAST.name  # the next visitor's kiosk


def test_high_contrast_by_mouse_and_back(make_app, store: ResultStore) -> None:
    display = DisplayFile(store.data_dir)
    app: KioskApp = make_app(display=display)

    async def scenario(pilot: Pilot[None]) -> None:
        await pilot.click("#contrast")
        await settle(pilot)
        assert app.theme == HIGH_CONTRAST.name
        while app.screen.query_one("#contrast").has_class("-active"):  # a button pressed
            await pilot.pause(0.05)  # takes no second press for a moment (Textual's own)
        await pilot.click("#contrast")
        await settle(pilot)
        assert app.theme == "kiosk-calm"
        await app.workers.wait_for_complete()

    run(app, scenario)
    assert display.read() == Display()


def test_large_text_is_offered_in_a_browser_only(make_app, store: ResultStore) -> None:
    display = DisplayFile(store.data_dir)
    in_terminal: KioskApp = make_app(display=display)

    async def no_button(pilot: Pilot[None]) -> None:
        assert not in_terminal.screen.query("#large-text")

    run(in_terminal, no_button)
    in_browser: KioskApp = make_app(display=display, in_browser=True)

    async def choose_large(pilot: Pilot[None]) -> None:
        await pilot.click("#large-text")
        await in_browser.workers.wait_for_complete()
        await settle(pilot)

    run(in_browser, choose_large)
    assert in_browser.return_code == 0  # the page opens a fresh kiosk, at the new size
    assert display.read() == Display(large_text=True)
    assert page_font_size(display.read()) == LARGE_FONT_SIZE > FONT_SIZE


def test_an_unreadable_display_file_is_the_usual_look(tmp_path: Path) -> None:
    display = DisplayFile(tmp_path)
    for text in ("", "{", "[]", '{"look": "neon", "large_text": "yes"}'):
        display.path.write_text(text)
        assert display.read() == Display(), text
