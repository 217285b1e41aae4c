"""A service head's dashboard: the period, the one before it, every table and chart.

Figures are read live from indexed tables at each request (no cache, no aggregate kept
elsewhere): they are as fresh as the database, and the page shows the time it read them.
A dashboard costs a fixed number of queries, whatever the data: 4 for the period's tallies,
4 for the previous period's, 1 for SMS refusals, 1 for the convocation type labels,
8 for the transfers and sorties d'audience (``flows.py``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from jalon.access.models import Service
from jalon.appointments.models import AppointmentType
from jalon.stats import flows, tables
from jalon.stats.figures import Tallies, refusal_figure
from jalon.stats.queries import Area, Period

APPOINTMENT_SUMMARY = [
    "appointments_booked",
    "appointments_honoured",
    "appointments_missed",
    "appointments_excused",
    "appointments_cancelled",
    "appointments_without_outcome",
    "absenteeism_rate",
]
SMS_SUMMARY = [
    "sms_left",
    "sms_delivered",
    "sms_undelivered",
    "sms_failed",
    "sms_cancelled",
    "sms_delivery_rate",
    "absenteeism_with_reminder",
    "absenteeism_without_reminder",
]


@dataclass(frozen=True)
class Chart:
    """A ``bar-chart``/``line-chart`` element's attributes (JSON, no inline script)."""

    element: str
    title: str
    x: str
    y: str
    name: str
    unit: str
    table_key: str
    stacked: bool = False


@dataclass
class Dashboard:
    service: Service
    period: Period
    previous: Period
    data_at: datetime  # in the service's time zone
    tables: dict[str, tables.Table] = field(default_factory=dict)
    charts: list[Chart] = field(default_factory=list)

    @property
    def data_time(self) -> str:
        """HH:MM:SS in the service's zone (a template filter would convert to the site's)."""
        return f"{self.data_at:%H:%M:%S}"


def _chart(element: str, title: str, table: tables.Table, columns: list[int], unit: str,
           *, stacked: bool = False, scale: float = 1) -> Chart:  # fmt: skip
    labels = [row[0] for row in table.rows]
    series = [
        [None if row[c] is None else round(row[c] * scale, 1) for row in table.rows]
        for c in columns
    ]
    return Chart(
        element=element,
        title=title,
        x=json.dumps([labels] * len(columns), ensure_ascii=False),
        y=json.dumps(series),
        name=json.dumps([table.columns[c].label for c in columns], ensure_ascii=False),
        unit=unit,
        table_key=table.key,
        stacked=stacked,
    )


def service_dashboard(service: Service, period: Period, *, now: datetime) -> Dashboard:
    area = Area("service", service.pk)
    previous = period.previous()
    current_tallies = Tallies.count(area, period, now=now)
    previous_tallies = Tallies.count(area, previous, now=now)
    type_labels = dict(AppointmentType.objects.values_list("pk", "label"))
    board = Dashboard(
        service=service,
        period=period,
        previous=previous,
        data_at=now.astimezone(ZoneInfo(service.time_zone)),
    )
    appointments = tables.summary(
        "convocations", "Convocations", APPOINTMENT_SUMMARY, current_tallies, previous_tallies
    )
    sms = tables.summary("sms", "SMS", SMS_SUMMARY, current_tallies, previous_tallies)
    tables.refusal_row(sms, refusal_figure(area))
    by_bucket = tables.appointments_by_bucket(current_tallies)
    sms_by_bucket = tables.messages_by_bucket(current_tallies)
    for table in [
        appointments,
        by_bucket,
        tables.appointments_by_type(current_tallies, type_labels),
        sms,
        tables.reminders(current_tallies),
        sms_by_bucket,
    ]:
        board.tables[table.key] = table
    # Transfers and sorties d'audience (flows.py): 8 queries more, shown after the SMS.
    for table in flows.service_tables(service, period, previous, now=now):
        board.tables[table.key] = table
    board.charts = [
        # Honoured, missed, excused, cancelled, without outcome: the parts of "prévues".
        _chart(
            "bar-chart",
            "Convocations par période",
            by_bucket,
            [2, 3, 4, 5, 6],
            "convocations",
            stacked=True,
        ),
        _chart("line-chart", "Taux d’absentéisme par période", by_bucket, [7], "%", scale=100),
        _chart("bar-chart", "SMS par période", sms_by_bucket, [2, 3, 4], "SMS", stacked=True),
    ]
    return board
