"""Item response models: how likely each answer is at a given ability, and how much it tells.

- Can-do statements: Samejima's graded response model (four ordered answers). They are
  self-reports: they follow the visitor's ability plus their whole self-assessment bias.
- Knowledge checks: the three-parameter logistic model, read as "knows, or else guesses".
  "Je ne sais pas" on a knowledge check is the visitor declaring that they do not know and
  chose not to guess, so its likelihood is ``1 - P*(θ)``: the "does not know" part of the model,
  without the guessing that a wrong answer also contains. It is deliberately not coded as a wrong
  answer (which would give it the guessing term) nor ignored (which would reward not answering).
- "Je ne sais pas" on a can-do statement carries no information about ability: it is ignored by
  the estimate and counted only for the orientation rule.
- Observed tasks (guided sessions only): the graded response model on the mediator's three
  marks (not done, done with help, done alone). The mediator watched: the mark follows ability
  alone, without the visitor's self-assessment bias, and "not tried" tells nothing.

Item parameters are uncertain (an expert's guess, or an estimate with its standard error). For
one visitor every item is answered once, so the exact likelihood of an answer is the model
averaged over that item's parameter uncertainty; each logit ``a(θ - b)`` is averaged with the
probit approximation ``E σ(x) ≈ σ(m / √(1 + π v / 8))``, ``v`` the logit's variance. A
guessed item therefore counts for less than a well-estimated one.

Each item kind (``ITEM_KINDS``) says which model reads it, how an answer is scored, and how much
of the visitor's self-assessment bias its answers carry (1 for a self-report, 0 for a question
with a right answer or a task a mediator watches), and whether only a guided session asks it. A
new kind of item is one more entry there.

All functions take ability as a numpy array of any shape and return arrays of that shape.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from kiosk.bank.model import (
    OBSERVED_MARKS,
    CanDoItem,
    ExpertUncertainty,
    KnowledgeItem,
    ObservedItem,
    ScoredItem,
)
from kiosk.domain import DONT_KNOW

# Responses: a category 0..3 for can-do, 1/0 for knowledge, or one of these markers.
Response = int
NO_INFORMATION = -1
DECLARED_UNKNOWN = -2


def _logistic(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


@dataclass(frozen=True)
class Spread:
    """Standard deviations of an item's parameters: of log a, and of its difficulties."""

    log_a: float = 0.0
    b: float = 0.0

    def averaged_logistic(self, a: float, theta: np.ndarray, b: float) -> np.ndarray:
        """σ(a(θ - b)) averaged over the parameters' uncertainty."""
        logit = a * (theta - b)
        if not (self.log_a or self.b):
            return _logistic(logit)
        variance = a * a * self.b**2 + logit**2 * self.log_a**2
        return _logistic(logit / np.sqrt(1.0 + np.pi * variance / 8.0))


EXACT = Spread()


class ItemModel(Protocol):
    def log_likelihood(self, response: Response, theta: np.ndarray) -> np.ndarray: ...

    def probabilities(self, theta: np.ndarray) -> np.ndarray:
        """Probability of each scored response, stacked on a new first axis."""
        ...


def information(model: ItemModel, theta: np.ndarray, h: float = 1e-4) -> np.ndarray:
    """Fisher information ``Σ_k P_k'(θ)² / P_k(θ)`` of any item model, by central differences
    (so every model, whatever its curves, is scored the same way)."""
    slope = (model.probabilities(theta + h) - model.probabilities(theta - h)) / (2 * h)
    return np.sum(slope**2 / model.probabilities(theta), axis=0)


@dataclass(frozen=True)
class GradedResponse:
    a: float
    b: tuple[float, ...]
    spread: Spread = EXACT

    def _cumulative(self, theta: np.ndarray, k: int) -> np.ndarray | float:
        """P(X >= k), with P(X >= 0) = 1 and P(X >= K+1) = 0."""
        if k <= 0:
            return 1.0
        if k > len(self.b):
            return 0.0
        return self.spread.averaged_logistic(self.a, theta, self.b[k - 1])

    def probabilities(self, theta: np.ndarray) -> np.ndarray:
        cum = [np.broadcast_to(self._cumulative(theta, k), np.shape(theta))
               for k in range(len(self.b) + 2)]
        stacked = np.stack(cum)
        return np.clip(stacked[:-1] - stacked[1:], 1e-12, 1.0)

    def log_likelihood(self, response: Response, theta: np.ndarray) -> np.ndarray:
        if response == NO_INFORMATION:
            return np.zeros_like(theta)
        upper = self._cumulative(theta, response)
        lower = self._cumulative(theta, response + 1)
        return np.log(np.clip(upper - lower, 1e-12, 1.0))

    def information(self, theta: np.ndarray) -> np.ndarray:
        return information(self, theta)


