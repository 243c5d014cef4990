"""Simulated visitors for the engine benchmarks (quality and speed), shared by both scripts.

Visitors have true per-domain abilities from a bifactor structure (a general factor plus domain
parts, correlation ``rho`` between domains); they answer from an item model (the bank's, or a
perturbed one) and, in the conditions that differ from the engine's assumptions, not always as
that model says: careless visitors answer at random, over-claimers one step higher half of the
time on can-do statements, and anyone may say "not sure". Truth is their true levels routed by
the bank's own rules, with the share of "not sure" the visit actually had (a visit that was half
"not sure" is rightly sent to an adviser whatever the levels).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk.bank.model import (
    OBSERVED_MARKS,
    Bank,
    CanDoItem,
    ContextSettings,
    KnowledgeItem,
    ObservedItem,
    ScoredItem,
)
from kiosk.demo_data import Population
from kiosk.domain import DOMAIN_IDS, DONT_KNOW
from kiosk.engine.estimator import GridPosterior
from kiosk.engine.irt import NO_INFORMATION, GradedResponse, KnowsOrGuesses, model_of, score
from kiosk.engine.pool import ItemPool
from kiosk.engine.session import AdaptiveSession
from kiosk.engine.state import PathwayTable, decided_levels
from kiosk.level_vectors import vector_index
from kiosk.routing import Router
from kiosk.visit import Assessment, Visit, load_assessment

# A visitor without urgency who has a phone and a computer, an e-mail address and a digital
# identity: every item is eligible, and the pathway depends on the levels only.
CONTEXT = {
    "urgency": "no",
    "equipment": "phone_and_computer",
    "email": "yes",
    "digital_identity": "yes",
    "internet_home": "yes",
}
# A second mix: urgent procedure, phone only, no digital identity (skip rules and "assisted").
CONTEXT_URGENT_PHONE = {
    "urgency": "today",
    "equipment": "phone_only",
    "email": "yes",
    "digital_identity": "no",
    "internet_home": "phone_data",
}

Model = GradedResponse | KnowsOrGuesses


@dataclass(frozen=True)
class Condition:
    """How the simulated visitors differ from what the engine assumes (nothing, by default)."""

    name: str
    label: str
    correlation: float | None = None  # between domains; None: the bank's own
    ability_mean: float = 0.0
    parameters: Literal["bank", "misfit", "perturbed"] = "bank"
    careless: float = 0.0  # share of visitors who answer at random
    over_claimers: float = 0.0  # share who answer a can-do one step higher half of the time
    not_sure: float = 0.0  # chance that any answer is "not sure"
    # spread of how far a visitor's statements about one domain are off (each visitor and
    # domain its own), beyond the over-claimers' general step up
    domain_claims: float = 0.0


CONDITIONS = (
    Condition("own", "the engine's own model"),
    Condition("misfit", "parameters off: b + N(0, 0.3), a x U(0.8, 1.2)", parameters="misfit"),
    Condition("perturbed", "parameters off: b + N(0, 0.4), a x LogN(0, 0.25)",
              parameters="perturbed"),
    Condition("correlation_0.4", "domain correlation 0.4", correlation=0.4),
    Condition("correlation_0.9", "domain correlation 0.9", correlation=0.9),
    Condition("careless_over", "15 % careless, 15 % over-claimers", careless=0.15,
              over_claimers=0.15),
    Condition("not_sure_20", "20 % of answers 'not sure'", not_sure=0.2),
    Condition("low_skill", "low-skill audience (ability mean -1)", ability_mean=-1.0),
)
# Where a guided session should help: most adults overstate what they can do, in general or
# in some domains more than others.
GUIDED_CONDITIONS = (
    CONDITIONS[0],
    Condition("over_claiming", "two thirds over-claim (one step up half the time)",
              over_claimers=2 / 3),
    Condition("domain_claims", "statements off by N(0, 0.5) in each domain", domain_claims=0.5),
    CONDITIONS[5],
)


@dataclass(frozen=True)
class Visitors:
    general: np.ndarray  # (N,) general ability: the 1-D truth
    theta: np.ndarray  # (N, D) domain abilities
    levels: np.ndarray  # (N, D) true levels
    careless: np.ndarray  # (N,) bool: answers at random
    over_claimer: np.ndarray  # (N,) bool: one step higher half of the time on can-do
    not_sure: float = 0.0  # chance that any answer is "not sure"
    claim_shift: np.ndarray | None = None  # (N, D) how far statements of each domain are off


def default_bank() -> Bank:
    return load_assessment().bank


def draw_visitors(
    n: int, rho: float, cuts: Sequence[float], seed: int, condition: Condition = CONDITIONS[0]
) -> Visitors:
    rng = np.random.default_rng(seed)
    g = rng.standard_normal(n)
    s = rng.standard_normal((n, len(DOMAIN_IDS)))
    rho = rho if condition.correlation is None else condition.correlation
    theta = condition.ability_mean + np.sqrt(rho) * g[:, None] + np.sqrt(1.0 - rho) * s
    levels = np.searchsorted(np.asarray(cuts), theta, side="right").astype(np.int8)
    style = rng.random(n)
    careless = style < condition.careless
    over = (style >= condition.careless) & (style < condition.careless + condition.over_claimers)
    shift = (rng.normal(0.0, condition.domain_claims, theta.shape)
             if condition.domain_claims else None)
    return Visitors(g + condition.ability_mean, theta, levels, careless, over, condition.not_sure,
                    shift)


def condition_models(
    items: Sequence[ScoredItem], condition: Condition, seed: int
) -> list[Model] | None:
    """The answering models of a condition; None: the bank's own."""
    if condition.parameters == "misfit":
        return perturbed_models(items, seed)
    if condition.parameters == "perturbed":
        return perturbed_models(items, seed, shift_sd=0.4, log_scale_sd=0.25)
    return None


