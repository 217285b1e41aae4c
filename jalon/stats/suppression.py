"""Statistical disclosure control of the monthly export: primary and secondary suppression.

Pure functions, no database. A table is a list of rows of counts; it is published with its
margins (a total per row, a total per column and the grand total). Each additive line of
that *augmented* table (a row with its row total, a column with its column total, the row
of column totals with the grand total, the column of row totals with the grand total) is an
equation a reader can solve. The rule:

1. **Primary**: a cell (margins included) with ``0 < n < THRESHOLD`` (11) is hidden.
2. **Lines**: while a line holds exactly one hidden cell, the smallest non-zero published
   cell of that line (margins included) is hidden too. Such a cell always exists: a hidden
   cell is never 0, so the line's other side (its total, or its cells) holds a non-zero one.
3. **Cycles**: a line rule is not enough (two groups of hidden cells linked by a single
   hidden cell still pin that cell down). Reading the hidden cells as edges of a bipartite
   graph (one node per line of rows, one per line of columns), the published equations fix a
   hidden cell **exactly when its edge is a bridge** (it lies on no cycle): along a cycle the
   cells can all move by +1/-1 alternately and every equation still holds. So while a bridge
   remains, a published cell joining its two sides is hidden (the smallest non-zero one,
   a zero only when there is none), which puts the bridge on a cycle; then 2. again.

When nothing changes, every hidden cell lies on a cycle of hidden cells: the published
figures leave it undetermined, and since every hidden cell but the rare zeros of step 3 is
at least 1, moving one unit along the cycle gives another non-negative table with the same
published figures. ``tests/stats/test_suppression.py`` checks this with hypothesis against an
independent computation (rank of the published equations, exact fractions).

A one-dimensional table (one row and its total) is a single line: rule 2 alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

THRESHOLD = 11
SECRET = "secret"  # noqa: S105 - the word shown in a hidden cell

Cell = tuple[int, int]


@dataclass(frozen=True)
class Protected:
    """The augmented table (``values[i][j]``, last row and last column are the margins) and
    which of its cells are hidden; ``primary`` are those hidden for being small."""

    values: list[list[int]]
    hidden: frozenset[Cell]
    primary: frozenset[Cell]

    @property
    def rows(self) -> int:
        return len(self.values)

    @property
    def columns(self) -> int:
        return len(self.values[0]) if self.values else 0

    def shown(self, i: int, j: int) -> int | str:
        """The published value: the count, or ``SECRET``."""
        return SECRET if (i, j) in self.hidden else self.values[i][j]

    @property
    def secondary(self) -> frozenset[Cell]:
        return self.hidden - self.primary


def with_margins(table: Sequence[Sequence[int]]) -> list[list[int]]:
    """The table, each row followed by its total, then the row of column totals."""
    rows = [[*row, sum(row)] for row in table]
    width = len(rows[0]) if rows else 1
    totals = [sum(row[j] for row in rows) for j in range(width)]
    return [*rows, totals]


def is_primary(value: int) -> bool:
    return 0 < value < THRESHOLD


def protect(table: Sequence[Sequence[int]]) -> Protected:
    """Hide the small cells of ``table`` and enough others that none can be recomputed."""
    if not table or not table[0]:
        raise ValueError("empty table")
    if any(len(row) != len(table[0]) for row in table):
        raise ValueError("ragged table")
    if any(value < 0 for row in table for value in row):
        raise ValueError("negative count")
    values = with_margins(table)
    if len(table) == 1:
        # One line: the row of column totals repeats it, it is not a second equation.
        values = [values[0], values[0][:]]
    rows, columns = len(values), len(values[0])
    primary = {(i, j) for i in range(rows) for j in range(columns) if is_primary(values[i][j])}
    hidden = set(primary)
    if len(table) == 1:
        _close_lines(values, hidden, lines=[[(0, j) for j in range(columns)]])
        # The repeated row shows what the line shows.
        hidden |= {(1, j) for (i, j) in list(hidden) if i == 0}
        hidden |= {(0, j) for (i, j) in list(hidden) if i == 1}
        return Protected(values, frozenset(hidden), frozenset(primary))
    lines = [[(i, j) for j in range(columns)] for i in range(rows)] + [
        [(i, j) for i in range(rows)] for j in range(columns)
    ]
    while True:
        _close_lines(values, hidden, lines)
        if not _break_bridges(values, hidden, rows, columns):
            break
    return Protected(values, frozenset(hidden), frozenset(primary))


def _order(values: list[list[int]], cell: Cell) -> tuple[bool, int, int, int]:
    """Which published cell to hide first: non-zero before zero, then the smallest."""
    value = values[cell[0]][cell[1]]
    return (value == 0, value, cell[0], cell[1])


def _close_lines(values: list[list[int]], hidden: set[Cell], lines: list[list[Cell]]) -> None:
    """Rule 2: no line keeps exactly one hidden cell."""
    changed = True
    while changed:
        changed = False
        for line in lines:
            inside = [cell for cell in line if cell in hidden]
            if len(inside) != 1:
                continue
            candidates = [cell for cell in line if cell not in hidden]
            if not candidates:  # pragma: no cover - a line of one cell
                continue
            hidden.add(min(candidates, key=lambda cell: _order(values, cell)))
            changed = True


def _bridges(hidden: set[Cell], rows: int) -> list[Cell]:
    """The hidden cells lying on no cycle of the bipartite graph rows–columns (Tarjan).

    Node ``i`` is the row ``i``, node ``rows + j`` the column ``j``; a hidden cell is an edge.
    Iterative depth-first search, so that large tables do not hit the recursion limit.
    """
    adjacency: dict[int, list[tuple[int, Cell]]] = {}
    for i, j in hidden:
        adjacency.setdefault(i, []).append((rows + j, (i, j)))
        adjacency.setdefault(rows + j, []).append((i, (i, j)))
    order: dict[int, int] = {}
    low: dict[int, int] = {}
    found: list[Cell] = []
    counter = 0
    for root in sorted(adjacency):
        if root in order:
            continue
        order[root] = low[root] = counter
        counter += 1
        stack: list[tuple[int, Cell | None, int]] = [(root, None, 0)]
        while stack:
            node, via, index = stack[-1]
            neighbours = adjacency[node]
            if index < len(neighbours):
                stack[-1] = (node, via, index + 1)
                other, edge = neighbours[index]
                if edge == via:
                    continue
                if other in order:
                    low[node] = min(low[node], order[other])
                else:
                    order[other] = low[other] = counter
                    counter += 1
                    stack.append((other, edge, 0))
            else:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > order[parent] and via is not None:
                        found.append(via)
    return sorted(found)


def _side(hidden: set[Cell], rows: int, start: int, without: Cell) -> set[int]:
    """The nodes reached from ``start`` through hidden cells other than ``without``."""
    adjacency: dict[int, list[int]] = {}
    for i, j in hidden:
        if (i, j) == without:
            continue
        adjacency.setdefault(i, []).append(rows + j)
        adjacency.setdefault(rows + j, []).append(i)
    seen, todo = {start}, [start]
    while todo:
        for other in adjacency.get(todo.pop(), []):
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return seen


def _break_bridges(values: list[list[int]], hidden: set[Cell], rows: int, columns: int) -> bool:
    """Rule 3: put each bridge on a cycle; whether anything was hidden."""
    changed = False
    for bridge in _bridges(hidden, rows):
        if bridge not in _bridges(hidden, rows):
            continue  # an earlier cell of this pass already closed a cycle through it
        i, j = bridge
        # Without the bridge, its row and its column fall apart into two sides; a cell whose
        # row is on one side and column on the other closes a cycle through the bridge.
        first = _side(hidden, rows, i, without=bridge)
        second = _side(hidden, rows, rows + j, without=bridge)
        candidates = [
            (r, c)
            for r in range(rows)
            for c in range(columns)
            if (r, c) not in hidden
            and ((r in first and rows + c in second) or (r in second and rows + c in first))
        ]
        if candidates:
            hidden.add(min(candidates, key=lambda cell: _order(values, cell)))
            changed = True
    return changed
