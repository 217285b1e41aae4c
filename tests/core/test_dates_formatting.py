"""One French date formatting (Babel's French data) for screens, letters, ICS and SMS."""

from __future__ import annotations

import datetime as dt
import pathlib
import re
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import timezone

from jalon.core import dates


@pytest.mark.parametrize(
    ("day", "long", "short", "day_month_year", "numeric"),
    [
        (
            dt.date(2026, 12, 7),
            "lundi 7 décembre 2026",
            "lun. 7 déc.",
            "7 décembre 2026",
            "07/12/2026",
        ),
        (
            dt.date(2027, 1, 1),
            "vendredi 1er janvier 2027",
            "ven. 1er janv.",
            "1er janvier 2027",
            "01/01/2027",
        ),
        (
            dt.date(2027, 2, 1),
            "lundi 1er février 2027",
            "lun. 1er févr.",
            "1er février 2027",
            "01/02/2027",
        ),
        (
            dt.date(2027, 7, 14),
            "mercredi 14 juillet 2027",
            "mer. 14 juil.",
            "14 juillet 2027",
            "14/07/2027",
        ),
        (
            dt.date(2027, 8, 1),
            "dimanche 1er août 2027",
            "dim. 1er août",
            "1er août 2027",
            "01/08/2027",
        ),
        (
            dt.date(2028, 2, 29),
            "mardi 29 février 2028",
            "mar. 29 févr.",
            "29 février 2028",
            "29/02/2028",
        ),
        (
            dt.date(2026, 12, 31),
            "jeudi 31 décembre 2026",
            "jeu. 31 déc.",
            "31 décembre 2026",
            "31/12/2026",
        ),
    ],
)
def test_dates_in_french_with_the_first_of_the_month_as_1er(
    day: dt.date, long: str, short: str, day_month_year: str, numeric: str
) -> None:
    assert dates.french_date(day) == long
    assert dates.french_short_date(day) == short
    assert dates.french_day_month_year(day) == day_month_year
    assert dates.french_numeric_date(day) == numeric


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (dt.datetime(2026, 12, 7, 14, 30), "lundi 7 décembre 2026 à 14 h 30"),
        (dt.datetime(2027, 3, 1, 9, 5), "lundi 1er mars 2027 à 9 h 05"),
        (dt.datetime(2027, 3, 1, 0, 0), "lundi 1er mars 2027 à 0 h 00"),
        (dt.datetime(2027, 3, 1, 23, 59), "lundi 1er mars 2027 à 23 h 59"),
    ],
)
def test_datetimes_in_french(moment: dt.datetime, expected: str) -> None:
    assert dates.french_datetime(moment) == expected


def test_numeric_datetime() -> None:
    assert dates.french_numeric_datetime(dt.datetime(2027, 3, 1, 9, 5)) == "01/03/2027 à 9 h 05"


def test_word_lists_come_from_babel_in_lower_case() -> None:
    assert dates.WEEKDAYS[0] == "lundi" and dates.WEEKDAYS[6] == "dimanche"
    assert dates.MONTHS[0] == "janvier" and dates.MONTHS[7] == "août"
    assert dates.SHORT_MONTHS[11] == "déc."
    assert all(word == word.lower() for word in dates.SHORT_WEEKDAYS + dates.SHORT_MONTHS)


FILTERS = (
    "{% load french_dates %}{{ d|long_date }} | {{ d|day_month_year }} | {{ d|short_date }}"
    " | {{ d|short_weekday }} | {{ d|numeric_date }}"
)


def test_template_filters_on_the_first_of_the_month() -> None:
    rendered = Template(FILTERS).render(Context({"d": dt.date(2027, 2, 1)}))

    assert (
        rendered == "lundi 1er février 2027 | 1er février 2027 | lun. 1er févr. | lun. | 01/02/2027"
    )


def test_template_filters_of_empty_values_are_empty() -> None:
    assert Template(FILTERS).render(Context({"d": None})) == " |  |  |  | "


def test_datetime_filters_show_the_current_time_zone_like_django_date_filter() -> None:
    utc = dt.datetime(2027, 7, 5, 7, 5, tzinfo=dt.UTC)  # 9 h 05 in Paris (summer time)
    template = Template(
        "{% load french_dates tz %}{{ m|long_datetime }} | {{ m|numeric_datetime }}"
        " | {% localtime off %}{{ m|at_time }}{% endlocaltime %}"
    )

    with timezone.override(ZoneInfo("Europe/Paris")):
        rendered = template.render(Context({"m": utc}))

    assert rendered == "lundi 5 juillet 2027 à 9 h 05 | 05/07/2027 à 9 h 05 | 7 h 05"


def test_no_template_uses_django_date_formats_for_people() -> None:
    """Django's "D" and "M" give "lun" and "Déc": every date shown to people goes through the
    shared filters; only machine formats (ISO dates of links and ``datetime`` attributes)
    remain."""
    root = pathlib.Path(__file__).resolve().parents[2] / "jalon"
    machine = re.compile(r"""\|date:["'](Y-m-d|c)["']""")
    offenders = [
        f"{path.relative_to(root)}: {line.strip()}"
        for path in root.rglob("templates/**/*")
        if path.suffix in {".html", ".txt"}
        for line in path.read_text().splitlines()
        if "|date:" in machine.sub("", line)
    ]
    assert offenders == []