def perturbed_models(
    items: Sequence[ScoredItem], seed: int, shift_sd: float = 0.3,
    log_scale_sd: float | None = None,
) -> list[Model]:
    """Answering models off the bank's: difficulties shifted by N(0, shift_sd), discriminations
    scaled by U(0.8, 1.2) or, given ``log_scale_sd``, by LogNormal(0, log_scale_sd)."""
    rng = np.random.default_rng(seed)
    out: list[Model] = []
    for item in items:
        shift = rng.normal(0.0, shift_sd)
        scale = rng.lognormal(0.0, log_scale_sd) if log_scale_sd else rng.uniform(0.8, 1.2)
        if isinstance(item, CanDoItem | ObservedItem):
            thresholds = tuple(b + shift for b in item.params.b)
            out.append(GradedResponse(item.params.a * scale, thresholds))
        else:
            p = item.params
            out.append(KnowsOrGuesses(p.a * scale, p.b + shift, p.c))
    return out


def answer_option(
    item: ScoredItem, model: Model, theta: float, rng: np.random.Generator,
    scale: Sequence[str],
) -> str:
    """Option id a visitor of ability ``theta`` picks, drawn from ``model``."""
    probs = model.probabilities(np.array(theta))
    category = int(rng.choice(probs.size, p=probs / probs.sum()))
    if isinstance(item, CanDoItem):
        return scale[category]
    if isinstance(item, ObservedItem):
        return OBSERVED_MARKS[category]
    if category == 1:
        return item.correct
    return next(o.id for o in item.options if o.id != item.correct)


