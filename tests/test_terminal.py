"""The real kiosk in a real terminal: tmux runs ``kiosk``, we type and read the screen."""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from kiosk.bank.model import Bank
from kiosk.storage import ResultStore
from kiosk.storage.disk import week_start

pytestmark = [
    pytest.mark.terminal,
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


class Terminal:
    """A private tmux server with one window (100x40 unless told) running a command."""

    def __init__(self, command: list[str], size: tuple[int, int] = (100, 40)) -> None:
        # A server of its own: one just killed by the previous test may still hold a reused name.
        self.socket = f"kiosk-test-{secrets.token_hex(6)}"
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


# Keys a visitor could try to get out: interrupt, quit, suspend, SIGQUIT, end of input, stop
# output, the command palette, function keys.
ESCAPE_KEYS = ["C-c", "C-q", "C-z", "C-\\", "C-d", "C-s", "C-p", "C-x", "C-w",
               *(f"F{n}" for n in range(1, 13))]


def test_no_key_stops_the_real_kiosk_and_the_service_manager_does(tmp_path: Path) -> None:
    """Kiosk mode, even with Textual asked to leave the signal keys on; then SIGTERM, as
    ``systemctl stop`` sends, ends it cleanly and keeps the visit it cut short."""
    data, rc, pid = tmp_path / "data", tmp_path / "rc", tmp_path / "pid"
    command = (f"echo $$ >{pid}; TEXTUAL_ALLOW_SIGNALS=1 exec {sys.executable} -m kiosk run "
               f"--data-dir {data}")
    terminal = Terminal(["sh", "-c", f"sh -c '{command}'; echo $? >{rc}; sleep 30"])
    try:
        for screen, move in (("Bonjour", []), ("Avant de commencer", ["Enter"]),
                             ("Encore environ", ["Enter"]), ("Voulez-vous arrêter", ["Escape"])):
            terminal.send(*move) if move else None
            terminal.wait_for(lambda s, want=screen: want in " ".join(s.split()), screen)
            for name in ESCAPE_KEYS:
                terminal.send(name)
        terminal.send("Escape")  # the safe answer: go on (alone: Escape then a key is Alt+key)
        terminal.wait_for(lambda s: "Voulez-vous" not in s, "the question again")
        terminal.send("l")  # the kiosk still answers its own keys
        terminal.wait_for(lambda s: "Français" in s, "the question in English")
        assert not rc.exists(), "a key ended the kiosk"
        os.kill(int(pid.read_text()), signal.SIGTERM)
        terminal.wait_for(lambda s: rc.exists() and rc.read_text().strip() != "", "the exit")
        assert rc.read_text().strip() == "0"
        [record] = list(ResultStore(data).records())
        assert record.completion == "timed_out"
    finally:
        terminal.close()


def test_a_fresh_process_for_each_visitor(tmp_path: Path) -> None:
    data, rc = tmp_path / "data", tmp_path / "rc"
    command = f"{sys.executable} -m kiosk run --exit-after-session --data-dir {data}"
    terminal = Terminal(["sh", "-c", f"{command}; echo $? >{rc}; sleep 30"])
    try:
        terminal.wait_for(lambda s: "Bonjour" in s, "the welcome screen")
        terminal.send("Enter")
        terminal.wait_for(lambda s: "Avant de commencer" in s, "the notice")
        terminal.send("Enter")
        terminal.wait_for(lambda s: "Encore environ" in s, "the first question")
        terminal.send("Escape")
        terminal.wait_for(lambda s: "arrêter" in s.lower(), "the stop question")
        terminal.send("Right", "Enter")  # from "continue" to "stop"
        terminal.wait_for(lambda s: rc.exists() and rc.read_text().strip() != "", "the exit")
        assert rc.read_text().strip() == "0"
        [record] = list(ResultStore(data).records())
        assert record.completion == "abandoned"
        monday = week_start(date.today())
        for path in [data, *data.rglob("*")]:  # no file or folder dates the visit
            assert path.stat().st_mtime == monday, path.name
    finally:
        terminal.close()


def test_the_staff_key_and_a_pin_set_by_the_real_command(tmp_path: Path) -> None:
    data = tmp_path / "data"
    pin = "864209753142"
    subprocess.run([sys.executable, "-m", "kiosk", "pin", "set", "mediator", "--data-dir",
                    str(data)], input=pin + "\n", text=True, check=True, capture_output=True)
    rc = tmp_path / "rc"
    command = f"{sys.executable} -m kiosk run --data-dir {data}"
    terminal = Terminal(["sh", "-c", f"{command}; echo $? >{rc}; sleep 30"], size=(80, 24))
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
        # In kiosk mode the one way out: staff stop the kiosk from their area, and say yes.
        terminal.send("C-k")
        terminal.wait_for(lambda s: "Accès du personnel" in s, "the PIN prompt again")
        terminal.send(*pin, "Enter")
        terminal.wait_for(lambda s: "Outils de médiation" in s, "the mediator's area again")
        terminal.send("Tab", "Tab", "Tab", "Enter")  # past the session, the code, leaving
        terminal.wait_for(lambda s: "Arrêter la borne ?" in s, "the stop question")
        terminal.send("Tab", "Enter")  # from the safe "no" to "yes"
        terminal.wait_for(lambda s: rc.exists() and rc.read_text().strip() != "", "the exit")
        assert rc.read_text().strip() == "3"  # not restarted by the systemd unit of the README
        terminal.wait_for(lambda s: "stopped by staff" in s, "the kiosk's last word")
    finally:
        terminal.close()
    log = (data / "kiosk.log").read_text()
    assert pin not in log and "123456" not in log


def test_the_coordinator_reads_the_figures_and_exports_from_the_keyboard(tmp_path: Path) -> None:
    data = tmp_path / "data"
    pin = "864201357924"
    kiosk = [sys.executable, "-m", "kiosk"]
    subprocess.run([*kiosk, "demo-data", "--count", "400", "--seed", "3", "--engine-visits",
                    "40", "--data-dir", str(data)], check=True, capture_output=True)
    subprocess.run([*kiosk, "pin", "set", "coordinator", "--data-dir", str(data)],
                   input=pin + "\n", text=True, check=True, capture_output=True)
    terminal = Terminal([*kiosk, "run", "--data-dir", str(data)], size=(80, 24))
    try:
        terminal.wait_for(lambda s: "Bonjour" in s, "the welcome screen")
        terminal.send("C-k")
        terminal.wait_for(lambda s: "Accès du personnel" in s, "the PIN prompt")
        terminal.send(*pin, "Enter")
        # Demo data is synthetic: nothing to count until it is asked for.
        terminal.wait_for(lambda s: "Visites : 0" in s, "the last 13 weeks, no real visit")
        terminal.send("Tab", "Tab", "Tab", "Space")  # period, grouping, site, demo visits
        terminal.wait_for(lambda s: "Visites : 39" in s and "Parcours proposés" in s,
                          "the demo visits counted")
        terminal.send("BTab", "BTab", "BTab", "Enter")  # the periods' list
        terminal.wait_for(lambda s: "Depuis le début" in s, "the periods offered")
        terminal.send("Down", "Enter")  # the last 12 months
        terminal.wait_for(lambda s: "Visites par mois" in s, "the months of the last year")
        terminal.send("Tab", "Tab", "Tab", "Tab", "Right", "Right")  # to the Export tab
        terminal.wait_for(lambda s: "Dossier de données" in s, "the export tab")
        terminal.send("Tab", "Tab", "Tab", "Tab", "Tab")  # where, folder, format, go
        time.sleep(0.5)
        terminal.send("Enter")
        shown = terminal.wait_for(lambda s: "Fichier écrit" in s, "the export said")
        [written] = (data / "exports").iterdir()
        # The file's name first, in sight at 80x24 however long its folder.
        assert written.suffix == ".xlsx" and f"Fichier écrit : {written.name}" in shown
        terminal.send("Escape")
        terminal.wait_for(lambda s: "Bonjour" in s and "coordination" not in s,
                          "the welcome again")
    finally:
        terminal.close()
