"""Does the engine classify visitors correctly in about ten questions, and is the certainty it
claims at the stop the certainty it has?

Simulated visitors answer the adaptive engine; the same visitors answer a fixed domain-balanced
form of the adaptive median's length and the whole bank (baselines). Every condition is one row:
the engine's own model, then conditions that differ from its assumptions (miscalibrated
parameters, another domain correlation, careless visitors and over-claimers, frequent "not
sure", a low-skill audience). Each reports pathway agreement, questions (median, p90), and a
calibration table: the engine's claimed certainty at the stop, in bins, against how often the
claimed pathway was right, with the expected calibration error (ECE). On a unidimensional 2PL
version of the bank, catsim and the kiosk's estimator run at the same fixed length. The peer
package mirt (``peer_mirt.py``) runs its multidimensional CAT beside the engine at equal length,
its calibration beside ``kiosk calibrate``, and its person fit beside the engine's.

Guided sessions: the same simulees alone at the kiosk and with a mediator, who marks the observed
tasks the engine chooses (the marks follow the task's own model at the visitor's true ability),
in the conditions where a mediator should help: the engine's own model, over-claimers, and
statements off by domain.

    python benchmarks/engine_quality.py [--visitors 2000] [--seed 7] [--context urgent] [--json]
    python benchmarks/engine_quality.py --mirt-visitors 0   # without mirt (its CAT is slow)
    python benchmarks/engine_quality.py --conditions own not_sure_20   # some conditions only
    python benchmarks/engine_quality.py --curve 0.7 0.75 0.8 0.85  # stopping trade-off only
    python benchmarks/engine_quality.py --guided   # guided sessions against alone only
    python benchmarks/engine_quality.py --visits [--site geneve]   # whole visits, context included

``--visits`` runs whole visits the way a visitor meets them: visitors of the kiosk's population
(``kiosk.demo_data.Population``: their context answers follow their abilities) answer a real
``Visit``, context questions included, and the same visitors answer the kiosk as it was until
now, every context question first with the engine's settings of then (the baseline, in the
same run). It reports the questions before the result (median, p90), for everyone and for the
least at ease (the fifth with the lowest true abilities), and the pathway agreement, in each
condition.
"""

from __future__ import annotations

import argparse
import itertools
import json
import time

import numpy as np
import peer_mirt
from simulation import (
    CONDITIONS,
    CONTEXT,
    CONTEXT_URGENT_PHONE,
    GUIDED_CONDITIONS,
    Condition,
    Outcome,
    Simulator,
    VisitLength,
    Visitors,
    catsim_unidimensional,
    condition_models,
    default_bank,
    dichotomised,
    draw_visitors,
    engine_unidimensional,
    population_visitors,
    unidimensional_responses,
    until_now,
    whole_visit,
)

from kiosk import paths
from kiosk.bank.model import Bank, ObservedItem
from kiosk.visit import Assessment, load_assessment

# Questions the kiosk asked before the result until now and asks after it now (the reason for
# the visit and the age band): the baseline asked them first.
MOVED_AFTER_RESULT = 2
# Conditions of the whole-visit comparison (visitors of the population, answering thus).
VISIT_CONDITIONS = ("own", "careless_over", "not_sure_20", "low_skill", "perturbed")

# Claimed certainty bins of the calibration table (the last one includes 1.0).
BINS = (0.0, 0.5, 0.8, 0.9, 0.95, 1.0)


def scores(sim: Simulator, visitors: Visitors, outcomes: list[Outcome]) -> dict[str, float]:
    levels = np.stack([o.levels for o in outcomes])
    ability = np.stack([o.ability for o in outcomes])
    found = np.array([sim.pathway(lv, o.dont_know_share, o.asked)[0]
                      for lv, o in zip(levels, outcomes, strict=True)])
    truth = np.array([sim.pathway(lv, o.dont_know_share, o.asked)[0]
                      for lv, o in zip(visitors.levels, outcomes, strict=True)])
    gap = np.abs(levels - visitors.levels)
    return {
        "pathway_agreement": float(np.mean(found == truth)),
        "level_exact": float(np.mean(gap == 0)),
        "level_within_one": float(np.mean(gap <= 1)),
        "domain_rmse": float(np.sqrt(np.mean((ability - visitors.theta) ** 2))),
    }


