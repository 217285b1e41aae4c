"""Tag fitting (SAP DDSE) end to end (MSJ-63, EGJ-124): the SPIP's agent de pose publishes
slots, weekends and holidays included; the SAP greffier or the JAP books them from the
person's page "like a medical appointment"; others cannot.

Time is frozen on Monday 5 July 2027, 10:00 in Paris (``frozen_now``).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from jalon.access.roles import ServiceKind
from jalon.appointments import actions
from jalon.appointments.actions import slots as slot_actions
from jalon.appointments.models import Appointment, Slot
from jalon.history.models import Event
from jalon.sms.models import Message
from tests.factories import AgendaFactory, PersonFactory, ServiceFactory, appointment_type
from tests.queries import assert_queries_do_not_grow

SATURDAY = dt.date(2027, 7, 10)
SUNDAY = dt.date(2027, 7, 11)
BASTILLE_DAY = dt.date(2027, 7, 14)  # a Wednesday, public holiday


@pytest.fixture
def overseer(make_agent, org):
    return make_agent("overseer", service=org.spip_alpha)


@pytest.fixture
def greffier(make_agent, org):
    return make_agent("greff_sap", service=org.sap_alpha)


@pytest.fixture
def person(org):
    return PersonFactory(followed_by=[org.sap_alpha], last_name="Lambert")


def ddse_slot(agent, agenda, day=SATURDAY, hour=9, capacity=1):
    return slot_actions.create_slot(
        agent=agent,
        agenda=agenda,
        appointment_type=appointment_type("sap_ddse"),
        day=day,
        at=dt.time(hour),
        duration_minutes=60,
        capacity=capacity,
    )


def slot_form(code, day, hour="9h"):
    return {
        "appointment_type": appointment_type(code).pk,
        "day": day.strftime("%d/%m/%Y"),
        "time": hour,
        "duration_minutes": "60",
        "capacity": "2",
    }


def ddse_url(person, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return reverse("person_ddse_book", args=[person.pk]) + (f"?{query}" if query else "")


# --- Publishing -----------------------------------------------------------------------------


@pytest.mark.parametrize("day", [SATURDAY, SUNDAY, BASTILLE_DAY])
def test_the_overseer_publishes_tag_fitting_slots_on_weekends_and_holidays(
    client_for, overseer, agendas, frozen_now, day
):
    url = reverse("slot_create", args=[agendas.spip_alpha.pk])
    response = client_for(overseer).post(url, slot_form("sap_ddse", day))
    assert response.status_code == 302
    slot = Slot.objects.get()
    assert slot.local_start.date() == day and slot.appointment_type.code == "sap_ddse"
    assert Event.objects.get(action="slot.created").actor == overseer


def test_the_overseer_cannot_publish_other_types(client_for, overseer, agendas, frozen_now):
    url = reverse("slot_create", args=[agendas.spip_alpha.pk])
    response = client_for(overseer).post(
        url, slot_form("sortie_audience_spip", dt.date(2027, 7, 7))
    )
    assert response.status_code == 200
    assert "appointment_type" in response.context["form"].errors
    assert not Slot.objects.exists()


def test_a_weekday_type_on_a_saturday_is_refused_in_french(
    client_for, make_agent, org, agendas, frozen_now
):
    admin = make_agent("local_admin", service=org.spip_alpha)
    url = reverse("slot_create", args=[agendas.spip_alpha.pk])
    response = client_for(admin).post(url, slot_form("sortie_audience_spip", SATURDAY))
    assert response.context["form"].errors["day"] == [
        "Le 10/07/2027 est un samedi : ce type de convocation se tient un jour ouvré."
    ]
    assert 'value="10/07/2027"' in response.content.decode()
    assert not Slot.objects.exists()


def test_a_tag_fitting_slot_outside_opening_hours_is_refused(
    client_for, overseer, agendas, frozen_now
):
    url = reverse("slot_create", args=[agendas.spip_alpha.pk])
    response = client_for(overseer).post(url, slot_form("sap_ddse", SATURDAY, hour="21h"))
    assert response.status_code == 200
    assert response.context["form"].errors["time"]
    assert not Slot.objects.exists()


# --- Booking from the person's page ---------------------------------------------------------

OK, DENIED, HIDDEN = 200, 403, 404
BOOKERS = {
    # key: (profile, service attribute on ``org``, expected status of the screen)
    "greff_sap": ("greff_sap", "sap_alpha", OK),
    "jap": ("jap", "sap_alpha", OK),
    "secretary_court": ("secretary_court", "sap_alpha", OK),
    "dir_greff_sap": ("dir_greff_sap", "sap_alpha", OK),
    "local_admin_sap": ("local_admin", "sap_alpha", OK),
    "national_admin": ("national_admin", "national", OK),
    # At their own SPIP, as in MSJ (dpip and overseer book "used at SPIP" types).
    "overseer": ("overseer", "spip_alpha", OK),
    "dpip": ("dpip", "spip_alpha", OK),
    "cpip": ("cpip", "spip_alpha", DENIED),
    "secretary_spip": ("secretary_spip", "spip_alpha", DENIED),
    "bex": ("bex", "bex_alpha", DENIED),
    "greff_sap_beta": ("greff_sap", "sap_beta", HIDDEN),
}


@pytest.mark.parametrize(("key", "profile_code", "where", "expected"), [
    (key, *values) for key, values in BOOKERS.items()
])  # fmt: skip
def test_who_opens_the_tag_fitting_screen_and_books(
    client_for, make_agent, org, agendas, overseer, person, frozen_now,
    key, profile_code, where, expected,
):  # fmt: skip
    slot = ddse_slot(overseer, agendas.spip_alpha)
    client = client_for(make_agent(profile_code, service=getattr(org, where)))
    assert client.get(ddse_url(person)).status_code == expected
    response = client.post(ddse_url(person), {"creneau": slot.pk, "send_sms": "on"})
    assert response.status_code == (302 if expected == OK else expected)
    assert Appointment.objects.filter(slot=slot).exists() is (expected == OK)
    detail = client.get(reverse("person_detail", args=[person.pk]))
    if expected != HIDDEN:
        has_button = reverse("person_ddse_book", args=[person.pk]) in detail.content.decode()
        assert has_button is (expected == OK)


def test_the_greffier_books_a_saturday_tag_fitting_with_the_sms_choice(
    client_for, greffier, overseer, agendas, person, frozen_now
):
    slot = ddse_slot(overseer, agendas.spip_alpha, capacity=2)
    client = client_for(greffier)
    page = client.get(ddse_url(person))
    assert [day for day, _ in page.context["days"]] == [SATURDAY]
    assert (
        ddse_url(person) in client.get(reverse("person_detail", args=[person.pk])).content.decode()
    )
    confirm = client.get(ddse_url(person, creneau=slot.pk))
    assert confirm.context["slot"] == slot
    text = confirm.content.decode()
    assert "Samedi 10 juillet 2027 à 9 h 00" in text
    assert "Envoyer aussi un SMS de convocation maintenant" in text
    response = client.post(ddse_url(person), {"creneau": slot.pk, "send_sms": "on"})
    assert response.status_code == 302
    assert response.url == reverse("person_detail", args=[person.pk])
    appointment = Appointment.objects.get()
    assert appointment.slot == slot and appointment.service == agendas.spip_alpha.place.service
    assert appointment.created_by == greffier
    assert appointment.assigned_agent is None  # held by the SPIP, not by the greffier
    slot.refresh_from_db()
    assert slot.booked_count == 1
    assert Message.objects.filter(appointment=appointment, kind="convocation").exists()
    assert Event.objects.filter(action="appointment.booked", actor=greffier).count() == 2
    # The SPIP now follows the person too.
    assert person.follows.filter(service=agendas.spip_alpha.place.service).exists()


def test_without_the_sms_box_only_the_reminder_is_planned(
    client_for, greffier, overseer, agendas, person, frozen_now
):
    slot = ddse_slot(overseer, agendas.spip_alpha)
    client_for(greffier).post(ddse_url(person), {"creneau": slot.pk})
    appointment = Appointment.objects.get()
    assert not Message.objects.filter(appointment=appointment, kind="convocation").exists()


def test_a_full_slot_is_refused_with_a_clear_message_and_nothing_is_saved(
    client_for, greffier, overseer, agendas, person, org, frozen_now
):
    slot = ddse_slot(overseer, agendas.spip_alpha, capacity=1)
    other = PersonFactory(followed_by=[org.sap_alpha])
    actions.book_appointment(agent=greffier, person=other, slot=slot)
    messages_before = Message.objects.count()
    response = client_for(greffier).post(ddse_url(person), {"creneau": slot.pk, "send_sms": "on"})
    assert response.status_code == 200
    assert "Ce créneau est complet : choisissez-en un autre." in response.content.decode()
    assert response.context["slot"] is None  # back to the list
    assert not Appointment.objects.filter(person=person).exists()
    assert Message.objects.count() == messages_before
    slot.refresh_from_db()
    assert slot.booked_count == 1


def test_a_closed_slot_is_refused_with_a_clear_message(
    client_for, greffier, overseer, agendas, person, frozen_now
):
    slot = ddse_slot(overseer, agendas.spip_alpha)
    slot_actions.update_slot(agent=overseer, slot=slot, capacity=1, is_open=False)
    response = client_for(greffier).post(ddse_url(person), {"creneau": slot.pk})
    assert "Ce créneau est fermé : choisissez-en un autre." in response.content.decode()
    assert not Appointment.objects.exists()


def test_a_full_slot_chosen_from_an_old_page_is_reported_on_get(
    client_for, greffier, overseer, agendas, person, org, frozen_now
):
    slot = ddse_slot(overseer, agendas.spip_alpha, capacity=1)
    actions.book_appointment(
        agent=greffier, person=PersonFactory(followed_by=[org.sap_alpha]), slot=slot
    )
    response = client_for(greffier).get(ddse_url(person, creneau=slot.pk), follow=True)
    assert "Ce créneau n’est plus disponible : choisissez-en un autre." in (
        response.content.decode()
    )


def test_an_archived_person_cannot_be_booked(
    client_for, greffier, overseer, agendas, person, frozen_now
):
    from django.utils import timezone

    person.archived_at = timezone.now()
    person.save(update_fields=["archived_at"])
    assert client_for(greffier).get(ddse_url(person)).status_code == 403


# --- The "medical appointment" list -------------------------------------------------------


def test_slots_are_grouped_by_day_then_place_and_only_from_the_ressort(
    client_for, greffier, overseer, agendas, person, org, frozen_now, make_agent
):
    second = AgendaFactory(place__service=org.spip_alpha, place__name="SPIP Alpha — Colmar")
    ddse_slot(overseer, agendas.spip_alpha, day=SATURDAY, hour=9)
    ddse_slot(overseer, agendas.spip_alpha, day=SATURDAY, hour=10)
    ddse_slot(overseer, second, day=SATURDAY, hour=9)
    ddse_slot(overseer, second, day=BASTILLE_DAY, hour=14)
    # A SPIP of another ressort publishes too: not offered to the SAP of TJ Alpha.
    spip_beta = ServiceFactory(
        name="SPIP Beta", kind=ServiceKind.SPIP, jurisdiction=org.tj_beta, served=[org.tj_beta]
    )
    ddse_slot(make_agent("overseer", service=spip_beta), AgendaFactory(place__service=spip_beta))
    response = client_for(greffier).get(ddse_url(person, depuis="2027-07-08"))
    days = response.context["days"]
    assert [day for day, _ in days] == [SATURDAY, BASTILLE_DAY]
    saturday = days[0][1]
    assert [agenda.place.name for agenda, _ in saturday] == [
        "SPIP Alpha — Colmar",
        "SPIP Alpha — siège",
    ]
    assert [len(slots) for _, slots in saturday] == [1, 2]
    assert "SPIP Beta" not in response.content.decode()
    # Filtering on one place.
    response = client_for(greffier).get(ddse_url(person, lieu=second.place.pk, depuis="2027-07-08"))
    assert sum(len(slots) for _, groups in response.context["days"] for _, slots in groups) == 2


def test_next_available_jumps_to_the_first_free_day(
    client_for, greffier, overseer, agendas, person, frozen_now
):
    slot = ddse_slot(overseer, agendas.spip_alpha, day=dt.date(2027, 7, 24), hour=9)
    client = client_for(greffier)
    response = client.get(ddse_url(person))
    assert response.context["days"] == []
    assert response.context["later"] == slot
    page = response.content.decode()
    assert "Prochaine disponibilité : Samedi 24 juillet 2027" in page
    assert "depuis=2027-07-24" in response.context["later_url"]
    assert response.context["next_free"] == slot
    jumped = client.get(ddse_url(person, depuis="24/07/2027"))
    assert [day for day, _ in jumped.context["days"]] == [dt.date(2027, 7, 24)]


def test_a_wrong_date_to_jump_to_is_explained_and_kept(
    client_for, greffier, overseer, agendas, person, frozen_now
):
    ddse_slot(overseer, agendas.spip_alpha)
    response = client_for(greffier).get(ddse_url(person, depuis="32/13/2027"))
    assert response.status_code == 200
    assert response.context["jump"].errors["depuis"] == [
        "Le mois 13 n’existe pas : saisissez une date au format JJ/MM/AAAA."
    ]
    assert 'value="32/13/2027"' in response.content.decode()
    assert response.context["first"] == dt.date(2027, 7, 5)


def test_a_past_date_to_jump_to_starts_today(
    client_for, greffier, overseer, agendas, person, frozen_now
):
    response = client_for(greffier).get(ddse_url(person, depuis="2027-06-01"))
    assert response.context["first"] == dt.date(2027, 7, 5)
    assert response.context["previous_url"] is None


def test_the_tag_fitting_list_query_count_does_not_grow_with_slots(
    client_for, greffier, overseer, agendas, person, org, frozen_now
):
    client = client_for(greffier)
    ddse_slot(overseer, agendas.spip_alpha, day=SATURDAY, hour=9)

    def more_slots() -> None:
        second = AgendaFactory(place__service=org.spip_alpha)
        for hour in range(10, 17):
            ddse_slot(overseer, agendas.spip_alpha, day=SATURDAY, hour=hour, capacity=2)
            ddse_slot(overseer, second, day=SUNDAY, hour=hour)

    response = assert_queries_do_not_grow(lambda: client.get(ddse_url(person)), more_slots)
    assert sum(len(slots) for _, groups in response.context["days"] for _, slots in groups) == 15
