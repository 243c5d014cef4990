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
    """A private tmux server with one window (100x40 unless told) running a command."""

    def __init__(self, command: list[str], size: tuple[int, int] = (100, 40)) -> None:
        self.socket = f"kiosk-test-{os.getpid()}"
        self._tmux("new-session", "-d", "-s", "kiosk", "-x", str(size[0]), "-y", str(size[1]),
                   *command)

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


def test_the_staff_key_and_a_pin_set_by_the_real_command(tmp_path: Path) -> None:
    data = tmp_path / "data"
    pin = "864209753142"
    subprocess.run([sys.executable, "-m", "kiosk", "pin", "set", "mediator", "--data-dir",
                    str(data)], input=pin + "\n", text=True, check=True, capture_output=True)
    terminal = Terminal([sys.executable, "-m", "kiosk", "run", "--data-dir", str(data)],
                        size=(80, 24))
    try:
        welcome = terminal.wait_for(lambda s: "Bonjour" in s, "the welcome screen")
        assert "personnel" not in welcome.lower() and "ctrl" not in welcome.lower()
        terminal.send("C-k")
        terminal.wait_for(lambda s: "Accès du personnel" in s, "the PIN prompt")
        terminal.send("1", "2", "3", "4", "5", "6", "Enter")
        terminal.wait_for(lambda s: "ne convient pas" in s, "a wrong PIN said so")
        terminal.send(*pin, "Enter")
        shown = terminal.wait_for(lambda s: "Outils de médiation" in s, "the mediator's area")
        assert pin not in shown
        terminal.send("Escape")  # from an area's home: leave staff mode
        terminal.wait_for(lambda s: "Bonjour" in s and "médiation" not in s, "the welcome again")
    finally:
        terminal.close()
    log = (data / "kiosk.log").read_text()
    assert pin not in log and "123456" not in log
