"""One question per screen, whatever its kind: context, can-do statement or knowledge check."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from kiosk.domain import DONT_KNOW
from kiosk.speech import spoken_question
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
        question = self._current()
        options = self._options(question)
        with Horizontal(id="progress"):
            yield Static(self.heading(), classes="title")
            yield Static(self._remaining(), id="remaining")
        with VerticalScroll(id="question", classes="panel"):
            yield Static(self.tr(question.text), id="prompt")
            hint = self.hint(question)
            shown = Static(hint or "", id="question-hint", classes="hint")
            shown.display = hint is not None
            yield shown
            yield AnswerList(question.id, options)
            yield Static(self.t("keys_hint", n=len(options)), id="keys-hint", classes="hint")
        yield NavBar([
            ("back", "← " + self.t("back"), "screen.back"),
            ("switch-language", self.t("other_language"), "app.switch_language"),
            *([("read-aloud", self.t("read_aloud"), "screen.read_aloud")]
              if self.kiosk.speaker.available else []),
            ("stop", self.t("stop"), "screen.stop"),
        ])

    def on_mount(self) -> None:  # after the base screen's (Textual calls each class's)
        self._read_if_asked()

    def action_read_aloud(self) -> None:
        """The question and its answers, aloud, in the visitor's language."""
        visit = self.current_visit()
        if visit is None or visit.current is None:
            return  # the visit ended before this ran
        labels = [label for _, label in self._options(visit.current)]
        self.kiosk.speaker.say(spoken_question(
            self.tr(visit.current.text), labels,
            lambda n, label: self.t("read_answer", n=n, label=label)), self.language)

    def _read_if_asked(self) -> None:
        """Every question read as it is shown, where the site asks it (a kiosk setting,
        never a visitor's)."""
        if self.kiosk.assessment.site.read_aloud:
            self.action_read_aloud()

    def _current(self) -> Question:
        question = self.visit.current
        assert question is not None, "the question screen needs a question"
        return question

    def _remaining(self) -> str:
        remaining = self.visit.remaining_estimate()
        return self.t("remaining_many", n=remaining) if remaining > 1 else self.t("remaining_one")

    def show_question(self) -> None:
        """Show the visit's current question in the widgets already there: a new question
        changes texts and answers, not the screen (building one anew is most of a key
        press's time). From the screen's own queue, like a recomposition."""
        self.call_later(self._show_question)

    async def _show_question(self) -> None:
        if not self.can_compose():
            return  # the visit ended before this ran
        question = self._current()
        options = self._options(question)
        self.query_one("#remaining", Static).update(self._remaining())
        self.query_one("#prompt", Static).update(self.tr(question.text))
        hint = self.hint(question)
        shown = self.query_one("#question-hint", Static)
        shown.update(hint or "")
        shown.display = hint is not None
        self.query_one("#keys-hint", Static).update(self.t("keys_hint", n=len(options)))
        await self.query_one(AnswerList).show(question.id, options)
        self.query_one("#question", VerticalScroll).scroll_home(animate=False)
        self.focus_default()
        self._read_if_asked()

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
            self.show_question()

    def finished(self) -> None:
        self.kiosk.complete_visit()

    def action_stop(self) -> None:
        self.kiosk.action_stop()

    def action_back(self) -> None:
        # Runs in the queue of the key or button, not the screen's: go back from the screen's.
        self.call_later(self._back)

    async def _back(self) -> None:
        if self.current_visit() is None:
            return  # the visit ended (stopped, timed out) before this ran
        if self.visit.back():
            await self._show_question()
        else:
            self.back_before_first()

    def back_before_first(self) -> None:
        self.kiosk.reset_to_notice()
