"""Cell suppression of the monthly export (no database).

For random tables (hypothesis): no published cell is between 1 and 10; every line holding a
hidden cell holds at least two; and, computed independently of the algorithm (Gaussian
elimination in exact fractions), the equations a reader has (each row and column of the
table with its margins) leave every hidden cell undetermined; moving along the hidden cells
also gives another non-negative table with the same published figures.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jalon.stats.suppression import SECRET, THRESHOLD, protect, with_margins

# Counts as a month of convocations gives them: many small ones, some zeros, some large.
count = st.one_of(st.just(0), st.integers(1, 10), st.integers(11, 60), st.integers(60, 500))
tables = st.integers(2, 5).flatmap(
    lambda width: st.lists(st.lists(count, min_size=width, max_size=width), min_size=2, max_size=5)
)


def equations(rows: int, columns: int) -> list[dict[tuple[int, int], int]]:
    """Each line of the augmented table: its cells (+1) equal its total (-1)."""
    lines = []
    for i in range(rows):
        line = {(i, j): 1 for j in range(columns - 1)}
        line[(i, columns - 1)] = -1
        lines.append(line)
    for j in range(columns):
        line = {(i, j): 1 for i in range(rows - 1)}
        line[(rows - 1, j)] = -1
        lines.append(line)
    return lines


def rank(matrix: list[list[Fraction]]) -> int:
    rows = [row[:] for row in matrix]
    found = 0
    width = len(rows[0]) if rows else 0
    for column in range(width):
        pivot = next((r for r in range(found, len(rows)) if rows[r][column] != 0), None)
        if pivot is None:
            continue
        rows[found], rows[pivot] = rows[pivot], rows[found]
        for r in range(len(rows)):
            if r != found and rows[r][column] != 0:
                factor = rows[r][column] / rows[found][column]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[found], strict=True)]
        found += 1
    return found


def determined(hidden: list[tuple[int, int]], rows: int, columns: int) -> set[tuple[int, int]]:
    """The hidden cells whose value the published figures fix: e_k in the row space."""
    system = [[Fraction(line.get(cell, 0)) for cell in hidden] for line in equations(rows, columns)]
    base = rank(system)
    fixed = set()
    for index, cell in enumerate(hidden):
        unit = [Fraction(int(k == index)) for k in range(len(hidden))]
        if rank([*system, unit]) == base:
            fixed.add(cell)
    return fixed


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables)
def test_no_hidden_cell_can_be_recovered(table):
    result = protect(table)
    values = result.values
    rows, columns = result.rows, result.columns
    assert values == with_margins(table)
    # (a) nothing between 1 and 10 is published.
    for i in range(rows):
        for j in range(columns):
            shown = result.shown(i, j)
            assert shown == SECRET or not (0 < shown < THRESHOLD)
    # (b) a line with a hidden cell has at least two.
    for i in range(rows):
        assert sum((i, j) in result.hidden for j in range(columns)) != 1
    for j in range(columns):
        assert sum((i, j) in result.hidden for i in range(rows)) != 1
    # (c) independently: the published equations fix no hidden cell.
    hidden = sorted(result.hidden)
    assert determined(hidden, rows, columns) == set()


@settings(max_examples=200, deadline=None)
@given(tables)
def test_another_non_negative_table_has_the_same_published_figures(table):
    """For each hidden cell, a table that differs there and publishes the same figures."""
    result = protect(table)
    rows, columns = result.rows, result.columns
    for cell in result.hidden:
        other = _other_table(result.values, set(result.hidden), cell, rows)
        assert other is not None, cell
        assert other[cell[0]][cell[1]] != result.values[cell[0]][cell[1]]
        assert all(v >= 0 for row in other for v in row)
        for line in equations(rows, columns):
            assert sum(other[i][j] * k for (i, j), k in line.items()) == 0
        for i in range(rows):
            for j in range(columns):
                if (i, j) not in result.hidden:
                    assert other[i][j] == result.values[i][j]


def _other_table(values, hidden, cell, rows):
    """Move ±1 along a cycle of hidden cells through ``cell`` (found by search)."""
    i, j = cell
    adjacency: dict[int, list[tuple[int, tuple[int, int]]]] = {}
    for r, c in hidden:
        if (r, c) != cell:
            adjacency.setdefault(r, []).append((rows + c, (r, c)))
            adjacency.setdefault(rows + c, []).append((r, (r, c)))
    # A path from column j back to row i without ``cell``: with it, a cycle.
    start, goal = rows + j, i
    previous: dict[int, tuple[int, tuple[int, int]] | None] = {start: None}
    todo = [start]
    while todo and goal not in previous:
        node = todo.pop(0)
        for other, edge in adjacency.get(node, []):
            if other not in previous:
                previous[other] = (node, edge)
                todo.append(other)
    if goal not in previous:
        return None
    cycle = [cell]
    node = goal
    while previous[node] is not None:
        node, edge = previous[node]
        cycle.append(edge)
    # Signs: a margin enters its equations with -1, so walk the cycle with signed moves.
    for direction in (1, -1):
        other = [row[:] for row in values]
        sign = direction
        for r, c in cycle:
            weight = -1 if (r == rows - 1) != (c == len(values[0]) - 1) else 1
            other[r][c] += sign * weight
            sign = -sign
        if all(v >= 0 for row in other for v in row):
            return other
    return None


def test_a_lonely_small_cell_takes_its_neighbours_with_it():
    result = protect([[5, 40, 60], [30, 50, 70], [20, 25, 80]])
    assert (0, 0) in result.primary
    assert len(result.hidden) >= 4
    assert result.shown(0, 1) == SECRET or result.shown(1, 0) == SECRET


def test_a_table_without_small_cells_is_published_whole():
    result = protect([[15, 40], [30, 50]])
    assert result.hidden == frozenset()
    assert result.shown(2, 2) == 135


def test_a_single_line_hides_two_cells_at_least():
    result = protect([[3, 40, 60, 0]])
    assert (0, 0) in result.hidden and (0, 1) in result.hidden
    assert result.shown(0, 2) == 60 and result.shown(0, 3) == 0


@pytest.mark.parametrize("bad", [[], [[]], [[1, 2], [3]], [[-1, 2]]])
def test_bad_tables_are_refused(bad):
    with pytest.raises(ValueError):
        protect(bad)
