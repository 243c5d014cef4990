"""A random presser on the running kiosk: thousands of keys, clicks and walks-away, then checks
that it is still on its own screens, consistent, and showing nothing of an earlier visitor.

Events reach the app as a terminal sends them (a key; a mouse button down then up), each
followed only by waiting until the app has handled what is queued: no fixed sleeps, so a
default run of a few thousand events takes seconds. Walks-away move the app's clock, not the
test's. The tests run it briefly (``tests/test_lockdown.py``); this script is the long run.

    python benchmarks/monkey.py [--events 20000] [--seeds 1 2 3] [--size 80x24] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import string
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from textual import events
from textual.pilot import Pilot
from textual.widgets import Button, Static

from kiosk.records import StoredVisit
from kiosk.storage import ResultStore
from kiosk.storage.saver import SaveQueue
from kiosk.ui import keys
from kiosk.ui.app import KioskApp
from kiosk.ui.screens.base import KioskScreen
from kiosk.ui.screens.dialog import Dialog
from kiosk.ui.staff.base import StaffScreen
from kiosk.visit import Assessment, load_assessment

# Every key a visitor can reach on a keyboard: the kiosk's own (its bindings, among them the
# staff key that opens the PIN prompt, and typing), and the ones a terminal or a desktop would
# act on (quit, suspend, interrupt, help, palette, function keys), which must do nothing.
KIOSK_KEYS = sorted({
    name.strip() for group in (keys.APP, keys.QUESTION, keys.SCREEN, keys.DIALOG, keys.SCROLL)
    for binding in group for name in binding.key.split(",")
} | {*string.digits, *string.ascii_lowercase, "space", "enter", "tab", "shift+tab"})
SYSTEM_KEYS = sorted({
    *(f"ctrl+{c}" for c in string.ascii_lowercase), "ctrl+backslash", "ctrl+at",
    "ctrl+right_square_bracket", "ctrl+circumflex_accent", "ctrl+underscore",
    *(f"f{n}" for n in range(1, 13)), *(f"shift+f{n}" for n in (1, 4, 10, 12)),
    "alt+f4", "alt+x", "ctrl+shift+q", "super+q", "insert", "delete", "home", "end",
} - set(KIOSK_KEYS))
VISITOR_KEYS = KIOSK_KEYS + SYSTEM_KEYS
# Weighted so that the random visitor also gets through the screens and to results.
WEIGHTED_KEYS = [*VISITOR_KEYS, *["enter"] * 25, *"1234" * 8, *["escape", "backspace"] * 2]
WALKS_AWAY = [5.0, 60.0, 95.0, 200.0]  # seconds the visitor leaves the kiosk alone for
OUR_SCREENS = (KioskScreen, Dialog)
TUESDAY_1PM = datetime(2026, 11, 24, 13, 0)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class CountingQueue(SaveQueue):
    """A save queue that counts what the app hands it."""

    submitted = 0

    def submit(self, visit: StoredVisit) -> None:
        self.submitted += 1
        super().submit(visit)


def key(name: str) -> events.Key:
    return events.Key(name, name if len(name) == 1 else (" " if name == "space" else None))


def click(x: int, y: int) -> list[events.MouseEvent]:
    place = {"x": x, "y": y, "delta_x": 0, "delta_y": 0, "button": 1, "shift": False,
             "meta": False, "ctrl": False, "screen_x": x, "screen_y": y}
    return [events.MouseDown(None, **place), events.MouseUp(None, **place)]


async def settle(pilot: Pilot[None]) -> None:
    """Wait until the app has handled what is queued and the screen now up is built: a
    screen switched to, or recomposing, mounts its widgets over several turns, so until two
    looks in a row find the same widgets."""
    built = -1
    for _ in range(50):
        await pilot.pause(0)
        now = len(pilot.app.screen.walk_children())
        if now and now == built:
            return
        built = now


def screen_text(app: KioskApp) -> str:
    parts = [str(w.render()) for w in app.screen.query(Static)]
    parts += [str(b.label) for b in app.screen.query(Button)]
    return "\n".join(parts)


@dataclass
class Report:
    events: int = 0
    keys: int = 0
    clicks: int = 0
    walks_away: int = 0
    screens: Counter[str] = field(default_factory=Counter)
    visits: int = 0  # visits started
    results: int = 0  # result screens reached
    submitted: int = 0  # visits handed to the save queue
    saved: int = 0  # records in the store afterwards
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "screens": dict(self.screens)}


def inconsistencies(app: KioskApp, old_codes: set[str]) -> list[str]:
    """What is wrong with the app's state right now (nothing, normally)."""
    found = []
    if not app.is_running or app.return_code is not None:
        found.append(f"the app stopped (return code {app.return_code})")
    screen = app.screen
    if not isinstance(screen, OUR_SCREENS):
        found.append(f"left the kiosk's screens for {type(screen).__name__}")
    if app.in_staff_mode or isinstance(screen, StaffScreen):
        found.append(f"a staff screen without the PIN: {type(screen).__name__}")
    name = type(screen).__name__
    if name == "QuestionScreen" and app.visit is None:
        found.append("a question on screen with no visit")
    if name == "ResultScreen" and app.outcome is None:
        found.append("a result on screen with no outcome")
    if name == "WelcomeScreen" and not app.screen_stack[1:] and app.visit is not None:
        found.append("the welcome screen while a visit is kept")
    shown = "".join(screen_text(app).split())  # codes are shown in groups: "K7P Q3X"
    leaked = [code for code in old_codes if code in shown]
    if leaked:
        found.append(f"an earlier visitor's result code on screen: {leaked}")
    return found


