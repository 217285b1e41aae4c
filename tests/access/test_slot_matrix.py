"""Who may manage slots and recurring slots, and book on a slot: one table of real requests.

The agenda belongs to SPIP Alpha and holds a sortie d'audience SPIP slot, a SAP DDSE slot
and a recurring pattern. Every agent works in the ressort of TJ Alpha except
``greff_sap_beta`` (TJ Beta). A second table checks the SAP profiles on their own SAP agenda.
Expected: an HTTP status, and for state changes whether the change happened.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from jalon.access.roles import ServiceKind
from jalon.appointments.actions import slots as slot_actions
from jalon.appointments.models import Slot, SlotPattern
from tests.factories import PersonFactory, ServiceFactory, appointment_type

AGENTS = {
    # key: (profile, service attribute on ``org`` or a kind to create in TJ Alpha)
    "national_admin": ("national_admin", "national"),
    "local_admin_spip": ("local_admin", "spip_alpha"),
    "dpip": ("dpip", "spip_alpha"),
    "secretary_spip": ("secretary_spip", "spip_alpha"),
    "overseer": ("overseer", "spip_alpha"),
    "cpip": ("cpip", "spip_alpha"),
    "jap": ("jap", "sap_alpha"),
    "greff_sap": ("greff_sap", "sap_alpha"),
    "bex": ("bex", "bex_alpha"),
    "dir_greff_bex": ("dir_greff_bex", "bex_alpha"),
    "parquet": ("parquet", ServiceKind.PROSECUTION),
    "greff_sap_beta": ("greff_sap", "sap_beta"),
}

OK, DENIED, HIDDEN = 200, 403, 404
MOVED = 302  # a state change that happened (redirect after POST)

MANAGERS = ("national_admin", "local_admin_spip", "dpip")  # slots and recurring slots
SLOT_MANAGERS = (*MANAGERS, "secretary_spip")


def only(keys, status: int) -> dict[str, int]:
    return dict.fromkeys(keys, status) | {"greff_sap_beta": HIDDEN}


MATRIX: dict[str, dict[str, int]] = {
    "slot_list": only((*SLOT_MANAGERS, "overseer"), OK),
    "slot_create": only((*SLOT_MANAGERS, "overseer"), OK),
    "slot_edit": only(SLOT_MANAGERS, OK),
    "ddse_slot_edit": only((*SLOT_MANAGERS, "overseer"), OK),
    "close": only((*SLOT_MANAGERS, "overseer"), MOVED),
    "pattern_list": only(MANAGERS, OK),
    "pattern_create": only(MANAGERS, OK),
    "pattern_delete": only(MANAGERS, MOVED),
    # Booking needs a slot type in the agent's list, not a right on the agenda.
    "book_on_slot": {"parquet": DENIED, "greff_sap_beta": HIDDEN},
}
DEFAULTS = dict.fromkeys(MATRIX, DENIED) | {"book_on_slot": OK}
CASES = [
    (action, key, MATRIX[action].get(key, DEFAULTS[action])) for action in MATRIX for key in AGENTS
]


@pytest.fixture
def world(org, agendas, frozen_now, make_agent):
    admin = make_agent("local_admin", service=org.spip_alpha)
    agenda = agendas.spip_alpha
    pattern = slot_actions.create_pattern(
        agent=admin,
        agenda=agenda,
        appointment_type=appointment_type("sortie_audience_spip"),
        weekdays=[0],
        start_time=dt.time(9),
        end_time=dt.time(10),
        interval_minutes=60,
        duration_minutes=60,
        capacity=1,
        valid_from=dt.date(2027, 7, 1),
    ).pattern

    def single(code: str, hour: int) -> Slot:
        return slot_actions.create_slot(
            agent=admin,
            agenda=agenda,
            appointment_type=appointment_type(code),
            day=dt.date(2027, 7, 7),
            at=dt.time(hour),
            duration_minutes=30,
            capacity=2,
        )

    return {
        "agenda": agenda,
        "pattern": pattern,
        "slot": single("sortie_audience_spip", 9),
        "ddse_slot": single("sap_ddse", 11),
        "person": PersonFactory(followed_by=[org.spip_alpha]),
        "parquet": ServiceFactory(kind=ServiceKind.PROSECUTION, jurisdiction=org.tj_alpha),
    }


def agent_for(key, org, world, make_agent):
    profile_code, where = AGENTS[key]
    service = world["parquet"] if where == ServiceKind.PROSECUTION else getattr(org, where)
    return make_agent(profile_code, service=service)


def request(client, action, world):
    agenda = world["agenda"].pk
    if action == "slot_list":
        return client.get(reverse("slot_list", args=[agenda]))
    if action == "slot_create":
        return client.get(reverse("slot_create", args=[agenda]))
    if action == "slot_edit":
        return client.get(reverse("slot_edit", args=[agenda, world["slot"].pk]))
    if action == "ddse_slot_edit":
        return client.get(reverse("slot_edit", args=[agenda, world["ddse_slot"].pk]))
    if action == "close":
        return client.post(
            reverse("slot_list", args=[agenda]),
            {"date_from": "07/07/2027", "date_to": "07/07/2027", "reason": "Congés"},
        )
    if action == "pattern_list":
        return client.get(reverse("pattern_list", args=[agenda]))
    if action == "pattern_create":
        return client.get(reverse("pattern_create", args=[agenda]))
    if action == "pattern_delete":
        return client.post(reverse("pattern_delete", args=[agenda, world["pattern"].pk]))
    if action == "book_on_slot":
        return client.get(reverse("person_slot_book", args=[world["person"].pk]))
    raise AssertionError(action)


def changed(action, world) -> bool:
    if action == "close":
        return Slot.objects.filter(is_open=False).exists()
    if action == "pattern_delete":
        return not SlotPattern.objects.filter(pk=world["pattern"].pk).exists()
    return False


@pytest.mark.parametrize(("action", "key", "expected"), CASES)
def test_slot_access_matrix(client_for, org, make_agent, world, action, key, expected):
    agent = agent_for(key, org, world, make_agent)
    response = request(client_for(agent), action, world)
    assert response.status_code == expected
    assert changed(action, world) is (expected == MOVED)


def test_the_overseer_closes_only_tag_fitting_slots(client_for, org, make_agent, world):
    client = client_for(make_agent("overseer", service=org.spip_alpha))
    request(client, "close", world)
    assert list(Slot.objects.filter(is_open=False)) == [world["ddse_slot"]]


# SAP profiles on their own SAP agenda (sortie d'audience SAP slots).
SAP_AGENTS = {
    "jap": ("jap", OK, OK),
    "greff_sap": ("greff_sap", OK, OK),
    "dir_greff_sap": ("dir_greff_sap", OK, OK),
    "secretary_court": ("secretary_court", OK, DENIED),
    "local_admin_sap": ("local_admin", OK, OK),
}


@pytest.mark.parametrize(("key", "profile_code", "slots", "patterns"), [
    (key, *values) for key, values in SAP_AGENTS.items()
])  # fmt: skip
def test_sap_profiles_on_their_own_agenda(
    client_for, org, agendas, make_agent, key, profile_code, slots, patterns
):
    client = client_for(make_agent(profile_code, service=org.sap_alpha))
    assert client.get(reverse("slot_list", args=[agendas.sap_alpha.pk])).status_code == slots
    assert client.get(reverse("slot_create", args=[agendas.sap_alpha.pk])).status_code == slots
    assert client.get(reverse("pattern_list", args=[agendas.sap_alpha.pk])).status_code == patterns
    # Another service's agenda in the ressort is not theirs; another ressort's is invisible.
    assert client.get(reverse("slot_list", args=[agendas.spip_alpha.pk])).status_code == DENIED
    assert client.get(reverse("slot_list", args=[agendas.sap_beta.pk])).status_code == HIDDEN
