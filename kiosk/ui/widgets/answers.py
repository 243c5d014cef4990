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
    /* On short terminals the answers stay one line each, so seven fit on 80x24. */
    .-short AnswerButton {
        height: 1;
        border: none;
        margin: 0 0 1 0;
        padding: 0 2;
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

    def __init__(self, question_id: str, options: list[tuple[str, str]]) -> None:
        super().__init__()
        self._question_id = question_id
        self._options = options

    @property
    def question_id(self) -> str:
        return self._question_id

    @property
    def complete(self) -> bool:
        """Every answer of the question has its button."""
        return len(self.query(AnswerButton)) == len(self._options)

    def compose(self) -> ComposeResult:
        for number, (option_id, label) in enumerate(self._options, start=1):
            yield AnswerButton(number, option_id, label)

    async def show(self, question_id: str, options: list[tuple[str, str]]) -> None:
        """Answers to another question: the buttons there are relabelled, the missing ones
        added and the extra ones removed."""
        self._question_id, self._options = question_id, options
        buttons = list(self.query(AnswerButton))
        shared = zip(buttons, options, strict=False)  # as many as both have
        for number, (button, (option_id, label)) in enumerate(shared, start=1):
            button.show(number, option_id, label)
        await self.mount_all([AnswerButton(number, option_id, label) for number, (option_id, label)
                              in enumerate(options, start=1) if number > len(buttons)])
        for extra in buttons[len(options):]:
            await extra.remove()

    def action_choose(self, number: int) -> None:
        """Choose the answer shown with this number, if there is one."""
        if 1 <= number <= len(self._options):
            self.post_message(self.Chosen(self._question_id, self._options[number - 1][0]))

    def focus_first(self) -> None:
        buttons = self.query(AnswerButton)
        if buttons:  # none until the list is composed
            buttons.first().focus()
