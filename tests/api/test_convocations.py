"""Convocations and free slots through the API: the screens' actions, rules and history."""

from __future__ import annotations

import datetime

import pytest

from jalon.appointments.models import Appointment, Slot
from jalon.history.models import Event
from tests.api.conftest import assert_problem
from tests.dates import days_ago, next_weekday_holiday, working_day_at
from tests.factories import AppointmentFactory, PersonFactory, SlotFactory, appointment_type
from tests.queries import assert_queries_do_not_grow

Status = Appointment.Status


@pytest.fixture
def person(org):
    return PersonFactory(last_name="Martin", followed_by=[org.spip_alpha])


@pytest.fixture
def stranger(org):
    return PersonFactory(last_name="Ailleurs", followed_by=[org.sap_beta])


def _booking(person, agendas, org, **extra):
    return {
        "person_id": person.pk,
        "appointment_type_id": appointment_type("spip_follow_up").pk,
        "agenda_id": agendas.spip_alpha.pk,
        "starts_at": working_day_at(3, 10, service=org.spip_alpha).isoformat(),
        **extra,
    }


def _slot(agendas, **fields):
    return SlotFactory(
        agenda=agendas.spip_alpha,
        appointment_type=appointment_type("sortie_audience_spip"),
        **fields,
    )


# --- Booking ------------------------------------------------------------------------------


def test_book_on_a_date_through_the_action_with_the_client_as_actor(
    api, partner, person, agendas, org
):
    response = api.post("/convocations", partner.key, _booking(person, agendas, org))
    assert response.status_code == 201, response.content
    body = response.json()
    appointment = Appointment.objects.get(pk=body["id"])
    assert appointment.person == person
    assert appointment.status == Status.BOOKED
    assert body["status"] == "booked"
    assert body["appointment_type"]["code"] == "spip_follow_up"
    assert body["service_name"] == "SPIP Alpha"
    event = Event.objects.for_object(appointment).get(action="appointment.booked")
    assert event.actor == partner.agent_for(org.spip_alpha)
    assert Event.objects.for_object(person).filter(action="appointment.booked").exists()


def test_a_holiday_is_refused_with_the_actions_message(api, partner, person, agendas, org):
    holiday = next_weekday_holiday(org.spip_alpha.holiday_subdivision)
    starts_at = datetime.datetime.combine(
        holiday, datetime.time(10), tzinfo=datetime.UTC
    ).isoformat()
    response = api.post(
        "/convocations", partner.key, _booking(person, agendas, org, starts_at=starts_at)
    )
    body = assert_problem(response, 422, "refused")
    assert body["errors"][0]["field"] == "starts_at"
    assert "férié" in body["detail"]
    assert not Appointment.objects.exists()


def test_an_overlap_is_refused(api, partner, person, agendas, org):
    first = api.post("/convocations", partner.key, _booking(person, agendas, org))
    assert first.status_code == 201
    second = api.post("/convocations", partner.key, _booking(person, agendas, org))
    body = assert_problem(second, 422, "refused")
    assert "déjà une convocation" in body["detail"]
    assert Appointment.objects.count() == 1


def test_a_naive_date_time_is_a_422_naming_the_field(api, partner, person, agendas, org):
    response = api.post(
        "/convocations",
        partner.key,
        _booking(person, agendas, org, starts_at="2030-01-07T10:00:00"),
    )
    body = assert_problem(response, 422, "invalid_request")
    assert body["errors"][0]["field"] == "starts_at"
    assert "fuseau" in body["errors"][0]["message"]


def test_a_booking_without_slot_nor_date_names_the_missing_fields(api, partner, person):
    response = api.post("/convocations", partner.key, {"person_id": person.pk})
    body = assert_problem(response, 422, "invalid_request")
    assert {error["field"] for error in body["errors"]} == {
        "appointment_type_id",
        "agenda_id",
        "starts_at",
    }


