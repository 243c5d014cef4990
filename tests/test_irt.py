"""Item models against hand-computed values, and information against its definition."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.bank.model import Bank, CanDoItem, KnowledgeItem
from kiosk.domain import DONT_KNOW
from kiosk.engine.irt import (
    DECLARED_UNKNOWN,
    NO_INFORMATION,
    GradedResponse,
    KnowsOrGuesses,
    score,
)

ZERO = np.array(0.0)


def test_graded_response_probabilities_by_hand() -> None:
    # a = 1, b = (-1, 0, 1) at θ = 0: P(X ≥ 1) = σ(1), P(X ≥ 2) = σ(0), P(X ≥ 3) = σ(-1).
    s1, s0 = 1 / (1 + np.exp(-1)), 0.5
    expected = [1 - s1, s1 - s0, s0 - (1 - s1), 1 - s1]
    model = GradedResponse(1.0, (-1.0, 0.0, 1.0))
    assert model.probabilities(ZERO) == pytest.approx(expected)
    for k in range(4):
        assert model.log_likelihood(k, ZERO) == pytest.approx(np.log(expected[k]))


def test_graded_response_information_by_hand() -> None:
    # Slopes of P(X ≥ k) at θ = 0 are a·P(1-P): 0.19661, 0.25, 0.19661; category slopes are
    # their differences, information is Σ slope² / P = 2·(0.19661²/0.26894 + 0.05339²/0.23106).
    model = GradedResponse(1.0, (-1.0, 0.0, 1.0))
    assert float(model.information(ZERO)) == pytest.approx(0.31217, abs=1e-4)


def test_knows_or_guesses_by_hand() -> None:
    # a = 1.5, b = 0, c = 0.2 at θ = 0: P* = 0.5, P(right) = 0.2 + 0.8·0.5 = 0.6;
    # information = (0.8·1.5·0.25)² / (0.6·0.4) = 0.375.
    model = KnowsOrGuesses(1.5, 0.0, 0.2)
    assert model.probabilities(ZERO) == pytest.approx([0.4, 0.6])
    assert float(model.information(ZERO)) == pytest.approx(0.375)
    assert float(model.log_likelihood(1, ZERO)) == pytest.approx(np.log(0.6))


def test_dont_know_on_a_knowledge_check_is_not_a_guessed_wrong_answer() -> None:
    model = KnowsOrGuesses(1.5, 0.0, 0.2)
    theta = np.linspace(-3, 3, 7)
    declared = model.log_likelihood(DECLARED_UNKNOWN, theta)
    # "Does not know" has likelihood 1 - P*: no guessing term, so it is not P(wrong).
    assert np.exp(declared) == pytest.approx(1 - 1 / (1 + np.exp(-1.5 * theta)))
    assert not np.allclose(np.exp(declared), model.probabilities(theta)[0])


def test_scoring_of_answers(bank: Bank) -> None:
    scale = [o.id for o in bank.scale.options]
    can_do = next(i for i in bank.items if isinstance(i, CanDoItem))
    check = next(i for i in bank.items if isinstance(i, KnowledgeItem))
    wrong = next(o.id for o in check.options if o.id != check.correct)
    assert [score(can_do, o, scale) for o in scale] == [0, 1, 2, 3]
    assert score(can_do, DONT_KNOW, scale) == NO_INFORMATION
    assert score(check, check.correct, scale) == 1
    assert score(check, wrong, scale) == 0
    assert score(check, DONT_KNOW, scale) == DECLARED_UNKNOWN
    assert np.all(GradedResponse(1.0, (-1.0, 0.0, 1.0)).log_likelihood(NO_INFORMATION, ZERO) == 0)


def _fisher_by_differences(probabilities, theta: float) -> float:
    h = 1e-5
    slope = (probabilities(np.array(theta + h)) - probabilities(np.array(theta - h))) / (2 * h)
    return float(np.sum(slope**2 / probabilities(np.array(theta))))


@settings(max_examples=60, deadline=None)
@given(
    a=st.floats(0.3, 3.0),
    b1=st.floats(-2.5, 1.0),
    gaps=st.tuples(st.floats(0.2, 1.5), st.floats(0.2, 1.5)),
    c=st.floats(0.0, 0.4),
    theta=st.floats(-3.0, 3.0),
)
def test_information_is_fisher_information(a, b1, gaps, c, theta) -> None:
    grm = GradedResponse(a, (b1, b1 + gaps[0], b1 + gaps[0] + gaps[1]))
    three = KnowsOrGuesses(a, b1, c)
    for model in (grm, three):
        assert float(model.information(np.array(theta))) == pytest.approx(
            _fisher_by_differences(model.probabilities, theta), rel=1e-4, abs=1e-8
        )
        assert float(model.probabilities(np.array(theta)).sum()) == pytest.approx(1.0)
