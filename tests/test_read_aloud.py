"""Reading aloud: the text handed to the speech program for a question, in each language (the
program replaced by a recorder), on a key and a button, and on every question where the site
asks it; nothing of a visit is read once it is over."""

from __future__ import annotations

import dataclasses

from monkey import settle
from test_lockdown import run
from textual.pilot import Pilot

from kiosk.speech import Speaker, spoken_question
from kiosk.ui.app import KioskApp
from kiosk.ui.screens.question import QuestionScreen
from kiosk.ui.strings import strings
from kiosk.visit import Assessment, Question


class Recorder:
    """Stands for espeak-ng: keeps what it was asked to say, and what was stopped."""

    def __init__(self) -> None:
        self.said: list[list[str]] = []
        self.stopped = 0

    def __call__(self, argv: list[str]) -> Recorder:
        self.said.append(argv)
        return self

    def terminate(self) -> None:
        self.stopped += 1


def test_the_spoken_text_numbers_the_answers() -> None:
    said = spoken_question("Avez-vous un téléphone ?", ["Oui", "Non"],
                           lambda n, label: f"Réponse {n} : {label}.")
    assert said == "Avez-vous un téléphone ? Réponse 1 : Oui. Réponse 2 : Non."


def expected(question: Question, language: str) -> str:
    """What the visitor reads on the screen, in the order of the keys."""
    labels = [o.label.get(language) for o in question.options]
    if question.dont_know:
        labels.append(strings().get(f"dont_know_{question.kind}", language))
    answer = "Réponse {} : {}." if language == "fr" else "Answer {}: {}."
    return " ".join([question.text.get(language),
                     *(answer.format(n, label) for n, label in enumerate(labels, 1))])


def test_the_key_and_the_button_read_the_question_in_each_language(make_app) -> None:
    recorder = Recorder()
    app: KioskApp = make_app(speaker=Speaker("espeak-ng", play=recorder))
    asked: list[Question] = []

    async def scenario(pilot: Pilot[None]) -> None:
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, QuestionScreen) and app.visit is not None
        assert app.visit.current is not None
        asked.append(app.visit.current)
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("l")  # English
        await settle(pilot)
        await pilot.click("#read-aloud")  # the same, by mouse or touch
        await settle(pilot)

    run(app, scenario, size=(100, 40))
    [question] = asked
    assert recorder.said == [["espeak-ng", "-v", "fr", "--", expected(question, "fr")],
                             ["espeak-ng", "-v", "en", "--", expected(question, "en")]]
    assert "Réponse 1 : " in recorder.said[0][-1] and "Answer 1: " in recorder.said[1][-1]
    assert recorder.stopped >= 1  # the English reading stopped the French one


def test_without_a_speech_program_nothing_offers_it(make_app) -> None:
    app: KioskApp = make_app(speaker=Speaker(None))

    async def scenario(pilot: Pilot[None]) -> None:
        await pilot.press("enter", "enter", "r")
        await settle(pilot)
        assert isinstance(app.screen, QuestionScreen)
        assert not app.screen.query("#read-aloud")

    run(app, scenario, size=(100, 40))


def test_the_site_setting_reads_every_question_and_nothing_after_the_visit(
    make_app, assessment: Assessment
) -> None:
    reading = dataclasses.replace(
        assessment, site=assessment.site.model_copy(update={"read_aloud": True}))
    recorder = Recorder()
    app: KioskApp = make_app(reading, speaker=Speaker("espeak-ng", play=recorder))
    shown: list[str] = []

    async def scenario(pilot: Pilot[None]) -> None:
        await pilot.press("enter", "enter")
        await settle(pilot)
        for _ in range(3):
            assert app.visit is not None and app.visit.current is not None
            shown.append(expected(app.visit.current, "fr"))
            await pilot.press("1")
            await settle(pilot)
        stopped = recorder.stopped
        app.reset_to_welcome()  # the visitor leaves mid-question
        await settle(pilot)
        assert recorder.stopped == stopped + 1

    run(app, scenario, size=(100, 40))
    assert [argv[-1] for argv in recorder.said[:3]] == shown
