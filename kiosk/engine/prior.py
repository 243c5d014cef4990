"""The prior (catsim's "initializer"): correlated domains as a general factor plus specific parts,
and a person-level self-assessment bias.

Each domain ability is ``θ_d = λ·g + μ·s_d`` with ``g`` and every ``s_d`` independent standard
normals, ``λ² = ρ`` (the correlation between any two domains) and ``μ² = 1 - ρ``. A visitor's
answers to self-assessment statements follow ``θ_d + β`` rather than ``θ_d``: ``β`` is how far
the visitor over- (or under-) states what they can do, the same in every domain; answers that
are not self-reports (knowledge checks) follow ``θ_d``. That is what lets a knowledge check
temper self-assessment.

Given the person part ``(g, β)`` the domains are independent, so the joint posterior can be
integrated *exactly* on a small grid: one axis of person nodes (every ``g`` with every ``β``)
times one axis of ``s`` nodes. An answer about e-mail moves ``g`` and ``β``, and through them
every other domain.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Gauss-Hermite nodes (standard normal) and log weights for a visitor's over- or under-statement
# of one domain beyond their general bias: a few nodes integrate a smooth normal part closely.
_nodes, _weights = np.polynomial.hermite_e.hermegauss(3)
CLAIM_NODES: np.ndarray = _nodes
CLAIM_LOG_WEIGHTS: np.ndarray = np.log(_weights / _weights.sum())


@dataclass(frozen=True)
class BifactorGrid:
    """Quadrature grid shared by all domains (they have the same loadings)."""

    g: np.ndarray  # (P,) general factor at each person node
    bias: np.ndarray  # (P,) self-assessment bias at each person node
    s: np.ndarray  # (S,) specific factor nodes
    log_prior_person: np.ndarray  # (P,) normalised log weights
    log_prior_s: np.ndarray  # (S,) normalised log weights
    theta: np.ndarray  # (P, S) domain ability at each node pair
    level: np.ndarray  # (P, S) level 0..3 at each node pair

    @classmethod
    def build(
        cls,
        correlation: float,
        level_cuts: tuple[float, float, float],
        bias_sd: float = 0.0,
        g_points: int = 21,
        s_points: int = 15,
        bias_points: int = 3,
        span: float = 4.0,
    ) -> BifactorGrid:
        g = np.linspace(-span, span, g_points)
        s = np.linspace(-span, span, s_points)
        if bias_sd > 0:
            # Gauss-Hermite nodes: a handful integrate a smooth normal part exactly enough.
            nodes, weights = np.polynomial.hermite_e.hermegauss(bias_points)
            bias, log_bias = bias_sd * nodes, np.log(weights / weights.sum())
        else:
            bias, log_bias = np.zeros(1), np.zeros(1)
        person_g = np.repeat(g, bias.size)
        person_bias = np.tile(bias, g.size)
        log_prior = np.repeat(_normal_log_weights(g), bias.size) + np.tile(log_bias, g.size)
        theta = np.sqrt(correlation) * person_g[:, None] + np.sqrt(1.0 - correlation) * s[None, :]
        return cls(
            g=person_g,
            bias=person_bias,
            s=s,
            log_prior_person=log_prior,
            log_prior_s=_normal_log_weights(s),
            theta=theta,
            level=np.searchsorted(np.asarray(level_cuts), theta, side="right").astype(np.int8),
        )

    def latent(self, bias_loading: float) -> np.ndarray:
        """(P, S) what an answer follows at each node pair: ability plus this share of the bias
        (1 for a self-report, 0 for a question with a right answer)."""
        return self.theta + bias_loading * self.bias[:, None] if bias_loading else self.theta


def _normal_log_weights(nodes: np.ndarray) -> np.ndarray:
    log_w = -0.5 * nodes**2
    return log_w - np.logaddexp.reduce(log_w)
