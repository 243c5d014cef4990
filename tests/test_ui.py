"""The visitor's path through the real app, driven by Textual's pilot."""

from __future__ import annotations

import asyncio
import gc
import re
from collections.abc import Awaitable, Callable

import pytest
from conftest import TUESDAY_1PM
from textual import events
from textual.pilot import Pilot
from textual.widgets import Button
from ui_helpers import decode_qr, go_to

from kiosk.records import AnswerSheet, VisitRecord
from kiosk.storage import ResultStore
from kiosk.storage.saver import SaveQueue
from kiosk.ui.app import KioskApp
from kiosk.ui.screens.confirm import ChoiceScreen
from kiosk.ui.screens.idle import IdleScreen
from kiosk.ui.screens.improve import ImproveScreen
from kiosk.ui.screens.question import QuestionScreen, options_of
from kiosk.ui.screens.result import ResultScreen
from kiosk.ui.screens.takeaway import TakeawayScreen
from kiosk.ui.screens.welcome import WelcomeScreen
from kiosk.ui.widgets.answers import AnswerButton
from kiosk.ui.widgets.levels import LevelRow
from kiosk.ui.widgets.offers import OfferCard
from kiosk.ui.widgets.takeaway import QrCode
from kiosk.ui.widgets.words import Words
from kiosk.visit import Assessment, Outcome, Visit

Scenario = Callable[[KioskApp, Pilot[None]], Awaitable[None]]


def drive(app: KioskApp, scenario: Scenario, size: tuple[int, int] = (80, 24)) -> None:
    async def run() -> None:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await scenario(app, pilot)

    asyncio.run(run())
    assert app.saver.wait_idle(), "every result handed to the saver was saved"


def screen_text(app: KioskApp) -> str:
    """Everything the current screen shows in its words and buttons (no-break spaces as
    spaces)."""
    parts = [w.text for w in app.screen.query(Words)]
    parts += [str(b.label) for b in app.screen.query(Button)]
    return "\n".join(parts).replace("\u00a0", " ")


async def begin(pilot: Pilot[None]) -> None:
    await pilot.press("enter")  # "Commencer" has the focus
    await pilot.press("enter")  # "J'ai compris, on commence"
    await pilot.pause()


async def answer_all(app: KioskApp, pilot: Pilot[None], key: str) -> int:
    pressed = 0
    while isinstance(app.screen, QuestionScreen):
        await pilot.press(key)
        await pilot.pause()
        pressed += 1
        assert pressed < 40, "the assessment never ended"
    return pressed


async def finish(app: KioskApp, pilot: Pilot[None]) -> None:
    """Leave the result: "Terminer", confirmed, then past the optional questions."""
    await pilot.click("#finish")
    await pilot.pause()
    assert isinstance(app.screen, ChoiceScreen), "finishing asks first"
    await pilot.click("#finish")
    await pilot.pause()
    if isinstance(app.screen, ImproveScreen):
        await pilot.click("#finish")
        await pilot.pause()


def test_complete_assessment_by_keyboard(make_app, store: ResultStore) -> None:
    app = make_app()

    async def scenario(app: KioskApp, pilot: Pilot[None]) -> None:
        assert isinstance(app.screen, WelcomeScreen)
        assert "Bonjour" in screen_text(app)
        await begin(pilot)
        assert isinstance(app.screen, QuestionScreen)
        pressed = await answer_all(app, pilot, "3")
        assert isinstance(app.screen, ResultScreen)
        shown = screen_text(app)
        record = app.screen.outcome.record
        assert app.assessment.bank.pathway(record.pathway).title.fr in shown
        assert len(app.screen.query(LevelRow)) == 6
        assert app.screen.query(OfferCard), "the result shows local offers"
        assert pressed == app.visit.answered > record.questions_asked, "context ones too"
        assert app.focused is app.screen.query_one("#takeaway"), "focus on taking it away"

    drive(app, scenario)
    [saved] = list(store.records())
    assert saved.completion == "completed"
    assert store.tallies().weeks[0].language == {"fr": 1}


