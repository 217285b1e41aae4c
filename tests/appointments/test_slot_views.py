"""Slot screens through real requests: an agenda's slots, recurring patterns, booking on a slot."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from jalon.appointments import actions
from jalon.appointments.actions import slots as slot_actions
from jalon.appointments.models import Appointment, Slot, SlotPattern
from tests.factories import PersonFactory, appointment_type
from tests.queries import assert_queries_do_not_grow


def single_slot(agent, agenda, hour=9, day=dt.date(2027, 7, 7), capacity=1, code=None):
    return slot_actions.create_slot(
        agent=agent,
        agenda=agenda,
        appointment_type=appointment_type(code or "sortie_audience_spip"),
        day=day,
        at=dt.time(hour),
        duration_minutes=30,
        capacity=capacity,
    )


PATTERN_DATA = {
    "appointment_type": "",
    "weekdays": ["0", "2"],
    "start_time": "9h",
    "end_time": "11h",
    "interval_minutes": "30",
    "duration_minutes": "30",
    "capacity": "2",
    "valid_from": "05/07/2027",
    "valid_until": "",
}


def pattern_data(**changes):
    data = PATTERN_DATA | {"appointment_type": appointment_type("sortie_audience_spip").pk}
    return data | changes


def test_the_agenda_list_links_to_the_slots_of_the_agents_service(
    client_for, admin_spip, agendas, frozen_now
):
    response = client_for(admin_spip).get(reverse("agenda_list"))
    page = response.content.decode()
    assert reverse("slot_list", args=[agendas.spip_alpha.pk]) in page
    assert reverse("pattern_list", args=[agendas.spip_alpha.pk]) in page
    assert reverse("slot_list", args=[agendas.sap_alpha.pk]) not in page


def test_the_slot_list_shows_slots_by_day_with_their_convocations(
    client_for, admin_spip, bex, org, agendas, frozen_now
):
    slot = single_slot(admin_spip, agendas.spip_alpha, capacity=2)
    person = PersonFactory(followed_by=[org.spip_alpha], last_name="Durand")
    actions.book_appointment(agent=bex, person=person, slot=slot)
    single_slot(admin_spip, agendas.spip_alpha, day=dt.date(2027, 7, 8))
    response = client_for(admin_spip).get(reverse("slot_list", args=[agendas.spip_alpha.pk]))
    assert [day for day, _ in response.context["days"]] == [
        dt.date(2027, 7, 7),
        dt.date(2027, 7, 8),
    ]
    page = response.content.decode()
    assert "1 / 2" in page and "DURAND" in page.upper()


def test_the_slot_list_query_count_does_not_grow(
    client_for, admin_spip, bex, org, agendas, frozen_now
):
    client = client_for(admin_spip)
    url = reverse("slot_list", args=[agendas.spip_alpha.pk])
    single_slot(admin_spip, agendas.spip_alpha)

    def booked_slots() -> None:
        for hour in range(10, 18):
            slot = single_slot(admin_spip, agendas.spip_alpha, hour=hour, capacity=2)
            actions.book_appointment(
                agent=bex, person=PersonFactory(followed_by=[org.spip_alpha]), slot=slot
            )

    response = assert_queries_do_not_grow(lambda: client.get(url), booked_slots)
    assert response.status_code == 200


def test_batch_closing_through_the_screen_warns_about_bookings(
    client_for, admin_spip, bex, org, agendas, frozen_now
):
    slot = single_slot(admin_spip, agendas.spip_alpha)
    actions.book_appointment(
        agent=bex, person=PersonFactory(followed_by=[org.spip_alpha]), slot=slot
    )
    single_slot(admin_spip, agendas.spip_alpha, hour=10)
    response = client_for(admin_spip).post(
        reverse("slot_list", args=[agendas.spip_alpha.pk]),
        {"date_from": "07/07/2027", "date_to": "07/07/2027", "reason": "Grève"},
        follow=True,
    )
    page = response.content.decode()
    assert "2 créneau(x) fermé(s)." in page
    assert "1 créneau(x) fermé(s) ont des convocations (1 personne(s))" in page
    assert Slot.objects.filter(is_open=False).count() == 2


def test_batch_closing_without_a_reason_keeps_the_dates(
    client_for, admin_spip, agendas, frozen_now
):
    response = client_for(admin_spip).post(
        reverse("slot_list", args=[agendas.spip_alpha.pk]),
        {"date_from": "07/07/2027", "date_to": "09/07/2027", "reason": ""},
    )
    form = response.context["close_form"]
    assert form.errors["reason"] and form["date_to"].value() == "09/07/2027"


def test_creating_a_slot_on_a_holiday_explains_next_to_the_date(
    client_for, admin_spip, agendas, frozen_now
):
    response = client_for(admin_spip).post(
        reverse("slot_create", args=[agendas.spip_alpha.pk]),
        {
            "appointment_type": appointment_type("sortie_audience_spip").pk,
            "day": "14/07/2027",
            "time": "9h",
            "duration_minutes": "30",
            "capacity": "2",
        },
    )
    assert "Fête nationale" in response.context["form"].errors["day"][0]
    assert not Slot.objects.exists()


def test_lowering_capacity_below_bookings_shows_the_error(
    client_for, admin_spip, bex, org, agendas, frozen_now
):
    slot = single_slot(admin_spip, agendas.spip_alpha, capacity=2)
    for _ in range(2):
        actions.book_appointment(
            agent=bex, person=PersonFactory(followed_by=[org.spip_alpha]), slot=slot
        )
    response = client_for(admin_spip).post(
        reverse("slot_edit", args=[agendas.spip_alpha.pk, slot.pk]),
        {"capacity": "1", "is_open": "on"},
    )
    assert "2 personne(s) déjà convoquée(s)" in response.context["form"].errors["capacity"][0]


def test_a_slot_of_another_agenda_is_not_found(client_for, admin_spip, agendas, frozen_now, org):
    other = single_slot(admin_spip, agendas.spip_alpha)
    response = client_for(admin_spip).get(
        reverse("slot_edit", args=[agendas.sap_alpha.pk, other.pk])
    )
    assert response.status_code == 404


def test_creating_a_pattern_generates_its_slots(client_for, admin_spip, agendas, frozen_now):
    response = client_for(admin_spip).post(
        reverse("pattern_create", args=[agendas.spip_alpha.pk]), pattern_data(), follow=True
    )
    pattern = SlotPattern.objects.get()
    assert pattern.weekdays == [0, 2] and pattern.start_time == dt.time(9)
    assert Slot.objects.filter(pattern=pattern).exists()
    assert "Modèle enregistré" in response.content.decode()


def test_an_overlapping_pattern_shows_the_error_next_to_the_fields_and_keeps_the_values(
    client_for, admin_spip, agendas, frozen_now
):
    client = client_for(admin_spip)
    client.post(reverse("pattern_create", args=[agendas.spip_alpha.pk]), pattern_data())
    response = client.post(
        reverse("pattern_create", args=[agendas.spip_alpha.pk]),
        pattern_data(weekdays=["2", "4"], start_time="10h30", end_time="12h"),
    )
    form = response.context["form"]
    assert "chevauchent" in form.errors["start_time"][0]
    assert form.errors["weekdays"] == ["Jour(s) en commun : mercredi."]
    assert form["start_time"].value() == "10h30" and form["weekdays"].value() == ["2", "4"]
    page = response.content.decode()
    assert "chevauchent" in page and 'value="10h30"' in page
    assert SlotPattern.objects.count() == 1


def test_editing_a_pattern_through_the_screen_keeps_booked_slots(
    client_for, admin_spip, bex, org, agendas, frozen_now
):
    client = client_for(admin_spip)
    client.post(reverse("pattern_create", args=[agendas.spip_alpha.pk]), pattern_data())
    pattern = SlotPattern.objects.get()
    booked = Slot.objects.filter(pattern=pattern).order_by("starts_at").first()
    actions.book_appointment(
        agent=bex, person=PersonFactory(followed_by=[org.spip_alpha]), slot=booked
    )
    response = client.post(
        reverse("pattern_edit", args=[agendas.spip_alpha.pk, pattern.pk]),
        pattern_data(start_time="14h", end_time="15h", is_active="on"),
        follow=True,
    )
    assert "1 créneau(x) avec convocation gardé(s)" in response.content.decode()
    assert Slot.objects.filter(pk=booked.pk, booked_count=1).exists()
    assert {
        slot.local_start.hour for slot in Slot.objects.filter(pattern=pattern).exclude(pk=booked.pk)
    } == {14}


def test_booking_on_a_slot_through_the_screens(
    client_for, bex, admin_spip, org, agendas, frozen_now
):
    slot = single_slot(admin_spip, agendas.spip_alpha, capacity=2)
    person = PersonFactory(followed_by=[org.spip_alpha])
    client = client_for(bex)
    detail = client.get(reverse("person_detail", args=[person.pk])).content.decode()
    assert "Convoquer sur un créneau" in detail
    url = reverse("person_slot_book", args=[person.pk])
    sortie = appointment_type("sortie_audience_spip")
    listing = client.get(url, {"type": sortie.pk})
    assert [list(slots) for _, slots in listing.context["days"]] == [[slot]]
    confirm = client.get(url, {"type": sortie.pk, "creneau": slot.pk})
    assert confirm.context["slot"] == slot
    assert "mercredi 7 juillet 2027 à 9 h 00" in confirm.content.decode()
    response = client.post(
        url,
        {"type": sortie.pk, "creneau": slot.pk, "prosecution_number": "27/188/1", "send_sms": "on"},
    )
    assert response.status_code == 302
    appointment = Appointment.objects.get()
    assert appointment.slot == slot and appointment.prosecution_number == "27188000001"
    assert appointment.messages.exists()  # the convocation SMS asked for


def test_booking_a_slot_that_filled_meanwhile_says_it_is_full(
    client_for, bex, admin_spip, org, agendas, frozen_now
):
    slot = single_slot(admin_spip, agendas.spip_alpha)
    actions.book_appointment(
        agent=bex, person=PersonFactory(followed_by=[org.spip_alpha]), slot=slot
    )
    person = PersonFactory(followed_by=[org.spip_alpha])
    response = client_for(bex).post(
        reverse("person_slot_book", args=[person.pk]),
        {"type": slot.appointment_type_id, "creneau": slot.pk},
    )
    assert response.status_code == 200
    assert "Ce créneau est complet" in response.content.decode()
    assert not Appointment.objects.filter(person=person).exists()


def test_an_archived_person_cannot_be_booked_on_a_slot(client_for, bex, org, frozen_now):
    from jalon.people.actions import archive_person

    person = PersonFactory(followed_by=[org.spip_alpha])
    archive_person(agent=bex, person=person)
    client = client_for(bex)
    detail = client.get(reverse("person_detail", args=[person.pk])).content.decode()
    assert "Convoquer sur un créneau" not in detail
    assert client.get(reverse("person_slot_book", args=[person.pk])).status_code == 403


def test_rescheduling_a_slot_convocation_offers_the_other_slots(
    client_for, bex, admin_spip, org, agendas, frozen_now
):
    first = single_slot(admin_spip, agendas.spip_alpha, hour=9)
    second = single_slot(admin_spip, agendas.spip_alpha, hour=10)
    old = actions.book_appointment(
        agent=bex, person=PersonFactory(followed_by=[org.spip_alpha]), slot=first
    )
    client = client_for(bex)
    url = reverse("appointment_reschedule", args=[old.pk])
    listing = client.get(url)
    assert [list(slots) for _, slots in listing.context["days"]] == [[second]]
    response = client.post(url, {"type": second.appointment_type_id, "creneau": second.pk})
    new = Appointment.objects.get(slot=second)
    assert response.status_code == 302 and response.url == reverse(
        "appointment_detail", args=[new.pk]
    )
    old.refresh_from_db()
    assert old.status == Appointment.Status.CANCELLED and old.rescheduled_to == new
    assert Slot.objects.get(pk=first.pk).booked_count == 0
