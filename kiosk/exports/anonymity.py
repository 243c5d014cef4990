"""k-anonymity: no exported record shares its quasi-identifiers with fewer than k-1 others.

The quasi-identifiers are what someone could know of a visitor without seeing their record:
where and when they came, whether a mediator was with them, and the pathway on the take-away
they were handed. Where fewer than k records share a combination, their period is coarsened,
week to month to quarter to year to "any time", for those records only (the others keep their
week), and records still too few at "any time" are left out. The report says how many records
went out at each step.

Coarsening only the rare ones is safe because a record's coarsened combination is shared by k
records or more at that step: someone who knows a visitor's week finds them either among the
records of that week (k or more) or among those of a coarser period that holds it (k or more).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from kiosk.stats.periods import ALL_TIME, PeriodUnit, period_of, unit_of

# What someone could know of a visitor: stored fields of the statistical record.
RECORD_QUASI_IDENTIFIERS = ("site_id", "period", "mode", "pathway")
# An answer sheet carries only its questionnaire and quarter.
SHEET_QUASI_IDENTIFIERS = ("questionnaire_id", "questionnaire_version", "period")
LADDER: tuple[PeriodUnit | None, ...] = ("week", "month", "quarter", "year", None)

Key = tuple[object, ...]  # a record's quasi-identifiers, its period where ``at`` says


@dataclass
class Generalisation:
    """For each combination of quasi-identifiers, the period its records are exported with
    (None: left out), and how many records went out at each step."""

    k: int
    periods: dict[Key, str | None] = field(default_factory=dict)
    by_step: Counter[str] = field(default_factory=Counter)  # "week", ..., "any": records
    left_out: int = 0

    @property
    def kept(self) -> int:
        return self.by_step.total()


def generalise(classes: Mapping[Key, int], k: int, at: int) -> Generalisation:
    """Coarsen the period (``key[at]``) of the rare combinations, step by step."""
    plan = Generalisation(k)
    pending = dict(classes)
    for unit in LADDER:
        groups: defaultdict[Key, list[Key]] = defaultdict(list)
        for key in pending:
            coarse = (*key[:at], period_of(str(key[at]), unit), *key[at + 1:])
            groups[coarse].append(key)
        for coarse, members in groups.items():
            size = sum(pending[m] for m in members)
            if size < k:
                continue
            period = str(coarse[at])
            for member in members:
                plan.periods[member] = period
                del pending[member]
            plan.by_step[_step(period)] += size
    plan.periods |= dict.fromkeys(pending)
    plan.left_out = sum(pending.values())
    return plan


def _step(period: str) -> str:
    return "any" if period == ALL_TIME else unit_of(period) or "any"


def key_of(raw: Mapping[str, object], names: Sequence[str], period: str) -> Key:
    """A stored record's quasi-identifiers (its period given)."""
    return tuple([period if name == "period" else raw.get(name) for name in names])
