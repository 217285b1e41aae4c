"""Service-local time and public holidays (mainland, Alsace-Moselle, overseas)."""

from __future__ import annotations

from datetime import date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from babel.dates import format_date, get_day_names, get_month_names

TIME_ZONE_CHOICES = [
    ("Europe/Paris", "Métropole (Europe/Paris)"),
    ("America/Guadeloupe", "Guadeloupe (America/Guadeloupe)"),
    ("America/Martinique", "Martinique (America/Martinique)"),
    ("America/Cayenne", "Guyane (America/Cayenne)"),
    ("Indian/Reunion", "La Réunion (Indian/Reunion)"),
    ("Indian/Mayotte", "Mayotte (Indian/Mayotte)"),
    ("America/Miquelon", "Saint-Pierre-et-Miquelon (America/Miquelon)"),
    ("Pacific/Noumea", "Nouvelle-Calédonie (Pacific/Noumea)"),
    ("Pacific/Tahiti", "Polynésie française (Pacific/Tahiti)"),
]

# Subdivision codes of the ``holidays`` package; "" is mainland France.
HOLIDAY_SUBDIVISION_CHOICES = [
    ("", "Métropole"),
    ("6AE", "Alsace (Bas-Rhin, Haut-Rhin)"),
    ("57", "Moselle"),
    ("971", "Guadeloupe"),
    ("972", "Martinique"),
    ("973", "Guyane"),
    ("974", "La Réunion"),
    ("976", "Mayotte"),
    ("PM", "Saint-Pierre-et-Miquelon"),
    ("NC", "Nouvelle-Calédonie"),
    ("PF", "Polynésie française"),
]

# Region used to read a phone number typed in national form (0694… is Guyane).
PHONE_REGION_BY_SUBDIVISION = {
    "971": "GP",
    "972": "MQ",
    "973": "GF",
    "974": "RE",
    "976": "YT",
    "PM": "PM",
    "NC": "NC",
    "PF": "PF",
}


@lru_cache(maxsize=64)
def _calendar(subdivision: str, year: int) -> holidays.HolidayBase:
    return holidays.France(subdiv=subdivision or None, years=year, language="fr")


def holiday_name(day: date, subdivision: str = "") -> str | None:
    """The French name of the public holiday on ``day`` in ``subdivision``, if any."""
    return _calendar(subdivision, day.year).get(day)


def is_working_day(day: date, subdivision: str = "") -> bool:
    return day.weekday() < 5 and holiday_name(day, subdivision) is None


def local_now(time_zone: str) -> datetime:
    return datetime.now(tz=ZoneInfo(time_zone))


# --- French dates and times ------------------------------------------------------------
#
# One formatting for screens, letters, calendar files and SMS, built on Babel's French data
# (CLDR) rather than on the system locale or Django's ``date`` filter formats: Django's
# "D"/"M" give "lun"/"Déc", not the French abbreviations. The day 1 is "1er" (French usage),
# which CLDR does not do, hence the literal in the pattern.

LOCALE = "fr_FR"

# Monday first, as ``date.weekday()``; January first.
WEEKDAYS: tuple[str, ...] = tuple(get_day_names("wide", locale=LOCALE)[i] for i in range(7))
MONTHS: tuple[str, ...] = tuple(get_month_names("wide", locale=LOCALE)[i] for i in range(1, 13))
SHORT_WEEKDAYS: tuple[str, ...] = tuple(
    get_day_names("abbreviated", locale=LOCALE)[i] for i in range(7)
)
SHORT_MONTHS: tuple[str, ...] = tuple(
    get_month_names("abbreviated", locale=LOCALE)[i] for i in range(1, 13)
)


def _day_pattern(d: date) -> str:
    return "'1er'" if d.day == 1 else "d"


def _format(d: date, pattern: str) -> str:
    return format_date(d, pattern.replace("{d}", _day_pattern(d)), locale=LOCALE)


def french_date(d: date) -> str:
    """``lundi 1er avril 2025``, ``mardi 2 avril 2025``: weekday, day, month and year."""
    return _format(d, "EEEE {d} MMMM y")


def french_day_month_year(d: date) -> str:
    """``1er avril 2025``, ``7 décembre 2026``: in a sentence that does not need the weekday."""
    return _format(d, "{d} MMMM y")


def french_short_date(d: date) -> str:
    """``lun. 7 déc.``: the abbreviations of the French typographic usage, for lists."""
    return _format(d, "EEE {d} MMM")


def french_numeric_date(d: date) -> str:
    """``07/12/2026``: tables and identity lines (birth dates)."""
    return format_date(d, "dd/MM/y", locale=LOCALE)


def french_time(t: time) -> str:
    """``9 h 05``, ``15 h 30``, ``10 h 00``: the French typographic usage (hour without a
    leading zero, minutes always shown). Plain spaces: an SMS stays in the GSM-7 alphabet."""
    return f"{t.hour} h {t.minute:02d}"


def french_datetime(moment: datetime) -> str:
    """``lundi 14 avril 2025 à 15 h 30`` for a datetime already in the right time zone."""
    return f"{french_date(moment.date())} à {french_time(moment.time())}"


def french_numeric_datetime(moment: datetime) -> str:
    """``07/12/2026 à 14 h 30`` for a datetime already in the right time zone."""
    return f"{french_numeric_date(moment.date())} à {french_time(moment.time())}"
