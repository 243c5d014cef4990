"""The staff screens through the real app, driven by Textual's pilot: the only way in is the
staff key and a PIN; leaving leaves nothing; guided sessions and results opened by their code."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import logging
import os
import threading
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import FAST_PINS, TUESDAY_1PM
from monkey import key, settle
from textual.pilot import Pilot
from textual.widgets import Button, Input, SelectionList, Static

from kiosk.exports.export import Request, export_records
from kiosk.staff import StaffAccess
from kiosk.staff.session import StaffSession
from kiosk.storage import ResultStore
from kiosk.ui.app import KioskApp
from kiosk.ui.screens.result import ResultScreen
from kiosk.ui.screens.welcome import WelcomeScreen
from kiosk.ui.staff.base import StaffScreen
from kiosk.ui.staff.coordinator import CoordinatorHome
from kiosk.ui.staff.home import MediatorHome
from kiosk.ui.staff.mode import STAFF_MODE, VISITOR_MODE
from kiosk.ui.staff.notes import NotesScreen
from kiosk.ui.staff.pin import PinDialog
from kiosk.ui.staff.question import GuidedQuestionScreen
from kiosk.ui.staff.result import StaffResultScreen
from kiosk.visit import Visit

PIN = "739184520613"
COORDINATOR_PIN = "864201357924"
Scenario = Callable[[KioskApp, Pilot[None]], Awaitable[None]]
# A visitor with everything at home: every item can be asked, the pathway follows the levels.
AT_EASE = {"visit_reason": "learn", "urgency": "no", "equipment": "phone_and_computer",
           "internet_home": "yes", "email": "yes", "digital_identity": "yes",
           "help_preference": "either", "age_band": "45-64"}


def drive(app: KioskApp, scenario: Scenario, size: tuple[int, int] = (100, 40)) -> None:
    async def run() -> None:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await scenario(app, pilot)

    asyncio.run(run())
    assert app.saver.wait_idle()


def texts(app: KioskApp) -> str:
    """The words on screen, French typography's no-break spaces read as spaces."""
    return "\n".join([str(w.render()) for w in app.screen.query(Static)]
                      + [str(b.label) for b in app.screen.query(Button)]).replace("\u00a0", " ")


def no_staff_screen(app: KioskApp) -> bool:
    stacks = [s for stack in app._screen_stacks.values() for s in stack]
    return (app.staff_session is None and app.current_mode == VISITOR_MODE
            and STAFF_MODE not in app._modes
            and not any(isinstance(s, StaffScreen) for s in stacks))


async def type_pin(app: KioskApp, pilot: Pilot[None], pin: str) -> None:
    await pilot.press("ctrl+k")
    await pilot.pause()
    assert isinstance(app.screen, PinDialog)
    await pilot.press(*pin, "enter")
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def click(app: KioskApp, pilot: Pilot[None], selector: str) -> None:
    """Click a widget, scrolled into view first (the notes form is longer than the screen)."""
    app.screen.query_one(selector).scroll_visible(animate=False, immediate=True)
    await pilot.pause()
    await pilot.click(selector)
    await pilot.pause()


def option_key(question, option_id: str) -> str:
    ids = [o.id for o in question.options] + ["dont_know"]
    return str(ids.index(option_id) + 1)


async def answer_guided(app: KioskApp, pilot: Pilot[None], fail: str | None = None) -> str:
    """Answer a guided session as someone who says "alone" everywhere and does every task the
    mediator asks, except in the domain of the first task asked when ``fail`` says so: returns
    that domain."""
    failed = ""
    while isinstance(app.screen, GuidedQuestionScreen):
        session = app.staff_session
        assert session is not None and session.guided is not None
        question = session.guided.current
        assert question is not None
        if question.kind == "context":
            chosen = AT_EASE[question.id]
        elif question.kind == "can_do":
            chosen = "alone"
        elif question.kind == "observed":
            failed = failed or (question.domain or "") if fail else failed
            chosen = "not_done" if fail and question.domain == failed else "done"
        else:
            chosen = app.assessment.bank.item(question.id).correct  # type: ignore[union-attr]
        # The key as a terminal sends it, then until the app has handled it: no idle waits,
        # which take longer than the answer does.
        app.post_message(key(option_key(question, chosen)))
        await settle(pilot)
    return failed


