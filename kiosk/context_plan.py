"""Which context question to ask now, if any: only one whose answer can change something for
this visitor, at the moment the answers so far make that clear.

A context answer can change three things: the pathway, an access need, the offers shown. The
engine knows how likely each level vector is after the answers given so far, and the bank's rules
give the pathway and needs of every level vector for any context answers; a question's *chance
to matter* is the probability of the level vectors whose result its answers change. So:

- a question that changes an access need whatever the levels (equipment, internet, e-mail) has
  chance 1 from the start, and is asked first, in the bank's order;
- one that matters only for some levels (urgency sends to one-to-one help only when using a
  device or online procedures is hard) waits while the skill questions narrow the levels: it is
  asked as soon as its chance reaches ``early_at``, else at the end of the skill questions if
  it is still at least ``ask_at``, else never;
- one whose answers change nothing but the order of the offers (how the visitor prefers to be
  helped) is judged at the end, on the pathways still likely: the offers are ranked under each
  of its answers, and it matters if they differ.

An answer not given counts as one more answer (a question skipped leaves the rules without it),
and the questions a rule reads together are judged together: "no e-mail address or no digital
identity" makes the identity question pointless once the e-mail answer is "no".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import product
from typing import Protocol

import numpy as np

from kiosk.bank.model import Bank, ContextQuestion
from kiosk.level_vectors import ALL_LEVEL_VECTORS
from kiosk.routing import Router, context_questions

# Pathways less likely than this are not ranked for offers: they cannot reach ``ask_at``.
LIKELY_PATHWAY = 0.01
MASKS_KEPT = 256


class Offers(Protocol):
    """The offers a result would show: what the planner needs of the ranking."""

    reads: frozenset[str]  # the context questions the ranking reads

    def shown(self, context: Mapping[str, str], levels: Mapping[str, int]) -> tuple[str, ...]:
        """The ids of the offers shown, best first, for these answers and levels."""
        ...


@dataclass(frozen=True)
class Moment:
    """What the answers so far say, as the planner needs it."""

    vector_probabilities: np.ndarray  # (4**D,) the engine's posterior of every level vector
    dont_know_share: float
    answered: int  # skill questions answered
    series_over: bool  # the skill questions are done (settled, or the budget is spent)


class ContextPlanner:
    def __init__(self, bank: Bank, router: Router) -> None:
        self.bank = bank
        self.router = router
        self.settings = bank.engine.context
        self._partners = _partners(bank)
        # The masks of the moment: the visit asks for them several times between two answers.
        self._masks: dict[tuple[object, ...], np.ndarray] = {}

    def before_result(self, context: Mapping[str, str]) -> list[ContextQuestion]:
        """The questions still open before the result: not answered, not made pointless by a
        skip rule, and not kept for after the result."""
        return [q for q in self.bank.context
                if not q.after_result and q.id not in context and not q.is_skipped(context)]

    def next_question(
        self, context: Mapping[str, str], moment: Moment, offers: Offers
    ) -> ContextQuestion | None:
        """The context question to ask now, or None: go on with the skill questions (or, when
        they are over, show the result)."""
        open_questions = self.before_result(context)
        chances = [float(moment.vector_probabilities[self.changed(q, context, open_questions,
                                                                  moment)].sum())
                   for q in open_questions]
        for question, chance in zip(open_questions, chances, strict=True):
            if chance >= self.settings.early_at:
                return question
        if not moment.series_over:
            return None
        for question, chance in zip(open_questions, chances, strict=True):
            if chance >= self.settings.ask_at or (
                question.id in offers.reads
                and self.chance_to_change_offers(question, context, moment, offers)
                >= self.settings.ask_at
            ):
                return question
        return None

    def may_still_ask(
        self, context: Mapping[str, str], moment: Moment, offers: Offers
    ) -> list[ContextQuestion]:
        """The open questions that could still be asked: some answer of theirs changes the
        result of some level vector, or the ranking of the offers reads them."""
        open_questions = self.before_result(context)
        return [q for q in open_questions
                if q.id in offers.reads or self.changed(q, context, open_questions, moment).any()]

    def changed(
        self,
        question: ContextQuestion,
        context: Mapping[str, str],
        open_questions: Sequence[ContextQuestion],
        moment: Moment,
        always: bool = False,
    ) -> np.ndarray:
        """(4**D,) bool: the level vectors whose pathway or access needs some answer to
        ``question`` changes, for some answers to the open questions read with it (``always``:
        for every answer to them, so that nothing still to come can make it pointless)."""
        partners = [q for q in open_questions if q.id in self._partners[question.id]]
        key = (question.id, tuple(sorted(context.items())), tuple(q.id for q in partners),
               moment.dont_know_share, moment.answered, always)
        if key in self._masks:
            return self._masks[key]
        if len(self._masks) > MASKS_KEPT:
            self._masks.clear()
        changed = np.full(len(ALL_LEVEL_VECTORS), always)
        for answers in product(*(_values(q) for q in partners)):
            given = _with(context, zip((q.id for q in partners), answers, strict=True))
            outcomes = np.stack([
                self.router.outcome_table(_with(given, [(question.id, value)]),
                                          moment.dont_know_share, moment.answered)
                for value in _values(question)
            ])
            differs = (outcomes != outcomes[0]).any(axis=0)
            changed = changed & differs if always else changed | differs
        self._masks[key] = changed
        return changed

    def chance_to_change_offers(
        self,
        question: ContextQuestion,
        context: Mapping[str, str],
        moment: Moment,
        offers: Offers,
    ) -> float:
        """Probability of the pathways for which some answer to ``question`` changes the
        offers shown (each pathway judged at its most probable level vector)."""
        pathways = self.router.pathway_table(context, moment.dont_know_share, moment.answered)
        weights = moment.vector_probabilities
        chance = 0.0
        for pathway in np.unique(pathways):
            inside = np.where(pathways == pathway, weights, 0.0)
            likely = float(inside.sum())
            if likely < LIKELY_PATHWAY:
                continue
            vector = ALL_LEVEL_VECTORS[int(inside.argmax())]
            levels = dict(zip(self.bank.domain_ids(), map(int, vector), strict=True))
            shown = {offers.shown(_with(context, [(question.id, value)]), levels)
                     for value in _values(question)}
            chance += likely * (len(shown) > 1)
        return chance


def _values(question: ContextQuestion) -> list[str | None]:
    """Every answer, and None: not asked (or not answered) at all."""
    return [*question.answer_ids(), None]


def _with(context: Mapping[str, str], answers: object) -> dict[str, str]:
    """``context`` with these (question, answer) pairs; an answer None leaves the question out."""
    given = dict(context)
    for question, answer in answers:  # type: ignore[attr-defined]
        given.pop(question, None)
        if answer is not None:
            given[question] = answer
    return given


def _partners(bank: Bank) -> dict[str, set[str]]:
    """For each context question, the others some rule reads together with it."""
    partners: dict[str, set[str]] = {q.id: set() for q in bank.context}
    for rule in [*bank.routing, *bank.need_rules]:
        read = context_questions(rule.when)
        for question in read:
            partners[question] |= read - {question}
    return partners
