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

from kiosk import paths
from kiosk.bank.conditions import Facts
from kiosk.bank.coverage import ALL_LEVEL_VECTORS, case_count, first_match, routing_problems
from kiosk.bank.loader import load_bank
from kiosk.domain import DOMAIN_IDS
from kiosk.routing import Router


def _best_of(runs: int, work) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return median(times)


def main() -> None:
    bank = load_bank(paths.default_bank())
    router = Router(bank)
    context = {"urgency": "today"}
    conditions = [rule.when for rule in bank.routing]
    rows = [dict(zip(DOMAIN_IDS, map(int, row), strict=True)) for row in ALL_LEVEL_VECTORS]

    vectorised = _best_of(20, lambda: first_match(conditions, Facts(ALL_LEVEL_VECTORS, context)))
    naive = _best_of(1, lambda: [router.decide(r, context) for r in rows])
    whole = _best_of(5, lambda: routing_problems(bank))
    result = {
        "cases_per_combination": len(ALL_LEVEL_VECTORS),
        "combinations": case_count(bank),
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
