"""The item pool: a bank's scored items compiled once for the engine (models, information)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from kiosk.bank.model import Bank, CanDoItem, KnowledgeItem
from kiosk.domain import DOMAIN_IDS
from kiosk.engine.irt import ItemModel, model_of
from kiosk.engine.prior import BifactorGrid

# Fixed ability points on which item information is tabulated once per bank; the posterior of
# each domain is projected onto them at every step, so scoring N items is one matrix product.
INFO_POINTS = np.linspace(-4.0, 4.0, 49)


@dataclass(frozen=True)
class ItemPool:
    bank: Bank
    items: tuple[CanDoItem | KnowledgeItem, ...]
    models: tuple[ItemModel, ...]
    domain_of: np.ndarray  # (I,) domain column of each item
    knowledge: np.ndarray  # (I,) bool: a knowledge check (not a can-do statement)
    information: np.ndarray  # (I, T) item information at INFO_POINTS
    grid: BifactorGrid
    projection: np.ndarray  # (G*S, T) one-hot: nearest information point of each grid node
    index: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_bank(cls, bank: Bank) -> ItemPool:
        items = tuple(bank.items)
        models = tuple(model_of(item) for item in items)
        settings = bank.engine
        grid = BifactorGrid.build(settings.domain_correlation, settings.level_cuts)
        nearest = np.abs(grid.theta.reshape(-1, 1) - INFO_POINTS[None, :]).argmin(axis=1)
        projection = np.zeros((grid.theta.size, INFO_POINTS.size))
        projection[np.arange(grid.theta.size), nearest] = 1.0
        return cls(
            bank=bank,
            items=items,
            models=models,
            domain_of=np.array([DOMAIN_IDS.index(item.domain) for item in items]),
            knowledge=np.array([isinstance(item, KnowledgeItem) for item in items]),
            information=np.stack([m.information(INFO_POINTS) for m in models]),
            grid=grid,
            projection=projection,
            index={item.id: i for i, item in enumerate(items)},
        )

    def eligible(self, context: Mapping[str, str]) -> np.ndarray:
        """Items the context answers do not make pointless (their skip rule does not hold)."""
        return np.array([not item.is_skipped(context) for item in self.items])
