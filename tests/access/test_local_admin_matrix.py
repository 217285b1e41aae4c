"""Who administers places and agendas, and who unarchives a person: tables of real requests.

The place and its agenda belong to SAP Alpha. Agents are of that service ("own"), of another
service of the ressort of TJ Alpha (SPIP Alpha, BEX Alpha: "ressort"), of SAP Beta ("other
ressort"), or national. Expected: an HTTP status, and for state changes whether the change
happened (302 after a POST that changed something).
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from jalon.appointments.models import Agenda, Place
from jalon.history.models import Event
from tests.factories import PersonFactory

AGENTS = {
    # key: (profile, service attribute on ``org``)
    "national_admin": ("national_admin", "national"),
    "own_local_admin": ("local_admin", "sap_alpha"),
    "own_dir_greff_sap": ("dir_greff_sap", "sap_alpha"),
    "own_greff_sap": ("greff_sap", "sap_alpha"),
    "own_jap": ("jap", "sap_alpha"),
    "own_secretary_court": ("secretary_court", "sap_alpha"),
    "ressort_local_admin_spip": ("local_admin", "spip_alpha"),
    "ressort_dpip": ("dpip", "spip_alpha"),
    "ressort_cpip": ("cpip", "spip_alpha"),
    "ressort_overseer": ("overseer", "spip_alpha"),
    "ressort_secretary_spip": ("secretary_spip", "spip_alpha"),
    "ressort_bex": ("bex", "bex_alpha"),
    "ressort_dir_greff_bex": ("dir_greff_bex", "bex_alpha"),
    "other_local_admin": ("local_admin", "sap_beta"),
    "other_greff_sap": ("greff_sap", "sap_beta"),
}

OK, DENIED, HIDDEN, MOVED = 200, 403, 404, 302

# Place managers: national and local admins, directeurs de greffe, greffier SAP, JAP, DPIP.
OWN_MANAGERS = (
    "national_admin",
    "own_local_admin",
    "own_dir_greff_sap",
    "own_greff_sap",
    "own_jap",
)
OTHER_MANAGERS = (
    "ressort_local_admin_spip",
    "ressort_dpip",
    "ressort_dir_greff_bex",
    "other_local_admin",
    "other_greff_sap",
)
OTHER_RESSORT = ("other_local_admin", "other_greff_sap")


def _on_the_place(allowed_status: int) -> dict[str, int]:
    """Own managers act; the ressort sees a 403; another ressort a 404."""
    return dict.fromkeys(OWN_MANAGERS, allowed_status) | dict.fromkeys(OTHER_RESSORT, HIDDEN)


MATRIX: dict[str, dict[str, int]] = {
    # The list and the creation form are about the agent's own service.
    "place_list": dict.fromkeys((*OWN_MANAGERS, *OTHER_MANAGERS), OK),
    "place_create": dict.fromkeys((*OWN_MANAGERS, *OTHER_MANAGERS), OK),
    "place_edit": _on_the_place(OK),
    "place_change": _on_the_place(MOVED),
    "agenda_create": _on_the_place(MOVED),
    "agenda_rename": _on_the_place(MOVED),
    "agenda_deactivate": _on_the_place(MOVED),
}
CASES = [(action, key, MATRIX[action].get(key, DENIED)) for action in MATRIX for key in AGENTS]


@pytest.fixture
def world(org, agendas):
    return {"place": agendas.sap_alpha.place, "agenda": agendas.sap_alpha}


def request(client, action, world):
    place, agenda = world["place"], world["agenda"]
    if action == "place_list":
        return client.get(reverse("place_list"))
    if action == "place_create":
        return client.get(reverse("place_create"))
    if action == "place_edit":
        return client.get(reverse("place_edit", args=[place.pk]))
    if action == "place_change":
        return client.post(
            reverse("place_edit", args=[place.pk]),
            {
                "name": "Nouveau nom",
                "address": place.address,
                "phone": place.phone,
                "email": "",
                "preferred_contact": "phone",
                "info_url": "",
                "accessibility_notes": "",
                "is_active": "on",
            },
        )
    if action == "agenda_create":
        return client.post(reverse("agenda_create", args=[place.pk]), {"name": "Cabinet 2"})
    if action == "agenda_rename":
        return client.post(
            reverse("agenda_edit", args=[place.pk, agenda.pk]),
            {"name": "Cabinet renommé", "is_active": "on"},
        )
    if action == "agenda_deactivate":
        return client.post(
            reverse("agenda_edit", args=[place.pk, agenda.pk]), {"name": agenda.name}
        )
    raise AssertionError(action)


def changed(action, world) -> bool:
    place, agenda = world["place"], world["agenda"]
    if action == "place_change":
        return Place.objects.get(pk=place.pk).name == "Nouveau nom"
    if action == "agenda_create":
        return Agenda.objects.filter(place=place, name="Cabinet 2").exists()
    if action == "agenda_rename":
        return Agenda.objects.get(pk=agenda.pk).name == "Cabinet renommé"
    if action == "agenda_deactivate":
        return not Agenda.objects.get(pk=agenda.pk).is_active
    return False


@pytest.mark.parametrize(("action", "key", "expected"), CASES)
def test_local_admin_access_matrix(client_for, org, make_agent, world, action, key, expected):
    profile_code, where = AGENTS[key]
    agent = make_agent(profile_code, service=getattr(org, where))
    response = request(client_for(agent), action, world)
    assert response.status_code == expected
    assert changed(action, world) is (expected == MOVED)
    recorded = Event.objects.filter(
        action__in=["place.changed", "agenda.created", "agenda.changed"]
    )
    assert recorded.exists() is (expected == MOVED)


# Unarchiving (MSJ-30): the local administrators of a service following the person.
UNARCHIVE = {
    "national_admin": MOVED,
    "ressort_local_admin_spip": MOVED,  # SPIP Alpha follows the person
    "own_local_admin": DENIED,  # SAP Alpha sees the person but does not follow them
    "ressort_dpip": DENIED,
    "ressort_cpip": DENIED,
    "ressort_overseer": DENIED,
    "ressort_secretary_spip": DENIED,
    "own_greff_sap": DENIED,
    "own_jap": DENIED,
    "own_dir_greff_sap": DENIED,
    "ressort_bex": DENIED,
    "other_local_admin": HIDDEN,
}


@pytest.mark.parametrize(("key", "expected"), UNARCHIVE.items())
def test_unarchive_is_reserved_to_local_admins_of_a_following_service(
    client_for, org, make_agent, key, expected
):
    person = PersonFactory(followed_by=[org.spip_alpha], archived_at=timezone.now())
    profile_code, where = AGENTS[key]
    agent = make_agent(profile_code, service=getattr(org, where))
    response = client_for(agent).post(reverse("person_archive", args=[person.pk, "desarchiver"]))
    assert response.status_code == expected
    person.refresh_from_db()
    assert person.is_archived is (expected != MOVED)
