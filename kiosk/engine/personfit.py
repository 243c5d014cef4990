"""Person fit: do a visitor's answers hang together as the item models say they should?

The standardized log-likelihood ``lz`` (Drasgow, Levine and Williams, 1985): the log-likelihood of
the answers given, at the visitor's estimated abilities, against its expectation and variance
under the same models. Strongly negative values mean answers less likely than the models allow:
random key presses, or answers that contradict each other. It is computed as usual, at the
reported estimate with the items' parameter values. It complements the engine's careless-visitor
mixture: on simulated careless visitors it catches some that the mixture's small prior share
lets through, at the same rate of false alarms (``benchmarks/engine_quality.py``, person fit,
where the same statistic from the peer package mirt is computed beside it).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from kiosk.engine.irt import ItemModel

MIN_ANSWERS = 4  # fewer informative answers than this say nothing about fit


def standardized_log_likelihood(
    models: Sequence[ItemModel], responses: Sequence[int], latents: Sequence[float]
) -> float | None:
    """``lz`` of ``responses`` (scored categories) to items read by ``models``, each at the
    latent value its answer follows; None with too few answers."""
    if len(responses) < MIN_ANSWERS:
        return None
    observed = expected = variance = 0.0
    for model, response, latent in zip(models, responses, latents, strict=True):
        probs = np.clip(model.probabilities(np.array(latent)), 1e-12, 1.0)
        logs = np.log(probs)
        observed += float(logs[response])
        mean = float(probs @ logs)
        expected += mean
        variance += float(probs @ logs**2) - mean**2
    if variance <= 0:
        return None
    return (observed - expected) / float(np.sqrt(variance))
