"""After the result, before the screen is cleared: the optional questions that only help
improve the service (why the visitor came, their age band), one per screen. They never change
the result; their answers are counted in the week's tally, nothing more."""

from __future__ import annotations

from textual.app import ComposeResult

from kiosk.ui import keys
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.screens.question import ask
from kiosk.ui.widgets.answers import AnswerList
from kiosk.ui.widgets.nav import NavBar, TopBar
from kiosk.visit import Question


class ImproveScreen(KioskScreen):
    BINDINGS = [*keys.ANSWERS, *keys.ANSWER_FOCUS, *keys.LANGUAGE, *keys.DONE]

    def _question(self) -> Question | None:
        visit = self.kiosk.visit
        left = visit.after_result() if visit else []
        return left[0] if left else None

    def can_compose(self) -> bool:
        return self._question() is not None

    def compose(self) -> ComposeResult:
        visit = self.kiosk.visit
        question = self._question()
        assert visit is not None and question is not None, "nothing to ask after the result"
        left = len(visit.after_result())
        lead = self.t("improve_heading", count=left) if left > 1 else self.t("improve_heading_one")
        yield TopBar(self.tr(self.kiosk.assessment.bank.title))
        yield from ask(self, question, lead=lead)
        yield NavBar([
            ("switch-language", self.t("other_language"), "app.switch_language"),
            ("finish", self.t("finish"), "app.done"),
        ])

    def focus_default(self) -> None:
        for answers in self.query(AnswerList):
            answers.focus_first()

    def action_choose(self, number: int) -> None:
        for answers in self.query(AnswerList):
            answers.action_choose(number)

    def on_answer_list_chosen(self, message: AnswerList.Chosen) -> None:
        shown = self._question()
        if shown is None or shown.id != message.question_id:
            return  # chosen on a question that is no longer on screen
        visit = self.kiosk.visit
        assert visit is not None
        visit.answer_after_result(message.question_id, message.option_id)
        if self._question() is None:
            self.kiosk.action_done()
        else:
            self.show_again()
