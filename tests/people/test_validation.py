from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from jalon.people.duplicates import names_match
from jalon.people.models import normalize_appi, validate_appi, validate_birth_date, years_before

PARIS = ZoneInfo("Europe/Paris")


def travel_to(day: date, hour: int = 12):
    """Freeze the clock on ``day`` in Paris (a timestamp, so the process time zone is untouched)."""
    moment = datetime(day.year, day.month, day.day, hour, tzinfo=PARIS)
    return time_machine.travel(moment.timestamp(), tick=False)


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("20112345", "20112345"),
        ("199123456789", "199123456789"),
        ("201212345678A", "201212345678A"),
        (" 2011 2345 ", "20112345"),
        ("2011.2345", "20112345"),
        ("2012-1234-5678-a", "201212345678A"),
        ("201212345678a", "201212345678A"),
        ("20212345", "20212345"),
        ("20012345B", "20012345B"),
    ],
)
def test_valid_appi_numbers_are_accepted_once_normalised(raw, normalized):
    assert normalize_appi(raw) == normalized
    validate_appi(normalize_appi(raw))


@pytest.mark.parametrize(
    "value",
    [
        "2011234",  # 7 digits
        "201123456",  # 9 digits
        "20112345678",  # 11 digits
        "2011234567890",  # 13 digits
        "19812345",  # starts with 198
        "203123456789",  # starts with 203
        "20112345AB",  # two letters
        "2011A2345",  # letter inside
        "A20112345",  # letter first
        "201212345678a",  # lower-case letter is not normalised by the validator
        "",
        "20112345\n",  # a trailing newline is not a valid number
    ],
)
def test_invalid_appi_numbers_are_refused_with_a_french_message(value):
    with pytest.raises(ValidationError) as error:
        validate_appi(value)
    assert error.value.code == "invalid_appi"
    assert "8 ou 12 chiffres" in error.value.messages[0]


def test_birth_date_exactly_sixteen_years_ago_is_accepted():
    with travel_to(date(2026, 3, 15)):
        validate_birth_date(date(2010, 3, 15))


def test_birth_date_one_day_short_of_sixteen_years_is_refused():
    with travel_to(date(2026, 3, 15)), pytest.raises(ValidationError) as error:
        validate_birth_date(date(2010, 3, 16))
    assert error.value.code == "too_young"
    assert "au moins 16 ans" in error.value.messages[0]


def test_today_is_the_local_date_in_paris_not_utc():
    # Midnight in Paris on 15 March is still 14 March in UTC: the 16th birthday is today.
    with travel_to(date(2026, 3, 15), hour=0):
        validate_birth_date(date(2010, 3, 15))


@pytest.mark.parametrize(
    ("today", "birth_date", "valid"),
    [
        (date(2024, 2, 28), date(2008, 2, 29), False),  # the day before the 16th birthday
        (date(2024, 2, 29), date(2008, 2, 29), True),  # the 16th birthday
        (date(2024, 2, 29), date(2008, 3, 1), False),
        (date(2025, 2, 28), date(2009, 2, 28), True),
        (date(2025, 3, 1), date(2009, 3, 1), True),
        (date(2025, 2, 28), date(2009, 3, 1), False),
        # 2100 is no leap year: on 29 Feb 2116 the limit falls back to 28 Feb 2100.
        (date(2116, 2, 29), date(2100, 2, 28), True),
        (date(2116, 2, 29), date(2100, 3, 1), False),
    ],
)
def test_leap_day_birthdays(today, birth_date, valid):
    if valid:
        validate_birth_date(birth_date, today=today)
    else:
        with pytest.raises(ValidationError):
            validate_birth_date(birth_date, today=today)


def test_leap_day_birthdays_with_the_frozen_clock():
    with travel_to(date(2024, 2, 28)), pytest.raises(ValidationError):
        validate_birth_date(date(2008, 2, 29))
    with travel_to(date(2024, 2, 29)):
        validate_birth_date(date(2008, 2, 29))


@pytest.mark.parametrize(
    ("birth_date", "code"),
    [
        (date(1899, 12, 31), "too_old"),
        (date(1899, 1, 1), "too_old"),
        (date(1850, 6, 1), "too_old"),
    ],
)
def test_birth_years_before_1900_are_refused(birth_date, code):
    with pytest.raises(ValidationError) as error:
        validate_birth_date(birth_date, today=date(2026, 3, 15))
    assert error.value.code == code
    assert "année de naissance" in error.value.messages[0]


def test_birth_on_the_first_day_of_1900_is_accepted():
    validate_birth_date(date(1900, 1, 1), today=date(2026, 3, 15))


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [
        (date(2026, 3, 15), 16, date(2010, 3, 15)),
        (date(2024, 2, 29), 16, date(2008, 2, 29)),
        (date(2024, 2, 29), 1, date(2023, 2, 28)),
        (date(2116, 2, 29), 16, date(2100, 2, 28)),
    ],
)
def test_years_before_falls_back_to_28_february(day, years, expected):
    assert years_before(day, years) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (("MARTIN", "Jean"), ("MARTIN", "Jean"), True),  # identical
        (("DUPONT", "Léa"), ("DUPONT", "Lea"), True),  # accent lost
        (("LÉVÊQUE", "Anaïs"), ("LEVEQUE", "Anais"), True),
        (("martin", "jean"), ("MARTIN", "JEAN"), True),  # case
        (("MARTIN", "Jean-Pierre"), ("MARTIN", "Jean Pierre"), True),  # hyphen vs space
        (("MARTIN", "Jean-Pierre"), ("MARTIN", "Jeanpierre"), True),
        (("D'ARC", "Jeanne"), ("DARC", "Jeanne"), True),  # apostrophe
        (("MARTIN", "Jean"), ("MARTNI", "Jean"), True),  # adjacent letters swapped
        (("MARTIN", "Jean"), ("MARTINN", "Jean"), True),  # one letter too many
        (("MARTIN", "Jean"), ("MARTN", "Jean"), True),  # one letter missing
        (("MARTIN", "Jean"), ("MARTIN", "Jaen"), True),  # typo in the first names
        (("MARTIN", "Jean"), ("Jean", "MARTIN"), True),  # first and last names swapped
        (("DUPONT", "Léa"), ("Lea", "DUPONT"), True),  # swapped and accent lost
        (("MARTIN", "Jean"), ("MRATNI", "Jean"), False),  # two typos
        (("MARTIN", "Jean"), ("MARTIN", "Jeanne"), False),  # two letters more
        (("MARTIN", "Jean"), ("DURAND", "Paul"), False),  # different person
        (("MARTIN", "Jean"), ("MARTIN", "Paul"), False),  # same family, other person
        (("MARTIN", "Jean"), ("MARTINEZ", "Jean"), False),
    ],
)
def test_names_match_up_to_one_typo_in_either_order(a, b, expected):
    assert names_match(*a, *b) is expected
    assert names_match(*b, *a) is expected
