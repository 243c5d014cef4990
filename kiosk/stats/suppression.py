"""Cell suppression: which counts of a table to hide so that no hidden count can be worked out.

A table is cells (counts) and equations between them: a total is the sum of its members (a row
of a table and its row total, a month and its weeks). A cell under the threshold ``k`` is
hidden (*primary* suppression). Then, as long as an attacker could work out a hidden cell
exactly from the published cells, the equations and what the marking tells (a hidden cell is at
least 1, since zeros are always shown), one more published cell is hidden (*secondary*
suppression), the cheapest that helps first.

Why an exact test is possible: in the tables the kiosk publishes every cell is in at most two
equations (its row and its column, or a period and its parent), so the hidden cells are the
edges of a graph whose nodes are the equations (a cell in fewer than two stands on a free
"ground" node). The hidden values can change, all equations kept and every hidden value at
least 1, exactly along the cycles of that graph in which each cell can move by one: a hidden
cell is *determined* when no such cycle passes through it (:class:`Audit`, a breadth-first
search per cell and direction; each cycle found is replayed and checked before it counts).
Statistical offices call this an interval audit; τ-ARGUS runs it as a linear program, and the
tests check this one against a linear program and against τ-ARGUS's own suppression.
"""

from __future__ import annotations

from collections import Counter, defaultdict, deque
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

Cell = Hashable
GROUND = -1  # the node of cells that are in fewer than two equations

MIN_K = 5  # the smallest threshold the kiosk accepts (a count under 5 singles people out)
DEFAULT_K = 10


@dataclass(frozen=True)
class Equation:
    """``total`` is the sum of ``members``."""

    total: Cell
    members: tuple[Cell, ...]


def primary(values: Mapping[Cell, int], k: int) -> set[Cell]:
    """Cells under the threshold; zeros are shown (no one to protect)."""
    return {cell for cell, value in values.items() if 0 < value < k}


@dataclass(frozen=True)
class _End:
    node: int
    coefficient: int  # -1 for the equation's total, +1 for a member, 0 on the ground


@dataclass(frozen=True)
class _Arc:
    cell: Cell
    here: int  # coefficient at the node the arc leaves
    node: int  # the node it reaches
    there: int  # coefficient there


State = tuple[int, int]  # a node, and the imbalance the last move left there


class Audit:
    """Which hidden cells of a table an attacker could work out exactly."""

    def __init__(self, values: Mapping[Cell, int], equations: Sequence[Equation]) -> None:
        self.values = values
        ends: defaultdict[Cell, list[_End]] = defaultdict(list)
        for index, equation in enumerate(equations):
            ends[equation.total].append(_End(index, -1))
            for member in equation.members:
                ends[member].append(_End(index, +1))
        crowded = [cell for cell, found in ends.items() if len(found) > 2]
        if crowded:
            raise ValueError(f"cells in more than two equations: {crowded[:3]}")
        self._ends = {cell: (*found, *[_End(GROUND, 0)] * (2 - len(found)))
                      for cell, found in ends.items()}
        self._lines: defaultdict[int, list[Cell]] = defaultdict(list)
        for cell, found in self._ends.items():
            for end in found:
                if end.node != GROUND:
                    self._lines[end.node].append(cell)

    def ends(self, cell: Cell) -> tuple[_End, _End]:
        found = self._ends.get(cell)
        return (found[0], found[1]) if found else (_End(GROUND, 0), _End(GROUND, 0))

    def around(self, cell: Cell, hidden: set[Cell]) -> set[Cell]:
        """The published cells that share an equation with ``cell`` or with a hidden cell
        linked to it through equations: where the next hidden cell can open a way out."""
        seen, queue, found = {cell}, deque([cell]), set()
        while queue:
            for end in self.ends(queue.popleft()):
                if end.node == GROUND:
                    continue
                for other in self._lines[end.node]:
                    if other not in hidden:
                        found.add(other)
                    elif other not in seen:
                        seen.add(other)
                        queue.append(other)
        return found

    def determined(self, hidden: Iterable[Cell], among: Iterable[Cell] | None = None,
                   ) -> list[Cell]:
        """The hidden cells (or those ``among`` them) whose value can be worked out, in the
        order given."""
        hidden = list(hidden)
        arcs = self._arcs(hidden)
        return [cell for cell in (hidden if among is None else among)
                if not self._free(cell, arcs)]

    def is_free(self, cell: Cell, hidden: Iterable[Cell]) -> bool:
        return self._free(cell, self._arcs(hidden))

    def _arcs(self, hidden: Iterable[Cell]) -> dict[int, list[_Arc]]:
        arcs: defaultdict[int, list[_Arc]] = defaultdict(list)
        for cell in hidden:
            a, b = self.ends(cell)
            if a.node == b.node == GROUND:
                continue  # in no equation: no path goes through it
            arcs[a.node].append(_Arc(cell, a.coefficient, b.node, b.coefficient))
            arcs[b.node].append(_Arc(cell, b.coefficient, a.node, a.coefficient))
        return arcs

    def _free(self, cell: Cell, arcs: Mapping[int, list[_Arc]]) -> bool:
        """Whether ``cell`` can take another value, all equations and bounds kept."""
        start_end, goal_end = self.ends(cell)
        if start_end.node == goal_end.node == GROUND:
            return True
        return any(self._cycle(cell, step, start_end, goal_end, arcs) for step in (1, -1))

    def _cycle(self, cell: Cell, step: int, leave: _End, back: _End,
               arcs: Mapping[int, list[_Arc]]) -> bool:
        """A cycle that moves ``cell`` by ``step``: from its end ``leave`` round to ``back``."""
        if self.values[cell] + step < 1:
            return False
        start = _state(leave.node, leave.coefficient * step)
        goal = None if back.node == GROUND else (back.node, -back.coefficient * step)
        came: dict[State, tuple[State, Cell, int] | None] = {start: None}
        queue = deque([start])
        while queue:
            state = queue.popleft()
            node, imbalance = state
            for arc in arcs.get(node, ()):
                if arc.cell == cell:
                    continue
                # A move that makes up for the imbalance left here (any move on the ground).
                moves = (1, -1) if node == GROUND else (-imbalance * arc.here,)
                for move in moves:
                    if self.values[arc.cell] + move < 1:
                        continue
                    following = _state(arc.node, arc.there * move)
                    if following in came:
                        continue
                    came[following] = (state, arc.cell, move)
                    reached = following[0] == GROUND if goal is None else following == goal
                    if reached and self._replays(cell, step, following, came):
                        return True
                    queue.append(following)
        return False

    def _replays(self, cell: Cell, step: int, last: State,
                 came: Mapping[State, tuple[State, Cell, int] | None]) -> bool:
        """Whether the moves found keep every hidden value at least 1 when made together (a
        cell met twice moves twice)."""
        moved: Counter[Cell] = Counter({cell: step})
        state: State | None = last
        while state is not None and (link := came[state]) is not None:
            state, moved_cell, move = link
            moved[moved_cell] += move
        return all(self.values[c] + change >= 1 for c, change in moved.items())


