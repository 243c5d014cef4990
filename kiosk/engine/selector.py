"""The selector: which question to ask next.

Two stages. A shortlist: each open item's expected Fisher information under the posterior of
its domain, times how much that domain still matters (the chance its level is wrong, plus the
chance that a one-step error in it would change the pathway). Then the decision itself: for each
shortlisted item, every possible answer is looked ahead exactly on the posterior grid, and the
item that most reduces the expected uncertainty of the *pathway* wins. Domains are balanced
(each domain once before any twice) and exposure is limited by drawing among the few best items
rather than always the best.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kiosk.engine.estimator import GridPosterior
from kiosk.engine.pool import ItemPool
from kiosk.engine.state import Snapshot


@dataclass(frozen=True)
class DecisionInformationSelector:
    choose_among: int = 3
    near_best: float = 0.7  # only items scoring at least this share of the best are drawn
    shortlist: int = 8  # items whose answers are looked ahead
    criterion: str = "entropy"
    balance: bool = True
    knowledge_checks: int = 0  # knowledge checks to ask ...
    knowledge_by: int = 6  # ... by this question, so that no stop comes before them

    def domain_weights(self, snap: Snapshot) -> np.ndarray:
        wrong_level = 1.0 - snap.level_probabilities.max(axis=1)
        return wrong_level + snap.pathway_sensitivity()

    def select(
        self,
        snap: Snapshot,
        posterior: GridPosterior,
        pool: ItemPool,
        candidates: np.ndarray,
        rng: np.random.Generator,
    ) -> int | None:
        """Index of the next item among ``candidates`` (a bool mask), or None if none is left."""
        open_items = candidates.copy()
        missing = self.knowledge_checks - snap.knowledge_asked
        if missing > 0 and snap.asked >= self.knowledge_by - missing:
            checks = open_items & pool.knowledge
            open_items = checks if checks.any() else open_items
        first_pass = open_items & ~snap.answered_domains[pool.domain_of]
        if self.balance and first_pass.any():
            open_items = first_pass
        if not open_items.any():
            return None
        expected = np.einsum("it,it->i", pool.information, snap.ability_density[pool.domain_of])
        score = np.where(open_items, expected * self.domain_weights(snap)[pool.domain_of], -np.inf)
        ranked = np.argsort(-score, kind="stable")[: self.shortlist]
        ranked = ranked[np.isfinite(score[ranked])]
        gain = self.pathway_gain(snap, posterior, pool, ranked)
        # Once the pathway is settled only the levels are left to pin down: information decides.
        value = gain if gain.max() > 1e-4 else score[ranked]
        order = np.argsort(-value, kind="stable")[: self.choose_among]
        good = ranked[order][value[order] >= self.near_best * value[order[0]]]
        return int(rng.choice(good))

    def pathway_gain(
        self, snap: Snapshot, posterior: GridPosterior, pool: ItemPool, items: np.ndarray
    ) -> np.ndarray:
        """Expected reduction of the pathway's uncertainty from asking each of ``items``."""
        now = self._uncertainty(snap.pathway_probabilities[None, :])[0]
        likelihood = np.stack([pool.answer_probabilities(int(i)) for i in items])
        joint = posterior.answer_pathway_joint(pool.domain_of[items], likelihood,
                                               snap.table.by_half)
        answer = joint.sum(axis=2)  # (K, R)
        after = self._uncertainty(joint / np.maximum(answer, 1e-300)[:, :, None])
        return now - (answer * after).sum(axis=1)

    def _uncertainty(self, pathway: np.ndarray) -> np.ndarray:
        """Of pathway distributions on the last axis: entropy, or the chance the most probable
        pathway is wrong."""
        if self.criterion == "entropy":
            p = np.clip(pathway, 1e-300, 1.0)
            return -(pathway * np.log(p)).sum(axis=-1)
        return 1.0 - pathway.max(axis=-1)
