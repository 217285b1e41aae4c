"""Service-local time and public holidays (mainland, Alsace-Moselle, overseas)."""

from __future__ import annotations

from datetime import date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

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


# French words for dates, independent of the system locale (letters, SMS, screens).
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def french_date(d: date) -> str:
    """``lundi 1er avril 2025``, ``mardi 2 avril 2025``: weekday, day, month and year."""
    day = "1er" if d.day == 1 else str(d.day)
    return f"{WEEKDAYS[d.weekday()]} {day} {MONTHS[d.month - 1]} {d.year}"


SHORT_WEEKDAYS = ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim.")
SHORT_MONTHS = (
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
)


def french_short_date(d: date) -> str:
    """``lun. 7 déc.``: the abbreviations of the French typographic usage, for lists."""
    day = "1er" if d.day == 1 else str(d.day)
    return f"{SHORT_WEEKDAYS[d.weekday()]} {day} {SHORT_MONTHS[d.month - 1]}"


def french_time(t: time) -> str:
    """``9h05``, ``15h30``, ``10h00``: hours without a leading zero, minutes always shown."""
    return f"{t.hour}h{t.minute:02d}"


def french_datetime(moment: datetime) -> str:
    """``lundi 14 avril 2025 à 15h30`` for a datetime already in the right time zone."""
    return f"{french_date(moment.date())} à {french_time(moment.time())}"
