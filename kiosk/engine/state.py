"""What the selector and the stopper see of a session after each answer."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kiosk.domain import TOP_LEVEL
from kiosk.level_vectors import ALL_LEVEL_VECTORS, vector_index


@dataclass(frozen=True)
class PathwayTable:
    """The pathway of every level vector for one visitor's context, with what the engine
    derives from it once: which vectors change pathway when one domain moves by one level."""

    pathways: np.ndarray  # (4**D,) pathway index of every level vector
    count: int  # number of pathways of the bank
    sensitivity: np.ndarray  # (D, 4**D) share of the two one-level moves that change pathway

    @classmethod
    def build(cls, pathways: np.ndarray, count: int) -> PathwayTable:
        domains = ALL_LEVEL_VECTORS.shape[1]
        sensitivity = np.zeros((domains, pathways.size))
        for d in range(domains):
            for step in (-1, 1):
                moved = ALL_LEVEL_VECTORS.copy()
                moved[:, d] = np.clip(moved[:, d] + step, 0, TOP_LEVEL)
                sensitivity[d] += pathways[vector_index(moved)] != pathways
        return cls(pathways, count, sensitivity / 2.0)

    @property
    def levels_matter(self) -> bool:
        """False when every level vector leads to the same pathway (e.g. too many 'je ne sais
        pas'): then asking more cannot change the recommendation."""
        return bool((self.pathways != self.pathways[0]).any())


@dataclass(frozen=True)
class Snapshot:
    asked: int
    knowledge_asked: int  # knowledge checks among them
    answered_domains: np.ndarray  # (D,) bool: at least one answer in the domain
    level_probabilities: np.ndarray  # (D, 4)
    ability_density: np.ndarray  # (D, T) posterior of each domain on the information points
    vector_probabilities: np.ndarray  # (4**D,) posterior of every level vector
    table: PathwayTable

    @property
    def pathway_probabilities(self) -> np.ndarray:
        table = self.table
        return np.bincount(table.pathways, weights=self.vector_probabilities, minlength=table.count)

    @property
    def pathway_certainty(self) -> float:
        return float(self.pathway_probabilities.max())

    @property
    def levels_matter(self) -> bool:
        return self.table.levels_matter

    def pathway_sensitivity(self) -> np.ndarray:
        """Per domain: probability that the pathway changes if that level is one step off."""
        return self.table.sensitivity @ self.vector_probabilities

    def adjacent_level_certainty(self) -> np.ndarray:
        """For each domain, the largest posterior mass on two neighbouring levels."""
        p = self.level_probabilities
        return (p[:, :-1] + p[:, 1:]).max(axis=1)

    def decided_levels(self) -> np.ndarray:
        return decided_levels(self.vector_probabilities, self.table)


def decided_levels(vector_probabilities: np.ndarray, table: PathwayTable) -> np.ndarray:
    """The most probable level vector among those leading to the most probable pathway, so
    that the pathway the levels route to is the Bayes decision (the most probable pathway),
    not whatever the per-domain most probable levels happen to combine into."""
    pathway = np.bincount(table.pathways, weights=vector_probabilities, minlength=table.count)
    masked = np.where(table.pathways == int(pathway.argmax()), vector_probabilities, -1.0)
    return ALL_LEVEL_VECTORS[int(masked.argmax())]
