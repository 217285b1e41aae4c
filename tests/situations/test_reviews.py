"""Review dates (SIS-03), computed without the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from jalon.situations.reviews import default_next_review, review_state, validate_next_review


@dataclass
class FakePolicy:
    default_review_days: int


def test_the_next_review_is_the_policy_interval_from_the_base_date():
    assert default_next_review(date(2027, 7, 5), FakePolicy(90)) == date(2027, 10, 3)


def test_the_interval_crosses_years_and_leap_days():
    assert default_next_review(date(2027, 12, 15), FakePolicy(76)) == date(2028, 2, 29)


def test_a_review_date_in_the_past_is_refused_with_a_french_message():
    with pytest.raises(ValidationError) as refused:
        validate_next_review(date(2027, 7, 4), today=date(2027, 7, 5))
    assert "dans le passé" in str(refused.value.message_dict["next_review_on"])


def test_today_is_an_acceptable_review_date():
    validate_next_review(date(2027, 7, 5), today=date(2027, 7, 5))


@pytest.mark.parametrize(
    ("due", "state"),
    [
        (date(2027, 7, 4), "overdue"),
        (date(2027, 7, 5), "soon"),
        (date(2027, 7, 20), "soon"),
        (date(2027, 7, 21), "later"),
    ],
)
def test_review_state_highlights_overdue_and_soon(due, state):
    assert review_state(due, date(2027, 7, 5)) == state
