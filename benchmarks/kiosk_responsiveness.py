"""Kiosk responsiveness, through the real app, with its same-run floor.

The floor is a bare Textual app that shows one label, measured the same way in the same run.

1. Start: each app is spawned in its own pseudo-terminal (80×24, the real Textual driver) and
   timed from just before the spawn until the terminal has received the whole first screen
   (for the kiosk, ``python -m kiosk run --data-dir TMP`` on its bundled defaults, the welcome
   heading and its focused "Commencer" button; for the floor, its label). Runs alternate
   between the two apps so that machine noise falls on both.
2. Key press to next question: simulated visitors answer full assessments (random valid answer
   keys, seeded) in ``App.run_test()``. Each answer is timed from the key press to the first
   frame the app composes with the next question's answers on it (Textual's ``_display``,
   where a frame goes to the terminal; headless, nothing is written, the frame is built).
   Timing ``await pilot.press()`` itself would add the pilot's own idle waits (≥ 40 ms).
3. Peak RSS: the visitors of 2 run in a child process, one app serving them one after the
   other like a kiosk does; its ``ru_maxrss`` (``os.wait4``) against a child that runs the
   bare app the same way and presses one key.

    python benchmarks/kiosk_responsiveness.py [--starts 15] [--visitors 20] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import json
import os
import pty
import select
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path
from typing import Any

from rich.console import RenderableType
from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Label

TARGETS = {"start_ratio": 1.5, "key_ms_p95": 50.0, "peak_rss_mb": 120.0}
SIZE = (80, 24)
BARE_LABEL = "bare app ready"
# The kiosk's first screen is ready when the visitor can read it and act: the heading and the
# focused start button are both on the terminal.
KIOSK_READY = (b"Bonjour, bienvenue", b"Commencer")


class BareApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Label(BARE_LABEL)


# -- 1. start ---------------------------------------------------------------------------------


def time_to_screen(argv: list[str], needles: tuple[bytes, ...], timeout: float = 30.0) -> float:
    """Seconds from spawning ``argv`` in a pseudo-terminal until every needle was written."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
    env = {**os.environ, "TERM": "xterm-256color"}
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env,
                               start_new_session=True)
    os.close(slave)
    seen = b""
    try:
        while not all(needle in seen for needle in needles):
            ready, _, _ = select.select([master], [], [], timeout)
            if not ready:
                raise RuntimeError(f"{argv}: no first screen after {timeout} s; "
                                   f"last output {seen[-300:]!r}")
            seen += os.read(master, 65536)
        return time.perf_counter() - start
    finally:
        process.kill()  # the kiosk has no visitor's quit key; nothing of it is kept
        process.wait()
        os.close(master)


def start_times(runs: int, data_dir: Path) -> tuple[list[float], list[float]]:
    kiosk_argv = [sys.executable, "-m", "kiosk", "run", "--data-dir", str(data_dir)]
    bare_argv = [sys.executable, __file__, "--child", "bare-run"]
    kiosk: list[float] = []
    bare: list[float] = []
    time_to_screen(bare_argv, (BARE_LABEL.encode(),))  # warm the OS file cache for both
    time_to_screen(kiosk_argv, KIOSK_READY)
    for _ in range(runs):
        kiosk.append(time_to_screen(kiosk_argv, KIOSK_READY))
        bare.append(time_to_screen(bare_argv, (BARE_LABEL.encode(),)))
    return kiosk, bare


# -- 2. key press to next question (runs in the child of 3) -------------------------------


def visit_latencies(visitors: int, seed: int, data_dir: Path) -> list[float]:
    """Seconds from each answer key to the next question's frame, over full assessments."""
    import numpy as np

    from kiosk.storage import ResultStore
    from kiosk.storage.saver import SaveQueue
    from kiosk.ui.app import KioskApp
    from kiosk.ui.screens.question import QuestionScreen
    from kiosk.ui.screens.welcome import WelcomeScreen
    from kiosk.ui.widgets.answers import AnswerButton, AnswerList
    from kiosk.visit import load_assessment

    class TimedKiosk(KioskApp):
        """Notes when a frame first shows all the answers of a question other than the one
        answered (the answer buttons are relabelled in place: the question is told by id)."""

        answered = ""
        drawn_at: float | None = None

        def _display(self, screen: Screen[Any], renderable: RenderableType | None) -> None:
            super()._display(screen, renderable)
            if (self.drawn_at is None and renderable is not None and not self._batch_count
                    and isinstance(screen, QuestionScreen)):
                shown = screen.query(AnswerList)
                if shown and shown.first().question_id != self.answered and \
                        shown.first().complete:
                    self.drawn_at = time.perf_counter()

    # Built as ``kiosk run`` builds it, on the bundled questionnaire and site.
    assessment = load_assessment()
    app = TimedKiosk(assessment, SaveQueue.of(ResultStore(data_dir)))
    rng = np.random.default_rng(seed)
    latencies: list[float] = []

    async def run() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            for _ in range(visitors):
                await pilot.press("enter", "enter")  # start, then the notice
                await pilot.pause()
                while isinstance(app.screen, QuestionScreen):
                    answers = app.screen.query_one(AnswerList)
                    app.answered = answers.question_id
                    app.drawn_at = None
                    options = len(answers.query(AnswerButton))
                    start = time.perf_counter()
                    await pilot.press(str(rng.integers(1, options + 1)))
                    await pilot.pause()
                    if isinstance(app.screen, QuestionScreen):
                        assert app.drawn_at is not None, "the next question was never drawn"
                        latencies.append(app.drawn_at - start)
                # "Terminer" on the result, confirmed, then no optional question: the welcome
                await pilot.press("right", "right", "enter", "down", "enter", "escape")
                await pilot.pause()
                assert isinstance(app.screen, WelcomeScreen), "a visit did not end"

    asyncio.run(run())
    return latencies


