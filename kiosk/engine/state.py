"""What the selector and the stopper see of a session after each answer."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Snapshot:
    asked: int
    answered_domains: np.ndarray  # (D,) bool: at least one answer in the domain
    level_probabilities: np.ndarray  # (D, 4)
    ability_density: np.ndarray  # (D, T) posterior of each domain on the information points
    draws: np.ndarray  # (N, D) plausible level vectors
    pathway_of_draws: np.ndarray  # (N,) pathway index of each draw
    pathway_table: np.ndarray  # (4096,) pathway index of every level vector

    @property
    def pathway_probabilities(self) -> np.ndarray:
        counts = np.bincount(self.pathway_of_draws, minlength=int(self.pathway_table.max()) + 1)
        return counts / counts.sum()

    @property
    def pathway_certainty(self) -> float:
        return float(self.pathway_probabilities.max())

    @property
    def levels_matter(self) -> bool:
        """False when every level vector leads to the same pathway (e.g. too many 'je ne sais
        pas'): then asking more cannot change the recommendation."""
        return bool((self.pathway_table != self.pathway_table[0]).any())

    def adjacent_level_certainty(self) -> np.ndarray:
        """For each domain, the largest posterior mass on two neighbouring levels."""
        p = self.level_probabilities
        return (p[:, :-1] + p[:, 1:]).max(axis=1)
