"""The peer package ``mirt`` (PyPI ``mirt``, Rust core, after R's mirt) on the kiosk's bank, in the
same run as the engine, a stronger peer than catsim (multidimensional):

- multidimensional CAT: ``mirt.cat.MCATEngine`` (D-optimality, MAP scoring with the bank's
  correlated prior) against the engine, both at the same fixed length, on the same simulees and
  the same pre-drawn answers; pathway agreement and time per step;
- calibration: ``kiosk calibrate`` against ``mirt.fit_mirt`` (the same per-domain graded model
  on the can-do statements) and ``mirt.bfactor`` (the bifactor model, on the answers
  dichotomised at "alone", the only bifactor mirt fits): recovery of the true parameters, and
  standard errors against the actual errors;
- person fit: the engine's own check (its careless-visitor probability, or its lz) against
  mirt's ``lz`` (``Zh``) with its p-value, on the engine's own adaptive answers: how many careless
  visitors each flags, and how many attentive ones.

mirt's MCAT has no graded 3PL: knowledge checks are given to it as two-category items without
their guessing part (its only handicap here, and a small one: the engine rarely asks them).
"""

from __future__ import annotations

from time import perf_counter

import numpy as np
from simulation import Outcome, Simulator, Visitors

from kiosk.bank.model import Bank, CanDoItem, KnowledgeItem
from kiosk.domain import DOMAIN_IDS
from kiosk.engine.calibration import calibrate, responses_by_item
from kiosk.engine.irt import model_of
from kiosk.engine.session import AdaptiveSession


def available() -> bool:
    try:
        import mirt  # noqa: F401
    except ImportError:
        return False
    return True


# -- answers drawn once, shared by both engines ---------------------------------------------


def drawn_answers(bank: Bank, theta: np.ndarray, seed: int) -> np.ndarray:
    """(N, I) category of every simulee on every item, from the bank's own models."""
    rng = np.random.default_rng(seed)
    domain = np.array([DOMAIN_IDS.index(item.domain) for item in bank.items])
    out = np.empty((theta.shape[0], len(bank.items)), dtype=int)
    for i, item in enumerate(bank.items):
        probs = model_of(item).probabilities(theta[:, domain[i]])  # (K, N)
        cum = np.cumsum(probs / probs.sum(axis=0), axis=0)
        out[:, i] = (rng.random(theta.shape[0])[None, :] > cum).sum(axis=0)
    return out


def _option(bank: Bank, item: CanDoItem | KnowledgeItem, category: int) -> str:
    if isinstance(item, CanDoItem):
        return bank.scale.options[category].id
    return item.correct if category == 1 else next(o.id for o in item.options
                                                   if o.id != item.correct)


# -- multidimensional CAT ----------------------------------------------------------------------


def mirt_model(bank: Bank):  # type: ignore[no-untyped-def]
    """The bank as a six-factor graded model: each item loads on its domain only, so mirt's
    logit ``θ·a - Σa·b`` is the bank's ``a(θ_d - b)``."""
    from mirt.models.polytomous import GradedResponseModel

    items = bank.items
    slopes = np.zeros((len(items), len(DOMAIN_IDS)))
    thresholds = np.zeros((len(items), 3))
    for i, item in enumerate(items):
        slopes[i, DOMAIN_IDS.index(item.domain)] = item.params.a
        b = item.params.b
        thresholds[i, : len(np.atleast_1d(b))] = b
    model = GradedResponseModel(
        n_items=len(items),
        n_categories=[4 if isinstance(item, CanDoItem) else 2 for item in items],
        n_factors=len(DOMAIN_IDS),
    )
    model.set_parameters(discrimination=slopes, thresholds=thresholds)
    model._is_fitted = True  # parameters given, not estimated: mirt checks this flag
    return model


def mirt_cat(bank: Bank, answers: np.ndarray, length: int, eligible: np.ndarray, seed: int
             ) -> tuple[np.ndarray, np.ndarray]:
    """mirt's MCAT for ``length`` items: (N, D) MAP abilities and the seconds of every step."""
    from mirt.cat.mcat_engine import MCATEngine
    from mirt.cat.mcat_stopping import MaxItemsMCATStop

    model = mirt_model(bank)
    rho = bank.engine.domain_correlation
    prior = np.full((len(DOMAIN_IDS),) * 2, rho) + (1 - rho) * np.eye(len(DOMAIN_IDS))
    thetas = np.empty((answers.shape[0], len(DOMAIN_IDS)))
    steps: list[float] = []
    skipped = np.flatnonzero(~eligible)
    for n, row in enumerate(answers):
        engine = MCATEngine(model, item_selection="D-optimality",
                            stopping_rule=MaxItemsMCATStop(length), scoring_method="MAP",
                            initial_covariance=prior, seed=seed + n)
        engine._available_items -= set(skipped.tolist())  # the context's skip rules
        state = engine.get_current_state()
        while not state.is_complete:
            start = perf_counter()
            state = engine.administer_item(int(row[state.next_item]))
            steps.append(perf_counter() - start)
        thetas[n] = state.theta
    return thetas, np.array(steps)


