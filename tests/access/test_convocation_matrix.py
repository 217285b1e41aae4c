"""Who may do what to a person and their convocations: one table of real requests.

The person is followed by SPIP Alpha; the convocations are held by SPIP Alpha. Every other
agent works in the same ressort (TJ Alpha) except ``greff_sap_beta`` (TJ Beta).
Expected: an HTTP status, and for state changes whether the change happened.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from jalon.access.roles import ServiceKind
from jalon.appointments.models import Appointment
from tests.dates import working_day_at
from tests.factories import AppointmentFactory, PersonFactory, ServiceFactory

AGENTS = {
    # key: (profile, service attribute on ``org`` or a kind to create in TJ Alpha)
    "cpip": ("cpip", "spip_alpha"),
    "dpip": ("dpip", "spip_alpha"),
    "overseer": ("overseer", "spip_alpha"),
    "local_admin_spip": ("local_admin", "spip_alpha"),
    "jap": ("jap", "sap_alpha"),
    "greff_sap": ("greff_sap", "sap_alpha"),
    "bex": ("bex", "bex_alpha"),
    "parquet": ("parquet", ServiceKind.PROSECUTION),
    "greff_sap_beta": ("greff_sap", "sap_beta"),
    "national_admin": ("national_admin", "national"),
}

OK, DENIED, HIDDEN = 200, 403, 404
MOVED = 302  # a state change that happened (redirect after POST)

# The receiving service (SPIP Alpha) and national admins act on the SPIP's convocations.
RECEIVING = ("cpip", "dpip", "overseer", "local_admin_spip", "national_admin")


def receiving(status: int) -> dict[str, int]:
    return dict.fromkeys(RECEIVING, status) | {"greff_sap_beta": HIDDEN}


# action → expected per agent key (absent keys: the default given in DEFAULTS)
MATRIX: dict[str, dict[str, int]] = {
    "view_person": {"greff_sap_beta": HIDDEN},
    "edit_person": {"parquet": DENIED, "greff_sap_beta": HIDDEN},
    "book": {"bex": DENIED, "parquet": DENIED, "greff_sap_beta": HIDDEN},
    "view_appointment": {"greff_sap_beta": HIDDEN},
    "letter": {"greff_sap_beta": HIDDEN},
    "mark_honoured": receiving(MOVED),
    "cancel": receiving(MOVED),
    "reschedule": receiving(OK),
    "archive": receiving(MOVED),
}
DEFAULTS = {
    "view_person": OK,
    "edit_person": OK,
    "book": OK,
    "view_appointment": OK,
    "letter": OK,
    "mark_honoured": DENIED,
    "cancel": DENIED,
    "reschedule": DENIED,
    "archive": DENIED,
}
CASES = [
    (action, key, MATRIX[action].get(key, DEFAULTS[action])) for action in MATRIX for key in AGENTS
]


@pytest.fixture
def world(org, agendas, make_agent, frozen_now):
    person = PersonFactory(followed_by=[org.spip_alpha])
    past = AppointmentFactory(
        person=person, agenda=agendas.spip_alpha, starts_at=frozen_now - dt.timedelta(days=2)
    )
    future = AppointmentFactory(
        person=person,
        agenda=agendas.spip_alpha,
        starts_at=working_day_at(9, service=org.spip_alpha),
    )
    parquet = ServiceFactory(kind=ServiceKind.PROSECUTION, jurisdiction=org.tj_alpha)
    return {"person": person, "past": past, "future": future, "parquet": parquet}


def agent_for(key, org, world, make_agent):
    profile_code, where = AGENTS[key]
    service = world["parquet"] if where == ServiceKind.PROSECUTION else getattr(org, where)
    return make_agent(profile_code, service=service)


def request(client, action, world):
    person, past, future = world["person"], world["past"], world["future"]
    if action == "view_person":
        return client.get(reverse("person_detail", args=[person.pk]))
    if action == "edit_person":
        return client.get(reverse("person_edit", args=[person.pk]))
    if action == "book":
        return client.get(reverse("person_book", args=[person.pk]))
    if action == "view_appointment":
        return client.get(reverse("appointment_detail", args=[future.pk]))
    if action == "letter":
        return client.get(reverse("appointment_letter", args=[future.pk]))
    if action == "mark_honoured":
        return client.post(reverse("appointment_operation", args=[past.pk, "honoree"]))
    if action == "cancel":
        return client.post(reverse("appointment_operation", args=[future.pk, "annuler"]))
    if action == "reschedule":
        return client.get(reverse("appointment_reschedule", args=[future.pk]))
    if action == "archive":
        return client.post(reverse("person_archive", args=[person.pk, "archiver"]))
    raise AssertionError(action)


def changed(action, world) -> bool:
    if action == "mark_honoured":
        world["past"].refresh_from_db()
        return world["past"].status == Appointment.Status.HONOURED
    if action == "cancel":
        world["future"].refresh_from_db()
        return world["future"].status == Appointment.Status.CANCELLED
    if action == "archive":
        world["person"].refresh_from_db()
        return world["person"].is_archived
    return False


@pytest.mark.parametrize(("action", "key", "expected"), CASES)
def test_access_matrix(client_for, org, agendas, make_agent, world, action, key, expected):
    agent = agent_for(key, org, world, make_agent)
    response = request(client_for(agent), action, world)
    assert response.status_code == expected
    assert changed(action, world) is (expected == MOVED)
