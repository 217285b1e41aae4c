"""Review dates (SIS-03): pure computations, tested without the database."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Protocol

from django.core.exceptions import ValidationError


class HasInterval(Protocol):
    default_review_days: int


def default_next_review(base: date, policy: HasInterval) -> date:
    """The policy's default interval counted from ``base`` (creation or last review)."""
    return base + timedelta(days=policy.default_review_days)


def validate_next_review(day: date, *, today: date) -> None:
    """A next review may be set freely, but never in the past."""
    if day < today:
        raise ValidationError(
            {
                "next_review_on": (
                    "La prochaine revue ne peut pas être dans le passé : choisissez une date "
                    f"à partir du {today:%d/%m/%Y}."
                )
            }
        )


def review_state(
    next_review_on: date, today: date, soon_days: int = 15, *, closed_on: date | None = None
) -> str:
    """ "overdue", "soon" (within ``soon_days``) or "later": the table highlights the first two.

    A closed situation is "closed": no review is due any more, so it is never overdue.
    """
    if closed_on is not None:
        return "closed"
    if next_review_on < today:
        return "overdue"
    if next_review_on <= today + timedelta(days=soon_days):
        return "soon"
    return "later"
