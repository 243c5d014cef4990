"""Routing: from levels and context answers to a pathway, access needs and the reasons why.

The rules are the bank's data; this module only applies them, in order, first match wins.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from kiosk.bank.conditions import DontKnowLeaf, Facts, Uncertainty, iter_leaves, reasons
from kiosk.bank.model import Bank
from kiosk.datafile import Text
from kiosk.domain import Completion
from kiosk.level_vectors import ALL_LEVEL_VECTORS, first_match

# A result says why in two or three facts: at most two from the rule that decided, and one
# thing the visitor already does well, so the result never only lists what is missing.
MAX_RULE_REASONS = 2
STRENGTH_LEVEL = 2  # "alone": the visitor does everyday tasks of the domain alone


@dataclass(frozen=True)
class Decision:
    pathway: str
    needs: tuple[str, ...]
    reasons: tuple[Text, ...]


class Router:
    def __init__(self, bank: Bank) -> None:
        self.bank = bank
        self.pathway_ids = [p.id for p in bank.pathways]
        self._dont_know_rules = [
            leaf for i, rule in enumerate(bank.routing)
            for _, leaf in iter_leaves(rule.when, ("routing", i))
            if isinstance(leaf, DontKnowLeaf)
        ]
        self._tables: dict[tuple[object, ...], np.ndarray] = {}

    def pathway_indices(self, facts: Facts) -> np.ndarray:
        """Index (into ``pathway_ids``) of the first matching rule's pathway, per row of facts.

        A row no rule matches gets -1; the bank validator makes sure that cannot happen.
        """
        rules = self.bank.routing
        rule_index = first_match((rule.when.evaluate(facts) for rule in rules), len(facts.levels))
        to_pathway = np.array([self.pathway_ids.index(rule.pathway) for rule in rules] + [-1])
        return to_pathway[rule_index]

    def pathway_table(
        self, context: Mapping[str, str], dont_know_share: float = 0.0, answered: int = 0
    ) -> np.ndarray:
        """The pathway of every possible level vector (the rows of ``ALL_LEVEL_VECTORS``), for
        an assessment carried to its end after ``answered`` scored questions with this share of
        "not sure". The engine asks for it after every answer: it is computed once per context
        and per outcome of the bank's "not sure" rules, which is all it depends on besides the
        levels."""
        one = Facts(ALL_LEVEL_VECTORS[:1], {}, "completed", dont_know_share, answered)
        key = (tuple(sorted(context.items())),
               tuple(bool(leaf.evaluate(one)[0]) for leaf in self._dont_know_rules))
        if key not in self._tables:
            self._tables[key] = self.pathway_indices(
                Facts(ALL_LEVEL_VECTORS, dict(context), "completed", dont_know_share, answered)
            )
        return self._tables[key]

    def decide(
        self,
        levels: Mapping[str, int],
        context: Mapping[str, str],
        completion: Completion = "completed",
        dont_know_share: float = 0.0,
        answered: int = 0,
        uncertain: Uncertainty | None = None,
    ) -> Decision:
        facts = Facts.single(levels, context, completion, dont_know_share, answered, uncertain)
        rule = next(r for r in self.bank.routing if r.when.evaluate(facts)[0])
        found = list(dict.fromkeys(reasons(rule.when, facts)))[:MAX_RULE_REASONS]
        strength = self.strength(levels) if completion == "completed" else None
        if strength is not None:
            found.append(strength)
        needs: list[str] = []
        for need_rule in self.bank.need_rules:
            if need_rule.when.evaluate(facts)[0] and need_rule.need not in needs:
                needs.append(need_rule.need)
        return Decision(rule.pathway, tuple(needs), tuple(found))

    def strength(self, levels: Mapping[str, int]) -> Text | None:
        """The bank's "Vous savez déjà ..." of the visitor's strongest domain, if done alone."""
        told = [d for d in self.bank.domains if d.strength is not None]
        best = max(told, key=lambda d: levels.get(d.id, 0), default=None)
        if best is None or levels.get(best.id, 0) < STRENGTH_LEVEL:
            return None
        return best.strength
