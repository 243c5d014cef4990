"""The estimator: the exact joint posterior of the six domain abilities on the prior's grid.

State is one log-likelihood array ``(G, S)`` per domain. An answer multiplies one domain's array
by the item's likelihood; marginalising that domain's specific part gives ``M_d(g)``, and the
posterior of the general factor is ``prior(g) · Π_d M_d(g)``. Everything else (domain
means, level probabilities, draws of plausible level vectors) follows from these arrays.
"""

from __future__ import annotations

import numpy as np

from kiosk.engine.prior import BifactorGrid

LEVELS = 4


class GridPosterior:
    def __init__(self, grid: BifactorGrid, domains: int) -> None:
        self.grid = grid
        shape = (domains, *grid.theta.shape)
        self._log_lik = np.zeros(shape)
        # log Σ_s prior(s) L_d(g, s): with no answer yet this is 0 for every g.
        self._log_marginal = np.zeros((domains, grid.g.size))
        self._level_masks = np.stack([grid.level == k for k in range(LEVELS)])

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
        conditional = np.exp(
            self._log_lik + self.grid.log_prior_s[None, None, :] - self._log_marginal[:, :, None]
        )
        return conditional * self.general()[None, :, None]

    def level_probabilities(self, weights: np.ndarray | None = None) -> np.ndarray:
        """P(level = k) for each domain, shape (D, 4)."""
        w = self.domain_weights() if weights is None else weights
        return np.einsum("dgs,kgs->dk", w, self._level_masks)

    def ability_mean_sd(self, weights: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        w = self.domain_weights() if weights is None else weights
        theta = self.grid.theta[None]
        mean = (w * theta).sum(axis=(1, 2))
        var = (w * (theta - mean[:, None, None]) ** 2).sum(axis=(1, 2))
        return mean, np.sqrt(var)

    def draw_levels(self, u_general: np.ndarray, u_specific: np.ndarray) -> np.ndarray:
        """Plausible level vectors, shape (N, D), by inverse CDF from fixed uniforms.

        The caller passes the same uniforms at every step (common random numbers), so the
        pathway probabilities change only because the answers did.
        """
        cdf_g = np.cumsum(self.general())
        g_idx = np.minimum(np.searchsorted(cdf_g, u_general * cdf_g[-1]), cdf_g.size - 1)
        conditional = np.exp(
            self._log_lik[:, g_idx, :]
            + self.grid.log_prior_s[None, None, :]
            - self._log_marginal[:, g_idx, None]
        )  # (D, N, S)
        cdf_s = np.cumsum(conditional, axis=2)
        s_idx = (cdf_s < u_specific.T[:, :, None] * cdf_s[:, :, -1:]).sum(axis=2)
        s_idx = np.minimum(s_idx, self.grid.s.size - 1)
        return self.grid.level[g_idx[None, :], s_idx].T
