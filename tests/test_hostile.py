"""A hostile or confused visitor: random keys and clicks never crash the kiosk or leave it."""

from __future__ import annotations

import asyncio
import random

import pytest

from kiosk.ui.app import KioskApp
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.screens.confirm import ConfirmScreen
from kiosk.ui.screens.idle import IdleScreen
from kiosk.ui.screens.takeaway import TakeawayScreen

KEYS = [
    *"123456789", "up", "down", "left", "right", "enter", "escape", "backspace", "tab",
    "space", "pageup", "pagedown", "l", "q", "ctrl+c", "ctrl+p", "ctrl+z", "f1", "home",
    *["enter"] * 10, *"1234" * 3,  # weighted so the visitor gets past the first screens
]
OUR_SCREENS = (KioskScreen, ConfirmScreen, IdleScreen, TakeawayScreen)


@pytest.mark.parametrize("seed", [1, 2])
def test_random_keys_and_clicks_never_crash_or_leave_the_kiosk(make_app, seed: int) -> None:
    rng = random.Random(seed)
    app: KioskApp = make_app(idle_after=3.0, idle_countdown=1)

    async def scenario() -> None:
        seen: set[str] = set()
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(200):
                if rng.random() < 0.25:
                    await pilot.click(offset=(rng.randrange(80), rng.randrange(24)))
                else:
                    await pilot.press(rng.choice(KEYS))
                assert isinstance(app.screen, OUR_SCREENS), app.screen
                seen.add(type(app.screen).__name__)
            assert app.is_running
        assert "QuestionScreen" in seen, f"the random visitor never got to a question: {seen}"

    asyncio.run(scenario())
