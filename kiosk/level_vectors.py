"""The space of level vectors: every combination of the four levels over the six domains.

Routing is tabulated over this space once per visitor context (4**6 = 4096 vectors), so the
engine can ask "which pathway would each plausible visitor get?" by looking vectors up by
index, and the bank's rules are checked by brute force over the same rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import product

import numpy as np

from kiosk.domain import DOMAIN_IDS, LEVEL_IDS

# Every possible vector of six levels, one row each, first domain most significant.
ALL_LEVEL_VECTORS = np.array(
    list(product(range(len(LEVEL_IDS)), repeat=len(DOMAIN_IDS))), dtype=np.int8
)
_PLACE = len(LEVEL_IDS) ** np.arange(len(DOMAIN_IDS) - 1, -1, -1)


def vector_index(levels: np.ndarray) -> np.ndarray:
    """Row of ``ALL_LEVEL_VECTORS`` for each level vector in ``levels`` (shape (N, 6))."""
    return levels.astype(np.int64) @ _PLACE


def first_match(masks: Iterable[np.ndarray], rows: int) -> np.ndarray:
    """Index of the first mask that holds, per row; -1 where none does.

    ``masks`` may be a generator (a rule list evaluated lazily): it is left as soon as every
    row has its match, so the rules below are not evaluated at all.
    """
    chosen = np.full(rows, -1, dtype=np.int64)
    for index, mask in enumerate(masks):
        chosen[mask & (chosen < 0)] = index
        if (chosen >= 0).all():
            break
    return chosen
