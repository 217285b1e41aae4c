from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from jalon.people.duplicates import names_match
from jalon.people.forms import PersonForm
from jalon.people.models import normalize_appi, validate_appi, validate_birth_date, years_before

PARIS = ZoneInfo("Europe/Paris")


def travel_to(day: date, hour: int = 12):
    """Freeze the clock on ``day`` in Paris (a timestamp, so the process time zone is untouched)."""
    moment = datetime(day.year, day.month, day.day, hour, tzinfo=PARIS)
    return time_machine.travel(moment.timestamp(), tick=False)


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("20012345", "20012345"),
        ("19912345", "19912345"),
        ("200123456789", "200123456789"),
        ("201212345678A", "201212345678A"),
        ("202123456789", "202123456789"),
        (" 2001 2345 ", "20012345"),
        ("2001.2345", "20012345"),
        ("2012-1234-5678-a", "201212345678A"),
        ("201212345678a", "201212345678A"),
        ("19912345B", "19912345B"),
    ],
)
def test_valid_appi_numbers_are_accepted_once_normalised(raw, normalized):
    assert normalize_appi(raw) == normalized
    validate_appi(normalize_appi(raw))


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        # MSJ: the length goes with the prefix.
        ("20112345", "8 chiffres commence par 199 ou 200"),
        ("20212345", "8 chiffres commence par 199 ou 200"),
        ("199123456789", "12 chiffres commence par 200, 201 ou 202"),
        ("19812345", "8 chiffres commence par 199 ou 200"),
        ("203123456789", "12 chiffres commence par 200, 201 ou 202"),
        ("2001234", "8 ou 12 chiffres, et non 7"),
        ("200123456", "8 ou 12 chiffres, et non 9"),
        ("20012345678", "8 ou 12 chiffres, et non 11"),
        ("2001234567890", "8 ou 12 chiffres, et non 13"),
        ("20012345AB", "une seule lettre à la fin"),
        ("2001A2345", "une seule lettre à la fin"),
        ("A20012345", "une seule lettre à la fin"),
        ("201212345678a", "une seule lettre à la fin"),  # the validator does not normalise
        ("", "une seule lettre à la fin"),
        ("20012345\n", "une seule lettre à la fin"),
        ("٢٠٠١٢٣٤٥", "une seule lettre à la fin"),  # digits, but not ASCII ones
    ],
)
def test_invalid_appi_numbers_are_refused_with_a_french_message(value, reason):
    with pytest.raises(ValidationError) as error:
        validate_appi(value)
    assert error.value.code == "invalid_appi"
    assert reason in error.value.messages[0]
    assert "20012345 ou 201212345678A" in error.value.messages[0]


def person_form(**overrides):
    data = {"last_name": "Martin", "first_names": "Jean", "birth_date": "17/05/1990"}
    data.update(overrides)
    return PersonForm(data=data, region="FR")


def test_a_person_who_refuses_sms_may_be_registered_without_a_mobile_number():
    form = person_form(refuses_sms="on")
    assert form.is_valid(), form.errors
    identity = form.identity()
    assert identity.phone is None
    assert identity.refuses_sms and not identity.has_no_mobile


def test_a_person_who_refuses_sms_keeps_the_mobile_number_given():
    form = person_form(refuses_sms="on", phone="06 12 34 56 78")
    assert form.is_valid(), form.errors
    assert form.identity().phone == "+33612345678"


def test_without_a_mobile_number_the_form_asks_for_one_or_a_box_ticked():
    form = person_form()
    assert not form.is_valid()
    assert "Ne souhaite pas recevoir de SMS" in form.errors["phone"][0]


def test_the_form_refuses_an_appi_number_whose_length_does_not_go_with_its_prefix():
    form = person_form(has_no_mobile="on", appi_number="2011 2345")
    assert not form.is_valid()
    assert "8 chiffres commence par 199 ou 200" in form.errors["appi_number"][0]
    assert person_form(has_no_mobile="on", appi_number="2001 2345").is_valid()


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
