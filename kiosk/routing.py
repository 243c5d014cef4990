"""Routing: from levels and context answers to a pathway, access needs and the reasons why.

The rules are the bank's data; this module only applies them, in order, first match wins.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from kiosk.bank.conditions import (
    Condition,
    ContextLeaf,
    DontKnowLeaf,
    Facts,
    Uncertainty,
    iter_leaves,
    reasons,
)
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


def context_questions(condition: Condition) -> set[str]:
    """The context questions a condition reads."""
    return {leaf.context.question for _, leaf in iter_leaves(condition, ())
            if isinstance(leaf, ContextLeaf)}


class Router:
    def __init__(self, bank: Bank) -> None:
        self.bank = bank
        self.pathway_ids = [p.id for p in bank.pathways]
        self.need_ids = list(dict.fromkeys(rule.need for rule in bank.need_rules))
        self._dont_know_rules = _dont_know_leaves(r.when for r in bank.routing)
        self._need_dont_know_rules = _dont_know_leaves(r.when for r in bank.need_rules)
        # A table depends only on the answers its rules read: keyed on those, a kiosk builds
        # a handful of tables, not one per visitor.
        self._routing_reads = set().union(*(context_questions(r.when) for r in bank.routing))
        self._need_reads = set().union(set(), *(context_questions(r.when)
                                                for r in bank.need_rules))
        self._tables: dict[tuple[object, ...], np.ndarray] = {}
        self._need_tables: dict[tuple[object, ...], np.ndarray] = {}

    def pathway_indices(self, facts: Facts) -> np.ndarray:
        """Index (into ``pathway_ids``) of the first matching rule's pathway, per row of facts.

        A row no rule matches gets -1; the bank validator makes sure that cannot happen.
        """
        rules = self.bank.routing
        rule_index = first_match((rule.when.evaluate(facts) for rule in rules), len(facts.levels))
        to_pathway = np.array([self.pathway_ids.index(rule.pathway) for rule in rules] + [-1],
                              dtype=_smallest(-1, len(self.pathway_ids)))
        return to_pathway[rule_index]

    def pathway_table(
        self, context: Mapping[str, str], dont_know_share: float = 0.0, answered: int = 0
    ) -> np.ndarray:
        """The pathway of every possible level vector (the rows of ``ALL_LEVEL_VECTORS``), for
        an assessment carried to its end after ``answered`` scored questions with this share of
        "not sure". The engine asks for it after every answer: it is computed once per context
        and per outcome of the bank's "not sure" rules, which is all it depends on besides the
        levels."""
        key = (_read(context, self._routing_reads),
               _outcomes(self._dont_know_rules, dont_know_share, answered))
        if key not in self._tables:
            self._tables[key] = self.pathway_indices(
                Facts(ALL_LEVEL_VECTORS, dict(context), "completed", dont_know_share, answered)
            )
        return self._tables[key]

    def need_table(
        self, context: Mapping[str, str], dont_know_share: float = 0.0, answered: int = 0
    ) -> np.ndarray:
        """The access needs of every possible level vector, as bits (need ``i`` of
        ``need_ids`` is bit ``i``), for these context answers."""
        key = (_read(context, self._need_reads),
               _outcomes(self._need_dont_know_rules, dont_know_share, answered))
        if key not in self._need_tables:
            facts = Facts(ALL_LEVEL_VECTORS, dict(context), "completed", dont_know_share, answered)
            # The smallest integers that hold every need's bit: a kiosk keeps a table for each
            # combination of the answers the need rules read, hundreds over a day's visitors.
            dtype = _smallest(0, 2 ** len(self.need_ids) - 1)
            bits = np.zeros(len(ALL_LEVEL_VECTORS), dtype=dtype)
            for bit, need in enumerate(self.need_ids):
                holds = [r.when.evaluate(facts) for r in self.bank.need_rules if r.need == need]
                bits |= np.logical_or.reduce(holds).astype(dtype) << dtype.type(bit)
            self._need_tables[key] = bits
        return self._need_tables[key]

    def outcome_table(
        self, context: Mapping[str, str], dont_know_share: float = 0.0, answered: int = 0
    ) -> np.ndarray:
        """Pathway and access needs of every possible level vector as one number each: two
        level vectors with the same number get the same result."""
        pathways = self.pathway_table(context, dont_know_share, answered)
        needs = self.need_table(context, dont_know_share, answered)
        return (pathways.astype(np.int64) << len(self.need_ids)) | needs

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


def _smallest(low: int, high: int) -> np.dtype:
    """The smallest integer type holding every number from ``low`` to ``high``."""
    return np.result_type(np.min_scalar_type(low), np.min_scalar_type(high))


def _read(context: Mapping[str, str], questions: set[str]) -> tuple[tuple[str, str], ...]:
    """The answers among ``context`` that rules reading ``questions`` can see."""
    return tuple(sorted((q, a) for q, a in context.items() if q in questions))


def _dont_know_leaves(conditions: Iterable[Condition]) -> list[DontKnowLeaf]:
    return [leaf for condition in conditions for _, leaf in iter_leaves(condition, ())
            if isinstance(leaf, DontKnowLeaf)]


def _outcomes(
    leaves: list[DontKnowLeaf], dont_know_share: float, answered: int
) -> tuple[bool, ...]:
    """Whether each "not sure" rule holds after ``answered`` answers with this share of "not
    sure": all a table depends on besides the levels and the context answers."""
    one = Facts(ALL_LEVEL_VECTORS[:1], {}, "completed", dont_know_share, answered)
    return tuple(bool(leaf.evaluate(one)[0]) for leaf in leaves)
