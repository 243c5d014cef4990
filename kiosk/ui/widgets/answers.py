"""Big, numbered answer buttons: chosen with a number key, the arrows and Enter, or the mouse."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Button


class AnswerButton(Button):
    # Not scoped: the short-terminal rule hangs on the screen's breakpoint class, above it.
    SCOPED_CSS = False
    DEFAULT_CSS = """
    AnswerButton {
        width: 100%;
        max-width: 80;
        height: 3;
        content-align: left middle;
        text-align: left;
        margin: 0;
    }
    /* On short terminals the answers stay one line each, so seven fit on 80x24 (their
       focus look is the app's, with every button's). */
    .-short AnswerButton {
        margin: 0 0 1 0;
        padding: 0 1;
    }
    """

    def __init__(self, number: int, option_id: str, label: str) -> None:
        # The action runs on the list holding the button (Textual's default namespace).
        super().__init__(f"{number}   {label}", id=f"answer-{number}", action=f"choose({number})")
        self.option_id = option_id

    def show(self, number: int, option_id: str, label: str) -> None:
        """Stand for another answer with the same number."""
        self.option_id = option_id
        self.label = f"{number}   {label}"


def shown_labels(options: list[tuple[str, str]], given: str | None,
                 given_label: str) -> list[tuple[str, str]]:
    """Each answer's (id, label) as shown: the one ``given`` before marked ``given_label``
    (in words, not only by the focus)."""
    return [(option_id, f"{label}   ✓ {given_label}" if option_id == given else label)
            for option_id, label in options]


class AnswerList(Vertical):
    DEFAULT_CSS = """
    AnswerList {
        height: auto;
        margin: 1 0 0 0;
    }
    """

    class Chosen(Message):
        """An answer to the question ``question_id``: a key pressed twice quickly must not
        answer the next question, which the visitor has not seen yet."""

        def __init__(self, question_id: str, option_id: str) -> None:
            super().__init__()
            self.question_id = question_id
            self.option_id = option_id

    def __init__(self, question_id: str, options: list[tuple[str, str]],
                 given: str | None = None, given_label: str = "") -> None:
        """``given``: the option the visitor had chosen before coming back, marked
        ``given_label`` and focused first."""
        super().__init__()
        self._question_id = question_id
        self._options = options
        self._given, self._given_label = given, given_label

    @property
    def question_id(self) -> str:
        return self._question_id

    @property
    def complete(self) -> bool:
        """Every answer of the question has its button."""
        return len(self.query(AnswerButton)) == len(self._options)

    def compose(self) -> ComposeResult:
        shown = shown_labels(self._options, self._given, self._given_label)
        for number, (option_id, label) in enumerate(shown, start=1):
            yield AnswerButton(number, option_id, label)

    async def show(self, question_id: str, options: list[tuple[str, str]],
                   given: str | None = None) -> None:
        """Answers to another question in the buttons already there (building them anew is
        most of a key press's time): relabelled, the missing ones added, the extra ones
        removed."""
        self._question_id, self._options, self._given = question_id, options, given
        buttons = list(self.query(AnswerButton))
        shown = list(enumerate(shown_labels(options, given, self._given_label), start=1))
        for button, (number, (option_id, label)) in zip(buttons, shown, strict=False):
            button.show(number, option_id, label)
        missing = [AnswerButton(number, option_id, label)
                   for number, (option_id, label) in shown[len(buttons):]]
        if missing:
            await self.mount_all(missing)
        for extra in buttons[len(options):]:
            await extra.remove()

    def action_choose(self, number: int) -> None:
        """Choose the answer shown with this number, if there is one."""
        if 1 <= number <= len(self._options):
            self.post_message(self.Chosen(self._question_id, self._options[number - 1][0]))

    def focus_first(self) -> None:
        """Focus the answer given before, else the first."""
        buttons = self.query(AnswerButton)
        given = [b for b in buttons if b.option_id == self._given]
        if given:
            given[0].focus()
        elif buttons:  # none until the list is composed
            buttons.first().focus()
