"""Sortie d'audience: find or register the person and book SAP and/or SPIP slots, all or nothing."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from jalon.access.roles import ServiceKind
from jalon.appointments.models import Appointment, Slot
from jalon.history.models import Event
from jalon.people.models import Person
from jalon.sms.models import Message
from tests.factories import (
    AgendaFactory,
    CommuneFactory,
    PersonFactory,
    ServiceFactory,
    SlotFactory,
    appointment_type,
)
from tests.queries import assert_queries_do_not_grow

PARIS = ZoneInfo("Europe/Paris")
URL = "/sortie-audience/"


def at(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2027, 7, day, hour, tzinfo=PARIS)


@pytest.fixture
def hearing(org, agendas, frozen_now, make_agent):
    sap, spip = appointment_type("sortie_audience_sap"), appointment_type("sortie_audience_spip")
    return SimpleNamespace(
        bex=make_agent("bex", service=org.bex_alpha),
        sap=sap,
        spip=spip,
        sap_slot=SlotFactory(agenda=agendas.sap_alpha, appointment_type=sap, starts_at=at(7, 9)),
        spip_slot=SlotFactory(
            agenda=agendas.spip_alpha, appointment_type=spip, starts_at=at(7, 14), capacity=2
        ),
        beta_slot=SlotFactory(agenda=agendas.sap_beta, appointment_type=sap, starts_at=at(7, 9)),
    )


def field(kind) -> str:
    return f"creneau_{kind.pk}"


def new_person(**extra) -> dict[str, str]:
    return {
        "p-last_name": "Durand",
        "p-first_names": "Léa",
        "p-birth_date": "12/03/1995",
        "p-phone": "06 11 22 33 44",
        "prosecution_number": "27123000042",
        **extra,
    }


def test_the_screen_offers_the_next_slots_of_the_ressort(client_for, hearing):
    response = client_for(hearing.bex).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    offered = {
        s.pk for offer in response.context["offers"] for _, slots in offer.agendas for s in slots
    }
    assert offered == {hearing.sap_slot.pk, hearing.spip_slot.pk}  # not TJ Beta's
    assert f'value="{hearing.sap_slot.pk}"' in html
    assert "Pas de convocation Sortie d’audience SPIP" in html


def test_a_new_person_is_registered_and_booked_on_both_slots(client_for, hearing, org):
    data = new_person(
        **{field(hearing.sap): hearing.sap_slot.pk, field(hearing.spip): hearing.spip_slot.pk},
        send_sms="on",
    )
    response = client_for(hearing.bex).post(URL, data)

    assert response.status_code == 302
    person = Person.objects.get()
    assert (person.last_name, person.first_names) == ("DURAND", "Léa")
    booked = list(Appointment.objects.order_by("starts_at"))
    assert [a.slot for a in booked] == [hearing.sap_slot, hearing.spip_slot]
    assert {a.prosecution_number for a in booked} == {"27123000042"}
    assert {a.created_by_service for a in booked} == {org.bex_alpha}
    assert {a.assigned_agent for a in booked} == {None}  # held by other services
    assert Slot.objects.get(pk=hearing.sap_slot.pk).booked_count == 1
    assert set(person.follows.values_list("service__name", flat=True)) == {
        "BEX Alpha",
        "SAP Alpha",
        "SPIP Alpha",
    }
    assert Message.objects.filter(appointment__in=booked, kind="convocation").count() == 2
    assert Event.objects.filter(action="person.created").count() == 1
    assert Event.objects.filter(action="appointment.booked").count() == 4  # convocation + person

    done = client_for(hearing.bex).get(response["Location"])
    assert done.status_code == 200
    for appointment in booked:
        assert reverse("appointment_letter", args=[appointment.pk]) in done.content.decode()


def test_one_slot_is_enough(client_for, hearing):
    response = client_for(hearing.bex).post(
        URL, new_person(**{field(hearing.spip): hearing.spip_slot.pk})
    )
    assert response.status_code == 302
    assert Appointment.objects.get().slot == hearing.spip_slot


def test_no_slot_chosen_is_refused_and_keeps_what_was_typed(client_for, hearing):
    response = client_for(hearing.bex).post(URL, new_person())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choisissez au moins un créneau : SAP, SPIP ou les deux." in html
    assert 'value="Durand"' in html and 'value="27123000042"' in html
    assert not Person.objects.exists()


@pytest.mark.parametrize("state", ["full", "closed"])
def test_a_full_or_closed_second_slot_books_nothing(client_for, hearing, state):
    spip_slot = hearing.spip_slot
    if state == "full":
        spip_slot.booked_count = spip_slot.capacity
        message = "Ce créneau est complet"
    else:
        spip_slot.is_open = False
        message = "fermé"
    spip_slot.save()
    data = new_person(
        **{field(hearing.sap): hearing.sap_slot.pk, field(hearing.spip): spip_slot.pk}
    )

    response = client_for(hearing.bex).post(URL, data)

    assert response.status_code == 200
    errors = response.context["form"].errors[field(hearing.spip)]
    assert any(message in error for error in errors)
    assert message in response.content.decode()
    assert not Person.objects.exists()
    assert not Appointment.objects.exists()
    assert Slot.objects.get(pk=hearing.sap_slot.pk).booked_count == 0
    assert 'value="Durand"' in response.content.decode()


def test_two_slots_at_the_same_time_are_refused(client_for, hearing, agendas):
    clash = SlotFactory(
        agenda=agendas.spip_alpha, appointment_type=hearing.spip, starts_at=at(7, 9)
    )
    data = new_person(**{field(hearing.sap): hearing.sap_slot.pk, field(hearing.spip): clash.pk})
    response = client_for(hearing.bex).post(URL, data)
    assert "a déjà une convocation à ce moment-là" in response.content.decode()
    assert not Appointment.objects.exists()
    assert not Person.objects.exists()


def test_a_slot_of_another_ressort_is_not_accepted(client_for, hearing):
    response = client_for(hearing.bex).post(
        URL, new_person(**{field(hearing.sap): hearing.beta_slot.pk})
    )
    assert response.status_code == 200
    assert "Ce créneau n’est pas proposé ici" in response.content.decode()
    assert not Appointment.objects.exists()


def test_an_existing_person_is_found_chosen_and_booked(client_for, hearing, org):
    person = PersonFactory(
        last_name="LEROY", first_names="Paul", birth_date=dt.date(1980, 1, 2),
        followed_by=[org.sap_alpha],
    )  # fmt: skip
    PersonFactory(last_name="LEROY", followed_by=[org.sap_beta])  # another ressort
    client = client_for(hearing.bex)

    found = client.get(URL, {"q": "leroy", "naissance": "02/01/1980"})
    assert [p.pk for p in found.context["results"]] == [person.pk]

    page = client.get(URL, {"personne": person.pk})
    assert page.context["person"] == person
    assert Event.objects.filter(action="person.viewed", target_id=str(person.pk)).exists()

    response = client.post(
        f"{URL}?personne={person.pk}",
        {"prosecution_number": "27188000001", field(hearing.sap): hearing.sap_slot.pk},
    )
    assert response.status_code == 302
    assert Person.objects.count() == 2
    assert Appointment.objects.get().person == person


def test_a_person_of_another_ressort_cannot_be_chosen(client_for, hearing, org):
    other = PersonFactory(followed_by=[org.sap_beta])
    assert client_for(hearing.bex).get(URL, {"personne": other.pk}).status_code == 404


def test_a_probable_duplicate_is_shown_with_a_link_to_choose_it(client_for, hearing, org):
    existing = PersonFactory(
        last_name="DURANT", first_names="Léa", birth_date=dt.date(1995, 3, 12),
        phone="+33699999999", followed_by=[org.spip_alpha],
    )  # fmt: skip
    client = client_for(hearing.bex)
    data = new_person(**{field(hearing.sap): hearing.sap_slot.pk})
    response = client.post(URL, data)
    html = response.content.decode()
    assert "Cette personne est peut-être déjà enregistrée" in html
    assert f"?personne={existing.pk}" in html
    assert not Appointment.objects.exists()

    confirmed = client.post(URL, {**data, "confirm_probable": "1"})
    assert confirmed.status_code == 302
    assert Person.objects.count() == 2


def test_a_spip_off_the_platform_leaves_only_the_jap(client_for, hearing, org):
    org.spip_alpha.uses_platform = False
    org.spip_alpha.save()
    client = client_for(hearing.bex)

    response = client.get(URL)
    assert [offer.appointment_type for offer in response.context["offers"]] == [hearing.sap]
    assert "SPIP Alpha n’utilise pas encore Jalon" in response.content.decode()

    refused = client.post(URL, new_person(**{field(hearing.spip): hearing.spip_slot.pk}))
    assert refused.status_code == 200
    assert not Appointment.objects.exists()


@pytest.fixture
def beta_ressort(org, hearing):
    """TJ Beta gets its SPIP, and Strasbourg-like commune 67482 belongs to TJ Beta."""
    spip_beta = ServiceFactory(
        name="SPIP Beta", kind=ServiceKind.SPIP, jurisdiction=org.tj_beta, served=[org.tj_beta]
    )
    spip_slot = SlotFactory(
        agenda=AgendaFactory(place__service=spip_beta),
        appointment_type=hearing.spip,
        starts_at=at(8, 10),
    )
    commune = CommuneFactory(
        insee_code="67482", name="Strasbourg", postal_codes=["67000", "67100"],
        tribunal=org.tj_beta, spip=spip_beta,
    )  # fmt: skip
    return SimpleNamespace(spip=spip_beta, spip_slot=spip_slot, commune=commune)


def test_inter_ressort_offers_the_slots_of_the_communes_ressort(
    client_for, hearing, org, beta_ressort
):
    org.bex_alpha.inter_ressort = True
    org.bex_alpha.save()
    client = client_for(hearing.bex)

    response = client.get(URL, {"commune": "67100"})
    offered = {
        s.pk for offer in response.context["offers"] for _, slots in offer.agendas for s in slots
    }
    assert offered == {hearing.beta_slot.pk, beta_ressort.spip_slot.pk}
    assert response.context["target"].commune == beta_ressort.commune

    booked = client.post(
        f"{URL}?commune=67482",
        new_person(
            **{
                field(hearing.sap): hearing.beta_slot.pk,
                field(hearing.spip): beta_ressort.spip_slot.pk,
            }
        ),
    )
    assert booked.status_code == 302
    assert {a.service for a in Appointment.objects.all()} == {org.sap_beta, beta_ressort.spip}
    # The agent who booked still sees the person and prints the letters.
    done = client.get(booked["Location"])
    assert done.status_code == 200


def test_without_the_setting_the_commune_is_ignored(client_for, hearing, beta_ressort):
    client = client_for(hearing.bex)
    response = client.get(URL, {"commune": "67482"})
    assert response.context["inter_ressort"] is False
    offered = {
        s.pk for offer in response.context["offers"] for _, slots in offer.agendas for s in slots
    }
    assert offered == {hearing.sap_slot.pk, hearing.spip_slot.pk}
    refused = client.post(
        f"{URL}?commune=67482", new_person(**{field(hearing.sap): hearing.beta_slot.pk})
    )
    assert refused.status_code == 200
    assert not Appointment.objects.exists()


def test_an_unknown_or_ambiguous_commune_is_explained(client_for, hearing, org, beta_ressort):
    org.bex_alpha.inter_ressort = True
    org.bex_alpha.save()
    CommuneFactory(
        insee_code="97302", name="Strasbourg", tribunal=org.tj_beta, spip=beta_ressort.spip
    )
    client = client_for(hearing.bex)
    unknown = client.get(URL, {"commune": "Atlantide"})
    assert "Commune « Atlantide » inconnue" in unknown.content.decode()
    assert unknown.context["offers"] == []
    ambiguous = client.get(URL, {"commune": "strasbourg"})
    assert "Plusieurs communes correspondent" in ambiguous.content.decode()
    assert "?commune=97302" in ambiguous.content.decode()


def test_the_confirmation_shows_only_visible_convocations(client_for, hearing, org, make_agent):
    client_for(hearing.bex).post(URL, new_person(**{field(hearing.sap): hearing.sap_slot.pk}))
    appointment = Appointment.objects.get()
    beta = make_agent("bex", service=ServiceFactory(kind=ServiceKind.BEX, jurisdiction=org.tj_beta))
    response = client_for(beta).get(reverse("hearing_done"), {"c": appointment.pk})
    assert response.status_code == 404


def test_the_search_and_slot_lists_use_a_fixed_number_of_queries(client_for, hearing, agendas, org):
    client = client_for(hearing.bex)

    def more_slots_and_persons() -> None:
        for hour in (10, 11, 15, 16):
            SlotFactory(
                agenda=agendas.sap_alpha, appointment_type=hearing.sap, starts_at=at(8, hour)
            )
            SlotFactory(
                agenda=AgendaFactory(place__service=org.spip_alpha),
                appointment_type=hearing.spip,
                starts_at=at(9, hour),
            )
            PersonFactory(last_name=f"MARTIN{hour}", followed_by=[org.sap_alpha, org.spip_alpha])

    PersonFactory(last_name="MARTIN", followed_by=[org.sap_alpha])
    response = assert_queries_do_not_grow(
        lambda: client.get(URL, {"q": "martin"}), more_slots_and_persons
    )
    assert response.status_code == 200 and "MARTIN16" in response.content.decode().upper()
