"""A quick start: files checked once are loaded after the first screen; changed files are
checked again before anything is shown."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from kiosk import paths
from kiosk.startup import Cover, Lazy, checked_cover, remember_checked

HEAVY = ("pydantic", "numpy", "kiosk.bank.model", "kiosk.visit", "kiosk.storage.store",
         "holidays", "opening_hours", "babel")

# Starts the kiosk as ``kiosk run`` does, headless, and says what was imported when the first
# screen was drawn, before the app loads the rest.
FIRST_SCREEN = """
import asyncio, json, sys
from pathlib import Path
from kiosk.cli import _checked
from kiosk.storage.saver import SaveQueue
from kiosk.ui.app import KioskApp

HEAVY = {heavy!r}

class FirstScreenOnly(KioskApp):
    def _warm_up(self):
        self.imported = [m for m in HEAVY if m in sys.modules]
        self.shown = type(self.screen).__name__
        self.exit()

assessment, cover = _checked(None, None)
app = FirstScreenOnly(assessment, SaveQueue(lambda: None), cover=cover)

async def main():
    async with app.run_test() as pilot:
        await pilot.pause()

asyncio.run(main())
print(json.dumps({{"imported": app.imported, "shown": app.shown,
                  "loaded": assessment.loaded}}))
"""


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("KIOSK_CACHE_DIR", str(folder))
    return folder


def first_screen(cache: Path) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", FIRST_SCREEN.format(heavy=HEAVY)],
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, "KIOSK_CACHE_DIR": str(cache)})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


@pytest.mark.slow  # two Python processes
def test_the_first_screen_waits_for_no_model_once_the_files_were_checked(cache: Path) -> None:
    first = first_screen(cache)
    assert first["shown"] == "WelcomeScreen"
    assert first["loaded"] and "pydantic" in first["imported"], "new files are checked first"
    again = first_screen(cache)
    assert again == {"imported": [], "shown": "WelcomeScreen", "loaded": False}


def test_a_changed_file_is_checked_again(tmp_path: Path, cache: Path) -> None:
    site = tmp_path / "site.yaml"
    shutil.copy(paths.default_site(), site)
    files = [paths.default_bank(), site]
    cover = Cover({"fr": "Titre", "en": "Title"}, ("fr", "en"))
    assert checked_cover(files) is None
    remember_checked(files, cover)
    assert checked_cover(files) == cover
    site.write_text(site.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert checked_cover(files) is None
    (cache / "checked.json").write_text("{not json", encoding="utf-8")
    assert checked_cover(files) is None, "a damaged cache only means checking again"


def test_a_lazy_value_loads_once_and_others_wait_for_it() -> None:
    calls: list[int] = []
    started = threading.Event()

    def load() -> int:
        started.set()
        time.sleep(0.05)
        calls.append(1)
        return 42

    value = Lazy(load)
    loader = threading.Thread(target=value.get)
    loader.start()
    started.wait()
    assert value.get() == 42  # waits for the load under way rather than starting another
    loader.join()
    assert calls == [1] and value.loaded


def test_a_failed_load_raises_to_every_caller() -> None:
    def load() -> int:
        raise ValueError("broken file")

    value = Lazy(load)
    for _ in range(2):
        with pytest.raises(ValueError, match="broken file"):
            value.get()
    assert isinstance(value.error, ValueError)