def visitor_answer(
    visitors: Visitors, k: int, item: ScoredItem, model: Model, theta: float,
    rng: np.random.Generator, scale: Sequence[str],
) -> str:
    """What visitor ``k`` answers, with the condition's ways of not following the model. A
    mediator's mark on an observed task follows the task's model: the mediator watched."""
    if isinstance(item, ObservedItem):
        return answer_option(item, model, theta, rng, scale)
    if visitors.claim_shift is not None and isinstance(item, CanDoItem):
        theta += float(visitors.claim_shift[k, DOMAIN_IDS.index(item.domain)])
    if visitors.not_sure and rng.random() < visitors.not_sure:
        return DONT_KNOW
    options = list(scale) if isinstance(item, CanDoItem) else [o.id for o in item.options]
    if visitors.careless[k]:
        return options[int(rng.integers(len(options)))]
    option = answer_option(item, model, theta, rng, scale)
    if visitors.over_claimer[k] and isinstance(item, CanDoItem) and rng.random() < 0.5:
        return scale[min(scale.index(option) + 1, len(scale) - 1)]
    return option


@dataclass(frozen=True)
class Outcome:
    asked: int
    levels: np.ndarray  # (D,)
    ability: np.ndarray  # (D,) posterior means
    knowledge: int = 0  # knowledge checks among the questions asked
    claimed: int = -1  # index of the pathway the engine claims at the stop
    certainty: float = 0.0  # the probability it gives that pathway
    dont_know_share: float = 0.0
    uncertain: str = ""  # why the result is uncertain ("": it is not)
    stop: str = ""  # why the series stopped
    careless: float = 0.0  # the engine's probability that the answers were random

    @property
    def to_person(self) -> bool:
        """The result sends the visitor to a person, as uncertain."""
        return bool(self.uncertain)
    answers: tuple[tuple[int, int], ...] = ()  # (item, scored category), informative ones
    observed: int = 0  # observed tasks among the questions asked (guided sessions)


