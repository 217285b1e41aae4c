"""The transfer, sortie d'audience and situation families: their indicators and tables.

Registered in the global ``indicators.INDICATORS`` when the app is ready (``apps.py``), so
that the documentation test and every dashboard see them; their tallies are counted by their
own modules (``flows_transfers``, ``flows_exits``, ``flows_situations``), each with
``tables_for(area, period, previous, *, now)`` at a fixed number of queries.
"""

from __future__ import annotations

from datetime import datetime

from jalon.access.models import Service
from jalon.stats import flows_exits, flows_situations, flows_transfers, tables
from jalon.stats.indicators import DIMENSION_LABELS, INDICATORS
from jalon.stats.queries import Area, Period

FLOW_INDICATORS = {
    **flows_transfers.INDICATORS,
    **flows_exits.INDICATORS,
    **flows_situations.INDICATORS,
}


def register() -> None:
    INDICATORS.update(FLOW_INDICATORS)
    DIMENSION_LABELS.setdefault("policy", "politique pénale")


def service_tables(
    service: Service, period: Period, previous: Period, *, now: datetime
) -> list[tables.Table]:
    """The families shown on a service's dashboard: transfers for every service (4 queries),
    sorties d'audience for the services that book or receive them (6 more). Situations
    belong to jurisdictions: ``flows_situations.tables_for`` is for their dashboards."""
    area = Area("service", service.pk)
    found = flows_transfers.tables_for(area, period, previous, now=now)
    if service.kind in flows_exits.SERVICE_KINDS:
        found += flows_exits.tables_for(area, period, previous, now=now)
    return found
