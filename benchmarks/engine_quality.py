"""Does the engine classify visitors correctly in about ten questions?

Simulated visitors answer the adaptive engine; the same visitors answer a fixed domain-balanced
form of the adaptive median's length and the whole bank (baselines), and, on a unidimensional 2PL
version of the bank, both catsim and the kiosk's estimator at the same fixed length. A second run
draws the answers from perturbed parameters (a miscalibrated bank).

    python benchmarks/engine_quality.py [--visitors 2000] [--seed 7] [--context urgent] [--json]
    python benchmarks/engine_quality.py --curve 0.7 0.75 0.8 0.85  # stopping trade-off only
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
from simulation import (
    CONTEXT,
    CONTEXT_URGENT_PHONE,
    Outcome,
    Simulator,
    Visitors,
    catsim_unidimensional,
    default_bank,
    dichotomised,
    draw_visitors,
    engine_unidimensional,
    perturbed_models,
    unidimensional_responses,
)

from kiosk.bank.model import Bank


def scores(sim: Simulator, visitors: Visitors, outcomes: list[Outcome]) -> dict[str, float]:
    levels = np.stack([o.levels for o in outcomes])
    ability = np.stack([o.ability for o in outcomes])
    truth = sim.pathway(visitors.levels)
    gap = np.abs(levels - visitors.levels)
    return {
        "pathway_agreement": float(np.mean(sim.pathway(levels) == truth)),
        "level_exact": float(np.mean(gap == 0)),
        "level_within_one": float(np.mean(gap <= 1)),
        "domain_rmse": float(np.sqrt(np.mean((ability - visitors.theta) ** 2))),
    }


def run(sim: Simulator, visitors: Visitors, seed: int) -> dict[str, float | int]:
    n = visitors.theta.shape[0]
    adaptive = [sim.adaptive(visitors.theta[k], seed + k) for k in range(n)]
    asked = np.array([o.asked for o in adaptive])
    median = int(np.ceil(np.median(asked)))
    form = sim.balanced_form(median)
    whole = sim.whole_bank()
    fixed = [sim.fixed(form, visitors.theta[k], seed + k) for k in range(n)]
    full = [sim.fixed(whole, visitors.theta[k], seed + k) for k in range(n)]
    out: dict[str, float | int] = {
        "knowledge_checks_mean": float(np.mean([o.knowledge for o in adaptive])),
        "knowledge_checks_none": float(np.mean([o.knowledge == 0 for o in adaptive])),
        "questions_median": float(np.median(asked)),
        "questions_p90": float(np.percentile(asked, 90)),
        "questions_max": int(asked.max()),
        "fixed_form_length": median,
        "full_bank_length": len(whole),
    }
    out |= scores(sim, visitors, adaptive)
    out |= {f"fixed_form_{k}": v for k, v in scores(sim, visitors, fixed).items()}
    out |= {f"full_bank_{k}": v for k, v in scores(sim, visitors, full).items()}
    return out


def curve(bank: Bank, context: dict[str, str], visitors: Visitors, seed: int,
          thresholds: list[float]) -> list[dict[str, float]]:
    """The engine alone at several pathway-certainty stopping thresholds: questions against
    agreement (the bank's own answering model)."""
    rows = []
    for threshold in thresholds:
        settings = bank.engine.model_copy(update={"pathway_certainty": threshold})
        sim = Simulator(bank.model_copy(update={"engine": settings}), context, None)
        outcomes = [sim.adaptive(visitors.theta[k], seed + k) for k in range(len(visitors.theta))]
        asked = np.array([o.asked for o in outcomes])
        rows.append({"pathway_certainty": threshold, "questions_median": float(np.median(asked)),
                     "questions_p90": float(np.percentile(asked, 90)),
                     **scores(sim, visitors, outcomes)})
    return rows


def unidimensional(visitors: Visitors, lengths: list[int], seed: int) -> dict[str, float]:
    bank = default_bank()
    params = dichotomised(bank.items)
    responses = unidimensional_responses(params, visitors.general, seed)
    out: dict[str, float] = {}
    for length in lengths:
        ours = engine_unidimensional(params, responses, length)
        theirs, steps = catsim_unidimensional(params, responses, length)
        out[f"engine_rmse_{length}"] = float(np.sqrt(np.mean((ours - visitors.general) ** 2)))
        out[f"catsim_rmse_{length}"] = float(np.sqrt(np.mean((theirs - visitors.general) ** 2)))
    out["catsim_step_ms_p95"] = float(np.percentile(steps, 95) * 1e3)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--visitors", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--context", choices=["default", "urgent"], default="default")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--curve", type=float, nargs="+", metavar="CERTAINTY",
                        help="only the stopping trade-off at these pathway certainties")
    args = parser.parse_args()

    started = time.perf_counter()
    bank = default_bank()
    context = CONTEXT if args.context == "default" else CONTEXT_URGENT_PHONE
    settings = bank.engine
    visitors = draw_visitors(args.visitors, settings.domain_correlation, settings.level_cuts,
                             args.seed)
    if args.curve:
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
        return
    fit = run(Simulator(bank, context, None), visitors, args.seed)
    misfit = run(Simulator(bank, context, perturbed_models(bank.items, args.seed)), visitors,
                 args.seed)
    length = round(fit["questions_median"])
    uni = unidimensional(visitors, sorted({8, length, 12}), args.seed)
    result = {
        "visitors": args.visitors,
        "seed": args.seed,
        "context": context,
        "domain_correlation": settings.domain_correlation,
        **fit,
        "catsim_rmse": uni[f"catsim_rmse_{length}"],
        "engine_rmse": uni[f"engine_rmse_{length}"],
        "rmse_length": length,
        **{k: v for k, v in uni.items()},
        "misfit": misfit,
        "seconds": round(time.perf_counter() - started, 1),
    }
    if args.json:
        print(json.dumps(result))
        return
    print_table(result)


