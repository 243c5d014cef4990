"""The engine with visitors who do not answer as its model says: "not sure", answers that do not
fit together, series that cannot conclude, guessed item parameters, over-stated self-reports."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from kiosk.bank.model import Bank, CanDoItem, Estimated, KnowledgeItem
from kiosk.domain import DOMAIN_IDS, DONT_KNOW
from kiosk.engine.estimator import GridPosterior
from kiosk.engine.irt import Spread, model_of
from kiosk.engine.personfit import standardized_log_likelihood
from kiosk.engine.pool import ItemPool
from kiosk.engine.session import AdaptiveSession
from kiosk.engine.stopper import UNDECIDED
from kiosk.routing import Router
from kiosk.visit import load_assessment

CONTEXT = {"urgency": "no", "equipment": "phone_and_computer", "email": "yes",
           "digital_identity": "yes", "internet_home": "yes"}


@cache
def default() -> Bank:
    return load_assessment().bank


def engine(**settings: object) -> tuple[Bank, ItemPool, Router]:
    bank = default()
    if settings:
        bank = bank.model_copy(update={"engine": bank.engine.model_copy(update=settings)})
    return bank, ItemPool.from_bank(bank), Router(bank)


def answer_all(session: AdaptiveSession, choose) -> None:
    while (item := session.current) is not None:
        session.answer(choose(session.asked, item))


def at_level(level: int, bank: Bank):
    """A visitor who does everything at ``level``: statements at it, checks right from 2."""
    def choose(_: int, item: CanDoItem | KnowledgeItem) -> str:
        if isinstance(item, CanDoItem):
            return bank.scale.options[level].id
        return item.correct if level >= 2 else next(
            o.id for o in item.options if o.id != item.correct)
    return choose


def test_one_early_not_sure_neither_ends_the_series_nor_claims_orientation() -> None:
    """The visitor of the report: "alone" everywhere but a "not sure" at the second question.
    The pathway table once counted that answer before it was given (1 "not sure" out of 1:
    orientation for every level vector, certainty 1.0) and was never rebuilt."""
    bank, pool, router = engine()
    alone = at_level(2, bank)
    for seed in range(4):
        session = AdaptiveSession(pool, router, CONTEXT, seed=seed)
        answer_all(session, lambda n, item: DONT_KNOW if n == 1 else alone(n, item))
        estimate = session.estimate()
        assert estimate.pathway_probabilities["orientation"] == 0.0
        # What the engine claims is what the levels it shows lead to.
        shown = router.decide(estimate.levels, CONTEXT, "completed", estimate.dont_know_share,
                              estimate.answered)
        assert shown.pathway == estimate.likely_pathways()[0]
        assert not (session.stop == "settled" and session.asked == bank.engine.min_questions
                    and max(estimate.pathway_probabilities.values()) == 1.0)


@pytest.mark.parametrize("seed", range(4))
def test_the_claim_after_every_answer_counts_every_answer(seed: int) -> None:
    bank, pool, router = engine()
    rng = np.random.default_rng(seed)
    session = AdaptiveSession(pool, router, CONTEXT, seed=seed)
    while (item := session.current) is not None:
        options = [o.id for o in bank.scale.options] if isinstance(item, CanDoItem) else \
            [o.id for o in item.options]
        session.answer(DONT_KNOW if rng.random() < 0.4 else str(rng.choice(options)))
        table = router.pathway_table(CONTEXT, session.dont_know_share, session.asked)
        assert np.array_equal(session.snapshot().table.pathways, table)


def test_too_many_not_sure_counts_over_enough_answers_before_giving_up() -> None:
    bank, pool, router = engine()
    rule = next(r.when.dont_know for r in bank.routing if hasattr(r.when, "dont_know"))
    session = AdaptiveSession(pool, router, CONTEXT, seed=1)
    answer_all(session, lambda n, item: DONT_KNOW)
    # Other questions (other domains, knowledge checks) were tried first.
    assert session.asked == rule.answers >= 8
    assert {pool.items[pool.index[i]].domain for i, _ in session.answers} == set(DOMAIN_IDS)
    assert any(isinstance(bank.item(i), KnowledgeItem) for i, _ in session.answers)
    assert session.estimate().pathway_probabilities["orientation"] == pytest.approx(1.0)


def test_answers_at_random_are_marked_inconsistent_and_sent_to_a_person() -> None:
    bank, pool, router = engine()
    scale = [o.id for o in bank.scale.options]
    # Extremes that no single visitor gives: "not yet" and "could explain" in turn, and wrong
    # answers to the checks of the domains claimed best.
    flip = {"value": 0}

    def erratic(_: int, item: CanDoItem | KnowledgeItem) -> str:
        flip["value"] ^= 1
        if isinstance(item, CanDoItem):
            return scale[3 * flip["value"]]
        return next(o.id for o in item.options if o.id != item.correct)

    session = AdaptiveSession(pool, router, CONTEXT, seed=2)
    answer_all(session, erratic)
    estimate = session.estimate()
    assert estimate.careless >= bank.engine.inconsistent_at
    assert estimate.uncertain == "inconsistent"
    decision = router.decide(estimate.levels, CONTEXT, "completed", estimate.dont_know_share,
                             estimate.answered, estimate.uncertain)
    assert decision.pathway == "orientation"
    assert any("ne vont pas ensemble" in r.get("fr") for r in decision.reasons)
    assert any("do not fit together" in r.get("en") for r in decision.reasons)

    steady = AdaptiveSession(pool, router, CONTEXT, seed=2)
    answer_all(steady, at_level(3, bank))
    assert steady.estimate().careless < 0.05 and steady.estimate().uncertain is None


def test_a_series_that_cannot_conclude_stops_early_and_says_so() -> None:
    """A visitor who answers "alone" everywhere stands on the edge between "on your own" (at
    least alone everywhere) and "topic workshops" (one domain just below): each answer says
    ability about 0 to 1, and the cut is at 0. (At the bank's certainty of 0.72 the optimistic
    look-ahead still sees this visitor settle, and asks to the budget: the futility stop is
    shown at 0.8.)"""
    bank, pool, router = engine(pathway_certainty=0.8)
    stops = []
    for seed in range(6):
        session = AdaptiveSession(pool, router, CONTEXT, seed=seed)
        answer_all(session, at_level(2, bank))
        stops.append((session.stop, session.asked, session.estimate()))
    futile = [(asked, est) for stop, asked, est in stops if stop == UNDECIDED]
    assert futile, [s[:2] for s in stops]
    for asked, estimate in futile:
        assert asked < bank.engine.max_questions
        assert estimate.uncertain == "undecided"
        assert max(estimate.pathway_probabilities.values()) < bank.engine.pathway_certainty
        assert len(estimate.likely_pathways()) == 2
        decision = router.decide(estimate.levels, CONTEXT, "completed", 0.0, asked,
                                 estimate.uncertain)
        assert decision.pathway == "orientation"


def test_without_a_futility_stop_the_same_visitors_run_to_the_maximum() -> None:
    bank, pool, router = engine(futility=0.0)
    session = AdaptiveSession(pool, router, CONTEXT, seed=0)
    answer_all(session, at_level(2, bank))
    assert session.stop == "max_questions"
    assert session.estimate().uncertain is None


def test_guessed_parameters_count_for_less_than_estimated_ones() -> None:
    bank = default()
    item = next(i for i in bank.items if isinstance(i, CanDoItem))
    theta = np.linspace(-3, 3, 61)
    exact = model_of(item)
    guessed = model_of(item, bank.engine.expert_uncertainty.model_copy(
        update={"log_a": 0.3, "b": 0.5}))
    estimated = item.model_copy(update={"params": item.params.model_copy(update={
        "estimated": Estimated(answers=900, se_a=0.05, se_b=0.04)})})
    sure = model_of(estimated, bank.engine.expert_uncertainty)
    assert guessed.information(theta).max() < sure.information(theta).max()
    assert sure.information(theta).max() < exact.information(theta).max()
    assert sure.information(theta).max() > 0.95 * exact.information(theta).max()
    # The probabilities stay a distribution, and far from the items the curves barely move.
    assert guessed.probabilities(theta).sum(axis=0) == pytest.approx(1.0)
    assert Spread(0.3, 0.5).averaged_logistic(2.0, np.array([0.0]), 0.0) == pytest.approx(0.5)


def test_the_same_answers_leave_a_wider_posterior_under_guessed_parameters() -> None:
    bank = default()
    widths = []
    for expert in ({"log_a": 0.0, "b": 0.0}, {"log_a": 0.3, "b": 0.5}):
        changed = bank.model_copy(update={"engine": bank.engine.model_copy(update={
            "expert_uncertainty": bank.engine.expert_uncertainty.model_copy(update=expert)})})
        pool = ItemPool.from_bank(changed)
        post = GridPosterior(pool.grid, len(DOMAIN_IDS))
        for i, item in enumerate(pool.items[:12]):
            if isinstance(item, CanDoItem):
                latent = pool.grid.latent(float(pool.bias_loading[i]))
                post.update(int(pool.domain_of[i]), pool.models[i].log_likelihood(2, latent))
        widths.append(post.ability_mean_sd()[1])
    assert np.all(widths[1] > widths[0])


def test_a_knowledge_check_is_chosen_when_self_reports_are_in_doubt() -> None:
    """With self-reports strongly in doubt (a wide bias), once every domain has a statement the
    best next question is a knowledge check; with self-reports trusted it is a statement."""
    for bias, wanted in ((1.2, True), (0.0, False)):
        bank, pool, router = engine(self_assessment_bias=bias, choose_among=1)
        session = AdaptiveSession(pool, router, CONTEXT, seed=0)
        scale = [o.id for o in bank.scale.options]
        while session.asked < len(DOMAIN_IDS):
            item = session.current
            assert item is not None
            session.answer(scale[2] if isinstance(item, CanDoItem) else item.correct)
        scores = session.selector.scores(session.snapshot(), pool)
        scores[~session.snapshot().open_items] = -np.inf
        assert bool(pool.knowledge[int(np.argmax(scores))]) is wanted


def test_over_stated_self_reports_are_tempered_by_wrong_knowledge_checks() -> None:
    """The same "could explain" statements, then the domain's knowledge checks answered wrong:
    with a self-assessment bias in the model the wrong answers pull the levels further down."""
    drops = []
    for bias in (0.0, 0.5):
        _, pool, _ = engine(self_assessment_bias=bias)
        post = GridPosterior(pool.grid, len(DOMAIN_IDS))
        for i, item in enumerate(pool.items):
            if isinstance(item, CanDoItem) and item.domain == "safety":
                post.update(int(pool.domain_of[i]),
                            pool.models[i].log_likelihood(3, pool.grid.latent(1.0)))
        before = post.ability_mean_sd()[0]
        for i, item in enumerate(pool.items):
            if isinstance(item, KnowledgeItem):
                post.update(int(pool.domain_of[i]),
                            pool.models[i].log_likelihood(0, pool.grid.latent(0.0)))
        drops.append(float((before - post.ability_mean_sd()[0]).mean()))
    assert drops[1] > drops[0] > 0


def test_person_fit_is_standard_normal_for_answers_that_follow_the_models() -> None:
    bank = default()
    models = [model_of(item) for item in bank.items]
    rng = np.random.default_rng(5)
    values = []
    for _ in range(400):
        theta = rng.normal()
        responses = []
        for model in models:
            probs = model.probabilities(np.array(theta))
            responses.append(int(rng.choice(probs.size, p=probs / probs.sum())))
        values.append(standardized_log_likelihood(models, responses, [theta] * len(models)))
    assert abs(np.mean(values)) < 0.15
    assert 0.85 < np.std(values) < 1.15
    assert standardized_log_likelihood(models[:2], [0, 1], [0.0, 0.0]) is None
