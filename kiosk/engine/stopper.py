"""The stopper: the assessment ends when the recommendation and the levels are settled."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from kiosk.engine.state import Snapshot


class Stopper(Protocol):
    """What the session asks of a stopper: is the series over after these answers?"""

    def should_stop(self, snap: Snapshot) -> bool: ...


@dataclass(frozen=True)
class ClassificationStopper:
    min_questions: int
    max_questions: int
    pathway_certainty: float
    level_certainty: float

    def should_stop(self, snap: Snapshot) -> bool:
        if snap.asked >= self.max_questions:
            return True
        if snap.asked < self.min_questions:
            return False
        if snap.pathway_certainty < self.pathway_certainty:
            return False
        if not snap.levels_matter:
            return True
        return bool((snap.adjacent_level_certainty() >= self.level_certainty).all())