class Simulator:
    """Runs the engine and the fixed-form baselines for one bank, context and answering model."""

    def __init__(self, bank: Bank, context: dict[str, str], answer_models: list[Model] | None):
        self.bank = bank
        self.pool = ItemPool.from_bank(bank)
        self.router = Router(bank)
        self.context = context
        self.table = self.router.pathway_table(context)
        self.pathway_table = PathwayTable.build(self.table, len(self.router.pathway_ids))
        self.answer_models = answer_models or list(self.pool.models)
        self.scale = [o.id for o in bank.scale.options]

    def pathway(self, levels: np.ndarray, dont_know_share: float = 0.0,
                answered: int = 60) -> np.ndarray:
        """The pathway of each level vector for a visit with this share of "not sure"."""
        table = self.router.pathway_table(self.context, dont_know_share, answered)
        return table[vector_index(np.atleast_2d(levels))]

    def adaptive(self, visitors: Visitors, k: int, seed: int, guided: bool = False) -> Outcome:
        """Visitor ``k`` through the engine, alone or (``guided``) with a mediator."""
        rng = np.random.default_rng(seed + 1_000_003)
        theta = visitors.theta[k]
        session = AdaptiveSession(self.pool, self.router, self.context, seed=seed,
                                  guided=guided)
        while (item := session.current) is not None:
            i = self.pool.index[item.id]
            d = int(self.pool.domain_of[i])
            session.answer(visitor_answer(visitors, k, item, self.answer_models[i], theta[d],
                                          rng, self.scale))
        est = session.estimate()
        observed = sum(isinstance(self.bank.item(i), ObservedItem) for i, _ in session.answers)
        claims = np.array([est.pathway_probabilities[p] for p in self.router.pathway_ids])
        scored = [(self.pool.index[i], score(self.bank.item(i), o, self.scale))
                  for i, o in session.answers]
        return Outcome(
            session.asked,
            np.array([est.levels[d] for d in DOMAIN_IDS]),
            np.array([est.ability[d] for d in DOMAIN_IDS]),
            sum(isinstance(self.bank.item(i), KnowledgeItem) for i, _ in session.answers),
            int(claims.argmax()),
            float(claims.max()),
            est.dont_know_share,
            str(getattr(est, "uncertain", None) or ""),
            str(getattr(est, "stop", "")),
            float(getattr(est, "careless", 0.0)),
            tuple((i, r) for i, r in scored if r >= 0),
            observed,
        )

    def fixed(self, form: Sequence[int], visitors: Visitors, k: int, seed: int) -> Outcome:
        """The estimate after the items of ``form`` (pool indices), in that order."""
        rng = np.random.default_rng(seed + 2_000_003)
        theta = visitors.theta[k]
        pool = self.pool
        post = GridPosterior(pool.grid, len(DOMAIN_IDS), self.bank.engine.careless_share)
        dont_know = 0
        for i in form:
            item, d = pool.items[i], int(pool.domain_of[i])
            option = visitor_answer(visitors, k, item, self.answer_models[i], theta[d], rng,
                                    self.scale)
            dont_know += option == DONT_KNOW
            response = score(item, option, self.scale)
            if response != NO_INFORMATION:
                latent = pool.grid.latent(float(pool.bias_loading[i]))
                post.update(d, pool.models[i].log_likelihood(response, latent),
                            float(pool.careless_log_likelihood[i]))
        mean, _ = post.ability_mean_sd()
        share = dont_know / len(form)
        table = PathwayTable.cached(self.router.pathway_table(self.context, share, len(form)),
                                    len(self.router.pathway_ids))
        levels = decided_levels(post.level_vector_probabilities(), table)
        return Outcome(len(form), levels, mean, dont_know_share=share)

    def balanced_form(self, length: int) -> list[int]:
        """A fixed form: domains in turn, each time its most informative item over the prior."""
        eligible = self.pool.eligible(self.context)
        prior = np.exp(-0.5 * np.linspace(-4, 4, self.pool.information.shape[1]) ** 2)
        value = self.pool.information @ (prior / prior.sum())
        order = {
            d: [i for i in np.argsort(-value) if eligible[i] and self.pool.domain_of[i] == d]
            for d in range(len(DOMAIN_IDS))
        }
        form: list[int] = []
        while len(form) < length and any(order.values()):
            for d in range(len(DOMAIN_IDS)):
                if order[d] and len(form) < length:
                    form.append(int(order[d].pop(0)))
        return form

    def whole_bank(self) -> list[int]:
        return [int(i) for i in np.flatnonzero(self.pool.eligible(self.context))]


def as_models(items: Sequence[ScoredItem]) -> list[Model]:
    return [model_of(item) for item in items]


# -- the unidimensional comparison with catsim -----------------------------------------------


def dichotomised(items: Sequence[ScoredItem]) -> np.ndarray:
    """A 2PL version of the bank, (I, 2) columns a, b: a can-do statement becomes "does it
    alone or better" (its middle threshold), a knowledge check drops its guessing."""
    rows = [
        (item.params.a, item.params.b[1] if isinstance(item, CanDoItem) else item.params.b)
        for item in items
    ]
    return np.array(rows, dtype=float)


def two_pl(params: np.ndarray, theta: float | np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-params[:, 0] * (np.asarray(theta) - params[:, 1])))


def unidimensional_responses(params: np.ndarray, general: np.ndarray, seed: int) -> np.ndarray:
    """Every simulee's answer to every item, drawn once: (N, I) bool, shared by both engines."""
    rng = np.random.default_rng(seed)
    p = 1.0 / (1.0 + np.exp(-params[None, :, 0] * (general[:, None] - params[None, :, 1])))
    return rng.random(p.shape) < p


