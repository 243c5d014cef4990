"""The estimator: the exact joint posterior of the six domain abilities on the prior's grid.

State is one log-likelihood array ``(G, S)`` per domain. An answer multiplies one domain's array
by the item's likelihood; marginalising that domain's specific part gives ``M_d(g)``, and the
posterior of the general factor is ``prior(g) · Π_d M_d(g)``. Everything else (domain
means, level probabilities, the probability of every level vector) follows from these arrays.
"""

from __future__ import annotations

import numpy as np

from kiosk.domain import LEVEL_IDS
from kiosk.engine.prior import BifactorGrid


class GridPosterior:
    def __init__(self, grid: BifactorGrid, domains: int) -> None:
        self.grid = grid
        shape = (domains, *grid.theta.shape)
        self._log_lik = np.zeros(shape)
        # log Σ_s prior(s) L_d(g, s): with no answer yet this is 0 for every g.
        self._log_marginal = np.zeros((domains, grid.g.size))
        self._level_masks = np.stack([grid.level == k for k in range(len(LEVEL_IDS))])

    def update(self, domain: int, log_likelihood: np.ndarray) -> None:
        self._log_lik[domain] += log_likelihood
        joint = self._log_lik[domain] + self.grid.log_prior_s[None, :]
        self._log_marginal[domain] = np.logaddexp.reduce(joint, axis=1)

    def general(self) -> np.ndarray:
        """Posterior probabilities of the general factor's nodes, shape (G,)."""
        log_post = self.grid.log_prior_g + self._log_marginal.sum(axis=0)
        post = np.exp(log_post - log_post.max())
        return post / post.sum()

    def domain_weights(self) -> np.ndarray:
        """Posterior mass of each (g, s) node for each domain, shape (D, G, S), each sums to 1."""
        return self._conditional() * self.general()[None, :, None]

    def level_given_general(self) -> np.ndarray:
        """P(level_d = k | g) for each domain and general node, shape (D, G, 4)."""
        return np.einsum("dgs,kgs->dgk", self._conditional(), self._level_masks)

    def level_probabilities(self, weights: np.ndarray | None = None) -> np.ndarray:
        """P(level = k) for each domain, shape (D, 4)."""
        w = self.domain_weights() if weights is None else weights
        return np.einsum("dgs,kgs->dk", w, self._level_masks)

    def level_vector_probabilities(self) -> np.ndarray:
        """Exact posterior probability of every level vector, shape (4**D,), in the order of
        ``kiosk.level_vectors.ALL_LEVEL_VECTORS`` (first domain most significant).

        Given g the domains are independent: the joint of the first half of the domains and
        that of the second half are outer products per general node, and summing their product
        over g is one small matrix product (4**(D/2) x G times G x 4**(D/2)).
        """
        general = self.general()
        conditional = self.level_given_general()  # (D, G, 4)
        half = conditional.shape[0] // 2
        first = _outer_per_node(conditional[:half]) * general[:, None]
        total = (first.T @ _outer_per_node(conditional[half:])).ravel()
        return total / total.sum()

    def ability_mean_sd(self, weights: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        w = self.domain_weights() if weights is None else weights
        theta = self.grid.theta[None]
        mean = (w * theta).sum(axis=(1, 2))
        var = (w * (theta - mean[:, None, None]) ** 2).sum(axis=(1, 2))
        return mean, np.sqrt(var)

    def _conditional(self) -> np.ndarray:
        """P(s | g, answers) for each domain, shape (D, G, S)."""
        return np.exp(
            self._log_lik + self.grid.log_prior_s[None, None, :] - self._log_marginal[:, :, None]
        )


def _outer_per_node(conditional: np.ndarray) -> np.ndarray:
    """Joint level probabilities of independent domains, per general node: (D, G, 4) to
    (G, 4**D), first domain most significant."""
    joint = conditional[0]
    for d in range(1, conditional.shape[0]):
        joint = (joint[:, :, None] * conditional[d][:, None, :]).reshape(joint.shape[0], -1)
    return joint
