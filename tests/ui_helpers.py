"""Reaching a screen of the kiosk at once, for the tests that look at it: a visitor with a phone
and a computer and no urgency, answered without the keyboard; and reading a QR code back."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import numpy as np
import zxingcpp
from PIL import Image
from textual.pilot import Pilot

from kiosk.domain import DONT_KNOW
from kiosk.ui.app import KioskApp
from kiosk.visit import Assessment, Question

AT_EASE = 2  # the answer given to every statement: "alone"


def answer(assessment: Assessment, question: Question, skill: int = AT_EASE) -> str:
    """A visitor with a phone and a computer and no urgency, who answers ``skill`` (a step of
    the scale) to every statement and knows the knowledge checks."""
    if question.kind == "context":
        chosen = {"equipment": "phone_and_computer", "internet_home": "yes", "email": "yes",
                  "digital_identity": "yes", "urgency": "no", "help_preference": "either"}
        return chosen.get(question.id, DONT_KNOW)
    if question.kind == "can_do":
        return question.options[skill].id
    return assessment.bank.item(question.id).correct  # type: ignore[union-attr]


def go_to(screen: str, skill: int = AT_EASE) -> Callable[[Pilot[None]], Awaitable[None]]:
    """From the welcome screen to ``screen``: "welcome", "question" (the first skill
    question), "result" or "takeaway" (as ``snap_compare``'s ``run_before``)."""

    async def run_before(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, KioskApp)
        await pilot.pause()
        if screen == "welcome":
            return
        app.action_start_visit()
        visit = app.visit
        assert visit is not None
        while (question := visit.current) is not None and (
            screen != "question" or question.kind == "context"
        ):
            visit.answer(answer(app.assessment, question, skill))
        if screen != "question":  # the question screen shows the visit as it stands
            app.complete_visit()
        await pilot.pause()
        if screen == "takeaway":
            await pilot.click("#takeaway")
        await pilot.pause()

    return run_before


_CHAR_MODULES = {" ": (0, 0), "▀": (1, 0), "▄": (0, 1), "█": (1, 1)}


def decode_qr(lines: list[str]) -> str:
    """Read a QR code back from the characters drawn on screen, as a phone camera would."""
    rows: list[list[int]] = []
    for line in lines:
        pairs = [_CHAR_MODULES[c] for c in line]
        rows += [[top for top, _ in pairs], [bottom for _, bottom in pairs]]
    dark = np.array(rows, dtype=np.uint8)
    pixels = np.where(dark == 1, 0, 255).astype(np.uint8)
    image = Image.fromarray(pixels).resize((dark.shape[1] * 6, dark.shape[0] * 6),
                                           Image.Resampling.NEAREST)
    found = zxingcpp.read_barcodes(image)
    assert len(found) == 1
    return found[0].text
