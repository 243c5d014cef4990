"""Time for the engine to take one answer and choose the next question.

For banks of 60, 600 and 6,000 items (perturbed copies of the bundled bank's items), simulated
visitors answer their series with the bank's own stopping rules (so the look-ahead of the
futility stop is timed where it runs); each ``AdaptiveSession.answer`` (update, stopping check,
selection) is timed. catsim's step (ML estimate + maximum information selection) on a 2PL version
of the same bank, for ``max_questions`` steps, runs in the same process as the baseline.

    python benchmarks/engine_speed.py [--visitors 100] [--sizes 60 600 6000] [--json]
"""

from __future__ import annotations

import argparse
import json
from time import perf_counter

import numpy as np
from simulation import (
    CONTEXT,
    Simulator,
    answer_option,
    catsim_unidimensional,
    default_bank,
    dichotomised,
    draw_visitors,
    synthetic_bank,
    unidimensional_responses,
)

from kiosk.engine.session import AdaptiveSession


def engine_steps(sim: Simulator, theta: np.ndarray, seed: int) -> list[float]:
    steps: list[float] = []
    for k, visitor in enumerate(theta):
        rng = np.random.default_rng(seed + k)
        session = AdaptiveSession(sim.pool, sim.router, sim.context, seed=seed + k)
        while (item := session.current) is not None:
            i = sim.pool.index[item.id]
            option = answer_option(item, sim.answer_models[i], visitor[sim.pool.domain_of[i]],
                                   rng, sim.scale)
            start = perf_counter()
            session.answer(option)
            steps.append(perf_counter() - start)
    return steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--visitors", type=int, default=100)
    parser.add_argument("--sizes", type=int, nargs="+", default=[60, 600, 6000])
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    base = default_bank()
    settings = base.engine
    visitors = draw_visitors(args.visitors, settings.domain_correlation, settings.level_cuts,
                             args.seed)
    result: dict[str, object] = {"visitors": args.visitors,
                                 "catsim_steps_per_visitor": settings.max_questions}
    for size in args.sizes:
        bank = synthetic_bank(base, size, args.seed)
        ours = np.array(engine_steps(Simulator(bank, CONTEXT, None), visitors.theta, args.seed))
        result[f"steps_{size}"] = len(ours)
        params = dichotomised(bank.items)
        responses = unidimensional_responses(params, visitors.general, args.seed)
        _, theirs = catsim_unidimensional(params, responses, settings.max_questions)
        for name, steps in (("step", ours), ("catsim_step", theirs)):
            result[f"{name}_ms_p50_{size}"] = float(np.percentile(steps, 50) * 1e3)
            result[f"{name}_ms_p95_{size}"] = float(np.percentile(steps, 95) * 1e3)
        result[f"speedup_p95_{size}"] = (
            result[f"catsim_step_ms_p95_{size}"] / result[f"step_ms_p95_{size}"]
        )
    result["step_ms_p95"] = {s: result[f"step_ms_p95_{s}"] for s in args.sizes}
    result["catsim_step_ms_p95"] = {s: result[f"catsim_step_ms_p95_{s}"] for s in args.sizes}
    if args.json:
        print(json.dumps(result))
        return
    targets = {60: "≤ 1", 6000: "≤ 20"}
    print(f"{args.visitors} visitors per bank size (their own series; catsim "
          f"{settings.max_questions} steps each)")
    print(f"{'items':>6} {'engine p50':>11} {'engine p95':>11} {'catsim p50':>11} "
          f"{'catsim p95':>11} {'catsim/engine p95':>18} {'target p95 ms':>14}")
    for s in args.sizes:
        print(f"{s:>6} {result[f'step_ms_p50_{s}']:>11.3f} {result[f'step_ms_p95_{s}']:>11.3f} "
              f"{result[f'catsim_step_ms_p50_{s}']:>11.3f} "
              f"{result[f'catsim_step_ms_p95_{s}']:>11.3f} {result[f'speedup_p95_{s}']:>18.2f} "
              f"{targets.get(s, ''):>14}")


if __name__ == "__main__":
    main()