def test_complete_assessment_by_mouse(make_app, store: ResultStore) -> None:
    app = make_app()

    async def scenario(app: KioskApp, pilot: Pilot[None]) -> None:
        await pilot.click("#start")
        await pilot.click("#begin")
        await pilot.pause()
        clicks = 0
        while isinstance(app.screen, QuestionScreen):
            await pilot.click("#answer-1")
            await pilot.pause()
            clicks += 1
            assert clicks < 40
        assert isinstance(app.screen, ResultScreen)
        await finish(app, pilot)
        assert isinstance(app.screen, WelcomeScreen)

    drive(app, scenario, size=(100, 40))
    [saved] = list(store.records())
    assert saved.completion == "completed"
    [sheet] = list(store.sheets())
    # The first answer everywhere: "not yet" on every statement.
    assert set(sheet.answers.values()) <= {"not_yet"} | {
        i.options[0].id for i in app.assessment.bank.items if i.kind == "knowledge"
    }
    assert saved.pathway != "autonomy"


def test_arrows_and_enter_choose_the_focused_answer(make_app) -> None:
    app = make_app()

    async def scenario(app: KioskApp, pilot: Pilot[None]) -> None:
        await begin(pilot)
        first = app.visit.current
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert app.visit.answered == 1
        assert app.visit.context[first.id] == first.options[2].id

    drive(app, scenario)


def test_language_switch_at_any_time(make_app, store: ResultStore) -> None:
    app = make_app()

    async def scenario(app: KioskApp, pilot: Pilot[None]) -> None:
        await pilot.press("l")
        await pilot.pause()
        assert "Hello, welcome" in screen_text(app)
        await pilot.press("l")
        await pilot.pause()
        assert "Bonjour" in screen_text(app)
        await begin(pilot)
        question = app.visit.current
        assert question.text.fr in screen_text(app)
        await pilot.click("#switch-language")
        await pilot.pause()
        assert question.text.en in screen_text(app)
        assert app.visit.current == question, "switching language keeps the question"
        assert isinstance(app.focused, AnswerButton), "the answers keep the keyboard focus"
        await answer_all(app, pilot, "2")
        assert "Your result" in screen_text(app)
        await pilot.press("l")
        await pilot.pause()
        assert "Votre résultat" in screen_text(app)
        await pilot.press("l")
        await finish(app, pilot)
        assert "Bonjour" in screen_text(app), "the next visitor starts in French"

    drive(app, scenario, size=(100, 40))
    assert store.count() == 1
    assert store.tallies().weeks[0].language == {"en": 1}


def test_back_shows_and_focuses_the_answer_given(make_app) -> None:
    app = make_app()

    async def scenario(app: KioskApp, pilot: Pilot[None]) -> None:
        await begin(pilot)
        asked = []
        for key in "12131":  # into the adaptive questions
            asked.append(app.visit.current)
            await pilot.press(key)
            await pilot.pause()
        current = app.visit.current
        await pilot.press("backspace")
        await pilot.pause()
        assert app.visit.current == asked[-1]
        assert asked[-1].text.fr in screen_text(app)
        assert app.focused.id == "answer-1" and "(votre réponse)" in str(app.focused.label)
        await pilot.click("#back")
        await pilot.pause()
        assert app.visit.current == asked[-2]
        assert app.focused.id == "answer-3", "the answer given, not the first, has the focus"
        await pilot.press("enter")  # keeps the answer given
        await pilot.press("1")
        await pilot.pause()
        assert app.visit.current == current, "answering again leads to the same question"

    drive(app, scenario, size=(100, 40))


def test_finish_leaves_nothing_of_the_visitor(make_app) -> None:
    app = make_app()

    async def scenario(app: KioskApp, pilot: Pilot[None]) -> None:
        await begin(pilot)
        await answer_all(app, pilot, "1")
        result = app.screen
        assert isinstance(result, ResultScreen)
        private = [
            app.assessment.bank.pathway(result.outcome.record.pathway).title.fr,
            result.code[:3],
            *(lvl.label.fr for lvl in app.assessment.bank.levels),
        ]
        del result
        await pilot.press("right", "right", "enter")  # "Terminer"
        await pilot.pause()
        await pilot.press("enter")  # the safe answer comes first: back to the result
        await pilot.pause()
        assert isinstance(app.screen, ResultScreen), "one Enter never wipes the result"
        await finish(app, pilot)
        assert isinstance(app.screen, WelcomeScreen)
        assert app.visit is None
        assert len(app.screen_stack) == 2  # Textual's default screen and the welcome
        shown = screen_text(app)
        assert not [text for text in private if text in shown]
        assert app.outcome is None and app.result_code == ""
        assert app.saver.wait_idle()  # the saver lets go of the record once it is on disk
        gc.collect()
        private_objects = Visit | Outcome | VisitRecord | AnswerSheet
        assert not [o for o in gc.get_objects() if isinstance(o, private_objects)]

    drive(app, scenario)


