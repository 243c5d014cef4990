"""What the visitor sees, pinned: the welcome, a question, the result and the take-away at
80x24, 120x40 and 200x60, in French on the example site and in English in Geneva.

A change to any of these screens fails here until its new look is accepted: look at the report
(``snapshot_report.html``), then ``pytest tests/test_snapshots.py --snapshot-update``.
Everything that varies between runs is fixed: the clock, the visit's question draws, the code.
"""

from __future__ import annotations

import pytest
from conftest import TUESDAY_1PM
from ui_helpers import go_to

from kiosk import takeaway
from kiosk.storage import ResultStore
from kiosk.storage.saver import SaveQueue
from kiosk.ui.app import KioskApp

SIZES = [(80, 24), (120, 40), (200, 60)]
PLACES = {"fr-example": ("fr", "assessment"), "en-geneva": ("en", "geneva_assessment")}
SCREENS = ["welcome", "question", "result", "takeaway"]
@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("place", list(PLACES))
@pytest.mark.parametrize("screen", SCREENS)
def test_screen(snap_compare, request, monkeypatch, tmp_path, screen: str, place: str,
                size: tuple[int, int]) -> None:
    language, fixture = PLACES[place]
    assessment = request.getfixturevalue(fixture)
    # Without the staff files the code is drawn at random, not linked: here, always the same.
    monkeypatch.setattr(takeaway, "new_result_code", lambda: "K7PQ3X")
    app = KioskApp(assessment, SaveQueue.of(ResultStore(tmp_path / "data")),
                   language=language, now=lambda: TUESDAY_1PM, seed=3)
    assert snap_compare(app, terminal_size=size, run_before=go_to(screen))