def test_a_bad_parquet_number_is_refused_before_anything(api, partner, person, agendas, org):
    response = api.post(
        "/convocations",
        partner.key,
        _booking(person, agendas, org, prosecution_number="pas un numéro"),
    )
    body = assert_problem(response, 422, "invalid_request")
    assert body["errors"][0]["field"] == "prosecution_number"
    assert not Appointment.objects.exists()


def test_an_agenda_of_another_ressort_is_refused(api, partner, person, agendas, org):
    response = api.post(
        "/convocations", partner.key, _booking(person, agendas, org, agenda_id=agendas.sap_beta.pk)
    )
    body = assert_problem(response, 422, "invalid_request")
    assert body["errors"][0]["field"] == "agenda_id"


def test_a_type_booked_on_slots_is_refused_on_a_date(api, partner, person, agendas, org):
    kind = appointment_type("sortie_audience_spip").pk
    response = api.post(
        "/convocations", partner.key, _booking(person, agendas, org, appointment_type_id=kind)
    )
    body = assert_problem(response, 422, "refused")
    assert body["errors"][0]["field"] == "appointment_type_id"


def test_a_person_outside_the_ressort_is_404(api, partner, stranger, agendas, org):
    response = api.post("/convocations", partner.key, _booking(stranger, agendas, org))
    assert_problem(response, 404, "not_found")
    assert not Appointment.objects.exists()


def test_book_on_a_slot_takes_its_place(api, partner, person, agendas):
    slot = _slot(agendas)
    response = api.post("/convocations", partner.key, {"person_id": person.pk, "slot_id": slot.pk})
    assert response.status_code == 201, response.content
    assert response.json()["slot_id"] == slot.pk
    slot.refresh_from_db()
    assert slot.booked_count == 1


def test_a_full_slot_is_a_409_with_the_actions_message(api, partner, person, agendas, org):
    slot = _slot(agendas, booked_count=1)
    response = api.post("/convocations", partner.key, {"person_id": person.pk, "slot_id": slot.pk})
    body = assert_problem(response, 409, "slot_unavailable")
    assert body["detail"] == "Ce créneau est complet : choisissez-en un autre."
    assert body["errors"][0]["field"] == "slot_id"


def test_a_closed_slot_is_a_409(api, partner, person, agendas):
    slot = _slot(agendas, is_open=False)
    response = api.post("/convocations", partner.key, {"person_id": person.pk, "slot_id": slot.pk})
    body = assert_problem(response, 409, "slot_unavailable")
    assert "fermé" in body["detail"]


def test_a_slot_of_another_ressort_is_an_unknown_slot(api, partner, person, agendas):
    slot = SlotFactory(agenda=agendas.sap_beta)
    response = api.post("/convocations", partner.key, {"person_id": person.pk, "slot_id": slot.pk})
    body = assert_problem(response, 422, "invalid_request")
    assert body["errors"][0]["field"] == "slot_id"
    slot.refresh_from_db()
    assert slot.booked_count == 0


def test_the_same_booking_twice_with_one_key_books_once(api, partner, person, agendas, org):
    body = _booking(person, agendas, org)
    first = api.post("/convocations", partner.key, body, idempotency_key="resa-1")
    again = api.post("/convocations", partner.key, body, idempotency_key="resa-1")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert first.json() == again.json()
    assert Appointment.objects.count() == 1


# --- Reading ------------------------------------------------------------------------------