def test_stop_saves_an_abandoned_assessment_and_clears(make_app, store: ResultStore) -> None:
    app = make_app()

    async def scenario(app: KioskApp, pilot: Pilot[None]) -> None:
        await begin(pilot)
        for _ in range(3):
            await pilot.press("1")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("enter")  # the safe answer, "continuer", has the focus
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen) and app.visit.answered == 3
        await pilot.click("#stop")
        await pilot.pause()
        await pilot.click("#keep")
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen) and app.visit is None

    drive(app, scenario)
    [saved] = list(store.records())
    assert saved.completion == "abandoned"
    assert saved.pathway == "orientation"
    assert saved.levels == {}  # levels are kept for finished assessments only


def test_stop_and_delete_leaves_only_a_count(make_app, store: ResultStore) -> None:
    app = make_app()

    async def scenario(app: KioskApp, pilot: Pilot[None]) -> None:
        await begin(pilot)
        for _ in range(5):
            await pilot.press("2")
        await pilot.click("#stop")
        await pilot.pause()
        await pilot.click("#delete")
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen) and app.visit is None

    drive(app, scenario)
    assert not list(store.records()) and not list(store.sheets())
    [week] = store.tallies().weeks
    assert week.abandoned == 1 and week.visits == 0 and week.language == {}