def calibration(sim: Simulator, visitors: Visitors, outcomes: list[Outcome]) -> dict:
    """Claimed certainty of the claimed pathway at the stop against how often it was right."""
    claims = np.array([o.certainty for o in outcomes])
    truth = np.array([sim.pathway(visitors.levels[k], o.dont_know_share, o.asked)[0]
                      for k, o in enumerate(outcomes)])
    right = np.array([o.claimed for o in outcomes]) == truth
    rows, ece = [], 0.0
    for low, high in itertools.pairwise(BINS):
        inside = (claims >= low) & ((claims < high) | (high == BINS[-1]))
        if not inside.any():
            rows.append({"bin": [low, high], "visitors": 0})
            continue
        claimed, observed = float(claims[inside].mean()), float(right[inside].mean())
        ece += inside.mean() * abs(claimed - observed)
        rows.append({"bin": [low, high], "visitors": int(inside.sum()), "claimed": claimed,
                     "observed": observed})
    high_claims = claims >= 0.8
    return {
        "calibration": rows,
        "ece": float(ece),
        "claims_at_least_0.8": float(high_claims.mean()),
        "right_when_at_least_0.8": float(right[high_claims].mean()) if high_claims.any() else 0.0,
    }


def run(sim: Simulator, visitors: Visitors, seed: int) -> dict:
    n = visitors.theta.shape[0]
    adaptive = [sim.adaptive(visitors, k, seed + k) for k in range(n)]
    asked = np.array([o.asked for o in adaptive])
    median = int(np.ceil(np.median(asked)))
    form = sim.balanced_form(median)
    whole = sim.whole_bank()
    fixed = [sim.fixed(form, visitors, k, seed + k) for k in range(n)]
    full = [sim.fixed(whole, visitors, k, seed + k) for k in range(n)]
    minimum = sim.bank.engine.min_questions
    out: dict = {
        "knowledge_checks_mean": float(np.mean([o.knowledge for o in adaptive])),
        "knowledge_checks_none": float(np.mean([o.knowledge == 0 for o in adaptive])),
        "questions_median": float(np.median(asked)),
        "questions_p90": float(np.percentile(asked, 90)),
        "questions_max": int(asked.max()),
        "stopped_at_minimum": float(np.mean(asked == minimum)),
        # A stop at the minimum that claims an adviser is what one early "not sure" used to do.
        "stopped_at_minimum_claiming_orientation": float(np.mean(
            (asked == minimum) & (np.array([o.claimed for o in adaptive])
                                  == sim.router.pathway_ids.index("orientation")))),
        "to_person": float(np.mean([o.to_person for o in adaptive])),
        "fixed_form_length": median,
        "full_bank_length": len(whole),
    }
    stops: dict[str, int] = {}
    for o in adaptive:
        stops[o.stop] = stops.get(o.stop, 0) + 1
    out["stops"] = {k: v / n for k, v in sorted(stops.items()) if k}
    out |= scores(sim, visitors, adaptive)
    alone = np.array([not o.to_person for o in adaptive])
    if alone.any():
        kept = Visitors(visitors.general[alone], visitors.theta[alone], visitors.levels[alone],
                        visitors.careless[alone], visitors.over_claimer[alone])
        decided = [o for o, a in zip(adaptive, alone, strict=True) if a]
        out["pathway_agreement_decided_alone"] = scores(sim, kept, decided)["pathway_agreement"]
    out |= calibration(sim, visitors, adaptive)
    out |= {f"fixed_form_{k}": v for k, v in scores(sim, visitors, fixed).items()}
    out |= {f"full_bank_{k}": v for k, v in scores(sim, visitors, full).items()}
    groups = {"careless": visitors.careless, "over_claimers": visitors.over_claimer}
    for name, mask in groups.items():
        if mask.any():
            sub = [o for o, m in zip(adaptive, mask, strict=True) if m]
            part = Visitors(visitors.general[mask], visitors.theta[mask], visitors.levels[mask],
                            visitors.careless[mask], visitors.over_claimer[mask])
            out[f"{name}_pathway_agreement"] = scores(sim, part, sub)["pathway_agreement"]
            out[f"{name}_to_person"] = float(np.mean([o.to_person for o in sub]))
            gap = np.stack([o.levels for o in sub]).astype(float) - part.levels
            out[f"{name}_level_bias"] = float(gap.mean())
    return out


