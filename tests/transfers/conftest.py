from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from procrastinate.contrib.django.models import ProcrastinateJob

from jalon.access.models import Agent, Service
from jalon.access.roles import ServiceKind
from jalon.appointments.models import Appointment
from jalon.people.models import Person
from tests.factories import AppointmentFactory, PersonFactory, ServiceFactory


@dataclass
class World:
    """A person of ressort Alpha (SPIP and SAP follow them) who moved to ressort Beta.

    SPIP Beta asks for the follow-up; the person saw SPIP Alpha last month.
    """

    spip_beta: Service
    person: Person
    requester: Agent  # local admin of SPIP Beta
    dpip_alpha: Agent
    greff_sap_alpha: Agent
    referent: Agent  # CPIP of SPIP Alpha
    past: Appointment


@pytest.fixture
def world(org: Any, agendas: Any, make_agent: Any, frozen_now: dt.datetime) -> World:
    spip_beta = ServiceFactory(
        name="SPIP Beta", kind=ServiceKind.SPIP, jurisdiction=org.tj_beta, served=[org.tj_beta]
    )
    referent = make_agent("cpip", service=org.spip_alpha)
    person = PersonFactory(
        last_name="Durand",
        first_names="Léa",
        appi_number="20112345",
        followed_by=[org.spip_alpha, org.sap_alpha],
        referent=referent,
    )
    past = AppointmentFactory(
        person=person,
        agenda=agendas.spip_alpha,
        starts_at=frozen_now - dt.timedelta(days=30),
        status=Appointment.Status.HONOURED,
    )
    return World(
        spip_beta=spip_beta,
        person=person,
        requester=make_agent("local_admin", service=spip_beta),
        dpip_alpha=make_agent("dpip", service=org.spip_alpha),
        greff_sap_alpha=make_agent("greff_sap", service=org.sap_alpha),
        referent=referent,
        past=past,
    )


def queued_emails() -> list[dict[str, Any]]:
    """The e-mails deferred so far (job arguments), oldest first."""
    return [
        job.args
        for job in ProcrastinateJob.objects.filter(
            task_name="jalon.core.tasks.send_email"
        ).order_by("id")
    ]
