"""The kiosk in a browser: ``kiosk serve`` opened in headless Chromium (Debian's, driven by
Playwright), a question answered, the screen checked; two pages at once are two kiosks saving
to one data folder.

The page draws the terminal on a canvas, so the test reads what the kiosk sends it (the
terminal output on the page's websocket), and checks the page's picture is not blank.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.storage import ResultStore

playwright = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install "
                       "chromium; .ci/run installs it)"),
]
# Escape sequences and control bytes between the words the kiosk draws.
CONTROL = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[P\]X^_].*?(?:\x1b\\|\x07)|\x1b.|[\x00-\x1f]",
                     re.DOTALL)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    data, port = tmp_path / "data", free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "serve", "--port", str(port), "--data-dir", str(data)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url, timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    said = server.stderr.read().decode() if server.stderr else ""
                    raise AssertionError(f"kiosk serve did not start: {said}") from None
                time.sleep(0.1)
        yield url, data
    finally:
        server.terminate()
        server.wait(10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium for the module's tests (a launch takes a second); each test opens
    its own context, as a fresh browser profile."""
    with playwright.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield launched
        launched.close()


class Screen:
    """What one page's kiosk has drawn, as text without the escape sequences."""

    def __init__(self, page: object) -> None:
        self.page = page
        self.text = ""
        self.sockets = 0
        page.on("websocket", self._opened)  # type: ignore[attr-defined]

    def _opened(self, websocket: object) -> None:
        self.sockets += 1
        websocket.on("framereceived", self._received)  # type: ignore[attr-defined]

    def _received(self, payload: bytes | str) -> None:
        if isinstance(payload, bytes):
            self.text += CONTROL.sub("", payload.decode("utf-8", "replace"))

    def mark(self) -> int:
        return len(self.text)

    def wait_for(self, needle: str, since: int = 0, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while needle not in self.text[since:]:
            if time.monotonic() > deadline:
                raise AssertionError(f"the page never showed {needle!r}; it showed "
                                     f"{self.text[since:][-400:]!r}")
            self.page.wait_for_timeout(50)  # type: ignore[attr-defined]


def focus(page: object) -> None:
    """Keys go to the terminal (as after a tap on it, without a click reaching the kiosk)."""
    page.locator(".xterm-helper-textarea").focus()  # type: ignore[attr-defined]


def test_a_visitor_answers_a_question_in_the_browser(browser: Any, served: tuple[str, Path],
                                                     tmp_path: Path) -> None:
    url, data = served
    with browser.new_context(viewport={"width": 1100, "height": 700}) as context:
        page = context.new_page()
        screen = Screen(page)
        page.goto(url)
        screen.wait_for("Bonjour, bienvenue")
        screen.wait_for("Commencer")
        focus(page)
        page.keyboard.press("Enter")
        screen.wait_for("Avant de commencer")
        page.keyboard.press("Enter")
        at = screen.mark()
        screen.wait_for("Encore ", at)
        first = screen.text[at:]
        at = screen.mark()
        page.keyboard.press("1")
        screen.wait_for("Encore ", at)
        assert screen.text[at:] != first, "the next question is drawn"
        picture = tmp_path / "question.png"
        page.screenshot(path=str(picture))
    from PIL import Image

    colours = Image.open(picture).convert("RGB").getcolors(maxcolors=1 << 16)
    assert colours is None or len(colours) > 4, "the page shows the kiosk, not a blank"
    # Closing the page mid-visit is a visitor who left: their kiosk keeps the visit and exits.
    deadline = time.monotonic() + 30
    while not (records := list(ResultStore(data).records())) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [r.completion for r in records] == ["timed_out"]


def test_two_pages_are_two_kiosks_saving_to_one_folder(browser: Any,
                                                      served: tuple[str, Path]) -> None:
    url, data = served
    with browser.new_context(viewport={"width": 1100, "height": 700}) as context:
        pages = [context.new_page() for _ in range(2)]
        screens = [Screen(page) for page in pages]
        for page, screen in zip(pages, screens, strict=True):
            page.goto(url)
            screen.wait_for("Commencer")
            focus(page)
        for page, screen in zip(pages, screens, strict=True):
            page.keyboard.press("Enter")
            screen.wait_for("Avant de commencer")
            page.keyboard.press("Enter")
            screen.wait_for("Encore ")
        for page, screen in zip(pages, screens, strict=True):
            page.keyboard.press("2")
            page.keyboard.press("Escape")  # stop: each kiosk saves, then exits
            screen.wait_for("Voulez-vous")
            at = screen.mark()
            page.keyboard.press("ArrowRight")
            page.keyboard.press("Enter")
            screen.wait_for("Bonjour, bienvenue", at)  # the page opened a fresh kiosk
            assert screen.sockets == 2
    records = list(ResultStore(data).records())
    assert [r.completion for r in records] == ["abandoned", "abandoned"]
    assert len({r.result_id for r in records}) == 2