def run_condition(bank: Bank, context: dict[str, str], condition: Condition, visitors_n: int,
                  seed: int) -> dict:
    settings = bank.engine
    visitors = draw_visitors(visitors_n, settings.domain_correlation, settings.level_cuts, seed,
                             condition)
    sim = Simulator(bank, context, condition_models(bank.items, condition, seed))
    return {"label": condition.label, **run(sim, visitors, seed)}


def guided_comparison(bank: Bank, context: dict[str, str], visitors_n: int,
                      seed: int) -> dict:
    """Each guided condition's simulees alone and in a guided session: agreement, levels,
    length, observed tasks, calibration, and how far over-claimers' levels end too high."""
    settings = bank.engine
    out: dict = {}
    for condition in GUIDED_CONDITIONS:
        visitors = draw_visitors(visitors_n, settings.domain_correlation, settings.level_cuts,
                                 seed, condition)
        sim = Simulator(bank, context, condition_models(bank.items, condition, seed))
        row: dict = {"label": condition.label}
        for mode in ("self", "guided"):
            outcomes = [sim.adaptive(visitors, k, seed + k, mode == "guided")
                        for k in range(visitors_n)]
            gap = np.stack([o.levels for o in outcomes]).astype(float) - visitors.levels
            row[mode] = {
                **scores(sim, visitors, outcomes),
                "questions_median": float(np.median([o.asked for o in outcomes])),
                "observed_mean": float(np.mean([o.observed for o in outcomes])),
                "to_person": float(np.mean([o.to_person for o in outcomes])),
                "ece": calibration(sim, visitors, outcomes)["ece"],
                "level_bias": float(gap.mean()),
            }
        out[condition.name] = row
    return out


def print_guided(rows: dict) -> None:
    print("\nguided sessions against the same simulees alone (agreement in %, level bias: mean "
          "estimated minus true level):")
    print(f"{'condition':16} {'agree self':>10} {'guided':>7} {'within1 self':>12} "
          f"{'guided':>7} {'q med':>9} {'observed':>8} {'person':>11} {'ECE':>11} "
          f"{'level bias':>13}")
    for name, row in rows.items():
        s, g = row["self"], row["guided"]
        print(f"{name:16} {_pct(s['pathway_agreement']):>10} {_pct(g['pathway_agreement']):>7} "
              f"{_pct(s['level_within_one']):>12} {_pct(g['level_within_one']):>7} "
              f"{s['questions_median']:>4.0f}/{g['questions_median']:<4.0f} "
              f"{g['observed_mean']:>8.1f} {_pct(s['to_person']):>5}/{_pct(g['to_person']):<5} "
              f"{s['ece']:.3f}/{g['ece']:.3f} {s['level_bias']:>+6.2f}/{g['level_bias']:<+6.2f}")


def curve(bank: Bank, context: dict[str, str], visitors: Visitors, seed: int,
          thresholds: list[float]) -> list[dict[str, float]]:
    """The engine alone at several pathway-certainty stopping thresholds: questions against
    agreement (the bank's own answering model)."""
    rows = []
    for threshold in thresholds:
        settings = bank.engine.model_copy(update={"pathway_certainty": threshold})
        sim = Simulator(bank.model_copy(update={"engine": settings}), context, None)
        outcomes = [sim.adaptive(visitors, k, seed + k) for k in range(len(visitors.theta))]
        asked = np.array([o.asked for o in outcomes])
        rows.append({"pathway_certainty": threshold, "questions_median": float(np.median(asked)),
                     "questions_p90": float(np.percentile(asked, 90)),
                     **scores(sim, visitors, outcomes)})
    return rows


