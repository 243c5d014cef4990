"""An attacker's view of a published table, independent of the kiosk's own audit: for each
hidden cell, the smallest and largest value it can take given every published cell, every
equation (a total is the sum of its members) and that a hidden cell is at least 1 (zeros are
shown). Worked out as two linear programs per cell (SciPy's HiGHS), the way statistical offices
audit a suppression pattern; the tables' equations are totally unimodular, so the bounds are
whole numbers.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence

import numpy as np
from scipy.optimize import linprog

from kiosk.stats.protection import TOTAL, Axis, Key, tree_of
from kiosk.stats.suppression import Equation


def ranges(values: Mapping[Hashable, int], equations: Sequence[Equation],
           hidden: Iterable[Hashable]) -> dict[Hashable, tuple[float, float]]:
    unknown = sorted(set(hidden), key=repr)
    index = {cell: i for i, cell in enumerate(unknown)}
    rows, rhs = [], []
    for equation in equations:
        row = np.zeros(len(unknown))
        constant = 0.0
        for cell, sign in ((equation.total, -1), *((m, 1) for m in equation.members)):
            if cell in index:
                row[index[cell]] += sign
            else:
                constant += sign * values.get(cell, 0)
        if row.any():
            rows.append(row)
            rhs.append(-constant)
    found = {}
    for cell, i in index.items():
        objective = np.zeros(len(unknown))
        objective[i] = 1
        bounds = []
        for sense in (1, -1):
            result = linprog(sense * objective, A_eq=np.array(rows) if rows else None,
                             b_eq=np.array(rhs) if rows else None,
                             bounds=[(1, None)] * len(unknown), method="highs")
            assert result.status in (0, 3), result.message  # optimal, or unbounded above
            bounds.append(sense * result.fun if result.status == 0 else float("inf"))
        found[cell] = (bounds[0], bounds[1])
    return found


def recomputable(values: Mapping[Hashable, int], equations: Sequence[Equation],
                 hidden: Iterable[Hashable]) -> list[Hashable]:
    """The hidden cells whose value the published ones give away."""
    return [cell for cell, (low, high) in ranges(values, equations, hidden).items()
            if high - low < 0.5]


def table_equations(rows: Axis, columns: Axis | None, counts: Mapping[Key, int],
                    ) -> tuple[dict[Key, int], list[Equation]]:
    """Every cell of a published table (coarser periods included: they are published too, as
    other tables) and every equation between them."""
    values = dict(counts)
    equations: list[Equation] = []
    if columns is None:
        tree = tree_of(rows)
        for parent, children in tree.items():
            members = tuple((c, TOTAL) for c in children)
            if parent is not TOTAL or ((TOTAL, TOTAL) not in counts and rows.additive):
                values[parent, TOTAL] = sum(_sum(tree, c, lambda c: counts.get((c, TOTAL), 0))
                                            for c in children)
            if parent is not TOTAL or rows.additive:
                equations.append(Equation((parent, TOTAL), members))
        return values, equations
    tree = tree_of(columns)
    lines = [*rows.categories, *([TOTAL] if rows.additive else [])]
    for row in lines:
        for parent, children in tree.items():
            if parent is not TOTAL:
                values[row, parent] = sum(
                    _sum(tree, c, lambda c, r=row: counts.get((r, c), 0)) for c in children)
            if parent is not TOTAL or columns.additive:
                equations.append(Equation((row, parent), tuple((row, c) for c in children)))
    if rows.additive:
        every_column = [*columns.categories, *(p for p in tree if p is not TOTAL),
                        *([TOTAL] if columns.additive else [])]
        equations += [Equation((TOTAL, c), tuple((r, c) for r in rows.categories))
                      for c in every_column]
    return values, equations


def _sum(tree: dict, category: str, leaf_value) -> int:  # type: ignore[no-untyped-def]
    if category not in tree:
        return leaf_value(category)
    return sum(_sum(tree, c, leaf_value) for c in tree[category])