def engine_cat(sim: Simulator, answers: np.ndarray, length: int, seed: int
               ) -> tuple[np.ndarray, np.ndarray]:
    """The engine at exactly ``length`` questions on the same answers: (N, D) levels and the
    seconds of every step."""
    settings = sim.bank.engine.model_copy(update={
        "min_questions": length, "max_questions": length, "futility": 0.0})
    fixed = Simulator(sim.bank.model_copy(update={"engine": settings}), sim.context, None)
    levels = np.empty((answers.shape[0], len(DOMAIN_IDS)), dtype=int)
    steps: list[float] = []
    for n, row in enumerate(answers):
        session = AdaptiveSession(fixed.pool, fixed.router, fixed.context, seed=seed + n)
        while (item := session.current) is not None:
            option = _option(sim.bank, item, int(row[fixed.pool.index[item.id]]))
            start = perf_counter()
            session.answer(option)
            steps.append(perf_counter() - start)
        levels[n] = [session.estimate().levels[d] for d in DOMAIN_IDS]
    return levels, np.array(steps)


def cat_comparison(sim: Simulator, visitors: Visitors, length: int, seed: int) -> dict:
    answers = drawn_answers(sim.bank, visitors.theta, seed)
    eligible = sim.pool.eligible(sim.context)
    ours, our_steps = engine_cat(sim, answers, length, seed)
    theirs_theta, their_steps = mirt_cat(sim.bank, answers, length, eligible, seed)
    cuts = np.asarray(sim.bank.engine.level_cuts)
    theirs = np.searchsorted(cuts, theirs_theta, side="right")
    truth = sim.pathway(visitors.levels)
    return {
        "visitors": int(visitors.theta.shape[0]),
        "length": length,
        "engine_pathway_agreement": float(np.mean(sim.pathway(ours) == truth)),
        "mirt_pathway_agreement": float(np.mean(sim.pathway(theirs) == truth)),
        "engine_level_exact": float(np.mean(ours == visitors.levels)),
        "mirt_level_exact": float(np.mean(theirs == visitors.levels)),
        "engine_step_ms_p50": float(np.percentile(our_steps, 50) * 1e3),
        "engine_step_ms_p95": float(np.percentile(our_steps, 95) * 1e3),
        "mirt_step_ms_p50": float(np.percentile(their_steps, 50) * 1e3),
        "mirt_step_ms_p95": float(np.percentile(their_steps, 95) * 1e3),
    }


# -- calibration ------------------------------------------------------------------------------


def calibration_answers(bank: Bank, visitors: Visitors, seed: int) -> np.ndarray:
    """(N, I) categories; each visitor answers a random half of the items (-1: not asked)."""
    answers = drawn_answers(bank, visitors.theta, seed)
    asked = np.random.default_rng(seed + 1).random(answers.shape) < 0.5
    return np.where(asked, answers, -1)


def _neutral(bank: Bank) -> Bank:
    """The bank with every item reset to a = 1 and central difficulties: nothing to lean on."""
    items = []
    for item in bank.items:
        b = (-1.0, 0.0, 1.0) if isinstance(item, CanDoItem) else 0.0
        params = item.params.model_copy(update={"a": 1.0, "b": b})
        items.append(item.model_copy(update={"params": params}))
    return bank.model_copy(update={"items": items})


def _recovery(true: np.ndarray, got: np.ndarray, se: np.ndarray | None) -> dict[str, float]:
    out = {"r": float(np.corrcoef(true, got)[0, 1]),
           "rmse": float(np.sqrt(np.mean((true - got) ** 2)))}
    if se is not None:
        out["z_spread"] = float(np.sqrt(np.mean(((got - true) / se) ** 2)))
    return out


