"""Outcome discipline: past convocations left without a status distort every statistic.

The home page warns an agent with more than 5 of them, and a service when more than 20 %
of its convocations of the last 3 months have none (issue thresholds, MSJ-01).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from jalon.access.models import Agent
from jalon.appointments.models import Appointment

AGENT_THRESHOLD = 5
SERVICE_RATE_THRESHOLD = 0.20
SERVICE_WINDOW = timedelta(days=91)


@dataclass(frozen=True)
class OutcomeBacklog:
    agent_unknown: int
    service_unknown: int
    service_total: int

    @property
    def service_rate(self) -> float:
        return self.service_unknown / self.service_total if self.service_total else 0.0

    @property
    def agent_warns(self) -> bool:
        return self.agent_unknown > AGENT_THRESHOLD

    @property
    def service_warns(self) -> bool:
        return self.service_rate > SERVICE_RATE_THRESHOLD

    @property
    def service_percent(self) -> int:
        return round(self.service_rate * 100)


def outcome_backlog(agent: Agent, now: datetime | None = None) -> OutcomeBacklog:
    """Two aggregate queries, whatever the number of convocations."""
    now = now or timezone.now()
    at_service = Appointment.objects.filter(service_id=agent.service_id)
    unknown, total = at_service.outcome_backlog(now - SERVICE_WINDOW, now)
    return OutcomeBacklog(
        agent_unknown=at_service.without_outcome(now).for_agent(agent).count(),
        service_unknown=unknown,
        service_total=total,
    )
