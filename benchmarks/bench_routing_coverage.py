"""How long `kiosk validate` spends proving the routing rules cover every visitor.

Vectorised brute force (kiosk.bank.coverage) against the naive design, one Router.decide call
per case, on the same cases (all 4096 level vectors for one context combination), then the
whole default bank's check (every combination). Prints a table; --json prints one object.
"""

from __future__ import annotations

import json
import sys
import time
from statistics import median

from kiosk.bank.conditions import Facts
from kiosk.bank.coverage import case_count, routing_problems
from kiosk.domain import DOMAIN_IDS
from kiosk.level_vectors import ALL_LEVEL_VECTORS, first_match
from kiosk.visit import load_assessment


def _best_of(runs: int, work) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return median(times)


def main() -> None:
    assessment = load_assessment()
    bank, router = assessment.bank, assessment.router
    context = {"urgency": "today"}
    rules = [rule.when for rule in bank.routing]
    answers = bank.context_answers()
    rows = [dict(zip(DOMAIN_IDS, map(int, row), strict=True)) for row in ALL_LEVEL_VECTORS]

    def vectorised_once() -> None:
        facts = Facts(ALL_LEVEL_VECTORS, context)
        first_match((rule.evaluate(facts) for rule in rules), len(ALL_LEVEL_VECTORS))

    vectorised = _best_of(20, vectorised_once)
    naive = _best_of(1, lambda: [router.decide(r, context) for r in rows])
    whole = _best_of(5, lambda: routing_problems(rules, answers))
    result = {
        "cases_per_combination": len(ALL_LEVEL_VECTORS),
        "combinations": case_count(rules, answers),
        "vectorised_one_combination_ms": round(vectorised * 1000, 3),
        "naive_decide_loop_one_combination_ms": round(naive * 1000, 1),
        "speedup": round(naive / vectorised, 1),
        "whole_bank_check_ms": round(whole * 1000, 1),
    }
    if "--json" in sys.argv:
        print(json.dumps(result))
        return
    for key, value in result.items():
        print(f"{key:40} {value}")


if __name__ == "__main__":
    main()
