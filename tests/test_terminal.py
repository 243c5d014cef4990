"""The real kiosk in a real terminal: tmux runs ``kiosk``, visitors type and read the screen.

Each persona answers what is on screen as that person would, counts the questions before the
result, and looks at the first result screen at 80x24 without scrolling: the pathway, and the
first offer's name, place and next opening, must be there.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from conftest import GENEVA_FILE

from kiosk.bank.model import Bank, CanDoItem, KnowledgeItem
from kiosk.offer_text import name_text, when_text
from kiosk.offers import Visitor, choose_offers
from kiosk.storage import ResultStore
from kiosk.storage.disk import week_start
from kiosk.visit import Assessment, load_assessment

pytestmark = [
    pytest.mark.terminal,
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


class Terminal:
    """A private tmux server with one window of ``size`` running a command."""

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
        """What the screen shows, no-break spaces as spaces."""
        return self._tmux("capture-pane", "-p", "-t", "kiosk").replace("\u00a0", " ")

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
        """The server and whatever still runs in its window: a kiosk whose terminal vanished
        can hang in Textual's shutdown (its output thread waiting), and must not outlive the
        test."""
        try:
            pane = int(self._tmux("display-message", "-p", "-t", "kiosk", "#{pane_pid}"))
        except (subprocess.CalledProcessError, ValueError):
            pane = None  # the window has already closed
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)
        if pane is None:
            return
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                os.killpg(pane, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pane, signal.SIGKILL)


def kiosk(data: Path, *options: str) -> list[str]:
    return [sys.executable, "-m", "kiosk", "run", "--data-dir", str(data), *options]


def flat(text: str) -> str:
    return " ".join(text.split())


@dataclass
class Persona:
    """Answers what the screen asks: context questions from ``context`` (by question id),
    can-do statements with the key ``can_do``, knowledge checks right or "je ne sais pas"."""

    language: str
    context: dict[str, str]
    can_do: str
    knows: bool
    switch_after: int | None = None  # presses L after this many answers
    answered: list[str] = field(default_factory=list)

    def key(self, bank: Bank, question_id: str, shown_options: int) -> str:
        if question_id in {q.id for q in bank.context}:
            question = bank.context_question(question_id)
            return str([o.id for o in question.options].index(self.context[question_id]) + 1)
        item = bank.item(question_id)
        if isinstance(item, KnowledgeItem):
            right = [o.id for o in item.options].index(item.correct) + 1
            return str(right if self.knows else shown_options)  # last: "je ne sais pas"
        return self.can_do


def question_on(screen: str, bank: Bank) -> tuple[str, int] | None:
    """The question on screen (its id) and its number of answers; None on the result."""
    text = flat(screen)
    if "Votre résultat" in text or "Your result" in text:
        return None
    prompts = {q.id: q.prompt for q in bank.context}
    prompts |= {i.id: i.statement for i in bank.items if isinstance(i, CanDoItem)}
    prompts |= {i.id: i.prompt for i in bank.items if isinstance(i, KnowledgeItem)}
    for question_id, prompt in prompts.items():
        if any(flat(prompt.get(lang))[:40] in text for lang in bank.languages):
            keys = text.split("Touches 1 à ")[-1] if "Touches" in text else text.split(
                "Keys 1 to ")[-1]
            return question_id, int(keys.split(",")[0])
    raise AssertionError(f"no question known on screen:\n{screen}")


def visit(terminal: Terminal, bank: Bank, persona: Persona) -> str:
    """Play the persona from the welcome screen to the result; the result screen, as first
    shown."""
    terminal.wait_for(lambda s: "Bonjour" in s, "the welcome screen")
    terminal.send("Enter")
    terminal.wait_for(lambda s: "Avant de commencer" in s, "the notice")
    terminal.send("Enter")
    shown = terminal.wait_for(lambda s: "questions" in s, "the first question")
    while (found := question_on(shown, bank)) is not None:
        question_id, options = found
        if persona.switch_after == len(persona.answered):
            terminal.send("l")
            shown = terminal.wait_for(lambda s: "questions left" in s or "Almost" in s,
                                      "the question in English")
        persona.answered.append(question_id)
        assert len(persona.answered) <= bank.engine.max_total, "the visit is capped"
        terminal.send(persona.key(bank, question_id, options))
        before = flat(shown)
        shown = terminal.wait_for(lambda s, b=before: flat(s) != b, "the next screen")
        # The screen may be drawn in two steps: take it once it stops changing.
        time.sleep(0.3)
        shown = terminal.screen()
    return shown


def first_offer_in_sight(screen: str, assessment: Assessment, persona: Persona,
                         data: Path) -> None:
    """The pathway and the first offer's name, place and next opening, on the first result
    screen, without scrolling."""
    [record] = list(ResultStore(data).records())
    bank, site = assessment.bank, assessment.site
    language = "en" if persona.switch_after is not None else persona.language
    text = flat(screen)
    assert flat(bank.pathway(record.pathway).title.get(language)) in text
    context = {k: v for k, v in persona.context.items() if k in persona.answered}
    decision = assessment.router.decide(record.levels, context)
    now = datetime.now()
    first = choose_offers(site, decision, record.levels, Visitor.from_answers(language, context),
                          now)[0].offer
    assert flat(name_text(first, language))[:60] in text, first.id
    if first.place:
        assert first.place in text
    opening = {flat(when_text(first, site.where, moment, language))
               for moment in (now - timedelta(minutes=1), now, now + timedelta(minutes=1))}
    assert any(words[:30] in text for words in opening), opening
    assert "▼" in text, "more below, and said"


def run_persona(tmp_path: Path, persona: Persona, size: tuple[int, int] = (80, 24)) -> int:
    data = tmp_path / "data"
    assessment = load_assessment(site=GENEVA_FILE)
    terminal = Terminal(kiosk(data, "--site", str(GENEVA_FILE)), size)
    try:
        result = visit(terminal, assessment.bank, persona)
        first_offer_in_sight(result, assessment, persona, data)
    finally:
        terminal.close()
    return len(persona.answered)


# The visit is "about 8 to 12 questions in all": the least at ease no longer than the others.
TYPICAL_MOST = 12


def test_a_beginner_with_only_a_phone(tmp_path: Path) -> None:
    persona = Persona("fr", {"equipment": "phone_only", "internet_home": "phone_data",
                             "email": "no", "urgency": "today", "help_preference": "individual"},
                      can_do="1", knows=False)
    asked = run_persona(tmp_path, persona)
    assert asked <= TYPICAL_MOST, persona.answered
    assert "digital_identity" not in persona.answered, "no e-mail: the identity is moot"


def test_a_confident_visitor(tmp_path: Path) -> None:
    persona = Persona("fr", {"equipment": "phone_and_computer", "internet_home": "yes",
                             "email": "yes", "digital_identity": "yes", "urgency": "no",
                             "help_preference": "group"}, can_do="4", knows=True)
    asked = run_persona(tmp_path, persona)
    assert asked <= TYPICAL_MOST, persona.answered
    assert "urgency" not in persona.answered, "at ease: urgency changes nothing"


def test_an_english_speaker_who_switches_midway(tmp_path: Path) -> None:
    persona = Persona("fr", {"equipment": "phone_and_computer", "internet_home": "yes",
                             "email": "yes", "digital_identity": "not_sure", "urgency": "later",
                             "help_preference": "either"}, can_do="2", knows=True,
                      switch_after=3)
    asked = run_persona(tmp_path, persona)
    assert asked <= load_assessment().bank.engine.max_total, persona.answered


def test_full_assessment_then_take_away_and_finish(tmp_path: Path, bank: Bank) -> None:
    data = tmp_path / "data"
    terminal = Terminal(kiosk(data))
    try:
        persona = Persona("fr", {"equipment": "phone_and_computer", "internet_home": "yes",
                                 "email": "yes", "digital_identity": "yes", "urgency": "no",
                                 "help_preference": "either"}, can_do="3", knows=True)
        visit(terminal, bank, persona)
        [record] = list(ResultStore(data).records())  # saved before the result is shown
        assert record.completion == "completed"
        terminal.send("Enter")  # "Emporter" has the focus
        terminal.wait_for(lambda s: "▀" in s and "Fermer" in s, "the QR code")
        terminal.send("Escape")
        terminal.wait_for(lambda s: "Votre résultat" in s, "the result again")
        terminal.send("Right", "Right", "Enter")  # "Terminer"
        terminal.wait_for(lambda s: "Revenir au résultat" in s, "the confirmation")
        terminal.send("Down", "Enter")  # "Oui, terminer"
        terminal.wait_for(lambda s: "facultatives" in s, "the optional questions")
        terminal.send("Escape")
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
                             ("Touches 1 à", ["Enter"]), ("Voulez-vous arrêter", ["Escape"])):
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
        terminal.wait_for(lambda s: "Touches 1 à" in s, "the first question")
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
        terminal.wait_for(lambda s: "Visites : 49" in s and "Parcours proposés" in s,
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
        shown = shown.replace("\u00a0", " ")  # French typography: a no-break space before ':'
        assert written.suffix == ".xlsx" and f"Fichier écrit : {written.name}" in shown
        terminal.send("Escape")
        terminal.wait_for(lambda s: "Bonjour" in s and "coordination" not in s,
                          "the welcome again")
    finally:
        terminal.close()
