"""The kiosk in a browser, for a tablet or a browser-kiosk terminal: textual-serve runs
``kiosk run`` for each page opened (one process per visit, in kiosk mode, exiting when the
visit is over; the page then opens a fresh one). Every process saves to the same data folder,
whose store is made for several writers.

textual-serve has no authentication: the kiosk serves on this machine only unless told
otherwise, and then only where a proxy in front decides who may open it.
"""

from __future__ import annotations

import ipaddress
import logging
import shlex
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from textual_serve.server import Server

from kiosk.display import Display

TEMPLATES = Path(__file__).parent
REOPEN_MS = 300  # after a visit, the time to see the welcome screen come back, not a blank
# The page's text size in pixels: the browser's usual, and the kiosk's large-text setting.
FONT_SIZE = 16
LARGE_FONT_SIZE = 24


def page_font_size(display: Display) -> int:
    return LARGE_FONT_SIZE if display.large_text else FONT_SIZE


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class KioskServer(Server):
    """textual-serve with the kiosk's own page; ``font_size`` is read for each page opened
    (the large-text setting of the kiosk)."""

    def __init__(self, run_args: Sequence[str], host: str, port: int, title: str,
                 font_size: Callable[[], int]) -> None:
        command = shlex.join([sys.executable, "-m", "kiosk", "run", "--kiosk",
                              "--exit-after-session", "--in-browser", *run_args])
        super().__init__(command, host=host, port=port, title=title,
                         templates_path=TEMPLATES)
        self._font_size = font_size

    def initialize_logging(self) -> None:
        """Only problems are logged: an access log would note each visitor's address and the
        time they came."""
        super().initialize_logging()
        logging.getLogger("aiohttp.access").disabled = True
        logging.getLogger("textual-serve").setLevel(logging.WARNING)

    @aiohttp_jinja2.template("index.html")
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        router = request.app.router
        static = f"{self.public_url}{router['static'].url_for(filename='/')}".rstrip("/") + "/"
        websocket = f"{self.public_url}{router['websocket'].url_for()}"
        scheme = "wss:" if websocket.startswith("https:") else "ws:"
        return {
            "font_size": self._font_size(),
            "app_websocket_url": scheme + websocket.split(":", 1)[1],
            "config": {"static": {"url": static}},
            "application": {"name": self.title},
            "reopen_ms": REOPEN_MS,
        }
