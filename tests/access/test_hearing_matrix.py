"""Who may use the sortie d'audience screen, the agenda views and the commune import: one
table of real requests.

The ressort of TJ Alpha has a SAP, a BEX, a SPIP and a parquet; ``bex_beta`` works in the BEX
of TJ Beta. The SAP agenda holds a sortie d'audience SAP slot with one convocation (made by
the BEX) and a free one. Expected: an HTTP status; for the booking, 302 means it happened.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from jalon.access.roles import ServiceKind
from jalon.appointments.actions import book_appointment
from jalon.appointments.models import Appointment
from tests.factories import (
    CommuneFactory,
    PersonFactory,
    ServiceFactory,
    SlotFactory,
    appointment_type,
)

PARIS = ZoneInfo("Europe/Paris")

AGENTS = {
    # key: (profile, service attribute on ``org`` or key of ``world``)
    "national_admin": ("national_admin", "national"),
    "local_admin_bex": ("local_admin", "bex_alpha"),
    "dir_greff_bex": ("dir_greff_bex", "bex_alpha"),
    "bex": ("bex", "bex_alpha"),
    "greff_co": ("greff_co", "registry"),
    "greff_tpe": ("greff_tpe", "bex_alpha"),
    "prosecutor_bex": ("prosecutor", "bex_alpha"),
    "prosecutor_parquet": ("prosecutor", "parquet"),
    "parquet": ("parquet", "parquet"),
    "jap": ("jap", "sap_alpha"),
    "greff_sap": ("greff_sap", "sap_alpha"),
    "local_admin_sap": ("local_admin", "sap_alpha"),
    "cpip": ("cpip", "spip_alpha"),
    "dpip": ("dpip", "spip_alpha"),
    "bex_beta": ("bex", "bex_beta"),
}

OK, DENIED, HIDDEN = 200, 403, 404
MOVED = 302

HEARING = ("national_admin", "local_admin_bex", "dir_greff_bex", "bex", "greff_co", "greff_tpe",
           "prosecutor_bex")  # fmt: skip
# Names on a sortie d'audience SAP slot: the SAP (holds it) and the BEX kinds (book it).
NAMES = (*HEARING, "jap", "greff_sap", "local_admin_sap")

MATRIX: dict[str, dict[str, int]] = {
    "hearing": dict.fromkeys(HEARING, OK) | {"bex_beta": OK},
    "hearing_book": dict.fromkeys(HEARING, MOVED) | {"bex_beta": OK},  # Beta: refused slot
    "hearing_person": dict.fromkeys(HEARING, OK) | {"bex_beta": HIDDEN},
    "hearing_done": dict.fromkeys(HEARING, OK) | {"bex_beta": HIDDEN},
    "calendar": {"bex_beta": HIDDEN},
    "calendar_pdf": {"bex_beta": HIDDEN},
    "service_day": {},
    "commune_import": {"national_admin": OK},
}
DEFAULTS = {
    "hearing": DENIED,
    "hearing_book": DENIED,
    "hearing_person": DENIED,
    "hearing_done": DENIED,
    "calendar": OK,
    "calendar_pdf": OK,
    "service_day": OK,
    "commune_import": DENIED,
}
CASES = [
    (action, key, MATRIX[action].get(key, DEFAULTS[action])) for action in MATRIX for key in AGENTS
]


@pytest.fixture
def world(org, agendas, frozen_now, make_agent):
    sap = appointment_type("sortie_audience_sap")
    parquet = ServiceFactory(kind=ServiceKind.PROSECUTION, jurisdiction=org.tj_alpha)
    registry = ServiceFactory(kind=ServiceKind.CORRECTIONAL_REGISTRY, jurisdiction=org.tj_alpha)
    bex_beta = ServiceFactory(kind=ServiceKind.BEX, jurisdiction=org.tj_beta)
    booked_slot = SlotFactory(
        agenda=agendas.sap_alpha,
        appointment_type=sap,
        starts_at=dt.datetime(2027, 7, 7, 9, tzinfo=PARIS),
    )
    free_slot = SlotFactory(
        agenda=agendas.sap_alpha,
        appointment_type=sap,
        starts_at=dt.datetime(2027, 7, 7, 10, tzinfo=PARIS),
    )
    person = PersonFactory(last_name="SECRET", followed_by=[org.bex_alpha])
    appointment = book_appointment(
        agent=make_agent("bex", service=org.bex_alpha), person=person, slot=booked_slot
    )
    CommuneFactory(
        insee_code="67482", name="Strasbourg", tribunal=org.tj_alpha, spip=org.spip_alpha
    )
    return {
        "agenda": agendas.sap_alpha,
        "sap": sap,
        "free_slot": free_slot,
        "person": person,
        "appointment": appointment,
        "parquet": parquet,
        "registry": registry,
        "bex_beta": bex_beta,
    }


def agent_for(key, org, world, make_agent):
    profile_code, where = AGENTS[key]
    service = world[where] if where in world else getattr(org, where)
    return make_agent(profile_code, service=service)


def request(client, action, world):
    agenda = world["agenda"].pk
    if action == "hearing":
        return client.get("/sortie-audience/")
    if action == "hearing_book":
        return client.post(
            "/sortie-audience/?commune=67482",  # only national admins need it
            {
                "p-last_name": "Nouveau",
                "p-first_names": "Jean",
                "p-birth_date": "01/02/1990",
                "p-has_no_mobile": "on",
                f"creneau_{world['sap'].pk}": world["free_slot"].pk,
            },
        )
    if action == "hearing_person":
        return client.get("/sortie-audience/", {"personne": world["person"].pk})
    if action == "hearing_done":
        return client.get(reverse("hearing_done"), {"c": world["appointment"].pk})
    if action == "calendar":
        return client.get(
            reverse("agenda_calendar", args=[agenda]), {"vue": "jour", "date": "2027-07-07"}
        )
    if action == "calendar_pdf":
        return client.get(reverse("agenda_calendar_pdf", args=[agenda]), {"date": "2027-07-07"})
    if action == "service_day":
        return client.get(reverse("service_day"))
    if action == "commune_import":
        return client.get(reverse("commune_import"))
    raise AssertionError(action)


@pytest.mark.parametrize(("action", "key", "expected"), CASES)
def test_hearing_and_calendar_access_matrix(
    client_for, org, make_agent, world, action, key, expected
):
    agent = agent_for(key, org, world, make_agent)
    response = request(client_for(agent), action, world)
    assert response.status_code == expected
    if action == "hearing_book":
        booked = Appointment.objects.filter(slot=world["free_slot"]).exists()
        assert booked is (expected == MOVED)


@pytest.mark.parametrize("key", [key for key in AGENTS if key != "bex_beta"])
def test_names_on_a_slot_show_only_to_those_who_hold_or_book_its_type(
    client_for, org, make_agent, world, key
):
    agent = agent_for(key, org, world, make_agent)
    response = request(client_for(agent), "calendar", world)
    html = response.content.decode()
    if key in NAMES:
        assert "SECRET" in html
    else:
        assert "SECRET" not in html
        assert "1 personne convoquée" in html
