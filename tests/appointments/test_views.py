"""Convocation screens through real requests: booking, outcomes, queue, prints."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from jalon.appointments.models import Appointment
from jalon.history.models import Event
from tests.dates import days_ago
from tests.factories import AppointmentFactory, PersonFactory, appointment_type
from tests.queries import assert_queries_do_not_grow

Status = Appointment.Status


def test_booking_a_known_person(client_for, cpip, person, agendas, frozen_now):
    response = client_for(cpip).post(
        reverse("person_book", args=[person.pk]),
        {
            "appointment_type": appointment_type("spip_follow_up").pk,
            "agenda": agendas.spip_alpha.pk,
            "day": "2027-07-07",
            "time": "14:30",
        },
    )
    assert response.status_code == 302
    appointment = Appointment.objects.get()
    assert appointment.local_start.strftime("%d/%m/%Y %H:%M") == "07/07/2027 14:30"


def test_booking_on_a_holiday_keeps_the_form_and_explains(
    client_for, cpip, person, agendas, frozen_now
):
    data = {
        "appointment_type": appointment_type("spip_follow_up").pk,
        "agenda": agendas.spip_alpha.pk,
        "day": "2027-07-14",
        "time": "14:30",
        "prosecution_number": "27/195/999",
    }
    response = client_for(cpip).post(reverse("person_book", args=[person.pk]), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert "Fête nationale" in form.errors["day"][0]
    assert form["prosecution_number"].value() == "27/195/999"
    assert not Appointment.objects.exists()


def test_the_unknown_status_queue_lists_the_services_past_convocations_without_outcome(
    awkward_day, client_for, cpip, make_agent, org, person, agendas
):
    mine = AppointmentFactory(
        person=person, agenda=agendas.spip_alpha, starts_at=days_ago(3), assigned_agent=cpip
    )
    colleague = make_agent("cpip", service=org.spip_alpha)
    theirs = AppointmentFactory(
        person=person, agenda=agendas.spip_alpha, starts_at=days_ago(4), assigned_agent=colleague
    )
    AppointmentFactory(
        person=person, agenda=agendas.spip_alpha, starts_at=days_ago(5), status=Status.HONOURED
    )
    AppointmentFactory(person=person, agenda=agendas.sap_alpha, starts_at=days_ago(6))  # SAP's
    AppointmentFactory(person=person, agenda=agendas.spip_alpha, starts_at=days_ago(-2))  # future
    client = client_for(cpip)
    listed = [row[0] for row in client.get(reverse("unknown_status_queue")).context["rows"]]
    assert listed == [theirs, mine]
    listed = [
        row[0] for row in client.get(reverse("unknown_status_queue"), {"moi": "1"}).context["rows"]
    ]
    assert listed == [mine]


def test_quick_outcome_buttons_return_to_the_queue(awkward_day, client_for, cpip, person, agendas):
    appointment = AppointmentFactory(
        person=person, agenda=agendas.spip_alpha, starts_at=days_ago(1)
    )
    queue = reverse("unknown_status_queue")
    response = client_for(cpip).post(
        reverse("appointment_operation", args=[appointment.pk, "non-honoree"]), {"next": queue}
    )
    assert response["Location"] == queue
    appointment.refresh_from_db()
    assert appointment.status == Status.MISSED


def test_next_never_leaves_the_site(client_for, cpip, person, agendas):
    appointment = AppointmentFactory(
        person=person, agenda=agendas.spip_alpha, starts_at=days_ago(1)
    )
    response = client_for(cpip).post(
        reverse("appointment_operation", args=[appointment.pk, "honoree"]),
        {"next": "//evil.example/"},
    )
    assert response["Location"] == reverse("appointment_detail", args=[appointment.pk])


def test_an_impossible_transition_is_explained_not_crashed(
    awkward_day, client_for, cpip, person, agendas
):
    appointment = AppointmentFactory(
        person=person, agenda=agendas.spip_alpha, starts_at=days_ago(-3)
    )
    response = client_for(cpip).post(
        reverse("appointment_operation", args=[appointment.pk, "honoree"]), follow=True
    )
    assert response.status_code == 200
    assert "déjà commencée" in response.content.decode()


@pytest.mark.parametrize(("unknown", "warns"), [(5, False), (6, True)])
def test_the_home_page_warns_an_agent_with_more_than_five_unknown(
    awkward_day, client_for, cpip, person, agendas, unknown, warns
):
    for index in range(unknown):
        AppointmentFactory(
            person=person, agenda=agendas.spip_alpha, starts_at=days_ago(index + 1), created_by=cpip
        )
    response = client_for(cpip).get(reverse("home"))
    assert response.context["backlog"].agent_unknown == unknown
    assert ('data-testid="backlog-agent"' in response.content.decode()) is warns


@pytest.mark.parametrize(("honoured", "warns"), [(4, False), (3, True)])
def test_the_home_page_warns_a_service_above_twenty_percent(
    awkward_day, client_for, cpip, make_agent, org, person, agendas, honoured, warns
):
    colleague = make_agent("cpip", service=org.spip_alpha)
    AppointmentFactory(
        person=person, agenda=agendas.spip_alpha, starts_at=days_ago(10), assigned_agent=colleague
    )
    for index in range(honoured):
        AppointmentFactory(
            person=person,
            agenda=agendas.spip_alpha,
            starts_at=days_ago(20 + index),
            status=Status.HONOURED,
        )
    AppointmentFactory(
        person=person, agenda=agendas.spip_alpha, starts_at=days_ago(30), status=Status.CANCELLED
    )
    AppointmentFactory(person=person, agenda=agendas.spip_alpha, starts_at=days_ago(120))  # too old
    response = client_for(cpip).get(reverse("home"))
    assert ('data-testid="backlog-service"' in response.content.decode()) is warns


def test_reschedule_through_the_screen(client_for, cpip, person, agendas, frozen_now):
    old = AppointmentFactory(
        person=person, agenda=agendas.spip_alpha, starts_at=frozen_now + dt.timedelta(days=1)
    )
    response = client_for(cpip).post(
        reverse("appointment_reschedule", args=[old.pk]),
        {"agenda": agendas.spip_alpha.pk, "day": "2027-07-08", "time": "09:15"},
    )
    old.refresh_from_db()
    assert old.status == Status.CANCELLED and old.rescheduled_to is not None
    assert response["Location"] == reverse("appointment_detail", args=[old.rescheduled_to.pk])


def test_reconvene_through_the_screen(client_for, cpip, person, agendas, frozen_now):
    old = AppointmentFactory(
        person=person,
        agenda=agendas.spip_alpha,
        starts_at=frozen_now - dt.timedelta(days=1),
        status=Status.MISSED,
    )
    page = client_for(cpip).get(reverse("appointment_detail", args=[old.pk]))
    assert reverse("appointment_reconvene", args=[old.pk]) in page.content.decode()
    client_for(cpip).post(
        reverse("appointment_reconvene", args=[old.pk]),
        {"agenda": agendas.spip_alpha.pk, "day": "2027-07-08", "time": "09:15"},
    )
    assert Appointment.objects.get(reconvened_from=old).status == Status.BOOKED


def test_the_paper_letter_is_a_pdf_and_its_printing_is_recorded(
    awkward_day, client_for, cpip, person, agendas
):
    appointment = AppointmentFactory(person=person, agenda=agendas.spip_alpha)
    response = client_for(cpip).get(reverse("appointment_letter", args=[appointment.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert (
        Event.objects.for_object(appointment).filter(action="appointment.letter_printed").exists()
    )


def test_the_ics_file(client_for, cpip, person, agendas):
    appointment = AppointmentFactory(person=person, agenda=agendas.spip_alpha)
    response = client_for(cpip).get(reverse("appointment_ics", args=[appointment.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in response.content.decode()


def test_the_day_list_of_an_agenda(client_for, cpip, person, agendas):
    client = client_for(cpip)
    listing = client.get(reverse("agenda_list"))
    assert agendas.spip_alpha in listing.context["agendas"]
    assert agendas.sap_beta not in listing.context["agendas"]
    response = client.get(
        reverse("agenda_day", args=[agendas.spip_alpha.pk]), {"date": "2027-07-06"}
    )
    assert response["Content-Type"] == "application/pdf"
    bad = client.get(reverse("agenda_day", args=[agendas.spip_alpha.pk]), {"date": "06/07"})
    assert bad.status_code == 302


@pytest.mark.parametrize("name", ["appointment_detail", "appointment_letter", "appointment_ics"])
def test_a_convocation_of_another_ressort_is_not_found(
    client_for, make_agent, org, person, agendas, name
):
    appointment = AppointmentFactory(person=person, agenda=agendas.spip_alpha)
    outsider = make_agent("greff_sap", service=org.sap_beta)
    assert client_for(outsider).get(reverse(name, args=[appointment.pk])).status_code == 404


def test_an_agenda_of_another_ressort_is_not_found(client_for, cpip, agendas):
    response = client_for(cpip).get(reverse("agenda_day", args=[agendas.sap_beta.pk]))
    assert response.status_code == 404


def test_the_queue_query_count_does_not_grow(awkward_day, client_for, cpip, person, agendas):
    client = client_for(cpip)
    AppointmentFactory(person=person, agenda=agendas.spip_alpha, starts_at=days_ago(2))
    response = assert_queries_do_not_grow(
        lambda: client.get(reverse("unknown_status_queue")),
        lambda: [
            AppointmentFactory(
                person=PersonFactory(), agenda=agendas.spip_alpha, starts_at=days_ago(3 + index)
            )
            for index in range(10)
        ],
    )
    assert response.status_code == 200
