"""One visitor's adaptive series: start, answer, next question, result.

The session wires the parts together (catsim's split): the prior (``BifactorGrid``), the
estimator (``GridPosterior``), the selector and the stopper are each replaceable.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from kiosk.bank.model import CanDoItem, KnowledgeItem
from kiosk.domain import DOMAIN_IDS, DONT_KNOW
from kiosk.engine.estimator import GridPosterior
from kiosk.engine.irt import NO_INFORMATION, score
from kiosk.engine.pool import ItemPool
from kiosk.engine.selector import DecisionInformationSelector, Selector
from kiosk.engine.state import PathwayTable, Snapshot
from kiosk.engine.stopper import ClassificationStopper, Stopper
from kiosk.routing import Router


@dataclass(frozen=True)
class Estimate:
    levels: dict[str, int]  # the most probable level vector routed to the most probable pathway
    level_probabilities: dict[str, tuple[float, ...]]
    ability: dict[str, float]  # posterior mean per domain
    ability_sd: dict[str, float]
    dont_know_share: float
    pathway_probabilities: dict[str, float]


class AdaptiveSession:
    def __init__(
        self,
        pool: ItemPool,
        router: Router,
        context: Mapping[str, str],
        seed: int,
        selector: Selector | None = None,
        stopper: Stopper | None = None,
    ) -> None:
        settings = pool.bank.engine
        self.pool = pool
        self.router = router
        self.context = dict(context)
        self.selector: Selector = selector or DecisionInformationSelector(
            settings.choose_among,
            knowledge_checks=settings.knowledge_checks,
            knowledge_by=settings.min_questions,
        )
        self.stopper: Stopper = stopper or ClassificationStopper(
            settings.min_questions,
            settings.max_questions,
            settings.pathway_certainty,
            settings.level_certainty,
        )
        self._rng = np.random.default_rng(seed)
        self._posterior = GridPosterior(pool.grid, len(DOMAIN_IDS))
        self._open = pool.eligible(self.context)
        self._answered_domains = np.zeros(len(DOMAIN_IDS), dtype=bool)
        self._scale = [o.id for o in pool.bank.scale.options]
        self._dont_knows = 0
        self.answers: list[tuple[str, str]] = []
        self._asked_items: list[int] = []
        self._table = self._pathway_table()
        self._current: int | None = None
        self._advance()

    @property
    def current(self) -> CanDoItem | KnowledgeItem | None:
        """The question to ask now, or None when the series is over."""
        return None if self._current is None else self.pool.items[self._current]

    @property
    def finished(self) -> bool:
        return self._current is None

    @property
    def asked(self) -> int:
        return len(self.answers)

    def answer(self, option_id: str) -> None:
        if self._current is None:
            raise RuntimeError("the series is over: no question to answer")
        index = self._current
        item = self.pool.items[index]
        if option_id not in item.answer_ids(self.pool.bank.scale):
            raise ValueError(f"'{option_id}' is not an answer of question '{item.id}'")
        response = score(item, option_id, self._scale)
        if response != NO_INFORMATION:
            domain = int(self.pool.domain_of[index])
            loglik = self.pool.models[index].log_likelihood(response, self.pool.grid.theta)
            self._posterior.update(domain, loglik)
            self._answered_domains[domain] = True
        if option_id == DONT_KNOW:
            self._dont_knows += 1
            self._table = self._pathway_table()
        self._open[index] = False
        self.answers.append((item.id, option_id))
        self._asked_items.append(index)
        self._advance()

    def remaining_estimate(self) -> int:
        """A calm hint for the visitor: about how many questions are left."""
        if self.finished:
            return 0
        settings = self.pool.bank.engine
        left = max(settings.typical_questions - self.asked, settings.min_questions - self.asked, 1)
        return min(left, settings.max_questions - self.asked, int(self._open.sum()))

    def estimate(self) -> Estimate:
        snap = self.snapshot()
        mean, sd = self._posterior.ability_mean_sd()
        probs = snap.level_probabilities
        decided = snap.decided_levels()
        return Estimate(
            levels={d: int(decided[i]) for i, d in enumerate(DOMAIN_IDS)},
            level_probabilities={d: tuple(map(float, probs[i])) for i, d in enumerate(DOMAIN_IDS)},
            ability={d: float(mean[i]) for i, d in enumerate(DOMAIN_IDS)},
            ability_sd={d: float(sd[i]) for i, d in enumerate(DOMAIN_IDS)},
            dont_know_share=self.dont_know_share,
            pathway_probabilities=dict(
                zip(self.router.pathway_ids, map(float, snap.pathway_probabilities), strict=True)
            ),
        )

    @property
    def dont_know_share(self) -> float:
        return self._dont_knows / self.asked if self.asked else 0.0

    def snapshot(self) -> Snapshot:
        weights = self._posterior.domain_weights()
        flat = weights.reshape(weights.shape[0], -1)
        return Snapshot(
            asked=self.asked,
            knowledge_asked=int(self.pool.knowledge[self._asked_items].sum()),
            answered_domains=self._answered_domains.copy(),
            level_probabilities=self._posterior.level_probabilities(weights),
            ability_density=flat @ self.pool.projection,
            vector_probabilities=self._posterior.level_vector_probabilities(),
            table=self._table,
        )

    def _pathway_table(self) -> PathwayTable:
        pathways = self.router.pathway_table(self.context, self.dont_know_share)
        return PathwayTable.build(pathways, len(self.router.pathway_ids))

    def _advance(self) -> None:
        snap = self.snapshot()
        if not self._open.any() or self.stopper.should_stop(snap):
            self._current = None
            return
        self._current = self.selector.select(
            snap, self.pool.information, self.pool.domain_of, self.pool.knowledge, self._open,
            self._rng,
        )
