"""Does a stored record single anyone out? Uniqueness within a site and week, before and after
the split of schema 2, at 10, 30 and 100 visitors a week.

A pool of visitors from ``kiosk.demo_data.Population`` (mostly French speakers, older people
over-represented, online procedures the first reason, abilities falling with age: the shares
are written out there) is run through the real engine and routing. Each simulated week draws
its visitors from the pool without replacement; a record is *unique* when no other record of
its week shares its values on the quasi-identifiers, i.e. someone who knows those few facts
about a visitor (language, rough age, why they came, the pathway and needs on their take-away)
finds their record, and with it their levels.

- before: the schema-1 record, as stored until now (language, every context answer, age band,
  pathway, needs, levels and answers in one record).
- after: the statistical record of schema 2 on the same quasi-identifiers (language, age band,
  reason, pathway, needs): it keeps only the pathway of them; the rest is counted in the
  week's tally, with no row per visitor.

Answer sheets share no field with the statistical record but the questionnaire; what is left
to join them is the order of the files (broken by the shuffled batches) and the levels, which
an attacker could recompute from a sheet's answers. The last table gives the share of sheets
whose levels match exactly one statistical record among those the sheet could belong to: its
batch (if an attacker aligned the two files), its quarter (the only time a sheet carries).

    python benchmarks/privacy.py [--pool 2000] [--seed 1] [--json]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from kiosk.bank.model import AGE_QUESTION
from kiosk.demo_data import Population, visit_of
from kiosk.records import REASON_QUESTION, AnswerSheet, VisitRecord
from kiosk.storage.store import BATCH
from kiosk.visit import load_assessment

SIZES = (10, 30, 100)
TARGET_AT_30 = 0.10
WEEKS_PER_QUARTER = 13


@dataclass(frozen=True)
class Visitor:
    language: str
    context: tuple[tuple[str, str], ...]  # every context answer, as schema 1 stored them
    needs: tuple[str, ...]
    record: VisitRecord  # as schema 2 stores it
    levels: tuple[int, ...]

    def answer(self, question: str) -> str | None:
        return dict(self.context).get(question)

    def stored(self, *fields: str) -> tuple[Any, ...]:
        """The values of ``fields`` in the schema-2 statistical record (None: not kept)."""
        return tuple(getattr(self.record, name, None) for name in fields)


def simulate(pool: int, seed: int) -> list[Visitor]:
    assessment = load_assessment()
    population = Population()
    rng = np.random.default_rng(seed)
    visitors = []
    for _ in range(pool):
        language, context, ability = population.draw(rng)
        outcome = visit_of(assessment, rng, date(2026, 11, 26), language, context, ability)
        record = outcome.record
        visitors.append(Visitor(language, tuple(sorted(context.items())),
                                tuple(outcome.decision.needs), record,
                                tuple(record.levels.get(d, -1) for d in sorted(record.levels))))
    return visitors


Key = Callable[[Visitor], tuple[Any, ...]]

TARGET = "after: language, age band, reason, pathway, needs"
QUASI_IDENTIFIERS: dict[str, Key] = {
    "before: language, age band, every context answer": lambda v: (v.language, v.context),
    "before: language, pathway, needs (the take-away)": lambda v: (
        v.language, v.record.pathway, v.needs),
    "before: language, age band, reason, pathway, needs": lambda v: (
        v.language, v.answer(AGE_QUESTION), v.answer(REASON_QUESTION), v.record.pathway,
        v.needs),
    TARGET: lambda v: v.stored("language", "age_band", "reason", "pathway", "access_needs"),
    "after: pathway, completion, duration band": lambda v: v.stored(
        "pathway", "completion", "duration"),
}


def unique_share(groups: Sequence[Sequence[Visitor]], key: Key) -> float:
    unique = total = 0
    for group in groups:
        counts = Counter(map(key, group))
        unique += sum(counts[key(v)] == 1 for v in group)
        total += len(group)
    return unique / total


def weeks(visitors: list[Visitor], size: int, rng: np.random.Generator,
          visits: int = 6000) -> list[list[Visitor]]:
    """Enough weeks of ``size`` visitors for about ``visits`` records in all."""
    return [[visitors[i] for i in rng.choice(len(visitors), size, replace=False)]
            for _ in range(max(20, visits // size))]


def measure(pool: int, seed: int) -> dict[str, Any]:
    visitors = simulate(pool, seed)
    rng = np.random.default_rng(seed + 1)
    uniqueness: dict[str, dict[int, float]] = {name: {} for name in QUASI_IDENTIFIERS}
    joins: dict[str, dict[int, float]] = {"batch": {}, "quarter": {}}
    levels: Key = lambda v: v.levels  # noqa: E731
    for size in SIZES:
        drawn = weeks(visitors, size, rng)
        for name, key in QUASI_IDENTIFIERS.items():
            uniqueness[name][size] = unique_share(drawn, key)
        batches = weeks(visitors, BATCH, rng, visits=3000)
        quarters = weeks(visitors, min(pool, size * WEEKS_PER_QUARTER), rng,
                         visits=max(3000, size * WEEKS_PER_QUARTER))
        joins["batch"][size] = unique_share(batches, levels)
        joins["quarter"][size] = unique_share(quarters, levels)
    shared = sorted(set(VisitRecord.model_fields) & set(AnswerSheet.model_fields))
    return {"pool": pool, "seed": seed, "uniqueness": uniqueness, "joins_by_levels": joins,
            "fields_shared_by_both_records": shared, "batch": BATCH,
            "target_at_30": TARGET_AT_30,
            "met": uniqueness[TARGET][30] <= TARGET_AT_30}


def table(result: dict[str, Any]) -> str:
    head = " | ".join(f"{size}/week" for size in SIZES)
    rows = [f"unique within site and week, on | {head}", "---|" + "---|" * (len(SIZES) - 1)
            + "---"]
    for name, shares in result["uniqueness"].items():
        rows.append(f"{name} | " + " | ".join(f"{shares[s]:.1%}" for s in SIZES))
    rows.append("")
    rows.append(f"answer sheet whose levels match one record only, among | {head}")
    rows.append("---|" + "---|" * (len(SIZES) - 1) + "---")
    joins = result["joins_by_levels"]
    rows.append(f"its batch of {result['batch']} (if the files were aligned) | "
                + " | ".join(f"{joins['batch'][s]:.1%}" for s in SIZES))
    rows.append("its quarter (all a sheet tells of time) | "
                + " | ".join(f"{joins['quarter'][s]:.1%}" for s in SIZES))
    rows.append("")
    rows.append(f"fields both records carry: {', '.join(result['fields_shared_by_both_records'])}")
    rows.append(f"target at 30/week (after) <= {result['target_at_30']:.0%}: "
                f"{'met' if result['met'] else 'MISSED'} ({result['pool']} simulated visitors, "
                f"seed {result['seed']})")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pool", type=int, default=2000, help="visitors simulated in full")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = measure(args.pool, args.seed)
    print(json.dumps(result, indent=1) if args.json else table(result))


if __name__ == "__main__":
    main()
