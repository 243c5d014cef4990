"""The estimator: the exact joint posterior of the six domain abilities and the visitor's
self-assessment bias on the prior's grid, and of whether the visitor answered at all attentively.

State is one log-likelihood array ``(P, S)`` per domain (``P`` person nodes, each a general
ability with a bias). An answer multiplies one domain's array by the item's likelihood;
marginalising that domain's specific part gives ``M_d(p)``, and the posterior of the person nodes
is ``prior(p) · Π_d M_d(p)``. Everything else (domain means, level probabilities, the
probability of every level vector) follows from these arrays.

In a guided session a visitor's statements about one domain may all be off by the same amount
beyond their general bias (a domain they over- or under-state): their likelihoods are kept
apart, on one more axis of nodes of that shared part, and integrated over it, so that many
statements of one domain cannot outvote what the mediator saw there.

Person fit is the same computation one level up: a careless visitor (a small prior share) picks
answers at random, so their likelihood is ``Π 1/K``; the posterior chance of that, against the
model's marginal likelihood, says how far the answers fit together. The estimate is the mixture
of the two: a visitor whose answers look random leaves the levels near the prior.
"""

from __future__ import annotations

import numpy as np

from kiosk.domain import LEVEL_IDS
from kiosk.engine.prior import CLAIM_LOG_WEIGHTS, BifactorGrid

LEVELS = len(LEVEL_IDS)