def test_list_a_persons_convocations_in_order_with_filters(api, partner, person, agendas, org):
    later = AppointmentFactory(
        person=person,
        agenda=agendas.spip_alpha,
        starts_at=working_day_at(5, service=org.spip_alpha),
    )
    sooner = AppointmentFactory(
        person=person,
        agenda=agendas.spip_alpha,
        starts_at=working_day_at(2, service=org.spip_alpha),
    )
    cancelled = AppointmentFactory(
        person=person, agenda=agendas.spip_alpha, status=Status.CANCELLED
    )
    response = api.get(f"/persons/{person.pk}/convocations", partner.key)
    assert response.status_code == 200
    ids = [item["id"] for item in response.json()["items"]]
    assert ids.index(sooner.pk) < ids.index(later.pk)
    assert set(ids) == {sooner.pk, later.pk, cancelled.pk}
    booked = api.get(f"/persons/{person.pk}/convocations", partner.key, status="booked")
    assert {item["id"] for item in booked.json()["items"]} == {sooner.pk, later.pk}
    until = sooner.starts_at.date().isoformat()
    early = api.get(f"/persons/{person.pk}/convocations", partner.key, starts_until=until)
    assert sooner.pk in [item["id"] for item in early.json()["items"]]
    assert later.pk not in [item["id"] for item in early.json()["items"]]
    event = Event.objects.for_object(person).filter(action="person.viewed").last()
    assert event.details == {"read": "api"}


def test_the_list_walks_with_the_cursor(api, partner, person, agendas, org):
    made = [
        AppointmentFactory(
            person=person,
            agenda=agendas.spip_alpha,
            starts_at=working_day_at(3, 9, service=org.spip_alpha) + datetime.timedelta(hours=i),
        )
        for i in range(5)
    ]
    seen, cursor = [], None
    while True:
        page = api.get(
            f"/persons/{person.pk}/convocations",
            partner.key,
            limit=2,
            **({"cursor": cursor} if cursor else {}),
        ).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [appointment.pk for appointment in made]


def test_the_list_costs_the_same_queries_with_more_convocations(api, partner, person, agendas):
    def grow():
        for _ in range(5):
            AppointmentFactory(person=person, agenda=agendas.spip_alpha, starts_at=days_ago(3))

    grow()
    assert_queries_do_not_grow(
        lambda: api.get(f"/persons/{person.pk}/convocations", partner.key, limit=100),
        grow,
        at_most=5,
    )


def test_read_one_convocation_is_recorded(api, partner, person, agendas, org):
    appointment = AppointmentFactory(person=person, agenda=agendas.spip_alpha)
    response = api.get(f"/convocations/{appointment.pk}", partner.key)
    assert response.status_code == 200
    assert response.json()["person_id"] == person.pk
    event = Event.objects.for_object(person).get(action="person.viewed")
    assert event.actor == partner.agent_for(org.spip_alpha)


def test_a_convocation_of_another_ressort_is_404_and_not_recorded(api, partner, stranger, agendas):
    appointment = AppointmentFactory(person=stranger, agenda=agendas.sap_beta)
    assert_problem(api.get(f"/convocations/{appointment.pk}", partner.key), 404, "not_found")
    assert_problem(api.get(f"/persons/{stranger.pk}/convocations", partner.key), 404, "not_found")
    assert not Event.objects.for_object(stranger).exists()


# --- Cancel, reschedule, outcome ----------------------------------------------------------


def _booked(api, partner, person, agendas, org):
    response = api.post("/convocations", partner.key, _booking(person, agendas, org))
    assert response.status_code == 201, response.content
    return Appointment.objects.get(pk=response.json()["id"])


