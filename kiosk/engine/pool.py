"""The item pool: a bank's scored items compiled once for the engine (models, information)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from kiosk.bank.model import Bank, KnowledgeItem, ScoredItem
from kiosk.domain import DOMAIN_IDS
from kiosk.engine.irt import ITEM_KINDS, ItemModel, model_of
from kiosk.engine.prior import CLAIM_NODES, BifactorGrid

# Fixed ability points on which item information is tabulated once per bank; the posterior of
# each domain is projected onto them at every step, so scoring N items is one product.
INFO_POINTS = np.linspace(-4.0, 4.0, 49)
# Answers whose grid log-likelihood is kept (about 10 kB each): every answer of a 60-item bank.
_CACHED_ANSWERS = 1024


@dataclass(frozen=True)
class ItemPool:
    bank: Bank
    items: tuple[ScoredItem, ...]
    models: tuple[ItemModel, ...]  # averaged over each item's parameter uncertainty
    point_models: tuple[ItemModel, ...]  # at the parameters' values, as person fit uses them
    domain_of: np.ndarray  # (I,) domain column of each item
    knowledge: np.ndarray  # (I,) bool: a knowledge check (not a can-do statement)
    guided_only: np.ndarray  # (I,) bool: asked only in a mediator's guided session
    by_visitor: np.ndarray  # (I,) bool: answered by the visitor (not marked by a mediator)
    bias_loading: np.ndarray  # (I,) share of the self-assessment bias the answer carries
    loadings: tuple[float, ...]  # the distinct bias loadings, 0 first
    latent_of: np.ndarray  # (I,) index of each item's loading in ``loadings``
    careless_log_likelihood: np.ndarray  # (I,) log 1/(answers offered): a random answer
    information: np.ndarray  # (I, T) item information at INFO_POINTS
    grid: BifactorGrid
    # Bin of each (domain, grid node) on the information points, for each loading's latent:
    # (D*P*S,) indices into a flattened (D, T) density
    bins: tuple[np.ndarray, np.ndarray]
    by_domain: np.ndarray  # (D, n) item indices of each domain, padded with -1
    point_levels: np.ndarray  # (T, 4) one-hot: the level of each information point
    prior_density: np.ndarray  # (D, T) every domain's prior on the information points
    index: dict[str, int] = field(default_factory=dict)
    # Log-likelihood of (item, response, shared claims) on the grid, computed once: every
    # visitor reuses them.
    _log_likelihoods: dict[tuple[int, int, bool], np.ndarray] = field(default_factory=dict)

    @classmethod
    def from_bank(cls, bank: Bank) -> ItemPool:
        settings = bank.engine
        items = tuple(bank.items)
        models = tuple(model_of(item, settings.expert_uncertainty) for item in items)
        kinds = [ITEM_KINDS[item.kind] for item in items]
        grid = BifactorGrid.build(
            settings.domain_correlation, settings.level_cuts, settings.self_assessment_bias
        )
        prior = np.exp(grid.log_prior_person[:, None] + grid.log_prior_s[None, :])
        bias_loading = np.array([kind.bias_loading for kind in kinds], dtype=float)
        loadings = tuple(sorted({0.0, *bias_loading.tolist()}))
        nearest = [_nearest_point(grid.latent(loading)) for loading in loadings]
        prior_density = np.bincount(nearest[0], prior.ravel(), INFO_POINTS.size)
        offsets = (np.arange(len(DOMAIN_IDS)) * INFO_POINTS.size)[:, None]
        domain_of = np.array([DOMAIN_IDS.index(item.domain) for item in items])
        members = [np.flatnonzero(domain_of == d) for d in range(len(DOMAIN_IDS))]
        by_domain = np.full((len(DOMAIN_IDS), max(map(len, members), default=0)), -1)
        for d, found in enumerate(members):
            by_domain[d, : found.size] = found
        return cls(
            bank=bank,
            items=items,
            models=models,
            point_models=tuple(model_of(item) for item in items),
            domain_of=domain_of,
            knowledge=np.array([isinstance(item, KnowledgeItem) for item in items]),
            guided_only=np.array([kind.guided_only for kind in kinds], dtype=bool),
            by_visitor=np.array([kind.by_visitor for kind in kinds], dtype=bool),
            bias_loading=bias_loading,
            loadings=loadings,
            latent_of=np.array([loadings.index(v) for v in bias_loading.tolist()], dtype=int),
            # A careless visitor picks among the answers, "not sure" aside.
            careless_log_likelihood=np.array(
                [-np.log(len(item.answer_ids(bank.scale)) - 1) for item in items]
            ),
            information=np.stack([m.information(INFO_POINTS) for m in models]),
            grid=grid,
            bins=tuple((offsets + n[None, :]).ravel() for n in nearest),  # type: ignore[arg-type]
            by_domain=by_domain,
            point_levels=np.eye(4)[np.searchsorted(settings.level_cuts, INFO_POINTS, "right")],
            prior_density=np.tile(prior_density, (len(DOMAIN_IDS), 1)),
            index={item.id: i for i, item in enumerate(items)},
        )

    def log_likelihood(self, index: int, response: int, shared_claims: bool = False) -> np.ndarray:
        """(P, S) log-likelihood of an answer to item ``index`` at every grid node; with
        ``shared_claims``, a statement's is (P, S, K), at each node of the part of its domain's
        statements that the bank's ``domain_bias`` says they share."""
        claim = shared_claims and bool(self.bias_loading[index])
        key = (index, response, claim)
        found = self._log_likelihoods.get(key)
        if found is None:
            if len(self._log_likelihoods) >= _CACHED_ANSWERS:
                self._log_likelihoods.clear()
            latent = self.grid.latent(float(self.bias_loading[index]))
            if claim:
                spread = self.bank.engine.domain_bias * CLAIM_NODES
                latent = latent[..., None] + spread
            found = self._log_likelihoods[key] = self.models[index].log_likelihood(response,
                                                                                  latent)
        return found

    def eligible(self, context: Mapping[str, str], guided: bool = False) -> np.ndarray:
        """Items the context answers do not make pointless (their skip rule does not hold),
        among those of the session's mode (observed tasks only in a guided session)."""
        kept = np.array([not item.is_skipped(context) for item in self.items], dtype=bool)
        return kept if guided else kept & ~self.guided_only

    def densities(self, weights: np.ndarray) -> np.ndarray:
        """Posterior of what each kind of answer follows in each domain, on the information
        points, from ``(D, P, S)`` node weights: rows ``l*D + d`` for loading ``l`` (rows 0..D-1:
        the abilities themselves)."""
        domains, points = weights.shape[0], INFO_POINTS.size
        flat = weights.ravel()
        return np.concatenate(
            [np.bincount(bins, flat, domains * points) for bins in self.bins]
        ).reshape(len(self.bins) * domains, points)

    def expected_information(self, densities: np.ndarray) -> np.ndarray:
        """(I,) each item's information averaged over the posterior of what it reads."""
        rows = self.domain_of + len(DOMAIN_IDS) * self.latent_of
        return np.einsum("it,it->i", self.information, densities[rows])


def _nearest_point(values: np.ndarray) -> np.ndarray:
    return np.abs(values.reshape(-1, 1) - INFO_POINTS[None, :]).argmin(axis=1)
