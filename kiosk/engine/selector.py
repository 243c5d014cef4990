"""The selector: which question to ask next.

An answer is a noisy reading of one latent value: a domain's ability for a knowledge check, that
ability plus the visitor's self-assessment bias for a can-do statement. Its expected Fisher
information under the posterior says how noisy. The score of an item is the precision its answer
adds to its domain, weighted by how much that domain still matters (the chance its level is
wrong, plus the chance that a one-step error in it would change the pathway), plus what it tells
about the bias, weighted by how much the other domains' uncertainty is the bias's. Without a bias
to doubt this is the expected information times the domain's weight; with one, a statement is
worth less, and a knowledge check, which pins the bias and through it every domain, is asked
when it settles the pathway more than another statement would.

Domains are balanced (each domain once before any twice), a domain whose statement got "not
sure" is asked a knowledge check or left for others before another statement, and exposure is
limited by drawing among the few best items rather than always the best. A bank may require a
few knowledge checks: they are then asked by question ``knowledge_by`` (the bank's
``min_questions``), so the series never stops before them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from kiosk.engine.pool import ItemPool
from kiosk.engine.state import Snapshot


class Selector(Protocol):
    """What the session asks of a selector: the next item, or None when none is left."""

    def select(self, snap: Snapshot, pool: ItemPool, rng: np.random.Generator) -> int | None: ...


@dataclass(frozen=True)
class DecisionInformationSelector:
    choose_among: int = 3
    near_best: float = 0.7  # only items scoring at least this share of the best are drawn
    knowledge_checks: int = 0  # knowledge checks every visitor answers, when eligible ...
    knowledge_by: int = 6  # ... at the latest by this question

    def domain_weights(self, snap: Snapshot) -> np.ndarray:
        wrong_level = 1.0 - snap.level_probabilities.max(axis=1)
        return wrong_level + snap.pathway_sensitivity()

    def scores(self, snap: Snapshot, pool: ItemPool) -> np.ndarray:
        """(I,) how much each item's answer would settle what still matters.

        An answer is a Gaussian reading ``z`` of its latent (the domain's ability, plus the bias
        for a self-report) with noise ``1 / I``, ``I`` its expected information. Its value is
        the precision it adds to its own domain's ability (exactly ``I`` when there is no bias
        to doubt) times that domain's weight, plus the variance it removes from the bias times
        what a surer bias is worth to the other domains (their weights, through how much of
        their uncertainty is the bias's).
        """
        cov = snap.covariance
        bias = cov.shape[0] - 1
        domain, loading = pool.domain_of, pool.bias_loading
        weights = self.domain_weights(snap)
        var = np.diag(cov)[:bias]
        bias_var = cov[bias, bias]
        # Covariance of the reading with its domain's ability, and the reading's variance.
        with_own = var[domain] + loading * cov[domain, bias]
        reading_var = var[domain] + loading * (2.0 * cov[domain, bias] + loading * bias_var)
        # A statement also reads the part the domain's statements share (a guided session).
        spread = (reading_var + loading**2 * snap.claim_variance
                  + 1.0 / np.maximum(snap.expected_information, 1e-9))
        removed = with_own**2 / spread
        own = removed / (var[domain] * np.maximum(var[domain] - removed, 1e-12))
        score = own * weights[domain]
        if bias_var > 1e-12:
            through_bias = (cov[:bias, bias] / bias_var) ** 2 / var**2 * weights  # (D,)
            with_bias = cov[domain, bias] + loading * bias_var
            score += with_bias**2 / spread * (through_bias.sum() - through_bias[domain])
        return score

    def select(self, snap: Snapshot, pool: ItemPool, rng: np.random.Generator) -> int | None:
        """Index of the next item among the snapshot's open items, or None if none is left."""
        open_items = snap.open_items.copy()
        missing = self.knowledge_checks - snap.knowledge_asked
        if missing > 0 and snap.asked >= self.knowledge_by - missing:
            checks = open_items & pool.knowledge
            open_items = checks if checks.any() else open_items
        # After "not sure" to a statement, the domain's other statements wait for something
        # more concrete (its knowledge checks) or for the other domains.
        not_again = (pool.bias_loading > 0) & snap.unsure_domains[pool.domain_of]
        if (open_items & ~not_again).any():
            open_items = open_items & ~not_again
        first_pass = open_items & ~snap.answered_domains[pool.domain_of]
        if first_pass.any():
            open_items = first_pass
        if not open_items.any():
            return None
        score = np.where(open_items, self.scores(snap, pool), -np.inf)
        ranked = np.argsort(-score, kind="stable")[: self.choose_among]
        ranked = ranked[np.isfinite(score[ranked])]
        good = ranked[score[ranked] >= self.near_best * score[ranked[0]]]
        return int(good[rng.integers(good.size)])
