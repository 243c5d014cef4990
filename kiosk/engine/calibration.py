"""Re-estimating item parameters from stored anonymised answers (marginal maximum likelihood).

Each domain is calibrated on its own, unidimensionally, with a standard normal ability: under
the bank's bifactor prior every domain ability is marginally N(0, 1), so the scale stays the
bank's. EM on a fixed quadrature grid (Bock and Aitkin): the E-step gives each visitor's
posterior over the nodes under the current parameters; the M-step maximises, item by item, the
expected log-likelihood of the expected answer counts at each node. The likelihoods are the
engine's own (``kiosk.engine.irt``), so "je ne sais pas" counts exactly as it does in a session.
A knowledge check's guessing parameter is kept: answers from a few hundred visitors cannot
separate it from the difficulty.

Each estimate carries its standard errors, from the cross-product of the visitors' scores (the
gradient of each visitor's marginal log-likelihood in the item's parameters, plus the prior's
curvature): the engine widens the item's curves by them, as it does an expert's guess by the
bank's ``expert_uncertainty``.

Adaptive series leave most answers missing; that is ignorable here (which items were asked
depends only on answers that are observed).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from kiosk.bank.model import Bank, Estimated, KnowledgeItem, ScoredItem
from kiosk.engine.irt import NO_INFORMATION, GradedResponse, KnowsOrGuesses, score

NODES = np.linspace(-4.0, 4.0, 31)
_LOG_PRIOR = -0.5 * NODES**2 - np.logaddexp.reduce(-0.5 * NODES**2)
MIN_ANSWERS = 50  # fewer answers than this: the item keeps its parameters
# A weak log-normal prior on the discrimination (Bayes modal, as BILOG does): with few answers
# the likelihood alone can push ``a`` towards infinity on an item nobody failed.
LOG_A_PRIOR = (np.log(1.3), 0.5)


@dataclass(frozen=True)
class ItemEstimate:
    item_id: str
    answers: int
    a: float
    b: tuple[float, ...]
    changed: bool  # False when the item had too few answers and kept its parameters
    se_a: float = 0.0  # standard errors (0 when not estimated)
    se_b: tuple[float, ...] = ()


def responses_by_item(bank: Bank, answer_sets: Iterable[Mapping[str, str]]) -> np.ndarray:
    """(visitors, items) scored responses; NO_INFORMATION where not asked or not informative."""
    scale = [o.id for o in bank.scale.options]
    index = {item.id: i for i, item in enumerate(bank.items)}
    rows = []
    for answers in answer_sets:
        row = np.full(len(bank.items), NO_INFORMATION)
        for item_id, option_id in answers.items():
            i = index.get(item_id)
            if i is not None and option_id in bank.items[i].answer_ids(bank.scale):
                row[i] = score(bank.items[i], option_id, scale)
        rows.append(row)
    return np.array(rows, dtype=int).reshape(-1, len(bank.items))


def calibrate(bank: Bank, responses: np.ndarray, iterations: int = 30) -> list[ItemEstimate]:
    """MML-EM estimates for every item of ``bank`` (answers from ``responses_by_item``)."""
    estimates: dict[int, ItemEstimate] = {}
    for domain in bank.domain_ids():
        columns = [i for i, item in enumerate(bank.items) if item.domain == domain]
        for i, est in zip(columns, _calibrate_domain(bank, columns, responses, iterations),
                          strict=True):
            estimates[i] = est
    return [estimates[i] for i in range(len(bank.items))]


def calibrated_bank(bank: Bank, estimates: list[ItemEstimate], version: str) -> Bank:
    items = []
    for item, est in zip(bank.items, estimates, strict=True):
        if not est.changed:
            items.append(item)
            continue
        estimated = Estimated(answers=est.answers, se_a=round(est.se_a, 4),
                              se_b=round(max(est.se_b), 4))
        b = est.b[0] if isinstance(item, KnowledgeItem) else est.b
        params = item.params.model_copy(update={"a": est.a, "b": b, "estimated": estimated})
        items.append(item.model_copy(update={"params": params}))
    return bank.model_copy(update={"items": items, "version": version})


def next_version(version: str) -> str:
    """1.0.0 -> 1.1.0, 2.3 -> 2.4: new parameters are a minor version."""
    parts = version.split(".")
    parts[1] = str(int(parts[1]) + 1)
    return ".".join([*parts[:2], *["0"] * len(parts[2:])])


# -- EM ------------------------------------------------------------------------------------------


def _model(item: ScoredItem, x: np.ndarray) -> GradedResponse | KnowsOrGuesses:
    """The model for unconstrained parameters ``x``: log a, then b (graded: b1 and log gaps)."""
    a = float(np.exp(x[0]))
    if isinstance(item, KnowledgeItem):
        return KnowsOrGuesses(a, float(x[1]), item.params.c)
    b = np.cumsum([x[1], *np.exp(x[2:])])
    return GradedResponse(a, tuple(float(v) for v in b))


def _start(item: ScoredItem) -> np.ndarray:
    if isinstance(item, KnowledgeItem):
        return np.array([np.log(item.params.a), item.params.b])
    b = np.array(item.params.b)
    return np.array([np.log(item.params.a), b[0], *np.log(np.diff(b))])


def _calibrate_domain(
    bank: Bank, columns: list[int], responses: np.ndarray, iterations: int
) -> list[ItemEstimate]:
    items = [bank.items[i] for i in columns]
    data = responses[:, columns]
    seen = data != NO_INFORMATION
    counts = seen.sum(axis=0)
    fitted = [counts[j] >= MIN_ANSWERS for j in range(len(items))]
    x = [_start(item) for item in items]
    categories = [np.unique(data[seen[:, j], j]) for j in range(len(items))]
    for _ in range(iterations):
        loglik = [
            {int(r): _model(item, x[j]).log_likelihood(int(r), NODES) for r in categories[j]}
            for j, item in enumerate(items)
        ]
        # E-step: each visitor's posterior over the nodes.
        log_post = np.tile(_LOG_PRIOR, (data.shape[0], 1))
        for j in range(len(items)):
            for r, ll in loglik[j].items():
                log_post[data[:, j] == r] += ll
        log_post -= np.logaddexp.reduce(log_post, axis=1, keepdims=True)
        post = np.exp(log_post)
        # M-step: item by item, on expected counts per node and answer.
        for j, item in enumerate(items):
            if not fitted[j]:
                continue
            expected = {r: post[data[:, j] == r].sum(axis=0) for r in categories[j]}

            def objective(z: np.ndarray, item=item, expected=expected) -> float:
                model = _model(item, z)
                penalty = 0.5 * ((z[0] - LOG_A_PRIOR[0]) / LOG_A_PRIOR[1]) ** 2
                fit = sum(n @ model.log_likelihood(r, NODES) for r, n in expected.items())
                return float(fit - penalty)

            x[j] = _maximise(objective, x[j])
    out = []
    for j, item in enumerate(items):
        model = _model(item, x[j])
        b = model.b if isinstance(model, GradedResponse) else (model.b,)
        se_a, se_b = _standard_errors(item, x[j], data[:, j], post) if fitted[j] else (0.0, ())
        out.append(ItemEstimate(item.id, int(counts[j]), model.a, b, fitted[j], se_a, se_b))
    return out


def _standard_errors(
    item: ScoredItem, x: np.ndarray, answers: np.ndarray, post: np.ndarray
) -> tuple[float, tuple[float, ...]]:
    """Standard errors of a and of each b: the inverse of the cross-product of the visitors'
    scores in the unconstrained parameters (plus the prior on log a), by the delta method."""
    h = 1e-4
    seen = answers != NO_INFORMATION
    rows, weights = answers[seen], post[seen]
    scores = np.empty((rows.size, x.size))
    for k in range(x.size):
        step = np.eye(x.size)[k] * h
        up, down = _model(item, x + step), _model(item, x - step)
        for r in np.unique(rows):
            slope = up.log_likelihood(int(r), NODES) - down.log_likelihood(int(r), NODES)
            scores[rows == r, k] = weights[rows == r] @ slope / (2 * h)
    information = scores.T @ scores
    information[0, 0] += 1.0 / LOG_A_PRIOR[1] ** 2
    covariance = np.linalg.pinv(information)

    def natural(z: np.ndarray) -> np.ndarray:
        model = _model(item, z)
        b = model.b if isinstance(model, GradedResponse) else (model.b,)
        return np.array([model.a, *b])

    jacobian = np.stack(
        [(natural(x + e) - natural(x - e)) / (2 * h) for e in np.eye(x.size) * h], axis=1
    )
    variances = np.diag(jacobian @ covariance @ jacobian.T)
    se = np.sqrt(np.maximum(variances, 0.0))
    return float(se[0]), tuple(float(v) for v in se[1:])


def _maximise(f: Callable[[np.ndarray], float], x: np.ndarray, steps: int = 3) -> np.ndarray:
    """A few damped Newton steps with finite-difference derivatives (2 to 4 parameters); a step
    that does not improve is halved, so the objective never decreases."""
    h = 1e-4
    n = x.size
    eye = np.eye(n) * h
    for _ in range(steps):
        fx = f(x)
        grad = np.array([(f(x + e) - f(x - e)) / (2 * h) for e in eye])
        hess = np.empty((n, n))
        for i in range(n):
            for k in range(i, n):
                hess[i, k] = hess[k, i] = (
                    f(x + eye[i] + eye[k]) - f(x + eye[i] - eye[k])
                    - f(x - eye[i] + eye[k]) + f(x - eye[i] - eye[k])
                ) / (4 * h * h)
        # Keep the step an ascent direction even where the surface is not concave.
        hess -= np.eye(n) * max(0.0, np.linalg.eigvalsh(hess).max() + 1e-3)
        step = -np.linalg.solve(hess, grad)
        step = np.clip(step, -1.0, 1.0)
        while f(x + step) < fx and np.abs(step).max() > 1e-6:
            step /= 2
        if f(x + step) >= fx:
            x = x + step
    return x
