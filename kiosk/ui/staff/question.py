"""A guided session's questions: the visitor's question screen, asking the staff session's
guided visit, in the mediator's words, with the observed tasks' marks."""

from __future__ import annotations

from kiosk.ui.screens.question import QuestionScreen
from kiosk.ui.staff.base import StaffScreen
from kiosk.visit import Question, Visit


class GuidedQuestionScreen(QuestionScreen, StaffScreen):
    def current_visit(self) -> Visit | None:
        session = self.kiosk.staff_session
        return session.guided if session else None

    def heading(self) -> str:
        return self.t("guided_heading")

    def hint(self, question: Question) -> str | None:
        return self.t(f"guided_hint_{question.kind}")

    def finished(self) -> None:
        self.kiosk.guided_finished()

    def action_stop(self) -> None:
        self.kiosk.stop_guided()

    def back_before_first(self) -> None:
        self.kiosk.drop_guided()
