"""The adaptive engine: exact posterior, decisions, stopping, skip rules, determinism, and
seeded simulations with loose accuracy floors."""

from __future__ import annotations

from itertools import product

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.bank.model import Bank, CanDoItem
from kiosk.domain import DOMAIN_IDS, DONT_KNOW
from kiosk.engine.estimator import GridPosterior
from kiosk.engine.irt import GradedResponse, KnowsOrGuesses
from kiosk.engine.pool import ItemPool
from kiosk.engine.prior import BifactorGrid
from kiosk.engine.session import AdaptiveSession
from kiosk.level_vectors import ALL_LEVEL_VECTORS, vector_index
from kiosk.routing import Router
from kiosk.visit import Assessment

CONTEXT = {"urgency": "no", "equipment": "phone_and_computer", "email": "yes",
           "digital_identity": "yes", "internet_home": "yes"}


def test_posterior_matches_brute_force_enumeration() -> None:
    """Domains, self-assessment bias and the careless-visitor mixture, against a sum over every
    node of the full grid (person node x one specific node per domain)."""
    grid = BifactorGrid.build(0.6, (-1.0, 0.0, 1.0), bias_sd=0.5, g_points=5, s_points=3,
                              bias_points=2, span=2.5)
    # (domain, model, response, bias loading, log-likelihood of a random answer); the 0.4 is a
    # kind of answer carrying part of the bias (as a mediator's observation might).
    answers = [
        (0, GradedResponse(1.5, (-1.0, 0.0, 1.0)), 2, 1.0, np.log(1 / 4)),
        (0, KnowsOrGuesses(1.2, 0.3, 0.2), 0, 0.0, np.log(1 / 3)),
        (3, GradedResponse(1.1, (-0.5, 0.2, 1.4)), 3, 1.0, np.log(1 / 4)),
        (5, KnowsOrGuesses(0.9, -0.4, 0.0), 1, 0.0, np.log(1 / 3)),
        (5, GradedResponse(1.3, (-0.2, 0.4)), 1, 0.4, np.log(1 / 3)),
    ]
    careless_share = 0.2
    post = GridPosterior(grid, len(DOMAIN_IDS), careless_share)
    for domain, model, response, loading, random in answers:
        post.update(domain, model.log_likelihood(response, grid.latent(loading)), random)

    brute = np.zeros(4 ** len(DOMAIN_IDS))
    prior_vectors = np.zeros(4 ** len(DOMAIN_IDS))
    moments = np.zeros((len(DOMAIN_IDS) + 1, len(DOMAIN_IDS) + 1))
    first = np.zeros(len(DOMAIN_IDS) + 1)
    prior_p, prior_s = np.exp(grid.log_prior_person), np.exp(grid.log_prior_s)
    for p in range(grid.g.size):
        for s_idx in product(range(grid.s.size), repeat=len(DOMAIN_IDS)):
            prior = prior_p[p] * np.prod(prior_s[list(s_idx)])
            weight = prior
            for domain, model, response, loading, _ in answers:
                weight *= np.exp(model.log_likelihood(
                    response, grid.latent(loading)[p, s_idx[domain]]))
            index = vector_index(np.array([[grid.level[p, s] for s in s_idx]]))[0]
            brute[index] += weight
            prior_vectors[index] += prior
            values = np.array([*(grid.theta[p, s] for s in s_idx), grid.bias[p]])
            first += weight * values
            moments += weight * np.outer(values, values)
    evidence = brute.sum()
    random = np.exp(sum(a[4] for a in answers))
    careless = careless_share * random / (careless_share * random
                                          + (1 - careless_share) * evidence)
    assert post.careless_probability() == pytest.approx(careless)
    expected = (1 - careless) * brute / evidence + careless * prior_vectors
    assert post.level_vector_probabilities() == pytest.approx(expected, abs=1e-12)
    marginal = np.stack([np.bincount(ALL_LEVEL_VECTORS[:, d], weights=expected, minlength=4)
                         for d in range(len(DOMAIN_IDS))])
    assert post.level_probabilities() == pytest.approx(marginal)
    mean = first / evidence
    assert post.covariance() == pytest.approx(moments / evidence - np.outer(mean, mean), abs=1e-9)


def test_an_answer_in_one_domain_moves_the_others(assessment: Assessment) -> None:
    bank = assessment.bank
    session = AdaptiveSession(assessment.pool, assessment.router, CONTEXT, seed=1)
    before = session.estimate().ability
    asked = session.current
    assert asked is not None
    best = bank.scale.options[-1].id if isinstance(asked, CanDoItem) else asked.correct
    session.answer(best)
    after = session.estimate().ability
    assert all(after[d] > before[d] for d in DOMAIN_IDS)


def answer_from(bank: Bank, item, theta: float, rng: np.random.Generator) -> str:
    model = GradedResponse(item.params.a, tuple(item.params.b)) if isinstance(item, CanDoItem) \
        else KnowsOrGuesses(item.params.a, item.params.b, item.params.c)
    probs = model.probabilities(np.array(theta))
    k = int(rng.choice(probs.size, p=probs / probs.sum()))
    if isinstance(item, CanDoItem):
        return bank.scale.options[k].id
    return item.correct if k == 1 else next(o.id for o in item.options if o.id != item.correct)


def simulate(
    assessment: Assessment, seed: int, theta: np.ndarray, context: dict[str, str]
) -> AdaptiveSession:
    rng = np.random.default_rng(seed)
    session = AdaptiveSession(assessment.pool, assessment.router, context, seed=seed)
    while (item := session.current) is not None:
        answer = answer_from(assessment.bank, item, theta[DOMAIN_IDS.index(item.domain)], rng)
        session.answer(answer)
    return session


