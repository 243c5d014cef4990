"""The real kiosk in a real terminal: tmux runs ``kiosk``, we type and read the screen."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.bank.model import Bank
from kiosk.storage import ResultStore

pytestmark = [
    pytest.mark.terminal,
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


class Terminal:
    """A private tmux server with one 100x40 window running a command."""

    def __init__(self, command: list[str]) -> None:
        self.socket = f"kiosk-test-{os.getpid()}"
        self._tmux("new-session", "-d", "-s", "kiosk", "-x", "100", "-y", "40", *command)

    def _tmux(self, *args: str) -> str:
        done = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=True
        )
        return done.stdout

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", "kiosk")

    def send(self, *keys: str) -> None:
        self._tmux("send-keys", "-t", "kiosk", *keys)

    def wait_for(self, check: Callable[[str], bool], what: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = self.screen()
            if check(shown):
                return shown
            time.sleep(0.1)
        raise AssertionError(f"waited {timeout} s for {what}; the screen shows:\n{self.screen()}")

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


def test_full_assessment_in_a_real_terminal(tmp_path: Path, bank: Bank) -> None:
    data = tmp_path / "data"
    terminal = Terminal([sys.executable, "-m", "kiosk", "run", "--data-dir", str(data)])
    try:
        terminal.wait_for(lambda s: "Bonjour" in s, "the welcome screen")
        terminal.send("Enter")
        terminal.wait_for(lambda s: "Avant de commencer" in s, "the notice")
        terminal.send("Enter")
        shown = terminal.wait_for(lambda s: "Encore environ" in s, "the first question")
        for _ in range(40):
            if "Votre résultat" in shown:
                break
            terminal.send("2")
            before = shown
            shown = terminal.wait_for(lambda s, b=before: s != b, "the next question")
        else:
            raise AssertionError("the assessment never reached its result")
        [record] = list(ResultStore(data).records())  # saved before the result is shown
        assert record.completion == "completed"
        shown = terminal.wait_for(
            lambda s: bank.pathway(record.pathway).title.fr in s, "the pathway on screen"
        )
        for domain in bank.domains:
            assert domain.label.fr in shown
        terminal.send("Enter")  # "Terminer" has the focus
        shown = terminal.wait_for(lambda s: "Bonjour" in s, "the welcome screen again")
        assert bank.pathway(record.pathway).title.fr not in shown
    finally:
        terminal.close()
