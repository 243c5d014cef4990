"""Small-cell suppression: hand-built tables whose hidden cells are worked out in the comments,
and property tests that no hidden count can be recomputed from what a table publishes, checked
by linear programming (``disclosure``), not by the kiosk's own audit."""

from __future__ import annotations

from disclosure import recomputable, table_equations
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.stats.protection import TOTAL, Axis, Key, protect_table
from kiosk.stats.suppression import Audit, Equation, primary, protect

K = 10


def one_way(values: list[int], additive: bool = True) -> tuple[Axis, dict[Key, int]]:
    axis = Axis("x", tuple(f"c{i}" for i in range(len(values))), additive)
    counts: dict[Key, int] = {(f"c{i}", TOTAL): v for i, v in enumerate(values)}
    if additive:
        counts[TOTAL, TOTAL] = sum(values)
    return axis, counts


def two_way(grid: list[list[int]]) -> tuple[Axis, Axis, dict[Key, int]]:
    rows = Axis("r", tuple(f"r{i}" for i in range(len(grid))))
    columns = Axis("c", tuple(f"c{j}" for j in range(len(grid[0]))))
    counts: dict[Key, int] = {}
    for i, line in enumerate(grid):
        for j, v in enumerate(line):
            counts[f"r{i}", f"c{j}"] = v
        counts[f"r{i}", TOTAL] = sum(line)
    for j in range(len(grid[0])):
        counts[TOTAL, f"c{j}"] = sum(line[j] for line in grid)
    counts[TOTAL, TOTAL] = sum(map(sum, grid))
    return rows, columns, counts


# -- hand-built tables --------------------------------------------------------------------------


def test_one_small_cell_takes_the_next_smallest_with_it() -> None:
    # 5 is under k; with the total published, 5 = 75 - 30 - 40: the cheapest other cell (30)
    # must go too, and then 5 + 30 = 35 leaves each free.
    axis, counts = one_way([5, 30, 40])
    assert protect_table(axis, None, counts, K) == {("c0", TOTAL), ("c1", TOTAL)}


def test_two_hidden_ones_are_not_enough() -> None:
    # 1 and 1 under a published total 42 with 40 shown: they add up to 2, and since a hidden
    # cell is at least 1 (zeros are shown), both are 1. A third cell must go.
    axis, counts = one_way([1, 1, 40])
    assert protect_table(axis, None, counts, K) == {("c0", TOTAL), ("c1", TOTAL),
                                                    ("c2", TOTAL)}


def test_needs_do_not_add_up_so_only_small_ones_are_hidden() -> None:
    # A visit may have several needs: no total equation, nothing to recompute from.
    axis, counts = one_way([3, 50, 7], additive=False)
    assert protect_table(axis, None, counts, K) == {("c0", TOTAL), ("c2", TOTAL)}


def test_zeros_are_shown_and_a_small_total_is_hidden() -> None:
    axis, counts = one_way([0, 4, 0])
    # 4 is the total too: both hidden, and the zeros say nothing of anyone.
    assert protect_table(axis, None, counts, K) == {("c1", TOTAL), (TOTAL, TOTAL)}


def test_two_by_two_hides_the_whole_inside() -> None:
    # With every margin published, the only cycle through the 5 is all four cells.
    rows, columns, counts = two_way([[5, 20], [30, 40]])
    assert protect_table(rows, columns, counts, K) == {
        ("r0", "c0"), ("r0", "c1"), ("r1", "c0"), ("r1", "c1")}


def test_the_cheapest_rectangle_is_chosen() -> None:
    # 4 needs a partner in its row (50 or 60), in its column (40 or 55) and the cell where
    # they cross: 50 + 40 + 45 = 135 is the cheapest of the four rectangles (170, 170, 195).
    rows, columns, counts = two_way([[4, 50, 60], [40, 45, 70], [55, 65, 80]])
    assert protect_table(rows, columns, counts, K) == {
        ("r0", "c0"), ("r0", "c1"), ("r1", "c0"), ("r1", "c1")}


def test_a_small_margin_hides_a_second_margin_and_the_inside_follows() -> None:
    # Column c2's total is 6: hidden in the margin, with the cheapest other column total (25);
    # inside, c2's cells are all under k, and each row needs a second cell hidden.
    rows, columns, counts = two_way([[20, 12, 2], [30, 13, 4]])
    hidden = protect_table(rows, columns, counts, K)
    assert {(TOTAL, "c2"), (TOTAL, "c1")} <= hidden
    assert {("r0", "c2"), ("r1", "c2"), ("r0", "c1"), ("r1", "c1")} <= hidden
    assert not {("r0", "c0"), ("r1", "c0"), ("r0", TOTAL), ("r1", TOTAL)} & hidden


