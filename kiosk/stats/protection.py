"""Which cells of a one- or two-way table of counts to hide, consistently across tables.

Every table the kiosk publishes shares cells with others: the counts by site of a table "site
by pathway" are the table "by site"; the weeks of a month add up to that month in the table by
month. So:

1. a period is always protected down to its weeks, whatever the table shows: a table by month
   and a table by week are two views of one computation over the whole tree (years, quarters,
   months, weeks), so each hides what the other relies on;
2. the margins of a two-way table are protected first, as the one-way tables they also are
   (the same function on the same counts: "by site" and the sites of "site by pathway" hide
   the same cells);
3. then the inside, as τ-ARGUS's hierarchical method (HiTaS) does: one sub-table per period
   (the rows by that period's children, the period as their total), its margins fixed,
   hiding inside cells only (a margin only when nothing inside can do it, as with a row whose
   only non-zero cell is under the threshold: then the one-way table shows a margin cell that
   this table hides); and each row through all its levels at once, since a row's weeks and
   months are also linked through its quarters. Sub-tables and rows are gone through again
   until neither hides anything more.

Every audit here is exact (see ``suppression``): a one-way tree, a sub-table and a row each put
a cell in two equations at most. A two-way table with a period puts some cells in three (their
row's period, their own period's weeks, their column): no single audit sees all three at once,
as in τ-ARGUS's method; the tests audit such tables as a whole with linear programming.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kiosk.stats.periods import PeriodUnit, coarser, period_of, unit_of
from kiosk.stats.suppression import Equation, primary, protect

TOTAL = None  # the row or column of totals
Category = str | None
Key = tuple[Category, Category]  # (row, column); a one-way table's cells are (category, TOTAL)


@dataclass(frozen=True)
class Axis:
    """One dimension of a table: its categories in order; whether they add up to its total
    (one category per visit: a visitor has one age band, but may have several needs). A period
    axis holds weeks, and ``unit`` says which periods the table shows."""

    name: str
    categories: tuple[str, ...]
    additive: bool = True
    unit: PeriodUnit | None = None


Tree = dict[Category, list[str]]  # each total and the categories that add up to it


def tree_of(axis: Axis) -> Tree:
    """The nesting of an axis: all of it under TOTAL; a period axis from its weeks through
    every coarser period (weeks under their months, months under their quarters...)."""
    if axis.unit is None:
        return {TOTAL: list(axis.categories)}
    tree: Tree = {}
    level = list(axis.categories)
    unit: PeriodUnit | None = "week"
    while unit is not None:
        up = coarser(unit)
        for period in level:
            parent = period_of(period, up) if up else TOTAL
            siblings = tree.setdefault(parent, [])
            if period not in siblings:
                siblings.append(period)
        level = [p for p in tree if p is not TOTAL and unit_of(p) == up]
        unit = up
    return tree


def top_down(tree: Tree) -> list[Category]:
    """The totals of a tree, each before the categories under it."""
    order: list[Category] = [TOTAL]
    for parent in order:
        order += [c for c in tree.get(parent, []) if c in tree]
    return [p for p in order if p in tree]


def protect_table(rows: Axis, columns: Axis | None, counts: Mapping[Key, int],
                  k: int) -> set[Key]:
    """The cells to hide, at every level of a period (weeks, months ... and totals).

    ``counts`` holds the inside cells (a one-way table's are ``(category, TOTAL)``; a period's
    are its weeks) and the margins that mean something (none across categories that do not
    add up). At most one axis is a period."""
    if columns is None:
        values = {c: counts.get((c, TOTAL), 0) for c in rows.categories}
        if (TOTAL, TOTAL) in counts:
            values[TOTAL] = counts[TOTAL, TOTAL]
        return {(c, TOTAL) for c in _protect_line(rows, values, k)}
    if rows.unit is not None:  # the period goes across, where the sub-tables split it
        swapped = {(c, r): n for (r, c), n in counts.items()}
        return {(r, c) for (c, r) in _protect_grid(columns, rows, swapped, k)}
    return _protect_grid(rows, columns, counts, k)


def _protect_line(axis: Axis, values: Mapping[Category, int], k: int) -> set[Category]:
    """A one-way table through its whole tree: the categories (and totals) to hide. A cell of
    a one-way tree is in two equations at most (its own total's and its parent's), so one
    exact audit covers every level: the smallest counts are hidden first, whatever their
    level, and the grand total only if nothing else will do."""
    tree = tree_of(axis)
    everything = _with_totals(tree, values, axis.additive)
    equations = [Equation(parent, tuple(children)) for parent, children in tree.items()
                 if parent in everything and (axis.additive or parent is not TOTAL)]
    cells = [c for children in tree.values() for c in children]
    return protect(everything, equations,
                   primary({c: n for c, n in everything.items() if c in tree or c in cells}, k),
                   _cheapest(cells, everything), [TOTAL] if TOTAL in everything else [])


def _with_totals(tree: Tree, values: Mapping[Category, int],
                 additive: bool) -> dict[Category, int]:
    """The values, with every total of the tree summed from its categories (the grand total
    only where the categories add up to it, and only when not given)."""
    everything = dict(values)

    def total(category: Category) -> int:
        if category not in everything:
            everything[category] = sum(total(c) for c in tree[category])
        return everything[category]

    for parent in tree:
        if parent is not TOTAL or additive:
            total(parent)
    return everything


def _protect_grid(rows: Axis, columns: Axis, counts: Mapping[Key, int], k: int) -> set[Key]:
    """A two-way table whose rows are not periods."""
    tree = tree_of(columns)
    row_margins = _margins(rows, counts, columns.additive, lambda r: (r, TOTAL))
    column_margins = _margins(columns, counts, rows.additive, lambda c: (TOTAL, c))
    hidden: set[Key] = set()
    if row_margins:
        hidden |= {(r, TOTAL) for r in _protect_line(rows, row_margins, k)}
    if column_margins:
        hidden |= {(TOTAL, c) for c in _protect_line(columns, column_margins, k)}
    cells = _cells(rows, columns, tree, counts, column_margins)
    while True:  # until the sub-tables and the rows agree
        before = len(hidden)
        for parent in top_down(tree):
            hidden = _protect_sub_table(rows.categories, tree[parent], parent, cells, hidden, k)
        for row in rows.categories:
            hidden = _protect_row(row, tree, cells, hidden)
        if len(hidden) == before:
            return hidden


def _protect_sub_table(rows: Sequence[str], children: Sequence[str], parent: Category,
                       cells: Mapping[Key, int], hidden: set[Key], k: int) -> set[Key]:
    """The rows by ``parent``'s children, ``parent`` their total: only the inside may be
    hidden (a margin only when nothing inside can do it)."""
    inside = [(r, c) for r in rows for c in children]
    equations = _sub_table(rows, children, parent, cells)
    margins = list(dict.fromkeys(key for eq in equations for key in (eq.total, *eq.members)
                                 if key not in inside))
    return hidden | protect(cells, equations,
                            {key for key in (*margins, *inside) if key in hidden}
                            | primary({c: cells[c] for c in inside}, k),
                            _cheapest(inside, cells), _cheapest(margins, cells))


def _protect_row(row: str, tree: Tree, cells: Mapping[Key, int], hidden: set[Key]) -> set[Key]:
    """One row through every level of the period at once: the sub-tables see one period and
    its children at a time, while a row's months and weeks are linked through its quarters
    (two months hidden under a published quarter, each with hidden weeks, can give each
    other away). A cell is in two of a row's equations at most: this audit is exact too."""
    equations = [Equation((row, parent), tuple((row, c) for c in children))
                 for parent, children in tree.items() if (row, parent) in cells]
    inside = [(row, c) for children in tree.values() for c in children]
    return hidden | protect(cells, equations, {key for key in hidden if key[0] == row},
                            _cheapest(inside, cells),
                            [(row, TOTAL)] if (row, TOTAL) in cells else [])