def unidimensional(visitors: Visitors, lengths: list[int], seed: int) -> dict[str, float]:
    bank = default_bank()
    # The items a visitor alone answers: a mediator's watched tasks have no 2PL version here.
    params = dichotomised([i for i in bank.items if not isinstance(i, ObservedItem)])
    responses = unidimensional_responses(params, visitors.general, seed)
    out: dict[str, float] = {}
    for length in lengths:
        ours = engine_unidimensional(params, responses, length)
        theirs, steps = catsim_unidimensional(params, responses, length)
        out[f"engine_rmse_{length}"] = float(np.sqrt(np.mean((ours - visitors.general) ** 2)))
        out[f"catsim_rmse_{length}"] = float(np.sqrt(np.mean((theirs - visitors.general) ** 2)))
    out["catsim_step_ms_p95"] = float(np.percentile(steps, 95) * 1e3)
    return out


def mirt_peer(bank: Bank, context: dict[str, str], args: argparse.Namespace,
              conditions: dict) -> dict:
    """mirt beside the engine: CAT at equal length, calibration, person fit."""
    if not peer_mirt.available():
        return {"error": "mirt is not installed: pip install -e '.[bench]'"}
    settings = bank.engine
    own = draw_visitors(args.mirt_visitors, settings.domain_correlation, settings.level_cuts,
                        args.seed)
    sim = Simulator(bank, context, None)
    length = round(conditions["own"]["questions_median"]) if "own" in conditions else 10
    out: dict = {"cat": peer_mirt.cat_comparison(sim, own, length, args.seed)}
    calibration_visitors = draw_visitors(args.calibration_visitors, settings.domain_correlation,
                                         settings.level_cuts, args.seed + 1)
    out["calibration"] = peer_mirt.calibration_comparison(bank, calibration_visitors,
                                                          args.seed + 1)
    careless = next(c for c in CONDITIONS if c.name == "careless_over")
    visitors = draw_visitors(args.visitors, settings.domain_correlation, settings.level_cuts,
                             args.seed, careless)
    sim = Simulator(bank, context, condition_models(bank.items, careless, args.seed))
    outcomes = [sim.adaptive(visitors, k, args.seed + k) for k in range(args.visitors)]
    out["person_fit"] = peer_mirt.person_fit_comparison(sim, visitors, outcomes)
    return out


def lengths(visits: list[VisitLength], extra: int = 0) -> dict[str, float]:
    total = np.array([v.total for v in visits]) + extra
    general = np.array([v.general for v in visits])
    least = general <= np.percentile(general, 20)
    return {
        "total_median": float(np.median(total)),
        "total_p90": float(np.percentile(total, 90)),
        "total_max": int(total.max()),
        "least_at_ease_median": float(np.median(total[least])),
        "least_at_ease_p90": float(np.percentile(total[least], 90)),
        "context_mean": float(np.mean([v.context for v in visits])) + extra,
        "skill_median": float(np.median([v.total - v.context for v in visits])),
        "skill_p90": float(np.percentile([v.total - v.context for v in visits], 90)),
        "pathway_agreement": float(np.mean([v.claimed == v.truth for v in visits])),
        "needs_right": float(np.mean([v.needs_right for v in visits])),
    }


def visit_condition(assessment: Assessment, condition: Condition, n: int, seed: int) -> dict:
    """The same visitors through the kiosk (after) and through the kiosk as it was until now
    (before: every context question first, certainty 0.8, no cap)."""
    people = population_visitors(n, seed, condition, assessment.bank.engine.level_cuts)
    models = condition_models(assessment.bank.items, condition, seed)
    after = [whole_visit(assessment, people, k, seed + k, models) for k in range(n)]
    baseline = until_now(assessment)
    before = [whole_visit(baseline, people, k, seed + k, models) for k in range(n)]
    asked: dict[str, float] = {}
    for visit in after:
        for question in visit.asked:
            asked[question] = asked.get(question, 0.0) + 1.0 / n
    return {"label": condition.label, "before": lengths(before, MOVED_AFTER_RESULT),
            "after": lengths(after), "context_asked": asked}


