"""A hostile or confused visitor: random keys, clicks and long pauses never crash the kiosk or
leave its screens.

Events go to the app as a terminal sends them (a key; a mouse button down then up), and each is
followed only by waiting until the screen has handled what is queued: no fixed sleeps. Pauses
move the app's clock, not the test's.
"""

from __future__ import annotations

import asyncio
import random

import pytest
from textual import events

from kiosk.ui.app import KioskApp
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.screens.dialog import Dialog

KEYS = [
    *"123456789", "up", "down", "left", "right", "enter", "escape", "backspace", "tab",
    "space", "pageup", "pagedown", "l", "q", "ctrl+c", "ctrl+p", "ctrl+z", "f1", "home",
    *["enter"] * 10, *"1234" * 3,  # weighted so the visitor gets past the first screens
]
PAUSES = [5.0, 60.0, 95.0, 200.0]  # seconds the visitor walks away for
OUR_SCREENS = (KioskScreen, Dialog)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def key(name: str) -> events.Key:
    return events.Key(name, name if len(name) == 1 else None)


def click(x: int, y: int) -> list[events.MouseEvent]:
    place = {"x": x, "y": y, "delta_x": 0, "delta_y": 0, "button": 1, "shift": False,
             "meta": False, "ctrl": False, "screen_x": x, "screen_y": y}
    return [events.MouseDown(None, **place), events.MouseUp(None, **place)]


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_random_keys_clicks_and_pauses_never_crash_or_leave_the_kiosk(make_app, seed: int) -> None:
    rng = random.Random(seed)
    clock = Clock()
    app: KioskApp = make_app(clock=clock)

    async def scenario() -> None:
        seen: set[str] = set()
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(300):
                dice = rng.random()
                if dice < 0.05:
                    clock.now += rng.choice(PAUSES)
                    app.check_presence()
                else:
                    sent = click(rng.randrange(80), rng.randrange(24)) if dice < 0.25 else \
                        [key(rng.choice(KEYS))]
                    for event in sent:
                        app.post_message(event)
                await pilot.pause(0)  # until the screen has handled what is queued
                assert isinstance(app.screen, OUR_SCREENS), app.screen
                seen.add(type(app.screen).__name__)
            await pilot.pause()  # let the last keys settle before the test stops the app
            assert app.is_running
        assert {"QuestionScreen", "IdleScreen"} <= seen, f"the random visitor saw only {seen}"

    asyncio.run(scenario())
