"""One question per screen, whatever its kind: context, can-do statement or knowledge check."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from kiosk.domain import DONT_KNOW
from kiosk.ui import keys
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.widgets.answers import AnswerList
from kiosk.ui.widgets.nav import NavBar
from kiosk.visit import Question, Visit


class QuestionScreen(KioskScreen):
    BINDINGS = keys.QUESTION
    DEFAULT_CSS = """
    QuestionScreen #progress {
        height: 1;
        padding: 0 2;
        background: $panel;
    }
    QuestionScreen #remaining {
        width: auto;
        color: $text-muted;
    }
    QuestionScreen #prompt {
        text-style: bold;
    }
    """

    @property
    def visit(self) -> Visit:
        """The app's current visit: the screen keeps no copy that could outlive it."""
        visit = self.current_visit()
        assert visit is not None, "the question screen needs a visit"
        return visit

    def current_visit(self) -> Visit | None:
        """The visit whose questions this screen asks: the visitor's (a guided session's in
        the staff screens)."""
        return self.kiosk.visit

    def can_compose(self) -> bool:
        visit = self.current_visit()
        return visit is not None and visit.current is not None

    def heading(self) -> str:
        return self.tr(self.kiosk.assessment.bank.title)

    def hint(self, question: Question) -> str | None:
        return self.t("can_do_hint") if question.kind == "can_do" else None

    def compose(self) -> ComposeResult:
        question = self.visit.current
        assert question is not None, "the question screen needs a question"
        remaining = self.visit.remaining_estimate()
        options = self._options(question)
        with Horizontal(id="progress"):
            yield Static(self.heading(), classes="title")
            yield Static(
                self.t("remaining_many", n=remaining) if remaining > 1 else self.t("remaining_one"),
                id="remaining",
            )
        with VerticalScroll(id="question", classes="panel"):
            yield Static(self.tr(question.text), id="prompt")
            if (hint := self.hint(question)) is not None:
                yield Static(hint, classes="hint")
            yield AnswerList(question.id, options)
            yield Static(self.t("keys_hint", n=len(options)), classes="hint")
        yield NavBar([
            ("back", "← " + self.t("back"), "screen.back"),
            ("switch-language", self.t("other_language"), "app.switch_language"),
            ("stop", self.t("stop"), "screen.stop"),
        ])

    def _options(self, question: Question) -> list[tuple[str, str]]:
        options = [(o.id, self.tr(o.label)) for o in question.options]
        if question.dont_know:
            options.append((DONT_KNOW, self.t(f"dont_know_{question.kind}")))
        return options

    def focus_default(self) -> None:
        for answers in self.query(AnswerList):  # none while the next question is being built
            answers.focus_first()

    def action_choose(self, number: int) -> None:
        # A key pressed while the next question is being built is dropped: the visitor has
        # not seen that question yet.
        for answers in self.query(AnswerList):
            answers.action_choose(number)

    def on_answer_list_chosen(self, message: AnswerList.Chosen) -> None:
        visit = self.current_visit()
        shown = visit.current if visit else None
        if shown is None or shown.id != message.question_id:
            return  # chosen on a question that is no longer on screen
        self.visit.answer(message.option_id)
        if self.visit.finished:
            self.finished()
        else:
            self.show_again()

    def finished(self) -> None:
        self.kiosk.complete_visit()

    def action_stop(self) -> None:
        self.kiosk.action_stop()

    def action_back(self) -> None:
        # Runs in the queue of the key or button, not the screen's: go back from the screen's.
        self.call_later(self._back)

    def _back(self) -> None:
        if self.current_visit() is None:
            return  # the visit ended (stopped, timed out) before this ran
        if self.visit.back():
            self.show_again()
        else:
            self.back_before_first()

    def back_before_first(self) -> None:
        self.kiosk.reset_to_notice()