def test_cancel_through_the_action(api, partner, person, agendas, org):
    appointment = _booked(api, partner, person, agendas, org)
    response = api.post(
        f"/convocations/{appointment.pk}/cancel", partner.key, {"reason": "Demande du SPIP"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "cancelled"
    event = Event.objects.for_object(appointment).get(action="appointment.cancelled")
    assert event.details == {"reason": "Demande du SPIP"}
    assert event.actor == partner.agent_for(org.spip_alpha)


def test_cancelling_twice_is_a_409_with_the_actions_message(api, partner, person, agendas, org):
    appointment = _booked(api, partner, person, agendas, org)
    assert api.post(f"/convocations/{appointment.pk}/cancel", partner.key, {}).status_code == 200
    response = api.post(f"/convocations/{appointment.pk}/cancel", partner.key, {})
    body = assert_problem(response, 409, "invalid_state")
    assert body["detail"] == "Seule une convocation planifiée à venir peut être annulée."


def test_cancelling_a_slot_booking_gives_the_place_back(api, partner, person, agendas):
    slot = _slot(agendas)
    booked = api.post("/convocations", partner.key, {"person_id": person.pk, "slot_id": slot.pk})
    response = api.post(f"/convocations/{booked.json()['id']}/cancel", partner.key, {})
    assert response.status_code == 200
    assert Slot.objects.get(pk=slot.pk).booked_count == 0


def test_reschedule_keeps_the_agenda_and_links_both(api, partner, person, agendas, org):
    old = _booked(api, partner, person, agendas, org)
    starts_at = working_day_at(6, 14, service=org.spip_alpha)
    response = api.post(
        f"/convocations/{old.pk}/reschedule", partner.key, {"starts_at": starts_at.isoformat()}
    )
    assert response.status_code == 201, response.content
    new = Appointment.objects.get(pk=response.json()["id"])
    old.refresh_from_db()
    assert old.status == Status.CANCELLED
    assert old.rescheduled_to == new
    assert new.agenda == old.agenda
    assert new.starts_at == starts_at
    assert Event.objects.for_object(old).filter(action="appointment.rescheduled").exists()


def test_reschedule_a_slot_type_needs_a_slot(api, partner, person, agendas):
    first, second = _slot(agendas), _slot(agendas)
    booked = api.post("/convocations", partner.key, {"person_id": person.pk, "slot_id": first.pk})
    old_id = booked.json()["id"]
    refused = api.post(f"/convocations/{old_id}/reschedule", partner.key, {})
    assert assert_problem(refused, 422, "invalid_request")["errors"][0]["field"] == "slot_id"
    moved = api.post(f"/convocations/{old_id}/reschedule", partner.key, {"slot_id": second.pk})
    assert moved.status_code == 201, moved.content
    assert Slot.objects.get(pk=first.pk).booked_count == 0
    assert Slot.objects.get(pk=second.pk).booked_count == 1


def test_record_the_outcome_of_a_past_convocation(api, partner, person, agendas, org):
    appointment = AppointmentFactory(
        person=person, agenda=agendas.spip_alpha, starts_at=days_ago(1)
    )
    response = api.post(
        f"/convocations/{appointment.pk}/outcome", partner.key, {"status": "honoured"}
    )
    assert response.status_code == 200, response.content
    appointment.refresh_from_db()
    assert appointment.status == Status.HONOURED
    assert appointment.outcome_by == partner.agent_for(org.spip_alpha)
    assert Event.objects.for_object(appointment).filter(action="appointment.honoured").exists()


def test_a_future_convocation_cannot_be_honoured(api, partner, person, agendas, org):
    appointment = _booked(api, partner, person, agendas, org)
    response = api.post(
        f"/convocations/{appointment.pk}/outcome", partner.key, {"status": "honoured"}
    )
    body = assert_problem(response, 409, "invalid_state")
    assert body["detail"].startswith("Seule une convocation planifiée et déjà commencée")


def test_an_unknown_outcome_is_a_422(api, partner, person, agendas):
    appointment = AppointmentFactory(
        person=person, agenda=agendas.spip_alpha, starts_at=days_ago(1)
    )
    response = api.post(
        f"/convocations/{appointment.pk}/outcome", partner.key, {"status": "cancelled"}
    )
    body = assert_problem(response, 422, "invalid_request")
    assert body["errors"][0]["field"] == "status"


def test_another_service_cannot_record_the_outcome(api, make_partner, org, agendas):
    person = PersonFactory(followed_by=[org.spip_alpha, org.sap_alpha])
    appointment = AppointmentFactory(
        person=person, agenda=agendas.spip_alpha, starts_at=days_ago(1)
    )
    sap = make_partner(services=[org.sap_alpha])
    response = api.post(f"/convocations/{appointment.pk}/outcome", sap.key, {"status": "missed"})
    assert_problem(response, 403, "forbidden")
    appointment.refresh_from_db()
    assert appointment.status == Status.BOOKED


# --- Agendas and free slots ---------------------------------------------------------------


def test_agendas_of_the_ressort(api, partner, agendas):
    response = api.get("/agendas", partner.key)
    ids = {item["id"] for item in response.json()["items"]}
    assert agendas.spip_alpha.pk in ids and agendas.sap_alpha.pk in ids
    assert agendas.sap_beta.pk not in ids


def test_free_slots_only_open_future_and_not_full(api, partner, agendas):
    free = _slot(agendas)
    _slot(agendas, booked_count=1)
    _slot(agendas, is_open=False)
    _slot(agendas, starts_at=days_ago(1))
    response = api.get(f"/agendas/{agendas.spip_alpha.pk}/free-slots", partner.key)
    assert response.status_code == 200
    items = response.json()["items"]
    assert [item["id"] for item in items] == [free.pk]
    assert items[0]["places_left"] == 1


def test_free_slots_filters_and_cursor(api, partner, agendas, org):
    slots = [_slot(agendas) for _ in range(5)]
    other_type = SlotFactory(
        agenda=agendas.spip_alpha, appointment_type=appointment_type("sap_ddse")
    )
    kind = appointment_type("sortie_audience_spip").pk
    seen, cursor = [], None
    while True:
        query = {"limit": 2, "appointment_type": kind, **({"cursor": cursor} if cursor else {})}
        page = api.get(f"/agendas/{agendas.spip_alpha.pk}/free-slots", partner.key, **query).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [slot.pk for slot in sorted(slots, key=lambda s: (s.starts_at, s.pk))]
    day = slots[0].starts_at.astimezone(datetime.UTC).date()
    later = day + datetime.timedelta(days=1)
    response = api.get(
        f"/agendas/{agendas.spip_alpha.pk}/free-slots", partner.key, starts_from=later.isoformat()
    )
    assert other_type.pk not in [item["id"] for item in response.json()["items"]]


def test_free_slots_cost_the_same_queries_with_more_slots(api, partner, agendas):
    def grow():
        for _ in range(5):
            _slot(agendas)

    grow()
    assert_queries_do_not_grow(
        lambda: api.get(f"/agendas/{agendas.spip_alpha.pk}/free-slots", partner.key, limit=100),
        grow,
        at_most=4,
    )


def test_free_slots_of_an_agenda_of_another_ressort_is_404(api, partner, agendas):
    response = api.get(f"/agendas/{agendas.sap_beta.pk}/free-slots", partner.key)
    assert_problem(response, 404, "not_found")


def test_extreme_values_are_answered_without_a_server_error(api, partner, person, agendas):
    huge = 2**70
    response = api.post("/convocations", partner.key, {"person_id": huge, "slot_id": huge})
    assert_problem(response, 404, "not_found")
    assert_problem(api.get(f"/convocations/{huge}", partner.key), 404, "not_found")
    for first, last in (("0001-01-01", "9999-12-31"), ("9999-12-31", "0001-01-01")):
        slots = api.get(
            f"/agendas/{agendas.spip_alpha.pk}/free-slots",
            partner.key,
            starts_from=first,
            starts_until=last,
        )
        assert slots.status_code == 200, slots.content
        listed = api.get(
            f"/persons/{person.pk}/convocations",
            partner.key,
            starts_from=first,
            starts_until=last,
        )
        assert listed.status_code == 200, listed.content


@pytest.mark.parametrize("moment", ["9999-12-31T23:59:00-14:00", "0001-01-01T00:00:00+14:00"])
def test_a_moment_out_of_any_calendar_is_a_422(api, partner, person, agendas, org, moment):
    response = api.post(
        "/convocations", partner.key, _booking(person, agendas, org, starts_at=moment)
    )
    body = assert_problem(response, 422, "invalid_request")
    assert body["errors"][0]["field"] == "starts_at"
    assert body["errors"][0]["message"] == "Une date entre les années 1900 et 2999 est attendue."
    old = _booked(api, partner, person, agendas, org)
    response = api.post(f"/convocations/{old.pk}/reschedule", partner.key, {"starts_at": moment})
    assert_problem(response, 422, "invalid_request")
