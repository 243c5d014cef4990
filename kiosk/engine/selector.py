"""The selector: which question to ask next.

Score of an item = its expected Fisher information under the posterior of its domain, times how
much that domain still matters: the chance its level is wrong, plus the chance that a one-step
error in it would change the pathway. Domains are balanced (each domain once before any twice)
and exposure is limited by drawing among the few best items rather than always the best.
A bank may require a few knowledge checks: they are then asked by question ``knowledge_by`` (the
bank's ``min_questions``), so the series never stops before them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from kiosk.engine.state import Snapshot


class Selector(Protocol):
    """What the session asks of a selector: the next item, or None when none is left."""

    def select(
        self,
        snap: Snapshot,
        information: np.ndarray,
        domain_of: np.ndarray,
        knowledge: np.ndarray,
        candidates: np.ndarray,
        rng: np.random.Generator,
    ) -> int | None: ...


@dataclass(frozen=True)
class DecisionInformationSelector:
    choose_among: int = 3
    near_best: float = 0.7  # only items scoring at least this share of the best are drawn
    knowledge_checks: int = 0  # knowledge checks every visitor answers, when eligible ...
    knowledge_by: int = 6  # ... at the latest by this question

    def domain_weights(self, snap: Snapshot) -> np.ndarray:
        wrong_level = 1.0 - snap.level_probabilities.max(axis=1)
        return wrong_level + snap.pathway_sensitivity()

    def select(
        self,
        snap: Snapshot,
        information: np.ndarray,
        domain_of: np.ndarray,
        knowledge: np.ndarray,
        candidates: np.ndarray,
        rng: np.random.Generator,
    ) -> int | None:
        """Index of the next item among ``candidates`` (a bool mask), or None if none is left."""
        open_items = candidates.copy()
        missing = self.knowledge_checks - snap.knowledge_asked
        if missing > 0 and snap.asked >= self.knowledge_by - missing:
            checks = open_items & knowledge
            open_items = checks if checks.any() else open_items
        first_pass = open_items & ~snap.answered_domains[domain_of]
        if first_pass.any():
            open_items = first_pass
        if not open_items.any():
            return None
        expected = np.einsum("it,it->i", information, snap.ability_density[domain_of])
        score = np.where(open_items, expected * self.domain_weights(snap)[domain_of], -np.inf)
        ranked = np.argsort(-score, kind="stable")[: self.choose_among]
        ranked = ranked[np.isfinite(score[ranked])]
        good = ranked[score[ranked] >= self.near_best * score[ranked[0]]]
        return int(rng.choice(good))

