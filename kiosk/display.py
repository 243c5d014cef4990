"""How the kiosk looks (calm or high-contrast colours, normal or large text): a setting of the
kiosk, kept in its data folder for every visitor after, never one of a visitor's (nothing of it
goes into a result). No UI here.

A missing or unreadable file is the default look: it holds a preference, not results, so the
next change simply replaces it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal, get_args

from kiosk.storage import disk
from kiosk.storage.errors import explain

DISPLAY_FILE = "display.json"
Look = Literal["calm", "high_contrast"]
LOOKS: tuple[str, ...] = get_args(Look)


@dataclass(frozen=True)
class Display:
    look: Look = "calm"
    large_text: bool = False


class DisplayFile:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.path = data_dir / DISPLAY_FILE

    def read(self) -> Display:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return Display()
        if not isinstance(data, dict):
            return Display()
        look = data.get("look")
        return Display(look=look if look in LOOKS else "calm",  # type: ignore[arg-type]
                       large_text=data.get("large_text") is True)

    def write(self, display: Display) -> None:
        """Replace the file (atomically); its times, like the results', date nothing."""
        from kiosk.storage.journal import replace_file  # not needed for the first screen

        try:
            replace_file(self.path, [json.dumps(asdict(display)).encode("utf-8")])
        except OSError as exc:
            raise explain(exc, self.path) from exc
        disk.blur_times(self.data_dir)
