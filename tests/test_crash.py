"""A crash in front of a visitor: nothing of theirs is shown or logged, and the kiosk restarts."""

from __future__ import annotations

import asyncio
import logging

import pytest

from kiosk.cli import run_until_quit
from kiosk.storage.saver import SaveQueue
from kiosk.ui.app import KioskApp


class Crashing(KioskApp):
    def action_start_visit(self) -> None:
        raise ValueError("secret answer of the visitor")


def test_a_crash_logs_where_not_what(
    assessment, store, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    """Pins the Textual behaviour the kiosk relies on (it has no public hook for unhandled
    errors): an error in a handler reaches ``KioskApp._fatal_error``, and nothing is printed."""
    app = Crashing(assessment, SaveQueue.of(store))

    async def scenario() -> None:
        async with app.run_test() as pilot:
            await pilot.press("enter", "enter")
            await pilot.pause()

    with caplog.at_level(logging.ERROR), pytest.raises(ValueError):
        asyncio.run(scenario())
    assert app.return_code == 1
    [record] = [r for r in caplog.records if "stopped on ValueError" in r.getMessage()]
    assert "test_crash.py:" in record.getMessage()
    assert "secret" not in caplog.text
    printed = capsys.readouterr()
    assert "secret" not in printed.out + printed.err
    assert "Traceback" not in printed.out + printed.err, "no traceback (nor its locals) shown"


class FakeApp:
    def __init__(self, code: int, runs_for: float, clock: list[float]) -> None:
        self.return_code: int | None = None
        self._code, self._clock, self._runs_for = code, clock, runs_for

    def run(self) -> None:
        self._clock[0] += self._runs_for
        self.return_code = self._code


def test_a_crashed_kiosk_restarts_until_staff_quit() -> None:
    clock = [0.0]
    plan = [(1, 600.0), (1, 900.0), (0, 50.0)]  # two crashes long after start, then Ctrl+Q
    made: list[FakeApp] = []

    def make() -> FakeApp:
        made.append(FakeApp(*plan[len(made)], clock=clock))
        return made[-1]

    assert run_until_quit(make, clock=lambda: clock[0]) == 0
    assert len(made) == 3


def test_a_kiosk_that_crashes_at_once_is_not_restarted_forever() -> None:
    clock = [0.0]
    made: list[FakeApp] = []

    def make() -> FakeApp:
        made.append(FakeApp(1, runs_for=1.0, clock=clock))
        return made[-1]

    assert run_until_quit(make, clock=lambda: clock[0]) == 1
    assert len(made) == 2
