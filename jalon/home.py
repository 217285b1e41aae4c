"""What the home page shows each agent: the blocks of their daily work (issue 18, point 7).

- An agent who receives persons (CPIP, JAP, greffier SAP…): their convocations of today and
  of the next days (assigned to them, or of the persons they are the référent of), and
  "mes personnes" when they can be a référent.
- A BEX: the sorties d'audience its service booked today, and "Décisions à exécuter".
- The parquet and the JAF: situations whose review is overdue, the events of the last days,
  the next meeting of an instance de concertation.
- A head of service: a few figures of the service's dashboard over the last four weeks.

Every list is bounded (``LIMIT`` rows, and whether there are more) and read through the
access layer's scopes; the number of queries does not depend on the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet
from django.utils import timezone

from jalon.access.models import Agent
from jalon.access.rules import appointments as appointment_rules
from jalon.access.rules import judgments as judgment_rules
from jalon.access.rules import people as people_rules
from jalon.access.rules import situations as situation_rules
from jalon.access.rules import stats as stats_rules
from jalon.appointments.models import Appointment
from jalon.cases.models import Execution
from jalon.people.models import Person
from jalon.situations.models import Meeting, Situation, SituationEvent
from jalon.stats.figures import Tallies
from jalon.stats.indicators import INDICATORS, Figure
from jalon.stats.queries import Area, Period
from jalon.stats.tables import format_cell

LIMIT = 10
UPCOMING_DAYS = 7  # "this week": the next seven days after today
EVENT_DAYS = 7  # new events: those written in the last seven days
STATS_DAYS = 28  # the dashboard's default period
HEADLINE_INDICATORS = [
    "appointments_booked",
    "absenteeism_rate",
    "appointments_without_outcome",
    "sms_delivery_rate",
]

T = TypeVar("T")


@dataclass(frozen=True)
class Bounded(Generic[T]):
    """At most ``LIMIT`` rows of a list, and whether it has more (one query)."""

    rows: list[T]
    more: bool

    @classmethod
    def of(cls, queryset: QuerySet[Any], limit: int = LIMIT) -> Bounded[Any]:
        rows = list(queryset[: limit + 1])
        return cls(rows=rows[:limit], more=len(rows) > limit)


@dataclass(frozen=True)
class Headline:
    name: str
    definition: str
    figure: Figure

    @property
    def text(self) -> str:
        """``12,5 %``, ``1 234``: as the dashboard writes it."""
        return format_cell(self.figure.value, "percent" if self.figure.is_rate else "int")


@dataclass
class HomeBlocks:
    today: date
    convocations_today: Bounded[Appointment] | None = None
    convocations_upcoming: Bounded[Appointment] | None = None
    my_persons: Bounded[Person] | None = None
    hearing_exits: Bounded[Appointment] | None = None
    executions: Bounded[Execution] | None = None
    overdue_situations: Bounded[Situation] | None = None
    recent_events: Bounded[SituationEvent] | None = None
    next_meeting: Meeting | None = None
    shows_meetings: bool = False
    headlines: list[Headline] = field(default_factory=list)
    stats_period: Period | None = None

    @property
    def any(self) -> bool:
        return any(
            block is not None
            for block in (
                self.convocations_today,
                self.my_persons,
                self.hearing_exits,
                self.executions,
                self.overdue_situations,
            )
        ) or bool(self.headlines)


def _local_bounds(first: date, last: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """From the start of ``first`` to the end of ``last``, local days of ``zone``."""
    return (
        datetime.combine(first, time.min, tzinfo=zone),
        datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone),
    )


def _my_convocations(agent: Agent, start: datetime, end: datetime) -> QuerySet[Appointment]:
    """Convocations assigned to the agent or of the persons they are the référent of.

    Their ids are found first (one query), each side through its own index (the assignee's;
    the référent's persons, then each person's convocations), then read by id: an ``OR``
    across the join to the person, or the ids as a subquery, made PostgreSQL read every
    convocation of the days and every person (0.4 s at national scale).
    """
    window = Q(starts_at__gte=start, starts_at__lt=end)
    assigned = Appointment.objects.filter(window, assigned_agent=agent).values_list("pk")
    referred = Appointment.objects.filter(window, person__referent=agent).values_list("pk")
    ids = [pk for (pk,) in assigned.union(referred)]
    return (
        appointment_rules.appointments_visible_to(agent)
        .filter(pk__in=ids)
        .exclude(status=Appointment.Status.CANCELLED)
        .with_details()
        .order_by("starts_at", "pk")
    )


def _add_convocations(blocks: HomeBlocks, agent: Agent, zone: ZoneInfo) -> None:
    if not appointment_rules.has_own_convocations(agent):
        return
    start, end = _local_bounds(blocks.today, blocks.today, zone)
    blocks.convocations_today = Bounded.of(_my_convocations(agent, start, end))
    start, end = _local_bounds(
        blocks.today + timedelta(days=1), blocks.today + timedelta(days=UPCOMING_DAYS), zone
    )
    blocks.convocations_upcoming = Bounded.of(_my_convocations(agent, start, end))
    if people_rules.can_be_referent(agent):
        blocks.my_persons = Bounded.of(people_rules.persons_referred_by(agent))


def _add_hearing_exits(blocks: HomeBlocks, agent: Agent, zone: ZoneInfo) -> None:
    if appointment_rules.can_use_hearing_exit(agent) and not agent.is_national_admin:
        start, end = _local_bounds(blocks.today, blocks.today, zone)
        blocks.hearing_exits = Bounded.of(
            appointment_rules.appointments_visible_to(agent)
            .filter(
                created_by_service_id=agent.service_id, created_at__gte=start, created_at__lt=end
            )
            .exclude(status=Appointment.Status.CANCELLED)
            .with_details()
            .order_by("-created_at", "-pk")
        )
    if judgment_rules.is_bex(agent):
        blocks.executions = Bounded.of(
            judgment_rules.bex_queue(agent).select_related(
                "judgment__procedure", "judgment__party__person"
            )
        )


def _add_situations(blocks: HomeBlocks, agent: Agent, now: datetime) -> None:
    if not situation_rules.can_use_situations(agent):
        return
    visible = situation_rules.situations_visible_to(agent)
    blocks.overdue_situations = Bounded.of(
        visible.overdue(blocks.today).for_table().order_by("next_review_on", "pk")
    )
    blocks.recent_events = Bounded.of(
        SituationEvent.objects.filter(
            situation__in=visible.values("pk"), created_at__gte=now - timedelta(days=EVENT_DAYS)
        )
        .select_related("situation__mec", "situation__policy")
        .order_by("-created_at", "-pk")
    )
    blocks.shows_meetings = True
    blocks.next_meeting = (
        situation_rules.meetings_visible_to(agent)
        .filter(held_on__gte=blocks.today)
        .select_related("instance")
        .order_by("held_on", "pk")
        .first()
    )


def _add_headlines(blocks: HomeBlocks, agent: Agent, now: datetime) -> None:
    if not stats_rules.can_head_service_statistics(agent):
        return
    period = Period(blocks.today - timedelta(days=STATS_DAYS - 1), blocks.today, "week")
    tallies = Tallies.count(Area("service", agent.service_id), period, now=now)
    blocks.stats_period = period
    blocks.headlines = [
        Headline(INDICATORS[code].name, INDICATORS[code].definition, tallies.figure(code))
        for code in HEADLINE_INDICATORS
    ]


def home_blocks(agent: Agent, now: datetime | None = None) -> HomeBlocks:
    """The blocks of ``agent``'s home page, in the service's own day."""
    now = now or timezone.now()
    zone = ZoneInfo(agent.service.time_zone)
    blocks = HomeBlocks(today=now.astimezone(zone).date())
    _add_convocations(blocks, agent, zone)
    _add_hearing_exits(blocks, agent, zone)
    _add_situations(blocks, agent, now)
    _add_headlines(blocks, agent, now)
    return blocks
