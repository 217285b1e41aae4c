"""Dates and times as agents type them."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from jalon.core.forms import FlexibleTimeField, FrenchDateField, UpcomingDateField


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("24/03/1987", dt.date(1987, 3, 24)),
        ("24031987", dt.date(1987, 3, 24)),
        ("24-03-1987", dt.date(1987, 3, 24)),
        ("24.03.1987", dt.date(1987, 3, 24)),
        (" 24/03/1987 ", dt.date(1987, 3, 24)),
        ("1987-03-24", dt.date(1987, 3, 24)),
    ],
)
def test_french_dates_in_every_usual_form(typed, expected):
    assert FrenchDateField().clean(typed) == expected


@pytest.mark.parametrize("typed", ["31/02/1990", "24/13/1987", "2403198", "hier", "24/03"])
def test_impossible_or_incomplete_dates_are_refused(typed):
    with pytest.raises(ValidationError):
        FrenchDateField().clean(typed)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("6/7", dt.date(2027, 7, 6)),
        ("06/07", dt.date(2027, 7, 6)),
        ("6.7", dt.date(2027, 7, 6)),
        ("5/7", dt.date(2027, 7, 5)),  # today
        ("4/7", dt.date(2028, 7, 4)),  # already past this year: next year
        ("06/07/2027", dt.date(2027, 7, 6)),
    ],
)
def test_a_day_without_year_is_its_next_occurrence(typed, expected):
    with time_machine.travel(dt.datetime(2027, 7, 5, 8, tzinfo=dt.UTC).timestamp(), tick=False):
        assert UpcomingDateField().clean(typed) == expected


def test_a_day_without_year_that_does_not_exist_is_refused():
    with pytest.raises(ValidationError):
        UpcomingDateField().clean("30/2")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("10", dt.time(10, 0)),
        ("9", dt.time(9, 0)),
        ("10h", dt.time(10, 0)),
        ("10H30", dt.time(10, 30)),
        ("10h30", dt.time(10, 30)),
        ("10:30", dt.time(10, 30)),
        ("1030", dt.time(10, 30)),
        ("9h05", dt.time(9, 5)),
    ],
)
def test_times_typed_quickly(typed, expected):
    assert FlexibleTimeField().clean(typed) == expected


@pytest.mark.parametrize("typed", ["25", "10h75", "10h7", "midi", "1:2"])
def test_impossible_times_are_refused(typed):
    with pytest.raises(ValidationError):
        FlexibleTimeField().clean(typed)


def test_values_are_shown_back_in_french_form():
    assert FrenchDateField().prepare_value(dt.date(1987, 3, 24)) == "24/03/1987"
    assert FlexibleTimeField().prepare_value(dt.time(9, 5)) == "09:05"