# -- the only way in ------------------------------------------------------------------------------

def test_with_no_pin_set_the_prompt_says_how_to_set_one_and_opens_nothing(make_app) -> None:
    async def scenario(app: KioskApp, pilot: Pilot[None]) -> None:
        await pilot.press("ctrl+k")
        await pilot.pause()
        assert isinstance(app.screen, PinDialog)
        assert "kiosk pin set mediator" in texts(app)
        assert not app.screen.query(Input)  # nothing to type a PIN into
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen) and no_staff_screen(app)

    drive(make_app(), scenario)


def test_a_pin_file_replaced_by_a_pipe_is_told_at_once_not_waited_on(
    make_app, staff: StaffAccess
) -> None:
    pins = staff.pins.file.path
    os.mkfifo(pins)
    # Were the prompt to wait on the pipe, a writer that comes later lets it go on, and the
    # test fails on the message instead of hanging.
    def write_late() -> None:
        with contextlib.suppress(OSError):  # no one waiting: nothing to let go
            os.close(os.open(pins, os.O_WRONLY | os.O_NONBLOCK))

    late_writer = threading.Timer(5, write_late)
    late_writer.daemon = True
    late_writer.start()

    async def scenario(app: KioskApp, pilot: Pilot[None]) -> None:
        await pilot.press("ctrl+k")
        await pilot.pause()
        assert isinstance(app.screen, PinDialog)
        assert f"{pins} is damaged (not a file but a folder, a device or a pipe)" in texts(app)
        assert not app.screen.query(Input)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen) and no_staff_screen(app)

    try:
        drive(make_app(), scenario)
    finally:
        late_writer.cancel()


def test_a_wrong_pin_says_so_and_the_right_one_opens_the_mediator_area(
    make_app, staff: StaffAccess
) -> None:
    staff.pins.set("mediator", PIN)

    async def scenario(app: KioskApp, pilot: Pilot[None]) -> None:
        await type_pin(app, pilot, "111111")
        assert isinstance(app.screen, PinDialog)
        assert "Encore 4 essai(s)" in texts(app)
        assert app.screen.query_one(Input).value == ""  # the PIN does not stay in the field
        await pilot.press(*PIN, "enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, MediatorHome) and app.current_mode == STAFF_MODE
        assert "#to-coordinator" not in [f"#{b.id}" for b in app.screen.query(Button)]
        app.open_staff_area("coordinator")  # a mediator's PIN does not open it
        await pilot.pause()
        assert isinstance(app.screen, MediatorHome)

    drive(make_app(), scenario)


def test_the_prompt_locks_after_five_wrong_pins(make_app, staff: StaffAccess) -> None:
    staff.pins.set("mediator", PIN)

    async def scenario(app: KioskApp, pilot: Pilot[None]) -> None:
        await type_pin(app, pilot, "111111")
        for _ in range(4):
            await pilot.press(*"111111", "enter")
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
        assert "bloqué" in texts(app)
        await pilot.press("escape")
        await pilot.press("ctrl+k")
        await pilot.pause()
        assert "bloqué" in texts(app)  # said at once, and no field to type into
        assert all(field.disabled for field in app.screen.query(Input))
        await pilot.press(*PIN, "enter")  # the right PIN, while locked: nothing opens
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert no_staff_screen(app)

    drive(make_app(), scenario)


def test_leaving_staff_mode_leaves_nothing_on_screen_or_in_memory(
    make_app, staff: StaffAccess, store: ResultStore
) -> None:
    staff.pins.set("coordinator", COORDINATOR_PIN)

    async def scenario(app: KioskApp, pilot: Pilot[None]) -> None:
        await type_pin(app, pilot, COORDINATOR_PIN)
        assert isinstance(app.screen, CoordinatorHome)
        await pilot.click("#to-mediator")
        await pilot.pause()
        assert isinstance(app.screen, MediatorHome)
        await pilot.click("#guided")
        await pilot.pause()
        await pilot.press("1", "1")  # two answers of a guided session under way
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("tab", "enter")  # "stop": yes
        await pilot.pause()
        assert isinstance(app.screen, MediatorHome)
        await pilot.click("#leave")
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen) and no_staff_screen(app)
        assert "médiation" not in texts(app) and "coordination" not in texts(app)
        gc.collect()
        leftovers = (StaffSession, StaffScreen, Visit)
        assert not [o for o in gc.get_objects() if isinstance(o, leftovers)]

    drive(make_app(), scenario)
    [record] = list(store.records())
    assert (record.mode, record.completion) == ("guided", "abandoned")