async def run_monkey(app: KioskApp, pilot: Pilot[None], clock: Clock, rng: random.Random,
                     count: int, report: Report) -> None:
    """``count`` random events; every inconsistency found goes into the report."""
    width, height = app.size
    old_codes: set[str] = set()
    visit, code = None, ""
    for _ in range(count):
        dice = rng.random()
        if dice < 0.03:
            clock.now += rng.choice(WALKS_AWAY)
            app.check_presence()
            report.walks_away += 1
        elif dice < 0.23:
            for event in click(rng.randrange(width), rng.randrange(height)):
                app.post_message(event)
            report.clicks += 1
        else:
            app.post_message(key(rng.choice(WEIGHTED_KEYS)))
            report.keys += 1
        report.events += 1
        await settle(pilot)
        if app.visit is not visit:
            if code:
                old_codes.add(code)  # that visit is over: its code must never show again
            visit, code = app.visit, ""
            report.visits += app.visit is not None
        if app.result_code and app.result_code != code:
            code = app.result_code
            report.results += 1
        report.screens[type(app.screen).__name__] += 1
        for problem in inconsistencies(app, old_codes):
            if len(report.problems) < 20:
                report.problems.append(f"after event {report.events}: {problem}")


def monkey(assessment: Assessment, seed: int, count: int, size: tuple[int, int],
           data_dir: Path) -> Report:
    """A fresh kiosk, ``count`` random events, then the store checked against what was saved."""
    store = ResultStore(data_dir)
    saver = CountingQueue(lambda: store)
    saver.start()
    clock = Clock()
    app = KioskApp(assessment, saver, now=lambda: TUESDAY_1PM, clock=clock)
    report = Report()

    async def scenario() -> None:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await run_monkey(app, pilot, clock, random.Random(seed), count, report)
            await pilot.pause()
            report.problems += inconsistencies(app, set())

    asyncio.run(scenario())
    saver.close()
    report.submitted = saver.submitted
    report.saved = ResultStore(data_dir).count()
    if report.saved != report.submitted:
        report.problems.append(f"{report.submitted} visits handed to the saver, "
                               f"{report.saved} in the store")
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=20000, help="Events per seed.")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--size", default="80x24", help="Terminal size, COLSxROWS.")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    columns, rows = (int(n) for n in args.size.split("x"))
    assessment = load_assessment()
    results = []
    for seed in args.seeds:
        started = time.perf_counter()
        with tempfile.TemporaryDirectory() as data:
            report = monkey(assessment, seed, args.events, (columns, rows), Path(data))
        results.append({"seed": seed, "seconds": time.perf_counter() - started,
                        **report.as_dict()})
    if args.json:
        print(json.dumps({"size": args.size, "runs": results}))
    else:
        print(f"{'seed':>4} {'events':>7} {'keys':>7} {'clicks':>6} {'away':>5} {'visits':>6} "
              f"{'results':>7} {'saved':>5} {'problems':>8} {'s':>6}")
        for r in results:
            print(f"{r['seed']:>4} {r['events']:>7} {r['keys']:>7} {r['clicks']:>6} "
                  f"{r['walks_away']:>5} {r['visits']:>6} {r['results']:>7} {r['saved']:>5} "
                  f"{len(r['problems']):>8} {r['seconds']:>6.1f}")
            for problem in r["problems"]:
                print(f"     {problem}")
    sys.exit(1 if any(r["problems"] for r in results) else 0)


if __name__ == "__main__":
    main()
