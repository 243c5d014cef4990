"""Static checks of the routing rules, by brute force over every case they can meet.

The cases are every vector of six levels (4**6 = 4096) times every combination of the context
answers the rules mention (each answer, "je ne sais pas", or not asked), the three completion
states and the "je ne sais pas" shares the rules name. Each rule is evaluated on all 4096 level
vectors at once per combination, so a whole bank is checked in milliseconds.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from itertools import product
from typing import TYPE_CHECKING

import numpy as np

from kiosk.bank.conditions import (
    Condition,
    ContextLeaf,
    DontKnowLeaf,
    Facts,
    Loc,
    UncertainLeaf,
    Uncertainty,
    iter_leaves,
)
from kiosk.domain import COMPLETIONS, DOMAIN_IDS, LEVEL_IDS

if TYPE_CHECKING:
    from kiosk.bank.model import Bank

# Every possible vector of six levels, one row each (4**6 = 4096).
ALL_LEVEL_VECTORS = np.array(
    list(product(range(len(LEVEL_IDS)), repeat=len(DOMAIN_IDS))), dtype=np.int8
)
# More answers than any "not sure" rule may ask for (a series is at most 60 questions).
ENOUGH_ANSWERS = 60
# Beyond this many context combinations the brute force would be slow: say so instead.
MAX_CASES = 20_000


def first_match(conditions: Sequence[Condition], facts: Facts) -> np.ndarray:
    """Index of the first condition that holds, per row of ``facts``; -1 where none does."""
    chosen = np.full(facts.levels.shape[0], -1, dtype=np.int64)
    for index, condition in enumerate(conditions):
        open_rows = chosen < 0
        if not open_rows.any():
            break
        chosen[condition.evaluate(facts) & open_rows] = index
    return chosen


def _dimensions(
    bank: Bank,
) -> tuple[list[str], list[list[str | None]], list[float], list[Uncertainty | None]]:
    """The context questions the rules name with their possible answers, the shares of "not
    sure", and the reasons for uncertainty."""
    leaves = [leaf for i, r in enumerate(bank.routing)
              for _, leaf in iter_leaves(r.when, ("routing", i, "when"))]
    questions = sorted({leaf.context.question for leaf in leaves if isinstance(leaf, ContextLeaf)})
    answers: list[list[str | None]] = [
        [*bank.context_question(q).option_ids(), None] for q in questions
    ]
    shares = sorted({0.0} | {leaf.dont_know.at_least for leaf in leaves
                             if isinstance(leaf, DontKnowLeaf)})
    named = {reason for leaf in leaves if isinstance(leaf, UncertainLeaf)
             for reason in leaf.uncertain}
    return questions, answers, shares, [None, *sorted(named)]


def case_count(bank: Bank) -> int:
    """How many batches of 4096 level vectors ``cases`` yields."""
    _, answers, shares, uncertain = _dimensions(bank)
    return len(COMPLETIONS) * len(shares) * len(uncertain) * math.prod(len(a) for a in answers)


def cases(bank: Bank) -> Iterator[Facts]:
    """Every distinct situation the routing rules can tell apart, 4096 level vectors each (the
    most answers a "not sure" rule asks for: a long enough series)."""
    questions, answers, shares, uncertain = _dimensions(bank)
    for chosen in product(*answers):
        context = {q: a for q, a in zip(questions, chosen, strict=True) if a is not None}
        for completion in COMPLETIONS:
            for share in shares:
                for reason in uncertain:
                    yield Facts(ALL_LEVEL_VECTORS, context, completion,  # type: ignore[arg-type]
                                share, ENOUGH_ANSWERS, reason)


def routing_problems(bank: Bank) -> list[tuple[Loc, str]]:
    """Rules no case can reach, and cases no rule reaches, as (place, message) pairs."""
    if case_count(bank) > MAX_CASES:
        return [(("routing",), f"the routing rules name too many context answers to check "
                 f"(more than {MAX_CASES} combinations): use fewer questions in the rules")]
    conditions = [rule.when for rule in bank.routing]
    reached = np.zeros(len(conditions), dtype=bool)
    matched = np.zeros(len(conditions), dtype=bool)
    gap: str | None = None
    for facts in cases(bank):
        chosen = first_match(conditions, facts)
        reached[np.unique(chosen[chosen >= 0])] = True
        for index in np.flatnonzero(~matched):
            matched[index] = conditions[index].evaluate(facts).any()
        if gap is None and (chosen < 0).any():
            gap = _describe_case(facts, int(np.flatnonzero(chosen < 0)[0]))
    problems: list[tuple[Loc, str]] = []
    for index in np.flatnonzero(~reached):
        why = ("the rules above it already catch every visitor it matches: move it up, or "
               "narrow the rules above" if matched[index]
               else "no visitor can match it: check its levels and answers")
        problems.append((("routing", int(index)), f"this rule can never be chosen: {why}"))
    if gap is not None:
        problems.append((("routing", len(conditions) - 1),
                         f"some visitors reach no pathway, e.g. {gap}: end 'routing' with a "
                         "catch-all rule (when: {always: true})"))
    return problems


def _describe_case(facts: Facts, row: int) -> str:
    levels = ", ".join(f"{d}={LEVEL_IDS[v]}" for d, v in zip(DOMAIN_IDS, facts.levels[row],
                                                              strict=True))
    answers = ", ".join(f"{q}={a}" for q, a in sorted(facts.context.items())) or "no answers"
    uncertain = f"; uncertain ({facts.uncertain})" if facts.uncertain else ""
    return (f"levels {levels}; {answers}; completion {facts.completion}; "
            f"'je ne sais pas' share {facts.dont_know_share:.0%}{uncertain}")