def test_two_idle_minutes_close_staff_mode(make_app, staff: StaffAccess) -> None:
    staff.pins.set("mediator", PIN)
    clock = [0.0]

    async def scenario(app: KioskApp, pilot: Pilot[None]) -> None:
        await type_pin(app, pilot, PIN)
        assert isinstance(app.screen, MediatorHome)
        clock[0] += 119
        app.check_presence()
        await pilot.pause()
        assert isinstance(app.screen, MediatorHome)
        clock[0] += 1
        app.check_presence()
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen) and no_staff_screen(app)

    drive(make_app(clock=lambda: clock[0]), scenario)
    events = [json.loads(line)["event"] for line in staff.audit.path.read_text().splitlines()]
    assert events[-1] == "staff_left"


# -- guided sessions ------------------------------------------------------------------------------


GUIDED_SEED = 0


@pytest.mark.slow
def test_a_guided_session_where_the_watched_task_fails_ends_below_alone(
    make_app, staff: StaffAccess, store: ResultStore
) -> None:
    """Someone who says "alone" everywhere but fails the mediator's task in one domain ends
    below "alone" there; the mediator's notes are kept with the record and the tally."""
    staff.pins.set("mediator", PIN)
    failed: list[str] = []

    async def scenario(app: KioskApp, pilot: Pilot[None]) -> None:
        await type_pin(app, pilot, PIN)
        await pilot.click("#guided")
        await pilot.pause()
        prompt = str(app.screen.query_one("#prompt", Static).render())
        assert "la personne" in prompt.lower()  # asked in the mediator's words
        failed.append(await answer_guided(app, pilot, fail="first"))
        assert isinstance(app.screen, StaffResultScreen)
        assert app.staff_session is not None and app.staff_session.code
        await pilot.click("#notes")
        await pilot.pause()
        assert isinstance(app.screen, NotesScreen)
        app.screen.query_one("#themes", SelectionList).select("email")
        for choice in ("autonomy-1", "redirection-2", "length-1", "pathway-0"):
            await click(app, pilot, f"#{choice}")
        await click(app, pilot, "#notes-save")
        assert "raison" in texts(app)  # another pathway needs its reason
        await click(app, pilot, "#override_reasons-1")
        await click(app, pilot, "#notes-save")
        assert isinstance(app.screen, MediatorHome)

    # A fixed seed: in about 2 % of series the engine still ends at "alone" (the guided
    # benchmark counts them), which a random seed turned into a flaky test.
    drive(make_app(seed=GUIDED_SEED), scenario)
    [record] = list(store.records())
    assert record.mode == "guided" and record.completion == "completed"
    assert failed[0] and record.levels[failed[0]] < 2, (failed, record.levels)
    assert record.guided is not None
    assert record.guided.autonomy == "partiellement_autonome"
    assert record.guided.length == "30-60"
    assert record.guided.redirection == "aide_aux_demarches_administratives"
    assert record.guided.override is not None
    assert record.guided.override.reason == "observed_difficulty"
    assert record.guided.override.pathway != record.pathway
    [week] = store.tallies().weeks
    assert week.theme == {"email": 1}
    [sheet] = list(store.sheets())
    assert any(item.startswith("obs-") for item in sheet.answers)


# -- a result opened from its code ---------------------------------------------------------------


