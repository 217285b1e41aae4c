"""A dashboard is a list of sections; each section is a title, its tables and their charts.

A section is built from a ``Reading``: the area, the period and the one before, the moment the
data are read, and what several sections share, read once (the tallies of both periods, the
convocation type labels, the services of the area). An indicator family computed by its own
module plugs in with ``tables_section`` around its ``tables_for(area, period, previous, *, now)``
(see ``dashboard.CORE``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from jalon.access.models import Service
from jalon.appointments.models import AppointmentType
from jalon.stats import tables
from jalon.stats.figures import Tallies, refusal_figure
from jalon.stats.queries import Area, Period
from jalon.stats.tables import Table

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
# Beyond this many rows, a bar per service is unreadable: the table alone says it.
MAX_CHART_BARS = 25


@dataclass(frozen=True)
class Chart:
    """A ``bar-chart``/``line-chart`` element's attributes (JSON, no inline script).

    It is drawn just before the table ``table_key``, which holds the same data.
    """

    element: str
    title: str
    x: str
    y: str
    name: str
    unit: str
    table_key: str
    stacked: bool = False


@dataclass
class Section:
    key: str
    title: str
    tables: list[Table]
    charts: list[Chart] = field(default_factory=list)

    @property
    def items(self) -> list[tuple[Table, list[Chart]]]:
        """Each table with the charts drawn from it (shown first, the table follows)."""
        return [
            (table, [chart for chart in self.charts if chart.table_key == table.key])
            for table in self.tables
        ]


@dataclass
class Reading:
    """What the sections of one dashboard read; shared parts are read once, on first use."""

    area: Area
    period: Period
    now: datetime

    @property
    def previous(self) -> Period:
        return self.period.previous()

    @cached_property
    def by_service(self) -> bool:
        return self.area.kind != "service"

    @cached_property
    def current(self) -> Tallies:
        return Tallies.count(self.area, self.period, now=self.now, by_service=self.by_service)

    @cached_property
    def before(self) -> Tallies:
        return Tallies.count(self.area, self.previous, now=self.now, by_service=self.by_service)

    @cached_property
    def type_labels(self) -> dict[int, str]:
        return dict(AppointmentType.objects.values_list("pk", "label"))

    @cached_property
    def services(self) -> list[Service]:
        return list(
            self.area.services()
            .select_related("jurisdiction")
            .only("pk", "name", "jurisdiction__name")
            .order_by("jurisdiction__name", "name")
        )


SectionBuilder = Callable[[Reading], Section]


def tables_section(key: str, title: str, tables_for: Callable[..., list[Table]]
                   ) -> SectionBuilder:  # fmt: skip
    """A section of the tables a family's module computes (no chart)."""

    def build(reading: Reading) -> Section:
        found = tables_for(reading.area, reading.period, reading.previous, now=reading.now)
        return Section(key, title, list(found))

    return build


def chart(element: str, title: str, table: Table, columns: list[int], unit: str,
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


# --- The sections every dashboard has ---------------------------------------------------------


def appointments_section(reading: Reading) -> Section:
    current = reading.current
    summary = tables.summary(
        "convocations", "Convocations", APPOINTMENT_SUMMARY, current, reading.before
    )
    by_bucket = tables.appointments_by_bucket(current)
    by_type = tables.appointments_by_type(current, reading.type_labels)
    return Section(
        "convocations",
        "Convocations",
        [summary, by_bucket, by_type],
        [
            # Honoured, missed, excused, cancelled, without outcome: the parts of "prévues".
            chart(
                "bar-chart",
                "Convocations par période",
                by_bucket,
                [2, 3, 4, 5, 6],
                "convocations",
                stacked=True,
            ),
            chart("line-chart", "Taux d’absentéisme par période", by_bucket, [7], "%", scale=100),
        ],
    )


def sms_section(reading: Reading) -> Section:
    summary = tables.summary("sms", "SMS", SMS_SUMMARY, reading.current, reading.before)
    tables.refusal_row(summary, refusal_figure(reading.area))
    by_bucket = tables.messages_by_bucket(reading.current)
    return Section(
        "sms",
        "SMS",
        [summary, tables.reminders(reading.current), by_bucket],
        [chart("bar-chart", "SMS par période", by_bucket, [2, 3, 4], "SMS", stacked=True)],
    )


def services_section(reading: Reading) -> Section:
    """Absenteeism and SMS per service of the area (and per TJ above one TJ): who lags."""
    with_jurisdiction = reading.area.kind != "jurisdiction"
    per_service = tables.per_service(
        reading.services, reading.current, reading.before, with_jurisdiction=with_jurisdiction
    )
    found = [per_service]
    charts = []
    if 0 < len(per_service.rows) <= MAX_CHART_BARS:
        charts.append(_rates_chart("Taux d’absentéisme par service", per_service))
    if with_jurisdiction:
        per_jurisdiction = tables.per_jurisdiction(
            reading.services, reading.current, reading.before
        )
        found.insert(0, per_jurisdiction)
        if 0 < len(per_jurisdiction.rows) <= MAX_CHART_BARS:
            charts.append(_rates_chart("Taux d’absentéisme par juridiction", per_jurisdiction))
    title = "Par juridiction et par service" if with_jurisdiction else "Par service"
    return Section("services", title, found, charts)


def _rates_chart(title: str, table: Table) -> Chart:
    columns = [index for index, column in enumerate(table.columns)
               if column.label in tables.COMPARED_RATE_LABELS]  # fmt: skip
    return chart("bar-chart", title, table, columns, "%", scale=100)