@dataclass(frozen=True)
class KnowsOrGuesses:
    a: float
    b: float
    c: float
    spread: Spread = EXACT

    def knows(self, theta: np.ndarray) -> np.ndarray:
        return self.spread.averaged_logistic(self.a, theta, self.b)

    def probabilities(self, theta: np.ndarray) -> np.ndarray:
        right = self.c + (1.0 - self.c) * self.knows(theta)
        return np.stack([1.0 - right, right])

    def log_likelihood(self, response: Response, theta: np.ndarray) -> np.ndarray:
        knows = self.knows(theta)
        # Wrong and declared-unknown have the same shape in theta: (1 - P*).
        p = self.c + (1.0 - self.c) * knows if response == 1 else 1.0 - knows
        return np.log(np.clip(p, 1e-12, 1.0))

    def information(self, theta: np.ndarray) -> np.ndarray:
        return information(self, theta)


# -- item kinds ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemKind:
    """How the engine reads one kind of item."""

    model: Callable[[ScoredItem, Spread], ItemModel]
    score: Callable[[ScoredItem, str, Sequence[str]], Response]
    bias_loading: float  # share of the self-assessment bias in what the answer follows
    guided_only: bool = False  # asked only in a mediator's guided session
    # The visitor's own answer: its "je ne sais pas" counts towards the "too many not sure"
    # rule, and a careless visitor could have given it at random.
    by_visitor: bool = True


def _graded_model(item: ScoredItem, spread: Spread) -> ItemModel:
    assert isinstance(item, CanDoItem | ObservedItem)
    return GradedResponse(item.params.a, tuple(item.params.b), spread)


def _knowledge_model(item: ScoredItem, spread: Spread) -> ItemModel:
    assert isinstance(item, KnowledgeItem)
    p = item.params
    return KnowsOrGuesses(p.a, p.b, p.c, spread)


def _can_do_score(item: ScoredItem, option_id: str, scale: Sequence[str]) -> Response:
    return NO_INFORMATION if option_id == DONT_KNOW else list(scale).index(option_id)


def _observed_score(item: ScoredItem, option_id: str, scale: Sequence[str]) -> Response:
    return NO_INFORMATION if option_id == DONT_KNOW else OBSERVED_MARKS.index(option_id)


def _knowledge_score(item: ScoredItem, option_id: str, scale: Sequence[str]) -> Response:
    assert isinstance(item, KnowledgeItem)
    if option_id == DONT_KNOW:
        return DECLARED_UNKNOWN
    return int(option_id == item.correct)


ITEM_KINDS: dict[str, ItemKind] = {
    "can_do": ItemKind(_graded_model, _can_do_score, 1.0),
    "knowledge": ItemKind(_knowledge_model, _knowledge_score, 0.0),
    "observed": ItemKind(_graded_model, _observed_score, 0.0, guided_only=True, by_visitor=False),
}


def spread_of(item: ScoredItem, expert: ExpertUncertainty | None = None) -> Spread:
    """The uncertainty of an item's parameters: its estimate's standard errors, or the bank's
    expert-guess uncertainty (none when ``expert`` is None: the parameters taken as exact)."""
    estimated = item.params.estimated
    if estimated is not None:
        return Spread(estimated.se_a / item.params.a, estimated.se_b)
    return EXACT if expert is None else Spread(expert.log_a, expert.b)


def model_of(item: ScoredItem, expert: ExpertUncertainty | None = None) -> ItemModel:
    return ITEM_KINDS[item.kind].model(item, spread_of(item, expert))


def score(item: ScoredItem, option_id: str, scale: Sequence[str]) -> Response:
    """The scored response for an answer option id."""
    return ITEM_KINDS[item.kind].score(item, option_id, scale)
