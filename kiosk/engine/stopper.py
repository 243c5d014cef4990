"""The stopper: the assessment ends when the recommendation and the levels are settled, when
the budget is spent, or when the questions left cannot settle it (futility).

Futility is judged by looking ahead: imagine the visitor's true abilities drawn from the current
posterior, the best questions left in each domain answered (their information, a Gaussian
reading of the ability), and the posterior that would follow. If in too few of those futures
the pathway reaches the required certainty, more questions buy little: the series stops and the
result says plainly that it is uncertain. The look-ahead treats domains as independent given the
current posterior and gives every domain the whole budget: it is optimistic, so it stops only
series that really cannot conclude.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from kiosk.domain import DOMAIN_IDS
from kiosk.engine.pool import INFO_POINTS, ItemPool
from kiosk.engine.state import Snapshot

SETTLED = "settled"
MAX_QUESTIONS = "max_questions"
UNDECIDED = "undecided"

# Fixed draws for the look-ahead (the same for every visitor: the decision is deterministic).
_FUTURES = 12
_DRAWS = np.random.default_rng(20260101)
_UNIFORM = _DRAWS.random((_FUTURES, len(DOMAIN_IDS)))
_NORMAL = _DRAWS.standard_normal((_FUTURES, len(DOMAIN_IDS)))


class Stopper(Protocol):
    """What the session asks of a stopper: why the series is over after these answers (None:
    it goes on)."""

    def reason(self, snap: Snapshot, pool: ItemPool) -> str | None: ...


@dataclass(frozen=True)
class ClassificationStopper:
    min_questions: int
    max_questions: int
    pathway_certainty: float
    level_certainty: float
    futility: float = 0.0  # stop when the chance to settle falls below this

    def reason(self, snap: Snapshot, pool: ItemPool) -> str | None:
        """Why the series stops now, or None to go on."""
        if snap.asked >= self.budget(snap):
            return MAX_QUESTIONS
        if snap.asked < self.min_questions:
            return None
        if self.settled(snap):
            return SETTLED
        if self.futility and self.chance_to_settle(snap, pool) < self.futility:
            return UNDECIDED
        return None

    def budget(self, snap: Snapshot) -> int:
        """The most questions this series may ask."""
        return self.max_questions if snap.limit is None else min(self.max_questions, snap.limit)

    def settled(self, snap: Snapshot) -> bool:
        if snap.pathway_certainty < self.pathway_certainty:
            return False
        if not snap.levels_matter:
            return True
        return bool((snap.adjacent_level_certainty() >= self.level_certainty).all())

    def chance_to_settle(self, snap: Snapshot, pool: ItemPool) -> float:
        """Share of plausible futures in which the questions left bring the pathway to the
        required certainty."""
        left = self.budget(snap) - snap.asked
        domains = snap.ability_density.shape[0]
        members = pool.by_domain
        usable = np.where((members >= 0) & snap.open_items[members],
                          snap.expected_information[members], 0.0)
        gathered = -np.sort(-usable, axis=1)[:, :left].sum(axis=1)
        density = snap.ability_density
        cdf = np.cumsum(density, axis=1)
        drawn = (cdf[None] < _UNIFORM[:, :domains, None] * cdf[None, :, -1:]).sum(axis=2)
        truth = INFO_POINTS[drawn.clip(max=INFO_POINTS.size - 1)]
        reading = truth + _NORMAL[:, :domains] / np.sqrt(np.maximum(gathered, 1e-12))
        # Current density times the reading's likelihood; the floor keeps far points from
        # underflowing to a row of zeros.
        exponent = -0.5 * gathered[None, :, None] * (reading[:, :, None] - INFO_POINTS) ** 2
        future = density[None] * np.exp(np.maximum(exponent, -600.0))
        levels = future @ pool.point_levels  # (futures, D, 4)
        levels /= np.maximum(levels.sum(axis=2, keepdims=True), 1e-300)
        half = domains // 2
        masses = snap.pathway_masses(_joint(levels[:, :half]), _joint(levels[:, half:]))
        certainty = masses.max(axis=1)
        return float(np.mean(certainty >= self.pathway_certainty))


def _joint(levels: np.ndarray) -> np.ndarray:
    """(F, D, 4) independent domains to (F, 4**D), first domain most significant."""
    joint = levels[:, 0]
    for d in range(1, levels.shape[1]):
        joint = (joint[:, :, None] * levels[:, d][:, None, :]).reshape(joint.shape[0], -1)
    return joint