def test_two_hidden_cells_per_line_can_still_give_one_away() -> None:
    # Two hidden 2x2 blocks joined by one hidden cell (r1, c2): every row and column has two
    # hidden cells or more, yet that cell is on no cycle, so its row gives it away.
    values = {(f"r{i}", f"c{j}"): 20 + i + j for i in range(4) for j in range(4)}
    rows = [f"r{i}" for i in range(4)]
    columns = [f"c{j}" for j in range(4)]
    equations = [Equation((r, TOTAL), tuple((r, c) for c in columns)) for r in rows]
    equations += [Equation((TOTAL, c), tuple((r, c) for r in rows)) for c in columns]
    for r in rows:
        values[r, TOTAL] = sum(values[r, c] for c in columns)
    for c in columns:
        values[TOTAL, c] = sum(values[r, c] for r in rows)
    blocks = {("r0", "c0"), ("r0", "c1"), ("r1", "c0"), ("r1", "c1"),
              ("r2", "c2"), ("r2", "c3"), ("r3", "c2"), ("r3", "c3")}
    hidden = blocks | {("r1", "c2")}
    assert Audit(values, equations).determined(sorted(hidden)) == [("r1", "c2")]
    assert recomputable(values, equations, hidden) == [("r1", "c2")]


def test_weeks_are_protected_with_their_months() -> None:
    # Jan: W01 3, W02 20, W05 15; Feb: W06 4; Mar: W10 30; Apr: W14 12.
    # W01 is under k: the cheaper of its month's other weeks, W05, goes with it. W06 is under
    # k and is all of February, which goes too; February (4) is then the only hidden month
    # under a published Q1: the cheapest cell that frees it on its own is January (38; March
    # alone would not, being all W10). Jan = W01 + 20 + W05 then moves with February.
    # The table by month and the table by week are views of this one computation.
    weeks = ("2026-W01", "2026-W02", "2026-W05", "2026-W06", "2026-W10", "2026-W14")
    counts = {(w, TOTAL): n for w, n in zip(weeks, [3, 20, 15, 4, 30, 12], strict=True)}
    by_week = protect_table(Axis("week", weeks, unit="week"), None, counts, K)
    assert by_week == protect_table(Axis("month", weeks, unit="month"), None, counts, K)
    assert {key for key in by_week if key[0] in weeks} == {
        ("2026-W01", TOTAL), ("2026-W05", TOTAL), ("2026-W06", TOTAL)}
    assert {key for key in by_week if key[0] not in weeks} == {
        ("2026-01", TOTAL), ("2026-02", TOTAL)}
    cells, equations = table_equations(Axis("week", weeks, unit="week"), None, counts)
    assert recomputable(cells, equations, by_week) == []


def test_a_week_level_that_cannot_hold_hides_a_month_too() -> None:
    # Jan: W05 10. Feb: W08 1, W09 1. Mar: W10 1. Months 10, 2, 1 under a published Q1 13:
    # Feb and Mar hidden look safe (2 + 1 = 3, each at least 1). But Feb's two hidden weeks
    # make Feb at least 2, so Feb = 2 and Mar = 1: January must go too, and with it W05.
    weeks = ("2026-W05", "2026-W08", "2026-W09", "2026-W10")
    counts = {(w, TOTAL): n for w, n in zip(weeks, [10, 1, 1, 1], strict=True)}
    hidden = protect_table(Axis("month", weeks, unit="month"), None, counts, K)
    assert {("2026-01", TOTAL), ("2026-02", TOTAL), ("2026-03", TOTAL)} <= hidden
    assert {(w, TOTAL) for w in weeks} <= hidden
    cells, equations = table_equations(Axis("week", weeks, unit="week"), None, counts)
    assert recomputable(cells, equations, hidden) == []


def test_protect_stops_when_nothing_is_left_to_hide() -> None:
    values = {"a": 3, "t": 3}
    # a alone makes t; t may not be hidden: a stays determined, and the audit says so.
    hidden = protect({"a": 3, "t": 3}, [Equation("t", ("a",))], primary({"a": 3}, K), [])
    assert hidden == {"a"}
    assert Audit(values, [Equation("t", ("a",))]).determined(hidden) == ["a"]