def visits(args: argparse.Namespace) -> dict:
    site = paths.questionnaires_dir() / "sites" / f"{args.site}.yaml" if args.site else None
    assessment = load_assessment(site=site)
    chosen = [c for c in CONDITIONS if c.name in args.conditions and c.name in VISIT_CONDITIONS]
    return {"visitors": args.visitors, "seed": args.seed, "site": assessment.site.id,
            "conditions": {c.name: visit_condition(assessment, c, args.visitors, args.seed)
                           for c in chosen}}


def print_visits(r: dict) -> None:
    print(f"whole visits: {r['visitors']} visitors of the population per condition, seed "
          f"{r['seed']}, site {r['site']}; before: the kiosk until now (every context question "
          "first, certainty 0.8)")
    print(f"{'condition':16} {'total med/p90 before -> after':>29} {'least at ease':>14} "
          f"{'context':>11} {'skill':>7} {'agreement':>13} {'needs':>6}")
    for name, c in r["conditions"].items():
        b, a = c["before"], c["after"]
        print(f"{name:16} {b['total_median']:>13.0f}/{b['total_p90']:<3.0f}-> "
              f"{a['total_median']:>4.0f}/{a['total_p90']:<6.0f} "
              f"{b['least_at_ease_median']:>5.0f} -> {a['least_at_ease_median']:<4.0f} "
              f"{b['context_mean']:>4.1f} -> {a['context_mean']:<3.1f} "
              f"{a['skill_median']:>3.0f}/{a['skill_p90']:<3.0f} "
              f"{_pct(b['pathway_agreement']):>5} -> {_pct(a['pathway_agreement']):<5} "
              f"{_pct(a['needs_right']):>6}")
    print("(total: questions before the result, context included; least at ease: median total "
          "of the fifth with the lowest true abilities; context: mean context questions; skill: "
          "skill questions med/p90 after; agreement: claimed pathway = the true levels' pathway "
          "with every true context answer; needs: access needs shown = the true ones)")
    for name, c in r["conditions"].items():
        shares = ", ".join(f"{q} {_pct(v)} %" for q, v in c["context_asked"].items())
        print(f"{name}: context questions asked: {shares}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--visitors", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--context", choices=["default", "urgent"], default="default")
    parser.add_argument("--conditions", nargs="+", choices=[c.name for c in CONDITIONS],
                        default=[c.name for c in CONDITIONS])
    parser.add_argument("--mirt-visitors", type=int, default=200,
                        help="simulees for mirt's multidimensional CAT (about 2 s each; 0: skip)")
    parser.add_argument("--calibration-visitors", type=int, default=1500)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--curve", type=float, nargs="+", metavar="CERTAINTY",
                        help="only the stopping trade-off at these pathway certainties")
    parser.add_argument("--visits", action="store_true",
                        help="only whole visits, context questions included, before and after")
    parser.add_argument("--site", choices=["example", "geneve"], default=None,
                        help="the site whose offers the visits rank (default: the bundled one)")
    parser.add_argument("--guided", action="store_true",
                        help="only guided sessions against the same simulees alone")
    args = parser.parse_args()

    started = time.perf_counter()
    if args.visits:
        run_visits(args, started)
    elif args.curve:
        run_curve(args)
    elif args.guided:
        run_guided(args, started)
    else:
        run_all(args, started)


def _context_of(args: argparse.Namespace) -> dict[str, str]:
    return CONTEXT if args.context == "default" else CONTEXT_URGENT_PHONE


def run_visits(args: argparse.Namespace, started: float) -> None:
    result = visits(args)
    result["seconds"] = round(time.perf_counter() - started, 1)
    if args.json:
        print(json.dumps(result))
        return
    print_visits(result)
    print(f"({result['seconds']} s)")


