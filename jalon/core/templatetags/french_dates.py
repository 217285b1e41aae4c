"""One French date formatting for templates, as for PDFs and SMS (``jalon.core.dates``).

``{{ day|long_date }}`` → "lundi 7 décembre 2026", ``{{ day|short_date }}`` → "lun. 7 déc.",
``{{ moment|at_time }}`` → "9h05". A datetime is read as given: convert it to the service's
local time first (``local_start``), as the other date helpers expect.
"""

from __future__ import annotations

from datetime import date, datetime

from django import template

from jalon.core.dates import french_date, french_short_date, french_time

register = template.Library()


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


@register.filter
def long_date(value: date | datetime | None) -> str:
    return french_date(_day(value)) if value else ""


@register.filter
def short_date(value: date | datetime | None) -> str:
    return french_short_date(_day(value)) if value else ""


@register.filter
def at_time(value: datetime | None) -> str:
    return french_time(value.time()) if value else ""


@register.filter
def short_weekday(value: date | datetime | None) -> str:
    """``lun.``: the weekday before a numeric date in tables."""
    return french_short_date(_day(value)).split(" ", 1)[0] if value else ""
