"""Item response models: how likely each answer is at a given ability, and how much it tells.

- Can-do statements: Samejima's graded response model (four ordered answers).
- Knowledge checks: the three-parameter logistic model, read as "knows, or else guesses".
  "Je ne sais pas" on a knowledge check is the visitor declaring that they do not know and
  chose not to guess, so its likelihood is ``1 - P*(θ)``: the "does not know" part of the model,
  without the guessing that a wrong answer also contains. It is deliberately not coded as a wrong
  answer (which would give it the guessing term) nor ignored (which would reward not answering).
- "Je ne sais pas" on a can-do statement carries no information about ability: it is ignored by
  the estimate and counted only for the orientation rule.

All functions take ability as a numpy array of any shape and return arrays of that shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from kiosk.bank.model import CanDoItem, KnowledgeItem
from kiosk.domain import DONT_KNOW

# Responses: a category 0..3 for can-do, 1/0 for knowledge, or one of these markers.
Response = int
NO_INFORMATION = -1
DECLARED_UNKNOWN = -2


def _logistic(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


class ItemModel(Protocol):
    def log_likelihood(self, response: Response, theta: np.ndarray) -> np.ndarray: ...

    def information(self, theta: np.ndarray) -> np.ndarray: ...

    def probabilities(self, theta: np.ndarray) -> np.ndarray:
        """Probability of each scored response, stacked on a new first axis."""
        ...


@dataclass(frozen=True)
class GradedResponse:
    a: float
    b: tuple[float, ...]

    def _cumulative(self, theta: np.ndarray) -> np.ndarray:
        """P(X >= k) for k = 0..K, with P(X >= 0) = 1 and P(X >= K+1) = 0."""
        inner = [_logistic(self.a * (theta - bk)) for bk in self.b]
        return np.stack([np.ones_like(theta), *inner, np.zeros_like(theta)])

    def probabilities(self, theta: np.ndarray) -> np.ndarray:
        cum = self._cumulative(theta)
        return np.clip(cum[:-1] - cum[1:], 1e-12, 1.0)

    def log_likelihood(self, response: Response, theta: np.ndarray) -> np.ndarray:
        if response == NO_INFORMATION:
            return np.zeros_like(theta)
        upper = _logistic(self.a * (theta - self.b[response - 1])) if response > 0 else 1.0
        lower = _logistic(self.a * (theta - self.b[response])) if response < len(self.b) else 0.0
        return np.log(np.clip(upper - lower, 1e-12, 1.0))

    def information(self, theta: np.ndarray) -> np.ndarray:
        cum = self._cumulative(theta)
        slope = self.a * cum * (1.0 - cum)
        prob = np.clip(cum[:-1] - cum[1:], 1e-12, 1.0)
        return np.sum((slope[:-1] - slope[1:]) ** 2 / prob, axis=0)


@dataclass(frozen=True)
class KnowsOrGuesses:
    a: float
    b: float
    c: float

    def knows(self, theta: np.ndarray) -> np.ndarray:
        return _logistic(self.a * (theta - self.b))

    def probabilities(self, theta: np.ndarray) -> np.ndarray:
        right = self.c + (1.0 - self.c) * self.knows(theta)
        return np.stack([1.0 - right, right])

    def log_likelihood(self, response: Response, theta: np.ndarray) -> np.ndarray:
        knows = self.knows(theta)
        # Wrong and declared-unknown have the same shape in theta: (1 - P*).
        p = self.c + (1.0 - self.c) * knows if response == 1 else 1.0 - knows
        return np.log(np.clip(p, 1e-12, 1.0))

    def information(self, theta: np.ndarray) -> np.ndarray:
        knows = self.knows(theta)
        right = np.clip(self.c + (1.0 - self.c) * knows, 1e-12, 1.0)
        slope = (1.0 - self.c) * self.a * knows * (1.0 - knows)
        return slope**2 / (right * np.clip(1.0 - right, 1e-12, 1.0))


def model_of(item: CanDoItem | KnowledgeItem) -> ItemModel:
    if isinstance(item, CanDoItem):
        return GradedResponse(item.params.a, tuple(item.params.b))
    return KnowsOrGuesses(item.params.a, item.params.b, item.params.c)


def score(item: CanDoItem | KnowledgeItem, option_id: str, scale: list[str]) -> Response:
    """The scored response for an answer option id."""
    if isinstance(item, CanDoItem):
        return NO_INFORMATION if option_id == DONT_KNOW else scale.index(option_id)
    if option_id == DONT_KNOW:
        return DECLARED_UNKNOWN
    return int(option_id == item.correct)