def _margins(axis: Axis, counts: Mapping[Key, int], exist: bool,
             key: Callable[[Category], Key]) -> dict[Category, int]:
    """The margin along ``axis`` (each category summed over the other axis, and the grand
    total where there is one), if the other axis adds up; else none."""
    if not exist:
        return {}
    found = {c: counts.get(key(c), 0) for c in axis.categories}
    if (TOTAL, TOTAL) in counts:
        found[TOTAL] = counts[TOTAL, TOTAL]
    return found


def _cells(rows: Axis, columns: Axis, tree: Tree, counts: Mapping[Key, int],
           column_margins: Mapping[Category, int]) -> dict[Key, int]:
    """Every cell: the inside at each level of the column tree, and the margins that exist."""
    cells: dict[Key, int] = {}
    for r in rows.categories:
        line: dict[Category, int] = {c: counts.get((r, c), 0) for c in columns.categories}
        if (r, TOTAL) in counts:
            line[TOTAL] = counts[r, TOTAL]
        cells |= {(r, c): n for c, n in _with_totals(tree, line, columns.additive).items()}
    if column_margins:
        margins = _with_totals(tree, column_margins, columns.additive)
        cells |= {(TOTAL, c): n for c, n in margins.items()}
    return cells


def _sub_table(rows: Sequence[str], children: Sequence[str], parent: Category,
               cells: Mapping[Key, int]) -> list[Equation]:
    """The equations of one sub-table: the rows by ``parent``'s children, with ``parent`` as
    their total, and the column totals where the rows add up."""
    equations = [Equation((r, parent), tuple((r, c) for c in children))
                 for r in rows if (r, parent) in cells]
    for column in (*children, parent):
        if (TOTAL, column) in cells and all((r, column) in cells for r in rows):
            equations.append(Equation((TOTAL, column), tuple((r, column) for r in rows)))
    if (TOTAL, parent) in cells and all((r, parent) in cells for r in rows) and all(
            (TOTAL, c) in cells for c in children):
        equations.append(Equation((TOTAL, parent), tuple((TOTAL, c) for c in children)))
    return equations


def _cheapest(cells: Sequence[Hashable], values: Mapping[Any, int]) -> list[Hashable]:
    """Cells to hide by preference: the smallest counts first (hiding them costs the least
    information), in table order among equals."""
    return sorted(cells, key=lambda c: values.get(c, 0))