class GridPosterior:
    def __init__(self, grid: BifactorGrid, domains: int, careless_share: float = 0.0,
                 shared_claims: bool = False) -> None:
        """``shared_claims``: statements come with a part shared within their domain (their
        likelihoods then have one more axis, ``CLAIM_NODES``)."""
        self.grid = grid
        shape = (domains, *grid.theta.shape)
        self._log_lik = np.zeros(shape)
        self._claims = np.zeros((*shape, CLAIM_LOG_WEIGHTS.size)) if shared_claims else None
        # log Σ_s prior(s) L_d(p, s): with no answer yet this is 0 for every p.
        self._log_marginal = np.zeros((domains, grid.g.size))
        self._level_of_node = np.eye(LEVELS)[grid.level]  # (P, S, 4) one-hot
        self._careless_share = careless_share
        self._careless_log_lik = 0.0
        # Per domain, what depends on that domain's answers only; an answer refreshes its row.
        self._conditional = np.empty(shape)  # P(s | p, answers)
        self._given_person = np.empty((domains, grid.g.size, LEVELS))  # P(level | p, answers)
        self._node_moments = np.empty((2, domains, grid.g.size))  # E, Var of θ_d given p
        # Joint levels of each half of the domains given p (see _attentive_vectors).
        self._half = domains // 2
        self._halves: list[np.ndarray | None] = [None, None]
        for d in range(domains):
            self._refresh(d)
        self._cached: tuple[np.ndarray, float] | None = None
        self._prior: tuple[np.ndarray, np.ndarray] | None = None
        if careless_share:
            self._prior = (self._attentive_vectors(), self._attentive_levels())

    def update(self, domain: int, log_likelihood: np.ndarray, careless: float = 0.0) -> None:
        """Multiply in one answer's likelihood (``careless``: its log-likelihood for a visitor
        answering at random). A statement's likelihood in a session with shared claims has the
        claims axis last."""
        if log_likelihood.ndim == self._log_lik.ndim:
            assert self._claims is not None, "a likelihood over shared claims needs them"
            self._claims[domain] += log_likelihood
        else:
            self._log_lik[domain] += log_likelihood
        self._careless_log_lik += careless
        self._refresh(domain)
        self._cached = None

    def _refresh(self, d: int) -> None:
        joint = self._log_lik[d] + self.grid.log_prior_s[None, :]
        if self._claims is not None:
            joint = joint + _log_sum_exp(self._claims[d] + CLAIM_LOG_WEIGHTS, axis=-1)
        self._log_marginal[d] = _log_sum_exp(joint, axis=1)
        conditional = np.exp(joint - self._log_marginal[d][:, None])
        self._conditional[d] = conditional
        # One small product per person node: (1, S) times (S, 4).
        self._given_person[d] = np.matmul(conditional[:, None, :], self._level_of_node)[:, 0]
        theta = self.grid.theta
        mean = (conditional * theta).sum(axis=1)
        self._node_moments[0, d] = mean
        self._node_moments[1, d] = (conditional * theta * theta).sum(axis=1) - mean**2
        self._halves[int(d >= self._half)] = None

    def general(self) -> np.ndarray:
        """Posterior probabilities of the person nodes for an attentive visitor, shape (P,)."""
        return self._summary()[0]

    def careless_probability(self) -> float:
        """Posterior probability that the answers were given at random."""
        return self._summary()[1]

    def domain_weights(self) -> np.ndarray:
        """Posterior mass of each (p, s) node for each domain, shape (D, P, S), each sums to 1
        (careless visitors' share at the prior)."""
        weights = self.attentive_weights()
        careless = self.careless_probability()
        if careless:
            prior = np.exp(self.grid.log_prior_person[:, None] + self.grid.log_prior_s[None, :])
            weights = (1.0 - careless) * weights + careless * prior[None]
        return weights

    def attentive_weights(self) -> np.ndarray:
        """As ``domain_weights``, for an attentive visitor only (what the next answer tells)."""
        return self._conditional * self.general()[None, :, None]

    def level_probabilities(self) -> np.ndarray:
        """P(level = k) for each domain, shape (D, 4)."""
        return self._mixed(self._attentive_levels(), 1)

    def level_vector_probabilities(self) -> np.ndarray:
        """Exact posterior probability of every level vector, shape (4**D,), in the order of
        ``kiosk.level_vectors.ALL_LEVEL_VECTORS`` (first domain most significant)."""
        return self._mixed(self._attentive_vectors(), 0)

    def ability_mean_sd(self, weights: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        w = self.domain_weights() if weights is None else weights
        theta = self.grid.theta[None]
        mean = (w * theta).sum(axis=(1, 2))
        var = (w * (theta - mean[:, None, None]) ** 2).sum(axis=(1, 2))
        return mean, np.sqrt(var)

    def means(self) -> np.ndarray:
        """Posterior means of the domain abilities and the bias (last), shape (D+1,) (careless
        visitors' share at the prior's, zero)."""
        person = self.general()
        means = np.append(self._node_moments[0] @ person, self.grid.bias @ person)
        return (1.0 - self.careless_probability()) * means

    def covariance(self) -> np.ndarray:
        """Posterior covariance of the domain abilities and the bias (last), for an attentive
        visitor, shape (D+1, D+1). Given the person node the domains are independent, so the
        cross-domain terms come from the spread of the per-node means alone."""
        person = self.general()
        node_mean, node_var = self._node_moments
        means = np.vstack([node_mean, self.grid.bias[None, :]])  # (D+1, P)
        centred = means - (means @ person)[:, None]
        cov = (centred * person[None, :]) @ centred.T
        domains = node_mean.shape[0]
        cov[np.arange(domains), np.arange(domains)] += node_var @ person
        return cov

    # -- internals ----------------------------------------------------------------------------

    def _mixed(self, attentive: np.ndarray, which: int) -> np.ndarray:
        careless = self.careless_probability()
        if not careless or self._prior is None:
            return attentive
        return (1.0 - careless) * attentive + careless * self._prior[which]

    def _summary(self) -> tuple[np.ndarray, float]:
        """(person posterior, careless probability), once per answer."""
        if self._cached is None:
            log_post = self.grid.log_prior_person + self._log_marginal.sum(axis=0)
            log_evidence = float(_log_sum_exp(log_post, axis=0))
            person = np.exp(log_post - log_evidence)
            careless = 0.0
            if self._careless_share:
                odds = (np.log(self._careless_share) + self._careless_log_lik
                        - np.log1p(-self._careless_share) - log_evidence)
                careless = float(1.0 / (1.0 + np.exp(-odds)))
            self._cached = (person, careless)
        return self._cached

    def _attentive_levels(self) -> np.ndarray:
        return np.einsum("dpk,p->dk", self._given_person, self.general())

    def _attentive_vectors(self) -> np.ndarray:
        """Level vector probabilities for an attentive visitor. Given the person node the
        domains are independent: the joint of the first half of the domains and that of the
        second half are outer products per node, and summing their product over the nodes is
        one small matrix product (4**(D/2) x P times P x 4**(D/2))."""
        for side, domains in enumerate((slice(None, self._half), slice(self._half, None))):
            if self._halves[side] is None:
                self._halves[side] = _outer_per_node(self._given_person[domains])
        first, second = self._halves
        assert first is not None and second is not None
        total = ((first * self.general()[:, None]).T @ second).ravel()
        return total / total.sum()


def _log_sum_exp(values: np.ndarray, axis: int) -> np.ndarray:
    """log Σ exp along ``axis`` (shifted by the maximum; much faster than logaddexp.reduce)."""
    top = values.max(axis=axis, keepdims=True)
    return np.squeeze(top, axis=axis) + np.log(np.exp(values - top).sum(axis=axis))


def _outer_per_node(conditional: np.ndarray) -> np.ndarray:
    """Joint level probabilities of independent domains, per person node: (D, P, 4) to
    (P, 4**D), first domain most significant."""
    joint = conditional[0]
    for d in range(1, conditional.shape[0]):
        joint = (joint[:, :, None] * conditional[d][:, None, :]).reshape(joint.shape[0], -1)
    return joint
