"""Static checks of the routing rules, by brute force over every case they can meet.

The cases are every vector of six levels (4**6 = 4096) times every combination of the context
answers the rules mention (each answer, "je ne sais pas", or not asked), the three completion
states and the "je ne sais pas" shares the rules name. Each rule is evaluated on all 4096 level
vectors at once per combination, so a whole bank is checked in milliseconds.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from itertools import product

import numpy as np

from kiosk.bank.conditions import (
    Condition,
    ContextLeaf,
    DontKnowLeaf,
    Facts,
    UncertainLeaf,
    Uncertainty,
    iter_leaves,
)
from kiosk.datafile import Loc
from kiosk.domain import COMPLETIONS, DOMAIN_IDS, LEVEL_IDS
from kiosk.level_vectors import ALL_LEVEL_VECTORS, first_match

# More answers than any "not sure" rule may ask for (a series is at most 60 questions).
ENOUGH_ANSWERS = 60
# Beyond this many cases times conditions (a few seconds of work) the brute force would be
# slow: say so instead.
MAX_CHECKS = 500_000
# The routing rules' conditions, in order, and the answers each context question accepts.
Rules = Sequence[Condition]
Answers = Mapping[str, Sequence[str]]


def _dimensions(
    rules: Rules, answers: Answers
) -> tuple[list[str], list[list[str | None]], list[float], list[Uncertainty | None]]:
    """The context questions the rules name with their possible answers, the shares of "not
    sure", and the reasons for uncertainty."""
    leaves = [leaf for i, rule in enumerate(rules) for _, leaf in iter_leaves(rule, (i,))]
    questions = sorted({leaf.context.question for leaf in leaves if isinstance(leaf, ContextLeaf)})
    possible: list[list[str | None]] = [[*answers[q], None] for q in questions]
    shares = sorted({0.0} | {leaf.dont_know.at_least for leaf in leaves
                             if isinstance(leaf, DontKnowLeaf)})
    named = {reason for leaf in leaves if isinstance(leaf, UncertainLeaf)
             for reason in leaf.uncertain}
    return questions, possible, shares, [None, *sorted(named)]


def case_count(rules: Rules, answers: Answers) -> int:
    """How many batches of 4096 level vectors ``cases`` yields."""
    _, possible, shares, uncertain = _dimensions(rules, answers)
    return len(COMPLETIONS) * len(shares) * len(uncertain) * math.prod(len(a) for a in possible)


def cases(rules: Rules, answers: Answers) -> Iterator[Facts]:
    """Every distinct situation the routing rules can tell apart, 4096 level vectors each (the
    most answers a "not sure" rule asks for: a long enough series)."""
    questions, possible, shares, uncertain = _dimensions(rules, answers)
    for chosen in product(*possible):
        context = {q: a for q, a in zip(questions, chosen, strict=True) if a is not None}
        for completion in COMPLETIONS:
            for share in shares:
                for reason in uncertain:
                    yield Facts(ALL_LEVEL_VECTORS, context, completion,  # type: ignore[arg-type]
                                share, ENOUGH_ANSWERS, reason)


def routing_problems(rules: Rules, answers: Answers) -> list[tuple[Loc, str]]:
    """Rules no case can reach, and cases no rule reaches, as (place, message) pairs."""
    leaves = sum(1 for i, rule in enumerate(rules) for _ in iter_leaves(rule, (i,)))
    if case_count(rules, answers) * leaves > MAX_CHECKS:
        return [(("routing",), f"the routing rules are too many, or name too many context "
                 f"answers, to be checked (more than {MAX_CHECKS} cases times conditions): use "
                 "fewer questions in the rules, or fewer rules")]
    reached = np.zeros(len(rules), dtype=bool)
    matched = np.zeros(len(rules), dtype=bool)
    gap: str | None = None
    for facts in cases(rules, answers):
        chosen = first_match((rule.evaluate(facts) for rule in rules), len(facts.levels))
        reached[np.unique(chosen[chosen >= 0])] = True
        for index in np.flatnonzero(~matched):
            matched[index] = rules[index].evaluate(facts).any()
        if gap is None and (chosen < 0).any():
            gap = _describe_case(facts, int(np.flatnonzero(chosen < 0)[0]))
    problems: list[tuple[Loc, str]] = []
    for index in np.flatnonzero(~reached):
        why = ("the rules above it already catch every visitor it matches: move it up, or "
               "narrow the rules above" if matched[index]
               else "no visitor can match it: check its levels and answers")
        problems.append((("routing", int(index)), f"this rule can never be chosen: {why}"))
    if gap is not None:
        problems.append((("routing", len(rules) - 1),
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