def test_a_visitors_code_opens_their_result_and_continues_as_a_guided_session(
    make_app, staff: StaffAccess, store: ResultStore, caplog: pytest.LogCaptureFixture,
    tmp_path: Path,
) -> None:
    caplog.set_level(logging.DEBUG)
    staff.pins.set("mediator", PIN)
    code: list[str] = []

    async def scenario(app: KioskApp, pilot: Pilot[None]) -> None:
        # The visitor's own answers (the keyboard's way through them is tested in test_ui).
        app.visit = Visit(app.assessment, "fr", seed=3)
        while (question := app.visit.current) is not None:
            app.visit.answer(question.options[min(2, len(question.options) - 1)].id)
        app.complete_visit()
        await pilot.pause()
        assert isinstance(app.screen, ResultScreen)
        code.append(app.result_code)
        levels = dict(app.screen.outcome.record.levels)
        assert f"{code[0][:3]} {code[0][3:]}" in texts(app)
        await pilot.click("#finish")
        await pilot.pause()
        await type_pin(app, pilot, PIN)
        await pilot.click("#open-code")
        await pilot.pause()
        await pilot.press(*"ZZZ ZZZ".lower(), "enter")
        await pilot.pause()
        assert "n'ouvre aucun résultat" in texts(app)
        await pilot.press(*f"{code[0][:3].lower()} {code[0][3:]}", "enter")
        await pilot.pause()
        assert isinstance(app.screen, StaffResultScreen)
        shown = texts(app)
        for domain in app.assessment.bank.domains:
            assert domain.label.fr in shown
        assert app.staff_session is not None and app.staff_session.opened is not None
        assert dict(app.staff_session.opened.levels) == levels
        await pilot.click("#continue")
        await pilot.pause()
        assert isinstance(app.screen, GuidedQuestionScreen)
        assert app.staff_session.guided is not None
        assert app.staff_session.guided.earlier == levels
        await answer_guided(app, pilot)
        await pilot.press("escape")  # the guided result kept as it is
        await pilot.pause()
        assert isinstance(app.screen, MediatorHome)

    drive(make_app(), scenario)
    records = sorted(store.records(), key=lambda r: r.mode)
    assert [(r.mode, r.follow_up) for r in records] == [("guided", True), ("self", False)]
    events = [json.loads(line) for line in staff.audit.path.read_text().splitlines()]
    assert [e["event"] for e in events] == ["staff_opened", "code_refused", "result_opened",
                                            "guided_started"]
    assert events[-1]["detail"] == {"continued": True}
    # The code is in the day's link file only: no record, sheet, tally, export, log or audit.
    data = store.data_dir
    codes_file = data / "staff" / "result-codes.json"
    assert code[0] in codes_file.read_text()
    others = [p for p in data.rglob("*") if p.is_file() and p != codes_file]
    assert others and not [p for p in others if code[0].encode() in p.read_bytes()]
    # Exports are made of the stored records' fields only, and hold no code either.
    stored = list(store.raw_records())
    assert len(stored) == 2 and not [r for r in stored if code[0].encode() in r]
    made = export_records(store, Request("jsonl", tmp_path / "export.jsonl"))
    assert made.records + made.anonymity.left_out == 2
    assert code[0].encode() not in (tmp_path / "export.jsonl").read_bytes()
    assert code[0] not in caplog.text


def test_after_midnight_the_code_opens_nothing_and_says_so_kindly(
    make_app, store: ResultStore
) -> None:
    day = [TUESDAY_1PM.date()]
    staff = StaffAccess(store.data_dir, hasher=FAST_PINS, today=lambda: day[0])
    staff.pins.set("mediator", PIN)
    code: list[str] = []

    async def scenario(app: KioskApp, pilot: Pilot[None]) -> None:
        app.visit = Visit(app.assessment, "fr", seed=2)
        while (question := app.visit.current) is not None:
            app.visit.answer(question.options[0].id)
        app.complete_visit()
        await pilot.pause()
        code.append(app.result_code)
        app.reset_to_welcome()
        await pilot.pause()
        day[0] += timedelta(days=1)
        app.expire_codes()  # what the app does every minute
        assert not (store.data_dir / "staff" / "result-codes.json").exists()
        await type_pin(app, pilot, PIN)
        await pilot.click("#open-code")
        await pilot.pause()
        await pilot.press(*code[0], "enter")
        await pilot.pause()
        assert "après minuit, il n'ouvre plus rien" in texts(app)

    drive(make_app(staff=staff), scenario)
    assert day[0] == date(2026, 11, 25)