# -- properties ----------------------------------------------------------------------------------

counts_small = st.integers(min_value=0, max_value=30)


@settings(max_examples=100, deadline=None)
@given(st.lists(counts_small, min_size=1, max_size=8), st.booleans())
def test_no_hidden_cell_of_a_one_way_table_can_be_recomputed(values: list[int],
                                                             additive: bool) -> None:
    axis, counts = one_way(values, additive)
    hidden = protect_table(axis, None, counts, K)
    assert primary(counts, K) <= hidden
    assert all(counts[key] > 0 for key in hidden)
    cells, equations = table_equations(axis, None, counts)
    assert recomputable(cells, equations, hidden) == []


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 5).flatmap(lambda c: st.lists(
    st.lists(counts_small, min_size=c, max_size=c), min_size=2, max_size=5)))
def test_no_hidden_cell_of_a_two_way_table_can_be_recomputed(grid: list[list[int]]) -> None:
    rows, columns, counts = two_way(grid)
    hidden = protect_table(rows, columns, counts, K)
    assert primary(counts, K) <= hidden
    assert all(counts[key] > 0 for key in hidden)
    cells, equations = table_equations(rows, columns, counts)
    assert recomputable(cells, equations, hidden) == []
    # The margins are the one-way tables: they hide the same cells, or more where a row or
    # column with a single non-zero cell leaves no other way (see the README).
    grand = {(TOTAL, TOTAL): counts[TOTAL, TOTAL]}
    by_row = {(r, TOTAL): counts[r, TOTAL] for r in rows.categories} | grand
    by_column = {(c, TOTAL): counts[TOTAL, c] for c in columns.categories} | grand
    assert {key for key in hidden if key[1] is TOTAL} >= protect_table(rows, None, by_row, K)
    assert {(c, TOTAL) for r, c in hidden if r is TOTAL} >= protect_table(
        columns, None, by_column, K)


@settings(max_examples=100, deadline=None)
@given(st.integers(2, 5).flatmap(lambda c: st.lists(
    st.lists(st.integers(3, 60), min_size=c, max_size=c), min_size=2, max_size=5)))
def test_margins_hide_what_the_one_way_tables_hide(grid: list[list[int]]) -> None:
    """Where every cell holds someone, a table's margins are exactly its one-way tables."""
    rows, columns, counts = two_way(grid)
    hidden = protect_table(rows, columns, counts, K)
    grand = {(TOTAL, TOTAL): counts[TOTAL, TOTAL]}
    by_row = {(r, TOTAL): counts[r, TOTAL] for r in rows.categories} | grand
    by_column = {(c, TOTAL): counts[TOTAL, c] for c in columns.categories} | grand
    assert {key for key in hidden if key[1] is TOTAL} == protect_table(rows, None, by_row, K)
    assert {(c, TOTAL) for r, c in hidden if r is TOTAL} == protect_table(
        columns, None, by_column, K)


weeks_of_2026 = [f"2026-W{w:02d}" for w in range(1, 27)]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(0, 25), min_size=4, max_size=20), st.integers(1, 3))
def test_tables_by_week_month_and_quarter_together_give_nothing_away(
        values: list[int], sites: int) -> None:
    """Each period's table is published: an attacker holds them all at once. They are views
    of one computation, so they hide the same cells at every level."""
    weeks = tuple(weeks_of_2026[:len(values)])
    rows = Axis("site", tuple(f"s{i}" for i in range(sites)))
    counts: dict[Key, int] = {}
    for i, w in enumerate(weeks):
        for s in rows.categories:
            counts[s, w] = (values[i] * (int(s[1:]) + 1)) % 23
    for s in rows.categories:
        counts[s, TOTAL] = sum(counts[s, w] for w in weeks)
    for w in weeks:
        counts[TOTAL, w] = sum(counts[s, w] for s in rows.categories)
    counts[TOTAL, TOTAL] = sum(counts[s, TOTAL] for s in rows.categories)
    views = [protect_table(rows, Axis(unit, weeks, unit=unit), counts, K)  # type: ignore[arg-type]
             for unit in ("week", "month", "quarter", "year")]
    assert all(view == views[0] for view in views)
    cells, equations = table_equations(rows, Axis("week", weeks, unit="week"), counts)
    assert recomputable(cells, equations, views[0]) == []