class Clock:
    """A clock the test moves by hand: idle handling without real waiting."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


async def wait(app: KioskApp, pilot: Pilot[None], clock: Clock, seconds: float) -> None:
    """Nobody touches the kiosk for ``seconds``; the app looks at its clock, as it does each
    second."""
    clock.advance(seconds)
    app.check_presence()
    await pilot.pause()


def test_idle_visitor_is_asked_then_timed_out_and_wiped(make_app, store: ResultStore) -> None:
    clock = Clock()
    app = make_app(clock=clock)

    async def scenario(app: KioskApp, pilot: Pilot[None]) -> None:
        await begin(pilot)
        await pilot.press("1")
        await wait(app, pilot, clock, 89)
        assert isinstance(app.screen, QuestionScreen), "not asked before 90 s"
        await wait(app, pilot, clock, 2)
        assert isinstance(app.screen, IdleScreen)
        await wait(app, pilot, clock, 20)
        assert "10 s" in screen_text(app), "the dialog counts down"
        await wait(app, pilot, clock, 10)
        assert isinstance(app.screen, WelcomeScreen) and app.visit is None

    drive(app, scenario)
    [saved] = list(store.records())
    assert saved.completion == "timed_out"


def test_still_here_keeps_the_visit(make_app, store: ResultStore) -> None:
    clock = Clock()
    app = make_app(clock=clock)

    async def scenario(app: KioskApp, pilot: Pilot[None]) -> None:
        await begin(pilot)
        await pilot.press("1")
        await wait(app, pilot, clock, 100)
        assert isinstance(app.screen, IdleScreen)
        await pilot.press("enter")  # "Je suis là"
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen) and app.visit.answered == 1
        await wait(app, pilot, clock, 60)
        assert isinstance(app.screen, QuestionScreen), "the wait starts again from the answer"
        assert app.saver.wait_idle() and not list(store.records())

    drive(app, scenario)


def test_an_idle_kiosk_returns_to_the_french_welcome(make_app) -> None:
    clock = Clock()
    app = make_app(clock=clock)

    async def scenario(app: KioskApp, pilot: Pilot[None]) -> None:
        await pilot.press("enter", "l")  # the notice, in English; no visit yet
        await pilot.pause()
        assert app.language == "en"
        await wait(app, pilot, clock, 100)
        assert isinstance(app.screen, WelcomeScreen) and app.language == "fr"

    drive(app, scenario)


def test_takeaway_shows_the_qr_code_and_closes(make_app) -> None:
    clock = Clock()
    app = make_app(clock=clock)

    async def scenario(app: KioskApp, pilot: Pilot[None]) -> None:
        await begin(pilot)
        await answer_all(app, pilot, "3")
        code = app.screen.code
        await pilot.click("#takeaway")
        await pilot.pause()
        assert isinstance(app.screen, TakeawayScreen)
        assert code in app.screen.pages[-1].replace(" ", "")
        assert code in app.screen.ticket.replace(" ", "")
        assert app.screen_stack[-2].has_class("-suspended"), "nothing looks focused under it"
        await wait(app, pilot, clock, 120)
        assert isinstance(app.screen, TakeawayScreen), "no idle question while it is scanned"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ResultScreen)

    drive(app, scenario, size=(100, 50))


def test_the_optional_questions_after_the_result_join_the_tally(
    make_app, store: ResultStore
) -> None:
    app = make_app()

    async def scenario(app: KioskApp, pilot: Pilot[None]) -> None:
        await begin(pilot)
        await answer_all(app, pilot, "2")
        await pilot.click("#finish")
        await pilot.pause()
        await pilot.click("#finish")
        await pilot.pause()
        assert isinstance(app.screen, ImproveScreen)
        assert "facultatives" in screen_text(app)
        await pilot.press("1")  # why they came: the first reason
        await pilot.pause()
        assert "dernière" in screen_text(app)
        await pilot.press("4")  # the fourth age band
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)

    drive(app, scenario)
    [week] = store.tallies().weeks
    bank = app.assessment.bank
    reason = bank.context_question("visit_reason").options[0].id
    band = bank.context_question("age_band").options[3].id
    assert week.visits == 1 and week.reason == {reason: 1} and week.age_band == {band: 1}


def test_damaged_results_file_is_reported_to_staff_and_the_kiosk_goes_on(
    tmp_path, assessment
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "results.jsonl").write_bytes(b"\x00\x00garbage that is no journal\n")
    store = ResultStore(data)
    app = KioskApp(assessment, SaveQueue.of(store))

    async def scenario(app: KioskApp, pilot: Pilot[None]) -> None:
        notice = app.screen.query_one("#staff-notice", Words).text
        assert "damaged-" in notice and "kiosk.log" in notice
        assert not re.search(r"\d{8}|\d{1,2}:\d{2}|T\d{6}", notice), "no clock time for staff"
        await begin(pilot)
        await answer_all(app, pilot, "2")
        assert isinstance(app.screen, ResultScreen)

    drive(app, scenario)
    assert [r.completion for r in ResultStore(data).records()] == ["completed"]
    assert list(data.glob("results.jsonl.damaged-*")), "the damaged file is kept aside"


def test_a_double_key_press_answers_only_the_question_on_screen(make_app) -> None:
    app = make_app()

    async def scenario(app: KioskApp, pilot: Pilot[None]) -> None:
        await begin(pilot)
        for answered in range(6):
            # Two keys delivered before the screen can redraw the next question.
            app.post_message(events.Key("2", "2"))
            app.post_message(events.Key("2", "2"))
            await pilot.pause()
            await pilot.pause()
            assert app.visit.answered == answered + 1

    drive(app, scenario)


def test_an_undecided_result_says_so_and_names_the_two_closest_paths(assessment, store) -> None:
    """"Seul·e" to every statement stands on the edge between two pathways: the kiosk stops
    early, says the result is uncertain, names both pathways and sends the visitor to a person.
    (A bank quick to call a series undecided, so that every draw of questions ends that way.)"""
    bank = assessment.bank
    hasty = bank.model_copy(update={"engine": bank.engine.model_copy(update={"futility": 0.6})})
    app = KioskApp(Assessment.from_bank(hasty, assessment.site), SaveQueue.of(store),
                   now=lambda: TUESDAY_1PM)

    async def scenario(app: KioskApp, pilot: Pilot[None]) -> None:
        await begin(pilot)
        while isinstance(app.screen, QuestionScreen):
            question = app.visit.current if app.visit else None
            assert question is not None
            key = "3" if question.kind in ("can_do", "context") else str(
                1 + [o.id for o in question.options].index(
                    app.assessment.bank.item(question.id).correct))
            await pilot.press(key)
            await pilot.pause()
        assert isinstance(app.screen, ResultScreen)
        estimate = app.screen.outcome.estimate
        assert estimate is not None and estimate.uncertain == "undecided"
        shown = screen_text(app)
        assert "Ce résultat reste incertain" in shown
        bank = app.assessment.bank
        for pathway in estimate.likely_pathways():
            assert bank.pathway(pathway).title.fr in shown
        assert app.screen.outcome.record.pathway == "orientation"

    drive(app, scenario, size=(100, 40))


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (120, 40), (200, 60)],
                         ids=["80x24", "100x30", "120x40", "200x60"])
def test_the_qr_code_holds_the_first_offer_and_is_never_cut(
    geneva_assessment: Assessment, store: ResultStore, size: tuple[int, int]
) -> None:
    app = KioskApp(geneva_assessment, SaveQueue.of(store), now=lambda: TUESDAY_1PM, seed=3)

    async def scenario(app: KioskApp, pilot: Pilot[None]) -> None:
        await go_to("takeaway", skill=1)(pilot)  # "with help": offers with an address
        takeaway = app.screen
        assert isinstance(takeaway, TakeawayScreen)
        first = app.screen_stack[-2].query(OfferCard).first().shown
        qr = takeaway.query_one(QrCode)
        drawn = qr.content.plain.splitlines()
        width, height = size
        region = qr.region
        assert region.x >= 0 and region.y >= 0 and region.right <= width
        assert region.bottom <= height and region.height == len(drawn), "never cut"
        told = decode_qr(drawn)
        assert told == takeaway.pages[0]
        assert str(first.offer.address) in told and first.offer.name.fr in told
        assert first.week.replace("\u2009", " ").replace("\u2013", "-") in told

    drive(app, scenario, size=size)


def test_the_next_question_reuses_the_screen_and_its_answer_buttons(make_app) -> None:
    app = make_app()

    async def scenario(app: KioskApp, pilot: Pilot[None]) -> None:
        await begin(pilot)
        screen = app.screen
        buttons = {b.id: b for b in screen.query(AnswerButton)}
        for _ in range(6):
            before = app.visit.current
            await pilot.press("1")
            await pilot.pause()
            question = app.visit.current
            assert question is not None and question.id != before.id
            assert app.screen is screen, "the same screen shows the next question"
            shown = list(screen.query(AnswerButton))
            options = options_of(screen, question)
            assert [b.option_id for b in shown] == [option_id for option_id, _ in options]
            for number, (button, (_, label)) in enumerate(zip(shown, options, strict=True), 1):
                assert str(button.label) == f"{number}   {label}"
                if button.id in buttons:  # the previous question had that many answers
                    assert button is buttons[button.id], f"{button.id} was built anew"
            buttons = {b.id: b for b in shown}
            assert question.text.fr in screen_text(app)
            assert app.focused is shown[0]

    drive(app, scenario, size=(100, 40))


def test_back_marks_the_given_answer_in_the_relabelled_buttons(make_app) -> None:
    app = make_app()

    async def scenario(app: KioskApp, pilot: Pilot[None]) -> None:
        await begin(pilot)
        screen = app.screen
        first = app.visit.current
        await pilot.press("3")
        await pilot.pause()
        following = app.visit.current
        old_buttons = list(screen.query(AnswerButton))
        await pilot.press("backspace")
        await pilot.pause()
        assert app.screen is screen and app.visit.current == first
        buttons = list(screen.query(AnswerButton))
        assert buttons[:len(old_buttons)] == old_buttons[:len(buttons)], "relabelled, not rebuilt"
        marked = [b.id for b in buttons if "✓ (votre réponse)" in str(b.label)]
        assert marked == ["answer-3"]
        assert app.focused is buttons[2]
        await pilot.press("enter")  # the answer given, kept
        await pilot.pause()
        assert app.visit.current == following
        assert not [b for b in screen.query(AnswerButton) if "✓" in str(b.label)], (
            "the mark stays with the question it was given to")

    drive(app, scenario, size=(100, 40))
