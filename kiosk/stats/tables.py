"""Tables as published: counts and shares with the cells that must not be shown hidden, and
the advice to group more coarsely where most of a table is hidden."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kiosk.stats.counting import CountTable, Facts, count
from kiosk.stats.periods import coarser
from kiosk.stats.protection import TOTAL, Axis, Category, Key, protect_table
from kiosk.stats.suppression import DEFAULT_K, MIN_K

MOSTLY = 0.5  # above this share of hidden cells, a coarser grouping is offered
# Every dimension alone: the coordinators' overview.
SUMMARY = ("month", "site", "pathway", "level", "need", "reason", "age_band", "language", "mode",
           "completion", "duration", "theme", "autonomy", "redirection", "session_length")


@dataclass(frozen=True)
class Advice:
    """How to group more coarsely: another period unit, all sites together, or fewer
    dimensions."""

    kind: str  # "period", "all_sites" or "fewer"
    dimension: str
    instead: str | None = None  # the coarser period unit


@dataclass(frozen=True)
class Published:
    table: CountTable
    hidden: frozenset[Key]
    k: int

    @property
    def rows(self) -> Axis:
        return self.table.rows

    @property
    def columns(self) -> Axis | None:
        return self.table.columns

    def count(self, row: Category, column: Category = TOTAL) -> int | None:
        """The published count, None where it is hidden or means nothing (a total of needs)."""
        key = (row, column)
        if key in self.hidden or (key not in self.table.counts and not self._inside(key)):
            return None
        return self.table.counts.get(key, 0)

    def share(self, row: Category, column: Category = TOTAL) -> float | None:
        """The share of its row total (of the whole, in a one-way table), or of the visits
        where the categories do not add up; None unless both are published."""
        part = self.count(row, column)
        if self.columns is None or column is TOTAL:
            whole = self.count(TOTAL, TOTAL) if row is not TOTAL else part
            if whole is None and not self.rows.additive:
                whole = self.table.base if self.table.base >= self.k else None
        else:
            whole = self.count(row, TOTAL)
        return None if part is None or not whole else part / whole

    @property
    def inside(self) -> list[Key]:
        columns = self.columns.categories if self.columns else (TOTAL,)
        return [(r, c) for r in self.rows.categories for c in columns]

    @property
    def hidden_inside(self) -> tuple[int, int]:
        """Hidden cells among the inside cells that hold anyone, and how many hold anyone."""
        occupied = [key for key in self.inside if self.table.counts.get(key, 0)]
        return sum(key in self.hidden for key in occupied), len(occupied)

    @property
    def advice(self) -> Advice | None:
        hidden, occupied = self.hidden_inside
        if not occupied or hidden / occupied <= MOSTLY:
            return None
        axes = [self.rows, *([self.columns] if self.columns else [])]
        for axis in axes:
            if axis.unit is not None and (up := coarser(axis.unit)) is not None:
                return Advice("period", axis.name, up)
        if "site" in self.table.dimensions and len(axes) == 2:
            return Advice("all_sites", "site")
        return Advice("fewer", axes[-1].name)

    def _inside(self, key: Key) -> bool:
        row, column = key
        return row is not TOTAL and (column is TOTAL) == (self.columns is None)


def check_k(k: int) -> int:
    if k < MIN_K:
        raise ValueError(f"--min-count {k} is too small: cells under {MIN_K} people single them "
                         f"out; use {MIN_K} or more (the default is {DEFAULT_K})")
    return k


def publish(facts: Facts, by: Sequence[str], k: int = DEFAULT_K) -> list[Published]:
    """The tables ``by`` asks for, each with its cells under ``k`` and those that would give
    them away hidden."""
    check_k(k)
    published = []
    for weekly in count(facts, by):
        hidden = protect_table(weekly.rows, weekly.columns, weekly.counts, k)
        table = weekly.shown()
        rows = {*table.rows.categories, TOTAL}
        columns = {*table.columns.categories, TOTAL} if table.columns else {TOTAL}
        published.append(Published(table, frozenset(
            (r, c) for r, c in hidden if r in rows and c in columns), k))
    return published


def summary(facts: Facts, k: int = DEFAULT_K) -> list[Published]:
    """Every dimension alone (the levels, every domain by level)."""
    return [table for dimension in SUMMARY for table in publish(facts, [dimension], k)]
