"""Reading a question aloud, for visitors who read poorly: the text to say, and a speaker that
says it with espeak-ng where it is installed. No UI here.

espeak-ng is a separate program (Debian's ``espeak-ng``), run without waiting for it: a new
text stops the one being read, so the voice always follows the screen.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Sequence
from typing import Protocol

COMMAND = "espeak-ng"


class Playing(Protocol):
    def terminate(self) -> None: ...


def spoken_question(prompt: str, answers: Sequence[str],
                    answer: Callable[[int, str], str]) -> str:
    """The question, then each answer said with its number (the key that chooses it) by
    ``answer``, in the visitor's language."""
    said = " ".join([prompt, *(answer(n, label) for n, label in enumerate(answers, start=1))])
    return said.replace("\u00a0", " ")  # the no-break spaces of French typography are for the eye


def _play(argv: list[str]) -> Playing:
    return subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


class Speaker:
    def __init__(self, command: str | None, play: Callable[[list[str]], Playing] = _play) -> None:
        """``command``: the speech program, or None where there is none (nothing is said);
        ``play`` starts it (a test records what it is given)."""
        self.command = command
        self._play = play
        self._playing: Playing | None = None

    @classmethod
    def system(cls) -> Speaker:
        return cls(shutil.which(COMMAND))

    @property
    def available(self) -> bool:
        return self.command is not None

    def say(self, text: str, language: str) -> None:
        """Say ``text`` with the voice of ``language`` (an ISO 639-1 code, as espeak-ng names
        its voices), after stopping what is being said."""
        if self.command is None:
            return
        self.stop()
        try:
            self._playing = self._play([self.command, "-v", language, "--", text])
        except OSError:  # removed or broken since the start: the visitor still reads the screen
            self._playing = None

    def stop(self) -> None:
        if self._playing is not None:
            self._playing.terminate()  # nothing happens to one that has already ended
            self._playing = None
