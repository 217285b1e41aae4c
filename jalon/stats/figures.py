"""Indicators of an area over a period: totals, per bucket, per type (from ``queries``).

Sums of tallies, then each indicator's own computation: a total is never a second formula.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from jalon.stats.indicators import BASE_FAMILIES, INDICATORS, SMS_REFUSAL, Figure, Indicator
from jalon.stats.queries import (
    BY_KIND,
    BY_SERVICE,
    BY_TYPE,
    AppointmentTally,
    Area,
    MessageTally,
    Period,
    appointment_groupings,
    appointment_tallies,
    message_groupings,
    message_tallies,
    sms_refusals,
)

# The indicators counted by these tallies (other families, e.g. ``chain``, count their own).


@dataclass(frozen=True)
class Tallies:
    """What the queries counted for one area and period (4 queries)."""

    period: Period
    appointments: dict[tuple[date, int], AppointmentTally]
    messages: dict[tuple[date, str], MessageTally]
    # Totals over the period per service id (only when counted ``by_service``).
    appointments_by_service: dict[int, AppointmentTally] = field(default_factory=dict)
    messages_by_service: dict[int, MessageTally] = field(default_factory=dict)

    @classmethod
    def count(cls, area: Area, period: Period, *, now: datetime, by_service: bool = False
              ) -> Tallies:  # fmt: skip
        """The area's tallies; ``by_service`` also keeps each service's totals (6 queries
        instead of 4: the kept counts grouped by service too)."""
        if not by_service:
            return cls(
                period=period,
                appointments=appointment_tallies(area, period, now=now),
                messages=message_tallies(area, period),
            )
        appointments, appointments_by_service = appointment_groupings(
            area, period, [BY_TYPE, BY_SERVICE], now=now
        )
        messages, messages_by_service = message_groupings(area, period, [BY_KIND, BY_SERVICE])
        return cls(
            period=period,
            appointments=appointments,
            messages=messages,
            appointments_by_service=_single_keys(appointments_by_service),
            messages_by_service=_single_keys(messages_by_service),
        )

    def service_figure(self, code: str, service_id: int) -> Figure:
        """``code`` over the period for one service (counted ``by_service``)."""
        indicator = INDICATORS[code]
        rows, kind = (
            (self.appointments_by_service, AppointmentTally)
            if indicator.family == "appointments"
            else (self.messages_by_service, MessageTally)
        )
        return indicator.compute(rows.get(service_id, kind()))

    def _family(self, indicator: Indicator) -> tuple[dict[Any, Any], type[Any]]:
        if indicator.family == "appointments":
            return self.appointments, AppointmentTally
        return self.messages, MessageTally

    def tally(self, indicator: Indicator, keys: Iterable[Any] | None = None) -> Any:
        rows, kind = self._family(indicator)
        if keys is None:
            return kind.total(rows.values())
        wanted = set(keys)
        return kind.total(tally for key, tally in rows.items() if key in wanted)

    def figure(self, code: str) -> Figure:
        """``code`` over the whole period and every type."""
        indicator = INDICATORS[code]
        return indicator.compute(self.tally(indicator))

    def figures(self) -> dict[str, Figure]:
        return {c: self.figure(c) for c, i in INDICATORS.items() if i.family in BASE_FAMILIES}

    def by_bucket(self, code: str) -> list[tuple[date, Figure]]:
        """``code`` for each bucket of the period, empty buckets included."""
        indicator = INDICATORS[code]
        rows, kind = self._family(indicator)
        sums: dict[date, Any] = {bucket: kind() for bucket in self.period.buckets()}
        for (bucket, _), tally in rows.items():
            sums[bucket] = sums[bucket] + tally
        return [(bucket, indicator.compute(tally)) for bucket, tally in sums.items()]

    def by_second_key(self, code: str) -> dict[Any, Figure]:
        """``code`` for each appointment type (or SMS kind) that has rows in the period."""
        indicator = INDICATORS[code]
        rows, kind = self._family(indicator)
        sums: dict[Any, Any] = {}
        for (_, second), tally in rows.items():
            sums[second] = sums.get(second, kind()) + tally
        return {second: indicator.compute(tally) for second, tally in sums.items()}


def _single_keys(rows: dict[tuple[Any], Any]) -> dict[Any, Any]:
    """``{(service id,): tally}`` as ``{service id: tally}``."""
    return {key[0]: tally for key, tally in rows.items()}


def refusal_figure(area: Area) -> Figure:
    return SMS_REFUSAL.compute(sms_refusals(area))
