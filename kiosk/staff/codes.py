"""The same-day link between a visitor's result code and their result.

A visitor's result screen shows a short code; the mediator types it and sees that result.
The link lives only in ``result-codes.json`` in the staff folder, apart from the stored
results: for each code of the day, the result's id and what its screen showed (levels, pathway,
the reasons given, access needs, whether it was uncertain), never an answer, and it is never
exported. The file names its day: on any other day it is removed, at the first look (the kiosk
looks every minute, at start, and whenever a code is typed), so a code opens nothing after
midnight.

A code is six characters drawn at random (``secrets``) from an alphabet without look-alikes,
unique within the day: nothing about it follows from the result id, nor from the codes before.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kiosk.bank.conditions import Uncertainty
from kiosk.datafile import Text
from kiosk.domain import AccessNeed, DomainId, Level, PathwayId
from kiosk.routing import Decision
from kiosk.staff.files import StaffFile
from kiosk.storage.errors import StorageError
from kiosk.takeaway import CODE_ALPHABET, CODE_LENGTH, new_result_code

CODES_NAME = "result-codes.json"
log = logging.getLogger("kiosk.staff")


class ShownResult(BaseModel):
    """A result as its screen showed it: what a mediator sees when the visitor brings its code."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    result_id: str = Field(pattern=r"^[0-9a-f]{32}$")
    levels: dict[DomainId, Level]
    pathway: PathwayId
    needs: tuple[AccessNeed, ...] = ()
    reasons: tuple[Text, ...] = ()
    uncertain: Uncertainty | None = None
    likely: tuple[PathwayId, ...] = ()  # the two closest pathways of an undecided result

    def decision(self) -> Decision:
        return Decision(self.pathway, self.needs, self.reasons)


class CodesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    day: date
    codes: dict[str, ShownResult] = Field(default_factory=dict)


def normalised(typed: str) -> str:
    """A code as typed ("k7p q3x") as issued ("K7PQ3X")."""
    return "".join(typed.split()).upper()


class ResultCodes:
    def __init__(self, directory: Path, today: Callable[[], date] = date.today,
                 draw: Callable[[], str] = new_result_code) -> None:
        self.file = StaffFile(directory / CODES_NAME, today)
        self._today = today
        self._draw = draw

    def issue(self, shown: ShownResult) -> str:
        """A new code for this result, unique today, and the link kept until midnight."""
        with self.file.locked():
            current = self._current()
            code = self._draw()
            while code in current.codes:
                code = self._draw()
            current.codes[code] = shown
            self.file.write(current.model_dump(mode="json"))
        return code

    def look_up(self, typed: str) -> ShownResult | None:
        """The result of a code given today; None for any other (unknown, or of another
        day: those are gone)."""
        code = normalised(typed)
        if len(code) != CODE_LENGTH or set(code) - set(CODE_ALPHABET):
            return None
        with self.file.locked():
            return self._current().codes.get(code)

    def expire(self) -> bool:
        """Remove the links of another day; True if there were some."""
        with self.file.locked():
            return self._stale() is not None and self.file.remove()

    def __len__(self) -> int:
        with self.file.locked():
            return len(self._current().codes)

    def _current(self) -> CodesFile:
        """Today's links, after removing those of another day."""
        found = self._stale()
        if found is not None:
            self.file.remove()
            return CodesFile(day=self._today())
        return self._read() or CodesFile(day=self._today())

    def _stale(self) -> CodesFile | None:
        """The file's content when it is not today's (a damaged file counts as stale)."""
        found = self._read()
        if found is None:
            return CodesFile(day=date.min) if self.file.path.exists() else None
        return found if found.day != self._today() else None

    def _read(self) -> CodesFile | None:
        try:
            data = self.file.read()
            return CodesFile.model_validate(data) if data else None
        except (StorageError, ValidationError):
            # Links that last a day at most: a damaged file is dropped, not repaired.
            log.warning("%s was damaged: the result codes of the day no longer open anything",
                        self.file.path)
            return None


def shown_result(result_id: str, levels: dict[str, int], decision: Decision,
                 uncertain: Uncertainty | None, likely: Sequence[str]) -> ShownResult:
    return ShownResult.model_validate({
        "result_id": result_id, "levels": levels, "pathway": decision.pathway,
        "needs": decision.needs, "reasons": decision.reasons, "uncertain": uncertain,
        "likely": tuple(likely) if uncertain == "undecided" else (),
    })