def engine_unidimensional(params: np.ndarray, responses: np.ndarray, length: int) -> np.ndarray:
    """The kiosk's estimator (exact posterior on a grid, EAP) with maximum expected information
    selection, on the 2PL bank: the engine's estimate after ``length`` answers, per simulee."""
    from kiosk.engine.prior import BifactorGrid

    grid = BifactorGrid.build(1.0, (-1.0, 0.0, 1.0), g_points=61, s_points=1)
    nodes = grid.theta[:, 0]
    models = [KnowsOrGuesses(a, b, 0.0) for a, b in params]
    info = np.stack([m.information(nodes) for m in models])  # (I, G)
    loglik = {r: np.stack([m.log_likelihood(r, grid.theta) for m in models]) for r in (0, 1)}
    estimates = np.empty(responses.shape[0])
    for n, answers in enumerate(responses):
        post = GridPosterior(grid, 1)
        open_items = np.ones(params.shape[0], dtype=bool)
        for _ in range(length):
            density = post.general()
            i = int(np.argmax(np.where(open_items, info @ density, -np.inf)))
            open_items[i] = False
            post.update(0, loglik[int(answers[i])][i])
        estimates[n] = float(post.general() @ nodes)
    return estimates


def catsim_unidimensional(
    params: np.ndarray, responses: np.ndarray, length: int
) -> tuple[np.ndarray, np.ndarray]:
    """catsim's own loop: ML estimate (Dodd's rule while all answers agree), maximum
    information selection, start at 0. Returns estimates and the seconds of every step."""
    from time import perf_counter

    from catsim.estimation import NumericalSearchEstimator
    from catsim.item_bank import ItemBank
    from catsim.selection import MaxInfoSelector

    bank = ItemBank(np.column_stack([params, np.zeros(len(params)), np.ones(len(params))]))
    selector, estimator = MaxInfoSelector(), NumericalSearchEstimator()
    estimates = np.empty(responses.shape[0])
    steps: list[float] = []
    for n, answers in enumerate(responses):
        administered: list[int] = []
        given: list[bool] = []
        theta = 0.0
        item = selector.select(item_bank=bank, administered_items=administered, est_theta=theta)
        for _ in range(length):
            assert item is not None
            administered.append(item)
            given.append(bool(answers[item]))
            start = perf_counter()
            theta = estimator.estimate(
                item_bank=bank, administered_items=administered, response_vector=given,
                est_theta=theta,
            )
            if len(administered) < len(params):
                item = selector.select(
                    item_bank=bank, administered_items=administered, est_theta=theta
                )
            steps.append(perf_counter() - start)
        estimates[n] = theta
    return estimates, np.array(steps)


def synthetic_bank(bank: Bank, size: int, seed: int) -> Bank:
    """A bank of ``size`` items made of perturbed copies of the bank's own items (same domains,
    kinds and skip rules), for speed measurements only."""
    rng = np.random.default_rng(seed)
    items: list[ScoredItem] = []
    for k in range(size):
        item = bank.items[k % len(bank.items)]
        shift, scale = float(rng.normal(0.0, 0.3)), float(rng.uniform(0.8, 1.2))
        if isinstance(item, CanDoItem):
            b = tuple(x + shift for x in item.params.b)
            params = item.params.model_copy(update={"a": item.params.a * scale, "b": b})
        else:
            params = item.params.model_copy(
                update={"a": item.params.a * scale, "b": item.params.b + shift}
            )
        items.append(item.model_copy(update={"id": f"{item.id}-{k}", "params": params}))
    return bank.model_copy(update={"items": items})


# -- whole visits: context questions and skill questions, as a visitor meets them ---------------

# Offers are ranked (and so the preferred form of help judged) on a Tuesday early afternoon.
VISIT_TIME = datetime(2026, 11, 24, 13, 0)
# The kiosk until now (questionnaire 1.1.0): every context question first (the six asked before
# the result now, and the reason for the visit and the age band, asked after it now), a
# pathway certainty of 0.8, no cap on the whole visit.
UNTIL_NOW = {"context": ContextSettings(ask_at=0.0, early_at=0.0), "pathway_certainty": 0.8,
             "max_total": None}