def test_seeded_simulation_classifies_with_loose_floors(assessment: Assessment) -> None:
    bank, router = assessment.bank, assessment.router
    rng = np.random.default_rng(2026)
    visitors = 80
    rho = bank.engine.domain_correlation
    theta = np.sqrt(rho) * rng.standard_normal((visitors, 1)) + np.sqrt(1 - rho) * \
        rng.standard_normal((visitors, len(DOMAIN_IDS)))
    truth = np.searchsorted(bank.engine.level_cuts, theta, side="right")
    table = router.pathway_table(CONTEXT)
    asked, agree, within = [], 0, 0
    for k in range(visitors):
        session = simulate(assessment, k, theta[k], CONTEXT)
        levels = np.array([session.estimate().levels[d] for d in DOMAIN_IDS])
        asked.append(session.asked)
        agree += table[vector_index(levels[None])[0]] == table[vector_index(truth[k][None])[0]]
        within += int(np.sum(np.abs(levels - truth[k]) <= 1))
    # Floors well below the benchmark's figures (about 79 % and 99.2 %, median 8).
    assert agree / visitors >= 0.55
    assert within / (visitors * len(DOMAIN_IDS)) >= 0.95
    assert bank.engine.min_questions <= min(asked) and max(asked) <= bank.engine.max_questions
    assert np.median(asked) <= 12


def test_same_seed_same_series_and_exposure_varies_across_seeds(assessment: Assessment) -> None:
    theta = np.zeros(len(DOMAIN_IDS))
    first = simulate(assessment, 5, theta, CONTEXT).answers
    assert simulate(assessment, 5, theta, CONTEXT).answers == first
    openings = {simulate(assessment, seed, theta, CONTEXT).answers[0][0] for seed in range(12)}
    assert len(openings) > 1  # the first question is drawn among the best few, not fixed


def test_skip_rules_hold_and_every_domain_is_visited_first(assessment: Assessment) -> None:
    bank, pool = assessment.bank, assessment.pool
    phone_only = {**CONTEXT, "equipment": "phone_only", "digital_identity": "no"}
    skipped = {i.id for i, ok in zip(pool.items, pool.eligible(phone_only), strict=True) if not ok}
    assert skipped
    for seed in range(6):
        session = simulate(assessment, seed, np.full(len(DOMAIN_IDS), 0.3), phone_only)
        asked = [item_id for item_id, _ in session.answers]
        assert not skipped & set(asked)
        first_six = [bank.item(i).domain for i in asked[: len(DOMAIN_IDS)]]
        assert sorted(first_six) == sorted(DOMAIN_IDS)


def test_decided_levels_route_to_the_most_probable_pathway(assessment: Assessment) -> None:
    session = simulate(assessment, 3, np.array([0.2, -0.1, 0.4, 0.0, -0.3, 0.1]), CONTEXT)
    estimate = session.estimate()
    decision = assessment.router.decide(estimate.levels, CONTEXT)
    best = max(estimate.pathway_probabilities, key=estimate.pathway_probabilities.__getitem__)
    assert decision.pathway == best
    assert sum(estimate.pathway_probabilities.values()) == pytest.approx(1.0)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 5), max_size=40), st.integers(0, 2**32 - 1),
       st.sampled_from(["no", "today"]))
def test_no_answer_sequence_crashes_or_runs_too_long(
    assessment: Assessment, choices, seed, urgency
) -> None:
    bank = assessment.bank
    session = AdaptiveSession(assessment.pool, assessment.router, {**CONTEXT, "urgency": urgency},
                              seed=seed)
    for choice in choices:
        item = session.current
        if item is None:
            break
        options = item.answer_ids(bank.scale)
        session.answer(options[choice % len(options)])
    assert session.asked <= bank.engine.max_questions
    assert session.finished == (session.current is None)
    estimate = session.estimate()
    assert set(estimate.levels) == set(DOMAIN_IDS)
    assert 0.0 <= estimate.dont_know_share <= 1.0
    fewest, most = session.remaining()
    assert 0 <= fewest <= most <= bank.engine.max_questions - session.asked
    if session.finished:
        with pytest.raises(RuntimeError):
            session.answer(DONT_KNOW)


def with_engine(bank: Bank, **changes) -> tuple[ItemPool, Router]:
    changed = bank.model_copy(update={"engine": bank.engine.model_copy(update=changes)})
    return ItemPool.from_bank(changed), Router(changed)


@pytest.mark.parametrize("required", [1, 2])
def test_required_knowledge_checks_come_before_the_series_may_stop(
    bank: Bank, required: int
) -> None:
    pool, router = with_engine(bank, knowledge_checks=required)
    knowledge = {item.id for item in bank.items if item.kind == "knowledge"}
    rng = np.random.default_rng(required)
    for seed in range(8):
        theta = rng.normal(0.0, 1.0, len(DOMAIN_IDS))
        session = AdaptiveSession(pool, router, CONTEXT, seed=seed)
        while (item := session.current) is not None:
            session.answer(answer_from(bank, item, theta[DOMAIN_IDS.index(item.domain)], rng))
        early = [i for i, _ in session.answers[: bank.engine.min_questions]]
        assert len(knowledge & set(early)) >= required


def test_more_required_knowledge_checks_than_min_questions_is_an_error(bank: Bank) -> None:
    with pytest.raises(ValueError, match="knowledge_checks"):
        type(bank.engine).model_validate({**bank.engine.model_dump(), "knowledge_checks": 7,
                                          "min_questions": 6})
