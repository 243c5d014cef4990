"""One visitor's adaptive series: start, answer, next question, result.

The session wires the parts together (catsim's split): the prior (``BifactorGrid``), the
estimator (``GridPosterior``), the selector and the stopper are each replaceable. After every
answer, "not sure" included, the pathway table is that of the answers given so far (their share
of "not sure"), so the claimed certainty and every stopping decision reflect all of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np

from kiosk.bank.model import ScoredItem
from kiosk.domain import DOMAIN_IDS, DONT_KNOW
from kiosk.engine.estimator import GridPosterior
from kiosk.engine.irt import ITEM_KINDS, NO_INFORMATION, GradedResponse
from kiosk.engine.personfit import standardized_log_likelihood
from kiosk.engine.pool import ItemPool
from kiosk.engine.prior import CLAIM_NODES
from kiosk.engine.selector import DecisionInformationSelector, Selector
from kiosk.engine.state import PathwayTable, Snapshot
from kiosk.engine.stopper import MAX_QUESTIONS, UNDECIDED, ClassificationStopper, Stopper
from kiosk.routing import Router

NO_QUESTION_LEFT = "no_question_left"

# Why a result is uncertain: the answers do not fit together (person fit), or the questions
# left could not settle the pathway (futility).
Uncertainty = Literal["inconsistent", "undecided"]
# How much an earlier result's level tells when a guided session continues it: read as one
# self-report on the level cuts with this discrimination, about what two statements tell.
EARLIER_DISCRIMINATION = 1.5


@dataclass(frozen=True)
class Estimate:
    levels: dict[str, int]  # the most probable level vector routed to the most probable pathway
    level_probabilities: dict[str, tuple[float, ...]]
    ability: dict[str, float]  # posterior mean per domain
    ability_sd: dict[str, float]
    dont_know_share: float  # of the visitor's own answers (a mediator's marks aside)
    answered: int  # questions the visitor answered, "not sure" included
    pathway_probabilities: dict[str, float]
    careless: float  # posterior probability that the answers were given at random
    person_fit: float | None  # lz of the answers (None: too few to tell)
    uncertain: Uncertainty | None  # why the result cannot be trusted as it stands, if so
    stop: str  # why the series ended ("" while it goes on)

    def likely_pathways(self, count: int = 2) -> tuple[str, ...]:
        """The ``count`` most probable pathways, most probable first."""
        ranked = sorted(self.pathway_probabilities, key=self.pathway_probabilities.__getitem__,
                        reverse=True)
        return tuple(ranked[:count])


class AdaptiveSession:
    def __init__(
        self,
        pool: ItemPool,
        router: Router,
        context: Mapping[str, str],
        seed: int,
        selector: Selector | None = None,
        stopper: Stopper | None = None,
        guided: bool = False,
        earlier: Mapping[str, int] | None = None,
    ) -> None:
        """``guided``: a mediator's session, where observed tasks may be asked too;
        ``earlier``: the levels of a result the visitor reached alone, which it continues."""
        settings = pool.bank.engine
        self.pool = pool
        self.router = router
        self.context = dict(context)
        self.selector: Selector = selector or DecisionInformationSelector(
            settings.choose_among,
            knowledge_checks=settings.knowledge_checks,
            knowledge_by=settings.min_questions,
        )
        certainty = settings.pathway_certainty
        if guided and settings.guided_pathway_certainty is not None:
            certainty = settings.guided_pathway_certainty
        self.stopper: Stopper = stopper or ClassificationStopper(
            settings.min_questions,
            settings.max_questions,
            certainty,
            settings.level_certainty,
            settings.futility,
        )
        self._rng = np.random.default_rng(seed)
        # Only a guided session can set what the visitor says of a domain against what the
        # mediator saw there; alone, statements are all the kiosk has.
        self._shared_claims = guided and settings.domain_bias > 0
        self._posterior = GridPosterior(pool.grid, len(DOMAIN_IDS), settings.careless_share,
                                        self._shared_claims)
        self._guided = guided
        self._open = pool.eligible(self.context, guided)
        self._answered_domains = np.zeros(len(DOMAIN_IDS), dtype=bool)  # any answer
        self._informed_domains = np.zeros(len(DOMAIN_IDS), dtype=bool)  # an informative one
        self._unsure_domains = np.zeros(len(DOMAIN_IDS), dtype=bool)  # "not sure" to a statement
        self._scale = [o.id for o in pool.bank.scale.options]
        self._dont_knows = 0
        self._by_visitor = 0  # answers the visitor gave (a mediator's marks aside)
        self.answers: list[tuple[str, str]] = []
        self._asked_items: list[int] = []
        self._scored: list[tuple[int, int]] = []  # (item, scored category) of informative answers
        self._current: int | None = None
        self._limit: int | None = None
        self.stop = ""
        self._start_from(earlier or {})
        self._advance()

    @property
    def current(self) -> ScoredItem | None:
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
        kind = ITEM_KINDS[item.kind]
        if option_id not in item.answer_ids(self.pool.bank.scale):
            raise ValueError(f"'{option_id}' is not an answer of question '{item.id}'")
        response = kind.score(item, option_id, self._scale)
        domain = int(self.pool.domain_of[index])
        if response != NO_INFORMATION:
            self._posterior.update(
                domain,
                self.pool.log_likelihood(index, response, self._shared_claims),
                float(self.pool.careless_log_likelihood[index]),
            )
            self._informed_domains[domain] = True
            if response >= 0:
                self._scored.append((index, response))
        else:
            self._unsure_domains[domain] = True
        self._answered_domains[domain] = True
        if kind.by_visitor:
            self._by_visitor += 1
            self._dont_knows += option_id == DONT_KNOW
        self._open[index] = False
        self.answers.append((item.id, option_id))
        self._asked_items.append(index)
        self._advance()

    def update_context(self, context: Mapping[str, str]) -> None:
        """The visitor gave a context answer between two questions (one that only some levels
        make worth asking): the items it makes pointless close, and the pathway table, so the
        question to ask and whether the series is settled, follow it."""
        self.context = dict(context)
        asked = np.zeros(len(self.pool.items), dtype=bool)
        asked[self._asked_items] = True
        self._open = self.pool.eligible(self.context, self._guided) & ~asked
        if self.stop not in (MAX_QUESTIONS, NO_QUESTION_LEFT):
            self.stop = ""
            self._advance()

    def limit(self, most: int) -> None:
        """Ask at most ``most`` questions in all (fewer than the bank allows: the visit keeps
        room for the context questions that may come)."""
        if most == self._limit:
            return
        self._limit = most
        if self._current is not None and self.asked >= most:
            self._advance()

    @property
    def could_resume(self) -> bool:
        """Over, but a context answer could open it again (it was settled, not spent)."""
        return self.finished and self.stop not in (MAX_QUESTIONS, NO_QUESTION_LEFT)

    def remaining(self) -> tuple[int, int]:
        """The fewest and the most questions the series may still ask."""
        if self.finished:
            return 0, 0
        most = min(self.budget - self.asked, int(self._open.sum()))
        return min(max(self.pool.bank.engine.min_questions - self.asked, 1), most), most

    @property
    def budget(self) -> int:
        """The most questions this series may ask."""
        most = self.pool.bank.engine.max_questions
        return most if self._limit is None else min(most, self._limit)

    def level_vector_probabilities(self) -> np.ndarray:
        """The posterior probability of every level vector (rows of ``ALL_LEVEL_VECTORS``)."""
        return self._posterior.level_vector_probabilities()

    def estimate(self) -> Estimate:
        snap = self.snapshot()
        weights = self._posterior.domain_weights()
        mean, sd = self._posterior.ability_mean_sd(weights)
        probs = snap.level_probabilities
        decided = snap.decided_levels()
        return Estimate(
            levels={d: int(decided[i]) for i, d in enumerate(DOMAIN_IDS)},
            level_probabilities={d: tuple(map(float, probs[i])) for i, d in enumerate(DOMAIN_IDS)},
            ability={d: float(mean[i]) for i, d in enumerate(DOMAIN_IDS)},
            ability_sd={d: float(sd[i]) for i, d in enumerate(DOMAIN_IDS)},
            dont_know_share=self.dont_know_share,
            answered=self._by_visitor,
            pathway_probabilities=dict(
                zip(self.router.pathway_ids, map(float, snap.pathway_probabilities), strict=True)
            ),
            careless=snap.careless,
            person_fit=self.person_fit(),
            uncertain=self._uncertainty(snap),
            stop=self.stop,
        )

    @property
    def dont_know_share(self) -> float:
        return self._dont_knows / self._by_visitor if self._by_visitor else 0.0

    def snapshot(self) -> Snapshot:
        posterior = self._posterior
        densities = self.pool.densities(posterior.attentive_weights())
        careless = posterior.careless_probability()
        ability = densities[: len(DOMAIN_IDS)]
        if careless:
            ability = (1.0 - careless) * ability + careless * self.pool.prior_density
        return Snapshot(
            asked=self.asked,
            knowledge_asked=int(self.pool.knowledge[self._asked_items].sum()),
            answered_domains=self._answered_domains.copy(),
            unsure_domains=self._unsure_domains & ~self._informed_domains,
            level_probabilities=posterior.level_probabilities(),
            ability_density=ability,
            vector_probabilities=posterior.level_vector_probabilities(),
            table=self._pathway_table(),
            covariance=posterior.covariance(),
            expected_information=self.pool.expected_information(densities),
            open_items=self._open.copy(),
            careless=careless,
            limit=self._limit,
            claim_variance=self.pool.bank.engine.domain_bias ** 2 if self._shared_claims else 0.0,
        )

    def person_fit(self) -> float | None:
        """lz of the informative answers at the estimate (posterior means: ability plus each
        kind's share of the bias)."""
        means = self._posterior.means()
        domains = len(DOMAIN_IDS)
        latents = [float(means[self.pool.domain_of[i]] + self.pool.bias_loading[i] * means[domains])
                   for i, _ in self._scored]
        return standardized_log_likelihood(
            [self.pool.point_models[i] for i, _ in self._scored], [r for _, r in self._scored],
            latents,
        )

    def _uncertainty(self, snap: Snapshot) -> Uncertainty | None:
        settings = self.pool.bank.engine
        fit = self.person_fit()
        if snap.careless >= settings.inconsistent_at or (
            fit is not None and fit < settings.inconsistent_lz
        ):
            return "inconsistent"
        if self.stop == UNDECIDED:
            return "undecided"
        return None

    def _start_from(self, levels: Mapping[str, int]) -> None:
        """An earlier result's levels, each as one self-report of its domain: it carries the
        visitor's self-assessment bias, which observed tasks can then reveal."""
        settings = self.pool.bank.engine
        latent = self.pool.grid.latent(1.0)
        if self._shared_claims:
            latent = latent[..., None] + settings.domain_bias * CLAIM_NODES
        model = GradedResponse(EARLIER_DISCRIMINATION, tuple(settings.level_cuts))
        for d, domain in enumerate(DOMAIN_IDS):
            if domain in levels:
                self._posterior.update(d, model.log_likelihood(levels[domain], latent),
                                       -float(np.log(len(settings.level_cuts) + 1)))

    def _pathway_table(self) -> PathwayTable:
        pathways = self.router.pathway_table(self.context, self.dont_know_share,
                                             self._by_visitor)
        return PathwayTable.cached(pathways, len(self.router.pathway_ids))

    def _advance(self) -> None:
        if not self._open.any():
            self._current, self.stop = None, NO_QUESTION_LEFT
            return
        snap = self.snapshot()
        reason = self.stopper.reason(snap, self.pool)
        if reason is not None:
            self._current, self.stop = None, reason
            return
        self._current = self.selector.select(snap, self.pool, self._rng)
