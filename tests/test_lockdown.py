"""A locked-down public kiosk: no key a visitor can press leaves the app, opens anything but a
visitor screen, or shows an earlier visitor's data; a random presser changes nothing of that.

Keys reach the app as a terminal sends them and each is followed only by waiting until the app
has handled it (see ``benchmarks/monkey.py``, which runs the long version)."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from monkey import (
    SYSTEM_KEYS,
    VISITOR_KEYS,
    Clock,
    inconsistencies,
    key,
    monkey,
    screen_text,
    settle,
)
from test_staff_ui import COORDINATOR_PIN, PIN, answer_guided, no_staff_screen, type_pin
from textual.pilot import Pilot

from kiosk.staff import StaffAccess
from kiosk.storage import ResultStore
from kiosk.storage.saver import SaveQueue
from kiosk.ui import keys
from kiosk.ui.app import KioskApp
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.screens.confirm import ChoiceScreen
from kiosk.ui.screens.dialog import Dialog
from kiosk.ui.screens.idle import IdleScreen
from kiosk.ui.screens.notice import NoticeScreen
from kiosk.ui.screens.out_of_service import OutOfServiceScreen
from kiosk.ui.screens.question import QuestionScreen
from kiosk.ui.screens.result import ResultScreen
from kiosk.ui.screens.takeaway import TakeawayScreen
from kiosk.ui.screens.welcome import WelcomeScreen
from kiosk.ui.staff.code import CodeScreen
from kiosk.ui.staff.coordinator import CoordinatorHome
from kiosk.ui.staff.home import MediatorHome
from kiosk.ui.staff.mode import STOPPED_BY_STAFF
from kiosk.ui.staff.notes import NotesScreen
from kiosk.ui.staff.pin import PinDialog
from kiosk.ui.staff.question import GuidedQuestionScreen
from kiosk.ui.staff.result import StaffResultScreen
from kiosk.visit import Assessment, Visit

Setup = Callable[[KioskApp, Pilot[None], Clock], Awaitable[None]]


async def send(app: KioskApp, pilot: Pilot[None], *names: str) -> None:
    """Keys as a terminal sends them, then waiting until the app has handled them (and any PIN
    check has ended)."""
    for name in names:
        app.post_message(key(name))
        await settle(pilot)
    if app.workers:
        await app.workers.wait_for_complete()
        await pilot.pause()


async def finish_questions(app: KioskApp, pilot: Pilot[None]) -> None:
    for _ in range(40):
        if not isinstance(app.screen, QuestionScreen):
            return
        app.post_message(key("2"))
        await settle(pilot)
    raise AssertionError("the assessment never ended")


async def to_welcome(app: KioskApp, pilot: Pilot[None], clock: Clock) -> None:
    app.reset_to_welcome()
    await settle(pilot)


async def to_notice(app: KioskApp, pilot: Pilot[None], clock: Clock) -> None:
    await to_welcome(app, pilot, clock)
    app.action_show_notice()
    await settle(pilot)


async def to_question(app: KioskApp, pilot: Pilot[None], clock: Clock) -> None:
    if not isinstance(app.screen, QuestionScreen):
        await to_notice(app, pilot, clock)
        app.action_start_visit()
        await settle(pilot)


async def to_stop_dialog(app: KioskApp, pilot: Pilot[None], clock: Clock) -> None:
    await to_question(app, pilot, clock)
    app.action_stop()
    await settle(pilot)


async def to_idle_dialog(app: KioskApp, pilot: Pilot[None], clock: Clock) -> None:
    await to_question(app, pilot, clock)
    clock.now += 100
    app.check_presence()
    await settle(pilot)


async def to_result(app: KioskApp, pilot: Pilot[None], clock: Clock) -> None:
    if not isinstance(app.screen, ResultScreen):
        await to_question(app, pilot, clock)
        await finish_questions(app, pilot)


async def to_takeaway(app: KioskApp, pilot: Pilot[None], clock: Clock) -> None:
    await to_result(app, pilot, clock)
    screen = app.screen
    assert isinstance(screen, ResultScreen)
    screen.action_takeaway()
    await settle(pilot)


SCREENS: dict[type, Setup] = {
    WelcomeScreen: to_welcome,
    NoticeScreen: to_notice,
    QuestionScreen: to_question,
    ChoiceScreen: to_stop_dialog,
    IdleScreen: to_idle_dialog,
    ResultScreen: to_result,
    TakeawayScreen: to_takeaway,
}


def run(app: KioskApp, scenario: Callable[[Pilot[None]], Awaitable[None]],
        size: tuple[int, int] = (80, 24)) -> None:
    async def go() -> None:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await scenario(pilot)

    asyncio.run(go())


async def to_statement(app: KioskApp, pilot: Pilot[None], clock: Clock) -> None:
    """The first statement after the context questions (another kind of question screen)."""
    await to_question(app, pilot, clock)
    while app.visit is not None and app.visit.current is not None \
            and app.visit.current.kind == "context":
        app.post_message(key("1"))
        await settle(pilot)


async def to_pin_prompt(app: KioskApp, pilot: Pilot[None], clock: Clock) -> None:
    await to_welcome(app, pilot, clock)
    app.action_staff()
    await settle(pilot)


# Every visitor screen, and the PIN prompt a visitor can open from any of them.
VISITOR_SCREENS: dict[str, Setup] = {
    **{screen.__name__: setup for screen, setup in SCREENS.items()},
    "statement": to_statement,
    "PinDialog": to_pin_prompt,
}


def test_every_binding_is_among_the_keys_tried() -> None:
    bound = {name.strip() for group in (keys.APP, keys.QUESTION, keys.SCREEN, keys.DIALOG,
                                        keys.SCROLL, keys.STAFF_BACK)
             for binding in group for name in binding.key.split(",")}
    assert bound <= set(VISITOR_KEYS)
    assert {"ctrl+k", "ctrl+q", "ctrl+c", "escape", "enter", "1", "l", "backspace"} \
        <= set(VISITOR_KEYS)


@pytest.mark.slow  # about 150 key presses a screen
@pytest.mark.parametrize("screen", VISITOR_SCREENS)
def test_no_key_leaves_the_kiosk_reaches_staff_or_shows_an_earlier_visitor(
    make_app, staff: StaffAccess, screen: str
) -> None:
    """With a PIN set (without one, nothing can open at all: see ``test_staff_ui``): every
    key, on each visitor screen, then all the digits and Enter in the PIN prompt it may open."""
    staff.pins.set("mediator", PIN)
    clock = Clock()
    app: KioskApp = make_app(clock=clock)
    setup = VISITOR_SCREENS[screen]
    prompted: list[str] = []  # the keys that opened the PIN prompt
    moved = 0  # keys that changed the screen: the keys do reach the app

    def check(what: str) -> None:
        found = inconsistencies(app, earlier - {app.result_code})
        assert not found, f"{what} on {screen}: {found}"
        assert no_staff_screen(app), f"{what} on {screen}"

    async def scenario(pilot: Pilot[None]) -> None:
        nonlocal moved
        # The previous visitor, answered through the model: quicker than by keys.
        app.visit = Visit(app.assessment, "fr", seed=1)
        while (question := app.visit.current) is not None:
            app.visit.answer(question.options[-1].id)
        app.complete_visit()
        await settle(pilot)
        earlier.add(app.result_code)
        await setup(app, pilot, clock)
        shown = app.screen
        assert screen in (type(shown).__name__, "statement"), shown
        for name in VISITOR_KEYS:
            before = app.screen
            await send(app, pilot, name)
            check(name)
            if name in SYSTEM_KEYS:  # not one of the kiosk's keys: nothing happens
                assert app.screen is before, f"{name} on {screen}"
                continue
            if isinstance(app.screen, PinDialog) and not isinstance(before, PinDialog):
                prompted.append(name)
                await send(app, pilot, *"0123456789", "enter")
                check(f"the digits after {name}")
            if app.screen is not before:  # the kiosk's own key moved on: back again
                moved += 1
                await setup(app, pilot, clock)

    earlier: set[str | None] = set()
    run(app, scenario)
    # The staff key opens the PIN prompt from every screen (on the prompt itself, the loop
    # has typed every digit and Enter).
    assert screen == "PinDialog" or "ctrl+k" in prompted
    assert moved >= 1


def test_no_key_leaves_the_out_of_service_screen(tmp_path: Path,
                                                 assessment: Assessment) -> None:
    (tmp_path / "results.jsonl").mkdir(parents=True)
    saver = SaveQueue(lambda: ResultStore(tmp_path), retry_every=60)
    saver.start()
    app = KioskApp(assessment, saver)

    async def scenario(pilot: Pilot[None]) -> None:
        for name in VISITOR_KEYS:
            app.post_message(key(name))
            await settle(pilot)
            assert isinstance(app.screen, OutOfServiceScreen), name
            assert app.is_running and app.visit is None, name

    run(app, scenario)
    saver.close()


def test_ctrl_q_quits_only_outside_kiosk_mode(make_app) -> None:
    for kiosk_mode, quits in ((True, False), (False, True)):
        app: KioskApp = make_app(kiosk_mode=kiosk_mode)

        async def scenario(pilot: Pilot[None], app: KioskApp = app) -> None:
            await pilot.press("ctrl+q")
            await settle(pilot)

        run(app, scenario)
        assert (app.return_code is not None) == quits, kiosk_mode


def test_kiosk_mode_keeps_the_terminal_signal_keys_off(make_app,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEXTUAL_ALLOW_SIGNALS", "1")
    make_app(kiosk_mode=False)
    assert "TEXTUAL_ALLOW_SIGNALS" in os.environ
    make_app()
    assert "TEXTUAL_ALLOW_SIGNALS" not in os.environ


def test_the_app_exits_once_a_session_is_over_when_asked(make_app, store: ResultStore) -> None:
    app: KioskApp = make_app(exit_after_session=True)

    async def scenario(pilot: Pilot[None]) -> None:
        await pilot.press("l", "l")  # a language switch is no session
        app.reset_to_welcome()
        await settle(pilot)
        assert app.return_code is None and isinstance(app.screen, WelcomeScreen)
        await pilot.press("enter", "enter")
        await settle(pilot)
        await finish_questions(app, pilot)
        for _ in range(3):  # "finish", confirmed, and no optional question answered
            await pilot.click("#finish")
            await settle(pilot)

    run(app, scenario)
    assert app.return_code == 0
    assert app.saver.wait_idle()
    [record] = list(store.records())
    assert record.completion == "completed"


def test_a_visit_cut_short_by_the_exit_is_kept_as_left(make_app, store: ResultStore) -> None:
    app: KioskApp = make_app()

    async def scenario(pilot: Pilot[None]) -> None:
        await pilot.press("enter", "enter", "1", "1")
        await settle(pilot)
        assert isinstance(app.screen, QuestionScreen)
        app.exit()  # as SIGTERM from the service manager, or the browser tab closed, does

    run(app, scenario)
    assert app.saver.wait_idle()
    [record] = list(store.records())
    assert record.completion == "timed_out"


@pytest.mark.slow  # about 1,000 random events in all (the long run: benchmarks/monkey.py)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_random_presser_never_crashes_leaves_or_reveals(assessment: Assessment,
                                                          tmp_path: Path, seed: int) -> None:
    # Each seed reaches three visits and a result in 350 events (measured).
    report = monkey(assessment, seed, 350, (80, 24), tmp_path)
    assert report.problems == []
    assert report.events == 350 and report.walks_away > 0 and report.clicks > 50
    assert report.visits >= 2 and report.saved == report.submitted > 0
    seen = set(report.screens)
    assert {"WelcomeScreen", "QuestionScreen", "IdleScreen"} <= seen, seen


def test_the_consistency_check_sees_an_earlier_code(make_app) -> None:
    """The check the tests above rely on can fail: the code on screen, once it is an
    earlier visitor's, is reported."""
    app: KioskApp = make_app()

    async def scenario(pilot: Pilot[None]) -> None:
        await to_result(app, pilot, Clock())
        assert app.result_code in screen_text(app).replace(" ", "")
        assert inconsistencies(app, set()) == []
        assert inconsistencies(app, {app.result_code}) != []

    run(app, scenario)


