"""Routing: from levels and context answers to a pathway, access needs and the reasons why.

The rules are the bank's data; this module only applies them, in order, first match wins.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import product

import numpy as np

from kiosk.bank.conditions import Facts, reasons
from kiosk.bank.model import Bank
from kiosk.bank.text import Text
from kiosk.domain import DOMAIN_IDS, Completion

# Every possible vector of six levels, one row each (4**6 = 4096): the engine asks the routing
# once per visitor for all of them, then looks plausible level vectors up by index.
ALL_LEVEL_VECTORS = np.array(list(product(range(4), repeat=len(DOMAIN_IDS))), dtype=np.int8)
_PLACE = 4 ** np.arange(len(DOMAIN_IDS) - 1, -1, -1)


def vector_index(levels: np.ndarray) -> np.ndarray:
    """Row of ``ALL_LEVEL_VECTORS`` for each level vector in ``levels`` (shape (N, 6))."""
    return levels.astype(np.int64) @ _PLACE


@dataclass(frozen=True)
class Decision:
    pathway: str
    needs: tuple[str, ...]
    reasons: tuple[Text, ...]


class Router:
    def __init__(self, bank: Bank) -> None:
        self.bank = bank
        self.pathway_ids = [p.id for p in bank.pathways]

    def pathway_indices(self, facts: Facts) -> np.ndarray:
        """Index (into ``pathway_ids``) of the first matching rule's pathway, per row of facts.

        A row no rule matches gets -1; the bank validator makes sure that cannot happen.
        """
        chosen = np.full(facts.levels.shape[0], -1, dtype=np.int64)
        for rule in self.bank.routing:
            open_rows = chosen < 0
            if not open_rows.any():
                break
            hit = rule.when.evaluate(facts) & open_rows
            chosen[hit] = self.pathway_ids.index(rule.pathway)
        return chosen

    def pathway_table(self, context: Mapping[str, str], dont_know_share: float = 0.0) -> np.ndarray:
        """The pathway of every possible level vector, for an assessment carried to its end."""
        return self.pathway_indices(
            Facts(ALL_LEVEL_VECTORS, dict(context), "completed", dont_know_share)
        )

    def decide(
        self,
        levels: Mapping[str, int],
        context: Mapping[str, str],
        completion: Completion = "completed",
        dont_know_share: float = 0.0,
    ) -> Decision:
        facts = Facts.single(levels, context, completion, dont_know_share)
        rule = next(r for r in self.bank.routing if r.when.evaluate(facts)[0])
        found = list(reasons(rule.when, facts))
        needs: list[str] = []
        for need_rule in self.bank.need_rules:
            if need_rule.when.evaluate(facts)[0] and need_rule.need not in needs:
                needs.append(need_rule.need)
        return Decision(rule.pathway, tuple(needs), tuple(found))
