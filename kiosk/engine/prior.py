"""The prior (catsim's "initializer"): correlated domains as a general factor plus specific parts.

Each domain ability is ``θ_d = λ·g + μ·s_d`` with ``g`` and every ``s_d`` independent standard
normals, ``λ² = ρ`` (the correlation between any two domains) and ``μ² = 1 - ρ``. Given ``g`` the
domains are independent, so the joint posterior can be integrated *exactly* on a small
``g × s`` grid: an answer about e-mail moves ``g``, and through it every other domain.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class BifactorGrid:
    """Quadrature grid shared by all domains (they have the same loadings)."""

    g: np.ndarray  # (G,) general factor nodes
    s: np.ndarray  # (S,) specific factor nodes
    log_prior_g: np.ndarray  # (G,) normalised log weights
    log_prior_s: np.ndarray  # (S,) normalised log weights
    theta: np.ndarray  # (G, S) domain ability at each node pair
    level: np.ndarray  # (G, S) level 0..3 at each node pair

    @classmethod
    def build(
        cls,
        correlation: float,
        level_cuts: tuple[float, float, float],
        g_points: int = 41,
        s_points: int = 21,
        span: float = 4.0,
    ) -> BifactorGrid:
        g = np.linspace(-span, span, g_points)
        s = np.linspace(-span, span, s_points)
        theta = np.sqrt(correlation) * g[:, None] + np.sqrt(1.0 - correlation) * s[None, :]
        return cls(
            g=g,
            s=s,
            log_prior_g=_normal_log_weights(g),
            log_prior_s=_normal_log_weights(s),
            theta=theta,
            level=np.searchsorted(np.asarray(level_cuts), theta, side="right").astype(np.int8),
        )


def _normal_log_weights(nodes: np.ndarray) -> np.ndarray:
    log_w = -0.5 * nodes**2
    return log_w - np.logaddexp.reduce(log_w)
