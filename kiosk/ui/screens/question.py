"""One question per screen, whatever its kind: context, can-do statement, knowledge check or
observed task."""

from __future__ import annotations

from textual.app import ComposeResult

from kiosk.domain import DONT_KNOW
from kiosk.speech import spoken_question
from kiosk.ui import keys
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.widgets.answers import AnswerList
from kiosk.ui.widgets.nav import NavBar, TopBar
from kiosk.ui.widgets.page import Page
from kiosk.ui.widgets.words import Words
from kiosk.visit import Question, Visit

# "Almost done" only when at most this many questions can be left: so it shows at most twice.
ALMOST_DONE = 2


class QuestionScreen(KioskScreen):
    BINDINGS = keys.QUESTION

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
        if not self.can_compose():
            return  # the visit ended before the screen was shown (it is being replaced)
        question = self.visit.current
        assert question is not None
        yield TopBar(self.heading(), self._remaining())
        yield from ask(self, question, self.hint(question), self.visit.answer_given)
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
        labels = [label for _, label in options_of(self, visit.current)]
        self.kiosk.speaker.say(spoken_question(
            self.tr(visit.current.text), labels,
            lambda n, label: self.t("read_answer", n=n, label=label)), self.language)

    def _read_if_asked(self) -> None:
        """Every question read as it is shown, where the site asks it (a kiosk setting,
        never a visitor's)."""
        if self.kiosk.assessment.site.read_aloud:
            self.action_read_aloud()

    def show_next(self) -> None:
        """The visit's question of now, in place of the one answered (or undone), from the
        screen's own queue (like a recomposition)."""
        self.call_later(self._show_in_place)

    async def _show_in_place(self) -> None:
        visit = self.current_visit()
        if visit is None or visit.current is None:
            return  # the visit ended before this ran
        if not self.query(AnswerList):  # not composed yet: nothing to change in place
            await self._recompose_and_focus()
        else:
            question = visit.current
            self.query_one(TopBar).show_where(self._remaining())
            await ask_in_place(self, question, self.hint(question), visit.answer_given)
            self.focus_default()
        self._read_if_asked()

    def _remaining(self) -> str:
        fewest, most = self.visit.remaining()
        if most <= ALMOST_DONE:
            return self.t("remaining_almost")
        if fewest == most:
            return self.t("remaining_exact", n=most)
        return self.t("remaining_range", fewest=fewest, most=most)

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
            self.show_next()

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
            await self._show_in_place()
        else:
            self.back_before_first()

    def back_before_first(self) -> None:
        self.kiosk.reset_to_notice()


def ask(screen: KioskScreen, question: Question, hint: str | None = None,
        given: str | None = None, lead: str = "") -> ComposeResult:
    """The page of one question: ``lead`` (why it is asked), its words, ``hint``, its numbered
    answers ("je ne sais pas" last; ``given``, the answer given before, marked), how to
    answer. The lead and the hint are there, hidden, when empty: the next question may
    show them in place."""
    options = options_of(screen, question)
    with Page(id="question"):
        yield shown_if(Words(lead, id="lead", classes="hint"), lead)
        yield Words(screen.tr(question.text), id="prompt", classes="prompt")
        yield shown_if(Words(hint or "", id="hint", classes="hint"), hint)
        yield AnswerList(question.id, options, given, screen.t("answer_given"))
        yield Words(screen.t("keys_hint", n=len(options)), id="keys-hint", classes="hint")


async def ask_in_place(screen: KioskScreen, question: Question, hint: str | None = None,
                       given: str | None = None) -> None:
    """The page that :func:`ask` composed, showing ``question`` instead: its texts and
    answer buttons changed, not rebuilt."""
    options = options_of(screen, question)
    page = screen.query_one("#question", Page)
    page.query_one("#prompt", Words).update(screen.tr(question.text))
    shown_if(page.query_one("#hint", Words), hint).update(hint or "")
    page.query_one("#keys-hint", Words).update(screen.t("keys_hint", n=len(options)))
    await page.query_one(AnswerList).show(question.id, options, given)
    page.scroll_home(animate=False)


def shown_if(words: Words, text: str | None) -> Words:
    """``words`` hidden while there is nothing to say."""
    words.display = bool(text)
    return words


def options_of(screen: KioskScreen, question: Question) -> list[tuple[str, str]]:
    """A question's answers as shown, numbered in this order: "je ne sais pas" last."""
    options = [(o.id, screen.tr(o.label)) for o in question.options]
    if question.dont_know:
        options.append((DONT_KNOW, screen.t(f"dont_know_{question.kind}")))
    return options
