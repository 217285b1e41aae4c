from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

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


@register.simple_tag
def export_url(name: str, args: list[Any], table: str, fmt: str) -> str:
    """The export of ``table`` in ``fmt`` on the dashboard whose export route is ``name``."""
    return reverse(name, args=[*args, table, fmt])
