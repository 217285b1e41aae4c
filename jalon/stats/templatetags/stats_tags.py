from __future__ import annotations

from typing import Any

from django import template

from jalon.stats.tables import format_cell

register = template.Library()


@register.filter
def stat_cell(value: Any, kind: str) -> str:
    """A table cell as the page shows it (``12,5 %``, ``1 234``, ``–``)."""
    return format_cell(value, kind)


@register.filter
def cells(row: list[Any], columns: list[Any]) -> list[tuple[Any, Any]]:
    """Pairs (value, column) of a row, for the template to format each cell by its kind."""
    return list(zip(row, columns, strict=True))