def run_curve(args: argparse.Namespace) -> None:
    bank, context = default_bank(), _context_of(args)
    settings = bank.engine
    visitors = draw_visitors(args.visitors, settings.domain_correlation,
                             settings.level_cuts, args.seed)
    rows = curve(bank, context, visitors, args.seed, args.curve)
    if args.json:
        print(json.dumps(rows))
        return
    print(f"{'pathway certainty':>17} {'median':>7} {'p90':>5} {'pathway agreement':>18} "
          f"{'level within one':>17}")
    for row in rows:
        print(f"{row['pathway_certainty']:>17.2f} {row['questions_median']:>7.1f} "
              f"{row['questions_p90']:>5.1f} {100 * row['pathway_agreement']:>17.1f}% "
              f"{100 * row['level_within_one']:>16.1f}%")


def run_guided(args: argparse.Namespace, started: float) -> None:
    bank, context = default_bank(), _context_of(args)
    guided = guided_comparison(bank, context, args.visitors, args.seed)
    if args.json:
        print(json.dumps({"visitors": args.visitors, "seed": args.seed, "guided": guided}))
        return
    print(f"{args.visitors} visitors per condition, seed {args.seed}")
    print_guided(guided)
    print(f"({time.perf_counter() - started:.1f} s)")


def run_all(args: argparse.Namespace, started: float) -> None:
    bank, context = default_bank(), _context_of(args)
    settings = bank.engine
    chosen = [c for c in CONDITIONS if c.name in args.conditions]
    conditions = {c.name: run_condition(bank, context, c, args.visitors, args.seed)
                  for c in chosen}
    peer = mirt_peer(bank, context, args, conditions) if args.mirt_visitors else None
    result: dict = {
        "visitors": args.visitors,
        "seed": args.seed,
        "context": context,
        "domain_correlation": settings.domain_correlation,
        "conditions": conditions,
    }
    if "own" in conditions:
        own = draw_visitors(args.visitors, settings.domain_correlation, settings.level_cuts,
                            args.seed)
        length = round(conditions["own"]["questions_median"])
        result["rmse_length"] = length
        result["unidimensional"] = unidimensional(own, sorted({8, length, 12}), args.seed)
    if peer is not None:
        result["mirt"] = peer
    result["guided"] = guided_comparison(bank, context, args.visitors, args.seed)
    result["seconds"] = round(time.perf_counter() - started, 1)
    if args.json:
        print(json.dumps(result))
        return
    print_tables(result)


def _pct(x: float) -> str:
    return f"{100 * x:.1f}"


def print_tables(r: dict) -> None:
    print(f"{r['visitors']} visitors per condition, seed {r['seed']}, context {r['context']}")
    print(f"{'condition':16} {'q med/p90/max':>13} {'@min':>5} {'agree':>6} {'alone':>6} "
          f"{'fixed':>6} {'whole':>6} {'within1':>7} {'ECE':>5} {'>=.8':>5} {'right':>5} "
          f"{'person':>6} {'k.chk':>5}")
    for name, c in r["conditions"].items():
        print(f"{name:16} {c['questions_median']:>5.0f}/{c['questions_p90']:.0f}/"
              f"{c['questions_max']:<3} {_pct(c['stopped_at_minimum']):>5} "
              f"{_pct(c['pathway_agreement']):>6} "
              f"{_pct(c.get('pathway_agreement_decided_alone', 0.0)):>6} "
              f"{_pct(c['fixed_form_pathway_agreement']):>6} "
              f"{_pct(c['full_bank_pathway_agreement']):>6} {_pct(c['level_within_one']):>7} "
              f"{c['ece']:>5.3f} {_pct(c['claims_at_least_0.8']):>5} "
              f"{_pct(c['right_when_at_least_0.8']):>5} {_pct(c['to_person']):>6} "
              f"{c['knowledge_checks_mean']:>5.2f}")
    print("(agree / fixed / whole: pathway agreement in % for the engine, the fixed form of the "
          "engine's median length, the whole bank; alone: the engine's agreement where it "
          "decides without sending the visitor to a person; @min: share stopped at the minimum; "
          ">=.8: "
          "share of claims >= 0.8, right: how often those were right; person: sent to a person "
          "as uncertain; k.chk: knowledge checks per visitor)")
    print("\ncalibration: claimed certainty at the stop -> observed agreement (visitors)")
    labels = [f"{lo:.2f}-{hi:.2f}" for lo, hi in itertools.pairwise(BINS)]
    print(f"{'condition':16} " + " ".join(f"{lab:>18}" for lab in labels))
    for name, c in r["conditions"].items():
        cells = []
        for row in c["calibration"]:
            cells.append(f"{row['claimed']:.2f}->{row['observed']:.2f} ({row['visitors']})"
                         if row["visitors"] else "-")
        print(f"{name:16} " + " ".join(f"{cell:>18}" for cell in cells))
    for name, c in r["conditions"].items():
        extra = [f"{k}={v:.3f}" for k, v in c.items()
                 if k.startswith(("careless_", "over_claimers_"))]
        if c.get("stops"):
            extra.append("stops " + ", ".join(f"{k} {_pct(v)} %" for k, v in c["stops"].items()))
        if extra:
            print(f"{name}: " + "; ".join(extra))
    print_guided(r["guided"])
    if "mirt" in r:
        print_mirt(r["mirt"])
    if "unidimensional" in r:
        u = r["unidimensional"]
        print("\n1-D comparison (RMSE of the general ability at fixed length):")
        for key in sorted(k for k in u if k.startswith(("engine_rmse", "catsim_rmse"))):
            print(f"  {key.replace('_', ' '):24} {u[key]:.3f}")
        print(f"  catsim step p95 (ms)     {u['catsim_step_ms_p95']:.2f}")
    print(f"({r['seconds']} s)")


