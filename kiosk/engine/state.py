"""What the selector and the stopper see of a session after each answer."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from kiosk.domain import TOP_LEVEL
from kiosk.level_vectors import ALL_LEVEL_VECTORS, vector_index

LEVELS = 4


@dataclass(frozen=True)
class PathwayTable:
    """The pathway of every level vector for one visitor's context, with what the engine
    derives from it once: which vectors change pathway when one domain moves by one level."""

    pathways: np.ndarray  # (4**D,) pathway index of every level vector
    count: int  # number of pathways of the bank
    sensitivity: np.ndarray  # (D, 4**D) share of the two one-level moves that change pathway
    indicator: np.ndarray  # (4**D, count) one-hot: level vector -> pathway, for batched sums
    # (4**h, count * 4**(D-h)) the same, split at the first h = D//2 domains: the pathway mass
    # of independent halves f, s is Σ_ij f_i [k] s_j, one product for many of them
    split_indicator: np.ndarray

    @classmethod
    def build(cls, pathways: np.ndarray, count: int) -> PathwayTable:
        domains = ALL_LEVEL_VECTORS.shape[1]
        sensitivity = np.zeros((domains, pathways.size))
        for d in range(domains):
            for step in (-1, 1):
                moved = ALL_LEVEL_VECTORS.copy()
                moved[:, d] = np.clip(moved[:, d] + step, 0, TOP_LEVEL)
                sensitivity[d] += pathways[vector_index(moved)] != pathways
        indicator = np.zeros((pathways.size, count))
        indicator[np.arange(pathways.size), pathways] = 1.0
        first = LEVELS ** (domains // 2)
        split = indicator.reshape(first, -1, count).transpose(0, 2, 1).reshape(first, -1)
        return cls(pathways, count, sensitivity / 2.0, indicator, np.ascontiguousarray(split))

    @classmethod
    def cached(cls, pathways: np.ndarray, count: int) -> PathwayTable:
        """The table of ``pathways``, built once: a kiosk sees few distinct ones (one per
        context and "not sure" situation), and every answer asks for one."""
        return _table(np.ascontiguousarray(pathways, dtype=np.int64).tobytes(), count)

    @property
    def levels_matter(self) -> bool:
        """False when every level vector leads to the same pathway (e.g. too many 'je ne sais
        pas'): then asking more cannot change the recommendation."""
        return bool((self.pathways != self.pathways[0]).any())


@lru_cache(maxsize=64)
def _table(pathways: bytes, count: int) -> PathwayTable:
    return PathwayTable.build(np.frombuffer(pathways, dtype=np.int64), count)


@dataclass(frozen=True)
class Snapshot:
    asked: int
    knowledge_asked: int  # knowledge checks among them
    answered_domains: np.ndarray  # (D,) bool: at least one answer in the domain
    # (D,) bool: "not sure" to a statement of the domain, and no informative answer there yet
    unsure_domains: np.ndarray
    level_probabilities: np.ndarray  # (D, 4)
    ability_density: np.ndarray  # (D, T) posterior of each domain on the information points
    vector_probabilities: np.ndarray  # (4**D,) posterior of every level vector
    table: PathwayTable
    # (D+1, D+1) posterior covariance of the domain abilities and the self-assessment bias
    covariance: np.ndarray
    expected_information: np.ndarray  # (I,) each item's information under the posterior
    open_items: np.ndarray  # (I,) bool: items that may still be asked
    careless: float  # posterior probability that the answers are random
    limit: int | None = None  # the most questions this series may ask, below the bank's own
    # Variance of the part a visitor's statements share within a domain, in a guided session
    # (0 alone): what statements cannot tell apart from the domain's ability.
    claim_variance: float = 0.0

    @property
    def pathway_probabilities(self) -> np.ndarray:
        return self.vector_probabilities @ self.table.indicator

    @property
    def pathway_certainty(self) -> float:
        return float(self.pathway_probabilities.max())

    @property
    def levels_matter(self) -> bool:
        return self.table.levels_matter

    def pathway_masses(self, first: np.ndarray, second: np.ndarray) -> np.ndarray:
        """Pathway probabilities of many independent level distributions at once: ``first``
        (F, 4**h) and ``second`` (F, 4**(D-h)) joint levels of the two halves of the domains;
        returns (F, count)."""
        mixed = (first @ self.table.split_indicator).reshape(first.shape[0], self.table.count, -1)
        return np.einsum("fkj,fj->fk", mixed, second)

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