def _state(node: int, imbalance: int) -> State:
    return (GROUND, 0) if node == GROUND else (node, imbalance)


def protect(values: Mapping[Cell, int], equations: Sequence[Equation], hidden: Iterable[Cell],
            candidates: Sequence[Cell], fallback: Sequence[Cell] = ()) -> set[Cell]:
    """``hidden`` and the secondary cells that keep every one of them from being worked out,
    as far as ``candidates`` and ``fallback`` can.

    ``candidates`` are the cells that may be hidden, cheapest first; ``fallback`` cells only
    when no candidate can do it. For each determined cell in turn: the cheapest cell that frees
    it on its own, else the cheapest one next to the hidden cells it is linked to (the next
    round goes on from there). A cell that nothing offered can free stays determined: the
    caller may offer more (a level above) and call again.
    """
    audit = Audit(values, equations)
    hidden = set(hidden)
    ordered = [c for c in (*candidates, *fallback) if values.get(c, 0) > 0]
    pending = audit.determined(hidden, among=_in_order(hidden, ordered))
    stuck: set[Cell] = set()
    fell_back = False  # one fallback cell a call: the caller's next round audits it
    while pending:
        cell = pending[0]
        choice = _choose(audit, cell, hidden, candidates)
        if choice is None and not fell_back:
            fell_back = True
            choice = _choose(audit, cell, hidden, fallback)
        if choice is None:
            stuck.add(cell)
        else:
            hidden.add(choice)
        again = [*pending, *([choice] if choice is not None else [])]
        pending = [c for c in audit.determined(hidden, among=again) if c not in stuck]
    return hidden


def _choose(audit: Audit, cell: Cell, hidden: set[Cell], pool: Sequence[Cell]) -> Cell | None:
    usable = [c for c in pool if c not in hidden and audit.values.get(c, 0) > 0]
    for candidate in usable:
        if audit.is_free(cell, hidden | {candidate}):
            return candidate
    near = audit.around(cell, hidden)
    return next((c for c in usable if c in near), None)


def _in_order(cells: Iterable[Cell], order: Sequence[Cell]) -> list[Cell]:
    """``cells`` in a stable order: those of ``order`` first, as they come there."""
    rank = {cell: i for i, cell in enumerate(order)}
    return sorted(cells, key=lambda c: (rank.get(c, len(rank)), repr(c)))