def print_mirt(m: dict) -> None:
    if "error" in m:
        print(f"\nmirt: {m['error']}")
        return
    c = m["cat"]
    print(f"\nmirt's multidimensional CAT at equal length ({c['length']} questions, "
          f"{c['visitors']} simulees, the same answers):")
    print(f"  pathway agreement  engine {_pct(c['engine_pathway_agreement'])} %   "
          f"mirt {_pct(c['mirt_pathway_agreement'])} %")
    print(f"  level exact        engine {_pct(c['engine_level_exact'])} %   "
          f"mirt {_pct(c['mirt_level_exact'])} %")
    print(f"  step ms p50 / p95  engine {c['engine_step_ms_p50']:.2f} / "
          f"{c['engine_step_ms_p95']:.2f}   mirt {c['mirt_step_ms_p50']:.1f} / "
          f"{c['mirt_step_ms_p95']:.1f}")
    k = m["calibration"]
    print(f"calibration recovery ({k['visitors']} simulees, half the items each; r / RMSE / "
          "errors in standard errors):")
    for label, key in [("kiosk calibrate, can-do a", "kiosk_a"),
                       ("mirt GRM, can-do a", "mirt_grm_a"),
                       ("kiosk calibrate, can-do b", "kiosk_b"),
                       ("mirt GRM, can-do b", "mirt_grm_b"),
                       ("kiosk calibrate, all a", "kiosk_all_items_a"),
                       ("mirt bfactor (dichotomised), all a", "mirt_bifactor_a"),
                       ("kiosk calibrate, all middle b", "kiosk_all_items_middle_b"),
                       ("mirt bfactor (dichotomised), middle b", "mirt_bifactor_middle_b")]:
        v = k[key]
        z = f" / {v['z_spread']:.2f}" if "z_spread" in v else ""
        print(f"  {label:40} {v['r']:.3f} / {v['rmse']:.3f}{z}")
    print(f"  seconds: kiosk {k['kiosk_seconds']:.1f}, mirt GRM {k['mirt_grm_seconds']:.1f}, "
          f"mirt bfactor {k['mirt_bifactor_seconds']:.1f}; standard errors of b, kiosk / mirt: "
          f"{k['se_b_ratio_kiosk_to_mirt']:.2f}")
    p = m["person_fit"]
    print(f"person fit (careless_over, {p['careless_visitors']} careless): flagged careless / "
          f"attentive: engine {_pct(p['engine_flags_careless'])} / "
          f"{_pct(p['engine_flags_attentive'])} %, mirt lz {_pct(p['mirt_lz_flags_careless'])} / "
          f"{_pct(p['mirt_lz_flags_attentive'])} %")


if __name__ == "__main__":
    main()
