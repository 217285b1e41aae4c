"""Local administration of places and agendas through real requests (MSJ-28)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from jalon.appointments.actions import places as place_actions
from jalon.appointments.models import Agenda, Place
from jalon.history.models import Event
from tests.factories import AgendaFactory, AppointmentFactory, PlaceFactory, appointment_type
from tests.queries import assert_queries_do_not_grow


@pytest.fixture
def admin_sap(make_agent, org):
    return make_agent("local_admin", service=org.sap_alpha)


def place_data(**changes):
    return {
        "name": "Tribunal judiciaire — SAP, bâtiment B",
        "address": "1 quai Finkwiller\n67000 Strasbourg",
        "phone": "03 88 75 27 27",
        "email": "sap.tj-strasbourg@justice.fr",
        "preferred_contact": "phone",
        "info_url": "https://www.justice.fr",
        "accessibility_notes": "Entrée accessible par la rue de la Monnaie.",
        "is_active": "on",
    } | changes


def test_a_local_admin_creates_a_place_of_their_service_and_it_is_recorded(
    client_for, admin_sap, org
):
    response = client_for(admin_sap).post(reverse("place_create"), place_data())
    place = Place.objects.get(name="Tribunal judiciaire — SAP, bâtiment B")
    assert response.status_code == 302
    assert response.url == reverse("place_edit", args=[place.pk])
    assert place.service == org.sap_alpha
    assert place.phone == "03 88 75 27 27"
    assert place.accessibility_notes.startswith("Entrée accessible")
    event = Event.objects.get(action="place.created")
    assert event.actor == admin_sap and event.target_id == str(place.pk)


def test_a_local_admin_cannot_choose_another_service(client_for, admin_sap, org):
    response = client_for(admin_sap).post(
        reverse("place_create"), place_data(service=org.sap_beta.pk)
    )
    assert response.status_code == 302
    assert Place.objects.get().service == org.sap_alpha  # the field does not exist for them


def test_a_national_admin_chooses_the_service(client_for, make_agent, org):
    admin = make_agent("national_admin", service=org.national)
    client = client_for(admin)
    response = client.post(reverse("place_create"), place_data())
    assert response.status_code == 200
    assert "Choisissez le service du lieu." in response.content.decode()
    client.post(reverse("place_create"), place_data(service=org.sap_beta.pk))
    assert Place.objects.get().service == org.sap_beta


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "Indiquez le nom du lieu."),
        ({"address": "  "}, "address", "Indiquez l’adresse du lieu."),
        ({"phone": "12"}, "phone", "Ce numéro de téléphone n’est pas valide"),
        ({"email": "pas-une-adresse"}, "email", "Saisissez une adresse électronique valide."),
        ({"info_url": "pas une adresse"}, "info_url", "Saisissez une adresse web valide"),
        (
            {"preferred_contact": "email", "email": ""},
            "email",
            "Indiquez l’adresse électronique : c’est le contact à privilégier.",
        ),
        (
            {"phone": ""},
            "phone",
            "Indiquez le téléphone : c’est le contact à privilégier.",
        ),
    ],
)
def test_bad_place_input_is_explained_in_french_and_keeps_what_was_typed(
    client_for, admin_sap, changes, field, message
):
    data = place_data(**changes)
    response = client_for(admin_sap).post(reverse("place_create"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field])
    page = response.content.decode()
    assert "Le formulaire contient des erreurs" in page
    assert "1 quai Finkwiller" in page or changes.get("address") is not None
    assert data["accessibility_notes"] in page
    assert not Place.objects.exists()
    assert not Event.objects.filter(action__startswith="place.").exists()


def test_a_duplicate_place_name_in_the_service_is_refused(client_for, admin_sap, org):
    PlaceFactory(service=org.sap_alpha, name="Tribunal judiciaire — SAP, bâtiment B")
    response = client_for(admin_sap).post(reverse("place_create"), place_data())
    assert response.context["form"].errors["name"] == ["Ce service a déjà un lieu de ce nom."]
    assert Place.objects.count() == 1


def test_editing_a_place_records_what_changed(client_for, admin_sap, agendas):
    place = agendas.sap_alpha.place
    data = place_data(name=place.name, address=place.address, phone="0388000001", email="")
    response = client_for(admin_sap).post(reverse("place_edit", args=[place.pk]), data)
    assert response.status_code == 302
    place.refresh_from_db()
    assert place.phone == "03 88 00 00 01"
    event = Event.objects.get(action="place.changed")
    assert set(event.details["changes"]) == {"phone", "info_url", "accessibility_notes"}
    assert event.details["changes"]["phone"] == {
        "before": "03 88 00 00 00",
        "after": "03 88 00 00 01",
    }


def test_an_overseas_place_phone_is_read_in_the_services_region(client_for, make_agent, org):
    org.sap_alpha.holiday_subdivision = "973"
    org.sap_alpha.save()
    admin = make_agent("local_admin", service=org.sap_alpha)
    client_for(admin).post(reverse("place_create"), place_data(phone="0594 29 00 00"))
    assert Place.objects.get().phone == "0594 29 00 00"  # Guyane format


def test_the_place_page_lists_agendas_with_links_to_slots_and_patterns(
    client_for, admin_sap, agendas
):
    agenda = agendas.sap_alpha
    inactive = AgendaFactory(place=agenda.place, name="Ancien cabinet", is_active=False)
    response = client_for(admin_sap).get(reverse("place_edit", args=[agenda.place.pk]))
    page = response.content.decode()
    assert reverse("agenda_edit", args=[agenda.place.pk, agenda.pk]) in page
    assert reverse("slot_list", args=[agenda.pk]) in page
    assert reverse("pattern_list", args=[agenda.pk]) in page
    assert reverse("agenda_edit", args=[agenda.place.pk, inactive.pk]) in page
    assert reverse("slot_list", args=[inactive.pk]) not in page


def test_creating_an_agenda_is_recorded_and_names_are_unique_per_place(
    client_for, admin_sap, agendas
):
    place = agendas.sap_alpha.place
    client = client_for(admin_sap)
    response = client.post(reverse("agenda_create", args=[place.pk]), {"name": " Cabinet 2 "})
    assert response.status_code == 302
    agenda = Agenda.objects.get(place=place, name="Cabinet 2")
    assert Event.objects.get(action="agenda.created").target_id == str(agenda.pk)
    response = client.post(reverse("agenda_create", args=[place.pk]), {"name": "Cabinet 2"})
    assert response.context["form"].errors["name"] == ["Ce lieu a déjà un agenda de ce nom."]
    assert "Cabinet 2" in response.content.decode()
    response = client.post(reverse("agenda_create", args=[place.pk]), {"name": ""})
    assert response.context["form"].errors["name"] == ["Indiquez le nom de l’agenda."]
    assert Agenda.objects.filter(place=place).count() == 2


def test_no_agenda_is_opened_at_an_inactive_place(client_for, admin_sap, agendas):
    place = agendas.sap_alpha.place
    Place.objects.filter(pk=place.pk).update(is_active=False)
    response = client_for(admin_sap).post(
        reverse("agenda_create", args=[place.pk]), {"name": "Cabinet 3"}
    )
    assert "réactivez-le avant d’y ouvrir un agenda" in response.content.decode()
    assert not Agenda.objects.filter(name="Cabinet 3").exists()


def test_an_agenda_with_future_convocations_cannot_be_deactivated(
    client_for, admin_sap, agendas, frozen_now
):
    agenda = agendas.sap_alpha
    AppointmentFactory(
        agenda=agenda,
        appointment_type=appointment_type("jap_follow_up"),
        starts_at=frozen_now + dt.timedelta(days=2),
    )
    response = client_for(admin_sap).post(
        reverse("agenda_edit", args=[agenda.place.pk, agenda.pk]), {"name": "Cabinet renommé"}
    )
    assert response.status_code == 200
    error = response.context["form"].errors["is_active"][0]
    assert "1 convocation(s) planifiée(s) à venir (la première le 07/07/2027 à 10 h 00)" in error
    assert "annulez-les ou replanifiez-les" in error
    assert 'value="Cabinet renommé"' in response.content.decode()
    agenda.refresh_from_db()
    assert agenda.is_active and agenda.name != "Cabinet renommé"  # nothing partially applied
    assert not Event.objects.filter(action="agenda.changed").exists()


def test_past_or_cancelled_convocations_do_not_block_deactivation(
    client_for, admin_sap, agendas, frozen_now
):
    agenda = agendas.sap_alpha
    kind = appointment_type("jap_follow_up")
    AppointmentFactory(
        agenda=agenda, appointment_type=kind, starts_at=frozen_now - dt.timedelta(days=2)
    )
    AppointmentFactory(
        agenda=agenda,
        appointment_type=kind,
        starts_at=frozen_now + dt.timedelta(days=2),
        status="cancelled",
    )
    response = client_for(admin_sap).post(
        reverse("agenda_edit", args=[agenda.place.pk, agenda.pk]), {"name": agenda.name}
    )
    assert response.status_code == 302
    agenda.refresh_from_db()
    assert not agenda.is_active
    event = Event.objects.get(action="agenda.changed")
    assert event.details["changes"] == {"is_active": {"before": True, "after": False}}
    # A deactivated agenda leaves the booking choices and the agenda list.
    page = client_for(admin_sap).get(reverse("agenda_list")).content.decode()
    assert reverse("slot_list", args=[agenda.pk]) not in page


def test_a_place_with_future_convocations_cannot_be_deactivated(
    client_for, admin_sap, agendas, frozen_now
):
    agenda = agendas.sap_alpha
    AppointmentFactory(
        agenda=agenda,
        appointment_type=appointment_type("jap_follow_up"),
        starts_at=frozen_now + dt.timedelta(days=9),
    )
    place = agenda.place
    data = place_data(name=place.name, address=place.address, phone=place.phone)
    del data["is_active"]
    response = client_for(admin_sap).post(reverse("place_edit", args=[place.pk]), data)
    assert "Ce lieu a encore 1 convocation(s)" in response.context["form"].errors["is_active"][0]
    place.refresh_from_db()
    assert place.is_active and place.email == ""


def test_an_agenda_of_another_place_is_not_found_under_this_place(
    client_for, admin_sap, agendas, org
):
    other = AgendaFactory(place__service=org.sap_alpha)
    url = reverse("agenda_edit", args=[agendas.sap_alpha.place.pk, other.pk])
    assert client_for(admin_sap).get(url).status_code == 404


def test_the_place_list_shows_only_the_agents_service(client_for, admin_sap, agendas):
    page = client_for(admin_sap).get(reverse("place_list")).content.decode()
    assert agendas.sap_alpha.place.name in page
    assert agendas.spip_alpha.place.name not in page
    assert agendas.sap_beta.place.name not in page


def test_the_place_list_query_count_does_not_grow_with_places(client_for, admin_sap, org):
    client = client_for(admin_sap)
    PlaceFactory(service=org.sap_alpha)
    response = assert_queries_do_not_grow(
        lambda: client.get(reverse("place_list")),
        lambda: [AgendaFactory(place=PlaceFactory(service=org.sap_alpha)) for _ in range(6)],
    )
    assert len(response.context["page"]) == 7


def test_the_place_page_query_count_does_not_grow_with_agendas(client_for, admin_sap, agendas):
    client = client_for(admin_sap)
    url = reverse("place_edit", args=[agendas.sap_alpha.place.pk])
    response = assert_queries_do_not_grow(
        lambda: client.get(url),
        lambda: [
            AgendaFactory(place=agendas.sap_alpha.place, name=f"Cabinet {number}")
            for number in range(6)
        ],
    )
    assert "Cabinet 5" in response.content.decode()


def test_the_actions_refuse_an_agent_outside_the_service(make_agent, org, agendas):
    spip_admin = make_agent("local_admin", service=org.spip_alpha)
    with pytest.raises(PermissionDenied):
        place_actions.update_agenda(
            agent=spip_admin, agenda=agendas.sap_alpha, name="X", is_active=True
        )
    agendas.sap_alpha.refresh_from_db()
    assert agendas.sap_alpha.name != "X"


@pytest.mark.parametrize(
    ("profile_code", "shown"),
    [("local_admin", True), ("greff_sap", True), ("jap", True), ("secretary_court", False)],
)
def test_the_menu_links_to_places_for_those_who_administer_them(
    client_for, make_agent, org, profile_code, shown
):
    agent = make_agent(profile_code, service=org.sap_alpha)
    page = client_for(agent).get(reverse("agenda_list")).content.decode()
    assert (f'href="{reverse("place_list")}"' in page) is shown