@dataclass(frozen=True)
class PopulationVisitors:
    """Visitors of ``kiosk.demo_data.Population``: their true abilities, language and context
    answers (equipment, e-mail... follow ability; the least at ease are older)."""

    visitors: Visitors
    languages: list[str]
    contexts: list[dict[str, str]]


@dataclass(frozen=True)
class VisitLength:
    total: int  # questions before the result, context included
    context: int  # context questions among them
    asked: tuple[str, ...]  # the context questions asked
    claimed: int  # index of the pathway the engine claims at the stop
    truth: int  # index of the true levels' pathway with every true context answer
    needs_right: bool  # the access needs shown are those of every true context answer
    general: float  # mean true ability: who is least at ease


def population_visitors(n: int, seed: int, condition: Condition = CONDITIONS[0],
                        cuts: Sequence[float] = (-1.0, 0.0, 1.0)) -> PopulationVisitors:
    """``n`` visitors of the population, answering as ``condition`` says (its correlation is
    the population's own)."""
    rng = np.random.default_rng(seed)
    population = Population()
    drawn = [population.draw(rng) for _ in range(n)]
    theta = np.stack([ability for _, _, ability in drawn]) + condition.ability_mean
    levels = np.searchsorted(np.asarray(cuts), theta, side="right").astype(np.int8)
    style = rng.random(n)
    careless = style < condition.careless
    over = (style >= condition.careless) & (style < condition.careless + condition.over_claimers)
    visitors = Visitors(theta.mean(axis=1), theta, levels, careless, over, condition.not_sure)
    return PopulationVisitors(visitors, [language for language, _, _ in drawn],
                              [context for _, context, _ in drawn])


def whole_visit(assessment: Assessment, people: PopulationVisitors, k: int, seed: int,
                answer_models: Sequence[Model] | None = None) -> VisitLength:
    """Visitor ``k`` through a real ``Visit``: context answers from their own, skill answers
    from ``answer_models`` (the bank's by default) with the condition's ways."""
    pool, bank = assessment.pool, assessment.bank
    models = answer_models or pool.models
    scale = [o.id for o in bank.scale.options]
    context, theta = people.contexts[k], people.visitors.theta[k]
    rng = np.random.default_rng(seed + 3_000_017)
    visit = Visit(assessment, people.languages[k], seed=seed, clock=lambda: 0.0,
                  now=lambda: VISIT_TIME)
    asked: list[str] = []
    while (question := visit.current) is not None:
        if question.kind == "context":
            asked.append(question.id)
            answer = context.get(question.id, DONT_KNOW)
            visit.answer(answer if answer in question.answers else DONT_KNOW)
            continue
        i = pool.index[question.id]
        visit.answer(visitor_answer(people.visitors, k, pool.items[i], models[i],
                                    float(theta[pool.domain_of[i]]), rng, scale))
    outcome = visit.outcome()
    estimate = outcome.estimate
    assert estimate is not None
    router = assessment.router
    known = {q.id: context[q.id] for q in bank.context
             if q.id in context and not q.after_result}
    truth = router.decide(dict(zip(DOMAIN_IDS, map(int, people.visitors.levels[k]), strict=True)),
                          known, "completed", estimate.dont_know_share, estimate.answered)
    claims = estimate.pathway_probabilities
    return VisitLength(
        total=visit.answered,
        context=len(asked),
        asked=tuple(asked),
        claimed=router.pathway_ids.index(max(claims, key=claims.__getitem__)),
        truth=router.pathway_ids.index(truth.pathway),
        needs_right=set(outcome.decision.needs) == set(truth.needs),
        general=float(people.visitors.general[k]),
    )


def until_now(assessment: Assessment) -> Assessment:
    """The same questionnaire as the kiosk asked it until now: every context question first."""
    bank = assessment.bank
    engine = bank.engine.model_copy(update=UNTIL_NOW)
    return Assessment.from_bank(bank.model_copy(update={"engine": engine}), assessment.site)