def print_table(r: dict) -> None:
    m = r["misfit"]
    rows = [
        ("questions median / p90 / max", f"{r['questions_median']:.0f} / "
         f"{r['questions_p90']:.0f} / {r['questions_max']}", "≤10 / ≤14",
         f"{m['questions_median']:.0f} / {m['questions_p90']:.0f} / {m['questions_max']}"),
    ]
    for label, key in [
        ("pathway agreement", "pathway_agreement"),
        ("level exact", "level_exact"),
        ("level within one", "level_within_one"),
    ]:
        for who, prefix in [("engine", ""), ("fixed form", "fixed_form_"), ("whole bank",
                                                                            "full_bank_")]:
            rows.append((f"{label}, {who}", f"{100 * r[prefix + key]:.1f} %", "",
                         f"{100 * m[prefix + key]:.1f} %"))
    rows.append(("knowledge checks per visitor (mean / share 0)",
                 f"{r['knowledge_checks_mean']:.2f} / {100 * r['knowledge_checks_none']:.0f} %", "",
                 f"{m['knowledge_checks_mean']:.2f} / {100 * m['knowledge_checks_none']:.0f} %"))
    rows.append(("domain RMSE, engine", f"{r['domain_rmse']:.3f}", "",
                 f"{m['domain_rmse']:.3f}"))
    for key in sorted(k for k in r if k.startswith(("engine_rmse_", "catsim_rmse_"))):
        rows.append((f"1-D {key.replace('_', ' ')}", f"{r[key]:.3f}", "", ""))
    rows.append(("catsim step p95 (ms)", f"{r['catsim_step_ms_p95']:.2f}", "", ""))
    print(f"{r['visitors']} visitors, seed {r['seed']}, context {r['context']}, "
          f"fixed form of {r['fixed_form_length']} items, whole bank {r['full_bank_length']}")
    print(f"{'figure':42} {'bank fits':>14} {'target':>10} {'misfit':>14}")
    for label, value, target, mis in rows:
        print(f"{label:42} {value:>14} {target:>10} {mis:>14}")
    print(f"({r['seconds']} s)")


if __name__ == "__main__":
    main()