def calibration_comparison(bank: Bank, visitors: Visitors, seed: int) -> dict:
    import mirt

    answers = calibration_answers(bank, visitors, seed)
    answer_sets = [
        {item.id: _option(bank, item, int(c)) for item, c in zip(bank.items, row, strict=True)
         if c >= 0}
        for row in answers
    ]
    start = perf_counter()
    ours = calibrate(_neutral(bank), responses_by_item(bank, answer_sets))
    our_seconds = perf_counter() - start
    can_do = [i for i, item in enumerate(bank.items) if isinstance(item, CanDoItem)]
    true_a = np.array([bank.items[i].params.a for i in can_do])
    true_b = np.array([bank.items[i].params.b for i in can_do])  # (J, 3)
    our_a = np.array([ours[i].a for i in can_do])
    our_b = np.array([ours[i].b for i in can_do])
    our_se_a = np.array([ours[i].se_a for i in can_do])
    our_se_b = np.array([ours[i].se_b for i in can_do])

    # mirt, the same model: a graded model per domain on its can-do statements.
    start = perf_counter()
    mirt_a, mirt_b = np.empty_like(true_a), np.empty_like(true_b)
    mirt_se_a, mirt_se_b = np.empty_like(true_a), np.empty_like(true_b)
    for d in DOMAIN_IDS:
        columns = [k for k, i in enumerate(can_do) if bank.items[i].domain == d]
        data = answers[:, [can_do[k] for k in columns]]
        fit = mirt.fit_mirt(data, model="GRM", n_categories=4)
        params = fit.model.parameters
        mirt_a[columns] = params["discrimination"]
        mirt_b[columns] = params["thresholds"]
        mirt_se_a[columns] = fit.standard_errors["discrimination"]
        mirt_se_b[columns] = fit.standard_errors["thresholds"]
    mirt_seconds = perf_counter() - start

    # mirt's bifactor model, on the answers dichotomised at "alone or better" (can-do) and
    # right (knowledge): slopes on the general factor and the domain, and an intercept.
    start = perf_counter()
    binary = np.where(answers < 0, -1, np.where(
        np.array([isinstance(item, CanDoItem) for item in bank.items])[None, :],
        (answers >= 2).astype(int), answers))
    domains = [DOMAIN_IDS.index(item.domain) for item in bank.items]
    bifactor = mirt.bfactor(binary, domains)
    loadings = bifactor.model.parameters
    general, specific = loadings["general_loadings"], loadings["specific_loadings"]
    slope = np.sqrt(np.asarray(general).ravel() ** 2 + np.asarray(specific).ravel() ** 2)
    middle = -np.asarray(loadings["intercepts"]).ravel() / slope
    bifactor_seconds = perf_counter() - start
    true_middle = np.array([item.params.b[1] if isinstance(item, CanDoItem) else item.params.b
                            for item in bank.items])
    our_middle = np.array([est.b[1] if len(est.b) == 3 else est.b[0] for est in ours])
    true_all_a = np.array([item.params.a for item in bank.items])
    return {
        "visitors": int(answers.shape[0]),
        "can_do_items": len(can_do),
        "kiosk_a": _recovery(true_a, our_a, our_se_a),
        "kiosk_b": _recovery(true_b.ravel(), our_b.ravel(), our_se_b.ravel()),
        "mirt_grm_a": _recovery(true_a, mirt_a, mirt_se_a),
        "mirt_grm_b": _recovery(true_b.ravel(), mirt_b.ravel(), mirt_se_b.ravel()),
        "kiosk_all_items_a": _recovery(true_all_a, np.array([e.a for e in ours]), None),
        "kiosk_all_items_middle_b": _recovery(true_middle, our_middle, None),
        "mirt_bifactor_a": _recovery(true_all_a, slope, None),
        "mirt_bifactor_middle_b": _recovery(true_middle, middle, None),
        "se_b_ratio_kiosk_to_mirt": float(np.median(our_se_b / mirt_se_b)),
        "kiosk_seconds": our_seconds,
        "mirt_grm_seconds": mirt_seconds,
        "mirt_bifactor_seconds": bifactor_seconds,
    }


# -- person fit -------------------------------------------------------------------------------


def person_fit_comparison(sim: Simulator, visitors: Visitors, outcomes: list[Outcome]) -> dict:
    """On the engine's own adaptive answers: who is flagged as inconsistent by the engine and by
    mirt's lz (lower tail, p < 0.05)."""
    from mirt.diagnostics.personfit import compute_personfit

    model = mirt_model(sim.bank)
    responses = np.full((len(outcomes), len(sim.bank.items)), -1)
    for n, outcome in enumerate(outcomes):
        for i, category in outcome.answers:
            responses[n, i] = category
    theta = np.stack([o.ability for o in outcomes])
    fit = compute_personfit(model, responses, theta, ["lz"], p_adjust="none",
                            alternative="lower")
    mirt_flag = np.asarray(fit["aberrant"], dtype=bool)
    ours = np.array([o.uncertain == "inconsistent" for o in outcomes])
    careless = visitors.careless
    attentive = ~visitors.careless & ~visitors.over_claimer
    return {
        "careless_visitors": int(careless.sum()),
        "engine_flags_careless": float(ours[careless].mean()),
        "engine_flags_attentive": float(ours[attentive].mean()),
        "mirt_lz_flags_careless": float(mirt_flag[careless].mean()),
        "mirt_lz_flags_attentive": float(mirt_flag[attentive].mean()),
    }
