"""The dashboards: a service's, a jurisdiction's (a TJ, or a court of appeal with its ressort)
and the national one, each a list of sections over a period and the one before it.

Figures are exact at each request: convocations and SMS from the per-day counts the
database keeps in the writing transaction (``maintained.py``), the other families live from
indexed tables; the page shows the time it read them. A dashboard costs a fixed number of
queries, whatever the data: 5 for the period's tallies and 5 for the previous period's (7 and
7 on an area's dashboard, where the kept counts are also grouped by service), 1 for SMS
refusals, 1 for the convocation type labels, and on an area's dashboard 1 for its services; each
family section adds its own fixed count (transfers 4, sorties d'audience 6, situations 10,
penal chain 12).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from jalon.stats import chain_tables, flows_exits, flows_situations, flows_transfers
from jalon.stats.queries import Area, Period
from jalon.stats.sections import (
    Reading,
    Section,
    SectionBuilder,
    appointments_section,
    services_section,
    sms_section,
    tables_section,
)
from jalon.stats.tables import Table

# The sections of each kind of dashboard, in page order: the convocations and SMS, then the
# families computed by their own module (``tables_for(area, period, previous, *, now)``, no
# chart). Table keys must differ across sections: an export finds its table by key.
TRANSFERS = tables_section("transferts", "Transferts de suivi demandés", flows_transfers.tables_for)
EXITS = tables_section("sorties_audience", "Sorties d’audience", flows_exits.tables_for)
SITUATIONS = tables_section(
    "situations", "Situations (politiques pénales prioritaires)", flows_situations.tables_for
)
CHAIN = tables_section("chaine_penale", "Chaîne pénale", chain_tables.tables_for)
AREA_SECTIONS = [
    appointments_section,
    sms_section,
    services_section,
    TRANSFERS,
    EXITS,
    SITUATIONS,
    CHAIN,
]
CORE: dict[str, list[SectionBuilder]] = {
    # A service head: their service's convocations, SMS, transfers and sorties d'audience
    # (the services with a dashboard book or receive them: BEX, SAP, SPIP).
    "service": [appointments_section, sms_section, TRANSFERS, EXITS],
    "jurisdiction": AREA_SECTIONS,
    "court_of_appeal": AREA_SECTIONS,
    "national": AREA_SECTIONS,
}


def sections_for(kind: str) -> list[SectionBuilder]:
    return CORE[kind]


@dataclass(frozen=True)
class Subject:
    """Whose dashboard: the area, its name as the page shows it, and its time zone."""

    area: Area
    name: str
    time_zone: str


@dataclass
class Dashboard:
    subject: Subject
    period: Period
    previous: Period
    data_at: datetime  # in the subject's time zone
    sections: list[Section] = field(default_factory=list)

    @property
    def data_time(self) -> str:
        """HH:MM:SS in the subject's zone (a template filter would convert to the site's)."""
        return f"{self.data_at:%H:%M:%S}"

    @property
    def tables(self) -> dict[str, Table]:
        return {table.key: table for section in self.sections for table in section.tables}

    def table(self, key: str) -> Table | None:
        return self.tables.get(key)


def build(subject: Subject, period: Period, *, now: datetime) -> Dashboard:
    reading = Reading(subject.area, period, now)
    return Dashboard(
        subject=subject,
        period=period,
        previous=period.previous(),
        data_at=now.astimezone(ZoneInfo(subject.time_zone)),
        sections=[build_section(reading) for build_section in sections_for(subject.area.kind)],
    )


PARIS = "Europe/Paris"


def area_time_zone(area: Area) -> str:
    """The zone of the area's services when they all share one (a TJ overseas), else Paris.

    1 query, none for the national area (Paris).
    """
    if area.kind == "national":
        return PARIS
    zones = list(area.services().order_by().values_list("time_zone", flat=True).distinct()[:2])
    return zones[0] if len(zones) == 1 else PARIS


def service_subject(service: Any) -> Subject:
    return Subject(Area("service", service.pk), service.name, service.time_zone)


def jurisdiction_subject(jurisdiction: Any) -> Subject:
    """A TJ, or a court of appeal with its whole ressort (its TJs and its own services)."""
    if jurisdiction.kind == "ca":
        area = Area("court_of_appeal", jurisdiction.pk)
        name = f"{jurisdiction.name} (tout le ressort)"
    else:
        area = Area("jurisdiction", jurisdiction.pk)
        name = jurisdiction.name
    return Subject(area, name, area_time_zone(area))


def national_subject() -> Subject:
    return Subject(Area("national"), "National", PARIS)
