"""One French date formatting for templates, as for PDFs and SMS (``jalon.core.dates``).

| Filter | Gives |
|---|---|
| ``{{ day|long_date }}`` | "lundi 7 décembre 2026" |
| ``{{ day|day_month_year }}`` | "7 décembre 2026" |
| ``{{ day|short_date }}`` | "lun. 7 déc." |
| ``{{ day|short_weekday }}`` | "lun." |
| ``{{ day|numeric_date }}`` | "07/12/2026" |
| ``{{ moment|at_time }}`` | "9 h 05" |
| ``{{ moment|long_datetime }}`` | "lundi 7 décembre 2026 à 14 h 30" |
| ``{{ moment|numeric_datetime }}`` | "07/12/2026 à 14 h 30" |

Like Django's ``date`` filter, an aware datetime is first shown in the current time zone,
unless inside ``{% localtime off %}``: convocations' ``local_start`` (already in the
service's time zone) are written inside ``{% localtime off %}``.
"""

from __future__ import annotations

from datetime import date, datetime

from django import template

from jalon.core import dates

register = template.Library()


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


@register.filter(expects_localtime=True)
def long_date(value: date | datetime | None) -> str:
    return dates.french_date(_day(value)) if value else ""


@register.filter(expects_localtime=True)
def day_month_year(value: date | datetime | None) -> str:
    return dates.french_day_month_year(_day(value)) if value else ""


@register.filter(expects_localtime=True)
def short_date(value: date | datetime | None) -> str:
    return dates.french_short_date(_day(value)) if value else ""


@register.filter(expects_localtime=True)
def short_weekday(value: date | datetime | None) -> str:
    """``lun.``: the weekday before a numeric date in tables."""
    return dates.SHORT_WEEKDAYS[_day(value).weekday()] if value else ""


@register.filter(expects_localtime=True)
def numeric_date(value: date | datetime | None) -> str:
    return dates.french_numeric_date(_day(value)) if value else ""


@register.filter(expects_localtime=True)
def at_time(value: datetime | None) -> str:
    return dates.french_time(value.time()) if value else ""


@register.filter(expects_localtime=True)
def long_datetime(value: datetime | None) -> str:
    return dates.french_datetime(value) if value else ""


@register.filter(expects_localtime=True)
def numeric_datetime(value: datetime | None) -> str:
    return dates.french_numeric_datetime(value) if value else ""