def bare_visit() -> None:
    async def run() -> None:
        async with BareApp().run_test(size=SIZE) as pilot:
            await pilot.press("enter")
            await pilot.pause()

    asyncio.run(run())


# -- 3. peak RSS ------------------------------------------------------------------------------


def child(args: list[str]) -> tuple[dict[str, Any], float]:
    """Run this script as a child with ``args``; its JSON output and its peak RSS in MB."""
    with tempfile.TemporaryFile() as err:  # a file, not a pipe: it cannot fill up and block
        process = subprocess.Popen([sys.executable, __file__, *args], stdout=subprocess.PIPE,
                                   stderr=err)
        assert process.stdout is not None
        out = process.stdout.read()
        # wait4, not wait: the rusage of this one child, not of all children so far.
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = code = os.waitstatus_to_exitcode(status)
        if code:
            err.seek(0)
            raise RuntimeError(f"{args}: exit {code}\n{err.read().decode()}")
    return json.loads(out or b"{}"), usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


# -- report -----------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(starts: int, visitors: int, seed: int) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="kiosk-responsiveness-"))
    try:
        kiosk_starts, bare_starts = start_times(starts, work / "start")
        visits, peak_rss = child(["--child", "kiosk", "--visitors", str(visitors),
                                  "--seed", str(seed), "--data-dir", str(work / "visits")])
        _, bare_rss = child(["--child", "bare"])
    finally:
        shutil.rmtree(work)
    keys_ms = [s * 1000 for s in visits["latencies"]]
    result: dict[str, Any] = {
        "starts": starts,
        "visitors": visitors,
        "key_presses": len(keys_ms),
        "start_s_p50": statistics.median(kiosk_starts),
        "bare_start_s_p50": statistics.median(bare_starts),
        "key_ms_p50": statistics.median(keys_ms),
        "key_ms_p95": percentile(keys_ms, 0.95),
        "key_ms_max": max(keys_ms),
        "peak_rss_mb": peak_rss,
        "bare_peak_rss_mb": bare_rss,
    }
    result["start_ratio"] = result["start_s_p50"] / result["bare_start_s_p50"]
    result["rss_ratio"] = peak_rss / bare_rss
    result["targets_met"] = {name: result[name] <= limit for name, limit in TARGETS.items()}
    result["targets_missed"] = [name for name, met in result["targets_met"].items() if not met]
    return result


def print_table(r: dict[str, Any]) -> None:
    def verdict(name: str) -> str:
        return f"≤ {TARGETS[name]:g}  {'met' if r['targets_met'][name] else 'MISSED'}"

    print(f"{r['starts']} starts of each app; {r['visitors']} full assessments, "
          f"{r['key_presses']} answer keys timed")
    print(f"{'measure':<34} {'kiosk':>9} {'bare app':>9} {'ratio':>7}  target")
    print(f"{'start to first screen, p50 (s)':<34} {r['start_s_p50']:>9.3f} "
          f"{r['bare_start_s_p50']:>9.3f} {r['start_ratio']:>7.2f}  {verdict('start_ratio')} ×")
    print(f"{'key to next question, p50 (ms)':<34} {r['key_ms_p50']:>9.1f}")
    print(f"{'key to next question, p95 (ms)':<34} {r['key_ms_p95']:>9.1f} {'':>9} {'':>7}  "
          f"{verdict('key_ms_p95')}")
    print(f"{'key to next question, max (ms)':<34} {r['key_ms_max']:>9.1f}")
    print(f"{'peak RSS (MB)':<34} {r['peak_rss_mb']:>9.1f} {r['bare_peak_rss_mb']:>9.1f} "
          f"{r['rss_ratio']:>7.2f}  {verdict('peak_rss_mb')}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--starts", type=int, default=15, help="Starts of each app.")
    parser.add_argument("--visitors", type=int, default=20, help="Full assessments.")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    # Internal: what the child processes run.
    parser.add_argument("--child", choices=["bare-run", "bare", "kiosk"], help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child == "bare-run":
        BareApp().run()
    elif args.child == "bare":
        bare_visit()
    elif args.child == "kiosk":
        latencies = visit_latencies(args.visitors, args.seed, args.data_dir)
        print(json.dumps({"latencies": latencies}))
    else:
        result = measure(args.starts, args.visitors, args.seed)
        if args.json:
            print(json.dumps(result))
        else:
            print_table(result)


if __name__ == "__main__":
    main()