def test_staff_stop_the_kiosk_from_behind_the_pin(make_app, staff: StaffAccess) -> None:
    staff.pins.set("mediator", PIN)
    app: KioskApp = make_app()

    async def scenario(pilot: Pilot[None]) -> None:
        await type_pin(app, pilot, PIN)
        assert isinstance(app.screen, MediatorHome)
        await pilot.click("#stop-kiosk")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.click("#stop")
        await settle(pilot)

    run(app, scenario, size=(100, 40))
    assert app.return_code == STOPPED_BY_STAFF
    events = [json.loads(line)["event"] for line in staff.audit.path.read_text().splitlines()]
    assert events[-2:] == ["kiosk_stopped", "staff_left"]


async def to_staff_area(app: KioskApp, pilot: Pilot[None], area: str) -> None:
    app.open_staff_area(area)  # type: ignore[arg-type]
    await settle(pilot)


async def to_guided_result(app: KioskApp, pilot: Pilot[None]) -> None:
    await to_staff_area(app, pilot, "mediator")
    app.action_start_guided()
    await settle(pilot)
    await answer_guided(app, pilot)
    await settle(pilot)


async def then(app: KioskApp, pilot: Pilot[None], action: Callable[[], object]) -> None:
    action()
    await settle(pilot)


STAFF_SCREENS = ("coordinator home", "mediator home", "code entry", "guided question",
                 "guided stop dialog", "guided result", "notes", "stop-kiosk dialog")


@pytest.mark.slow  # about 50 key presses a screen
@pytest.mark.parametrize("name", STAFF_SCREENS)
def test_no_key_leaves_a_staff_screen_but_their_own(make_app, staff: StaffAccess,
                                                    name: str) -> None:
    """Behind the PIN too, in kiosk mode: Ctrl+Q, the staff key again and every key a terminal
    or a desktop acts on leave staff on the same screen of the running kiosk."""
    staff.pins.set("coordinator", COORDINATOR_PIN)
    app: KioskApp = make_app()
    tried: list[type] = []

    async def go_to(pilot: Pilot[None]) -> None:
        await to_staff_area(app, pilot, "mediator" if name != "coordinator home"
                            else "coordinator")
        steps: dict[str, list[Callable[[], object]]] = {
            "code entry": [app.action_enter_code],
            "guided question": [app.action_start_guided],
            "guided stop dialog": [app.action_start_guided, app.stop_guided],
            "stop-kiosk dialog": [app.action_stop_kiosk],
        }
        if name in ("guided result", "notes"):
            await to_guided_result(app, pilot)
        if name == "notes":
            steps["notes"] = [app.action_take_notes]
        for step in steps.get(name, []):
            await then(app, pilot, step)

    async def scenario(pilot: Pilot[None]) -> None:
        await type_pin(app, pilot, COORDINATOR_PIN)
        await go_to(pilot)
        before = app.screen
        tried.append(type(before))
        for pressed in ["ctrl+q", "ctrl+k", *SYSTEM_KEYS]:
            app.post_message(key(pressed))
            await settle(pilot)
            assert app.is_running and app.return_code is None, f"{pressed} on {name}"
            assert app.screen is before and app.in_staff_mode, f"{pressed} on {name}"
        if isinstance(before, Dialog):
            before.dismiss(False)  # the safe answer
            await settle(pilot)

    run(app, scenario, size=(100, 40))
    assert app.return_code is None
    expected = {"coordinator home": CoordinatorHome, "mediator home": MediatorHome,
                "code entry": CodeScreen, "guided question": GuidedQuestionScreen,
                "guided stop dialog": ChoiceScreen, "guided result": StaffResultScreen,
                "notes": NotesScreen, "stop-kiosk dialog": ChoiceScreen}[name]
    assert tried == [expected]
    assert issubclass(expected, (KioskScreen, Dialog))
